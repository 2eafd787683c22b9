"""A library is a folder: ``guides/<id>/guide.yml`` with ``images/`` beside it, one folder per guide."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from generator.errors import GuideError
from generator.guide.store import GUIDE_FILE

GUIDES_DIR = "guides"
_SLUG_MAX = 60


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
    path = Path(guide)
    if path.is_dir() and (path / GUIDE_FILE).is_file():
        return path / GUIDE_FILE
    if path.is_file() and path.name == GUIDE_FILE:
        return path
    if library is not None and re.fullmatch(r"[a-z0-9-]+", str(guide)):
        candidate = library / GUIDES_DIR / str(guide) / GUIDE_FILE
        if candidate.is_file():
            return candidate
        known = sorted(p.parent.name for p in (library / GUIDES_DIR).glob(f"*/{GUIDE_FILE}"))
        raise GuideError(
            f"{library}: no guide with id {guide!r}; guides here: {', '.join(known) or 'none yet'}"
        )
    hint = "" if library else " (to name a guide by its id, add --library LIB)"
    raise GuideError(f"{guide}: not a guide folder or {GUIDE_FILE}{hint}")
