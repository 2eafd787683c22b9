"""The tray's states and what each allows: pure logic, no Qt.

idle -start-> recording -pause-> paused -resume-> recording; recording or paused -stop-> generating
(the guide is made in the background) -done-> idle; idle -build-> generating (the site) -done-> idle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

State = Literal["idle", "recording", "paused", "generating"]
Action = Literal["start", "pause", "resume", "stop", "build", "done"]

TRANSITIONS: dict[tuple[State, Action], State] = {
    ("idle", "start"): "recording",
    ("idle", "build"): "generating",
    ("recording", "pause"): "paused",
    ("paused", "resume"): "recording",
    ("recording", "stop"): "generating",
    ("paused", "stop"): "generating",
    ("generating", "done"): "idle",
}


def after(state: State, action: Action) -> State:
    """The state ``action`` leads to; an action the state does not allow is a bug of the caller."""
    found = TRANSITIONS.get((state, action))
    if found is None:
        raise ValueError(f"{action!r} is not possible while {state}")
    return found


@dataclass(frozen=True, slots=True)
class Menu:
    """Which menu entries are enabled, and what the pause entry says."""

    start: bool
    pause: bool
    pause_label: str
    stop: bool
    note: bool
    site: bool
    review: bool = False
    folder: bool = True
    quit: bool = True


def menu(state: State, guide_made: bool = False) -> Menu:
    """The entries ``state`` allows; Review guide once a guide was made from the tray."""
    recording = state in ("recording", "paused")
    return Menu(
        start=state == "idle",
        pause=recording,
        pause_label="Resume" if state == "paused" else "Pause",
        stop=recording,
        note=recording,
        site=state == "idle",
        review=state == "idle" and guide_made,
    )


@dataclass(frozen=True, slots=True)
class Status:
    """What the tooltip shows."""

    state: State
    elapsed: float = 0.0  # seconds recorded, pauses left out
    steps: int = 0
    progress: str | None = None  # of the background work: "Reading screens 3/10"
    title: str | None = None  # of the guide being recorded or made


def clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def tooltip(status: Status) -> str:
    steps = f"{status.steps} step{'' if status.steps == 1 else 's'}"
    what = f" {status.title!r}" if status.title else ""
    if status.state == "recording":
        return f"vsop: recording{what}, {clock(status.elapsed)}, {steps}"
    if status.state == "paused":
        return f"vsop: paused{what} at {clock(status.elapsed)}, {steps}"
    if status.state == "generating":
        return f"vsop: working{what}: {status.progress or 'starting'}"
    return "vsop: ready to record (right-click for the menu)"


class Stopwatch:
    """Time spent recording: runs while recording, stands still while paused."""

    def __init__(self) -> None:
        self._total = 0.0
        self._since: float | None = None

    def run(self, now: float) -> None:
        if self._since is None:
            self._since = now

    def hold(self, now: float) -> None:
        if self._since is not None:
            self._total += now - self._since
            self._since = None

    def elapsed(self, now: float) -> float:
        return self._total + (now - self._since if self._since is not None else 0.0)
