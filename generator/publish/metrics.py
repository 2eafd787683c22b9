"""What the map and the coverage page measure of each stage: its documentation status, its maturity (with the
documentation completeness, generator/maturity), the time people spend at the screen on its guides; and the
documentation completeness per stream and overall. The declared times read as a flow are in flow.py."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from generator.guide.model import Guide, LibrarySettings, Stage, Stream, ValueStream
from generator.library.review import is_overdue
from generator.library.scan import Entry
from generator.maturity.assess import assess
from generator.maturity.levels import StageMaturity
from generator.maturity.observed import ScreenTime, screen_time, total_screen_time

Status = Literal["none", "sop", "overdue"]


@dataclass(frozen=True, slots=True)
class StageMetrics:
    """One stage on the map: its guides (in the library's order), their status, maturity and time at the
    screen (observed, never mixed with the declared times of the stage)."""

    stage: Stage
    guides: tuple[Guide, ...]
    overdue: tuple[Guide, ...]
    screen: ScreenTime | None  # the sum of the guides' observed medians; None when nothing was observed
    maturity: StageMaturity

    @property
    def status(self) -> Status:
        if not self.guides:
            return "none"
        return "overdue" if self.overdue else "sop"


@dataclass(frozen=True, slots=True)
class StreamCoverage:
    """Documentation completeness: documented processes / expected processes (a stage without an expected
    list expects one, documented by any SOP)."""

    name: str
    documented: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.documented / self.total if self.total else 0.0


def stage_metrics(
    vs: ValueStream, entries: Sequence[Entry], settings: LibrarySettings, today: datetime.date
) -> tuple[StageMetrics, ...]:
    """Metrics of every stage of ``vs`` in flow order."""
    result = []
    for stage, maturity in zip(vs.stages, assess(vs, settings, entries, today), strict=True):
        mine = tuple(e for e in entries if e.guide.stage == stage.id)
        guides = tuple(e.guide for e in mine)
        result.append(
            StageMetrics(
                stage=stage,
                guides=guides,
                overdue=tuple(g for g in guides if is_overdue(g, settings, today)),
                screen=total_screen_time([screen_time(e.guide, e.runs) for e in mine]),
                maturity=maturity,
            )
        )
    return tuple(result)


def coverage(stream: Stream, stages: Sequence[StageMetrics]) -> StreamCoverage:
    return _coverage(stream.name, [s for s in stages if s.stage.stream == stream.id])


def overall_coverage(stages: Sequence[StageMetrics]) -> StreamCoverage:
    return _coverage("All stages", stages)


def _coverage(name: str, stages: Sequence[StageMetrics]) -> StreamCoverage:
    done = [s.maturity.completeness for s in stages]
    return StreamCoverage(name, sum(c.documented for c in done), sum(c.expected for c in done))
