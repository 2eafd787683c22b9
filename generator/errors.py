"""The errors of the generator side (guides, value stream, exports, the site, the editor), in the one
hierarchy whose base, :class:`capture.errors.VsopError`, the CLI maps to a message and an exit code."""

from capture.errors import VsopError


class GuideError(VsopError):
    """A guide (guide.yml) or a library is missing or invalid."""


class ValueStreamError(VsopError):
    """A library's value stream (valuestream.yml) or settings (vsop.yml) are invalid, or a stage unknown."""


class ExportError(VsopError):
    """A guide cannot be exported (an image missing or remote, the PDF printer failed)."""


class SiteError(VsopError):
    """The SOP site cannot be built or served: the engine failed or is missing, or the output is unsafe."""


class EditError(VsopError):
    """A change asked of ``vsop edit`` is invalid: the editor answers 400 with why, and changes nothing."""
