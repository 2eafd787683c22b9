"""``vsop demo --live``: the sample scenarios performed with xdotool in Chromium and mousepad on a private
Xvfb display while ``vsop record`` runs, each recording checked and stored in the library."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from capture.errors import BackendUnavailableError
from generator.sample.scenarios import Scenario

RECORDING = "Recording the scenarios live"
# binary (any one of the alternatives) -> the Debian/Ubuntu package that provides it
TOOLS: dict[tuple[str, ...], str] = {
    ("Xvfb",): "xvfb",
    ("openbox",): "openbox",
    ("xdotool",): "xdotool",
    ("tesseract",): "tesseract-ocr",
}
APP_TOOLS: dict[str, dict[tuple[str, ...], str]] = {
    "chromium": {("chromium", "chromium-browser"): "chromium"},
    "mousepad": {("mousepad",): "mousepad"},
}


def missing_packages(scenarios: Sequence[Scenario]) -> list[str]:
    """The packages to install before ``scenarios`` can be recorded live (none when all tools are here)."""
    wanted = dict(TOOLS)
    for app in dict.fromkeys(s.app for s in scenarios):
        wanted.update(APP_TOOLS[app])
    return [package for names, package in wanted.items() if not any(shutil.which(n) for n in names)]


def require_tools(scenarios: Sequence[Scenario]) -> None:
    missing = missing_packages(scenarios)
    if missing:
        raise BackendUnavailableError(
            f"vsop demo --live needs {', '.join(missing)}: install them with "
            f"`sudo apt-get install {' '.join(missing)}` (or run scripts/bootstrap.sh test)"
        )


def record_live(
    target: Path, scenarios: Sequence[Scenario], progress: Callable[[str, int, int], None]
) -> None:
    """Record each scenario for real into ``target/<id>/`` (a recording there is replaced)."""
    from generator.sample.driver import record_fixtures

    done = 0
    progress(RECORDING, 0, len(scenarios))

    def stored(scenario: Scenario, path: Path) -> None:
        nonlocal done
        done += 1
        progress(RECORDING, done, len(scenarios))

    record_fixtures(target, scenarios, stored=stored)
