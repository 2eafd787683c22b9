"""The typed records of a run: one performance of a guide's process, checked against the guide (see
docs/runs-format.md). A run record holds no screenshot and no typed value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

DeviationKind = Literal["skipped", "extra", "out_of_order", "wrong_value", "slow"]
DEVIATION_KINDS: tuple[DeviationKind, ...] = ("skipped", "extra", "out_of_order", "wrong_value", "slow")


@dataclass(frozen=True, slots=True)
class Deviation:
    """How a run differed from the guide at one step.

    ``step`` is the id of the guide's step; for an ``extra`` step (which the guide does not have) it is the
    id of the guide step done just before it, or "" when it came first. ``text`` says what the step is: the
    guide's text of the step, or for an ``extra`` one what was done ("Click Help"), never a typed value.
    ``seconds`` and ``expected_s`` are the time the step took in the run and the guide's median (``slow``).
    """

    kind: DeviationKind
    step: str
    text: str = ""
    seconds: float | None = None
    expected_s: float | None = None


@dataclass(frozen=True, slots=True)
class Run:
    """One run of a guide: when, by whom, how long, how closely it followed the guide (0..1, see
    docs/runs-format.md for the definition of conformance) and how it deviated.

    ``guide_version`` is the version checked against; ``steps`` the number of the guide's shown steps;
    ``times`` the seconds each guide step took in the run, by step id (the steps the run did)."""

    guide_id: str
    date: datetime
    who: str
    duration_s: float
    conformance: float
    deviations: tuple[Deviation, ...] = ()
    guide_version: str | None = None
    steps: int = 0
    times: tuple[tuple[str, float], ...] = ()

    def count(self, kind: DeviationKind) -> int:
        return sum(1 for d in self.deviations if d.kind == kind)
