"""The application a scenario runs in (Chromium, mousepad or a program of its own), behind one small
interface."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from generator.sample.driver.chromium import Chromium
from generator.sample.driver.chromium_launch import HOME_PAGE
from generator.sample.driver.mousepad import Mousepad
from generator.sample.driver.program import Program
from generator.sample.scenarios import Click, Scenario
from generator.sample.xsession import VirtualDisplay, Xdo


class AppSession(Protocol):
    xdo: Xdo

    def click(self, action: Click) -> None: ...

    def hover(self, selector: str) -> None: ...

    def visible(self, selector: str) -> bool: ...

    def saved(self, name: str) -> Path: ...

    def activate(self) -> None: ...

    def close(self) -> None: ...


def start_page(scenario: Scenario) -> str:
    """The Acme CRM page a Chromium scenario starts on."""
    return scenario.start or HOME_PAGE


@contextmanager
def session(scenario: Scenario, display: VirtualDisplay, chromium: Chromium | None) -> Iterator[AppSession]:
    """The scenario's application, started (or a running Chromium shown on the start page), closed after."""
    if scenario.app == "mousepad":
        app: AppSession = Mousepad(display).start()
    elif scenario.app == "program":
        app = Program(display, scenario.command).start()
    elif chromium is not None:
        chromium.open(start_page(scenario))
        app = chromium
    else:
        app = Chromium(display).start(start_page(scenario))
    try:
        yield app
    finally:
        if app is not chromium:
            app.close()
