"""The maturity of every stage of a library's value stream, from its guides and their run records."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.guide.model import LibrarySettings, Stage, ValueStream
from generator.library.review import is_overdue, review_due
from generator.library.scan import Entry, Failure, scan_library
from generator.maturity.levels import SopEvidence, StageMaturity, judge
from generator.runs.summary import summarize
from generator.valuestream.processes import GuideRef, completeness, stage_processes
from generator.valuestream.store import load_settings, load_valuestream


@dataclass(frozen=True, slots=True)
class Assessment:
    """The stages in flow order with their maturity; guides that could not be read are listed apart."""

    stages: tuple[StageMaturity, ...]
    failures: tuple[Failure, ...] = ()


def assess(
    vs: ValueStream, settings: LibrarySettings, entries: Sequence[Entry], today: datetime.date
) -> tuple[StageMaturity, ...]:
    """Every stage of ``vs`` in flow order, judged on ``today``."""
    by_stage: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.guide.stage is not None:
            by_stage.setdefault(entry.guide.stage, []).append(entry)
    return tuple(_stage(s, by_stage.get(s.id, []), settings, today) for s in vs.stages)


def library_maturity(library: Path, today: datetime.date | None = None) -> Assessment:
    """The maturity of the stages of ``library`` (``vsop status``)."""
    scan = scan_library(library)
    stages = assess(
        load_valuestream(library), load_settings(library), scan.entries, today or datetime.date.today()
    )
    return Assessment(stages, scan.failures)


def _stage(
    stage: Stage, entries: Sequence[Entry], settings: LibrarySettings, today: datetime.date
) -> StageMaturity:
    refs = [GuideRef(e.slug, e.guide.title) for e in entries]
    processes = stage_processes(stage, refs)
    done = completeness(stage, refs)
    sops = tuple(sop_evidence(e, settings, today) for e in entries)
    level, steps = judge(stage, processes, done, sops, settings.maturity)
    return StageMaturity(stage, level, processes, done, sops, steps, settings.maturity)


def sop_evidence(entry: Entry, settings: LibrarySettings, today: datetime.date) -> SopEvidence:
    guide = entry.guide
    return SopEvidence(
        id=entry.slug,
        title=guide.title,
        due=review_due(guide, settings),
        overdue=is_overdue(guide, settings, today),
        recent=summarize(entry.runs[-settings.maturity.recent :]),
    )
