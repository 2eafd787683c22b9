"""Time at the screen: how long people take to perform a guide, as observed (the median of its run records,
else of its recordings), kept apart from the work and wait times the value stream declares."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from generator.guide.model import Guide
from generator.runs.models import Run


@dataclass(frozen=True, slots=True)
class ScreenTime:
    """A median of observed durations and what it is of: run records (``vsop check``) or recordings."""

    median_s: float
    runs: int = 0
    recordings: int = 0
    guides: int = 1  # a stage's: the sum of the medians of this many guides


def recorded_durations(guide: Guide) -> list[float]:
    """The durations of the guide's recordings: its revisions', else the first recording's."""
    durations = [r.duration_s for r in guide.revisions if r.duration_s is not None]
    if durations:
        return durations
    recorded = guide.recorded.get("duration_s")
    if isinstance(recorded, (int, float)) and not isinstance(recorded, bool):
        return [float(recorded)]
    return []


def screen_time(guide: Guide, runs: Sequence[Run]) -> ScreenTime | None:
    """The median duration of the guide's runs, else of its recordings; None when nothing was observed."""
    if runs:
        return ScreenTime(float(statistics.median(r.duration_s for r in runs)), runs=len(runs))
    durations = recorded_durations(guide)
    if durations:
        return ScreenTime(float(statistics.median(durations)), recordings=len(durations))
    return None


def total_screen_time(times: Sequence[ScreenTime | None]) -> ScreenTime | None:
    """A stage's time at the screen: the sum of its guides' medians (each process performed once), with all
    their observations counted."""
    known = [t for t in times if t is not None]
    if not known:
        return None
    return ScreenTime(
        sum(t.median_s for t in known),
        sum(t.runs for t in known),
        sum(t.recordings for t in known),
        sum(t.guides for t in known),
    )
