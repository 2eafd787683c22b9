"""A guide folder made whole before it is put in place, so that a command killed at any moment leaves the old
guide or the new one (``vsop update``), or none or the new one (``vsop generate``), never a guide gone.

A new folder is filled in a hidden folder beside the guides, ``guides/.<id>.<hex>.tmp`` (:func:`staging`),
marked alive while its command runs (:func:`~generator.library.lock.keeping_alive`). Then, holding the
library's lock (:func:`writing`), :func:`swap_in` renames the old folder aside (``.<id>.<hex>.old.tmp``),
renames the new one into its place, and deletes the aside. Whatever a killed command left is put right by
:func:`recover` at the start of the next command that writes a guide or lists them (``writing``,
``vsop status``, ``build``, ``serve``): an aside goes back where its guide is missing and is deleted where the
guide is there; a folder no running command fills is renamed into its place when it holds a whole guide
and nothing is there, else deleted.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import GuideError
from generator.library.layout import GUIDE_FILE, GUIDES_DIR, PAGE_FILE, Library
from generator.library.lock import alive, guides_locked, keeping_alive

_STAGING = re.compile(r"\.(?P<id>.+)\.[0-9a-f]{8}\.tmp")
_ASIDE = re.compile(r"\.(?P<id>.+)\.[0-9a-f]{8}\.old\.tmp")


@contextmanager
def writing(root: Path) -> Iterator[None]:
    """Hold the lock of ``root``'s guides (see :mod:`.lock`) for the block, after putting right what a killed
    command left there (:func:`recover`)."""
    with guides_locked(root):
        recover(root)
        yield


def recover_leftovers(library: Path) -> None:
    """:func:`recover` for a command that reads the library's guides; the lock is taken only when there is
    something to put right (a library with none is not written to)."""
    if _leftovers(Library(library).guides):
        with writing(library):
            pass


def recover_named(guide: str | Path, library: Path | None) -> None:
    """:func:`recover_leftovers` for the library that a GUIDE argument names: ``--library``, or the one a
    guide folder (or its guide.yml) is in; a guide a killed update was swapping is then found."""
    if library is not None:
        recover_leftovers(library)
        return
    path = Path(guide).absolute()
    holder = next((p for p in (path.parent, path.parent.parent) if p.name == GUIDES_DIR), None)
    if holder is not None:
        recover_leftovers(holder.parent)


@contextmanager
def staging(library: Path, guide_id: str) -> Iterator[Path]:
    """A new hidden folder in ``library``'s guides to fill with the folder of the guide ``guide_id``; it is
    deleted when the block ends unless :func:`swap_in` put it in place."""
    guides = Library(library).guides
    guides.mkdir(parents=True, exist_ok=True)
    folder = guides / f".{guide_id}.{secrets.token_hex(4)}.tmp"
    with keeping_alive(library, folder.name):
        folder.mkdir()
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)  # gone already when it was swapped in


def swap_in(filled: Path, target: Path, replace: bool) -> None:
    """Put the folder ``filled`` at ``target``, holding the library's lock (:func:`writing`). An existing
    ``target`` is replaced when ``replace``, else a GuideError; a failure leaves ``target`` as it was."""
    if not os.path.lexists(target):
        os.rename(filled, target)
        return
    if not replace:
        raise GuideError(f"{target}: exists already; nothing was written")
    aside = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old.tmp")
    os.rename(target, aside)
    try:
        os.rename(filled, target)
    except BaseException:
        os.rename(aside, target)
        raise
    shutil.rmtree(aside)


def recover(root: Path) -> list[str]:
    """Put right what killed commands left in ``root``'s guides (see the module docstring), holding its
    lock; returns what was done, a line each."""
    guides = Library(root).guides
    names = sorted(_leftovers(guides))
    done: list[str] = []
    for name in names:
        match = _ASIDE.fullmatch(name)
        if match and _is_folder(guides / name):
            done.append(_settle(guides / name, guides / match["id"], put_back=True))
    for name in names:
        match = _STAGING.fullmatch(name)
        if match and not _ASIDE.fullmatch(name) and _is_folder(guides / name) and not alive(root, name):
            done.append(_settle(guides / name, guides / match["id"], put_back=_whole(guides / name)))
    return done


def _leftovers(guides: Path) -> list[str]:
    try:
        return [n for n in os.listdir(guides) if _STAGING.fullmatch(n) or _ASIDE.fullmatch(n)]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _settle(left: Path, target: Path, put_back: bool) -> str:
    if put_back and not os.path.lexists(target):
        os.rename(left, target)
        return f"{target}: put back from {left.name}, left by a vsop command that was stopped"
    shutil.rmtree(left)
    return f"{left}: deleted, left by a vsop command that was stopped"


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _whole(folder: Path) -> bool:
    """A guide folder is written last of all with guide.yml and then guide.md: with both it is whole."""
    return (folder / GUIDE_FILE).is_file() and (folder / PAGE_FILE).is_file()
