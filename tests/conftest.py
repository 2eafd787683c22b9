from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from capture.errors import BackendUnavailableError
from generator.export.browser import FLAGS, chromium_argv, find_chromium
from generator.sample import RECORDINGS
from generator.sample.xsession import App, RecorderProcess, VirtualDisplay, Xdo

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(*binaries: str) -> None:
    """Skip locally when a tool is missing; in CI a missing tool fails the run."""
    missing = [b for b in binaries if shutil.which(b) is None]
    if missing:
        missing_tool(f"missing {', '.join(missing)} (run scripts/bootstrap.sh test)")


def missing_tool(message: str) -> NoReturn:
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def recordings() -> Path:
    """The real recordings of the sample scenarios shipped in the package: ``recordings / scenario.id``."""
    return RECORDINGS


@pytest.fixture(scope="session")
def display() -> Iterator[VirtualDisplay]:
    need("Xvfb", "openbox", "xdotool")
    with VirtualDisplay(1920, 1080) as d:
        yield d


@pytest.fixture(scope="session")
def dual_display() -> Iterator[VirtualDisplay]:
    need("Xvfb", "Xephyr", "openbox", "xdotool")
    with VirtualDisplay(1280, 720, heads=2) as d:
        yield d


@pytest.fixture
def xdo(display: VirtualDisplay) -> Xdo:
    return Xdo(display)


@pytest.fixture
def recorder(display: VirtualDisplay, tmp_path: Path) -> Iterator[Callable[..., RecorderProcess]]:
    started: list[RecorderProcess] = []

    def start(*args: str, out: Path | None = None, on: VirtualDisplay | None = None) -> RecorderProcess:
        rec = RecorderProcess(on or display, out or tmp_path / "rec", *args)
        started.append(rec)
        return rec

    yield start
    for rec in started:
        rec.kill()


@pytest.fixture
def mousepad(display: VirtualDisplay, tmp_path: Path) -> Iterator[App]:
    need("mousepad")
    text = tmp_path / "notes.txt"
    text.write_text("".join(f"Line {i}: the quick brown fox jumps over the lazy dog\n" for i in range(40)))
    # its settings in memory: with the display's session bus, dconf would keep them (and a "restore the
    # previous session?" prompt after a test ends it) in the real home
    env = {**display.env, "GSETTINGS_BACKEND": "memory", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    app = App(display, ["mousepad", "--disable-server", str(text)], ["--class", "mousepad"], env=env)
    yield app
    app.close()


CHROMIUM_FLAGS = list(FLAGS)  # vsop's own flag set (generator/export/browser.py), for Playwright's launch


def chromium_binary() -> str:
    """The Chromium vsop would start; skipped locally (failed in CI) when there is none."""
    try:
        return find_chromium("this test")
    except BackendUnavailableError as exc:
        missing_tool(f"{exc} (or run scripts/bootstrap.sh test)")


@pytest.fixture
def chromium_page(display: VirtualDisplay, tmp_path: Path) -> Iterator[Callable[[Path, str], App]]:
    """Open a local page in a real Chromium window (app mode, no browser chrome)."""
    opened: list[App] = []

    def open_page(page: Path, title: str) -> App:
        place = ("--window-position=100,100", "--window-size=900,600")
        argv = chromium_argv(
            chromium_binary(), tmp_path / "chromium", *place, f"--app={page.as_uri()}", accessible=True
        )
        app = App(display, argv, ["--name", title])
        opened.append(app)
        return app

    yield open_page
    for app in opened:
        app.close()
