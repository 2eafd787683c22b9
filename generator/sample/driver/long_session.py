"""A long session: several Chromium scenarios in one recording, joined by clicks on Acme CRM's top bar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.sample.driver.errors import DriverError
from generator.sample.scenarios import Click, ExpectedStep, Input, Scenario, WaitFor, page, step

SESSION_WINDOW = (40, 30, 1840, 1010)  # Chromium's window for a session on a 1920x1080 screen


@dataclass(frozen=True, slots=True)
class Link:
    """A link of the top bar: where to click, the text a guide names it by, the title of the page it opens."""

    selector: str
    text: str
    title: str


# Acme CRM pages a person opens with a click on the top bar
TOPBAR = {
    "home.html": Link(".topbar .brand", "Acme CRM", page("Home")),
    **{
        name: Link(f".nav a[href='{name}']", text, page(text))
        for name, text in [
            ("leads.html", "Leads"),
            ("orders.html", "Orders"),
            ("customers.html", "Customers"),
            ("quality.html", "Quality"),
            ("deliveries.html", "Deliveries"),
        ]
    },
}


def session_scenario(scenarios: Sequence[Scenario]) -> Scenario:
    """Chromium scenarios one after the other as one: before each, a click on the top bar opens its start
    page (a step of its own), unless the previous scenario ended there."""
    if not scenarios:
        raise DriverError("a session needs at least one Chromium scenario")
    actions: list[Input] = []
    steps: list[ExpectedStep] = []
    titles: list[str] = []
    here: str | None = None  # title of the page the previous scenario ended on
    for scenario in scenarios:
        link = _start_link(scenario, needed=here is not None)
        if here is not None and link is not None and here != link.title:
            actions += [Click(link.selector), WaitFor(title=link.title)]
            steps.append(step("click", link.text))
            titles.append(link.title)
        actions += scenario.actions
        steps += scenario.steps
        titles += scenario.titles
        here = _end_title(scenario, link)
    return _joined(scenarios[0], actions, steps, titles)


def _start_link(scenario: Scenario, needed: bool) -> Link | None:
    """The top bar's link to the scenario's start page; ``needed``: an error when there is none."""
    if scenario.app != "chromium" or scenario.start is None:
        raise DriverError(f"{scenario.id}: a session holds Chromium scenarios only")
    link = TOPBAR.get(scenario.start)
    if needed and link is None:
        raise DriverError(f"{scenario.id}: {scenario.start} has no link on the top bar")
    return link


def _end_title(scenario: Scenario, start: Link | None) -> str | None:
    """The title of the page the scenario ends on: the last it waited for, else its start page's."""
    waited = [a.title for a in scenario.actions if isinstance(a, WaitFor) and a.title]
    return waited[-1] if waited else start.title if start else None


def _joined(first: Scenario, actions: list[Input], steps: list[ExpectedStep], titles: list[str]) -> Scenario:
    return Scenario(
        id="long-session",
        title="Work through Acme CRM from sign-in to delivery",
        stage=first.stage,
        app="chromium",
        start=first.start,
        actions=tuple(actions),
        steps=tuple(steps),
        titles=tuple(dict.fromkeys(titles)),
    )
