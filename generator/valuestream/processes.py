"""Which of a stage's expected processes its guides document (docs/valuestream-format.md, "Expected
processes"), and the documentation completeness that follows: documented / expected processes.

A stage without an expected list expects one process, documented by any SOP of the stage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from generator.guide.model import ExpectedProcess, Stage
from generator.valuestream.match import contains_phrase

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class GuideRef:
    """A guide as the matching sees it: its id (the folder's name) and title."""

    id: str
    title: str


@dataclass(frozen=True, slots=True)
class ProcessDocs:
    """An expected process of a stage and the guides of the stage that document it (ids, in library order)."""

    process: ExpectedProcess
    guides: tuple[str, ...]

    @property
    def documented(self) -> bool:
        return bool(self.guides)


@dataclass(frozen=True, slots=True)
class Completeness:
    documented: int
    expected: int

    @property
    def share(self) -> float | None:
        """documented / expected, None when nothing is expected."""
        return self.documented / self.expected if self.expected else None

    def __add__(self, other: Completeness) -> Completeness:
        return Completeness(self.documented + other.documented, self.expected + other.expected)


def documents(process: ExpectedProcess, guide: GuideRef) -> bool:
    """With match rules, a guide named in ``guides`` or whose title matches a pattern of ``titles``;
    without, a guide whose title or id contains the name's words (the last one may be plural)."""
    if process.guides or process.titles:
        title = guide.title.casefold()
        return guide.id in process.guides or any(fnmatchcase(title, p.casefold()) for p in process.titles)
    name = _words(process.name)
    return contains_phrase(_words(guide.title), name) or contains_phrase(_words(guide.id), name)


def stage_processes(stage: Stage, guides: Sequence[GuideRef]) -> tuple[ProcessDocs, ...]:
    """Each expected process of ``stage`` with the guides (of the stage) that document it."""
    return tuple(ProcessDocs(p, tuple(g.id for g in guides if documents(p, g))) for p in stage.processes)


def completeness(stage: Stage, guides: Sequence[GuideRef]) -> Completeness:
    if not stage.processes:
        return Completeness(1 if guides else 0, 1)
    return Completeness(sum(1 for p in stage_processes(stage, guides) if p.documented), len(stage.processes))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())
