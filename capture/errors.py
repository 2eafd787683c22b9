"""The one exception hierarchy of vsop. Every message is written for the person at the terminal:
where, what was expected, what was found, how to fix."""


class VsopError(Exception):
    """Base of every error vsop reports to a person; the CLI prints the message and exits non-zero."""

    exit_code = 1


class RecordingError(VsopError):
    """A recording folder cannot be read."""


class FormatVersionError(RecordingError):
    """A recording was written by a newer vsop than this one."""


class RecorderBusyError(VsopError):
    """Another recorder holds the output folder."""

    exit_code = 3


class BackendUnavailableError(VsopError):
    """A platform backend (display, screen grabber, window query) cannot be used here."""

    exit_code = 4


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
