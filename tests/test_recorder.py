"""The recorder against a real X server: Xvfb + openbox, real applications, real input from xdotool."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import mss
import pytest
from PIL import Image

from capture import load_recording
from capture.format import FORMAT_VERSION
from capture.models import CaptureEvent, Event, KeyEvent, MouseButtonEvent, WindowEvent, WindowInfo
from generator.pipeline.segment import segment
from generator.sample.xsession import App, RecorderProcess, SessionError, VirtualDisplay, Xdo, wait_until

pytestmark = pytest.mark.gui

Start = Callable[..., RecorderProcess]


def text_area(app: App) -> tuple[int, int]:
    """A point well inside the editor's text."""
    x, y, w, h = app.geometry
    return x + w // 3, y + h // 2


def test_prints_folder_when_live_and_stops_on_sigterm(recorder: Start, xdo: Xdo, mousepad: App) -> None:
    rec = recorder("--title", "Edit notes", "--stage", "production")
    assert rec.first_line == str(rec.out)
    x, y = text_area(mousepad)
    xdo("mousemove", x, y, "click", "1")
    rec.wait_for(1, "mouse_release")
    code, err = rec.signal(signal.SIGTERM)
    assert code == 0, err
    meta = json.loads((rec.out / "meta.json").read_text())
    assert meta["title"] == "Edit notes" and meta["stage"] == "production"
    assert meta["format"] == FORMAT_VERSION == 2 and meta["ended"] is not None
    assert meta["monitors"] == [{"index": 1, "rect": [0, 0, 1920, 1080], "scale": 1.0}]


def test_clicks_double_right_drag_and_scroll(recorder: Start, xdo: Xdo, mousepad: App) -> None:
    rec = recorder()
    x, y = text_area(mousepad)
    xdo("mousemove", x, y, "click", "1")
    # 200 ms apart (a double click to GTK, which allows 400): the recorder stamps presses as it receives
    # them, and on a busy machine the first can wait a moment longer than the second
    xdo("mousemove", x + 40, y, "click", "--repeat", "2", "--delay", "200", "1")
    xdo("mousemove", x, y + 40, "click", "3")
    rec.wait_for(4, "mouse_press")
    xdo("key", "Escape")  # close the context menu
    xdo(
        "mousemove",
        x - 100,
        y - 60,
        "mousedown",
        "1",
        "mousemove",
        x - 20,
        y - 40,
        "mousemove",
        x + 60,
        y - 20,
    )
    xdo("mouseup", "1")
    xdo("mousemove", x, y, "click", "5", "click", "5", "click", "5", "click", "4")
    rec.wait_for(4, "scroll")
    assert rec.signal()[0] == 0

    recording = load_recording(rec.out)
    assert recording.problems == ()
    presses = [e for e in recording.events if e.type == "mouse_press"]
    releases = [e for e in recording.events if e.type == "mouse_release"]
    assert [(p.x, p.y, p.button) for p in presses] == [
        (x, y, "left"),
        (x + 40, y, "left"),
        (x + 40, y, "left"),
        (x, y + 40, "right"),
        (x - 100, y - 60, "left"),
    ]
    assert len(releases) == 5 and (releases[-1].x, releases[-1].y) == (x + 60, y - 20)
    double = presses[2].t - presses[1].t
    assert 0.05 < double < 0.5
    drag_path = [(e.x, e.y) for e in recording.events if e.type == "move"]
    assert drag_path and drag_path[-1] == (x + 60, y - 20)
    assert all(p.frame is not None for p in presses)
    assert [(s.dx, s.dy) for s in recording.events if s.type == "scroll"] == [(0, -1)] * 3 + [(0, 1)]
    window = presses[0].window
    assert window is not None and window.app == "Mousepad" and "notes.txt" in (window.title or "")
    assert window.rect is not None and window.rect.contains(x, y)


def test_typing_with_shift_backspace_and_ctrl_hotkey(recorder: Start, xdo: Xdo, mousepad: App) -> None:
    rec = recorder()
    x, y = text_area(mousepad)
    xdo("mousemove", x, y, "click", "1")
    xdo("type", "--delay", "20", "Hi Bob!")
    xdo("key", "BackSpace", "ctrl+z")
    keys = wait_for_key(rec, "z")
    assert rec.signal()[0] == 0

    typed = [(k.key, k.char, k.mods) for k in keys if k.type == "key_press"]
    chars = [(c, m) for _, c, m in typed if c]
    assert chars == [
        ("H", ("shift",)),
        ("i", ()),
        (" ", ()),
        ("B", ("shift",)),
        ("o", ()),
        ("b", ()),
        ("!", ("shift",)),
        ("z", ("ctrl",)),
    ]
    assert ("backspace", None, ()) in typed
    presses = [k for k in keys if k.type == "key_press"]
    assert all(k.window is not None and k.window.app == "Mousepad" for k in presses)


