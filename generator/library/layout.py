"""A library is a folder: ``guides/<id>/`` holds one guide (guide.yml, guide.md, images/), ``.vsop-cache/``
what vsop can make again (OCR results, the site's projects, earlier versions, the tray's log).

Takes a library or guide folder; gives every path of that layout (:class:`Library`, :class:`GuideFolder`), the
one way to write a guide (guide.yml and its page, :meth:`GuideFolder.write`) and the one way to replace a
folder whole (:func:`replacing`: a failure leaves the old folder in place).
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from capture.files import atomic_write_text, temp_path
from generator.errors import GuideError
from generator.guide.model import Guide
from generator.guide.paths import ID_RULE, is_id
from generator.guide.store import save_guide

GUIDES_DIR = "guides"
CACHE_DIR = ".vsop-cache"  # derived files, never in git (the library's .gitignore)
GUIDE_FILE = "guide.yml"
PAGE_FILE = "guide.md"
IMAGES_DIR = "images"
_SLUG_MAX = 60


@dataclass(frozen=True, slots=True)
class Library:
    """The folder of a library: value stream and settings (generator/valuestream/store.py), guides, cache."""

    root: Path

    @property
    def guides(self) -> Path:
        return self.root / GUIDES_DIR

    @property
    def cache(self) -> Path:
        return self.root / CACHE_DIR

    def guide_folder(self, guide_id: str) -> GuideFolder:
        """The folder of guide ``guide_id``; an id that is not one (``../x``) is a GuideError."""
        if not is_id(guide_id):
            raise GuideError(f"{self.guides}: {guide_id!r} is not a guide id; expected {ID_RULE}")
        return GuideFolder(self.guides / guide_id)

    def guide_files(self) -> list[Path]:
        """The guide.yml of every guide, in the order of their ids; GuideError when ``guides`` is there but
        not a folder (a library of no guides would hide that)."""
        if os.path.lexists(self.guides) and not self.guides.is_dir():
            raise GuideError(
                f"{self.guides}: is not a folder; a library keeps its guides in the folder {GUIDES_DIR}/ "
                f"(move this away, then `vsop init {self.root}` makes the folder)"
            )
        return sorted(self.guides.glob(f"*/{GUIDE_FILE}"))


@dataclass(frozen=True, slots=True)
class GuideFolder:
    """The folder of one guide: guide.yml (the source of truth), guide.md (made from it) and images/."""

    path: Path

    @classmethod
    def of(cls, guide_file: Path) -> GuideFolder:
        return cls(guide_file.parent)

    @property
    def id(self) -> str:
        return self.path.name

    @property
    def guide_file(self) -> Path:
        return self.path / GUIDE_FILE

    @property
    def markdown(self) -> Path:
        return self.path / PAGE_FILE

    @property
    def images(self) -> Path:
        return self.path / IMAGES_DIR

    def write(self, guide: Guide, expected: str | None = None) -> None:
        """guide.yml and guide.md, each written atomically. With ``expected`` (the text of guide.yml this
        change was made from), guide.yml is written only if it still has that text, else a GuideError: a
        change made meanwhile by another program is not written over (vsop's own writers hold the library's
        lock, generator/library/lock.py)."""
        if expected is not None and _text(self.guide_file) != expected:
            raise GuideError(
                f"{self.guide_file}: changed by another program while vsop was changing it; nothing was "
                "written: run the command again (in the editor, make the change again)"
            )
        save_guide(guide, self.guide_file)
        self.write_page(guide)

    def write_page(self, guide: Guide) -> None:
        """guide.md from ``guide``; its images link their full frames when the folder has them."""
        # The templates (Jinja, Markdown) and the images (Pillow) are imported by the writers of a guide
        # only: every command resolves a guide through this module, most never write its page.
        from generator.render.guide_page import guide_markdown

        atomic_write_text(self.markdown, guide_markdown(guide, enlarge=self.has_full_frames(guide)))

    def has_full_frames(self, guide: Guide) -> bool:
        from generator.images.annotate import full_image_name

        return any(s.image and (self.path / full_image_name(s.image)).is_file() for s in guide.steps)


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def library_of(guide_file: Path) -> Path:
    """The library a guide belongs to: the folder above ``guides/<id>/guide.yml``."""
    folder = guide_file.resolve().parent
    if folder.parent.name != GUIDES_DIR:
        raise GuideError(f"{guide_file}: not inside a library (expected LIB/{GUIDES_DIR}/<id>/{GUIDE_FILE})")
    return folder.parent.parent


@contextmanager
def replacing(target: Path, replace: bool = True) -> Iterator[Path]:
    """A new folder for ``target``: the block fills the yielded folder (hidden, beside ``target``); when
    the block ends, the folder takes ``target``'s place in two renames, the old one deleted last. When the
    block or a rename fails, the new folder is deleted and ``target`` is as it was. Without ``replace`` an
    existing ``target`` is an error (OSError) instead: the folder appears whole or not at all."""
    staging = temp_path(target)
    staging.mkdir()
    try:
        yield staging
        _swap(staging, target, replace)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError) and exc.filename is None and exc.errno is not None:  # a copy's write
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        raise


def _swap(new: Path, target: Path, replace: bool) -> None:
    old = temp_path(target) if replace and os.path.lexists(target) else None
    if old is not None:
        os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)  # the new folder is in place; a leftover is only hidden


def slugify(title: str) -> str:
    """A safe file name from a title: ASCII letters, digits and dashes only (no dots, no slashes)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:_SLUG_MAX].strip("-")
    return slug or "guide"


def unique_slug(library: Path, title: str) -> str:
    base = slugify(title)
    slug, n = base, 1
    while (library / GUIDES_DIR / slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def resolve_guide(guide: str | Path, library: Path | None = None) -> Path:
    """The guide.yml named by a guide folder, a guide.yml path, or a guide id with ``--library``."""
    path = Path(guide)  # a guide.yml that is there in any form (a FIFO, a link) is the loader's to judge
    if path.is_dir() and os.path.lexists(path / GUIDE_FILE):
        return path / GUIDE_FILE
    if os.path.lexists(path) and not path.is_dir() and path.name == GUIDE_FILE:
        return path
    if library is not None and is_id(str(guide)):
        candidate = Library(library).guide_folder(str(guide)).guide_file
        if os.path.lexists(candidate):
            return candidate
        known = [p.parent.name for p in Library(library).guide_files()]
        raise GuideError(
            f"{library}: no guide with id {guide!r}; guides here: {', '.join(known) or 'none yet'}"
        )
    hint = "" if library else " (to name a guide by its id, add --library LIB)"
    raise GuideError(f"{guide}: not a guide folder or {GUIDE_FILE}{hint}")
