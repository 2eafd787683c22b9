"""What the frames show: the screen at the moment of the press, on the right monitor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import mss
import pytest
from PIL import Image

from capture import load_recording
from capture.models import MouseButtonEvent
from generator.sample.xsession import App, RecorderProcess, VirtualDisplay, Xdo, wait_until

APPS = Path(__file__).parent / "apps"
BLUE, RED = (20, 60, 200), (220, 30, 30)


def pixel_on_screen(display: VirtualDisplay, x: int, y: int) -> tuple[int, int, int]:
    with mss.MSS(display=display.name) as screen:
        shot = screen.grab({"left": x, "top": y, "width": 1, "height": 1})
        r, g, b = shot.pixel(0, 0)
        return r, g, b


@pytest.mark.gui
@pytest.mark.browser
def test_frame_shows_the_screen_before_the_app_reacts(
    display: VirtualDisplay,
    recorder: Callable[..., RecorderProcess],
    xdo: Xdo,
    chromium_page: Callable[[Path, str], App],
) -> None:
    page = chromium_page(APPS / "button.html", "vsop button test")
    x, y, w, h = page.geometry
    cx, cy = x + w // 2, y + h // 4  # on the button, away from its label
    wait_until(lambda: pixel_on_screen(display, cx, cy) == BLUE, 30, "the blue button to be painted")
    rec = recorder()
    xdo("mousemove", cx, cy, "click", "1")
    wait_until(lambda: pixel_on_screen(display, cx, cy) == RED, 10, "the button to turn red")
    (press,) = rec.wait_for(1, "mouse_press")
    assert rec.signal()[0] == 0

    assert isinstance(press, MouseButtonEvent) and press.frame is not None and press.window is not None
    with Image.open(rec.out / "frames" / press.frame.file) as frame:
        assert frame.convert("RGB").getpixel((cx, cy)) == BLUE
    assert (press.window.app or "").lower().startswith("chromium")
    assert press.window.title == "vsop button test"


@pytest.mark.gui
def test_click_on_second_monitor_lands_on_that_monitors_frame(
    dual_display: VirtualDisplay, recorder: Callable[..., RecorderProcess], tmp_path: Path
) -> None:
    xdo = Xdo(dual_display)
    app = App(
        dual_display,
        ["xmessage", "-geometry", "+1500+300", "-name", "vsop-xmessage", "Second monitor here"],
        ["--classname", "vsop-xmessage"],
    )
    try:
        x, y, w, h = app.geometry
        assert x >= 1280, "the window opened on the second monitor"
        cx, cy = x + w // 2, y + h // 3
        with mss.MSS(display=dual_display.name) as screen:
            shot = screen.grab({"left": cx - 40, "top": cy - 20, "width": 80, "height": 40})
            expected = Image.frombytes("RGB", shot.size, shot.rgb)
        rec = recorder(on=dual_display)
        xdo("mousemove", cx, cy, "mousedown", "1")
        (press,) = rec.wait_for(1, "mouse_press")
        xdo("mouseup", "1")
        assert rec.signal()[0] == 0
    finally:
        app.close()

    recording = load_recording(rec.out)
    assert [(m.index, m.rect.left, m.rect.width) for m in recording.meta.monitors] == [
        (1, 0, 1280),
        (2, 1280, 1280),
    ]
    assert isinstance(press, MouseButtonEvent) and press.frame is not None
    assert (press.x, press.y) == (cx, cy)
    assert press.frame.monitor == 2
    lx, ly = cx - 1280, cy
    with Image.open(rec.out / "frames" / press.frame.file) as frame:
        assert frame.size == (1280, 720)
        crop = frame.convert("RGB").crop((lx - 40, ly - 20, lx + 40, ly + 20))
    assert crop.tobytes() == expected.tobytes()
    assert len(expected.getcolors(80 * 40) or []) > 1, (
        "the compared region shows the window, not a flat background"
    )
