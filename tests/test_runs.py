"""Run records and conformance as pure logic: the run-record format (written, read, validated with file and
line), the outcome of each step of a run and the conformance (docs/runs-format.md), the summary the guide
page shows. The real recordings are checked in tests/test_check.py."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator.errors import RunError
from generator.guide.model import Guide, Step
from generator.render.guide_page import SiteLinks, guide_markdown
from generator.rerecord.conformance import check_steps, step_medians
from generator.runs.models import Deviation, Run
from generator.runs.store import dump_run, load_run, load_runs, write_run
from generator.runs.summary import percentile, summarize

DATE = datetime(2026, 5, 1, 10, 22, 3, tzinfo=timezone.utc)


def step(step_id: str, action: str, target: str | None, value: str | None = None, at: float = 0.0) -> Step:
    return Step(step_id, action, target, value, "Acme CRM", f"Do {target}.", at=at)  # type: ignore[arg-type]


def guide(*steps: Step) -> Guide:
    return Guide(
        "lead",
        "Record a lead",
        None,
        version="1.2.0",
        purpose=None,
        recorded={"duration_s": 9},
        steps=list(steps),
    )


GUIDE = guide(
    step("a", "click", "New lead", at=1.0),
    step("b", "type", "Company name", "Acme Corp", at=2.0),
    step("c", "type", "Contact name", "Jane Doe", at=3.5),
    step("d", "click", "Subscribe", at=4.0),
    step("e", "click", "Save lead", at=6.0),
)


def run_of(*steps: Step) -> list[Step]:
    return [dataclasses.replace(s, id=f"r{i}") for i, s in enumerate(steps)]


def outcomes(*steps: Step) -> tuple[list[tuple[str, str]], float]:
    check = check_steps(GUIDE, run_of(*steps), 9.0, (), "Pat", DATE)
    return [(d.kind, d.step) for d in check.run.deviations], check.run.conformance


def test_a_run_as_written_conforms_fully() -> None:
    assert outcomes(*GUIDE.steps) == ([], 1.0)


def test_a_skipped_step_costs_its_share() -> None:
    a, b, c, _d, e = GUIDE.steps
    assert outcomes(a, b, c, e) == ([("skipped", "d")], 0.8)


def test_an_extra_step_is_measured_against_and_says_where_it_came() -> None:
    a, b, c, d, e = GUIDE.steps
    help_click = step("x", "click", "Help", at=3.8)
    assert outcomes(a, b, c, help_click, d, e) == ([("extra", "c")], 5 / 6)
    assert outcomes(help_click, *GUIDE.steps) == ([("extra", "")], 5 / 6)


def test_a_moved_step_is_out_of_order_and_another_value_is_named_not_shown() -> None:
    a, b, c, d, e = GUIDE.steps
    other = dataclasses.replace(c, value="John Doe")
    deviations, conformance = outcomes(a, b, other, e, d)
    assert deviations == [("wrong_value", "c"), ("out_of_order", "e")]
    assert conformance == 3 / 5
    record = dump_run(check_steps(GUIDE, run_of(a, b, other, e, d), 9.0, (), "Pat", DATE).run)
    assert "John Doe" not in record and "Jane Doe" not in record and "Acme Corp" not in record
    assert "text: Type the text in Contact name" in record


def test_another_button_in_its_place_is_a_skipped_step_and_an_extra_one() -> None:
    a, b, c, d, e = GUIDE.steps
    cancel = dataclasses.replace(e, target="Cancel")
    assert outcomes(a, b, c, d, cancel) == ([("skipped", "e"), ("extra", "d")], 4 / 6)


def test_a_slow_step_is_reported_with_its_median_and_still_followed() -> None:
    a, b, c, d, e = GUIDE.steps
    late = dataclasses.replace(e, at=14.0)  # 10 s after d, where the guide took 2 s
    check = check_steps(GUIDE, run_of(a, b, c, d, late), 15.0, (), "Pat", DATE)
    assert check.run.conformance == 1.0
    assert check.run.deviations == (Deviation("slow", "e", "Click Save lead", 10.0, 2.0),)
    quick = dataclasses.replace(e, at=7.5)  # 3.5 s: more than twice 2 s, but not 3 s more
    assert check_steps(GUIDE, run_of(a, b, c, d, quick), 9.0, (), "Pat", DATE).run.deviations == ()


def test_medians_come_from_the_guide_and_the_earlier_runs() -> None:
    earlier = [Run("lead", DATE, "Pat", 9.0, 1.0, times=(("e", s),)) for s in (8.0, 9.0, 10.0)]
    assert step_medians(GUIDE, earlier)["e"] == 8.5  # 2 s in the guide's recording, 8, 9, 10 in the runs
    assert step_medians(GUIDE, [])["e"] == 2.0


def record(**changes: object) -> Run:
    run = Run(
        "lead",
        DATE,
        "Pat Example",
        27.9,
        0.9,
        (Deviation("skipped", "d", "Click Subscribe"), Deviation("slow", "e", "Click Save lead", 9.3, 1.0)),
        "1.2.0",
        5,
        (("a", 0.2), ("e", 9.3)),
    )
    return dataclasses.replace(run, **changes)  # type: ignore[arg-type]


def test_a_run_record_is_written_whole_and_read_back(tmp_path: Path) -> None:
    first = write_run(tmp_path, record())
    second = write_run(tmp_path, record(conformance=1.0, deviations=()))
    assert first.name == "20260501T102203Z-pat-example.yml"
    assert second.name == "20260501T102203Z-pat-example-2.yml"
    assert load_runs(tmp_path) == (record(), record(conformance=1.0, deviations=()))
    assert {p.name for p in (tmp_path / "runs").iterdir()} == {first.name, second.name}  # no temp file left
    assert load_runs(tmp_path / "nothing") == ()


def test_an_invalid_run_record_gives_every_problem_with_its_line(tmp_path: Path) -> None:
    path = write_run(tmp_path, record())
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    bad = (
        text.replace("conformance: 0.9", "conformance: 1.5")
        .replace("kind: skipped", "kind: skiped")
        .replace("who: Pat Example", "who: Pat Example\ncolour: red")
    )
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(RunError) as caught:
        load_runs(tmp_path)
    message = str(caught.value)
    line = lines.index("conformance: 0.9") + 2  # one line was added above it
    assert f"{path}:{line}: conformance: expected a number between 0 and 1, found 1.5" in message
    assert (
        f"{path}:{lines.index('- kind: skipped') + 2}: deviations[0].kind: expected one of skipped, extra,"
        in message
    )
    assert f"{path}:{lines.index('who: Pat Example') + 2}: colour: unknown key 'colour'" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("schema: 1\nguide: lead\n", ":1: who: missing: expected text"),  # on the nearest line
        ("[1, 2]\n", ":1: document: expected a mapping"),
        ("schema: 1\nguide: [\n", ": not valid YAML"),
        (
            "{schema: 1, guide: g, who: w, date: yesterday, duration_s: -4, conformance: 1}\n",
            "date: expected a date",
        ),
        (
            "{schema: 1, guide: g, who: w, date: '2026-05-01', duration_s: -4, conformance: 1}\n",
            "duration_s: expected",
        ),
    ],
)
def test_a_broken_run_record_is_an_error_that_says_where(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "runs" / "x.yml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RunError, match=str(path)) as caught:
        load_run(path)
    assert expected in str(caught.value)


def test_percentile_is_the_nearest_rank() -> None:
    assert percentile([5.0], 90) == 5.0
    assert percentile([float(n) for n in range(10, 0, -1)], 90) == 9.0
    assert percentile([1.0, 2.0, 3.0, 100.0], 90) == 100.0
    with pytest.raises(ValueError):
        percentile([], 90)


def test_the_guide_page_shows_the_observed_runs() -> None:
    runs = [
        record(duration_s=d, conformance=c, deviations=devs)
        for d, c, devs in [
            (10.0, 1.0, ()),
            (20.0, 0.8, (Deviation("skipped", "d"), Deviation("wrong_value", "b"))),
            (30.0, 0.6, (Deviation("skipped", "d"), Deviation("out_of_order", "c"), Deviation("slow", "e"))),
            (40.0, 0.8, (Deviation("skipped", "gone"),)),  # a step the guide no longer has
        ]
    ]
    summary = summarize(runs)
    assert summary is not None and (summary.count, summary.median_s, summary.p90_s) == (4, 25.0, 40.0)
    page = guide_markdown(GUIDE, site=SiteLinks(map_url="../../index.md", runs=summary))
    assert "## Observed runs" in page and "4 runs of this process" in page
    assert "| 4 | 25 s | 40 s | 80 % |" in page
    rows = [line for line in page.splitlines() if line.startswith("| **")]
    assert rows == [
        "| **4.** Do Subscribe. | 2 of 4 | 0 of 4 |",
        "| **2.** Do Company name. | 0 of 4 | 1 of 4 |",
        "| **3.** Do Contact name. | 0 of 4 | 1 of 4 |",
    ]
    assert "Observed runs" not in guide_markdown(GUIDE) and summarize([]) is None
