"""The real recorder, in this process as the tray runs it, on a real X server: input on vsop's own windows
(an :class:`Exclusion`) is not recorded; notes and pause through the API; the hotkeys still work."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from capture import RecordingFollower, load_recording
from capture.exclusion import Exclusion
from capture.models import Event, KeyEvent, MouseButtonEvent, NoteEvent, Rect, StateEvent
from capture.recorder import Recorder, RecorderOptions
from generator.sample.xsession import VirtualDisplay, Xdo, wait_until

pytestmark = pytest.mark.gui

OWN = Rect(1500, 0, 300, 200)  # a pretend tray menu at the top right


@pytest.fixture
def recorder(
    display: VirtualDisplay, xdo: Xdo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Recorder]:
    monkeypatch.setenv("DISPLAY", display.name)
    rec = Recorder(RecorderOptions(tmp_path / "rec", "Exclusion", exclusion=Exclusion()))
    rec.start()
    yield rec
    rec.close()
    # pynput's X listeners end at the next input after stop(): give them one, so that none outlives the test
    xdo("mousemove_relative", "1", "0", "key", "shift")
    wait_until(lambda: not listeners(), 10, "pynput's listener threads to end")


def listeners() -> list[threading.Thread]:
    from pynput._util import AbstractListener

    return [t for t in threading.enumerate() if isinstance(t, AbstractListener)]


def written(rec: Recorder) -> tuple[Event, ...]:
    """The events the recorder has written so far (whole lines)."""
    follower = RecordingFollower(rec.options.out)
    follower.poll()
    return follower.events


def test_clicks_on_own_windows_and_keys_they_take_are_not_recorded(recorder: Recorder, xdo: Xdo) -> None:
    ex = recorder.options.exclusion
    assert ex is not None
    ex.show("menu", OWN)
    xdo("mousemove", 1600, 100, "click", "1")  # on the menu
    xdo("mousemove", 300, 300, "click", "3")  # elsewhere
    ex.focus("dialog")
    xdo("type", "--delay", "30", "secret")  # typed into vsop's dialog
    ex.blur("dialog")
    ex.hide("menu")
    wait_until(lambda: not ex.typing(ex.clock()), 5, "the grace time to pass")
    xdo("mousemove", 1600, 100, "mousedown", "1", "mousemove", 1300, 400, "mouseup", "1")  # now a drag
    xdo("type", "--delay", "30", "ok")
    recorder.note("Right-click opens the menu")
    recorder.toggle_pause()
    wait_until(lambda: recorder.paused, 5, "the pause")
    xdo("mousemove", 400, 400, "click", "1")  # paused: not recorded
    recorder.toggle_pause()
    wait_until(lambda: len(written(recorder)) and not recorder.paused, 5, "the resume")
    recorder.close()

    events = load_recording(recorder.options.out).events
    presses = [
        (e.x, e.y, e.button) for e in events if isinstance(e, MouseButtonEvent) and e.type == "mouse_press"
    ]
    assert presses == [(300, 300, "right"), (1600, 100, "left")]
    releases = [(e.x, e.y) for e in events if isinstance(e, MouseButtonEvent) and e.type == "mouse_release"]
    assert releases == [(300, 300), (1300, 400)]
    chars = "".join(e.char or "" for e in events if isinstance(e, KeyEvent) and e.type == "key_press")
    assert chars == "ok"
    assert [e.text for e in events if isinstance(e, NoteEvent)] == ["Right-click opens the menu"]
    assert [e.type for e in events if isinstance(e, StateEvent)] == ["pause", "resume"]


def test_the_stop_hotkey_still_stops_a_recorder_with_an_exclusion(recorder: Recorder, xdo: Xdo) -> None:
    ex = recorder.options.exclusion
    assert ex is not None
    ex.focus("dialog")  # even while vsop's dialog has the keyboard
    xdo("key", "ctrl+alt+s")
    assert recorder.wait(10)
