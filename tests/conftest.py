from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from capture.errors import BackendUnavailableError
from generator.export.browser import FLAGS, chromium_argv, find_chromium
from generator.sample import RECORDINGS
from generator.sample.xsession import App, RecorderProcess, VirtualDisplay, Xdo, at_home

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(*binaries: str) -> None:
    """Skip locally when a tool is missing; in CI a missing tool fails the run."""
    missing = [b for b in binaries if shutil.which(b) is None]
    if missing:
        missing_tool(f"missing {', '.join(missing)} (run scripts/bootstrap.sh test)")


def need_tkinter() -> None:
    """Python's Tk binding (Tk windows of the corpus and the tests); as :func:`need` for a missing tool."""
    try:
        import tkinter  # noqa: F401
    except ImportError:
        missing_tool("tkinter is missing (apt-get install python3-tk, or scripts/bootstrap.sh test)")


def missing_tool(message: str) -> NoReturn:
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


# The modules with the longest chains of work (measured with --durations), run first: under pytest-xdist
# (`make check`: -n auto, --dist loadgroup, in collection order) no long chain is left for the end of the run.
LONG_FIRST = (
    "test_corpus",
    "test_check",
    "test_update",
    "test_demo",
    "test_badinput",
    "test_sample_scenarios",
    "test_generate",
    "test_tray",
    "test_hardening_data",
    "test_export_docx",
    "test_site",
    "test_control",
    "test_flowmap",
)


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl+C back for the programs the tests start: a suite run in the background by a shell without job
    control inherits SIGINT ignored, and every program it starts would too (an ignored signal stays ignored
    across exec), so the tests that stop ``vsop serve`` or ``vsop record`` with it could not."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto``: half as many workers again as cores (3 on 2). Most GUI tests wait (X, applications,
    browsers, a person's pauses in the scenarios); the extra worker runs other tests meanwhile.
    ``PYTEST_XDIST_AUTO_NUM_WORKERS=N`` still gives N."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores + cores // 2


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest modules first; and the tests that share a module-scoped fixture in one xdist group, so
    that the fixture is made once, on one worker, not once on every worker that runs one of them."""
    rank = {name: i for i, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))  # stable: each module keeps its order
    for item in items:
        info = getattr(item, "_fixtureinfo", None)  # pytest's resolved fixtures of the item
        defs = info.name2fixturedefs.values() if info is not None else []
        if any(d[-1].scope == "module" for d in defs if d):
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


@pytest.fixture(scope="session")
def recordings() -> Path:
    """The real recordings of the sample scenarios shipped in the package: ``recordings / scenario.id``."""
    return RECORDINGS


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library with a guide per shipped sample recording, as ``vsop generate REC --title <scenario id>``
    makes it (real tesseract, from a cold OCR cache), generated once per test run for every worker: a test
    copies it (``copied_sample_library``) and never changes it in place."""
    need("tesseract")
    from generator.pipeline.generate import Options, generate
    from generator.sample.scenarios import SCENARIOS
    from tests.once import made_once

    def make(library: Path) -> None:
        for scenario in SCENARIOS:
            if (RECORDINGS / scenario.id).is_dir():
                generate(RECORDINGS / scenario.id, library, Options(title=scenario.id))

    return made_once(tmp_path_factory, "sample-library", make)


def copied_sample_library(sample_library: Path, target: Path) -> Path:
    """``sample_library`` copied to ``target``, guides, images and OCR cache: the copy's own to change."""
    shutil.copytree(sample_library, target)
    return target


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
    # at home in the test's folder, as the sample driver runs it: its settings, recent files and a session
    # to restore (a "restore the previous session?" prompt after a test ends it) never reach the real home
    env = at_home(display.env, tmp_path / "home")
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
