"""Work done once per test run, whichever pytest-xdist workers need it.

Session fixtures run once per worker; a recording that takes minutes must not. ``made_once`` makes a folder
under the run's common temporary folder (the parent of every worker's own, or the run's own without xdist)
under a file lock: the first worker to ask makes it, the others wait for it and read it. A failed make leaves
nothing behind, so the next worker to ask tries again and reports its own error. ``rotated`` gives each
worker the parts of a divisible job in its own order, so that workers that all need every part make
different parts at the same time.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")


def worker() -> tuple[int, int]:
    """This worker's index and the number of workers (0 and 1 without xdist)."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    return (int(name[2:]) if name.startswith("gw") else 0), max(count, 1)


def run_folder(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder common to every worker of this run (xdist gives each worker a folder in it)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Held by one process at a time (an advisory lock on ``path``, released when the holder dies)."""
    import fcntl

    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """The folder ``name`` of this run, filled by ``make(folder)`` the first time any worker asks for it."""
    return made_in(run_folder(factory), name, make)


def made_in(base: Path, name: str, make: Callable[[Path], object]) -> Path:
    """The folder ``name`` in ``base``, filled by ``make(folder)`` the first time any process asks for it."""
    folder = base / f"once-{name}"
    done = base / f".once-{name}.done"
    with locked(base / f".once-{name}.lock"):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed make left
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def rotated(parts: Sequence[T]) -> list[tuple[int, T]]:
    """``parts`` numbered, starting at this worker's own: worker k makes part k first."""
    index, _ = worker()
    start = index % len(parts) if parts else 0
    numbered = list(enumerate(parts))
    return numbered[start:] + numbered[:start]


def split(items: Sequence[T]) -> list[list[T]]:
    """``items`` dealt into one part per worker (every worker's first part is its own)."""
    _, count = worker()
    parts = [list(items[i::count]) for i in range(count)]
    return [part for part in parts if part]
