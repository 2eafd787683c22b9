"""Atomic file writes: a reader (or a crash) never sees half a file; bounded reads of files a person may have
replaced by anything (a FIFO, /dev/zero, a file of gigabytes): refused, never a hang."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from capture.errors import VsopError


def temp_path(path: Path) -> Path:
    """A fresh hidden name beside ``path`` (same folder, so a rename is atomic)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def atomic_write(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write through ``write(fileobj)`` into a temp file beside ``path``, then rename it over ``path``.

    The file gets the usual permissions (0666 less the umask); private data is kept private by its folder.
    """
    tmp = temp_path(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:  # a read-only or full disk: the error names the file being written, not the temp
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename in (None, str(tmp)) and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda fh: fh.write(text.encode("utf-8")))


def open_regular(path: Path, error: type[VsopError], what: str) -> BinaryIO:
    """``path`` opened for reading when it is a regular file (after links); anything else (a folder, a FIFO, a
    device such as /dev/zero, a socket) raises ``error`` at once instead of blocking or reading forever.
    ``what`` names the file in the message ("a guide file"). A missing file raises FileNotFoundError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise error(f"{path}: is {_kind(mode)}, not a file; {what} must be a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, limit: int, error: type[VsopError], what: str) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`open_regular`); more than ``limit`` bytes raises
    ``error`` without reading the rest."""
    with open_regular(path, error, what) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise error(
            f"{path}: more than {size_text(limit)}, the most {what} may hold; "
            "this is not a file vsop wrote (check what was put there)"
        )
    return data


def size_text(size: int) -> str:
    """``2 MiB``, ``64 KiB``, ``512 bytes``."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} bytes"


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"))
    devices = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
    return next((name for test, name in (*kinds, *devices) if test(mode)), "not a regular file")
