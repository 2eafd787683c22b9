"""The recorder asks the accessibility tree, for real: Xvfb + openbox with a session D-Bus and the
accessibility bus (``VirtualDisplay``), the real ``vsop record``, real applications (Chromium, GTK's
mousepad), xdotool.
Keyboard-only steps get their frames; an application that exposes nothing is named once; a hung application
or a missing accessibility bus never stops the recording."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from capture import load_recording
from capture.accessibility import AccessibilityBackend, open_accessibility
from capture.models import Element, KeyEvent, MouseButtonEvent
from generator.sample.xsession import App, RecorderProcess, VirtualDisplay, Xdo, at_home, wait_until

pytestmark = pytest.mark.gui

Start = Callable[..., RecorderProcess]
APPS = Path(__file__).parent / "apps"
FORM = (100, 100)  # where chromium_page puts the page's top left corner
# centres of the form's controls, in page pixels (tests/apps/form.html)
CUSTOMER, ADD, PIN, SUBMIT = (350, 56), (536, 56), (350, 116), (280, 176)


def on_page(point: tuple[int, int]) -> tuple[int, int]:
    return FORM[0] + point[0], FORM[1] + point[1]


@pytest.fixture(autouse=True)
def _limit_for_a_busy_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The recorders started here give a query 2 s, not 0.25: checked here is which element each input gets;
    on a machine busy with other tests an application can take longer than 0.25 s to answer, and a query
    past its limit leaves the step to OCR. The limit itself is checked in tests/test_elements.py, and a hung
    application still times out here."""
    monkeypatch.setenv("VSOP_ACCESSIBILITY_TIMEOUT", "2")


@pytest.fixture
def backend(display: VirtualDisplay, monkeypatch: pytest.MonkeyPatch) -> Iterator[AccessibilityBackend]:
    """The display's accessibility backend, in this process: to wait until an application's tree is up."""
    monkeypatch.setenv("DISPLAY", display.name)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", display.env["DBUS_SESSION_BUS_ADDRESS"])
    monkeypatch.delenv("AT_SPI_BUS_ADDRESS", raising=False)
    opened = open_accessibility("atspi")
    yield opened
    opened.close()


def name_at(backend: AccessibilityBackend, point: tuple[int, int]) -> str | None:
    element = backend.element_at(*point, pid=None, timeout=1.0)
    return element.name if element is not None else None


def wait_for_tree(backend: AccessibilityBackend, app: App) -> None:
    """Until ``app`` (mousepad) is in the accessibility tree with its text focused: its bridge registers
    after its window shows, later on a busy machine, and a tree that is not up yet names nothing."""

    def up() -> bool:
        element = backend.focused(pid=app.proc.pid, timeout=1.0)
        return element is not None and "editable" in element.states

    wait_until(up, 30, "mousepad's accessibility tree")


def presses(rec: RecorderProcess) -> list[MouseButtonEvent]:
    return [e for e in rec.events() if isinstance(e, MouseButtonEvent) and e.type == "mouse_press"]


def key_presses(rec: RecorderProcess) -> list[KeyEvent]:
    return [e for e in rec.events() if isinstance(e, KeyEvent) and e.type == "key_press"]


def until_listening(rec: RecorderProcess, xdo: Xdo) -> None:
    """Pause pressed until the recorder has it: pynput marks its X listener ready just before the X server's
    RECORD context is enabled, so a key sent the moment the recorder says it listens can be lost on a busy
    machine (a test's first key, not a person's). Pause types nothing; the test leaves its presses out."""

    def heard() -> bool:
        xdo("key", "Pause")
        return any(k.key == "pause" for k in key_presses(rec))

    wait_until(heard, 15, "the recorder to hear a key")


def meta(rec: RecorderProcess) -> dict[str, object]:
    data: dict[str, object] = json.loads((rec.out / "meta.json").read_text())
    return data


@pytest.mark.browser
def test_presses_and_keys_on_a_web_form_carry_their_elements(
    recorder: Start, xdo: Xdo, chromium_page: Callable[[Path, str], App], backend: AccessibilityBackend
) -> None:
    chromium_page(APPS / "form.html", "vsop form test")
    wait_until(lambda: name_at(backend, on_page(CUSTOMER)) == "Customer", 30, "Chromium's accessibility tree")
    rec = recorder()
    for point in (CUSTOMER, ADD, PIN):
        xdo("mousemove", *on_page(point), "click", "1")
    xdo("type", "--delay", "40", "4711")
    # the first key's question (which element has the focus) is written with it: Tab moves the focus after it
    wait_until(lambda: len(key_presses(rec)) >= 4, 15, "the typed keys")
    xdo("key", "Tab")
    wait_until(lambda: any(k.key == "tab" for k in key_presses(rec)), 15, "the Tab key")
    assert rec.signal()[0] == 0

    customer, add, pin = (p.element for p in presses(rec))
    assert customer is not None and (customer.name, customer.role) == ("Customer", "entry")
    assert customer.value == "ACME Corp" and customer.app is not None
    assert add is not None and (add.name, add.role) == ("Add line", "push button")
    assert pin is not None and (pin.name, pin.role) == ("Approval PIN", "password text")
    assert pin.secret and pin.value is None
    keys = key_presses(rec)
    first = keys[0]
    assert first.char == "4" and first.frame is None, "a click began the typing: its frame shows the field"
    assert first.element is not None and first.element.name == "Approval PIN" and first.element.value is None
    assert all(k.element is None for k in keys[1:4]), "only the first key of a run asks"
    tab = keys[4]
    assert tab.key == "tab" and tab.frame is not None and tab.element is not None
    raw = (rec.out / "events.jsonl").read_text()
    assert '"value":"4711"' not in raw.replace(" ", "")
    summary = meta(rec)["accessibility"]
    assert summary == {"backend": "atspi", "queries": 5, "failed": 0, "timeouts": 0, "silent_apps": []}


