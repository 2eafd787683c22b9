"""A run of a guide's process checked against the guide, step by step (``vsop check``): the run's steps are
aligned with the guide's shown steps by the alignment ``vsop update`` uses (:mod:`.align`), then each step is
*followed*, *skipped*, *extra*, *out of order* or done with a *wrong value*, and its time is compared with the
guide's median. Pure: the steps and the earlier runs are given; see docs/runs-format.md for the definitions.

Conformance = steps followed / (the guide's shown steps + extra steps). A step is followed when it was done
in its place with the guide's value (or the value read as the same kind of personal data); skipped,
out-of-order and wrong-value steps count for nothing, each extra step adds one to what the run is measured
against. A slow step still counts as followed: time is reported apart.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from generator.guide.model import Guide, Step
from generator.render.step_text import plain_text, step_text
from generator.rerecord.align import align, same_target
from generator.runs.models import Deviation, Run

Outcome = Literal["followed", "skipped", "extra", "out_of_order", "wrong_value"]
SLOW_RATIO = 2.0  # a step is slow when it took more than this times the guide's median...
SLOW_MARGIN_S = 3.0  # ...and at least this many seconds more (a 1 s step done in 2.5 s is not slow)


@dataclass(frozen=True, slots=True)
class StepCheck:
    """One row of a check, in the order of the run (a skipped step where it should have been done).

    ``number`` is the guide step's number on the guide page, ``position`` the step's place among the
    run's steps (both from 1); ``step`` the guide step's id ("" for an extra step); ``text`` what the step
    is, without any typed value; ``seconds`` its time in the run, ``median_s`` the guide's median for it.
    """

    outcome: Outcome
    number: int | None
    position: int | None
    step: str
    text: str
    seconds: float | None = None
    median_s: float | None = None

    @property
    def slow(self) -> bool:
        if self.seconds is None or self.median_s is None or self.outcome not in ("followed", "wrong_value"):
            return False
        return self.seconds > SLOW_RATIO * self.median_s and self.seconds - self.median_s >= SLOW_MARGIN_S


@dataclass(frozen=True, slots=True)
class RunCheck:
    guide: Guide
    rows: tuple[StepCheck, ...]
    run: Run

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def slow(self) -> tuple[StepCheck, ...]:
        return tuple(r for r in self.rows if r.slow)


def check_steps(
    guide: Guide,
    steps: Sequence[Step],
    duration_s: float,
    earlier: Sequence[Run],
    who: str,
    date: datetime,
) -> RunCheck:
    """Check the run's ``steps`` (a recording's, as the generator names them) against ``guide``; ``earlier``
    runs give the medians of the steps' times along with the guide's own recording."""
    shown = [s for s in guide.steps if s.dropped is None]
    done = [s for s in steps if s.dropped is None]
    numbers = {s.id: n for n, s in enumerate(shown, start=1)}
    medians = step_medians(guide, earlier)
    took = step_times(done)
    outcomes = _outcomes(shown, done)
    rows: list[StepCheck] = []
    for outcome, i, j in outcomes:
        if i is None:
            assert j is not None
            before = next((r.step for r in reversed(rows) if r.outcome != "extra" and r.position), "")
            rows.append(StepCheck("extra", None, j + 1, before, describe(done[j]), took[j]))
            continue
        step = shown[i]
        seconds = took[j] if j is not None else None
        median = medians.get(step.id) if outcome in ("followed", "wrong_value") else None
        rows.append(StepCheck(outcome, numbers[step.id], _pos(j), step.id, describe(step), seconds, median))
    followed = sum(1 for r in rows if r.outcome == "followed")
    extra = sum(1 for r in rows if r.outcome == "extra")
    conformance = followed / (len(shown) + extra) if shown or extra else 1.0
    run = Run(
        guide_id=guide.id,
        date=date,
        who=who,
        duration_s=duration_s,
        conformance=conformance,
        deviations=tuple(_deviations(rows)),
        guide_version=guide.version,
        steps=len(shown),
        times=tuple(
            (r.step, r.seconds)
            for r in rows
            if r.outcome in ("followed", "wrong_value") and r.seconds is not None
        ),
    )
    return RunCheck(guide, tuple(rows), run)


def _pos(j: int | None) -> int | None:
    return None if j is None else j + 1


def _outcomes(shown: Sequence[Step], done: Sequence[Step]) -> list[tuple[Outcome, int | None, int | None]]:
    """(outcome, guide index, run index) in the run's order. The alignment keeps order, so a step done
    elsewhere is left unmatched on both sides: such a pair that is one step is *out of order*."""
    rows: list[tuple[Outcome, int | None, int | None]] = []
    for pair in align(shown, done).pairs:
        i, j = pair.old, pair.new
        if i is not None and j is not None and _other_target(shown[i], done[j]):
            rows += [("skipped", i, None), ("extra", None, j)]
        elif i is not None and j is not None:
            rows.append(("wrong_value" if "value" in pair.changed else "followed", i, j))
        else:
            rows.append(("skipped", i, None) if i is not None else ("extra", None, j))
    return _moved(rows, shown, done)


def _other_target(a: Step, b: Step) -> bool:
    """Aligned as one step with a renamed target: in a check (the same app), another element was used."""
    return a.target is not None and b.target is not None and not same_target(a, b)


def _moved(
    rows: list[tuple[Outcome, int | None, int | None]], shown: Sequence[Step], done: Sequence[Step]
) -> list[tuple[Outcome, int | None, int | None]]:
    """A skipped guide step and an extra run step that are the same step become one out-of-order row, where
    the run did it."""
    moved: set[int] = set()
    for k, (outcome, i, _) in enumerate(rows):
        if outcome != "skipped" or i is None:
            continue
        for m, (other, _, j) in enumerate(rows):
            if other == "extra" and j is not None and _same_step(shown[i], done[j]):
                rows[m] = ("out_of_order", i, j)
                moved.add(k)
                break
    return [row for k, row in enumerate(rows) if k not in moved]


def _same_step(a: Step, b: Step) -> bool:
    valued = a.action in ("key", "hotkey", "scroll")
    return a.action == b.action and same_target(a, b) and (not valued or a.value == b.value)


def describe(step: Step) -> str:
    """What a step is, in plain text and without a typed value ("Type the text in Company name")."""
    quiet = dataclasses.replace(step, value=None) if step.action == "type" else step
    return plain_text(step_text(quiet)).removesuffix(".")


def step_times(steps: Sequence[Step]) -> list[float]:
    """The time each step took: from the previous step (or the start of the recording) to its start, the
    time to find and begin it, in the order the steps were recorded."""
    times: list[float] = []
    previous = 0.0
    for step in steps:
        times.append(max(0.0, step.at - previous))
        previous = max(previous, step.at)
    return times


def step_medians(guide: Guide, earlier: Sequence[Run]) -> dict[str, float]:
    """The median time of each shown step of the guide: over its time in the guide's own recording and in
    the earlier runs that did it."""
    shown = sorted((s for s in guide.steps if s.dropped is None), key=lambda s: s.at)
    seen: dict[str, list[float]] = {}
    if guide.recorded:
        for step, seconds in zip(shown, step_times(shown), strict=True):
            seen.setdefault(step.id, []).append(seconds)
    for run in earlier:
        for step_id, seconds in run.times:
            seen.setdefault(step_id, []).append(seconds)
    return {step_id: statistics.median(values) for step_id, values in seen.items()}


def _deviations(rows: Sequence[StepCheck]) -> list[Deviation]:
    found: list[Deviation] = []
    for row in rows:
        if row.outcome != "followed":
            seconds = row.seconds if row.outcome == "extra" else None
            found.append(Deviation(row.outcome, row.step, row.text, seconds))
        if row.slow:
            found.append(Deviation("slow", row.step, row.text, row.seconds, row.median_s))
    return found
