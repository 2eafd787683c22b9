"""Scenarios performed while the recorder runs, checked, and stored as recordings (fixtures, long session)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from capture import load_recording
from generator.sample.driver.apps import session, start_page
from generator.sample.driver.chromium import Chromium
from generator.sample.driver.completeness import problems, wait_written
from generator.sample.driver.errors import DriverError
from generator.sample.driver.long_session import SESSION_WINDOW, session_scenario
from generator.sample.driver.perform import perform
from generator.sample.scenarios import Scenario
from generator.sample.xsession import RecorderProcess, VirtualDisplay


def record_scenario(
    scenario: Scenario, display: VirtualDisplay, out_dir: Path, chromium: Chromium | None = None
) -> Path:
    """Record ``scenario`` performed for real on ``display`` into the new folder ``out_dir``; return it."""
    with session(scenario, display, chromium) as app:
        app.activate()
        labels = ("--title", scenario.title, "--stage", scenario.stage)
        with RecorderProcess(display, out_dir, *labels) as recorder:  # stopped after, killed on an error
            app.xdo.written = lambda: len(recorder.of_type("mouse_press"))  # each click waits for its press
            try:
                perform(scenario, app, display)
                wait_written(recorder, scenario)
            finally:
                app.xdo.written = None
    return out_dir


def record_fixtures(
    target: Path,
    scenarios: Sequence[Scenario],
    size: tuple[int, int] = (1280, 800),
    stored: Callable[[Scenario, Path], None] | None = None,
) -> None:
    """Record each scenario on a fresh virtual display and store it as ``target/<id>/`` (without .lock);
    ``stored`` is told of each one (default: its path is printed)."""
    report = stored or (lambda scenario, path: print(f"{scenario.id}: {path}", flush=True))
    with VirtualDisplay(*size) as display, tempfile.TemporaryDirectory(prefix="vsop-fixtures-") as scratch:
        chromium: Chromium | None = None
        try:
            for scenario in scenarios:
                chromium = _chromium_for(scenario, display, chromium)
                path = record_scenario(scenario, display, Path(scratch) / scenario.id, chromium)
                keep(path, scenario, target / scenario.id)
                report(scenario, target / scenario.id)
        finally:
            if chromium is not None:
                chromium.close()


def _chromium_for(scenario: Scenario, display: VirtualDisplay, chromium: Chromium | None) -> Chromium | None:
    """The Chromium the scenario shares with the previous ones: started for the first web scenario, closed
    for another app (its frames show that app alone)."""
    if scenario.app == "chromium" and chromium is None:
        return Chromium(display).start(start_page(scenario))
    if scenario.app != "chromium" and chromium is not None:
        chromium.close()
        return None
    return chromium


def record_session(target: Path, scenarios: Sequence[Scenario], size: tuple[int, int] = (1920, 1080)) -> None:
    """Record the scenarios in one recording, one Chromium on a fresh display, and store it as ``target``."""
    combined = session_scenario(scenarios)
    with VirtualDisplay(*size) as display, tempfile.TemporaryDirectory(prefix="vsop-session-") as scratch:
        chromium = Chromium(display, SESSION_WINDOW).start(start_page(combined))
        try:
            path = record_scenario(combined, display, Path(scratch) / combined.id, chromium)
        finally:
            chromium.close()
        keep(path, combined, target)
    print(f"{combined.id}: {target} ({len(combined.steps)} steps)", flush=True)


def keep(recording: Path, scenario: Scenario, destination: Path) -> None:
    """Store the recording of ``scenario`` as ``destination``, once it is complete; refuse it otherwise."""
    missing = problems(load_recording(recording), scenario)
    if missing:
        raise DriverError(f"{scenario.id}: the recording is incomplete: {'; '.join(missing)}")
    store(recording, destination)


def store(recording: Path, destination: Path) -> None:
    (recording / ".lock").unlink(missing_ok=True)
    if destination.exists():
        shutil.rmtree(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(recording, destination)
