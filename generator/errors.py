"""The errors of the generator side (guides, value stream, exports, the site, the editor), in the one
hierarchy whose base, :class:`capture.errors.VsopError`, the CLI maps to a message and an exit code; and
:func:`explained`, the one mapping of what the system raises (an OSError: a read-only library, a full disk)
into that hierarchy, for the CLI and the editor alike."""

import errno

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


class RunError(VsopError):
    """A run record (LIB/guides/<id>/runs/*.yml) is invalid, or a run cannot be checked against its guide."""


class PathError(GuideError):
    """A path named in a guide or asked of the editor leads outside its folder or through a symbolic link."""


class ImageError(VsopError):
    """An image (a recording's frame, a guide's screenshot) cannot be read: not an image, truncated, or larger
    than vsop reads (a decompression bomb)."""


class FileSystemError(VsopError):
    """The file system refused what a command needed: a read-only library, a full disk, no permission, a file
    where a folder belongs. Made from the OSError by :func:`explained`; nothing half-written is left."""

    exit_code = 5

    def __init__(self, message: str, errno: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno


_HOW = {
    errno.EROFS: "the file system is read-only: copy the library somewhere writable, or mount it read-write",
    errno.ENOSPC: "no space left on the device: free some space and run the command again",
    errno.EDQUOT: "the disk quota is used up: free some space and run the command again",
    errno.EACCES: "permission denied: check the owner and mode of the library's files (ls -l)",
    errno.EPERM: "operation not permitted: check the owner and mode of the library's files (ls -l)",
    errno.ENOTDIR: "a file is where a folder belongs: move that file away",
    errno.EISDIR: "a folder is where a file belongs: move that folder away",
    errno.ENOENT: "no such file or folder",
    errno.EEXIST: "already there, where vsop makes a folder or file of its own: move it away",
    errno.EPIPE: "the output was closed before vsop finished writing it",
}


def explained(exc: BaseException) -> VsopError | None:
    """``exc`` as a person reads it: a :class:`VsopError` as it is; an OSError as a :class:`FileSystemError`
    naming the file and how to fix it (a read-only library, a full disk); None for anything else, a bug
    whose traceback is the report. The CLI prints it with its exit code; the editor answers it with
    :func:`http_status`."""
    if isinstance(exc, VsopError):
        return exc
    if not isinstance(exc, OSError):
        return None
    where = " -> ".join(str(f) for f in (exc.filename, exc.filename2) if f is not None)
    how = _HOW.get(exc.errno or 0) or (exc.strerror or str(exc) or type(exc).__name__)
    return FileSystemError(f"{where}: {how}" if where else how, exc.errno)


def http_status(error: VsopError) -> int:
    """The HTTP status the editor answers ``error`` with: 400 for a change it refused, 422 for an image it
    cannot read, 507 for a full disk, 500 for another file-system failure, 409 for a guide that is invalid or
    gone on disk."""
    if isinstance(error, EditError):
        return 400
    if isinstance(error, ImageError):
        return 422
    if isinstance(error, FileSystemError):
        return 507 if error.errno in (errno.ENOSPC, errno.EDQUOT) else 500
    return 409
