"""The maturity rules of a stage (docs/valuestream-format.md, "Maturity"), pure: given what the stage
expects, what its SOPs document and what their recent runs say, the level reached and the concrete steps to
the next one.

1 Ad hoc        an expected process has no SOP (a stage without an expected list: it has no SOP)
2 Documented    every expected process has an SOP
3 Standardized  and every SOP is within its review date, with at least ``runs`` recent runs that conform on
                average at least ``conformance`` and whose 90th-percentile duration is at most ``spread``
                times the median
4 Automated     and the stage declares its automation (``automation:``)
5 Optimized     and the stage declares how it is optimized (``optimization:``)
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from generator.guide.model import MaturityRules, Stage
from generator.runs.summary import RunsSummary
from generator.valuestream.processes import Completeness, ProcessDocs

LEVELS = {1: "Ad hoc", 2: "Documented", 3: "Standardized", 4: "Automated", 5: "Optimized"}
StepKind = Literal[
    "record", "record_stage", "review", "runs", "conformance", "spread", "automation", "optimization"
]


@dataclass(frozen=True, slots=True)
class NextStep:
    """One concrete thing to do for the stage to reach its next level (worded by templates/maturity.j2)."""

    kind: StepKind
    subject: str = ""  # the process (record) or the SOP's title
    count: int = 0  # runs still needed (runs)
    value: float = 0.0  # the measured conformance (0..1) or spread (p90 / median)
    target: float = 0.0  # what the rules ask of it (vsop.yml)
    date: str = ""  # the review's due date (review)


@dataclass(frozen=True, slots=True)
class SopEvidence:
    """An SOP of the stage as the rules see it: its review date and its judged recent runs."""

    id: str
    title: str
    due: datetime.date | None
    overdue: bool
    recent: RunsSummary | None  # the latest ``recent`` runs; None without runs

    @property
    def spread(self) -> float | None:
        """The 90th-percentile duration of the recent runs / their median."""
        if self.recent is None:
            return None
        if self.recent.median_s <= 0:
            return 1.0 if self.recent.p90_s <= 0 else float("inf")
        return self.recent.p90_s / self.recent.median_s


@dataclass(frozen=True, slots=True)
class StageMaturity:
    stage: Stage
    level: int
    processes: tuple[ProcessDocs, ...]  # the expected processes with their SOPs; () without a list
    completeness: Completeness
    sops: tuple[SopEvidence, ...]
    next_steps: tuple[NextStep, ...]  # empty at level 5
    rules: MaturityRules

    @property
    def name(self) -> str:
        return LEVELS[self.level]

    @property
    def next_name(self) -> str | None:
        return LEVELS.get(self.level + 1)


def judge(
    stage: Stage,
    processes: Sequence[ProcessDocs],
    completeness: Completeness,
    sops: Sequence[SopEvidence],
    rules: MaturityRules,
) -> tuple[int, tuple[NextStep, ...]]:
    """The level ``stage`` reaches and the steps to the next one."""
    if completeness.documented < completeness.expected:
        missing = [NextStep("record", p.process.name) for p in processes if not p.documented]
        return 1, tuple(missing or [NextStep("record_stage", stage.name)])
    standard = [step for sop in sops for step in sop_steps(sop, rules)]
    if standard:
        return 2, tuple(standard)
    if stage.automation is None:
        return 3, (NextStep("automation"),)
    if stage.optimization is None:
        return 4, (NextStep("optimization"),)
    return 5, ()


def sop_steps(sop: SopEvidence, rules: MaturityRules) -> list[NextStep]:
    """What keeps one SOP from counting as standardized: its review, too few runs, or runs that deviate."""
    steps = []
    if sop.overdue:
        steps.append(NextStep("review", sop.title, date=sop.due.isoformat() if sop.due else ""))
    count = sop.recent.count if sop.recent else 0
    if count < rules.runs:
        return [*steps, NextStep("runs", sop.title, count=rules.runs - count)]
    assert sop.recent is not None
    if sop.recent.conformance < rules.conformance:
        steps.append(
            NextStep("conformance", sop.title, value=sop.recent.conformance, target=rules.conformance)
        )
    spread = sop.spread
    if spread is not None and spread > rules.spread:
        steps.append(NextStep("spread", sop.title, value=spread, target=rules.spread))
    return steps
