"""The guides of a library as the site sees them: each guide.yml read and validated; a bad one is reported
with its path and left out, so the rest of the site still builds."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from generator.errors import GuideError
from generator.guide.model import Guide
from generator.guide.store import load_guide
from generator.library.layout import Library


@dataclass(frozen=True, slots=True)
class Entry:
    """One valid guide: its folder (whose name is the page's address), the guide, and a hash of guide.yml."""

    folder: Path
    guide: Guide
    digest: str

    @property
    def slug(self) -> str:
        return self.folder.name


@dataclass(frozen=True, slots=True)
class Failure:
    path: Path
    message: str


@dataclass(frozen=True, slots=True)
class Scan:
    entries: tuple[Entry, ...]
    failures: tuple[Failure, ...]


def scan_library(library: Path) -> Scan:
    """Every ``guides/<id>/guide.yml`` of ``library`` in folder order (hidden folders, such as a guide
    being written by ``vsop generate``, are not guides yet)."""
    entries: list[Entry] = []
    failures: list[Failure] = []
    for path in Library(library).guide_files():
        if path.parent.name.startswith("."):
            continue
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            entries.append(Entry(path.parent, load_guide(path), digest))
        except GuideError as exc:
            failures.append(Failure(path, str(exc)))
        except OSError as exc:
            failures.append(Failure(path, f"{path}: cannot be read ({exc.strerror or exc})"))
    return Scan(tuple(entries), tuple(failures))
