"""What lets the suite run its tests side by side (pytest-xdist): displays started at once never share a
number, a program on a display keeps its files in its own home, and the work shared by the workers
(``tests/once.py``) is done by one of them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator.sample.xsession import App, VirtualDisplay, Xdo, at_home
from generator.sample.xsession.waiting import wait_until
from tests.conftest import need
from tests.once import made_in

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.gui
def test_displays_started_at_once_have_numbers_of_their_own() -> None:
    need("Xvfb")
    displays = [VirtualDisplay(320, 240, wm=False, accessibility=False) for _ in range(4)]
    try:
        with ThreadPoolExecutor(len(displays)) as pool:
            names = list(pool.map(lambda d: d.start(), displays))
        assert len(set(names)) == len(names), names
        assert os.environ.get("DISPLAY") not in names, "a developer's own display is never taken"
        from Xlib import display as xdisplay

        for name in names:
            conn = xdisplay.Display(name)
            assert conn.screen().width_in_pixels == 320
            conn.close()
    finally:
        for d in displays:
            d.stop()


@pytest.mark.gui
def test_a_program_at_home_keeps_its_files_in_that_home(display: VirtualDisplay, tmp_path: Path) -> None:
    """mousepad as the suite's fixture runs it: its settings, key map, recent files and the session it would
    offer to restore are written under its own home, not the real one."""
    need("mousepad")
    home = tmp_path / "home"
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    env = at_home(display.env, home)
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        assert Path(env[name]).is_dir() and Path(env[name]).is_relative_to(home), name
    app = App(display, ["mousepad", "--disable-server", str(text)], ["--class", "mousepad"], env=env)
    app.close()  # SIGTERM, as the fixture ends it
    settings = home / ".config" / "glib-2.0" / "settings" / "keyfile"
    assert settings.is_file() and text.as_uri() in settings.read_text(encoding="utf-8")
    assert (home / ".local" / "share" / "recently-used.xbel").is_file()


MAKE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tests.once import made_in

    def make(folder):
        with open(sys.argv[2], "a") as log:
            log.write("made\\n")
        time.sleep(0.5)
        (folder / "result").write_text("ok")

    print(made_in(Path(sys.argv[1]), "shared", make))
    """
)


def test_work_asked_for_by_many_processes_at_once_is_done_once(tmp_path: Path) -> None:
    log = tmp_path / "log"
    argv = [sys.executable, "-c", MAKE, str(tmp_path), str(log)]
    procs = [subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    answers = {proc.communicate(timeout=60)[0].strip() for proc in procs}
    assert [proc.returncode for proc in procs] == [0, 0, 0]
    assert log.read_text() == "made\n"
    assert answers == {str(tmp_path / "once-shared")}
    assert (tmp_path / "once-shared" / "result").read_text() == "ok"


def test_work_that_failed_is_done_again_from_nothing(tmp_path: Path) -> None:
    def fail(folder: Path) -> None:
        (folder / "half").write_text("half done")
        raise RuntimeError("the recorder did not start")

    with pytest.raises(RuntimeError):
        made_in(tmp_path, "shared", fail)
    folder = made_in(tmp_path, "shared", lambda f: (f / "whole").write_text("done"))
    assert sorted(p.name for p in folder.iterdir()) == ["whole"]
    assert made_in(tmp_path, "shared", fail) == folder, "made once, never again"


@pytest.mark.gui
def test_the_active_title_is_empty_while_no_window_is_active_or_it_is_gone(tmp_path: Path) -> None:
    """A driver polls the active window's title; no window active, or a dialog closing between xdotool's two
    requests, is a moment of that wait, not an error."""
    need("Xvfb", "openbox", "xdotool", "zenity")
    with VirtualDisplay(640, 480) as display:
        xdo = Xdo(display)
        assert xdo.active_title() == ""  # nothing on the screen yet
        env = at_home(display.env, tmp_path / "home")
        dialog = subprocess.Popen(["zenity", "--info", "--title", "Going", "--text", "x"], env=env)
        try:
            wait_until(lambda: xdo.active_title() == "Going", 30, "the dialog to be active")
        finally:
            dialog.kill()
            dialog.wait(10)
        wait_until(lambda: xdo.active_title() == "", 30, "no window active once the dialog is gone")
