"""Names and paths that come from files: the one rule for ids, and the one way to turn a path named in a
guide (an image in guide.yml, a file the editor is asked for) into a file of the guide folder.

An id (of a guide, a step, a stream or a stage) is lower-case letters, digits and dashes, so it can name a
file or a page and never a path. A path in a guide is relative, has no ``..``, and passes through no
symbolic link below the folder it is read from: a link in a guide folder (``images/s-1.png -> /etc/passwd``,
perhaps committed to git by someone else) would publish, export or copy a file from outside the library, so
it is refused wherever vsop reads a guide's files (build, update, export, the editor), naming the link.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath, PurePosixPath

from generator.errors import PathError

ID = re.compile(r"[a-z0-9-]{1,100}")
ID_RULE = "lower-case letters, digits and dashes (like sales-order), at most 100"


def is_id(value: object) -> bool:
    """Whether ``value`` is a valid id (see the module docstring)."""
    return isinstance(value, str) and ID.fullmatch(value) is not None


def relative_parts(rel: str | PurePath) -> tuple[str, ...] | None:
    """The parts of ``rel`` when it is a relative path that stays where it is read from (no ``..``, not
    absolute, no drive, backslash, colon or NUL); None otherwise."""
    text = rel.as_posix() if isinstance(rel, PurePath) else rel
    if not isinstance(text, str) or not text or any(c in text for c in "\\:\0") or text.startswith("/"):
        return None
    parts = tuple(p for p in PurePosixPath(text).parts if p != ".")
    return parts if parts and ".." not in parts else None


def inside(base: Path, rel: str | PurePath) -> Path:
    """``base / rel``, when ``rel`` is a relative path inside ``base`` (:func:`relative_parts`) and nothing
    below ``base`` on the way to it (the file included) is a symbolic link; otherwise :class:`PathError`.

    The file need not exist: the caller checks that, as it would for any path."""
    parts = relative_parts(rel)
    if parts is None:
        raise PathError(
            f"{base}: {str(rel)!r} is not a path inside the folder; expected a relative path without '..' "
            "(like images/s-1.png)"
        )
    path = base
    for part in parts:
        path = path / part
        if path.is_symlink():
            raise PathError(
                f"{path}: is a symbolic link (to {os.readlink(path)}); vsop reads only the folder's own "
                "files, so that nothing from outside it is published, exported or copied: put the file "
                "itself there"
            )
    return path


def is_own_file(base: Path, rel: str | PurePath) -> bool:
    """Whether ``rel`` names a regular file of ``base`` that :func:`inside` accepts."""
    try:
        return inside(base, rel).is_file()
    except PathError:
        return False


def refuse_links(folder: Path) -> None:
    """:class:`PathError` naming the first symbolic link anywhere inside ``folder`` (``folder`` included)."""
    if folder.is_symlink():
        inside(folder.parent, folder.name)
    for root, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            if (Path(root) / name).is_symlink():
                inside(Path(root), name)
