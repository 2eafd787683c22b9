"""The guides of a library as the site sees them: each guide.yml read and validated; a bad one is reported
with its path and left out, so the rest of the site still builds."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from capture.files import read_regular
from generator.errors import GuideError, RunError
from generator.guide.model import Guide
from generator.guide.store import load_guide
from generator.guide.yamlcheck import MAX_BYTES
from generator.library.layout import Library
from generator.library.swap import recover_leftovers
from generator.runs.models import Run
from generator.runs.store import load_runs


@dataclass(frozen=True, slots=True)
class Entry:
    """One valid guide: its folder (whose name is the page's address), the guide, and a hash of guide.yml;
    ``runs`` are its run records (``runs/*.yml``, see generator/runs/store.py), oldest first."""

    folder: Path
    guide: Guide
    digest: str
    runs: tuple[Run, ...] = ()

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
    recover_leftovers(library)  # a guide an update was swapping when it was killed is put back first
    entries: list[Entry] = []
    failures: list[Failure] = []
    for path in Library(library).guide_files():
        if path.parent.name.startswith("."):
            continue
        try:
            digest = hashlib.sha256(read_regular(path, MAX_BYTES, GuideError, "a guide file")).hexdigest()
            entries.append(Entry(path.parent, load_guide(path), digest, load_runs(path.parent)))
        except (GuideError, RunError) as exc:
            failures.append(Failure(path, str(exc)))
        except OSError as exc:
            failures.append(Failure(path, f"{path}: cannot be read ({exc.strerror or exc})"))
    return Scan(tuple(entries), tuple(failures))
