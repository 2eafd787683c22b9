"""What a guide's run records say together: how many runs, their median and 90th percentile duration, their
average conformance, and the steps most often skipped or done differently (a step people skip is a step the
SOP should explain better). Pure: the runs are given."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from generator.runs.models import DeviationKind, Run

DIFFERENTLY: tuple[DeviationKind, ...] = ("wrong_value", "out_of_order")  # "done differently"
TROUBLE_SHOWN = 5  # steps listed on the guide page at most


@dataclass(frozen=True, slots=True)
class StepTrouble:
    """How often one step of the guide was skipped or done differently (out of order, another value)."""

    step: str  # the guide step's id
    skipped: int
    differently: int

    @property
    def total(self) -> int:
        return self.skipped + self.differently


@dataclass(frozen=True, slots=True)
class RunsSummary:
    count: int
    median_s: float
    p90_s: float
    conformance: float  # the average of the runs' conformance, 0..1
    last: datetime
    troubles: tuple[StepTrouble, ...]  # most often first, at most TROUBLE_SHOWN


def summarize(runs: Sequence[Run]) -> RunsSummary | None:
    """The summary of ``runs``; None when there are none."""
    if not runs:
        return None
    durations = [r.duration_s for r in runs]
    return RunsSummary(
        count=len(runs),
        median_s=statistics.median(durations),
        p90_s=percentile(durations, 90),
        conformance=statistics.fmean(r.conformance for r in runs),
        last=max(r.date for r in runs),
        troubles=troubles(runs),
    )


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0..100) by the nearest rank: the smallest value that at least ``p`` % of the
    values do not exceed (of 10 durations, the 90th percentile is the 9th shortest)."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def troubles(runs: Sequence[Run], shown: int = TROUBLE_SHOWN) -> tuple[StepTrouble, ...]:
    """The steps skipped or done differently in the most runs (each run counts once per step and kind)."""
    skipped: Counter[str] = Counter()
    differently: Counter[str] = Counter()
    for run in runs:
        # dict.fromkeys, not a set: once per run, in the run's order (a set's order changes with the process)
        skipped.update(list(dict.fromkeys(d.step for d in run.deviations if d.kind == "skipped")))
        differently.update(list(dict.fromkeys(d.step for d in run.deviations if d.kind in DIFFERENTLY)))
    found = [StepTrouble(s, skipped[s], differently[s]) for s in dict.fromkeys([*skipped, *differently])]
    found.sort(key=lambda t: (-t.total, -t.skipped))
    return tuple(found[:shown])
