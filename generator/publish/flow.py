"""The value stream's declared times read as a flow: per stage its work (``process_time``) and the wait
before it, whether that wait is a hand-off between owners; per stream and overall the lead time, the
process cycle efficiency and the cross-functional hand-off time. A figure that needs an undeclared time is
None, and the stages missing it are named, so that a page says what to declare instead of showing 0 %."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.guide.model import Stage, ValueStream


@dataclass(frozen=True, slots=True)
class StageFlow:
    """One stage in its stream: its declared times and the hand-off before it."""

    stage: Stage
    previous: Stage | None  # where the work comes from (for a stream's first stage: the stream before's last)

    @property
    def handoff(self) -> bool | None:
        """The wait before the stage is a hand-off: both owners known and different; None when either
        owner is not declared."""
        if self.previous is None:
            return False
        mine, theirs = self.stage.owner, self.previous.owner
        if not mine or not theirs:
            return None
        return mine.strip().casefold() != theirs.strip().casefold()

    @property
    def lead_s(self) -> float | None:
        if self.stage.process_time is None or self.stage.wait_time is None:
            return None
        return self.stage.process_time + self.stage.wait_time

    @property
    def efficiency(self) -> float | None:
        """Process cycle efficiency of the stage: its work / (wait + work); None when a time is missing."""
        lead = self.lead_s
        return self.stage.process_time / lead if lead and self.stage.process_time is not None else None


@dataclass(frozen=True, slots=True)
class FlowTotals:
    """A stream's (or the whole value stream's) declared figures, summed over its stages."""

    name: str
    process_s: float  # the declared work times, summed
    wait_s: float  # the declared waits, summed
    handoff_s: float | None  # the waits before stages whose owner differs from the previous stage's; None
    # while an owner or the wait of a hand-off is not declared
    handoffs: int
    no_process: tuple[str, ...]  # names of the stages that declare no process_time
    no_wait: tuple[str, ...]  # ... no wait_time
    no_owner: tuple[str, ...]  # the stages without an owner that leave a hand-off unknown

    @property
    def lead_s(self) -> float | None:
        """Lead time: all work and all waits; None until every stage declares both."""
        return None if self.no_process or self.no_wait else self.process_s + self.wait_s

    @property
    def efficiency(self) -> float | None:
        """Process cycle efficiency: work / lead time; None when the lead time is unknown or zero."""
        lead = self.lead_s
        return self.process_s / lead if lead else None


def stage_flows(vs: ValueStream) -> tuple[StageFlow, ...]:
    """Every stage in flow order with the stage before it across the streams."""
    stages = vs.stages
    return tuple(StageFlow(s, stages[i - 1] if i else None) for i, s in enumerate(stages))


def totals(name: str, flows: Sequence[StageFlow]) -> FlowTotals:
    handoffs = [f for f in flows if f.handoff]
    known = all(f.handoff is not None for f in flows) and all(f.stage.wait_time is not None for f in handoffs)
    return FlowTotals(
        name=name,
        process_s=sum(f.stage.process_time or 0.0 for f in flows),
        wait_s=sum(f.stage.wait_time or 0.0 for f in flows),
        handoff_s=sum(f.stage.wait_time or 0.0 for f in handoffs) if known else None,
        handoffs=len(handoffs),
        no_process=tuple(f.stage.name for f in flows if f.stage.process_time is None),
        no_wait=tuple(f.stage.name for f in flows if f.stage.wait_time is None),
        no_owner=tuple(
            dict.fromkeys(
                s.name for f in flows if f.handoff is None for s in (f.previous, f.stage) if s and not s.owner
            )
        ),
    )


def stream_totals(vs: ValueStream, flows: Sequence[StageFlow]) -> tuple[FlowTotals, ...]:
    return tuple(totals(s.name, [f for f in flows if f.stage.stream == s.id]) for s in vs.streams)
