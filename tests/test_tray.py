"""``vsop tray`` for real: a subprocess on Xvfb + openbox with a tray host (trayer), driven with xdotool
like a person: right-click the icon, choose from the menu (found by OCR), fill the dialogs, work in
Chromium, stop from the menu; the guide holds exactly the app's steps. The error path: a library that
cannot take the guide shows an error window, keeps the recording, and the tray goes on."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from capture import RecordingFollower
from capture.models import Event
from generator.guide.store import load_guide
from generator.sample.check import score
from generator.sample.driver import Chromium, locate_text, read_lines
from generator.sample.driver.apps import start_page
from generator.sample.driver.completeness import expected_counts, written_counts
from generator.sample.driver.perform import PAUSE_S, do
from generator.sample.scenarios import SIGN_IN
from generator.sample.xsession import VirtualDisplay, Xdo, wait_until
from tests.conftest import chromium_binary, need

pytestmark = [pytest.mark.gui, pytest.mark.ocr, pytest.mark.browser]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "tray"
NOTE = "Ask IT for a password reset if this fails"


@pytest.fixture
def tray_host(display: VirtualDisplay) -> Iterator[None]:
    need("trayer", "tesseract")
    argv = ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24"]
    argv += ["--SetDockType", "true", "--transparent", "false"]
    proc = subprocess.Popen(argv, env=display.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: tray_owned(display) or proc.poll() is not None, 20, "trayer to own the tray")
        assert proc.poll() is None, "trayer exited"
        yield
    finally:
        proc.terminate()
        proc.wait(10)


def tray_owned(display: VirtualDisplay) -> bool:
    """True once a tray host owns the system tray selection of screen 0 (the XEmbed tray protocol)."""
    from Xlib import X
    from Xlib import display as xdisplay

    conn = xdisplay.Display(display.name)
    try:
        return bool(conn.get_selection_owner(conn.intern_atom("_NET_SYSTEM_TRAY_S0")) != X.NONE)
    finally:
        conn.close()


class Tray:
    """``vsop tray --library LIB`` as a person starts it, and a person's hand on it."""

    def __init__(self, display: VirtualDisplay, library: Path, env: dict[str, str] | None = None) -> None:
        self.display, self.library = display, library
        self.xdo = Xdo(display)
        self.follower: RecordingFollower | None = None
        argv = [sys.executable, "-m", "generator.cli", "tray", "--library", str(library)]
        self.proc = subprocess.Popen(
            argv, env=env or display.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.icon = wait_until(self._icon, 30, "the tray icon")

    def _icon(self) -> tuple[int, int] | None:
        if self.proc.poll() is not None:
            raise AssertionError(f"vsop tray exited: {self.proc.communicate()}")
        window = self.icon_window()
        if window is None:
            return None
        x, y, w, h = self.xdo.geometry(window)
        return x + w // 2, y + h // 2

    def dismiss_messages(self, closed: str) -> None:
        """Once the dialog ``closed`` has closed, click away the tray's messages (Qt's balloon by the icon
        covers part of it: a click meant for the icon would land on it), as a person would."""
        icon = self.icon_window()

        def others() -> list[str]:
            return [w for w in self.windows() if w != icon]

        wait_until(lambda: closed not in self.windows(), 15, "the dialog to close")
        for window in others():
            x, y, w, h = self.xdo.geometry(window)
            self.xdo.glide(x + w // 2, y + h // 2)
            self.xdo.click()
        wait_until(lambda: not others(), 15, "the tray's messages to close")

    def icon_window(self) -> str | None:
        """The tray's icon: its one small window."""
        for window in self.windows():
            _, _, w, h = self.xdo.geometry(window)
            if 0 < w <= 64 and 0 < h <= 64:
                return window
        return None

    def windows(self) -> list[str]:
        done = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--class", "vsop"],
            env=self.display.env,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.split()

    def open_menu(self) -> tuple[int, int, int, int]:
        """Right-click the icon; the menu's geometry once it is shown."""
        self.xdo.glide(*self.icon)
        self.xdo.click("right")

        def menu() -> tuple[int, int, int, int] | None:
            boxes = [self.xdo.geometry(w) for w in self.windows()]
            return next((b for b in boxes if b[2] > 100 and b[3] > 100), None)

        return wait_until(menu, 15, "the tray menu")

    def choose(self, entry: str, screenshot: Path | None = None) -> None:
        box = self.open_menu()
        point = wait_until(
            lambda: locate_text(read_lines(self.display, box), entry), 15, f"menu entry {entry!r}"
        )
        if screenshot is not None:
            save_screen(self.display, screenshot)
        self.xdo.glide(*point)
        self.xdo.click()

    def dialog(self, title: str) -> str:
        window = self.xdo.find_window("--name", title, timeout=20)
        self.xdo.activate(window)
        return window

    def recording(self) -> Path:
        try:
            found = wait_until(
                lambda: sorted(self.library.glob("recordings/*/meta.json")), 20, "the recording"
            )
        except Exception:
            save_screen(self.display, ARTIFACTS / "no-recording.png")
            raise
        return found[-1].parent

    def events(self) -> tuple[Event, ...]:
        """The events written so far into the recording the tray makes."""
        folder = self.recording()
        if self.follower is None or self.follower.root != folder:
            self.follower = RecordingFollower(folder)
        self.follower.poll()
        return self.follower.events

    def end(self) -> None:
        """Close the tray if the test has not (it failed on the way): no running process is left for the
        garbage collector to warn about during a later test."""
        if self.proc.returncode is None:
            self.close()

    def close(self) -> tuple[int | None, str]:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            _, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return self.proc.returncode, err


def save_screen(display: VirtualDisplay, path: Path) -> None:
    import mss
    import mss.tools

    path.parent.mkdir(parents=True, exist_ok=True)
    with mss.MSS(display=display.name) as screen:
        shot = screen.grab(screen.monitors[1])
        mss.tools.to_png(shot.rgb, shot.size, output=str(path))


@pytest.fixture
def tray(display: VirtualDisplay, tray_host: None, tmp_path: Path) -> Iterator[Tray]:
    started = Tray(display, tmp_path / "lib")
    yield started
    started.close()


def guide_made(library: Path) -> Path | None:
    """The guide.yml of the first guide once it is in place (not its staging folder)."""
    return next((p for p in library.glob("guides/*/guide.yml") if not p.parent.name.startswith(".")), None)


def start_recording(tray: Tray, title: str, stage: str | None, screenshot: Path | None = None) -> None:
    tray.choose("Start recording", screenshot)
    tray.dialog("vsop: start recording")
    tray.xdo.type(title)
    if stage is not None:  # the stage list: open it (space), type the stage's name, take it (Return)
        tray.xdo.key("Tab")
        tray.xdo.key("space")
        tray.xdo.type(stage)
        tray.xdo.key("Return")
    tray.xdo.key("Return")
    folder = tray.recording()  # written before the recorder listens; the tray's log says when it does
    log = tray.library / ".vsop-cache" / "tray.log"
    listening = f"recording {folder} "
    wait_until(lambda: log.is_file() and listening in log.read_text(), 20, "the recorder to listen")


def test_record_a_scenario_from_the_tray_menu(display: VirtualDisplay, tray: Tray) -> None:
    chromium_binary()
    scenario = SIGN_IN
    chromium = Chromium(display).start(start_page(scenario))
    try:
        start_recording(tray, scenario.title, "Customer inquiry", ARTIFACTS / "menu.png")
        chromium.activate()
        for n, action in enumerate(scenario.actions):
            if n == 4:  # after the password is typed: a note about that step, through the tray
                tray.choose("Add note")
                tray.dialog("vsop: add a note")
                tray.xdo.type(NOTE)
                tray.xdo.key("Return")
                chromium.activate()
            do(action, chromium, display)
            time.sleep(PAUSE_S)
        wanted = expected_counts(scenario)
        wait_until(
            lambda: all(written_counts(tray.events(), scenario)[k] >= n for k, n in wanted.items()),
            30,
            "every input of the scenario in the recording",
        )
        tray.choose("Stop and create guide")
        stopped = time.monotonic()
        guide_file = wait_until(lambda: guide_made(tray.library), 120, "the guide")
        print(f"stop -> guide.yml: {time.monotonic() - stopped:.1f} s")
    finally:
        chromium.close()

    assert written_counts(tray.events(), scenario) == wanted, "no click or key of the tray was recorded"
    guide = load_guide(guide_file)
    assert score(scenario.steps, guide).diff == ()
    assert guide.stage == scenario.stage and guide.stage_source == "manual"
    assert guide.title == scenario.title
    shown = [s for s in guide.steps if s.dropped is None]
    assert [s.note for s in shown] == [None, NOTE, None, None]
    assert all((s.window or "").startswith("Acme CRM") for s in shown)
    meta = json.loads((tray.recording() / "meta.json").read_text())
    assert meta["ended"] is not None and meta["stage"] == scenario.stage
    log = tray.library / ".vsop-cache" / "tray.log"
    wait_until(lambda: "made from" in log.read_text(), 10, "the tray to log the new guide")
    code, err = tray.close()
    assert code == 0, err


def test_a_library_that_cannot_take_the_guide_shows_an_error_and_keeps_the_recording(
    display: VirtualDisplay, tray_host: None, tmp_path: Path
) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    (library / "guides").write_text("a file where the guides folder should be\n")
    tray = Tray(display, library)
    try:
        start_recording(tray, "Broken library", None)
        tray.xdo.glide(900, 900)
        tray.xdo.click()
        wait_until(lambda: any(e.type == "mouse_release" for e in tray.events()), 15, "the click recorded")
        tray.choose("Stop and create guide")
        error = tray.dialog("vsop: error")
        save_screen(display, ARTIFACTS / "error.png")
        assert tray.proc.poll() is None, "the tray is still running"
        meta = json.loads((tray.recording() / "meta.json").read_text())
        assert meta["ended"] is not None and meta["title"] == "Broken library"
        assert [e.type for e in tray.events()].count("mouse_press") == 1
        log = (library / ".vsop-cache" / "tray.log").read_text()
        assert "The guide could not be made" in log and str(tray.recording()) in log
        tray.xdo("windowclose", error)
        tray.dismiss_messages(error)
        tray.choose("Start recording")  # the tray still answers
        tray.dialog("vsop: start recording")
        tray.xdo.key("Escape")
    finally:
        code, err = tray.close()
    assert code == 0, err


def test_pause_resume_stop_hotkey_then_open_folder_site_and_review(
    display: VirtualDisplay, tray_host: None, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A click while paused is not recorded; the recorder's stop hotkey works while the tray runs and makes
    the guide; Open library folder, Open SOP site and Review guide hand the folder, the built site's home page
    and the guide's editor to the desktop's opener (xdg-open, here a script that writes down what it got)."""
    chromium_binary()
    opened = tmp_path / "opened.txt"
    tools = tmp_path / "bin"
    tools.mkdir()
    opener = tools / "xdg-open"
    opener.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> {shlex.quote(str(opened))}\n')
    opener.chmod(0o755)
    env = {**display.env, "PATH": f"{tools}{os.pathsep}{display.env.get('PATH', os.environ['PATH'])}"}
    scenario = SIGN_IN
    tray = Tray(display, tmp_path / "lib", env)
    request.addfinalizer(tray.end)
    chromium = Chromium(display).start(start_page(scenario))
    try:
        start_recording(tray, scenario.title, "Customer inquiry")
        chromium.activate()
        for n, action in enumerate(scenario.actions):
            if n == 2:
                tray.choose("Pause")
                wait_until(lambda: "pause" in [e.type for e in tray.events()], 15, "the pause")
                tray.xdo.glide(1900, 1070)  # the bare desktop, outside every window: a click to leave out
                tray.xdo.click()
                tray.choose("Resume")
                chromium.activate()
            do(action, chromium, display)
            time.sleep(PAUSE_S)
        wanted = expected_counts(scenario)
        wait_until(
            lambda: all(written_counts(tray.events(), scenario)[k] >= n for k, n in wanted.items()),
            30,
            "every input of the scenario in the recording",
        )
        tray.xdo("key", "ctrl+alt+s")  # the recorder's own stop hotkey (Xdo.key refuses it in scenarios)
        guide_file = wait_until(lambda: guide_made(tray.library), 120, "the guide")
    finally:
        chromium.close()
    assert written_counts(tray.events(), scenario) == wanted, "the click while paused was not recorded"
    assert score(scenario.steps, load_guide(guide_file)).diff == ()

    tray.choose("Open library folder")
    wait_until(lambda: opened.is_file() and opened.read_text().strip(), 30, "the library folder opened")
    assert Path(unquote(urlsplit(opened.read_text().split()[0]).path)) == tray.library.resolve()
    tray.choose("Open SOP site")
    wait_until(lambda: len(opened.read_text().split()) == 2, 120, "the SOP site opened")
    home = Path(unquote(urlsplit(opened.read_text().split()[1]).path))
    assert home.name == "index.html" and "Customer inquiry" in home.read_text(encoding="utf-8")
    assert (home.parent / "guides" / guide_file.parent.name / "index.html").is_file()
    tray.choose("Review guide")
    wait_until(lambda: len(opened.read_text().split()) == 3, 30, "the guide's editor opened")
    editor = opened.read_text().split()[2]
    assert editor.startswith("http://127.0.0.1:") and "token=" in editor
    with urllib.request.urlopen(editor, timeout=10) as page:
        assert page.status == 200 and scenario.title in page.read().decode("utf-8")
    code, err = tray.close()
    assert code == 0, err
