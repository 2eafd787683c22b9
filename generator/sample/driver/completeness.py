"""Whether a recording holds what its scenario did, at the capture level: presses with frames, typed text,
window titles; and, while the recorder still writes, whether every input of the scenario is written yet."""

from __future__ import annotations

from collections.abc import Sequence

from capture.keys import MODIFIERS
from capture.models import Event, KeyEvent, MouseButtonEvent, Recording
from generator.sample.driver.errors import DriverError
from generator.sample.scenarios import Scenario
from generator.sample.xsession import RecorderProcess, SessionError, wait_until

COUNTED = ("mouse_press", "mouse_release", "key_press", "scroll")  # event types counted, modifiers aside


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
    return {title for event in recording.events if (title := _title(event))}


def _title(event: Event) -> str | None:
    window = getattr(event, "window", None)
    return window.title if window is not None else None


def expected_counts(scenario: Scenario) -> dict[str, int]:
    """Presses, releases, keys and wheel notches of ``scenario``, and how many distinct titles it shows."""
    return {
        "mouse_press": scenario.presses,
        "mouse_release": scenario.presses,
        "key_press": scenario.key_presses,
        "scroll": scenario.scroll_notches,
        "titles": len(set(scenario.titles)),  # the recorder notes a new title within half a second
    }


def written_counts(events: Sequence[Event], scenario: Scenario) -> dict[str, int]:
    """The same counts in the events written so far (titles: those of the scenario seen)."""
    found = dict.fromkeys(COUNTED, 0)
    for event in events:
        modifier = isinstance(event, KeyEvent) and event.key in MODIFIERS
        if event.type in found and not (event.type == "key_press" and modifier):
            found[event.type] += 1
    found["titles"] = len({_title(e) for e in events} & set(scenario.titles))
    return found


def wait_written(recorder: RecorderProcess, scenario: Scenario, timeout: float = 30.0) -> None:
    """Until each press, release, key, wheel notch and window title of the scenario is written."""
    wanted = expected_counts(scenario)
    last: dict[str, int] = {}

    def done() -> bool:
        last.update(written_counts(recorder.events(), scenario))
        return all(last[k] >= n for k, n in wanted.items())

    try:
        wait_until(done, timeout, "the recorder to write every event")
    except SessionError as exc:
        raise DriverError(f"{exc}: wanted {wanted}, found {last}") from None