def test_keyboard_only_steps_get_frames(
    recorder: Start, xdo: Xdo, mousepad: App, backend: AccessibilityBackend
) -> None:
    wait_for_tree(backend, mousepad)
    rec = recorder()
    until_listening(rec, xdo)
    # no click began it: the first key gets a frame; it marks the text unsaved ("*notes.txt"), and however the
    # title is read mid-change the window stays the same one (by its id): "i" begins no new run
    xdo("type", "--delay", "40", "Hi")
    xdo("key", "Return", "Tab", "ctrl+z")
    wait_until(lambda: any(k.char == "z" for k in key_presses(rec)), 15, "ctrl+z")
    assert rec.signal()[0] == 0

    framed = [(k.key or k.char, k.frame is not None) for k in key_presses(rec) if k.key != "pause"]
    assert framed == [
        ("shift", False),
        ("H", True),
        ("i", False),
        ("enter", True),
        ("tab", True),
        ("ctrl", False),
        ("z", True),
    ]
    recording = load_recording(rec.out)
    assert recording.problems == ()
    for event in recording.events:
        if isinstance(event, KeyEvent) and event.frame is not None:
            assert recording.frame_path(event.frame).is_file()
            assert isinstance(event.element, Element) and "editable" in event.element.states
            assert event.element.app is not None and event.element.app.lower() == "mousepad"


def test_no_accessibility_asks_nothing_but_keys_still_get_frames(
    recorder: Start, xdo: Xdo, mousepad: App
) -> None:
    rec = recorder("--no-accessibility")
    x, y, w, h = mousepad.geometry
    xdo("mousemove", x + w // 3, y + h // 2, "click", "1")
    xdo("key", "Return")
    wait_until(lambda: any(k.key == "enter" for k in key_presses(rec)), 15, "Enter")
    assert rec.signal()[0] == 0
    assert all(p.element is None for p in presses(rec))
    (enter,) = [k for k in key_presses(rec) if k.key == "enter"]
    assert enter.frame is not None and enter.element is None
    assert "accessibility" not in meta(rec)
    assert '"element"' not in (rec.out / "events.jsonl").read_text()


def test_an_app_that_exposes_nothing_is_named_once(
    display: VirtualDisplay, recorder: Start, xdo: Xdo, tmp_path: Path
) -> None:
    text = tmp_path / "silent.txt"
    text.write_text("nothing to see\n" * 20)
    env = {**at_home(display.env, tmp_path / "home"), "NO_AT_BRIDGE": "1"}  # GTK without its bridge
    app = App(display, ["mousepad", "--disable-server", str(text)], ["--class", "mousepad"], env=env)
    try:
        rec = recorder()
        x, y, w, h = app.geometry
        for i in range(3):
            xdo("mousemove", x + w // 3 + 20 * i, y + h // 2, "click", "1")
        rec.wait_for(3, "mouse_release")
        code, err = rec.signal()
    finally:
        app.close()
    assert code == 0, err
    assert err.count("exposes no accessibility tree") == 1
    assert "Mousepad exposes no accessibility tree" in err and "OCR" in err
    summary = meta(rec)["accessibility"]
    assert isinstance(summary, dict) and summary["silent_apps"] == ["Mousepad"]


def test_a_hung_application_never_holds_up_the_recording(
    recorder: Start, xdo: Xdo, mousepad: App, backend: AccessibilityBackend
) -> None:
    wait_for_tree(backend, mousepad)
    rec = recorder()
    x, y, w, h = mousepad.geometry
    xdo("mousemove", x + w // 3, y + h // 2, "click", "1")
    rec.wait_for(1, "mouse_release")
    os.kill(mousepad.proc.pid, signal.SIGSTOP)  # the application stops answering its accessibility calls
    try:
        xdo("mousemove", x + w // 3, y + h // 2 + 20, "click", "1")
        xdo("mousemove", 5, 5, "click", "1")  # on the desktop, after it
        rec.wait_for(3, "mouse_release", timeout=5)
    finally:
        os.kill(mousepad.proc.pid, signal.SIGCONT)
    code, err = rec.signal()
    assert code == 0, err
    first, hung, desktop = presses(rec)
    assert first.element is not None and hung.element is None
    assert hung.frame is not None and desktop.frame is not None
    summary = meta(rec)["accessibility"]
    assert isinstance(summary, dict) and summary["timeouts"] >= 1


def test_without_an_accessibility_bus_recording_goes_on(
    recorder: Start, xdo: Xdo, monkeypatch: pytest.MonkeyPatch
) -> None:
    with VirtualDisplay(800, 600, accessibility=False) as bare:
        for name in ("DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS", "XDG_RUNTIME_DIR"):
            monkeypatch.delenv(name, raising=False)
        rec = recorder(on=bare)
        Xdo(bare)("mousemove", 100, 100, "click", "1")
        rec.wait_for(1, "mouse_release")
        code, err = rec.signal()
    assert code == 0, err
    assert "accessibility" in err and "OCR will name the steps" in err
    assert "accessibility" not in meta(rec)
    (press,) = presses(rec)
    assert press.frame is not None and press.element is None
