"""The lock of a library's guides, shared by every command that writes one (``vsop generate``, ``update``,
``stage``, ``review``) and by the editor: each holds it from reading what it changes until it is written, so
two of them never write over each other's work. It is a file lock in the library's cache
(``.vsop-cache/locks/guides.lock``), held a moment at a time: the long work (OCR, drawing screenshots) is
done before it is taken.

A folder that is being filled (a new guide, or the next version of one, see :mod:`.swap`) is kept alive
by a lock of its own there; :func:`alive` tells a folder whose command still runs from one left by a
command that was killed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from filelock import FileLock, Timeout

from generator.errors import GuideError
from generator.library.layout import CACHE_DIR, GUIDES_DIR

LOCKS_DIR = Path(CACHE_DIR) / "locks"
GUIDES_LOCK = "guides.lock"
WAIT_S = 60.0  # how long a command waits for another one's write (a write takes a moment, not this long)

_held = threading.local()  # the lock files this thread holds: a command that holds the lock may call
# another function that takes it (the lock is reentrant within a thread, exclusive between threads)


def lock_root(folder: Path) -> Path:
    """The folder whose cache holds the locks of the guide ``folder``: its library (``LIB/guides/<id>``),
    else the folder it is in (a guide outside a library, edited on its own)."""
    holder = folder.absolute().parent
    return holder.parent if holder.name == GUIDES_DIR else holder


def locks_dir(root: Path) -> Path:
    return root / LOCKS_DIR


@contextmanager
def guides_locked(root: Path) -> Iterator[None]:
    """Hold the lock of the guides of ``root`` (a library, see :func:`lock_root`) for the block; waits at
    most :data:`WAIT_S` for another command's write."""
    path = (locks_dir(root) / GUIDES_LOCK).absolute()
    held: set[Path] = _held.__dict__.setdefault("paths", set())
    if path in held:
        yield
        return
    try:
        lock = _acquire(path, WAIT_S)
    except Timeout:
        raise GuideError(
            f"{root}: another vsop command has been writing its guides for {WAIT_S:.0f} s (lock {path}); "
            "wait for it to end (vsop update, generate, or an editor's save), then run this again"
        ) from None
    held.add(path)
    try:
        yield
    finally:
        held.discard(path)
        lock.release()


@contextmanager
def keeping_alive(root: Path, name: str) -> Iterator[None]:
    """Mark the folder ``name`` (in ``root``'s guides) as being filled by this process until the block
    ends; a process killed meanwhile leaves it unmarked (the system releases its lock)."""
    path = locks_dir(root) / f"{name}.lock"
    lock = _acquire(path, 0)  # the name is new: no one else holds it
    try:
        yield
    finally:
        lock.release()
        with suppress(OSError):
            path.unlink()


def alive(root: Path, name: str) -> bool:
    """Whether a process that runs now is filling the folder ``name`` (see :func:`keeping_alive`)."""
    path = locks_dir(root) / f"{name}.lock"
    if not path.is_file():
        return False
    probe = FileLock(path, timeout=0)
    try:
        probe.acquire()
    except Timeout:
        return True
    probe.release()
    with suppress(OSError):
        path.unlink()
    return False


def _acquire(path: Path, timeout: float) -> FileLock:
    """The file lock at ``path`` (its folder made), held; Timeout after ``timeout`` seconds. A library that
    cannot hold one (read-only) is a GuideError saying so."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(path)
        lock.acquire(timeout=timeout)
    except Timeout:  # an OSError too
        raise
    except OSError as exc:
        raise GuideError(
            f"{path}: cannot lock the library's guides ({exc.strerror or exc}); "
            "vsop writes guides only in a library it can write to"
        ) from None
    return lock
