"""The corpus recorded for real: every scenario performed by the sample driver on one display while
``vsop record`` runs, each recording checked complete and stored as ``target/<scenario id>/``."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.sample.corpus.scenarios import CORPUS
from generator.sample.driver.apps import start_page
from generator.sample.driver.chromium import Chromium
from generator.sample.driver.recording import keep, record_scenario
from generator.sample.scenarios import Scenario
from generator.sample.xsession import VirtualDisplay

Stored = Callable[[Scenario, Path], None]


def record_corpus(
    display: VirtualDisplay,
    target: Path,
    scenarios: Sequence[Scenario] = CORPUS,
    stored: Stored | None = None,
) -> list[Path]:
    """Record ``scenarios`` on ``display`` (the web pages in one Chromium, started once, after the display's
    accessibility bus, so that it exposes its tree) into ``target``; the recordings' folders, in order."""
    report = stored or (lambda scenario, path: None)
    done: list[Path] = []
    web = [s for s in scenarios if s.app == "chromium"]
    chromium = Chromium(display).start(start_page(web[0])) if web else None
    try:
        with tempfile.TemporaryDirectory(prefix="vsop-corpus-") as scratch:
            for scenario in scenarios:
                browser = chromium if scenario.app == "chromium" else None
                path = record_scenario(scenario, display, Path(scratch) / scenario.id, browser)
                keep(path, scenario, target / scenario.id)
                done.append(target / scenario.id)
                report(scenario, target / scenario.id)
    finally:
        if chromium is not None:
            chromium.close()
    return done
