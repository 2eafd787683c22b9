"""Whether a recording holds what its scenario did, at the capture level: presses with frames, typed text,
window titles."""

from __future__ import annotations

from capture.models import KeyEvent, MouseButtonEvent, Recording
from generator.sample.scenarios import Scenario


def problems(recording: Recording, scenario: Scenario) -> list[str]:
    """What the recording of ``scenario`` lacks (empty when it is complete)."""
    found = [f"loader: {p}" for p in recording.problems]
    if not recording.complete:
        found.append("meta.json: no end time (the recorder did not finish)")
    pressed = presses(recording)
    if len(pressed) != scenario.presses:
        found.append(f"{len(pressed)} mouse presses, expected {scenario.presses}")
    found += [f"press at {p.t:.2f} s has no frame" for p in pressed if p.frame is None]
    text = typed(recording)
    found += [f"typed text {t!r} not in the key events" for t in scenario.typed if t not in text]
    titles = window_titles(recording)
    found += [
        f"window title {title!r} never seen (saw {sorted(titles)})"
        for title in scenario.titles
        if title not in titles
    ]
    return found


def presses(recording: Recording) -> list[MouseButtonEvent]:
    return [e for e in recording.events if isinstance(e, MouseButtonEvent) and e.type == "mouse_press"]


def typed(recording: Recording) -> str:
    """The characters of the key presses, in order."""
    return "".join(
        e.char or "" for e in recording.events if isinstance(e, KeyEvent) and e.type == "key_press"
    )


def window_titles(recording: Recording) -> set[str]:
    titles = set()
    for event in recording.events:
        window = getattr(event, "window", None)
        if window is not None and window.title:
            titles.add(window.title)
    return titles
