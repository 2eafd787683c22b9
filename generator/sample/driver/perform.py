"""A scenario performed in its application: each action as real X input, with a person's pauses."""

from __future__ import annotations

import time

from generator.sample.driver.apps import AppSession
from generator.sample.driver.screen_text import click_text
from generator.sample.scenarios import (
    Click,
    ClickText,
    Input,
    Pause,
    Press,
    Scenario,
    Scroll,
    TypeText,
    WaitFor,
)
from generator.sample.xsession import VirtualDisplay, wait_until

PAUSE_S = 0.2  # between two actions, as a person would pause


def perform(scenario: Scenario, app: AppSession, display: VirtualDisplay) -> None:
    for action in scenario.actions:
        do(action, app, display)
        time.sleep(PAUSE_S)


def do(action: Input, app: AppSession, display: VirtualDisplay) -> None:
    if isinstance(action, Click):
        app.click(action)
    elif isinstance(action, ClickText):
        click_text(app.xdo, display, action.text, beside=action.beside, below=action.below)
    elif isinstance(action, TypeText):
        app.xdo.type(action.text)
    elif isinstance(action, Press):
        app.xdo.key(action.keys)
    elif isinstance(action, Scroll):
        app.hover(action.over)
        app.xdo.wheel(action.direction, action.notches)
    elif isinstance(action, Pause):
        time.sleep(action.seconds)  # the pause is what a slower run is made of
    else:
        wait_for(action, app)


def wait_for(condition: WaitFor, app: AppSession, timeout: float = 15.0) -> None:
    if condition.visible:
        app.visible(condition.visible)
    if condition.file:
        path = app.saved(condition.file)
        wanted = condition.contains or ""
        wait_until(
            lambda: path.is_file() and wanted in path.read_text(encoding="utf-8"),
            timeout,
            f"{path.name} saved",
        )
    if condition.title:
        title = condition.title
        wait_until(lambda: app.xdo.active_title() == title, timeout, f"the window title {title!r}")
