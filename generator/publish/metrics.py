"""What the map and the coverage page measure: each guide's recorded duration, each stage's
documentation status, process and wait time, the lead-time ladder and the documentation coverage."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from generator.guide.model import Guide, LibrarySettings, Stage, Stream, ValueStream
from generator.library.review import is_overdue

Status = Literal["none", "sop", "overdue"]


def guide_duration(guide: Guide) -> float | None:
    """Seconds the procedure takes: the median of its revisions' recorded durations, else the recording's."""
    durations = [r.duration_s for r in guide.revisions if r.duration_s is not None]
    if durations:
        return float(statistics.median(durations))
    recorded = guide.recorded.get("duration_s")
    if isinstance(recorded, (int, float)) and not isinstance(recorded, bool):
        return float(recorded)
    return None


@dataclass(frozen=True, slots=True)
class StageMetrics:
    """One stage on the map: its guides (in the library's order), their total process time and status."""

    stage: Stage
    guides: tuple[Guide, ...]
    overdue: tuple[Guide, ...]
    process_s: float  # sum of the guides' durations; guides without one count nothing
    wait_s: float | None  # the stage's typical queue time, when the value stream gives one

    @property
    def status(self) -> Status:
        if not self.guides:
            return "none"
        return "overdue" if self.overdue else "sop"


@dataclass(frozen=True, slots=True)
class LeadTime:
    process_s: float
    wait_s: float

    @property
    def lead_s(self) -> float:
        return self.process_s + self.wait_s

    @property
    def efficiency(self) -> float | None:
        """Process cycle efficiency: process time / lead time (None when the lead time is zero)."""
        return self.process_s / self.lead_s if self.lead_s > 0 else None


@dataclass(frozen=True, slots=True)
class StreamCoverage:
    name: str
    documented: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.documented / self.total if self.total else 0.0


def stage_metrics(
    vs: ValueStream, guides: Sequence[Guide], settings: LibrarySettings, today: datetime.date
) -> tuple[StageMetrics, ...]:
    """Metrics of every stage of ``vs`` in flow order."""
    result = []
    for stage in vs.stages:
        mine = tuple(g for g in guides if g.stage == stage.id)
        result.append(
            StageMetrics(
                stage=stage,
                guides=mine,
                overdue=tuple(g for g in mine if is_overdue(g, settings, today)),
                process_s=sum(d for g in mine if (d := guide_duration(g)) is not None),
                wait_s=stage.wait_time,
            )
        )
    return tuple(result)


def lead_time(stages: Sequence[StageMetrics]) -> LeadTime:
    return LeadTime(sum(s.process_s for s in stages), sum(s.wait_s or 0.0 for s in stages))


def coverage(stream: Stream, stages: Sequence[StageMetrics]) -> StreamCoverage:
    mine = [s for s in stages if s.stage.stream == stream.id]
    return StreamCoverage(stream.name, sum(1 for s in mine if s.guides), len(mine))


def overall_coverage(stages: Sequence[StageMetrics]) -> StreamCoverage:
    return StreamCoverage("All stages", sum(1 for s in stages if s.guides), len(stages))
