"""The value-stream figures on the SOP site in a real browser: a library whose valuestream.yml declares
process and wait times, expected processes and automation, with run records beside its guides, built with
each engine and read by headless Chromium: the map as one row per stream with the waits between the stages,
figures as declared, lead time and efficiency computed, what to declare where a figure is missing (never
0.00 %), no seconds beside days, and the maturity of each stage with its next step."""

from __future__ import annotations

import datetime
import itertools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.publish import build_site
from tests.conftest import CHROMIUM_FLAGS, chromium_binary, need
from tests.sitelib import add_guide, add_runs, serve_folder

pytestmark = [pytest.mark.browser]

VALUESTREAM_YML = """streams:
  - id: sales
    name: Sales
    stages:
      - id: inquiry
        name: Inquiry
        owner: Sales rep
        process_time: 45m
        wait_time: 4h
        processes:
          - Record a new lead
          - name: Qualify lead
            match: {titles: ["Qualif*"]}
      - id: design
        name: Design
        owner: Engineer
        process_time: 1h30m
        wait_time: 1d
      - id: quote
        name: Quote
        owner: Sales rep
        process_time: 2h
        wait_time: 1d
        automation: The CRM e-mails the quote and reminds the customer after a week.
  - id: fulfillment
    name: Fulfillment
    stages:
      - id: pack
        name: Pack
        owner: Warehouse
        process_time: 30min
        wait_time: 3d
        processes: [Pack order]
        automation: The pick list prints when the order is confirmed.
        optimization: Packing time is reviewed every month.
      - id: ship
        name: Ship
        owner: Warehouse
        wait_time: 2d
"""
# Sales: work 45m + 1h30m + 2h = 4h15m, waits 4h + 1d + 1d: lead 2 d 8 h 15 min, efficiency 4.25 / 56.25
SALES_LEAD = "2 d 8 h"
SALES_PCE = "7.6 %"
DAYS_AND_SECONDS = re.compile(r"\b\d+ d\b.*\b\d+ s\b|\b\d+ s\b.*\b\d+ d\b")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lib = tmp_path_factory.mktemp("flow") / "lib"
    lib.mkdir()
    (lib / "valuestream.yml").write_text(VALUESTREAM_YML, encoding="utf-8")
    today = datetime.date.today().isoformat()
    add_runs(add_guide(lib, "new-lead", "Record a new lead", "inquiry", date=today), (60, 62, 65, 70, 61))
    add_runs(add_guide(lib, "design-it", "Design the solution", "design", date=today), (300,))
    add_runs(add_guide(lib, "send-quote", "Send the quote", "quote", date=today), (100, 110, 105), 0.95)
    add_runs(add_guide(lib, "pack-order", "Pack orders", "pack", date=today), (200, 210, 220))
    add_runs(add_guide(lib, "hand-over", "Hand over the parcel", "ship", date="2020-01-01"), (50, 50, 50))
    return lib


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def site(
    request: pytest.FixtureRequest, library: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    out = tmp_path_factory.mktemp(f"flow-{request.param}") / "site"
    result = build_site(library, out, request.param)
    assert result.ok, result.failures
    with serve_folder(result.out) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need(chromium_binary())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=shutil.which(chromium_binary()), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def _figures(page: Any, selector: str) -> dict[str, str]:
    """``data-figure`` -> its text (spaces collapsed), for the elements inside ``selector``."""
    found = page.eval_on_selector_all(
        f"{selector} [data-figure]", "els => els.map(e => [e.dataset.figure, e.innerText])"
    )
    return {name: " ".join(text.split()) for name, text in found}


def _no_mixed_units(texts: list[str]) -> None:
    for text in texts:
        assert "0.00 %" not in text, text
        assert not DAYS_AND_SECONDS.search(text), f"seconds beside days: {text!r}"


def test_the_map_is_a_flow_with_declared_figures(page: Any, site: str) -> None:
    page.goto(site + "index.html", wait_until="networkidle")
    for stream in ("0", "1"):
        row = f'[data-stream="{stream}"]'
        items = page.eval_on_selector_all(
            f"{row} .vsop-flow__row > li",
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [e.className, r.left, r.right, r.top, r.bottom] })",
        )
        kinds = ["wait" if "vsop-wait" in c else "stage" for c, *_ in items]
        assert kinds == ["wait", "stage"] * (len(items) // 2), kinds  # each wait drawn before its stage
        lefts = [left for _c, left, *_ in items]
        assert lefts == sorted(lefts), "left to right"
        for (_c, _l, right, _t, _b), (_c2, left, *_rest) in itertools.pairwise(items):
            assert right <= left + 1, "side by side, not wrapped"
        tops = {round(top) for _c, _l, _r, top, _b in items}
        assert len(tops) == 1, f"one line per stream: {items}"

    def box(stage: str) -> str:
        return " ".join(page.locator(f'[data-stage="{stage}"]').inner_text().split())

    assert "Level 1 Ad hoc" in box("inquiry") and "work 45 min" in box("inquiry")
    assert "1 of 2 processes" in box("inquiry") and "at the screen 1 min 2 s" in box("inquiry")
    assert "Level 2 Documented" in box("design") and "work 1 h 30 min" in box("design")
    assert "Level 4 Automated" in box("quote") and "Level 5 Optimized" in box("pack")
    assert "work not declared" in box("ship") and "review overdue" in box("ship")
    levels = page.eval_on_selector_all("[data-stage]", "els => els.map(e => [e.dataset.stage, e.className])")
    assert next(c for s, c in levels if s == "pack").count("vsop-level--5") == 1
    waits = {
        w: " ".join(page.locator(f'[data-wait="{w}"]').inner_text().split())
        for w in ("inquiry", "design", "quote", "pack", "ship")
    }
    assert waits["inquiry"] == "wait 4 h"  # from the customer: no hand-off
    assert waits["design"] == "wait 1 d hand-off"  # Sales rep -> Engineer
    assert waits["pack"] == "wait 3 d hand-off"  # the last stage of Sales to the first of Fulfillment
    assert waits["ship"] == "wait 2 d"  # Warehouse -> Warehouse

    sales = _figures(page, '[data-stream="0"] .vsop-totals')
    assert sales == {
        "lead": f"Lead time {SALES_LEAD}",
        "efficiency": f"Process cycle efficiency {SALES_PCE}",
        "handoff": "Hand-off time 2 d in 2 hand-offs",
    }
    fulfillment = _figures(page, '[data-stream="1"] .vsop-totals')
    assert fulfillment["lead"] == "Lead time declare process_time for Ship"
    assert fulfillment["efficiency"] == "Process cycle efficiency needs the lead time"
    assert fulfillment["handoff"] == "Hand-off time 3 d in 1 hand-off"
    overall = _figures(page, ".vsop-ladder")
    assert overall["efficiency"] == "Process cycle efficiency needs the lead time"
    assert overall["completeness"] == "Documentation completeness 5 of 6 processes"
    _no_mixed_units([page.locator("article").inner_text()])


def test_a_stage_page_shows_declared_and_observed_times_apart(page: Any, site: str) -> None:
    page.goto(site + "stages/inquiry.html", wait_until="networkidle")
    rows = page.eval_on_selector_all(
        "article table tr", "trs => trs.map(tr => [...tr.cells].map(c => c.innerText.trim()))"
    )
    times = {r[0]: r[1] for r in rows if len(r) == 2}
    assert times["Work (declared)"] == "45 min"
    assert times["Wait before the stage (declared)"] == "4 h"
    assert times["Lead time of the stage"] == "4 h 45 min"
    assert times["Process cycle efficiency"] == "15.8 %"
    assert times["At the screen (observed)"] == "1 min 2 s (median of 5 runs)"
    assert times["Qualify lead"] == "no SOP yet: record it"
    assert times["Record a new lead"] == "Record a new lead"
    text = page.locator("article").inner_text()
    assert "To reach level 2, Documented:" in text and "record Qualify lead" in text
    _no_mixed_units([text])

    page.goto(site + "stages/ship.html", wait_until="networkidle")
    text = page.locator("article").inner_text()
    assert "not declared: add process_time to the stage in valuestream.yml" in text
    assert "Lead time of the stage\tneeds the work and the wait" in text
    _no_mixed_units([text])


def test_the_maturity_page_lists_levels_evidence_and_next_steps(page: Any, site: str) -> None:
    page.goto(site + "stages/pack.html", wait_until="networkidle")
    page.locator("nav a", has_text="Maturity").first.click()  # in the nav of every page but the map's
    page.wait_for_url("**/maturity.html")
    tables = page.eval_on_selector_all(
        "article table",
        "ts => ts.map(t => [...t.rows].map(tr => [...tr.cells].map(c => c.innerText.trim())))",
    )
    rows = next(t for t in tables if t[0] == ["Stage", "Stream", "Level", "Next step"])
    table = {r[0]: (r[2], r[3]) for r in rows[1:]}
    assert table == {
        "Inquiry": ("1 Ad hoc", "record Qualify lead"),
        "Design": ("2 Documented", "2 runs more of Design the solution (vsop check)"),
        "Quote": (
            "4 Automated",
            "declare how this stage is measured and improved (optimization: in valuestream.yml)",
        ),
        "Pack": ("5 Optimized", "none"),
        "Ship": ("2 Documented", "review Hand over the parcel: overdue since 2020-12-31"),
    }
    text = page.locator("article").inner_text()
    assert "Send the quote: 3 recent runs, 95 % conformance on average" in text
    assert "Automation: The CRM e-mails the quote" in text
    _no_mixed_units([text])
