from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.sample import RECORDINGS
from generator.sample.xsession import VirtualDisplay
from tests.xtools import App, RecorderProcess, Xdo

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(*binaries: str) -> None:
    """Skip locally when a tool is missing; in CI a missing tool fails the run."""
    missing = [b for b in binaries if shutil.which(b) is None]
    if missing:
        message = f"missing {', '.join(missing)} (run scripts/bootstrap.sh test)"
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
    app = App(display, ["mousepad", "--disable-server", str(text)], ["--class", "mousepad"])
    yield app
    app.close()


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=Translate",
    "--password-store=basic",
]


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return name
    need("chromium")
    raise AssertionError("unreachable")


@pytest.fixture
def chromium_page(display: VirtualDisplay, tmp_path: Path) -> Iterator[Callable[[Path, str], App]]:
    """Open a local page in a real Chromium window (app mode, no browser chrome)."""
    opened: list[App] = []

    def open_page(page: Path, title: str) -> App:
        argv = [
            chromium_binary(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'chromium'}",
            "--window-position=100,100",
            "--window-size=900,600",
            f"--app={page.as_uri()}",
        ]
        app = App(display, argv, ["--name", title])
        opened.append(app)
        return app

    yield open_page
    for app in opened:
        app.close()