def key_events(rec: RecorderProcess, *types: str) -> list[KeyEvent]:
    return [k for k in rec.of_type(*types) if isinstance(k, KeyEvent)]


def wait_for_key(rec: RecorderProcess, char: str) -> list[KeyEvent]:
    return wait_until(
        lambda: (
            (keys := key_events(rec, "key_press", "key_release"))
            and any(k.char == char for k in keys)
            and keys
        ),
        timeout=15,
        what=f"key {char!r}",
    )


def frame_file(event: object) -> str:
    assert isinstance(event, MouseButtonEvent | CaptureEvent) and event.frame is not None
    return event.frame.file


def test_identical_frames_are_stored_once(recorder: Start, xdo: Xdo) -> None:
    rec = recorder()
    xdo("mousemove", 50, 1000, "click", "1")
    rec.wait_for(1, "mouse_release")
    xdo("mousemove", 60, 1000, "click", "1")
    presses = rec.wait_for(2, "mouse_press")
    rec.wait_for(2, "mouse_release")
    assert rec.signal()[0] == 0
    assert frame_file(presses[0]) == frame_file(presses[1])
    assert sorted(p.name for p in (rec.out / "frames").iterdir()) == [frame_file(presses[0])]


@pytest.mark.parametrize(
    ("args", "pillow"),
    [((), "WEBP"), (("--frame-format", "webp"), "WEBP"), (("--frame-format", "png"), "PNG")],
)
def test_frames_hold_every_pixel_of_the_screen(
    recorder: Start, xdo: Xdo, display: VirtualDisplay, args: tuple[str, ...], pillow: str
) -> None:
    note = App(
        display,
        ["xmessage", "-geometry", "+400+300", "-name", "vsop-still", TEXT],
        ["--classname", "vsop-still"],
    )
    try:
        x, y, w, h = note.geometry
        expected = still_screen(display)
        rec = recorder(*args)
        xdo("mousemove", x + w // 2, y + h // 4, "click", "1")  # on the note's text: nothing changes
        (press,) = rec.wait_for(1, "mouse_press")
        rec.wait_for(1, "mouse_release")
        assert rec.signal()[0] == 0
    finally:
        note.close()

    recording = load_recording(rec.out)
    assert recording.meta.format == FORMAT_VERSION and recording.problems == ()
    assert frame_file(press).endswith("." + pillow.lower())
    assert isinstance(press, MouseButtonEvent) and press.frame is not None
    with Image.open(recording.frame_path(press.frame)) as frame:
        assert frame.format == pillow
        assert frame.convert("RGB").tobytes() == expected, "the frame is lossless"
    assert len(set(expected[i : i + 3] for i in range(0, len(expected), 3))) > 2, (
        "the screen showed a window with text, not a flat desktop"
    )


def still_screen(display: VirtualDisplay) -> bytes:
    """The RGB pixels of the whole screen once two grabs in a row are the same (the window is drawn)."""
    with mss.MSS(display=display.name) as screen:
        shots = [screen.grab(screen.monitors[1]).rgb]

        def settled() -> bytes | None:
            shots.append(screen.grab(screen.monitors[1]).rgb)
            return shots[-1] if shots[-1] == shots[-2] else None

        return wait_until(settled, 10, "the screen to stay the same")


TEXT = "Invoice 2024-0117: 1,250.00 EUR to Acme Corp, due 30 days net. Approved by M. Jensen."


def test_pause_resume_records_nothing_while_paused(recorder: Start, xdo: Xdo, mousepad: App) -> None:
    rec = recorder()
    x, y = text_area(mousepad)
    xdo("key", "ctrl+alt+p")
    rec.wait_for(1, "pause")
    xdo("mousemove", x, y, "click", "1")
    xdo("type", "private")
    xdo("key", "ctrl+alt+p")
    rec.wait_for(1, "resume")
    xdo("mousemove", x, y + 20, "click", "1")
    rec.wait_for(1, "mouse_release")
    assert rec.signal()[0] == 0

    events = rec.events()
    pause = next(i for i, e in enumerate(events) if e.type == "pause")
    resume = next(i for i, e in enumerate(events) if e.type == "resume")
    assert events[pause + 1 : resume] == ()
    chars = [e.char for e in events if isinstance(e, KeyEvent)]
    assert not any(c in list("private") for c in chars)
    presses = [e for e in events if isinstance(e, MouseButtonEvent) and e.type == "mouse_press"]
    assert [(p.x, p.y) for p in presses] == [(x, y + 20)]
    assert len(list((rec.out / "frames").iterdir())) == 1
    assert "p" not in chars, "the hotkey itself is not recorded"


def test_stop_hotkey_finalizes_and_exits_zero(recorder: Start, xdo: Xdo) -> None:
    rec = recorder()
    xdo("mousemove", 100, 100, "click", "1")
    rec.wait_for(1, "mouse_release")
    xdo("key", "ctrl+alt+s")
    code, err = rec.finish()
    assert code == 0, err
    recording = load_recording(rec.out)
    assert recording.complete
    assert not any(getattr(e, "char", None) == "s" for e in recording.events)


def test_sigint_finalizes(recorder: Start, xdo: Xdo) -> None:
    rec = recorder()
    xdo("mousemove", 100, 100, "click", "1")
    rec.wait_for(1, "mouse_release")
    assert rec.signal(signal.SIGINT)[0] == 0
    assert load_recording(rec.out).complete


def test_sigkill_leaves_a_readable_recording(recorder: Start, xdo: Xdo, mousepad: App) -> None:
    rec = recorder()
    x, y = text_area(mousepad)
    for i in range(5):
        xdo("mousemove", x + 10 * i, y, "click", "1")
    rec.wait_for(5, "mouse_release")
    xdo("type", "abc")
    rec.wait_for(3, "key_release")
    rec.kill()

    recording = load_recording(rec.out)
    assert not recording.complete
    assert len([e for e in recording.events if e.type == "mouse_press"]) == 5
    assert [e.char for e in recording.events if e.type == "key_press"] == ["a", "b", "c"]
    for event in recording.events:
        if event.type == "mouse_press" and event.frame is not None:
            with Image.open(recording.frame_path(event.frame)) as image:
                assert image.size == (1920, 1080)


def test_capture_hotkey_records_a_screenshot_step(recorder: Start, xdo: Xdo, mousepad: App) -> None:
    rec = recorder()
    x, y = text_area(mousepad)
    xdo("mousemove", x, y)
    xdo("key", "ctrl+alt+c")
    (capture,) = rec.wait_for(1, "capture")
    assert rec.signal()[0] == 0
    assert isinstance(capture, CaptureEvent) and (capture.x, capture.y) == (x, y)
    assert (rec.out / "frames" / frame_file(capture)).is_file()
    assert capture.window is not None and capture.window.app == "Mousepad"
    assert "c" not in [e.char for e in key_events(rec, "key_press", "key_release")]


def test_no_text_records_key_names_but_never_characters(recorder: Start, xdo: Xdo, mousepad: App) -> None:
    rec = recorder("--no-text")
    x, y = text_area(mousepad)
    xdo("mousemove", x, y, "click", "1")
    xdo("type", "Hunter 2")
    xdo("key", "Return", "ctrl+z")
    wait_for_key(rec, "z")
    assert rec.signal()[0] == 0
    raw = (rec.out / "events.jsonl").read_text()
    for secret in ("Hunter", '"H"', '"u"', '"n"', '"2"', '" "'):
        assert secret not in raw
    presses = key_events(rec, "key_press")
    assert sum(p.masked for p in presses) == 1  # the typing run, not its length: no count of the secret
    told = [(e.key, e.mods) for e in key_events(rec, "key_press", "key_release") if e.masked or e.key]
    assert not [k for k, mods in told if k in ("shift", "shift_l", "shift_r", "space") or mods == ("shift",)]
    assert ("enter", None) in [(p.key, p.char) for p in presses]
    assert json.loads((rec.out / "meta.json").read_text())["no_text"] is True


def test_second_recorder_on_the_same_folder_is_refused(
    display: VirtualDisplay, recorder: Start, xdo: Xdo
) -> None:
    first = recorder()
    xdo("mousemove", 100, 100, "click", "1")
    first.wait_for(1, "mouse_release")
    second = subprocess.run(
        [sys.executable, "-m", "generator.cli", "record", "--out", str(first.out)],
        env=display.env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert second.returncode == 3 and second.stdout == ""
    assert "another recorder" in second.stderr and str(first.out) in second.stderr
    xdo("mousemove", 120, 100, "click", "1")
    first.wait_for(2, "mouse_release")
    assert first.signal()[0] == 0
    recording = load_recording(first.out)
    assert recording.problems == () and recording.complete
    assert len([e for e in recording.events if e.type == "mouse_press"]) == 2


def test_existing_recording_is_never_overwritten(recorder: Start, xdo: Xdo, tmp_path: Path) -> None:
    first = recorder()
    xdo("mousemove", 100, 100, "click", "1")
    first.wait_for(1, "mouse_release")
    assert first.signal()[0] == 0
    before = (first.out / "events.jsonl").read_bytes()
    with pytest.raises(SessionError, match="already holds a recording"):
        recorder(out=first.out)
    assert (first.out / "events.jsonl").read_bytes() == before


# Letters and Caps Lock presses at xdotool's full speed (no delay), the lock on at the start: the recorder
# handles most letters after X has toggled the lock for the presses that follow them
CAPS_BURST = (
    *("key", "--delay", 0, "a", "Caps_Lock", "b"),  # A; off: b
    *("keydown", "Caps_Lock", "key", "--delay", 0, "c", "keyup", "Caps_Lock", "key", "--delay", 0, "d"),  # on
    *("keydown", "Caps_Lock", "key", "--delay", 0, "e", "keyup", "Caps_Lock"),  # on until this release: E
    *("key", "--delay", 0, "f", "shift+g", "Caps_Lock", "shift+h", "i", "Caps_Lock", "j"),
)
CAPS_TYPED = "AbCDEfGhIj"


def caps_lock_on(display: VirtualDisplay) -> bool:
    from Xlib import display as xdisplay

    conn = xdisplay.Display(display.name)
    try:
        return bool(conn.get_keyboard_control().led_mask & 1)
    finally:
        conn.close()


def test_caps_lock_gives_each_letter_the_case_of_the_presses_before_it(
    display: VirtualDisplay, recorder: Start, xdo: Xdo, mousepad: App, tmp_path: Path
) -> None:
    xdo("key", "Caps_Lock")  # on before the recording starts
    try:
        rec = recorder()
        x, y = text_area(mousepad)
        xdo("mousemove", x, y, "click", "1")
        xdo(*CAPS_BURST)
        keys = wait_for_key(rec, "j")
        xdo("key", "ctrl+s")
        notes = tmp_path / "notes.txt"
        wait_until(lambda: CAPS_TYPED in notes.read_text(), 15, f"mousepad to save {CAPS_TYPED!r}")
        assert rec.signal()[0] == 0
    finally:
        if caps_lock_on(display):
            xdo("key", "Caps_Lock")  # the display is shared with the next tests
    chars = [k.char for k in keys if k.type == "key_press" and k.char]
    assert "".join(chars) == CAPS_TYPED, "the characters mousepad received (and saved)"
    values = [d.value for d in segment(load_recording(rec.out)) if d.action == "type"]
    assert values == [CAPS_TYPED]


APPS = Path(__file__).parent / "apps"
SUBJECT = "Quarterly report"  # typed into tests/apps/retitle.html, whose title follows the field's value


def typed(rec: RecorderProcess) -> str:
    return "".join(k.char or "" for k in key_events(rec, "key_press"))


def without_window_ids(event: Event) -> Event:
    """``event`` as a recorder that knew windows only by their title would have written it."""
    window = getattr(event, "window", None)
    return replace(event, window=replace(window, id=None)) if isinstance(window, WindowInfo) else event  # type: ignore[arg-type]


@pytest.mark.browser
def test_a_window_whose_title_changes_while_typing_stays_one_window(
    recorder: Start, xdo: Xdo, chromium_page: Callable[[Path, str], App]
) -> None:
    page = chromium_page(APPS / "retitle.html", "vsop retitle test")
    x, y, _, _ = page.geometry
    rec = recorder()
    xdo("mousemove", x + 300, y + 40, "click", "1")
    xdo("type", "--delay", 80, SUBJECT)  # a person's pace: the title changes between two keys
    wait_until(lambda: xdo.active_title().startswith(f"({len(SUBJECT)}) "), 15, "the page's last title")
    wait_until(lambda: typed(rec) == SUBJECT, 15, f"the keys of {SUBJECT!r}")
    assert rec.signal()[0] == 0

    recording = load_recording(rec.out)
    assert recording.problems == ()
    (press,) = [e for e in recording.events if isinstance(e, MouseButtonEvent) and e.type == "mouse_press"]
    assert press.window is not None and press.window.id is not None
    window_id = press.window.id
    keys = [e for e in recording.events if isinstance(e, KeyEvent) and e.type == "key_press" and e.char]
    assert "".join(k.char or "" for k in keys) == SUBJECT
    assert all(k.window is not None and k.window.id == window_id for k in keys)
    titles = {e.window.title for e in recording.events if isinstance(e, WindowEvent) and e.window is not None}
    assert len(titles) >= 2, f"the title changed while the person typed: {titles}"
    assert all(k.frame is None and k.element is None for k in keys[1:]), "one typing run to the recorder"
    assert [(d.action, d.value) for d in segment(recording) if d.dropped is None] == [("type", SUBJECT)]
    by_title = replace(recording, events=tuple(without_window_ids(e) for e in recording.events))
    assert len([d for d in segment(by_title) if d.action == "type"]) > 1, "split by the title rule alone"
