"""The value stream's figures and the maturity of its stages: durations as people read them, expected
processes matched to guides, the flow's lead time, efficiency and hand-offs, the maturity rules with their
numbers from vsop.yml, judged on real run records, and `vsop status` printing the same summary."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from generator.cli import main
from generator.guide.durations import format_duration, parse_duration
from generator.guide.model import ExpectedProcess, MaturityRules, Stage, Stream, ValueStream
from generator.maturity.assess import library_maturity
from generator.maturity.levels import NextStep, SopEvidence, judge
from generator.maturity.wording import next_step_text
from generator.publish.flow import stage_flows, stream_totals, totals
from generator.runs.summary import RunsSummary
from generator.valuestream.processes import GuideRef, completeness, documents, stage_processes
from tests.sitelib import add_guide, add_runs

TODAY = datetime.date.today()
RULES = MaturityRules()


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (45, "45 s"),
        (80, "1 min 20 s"),
        (45 * 60, "45 min"),
        (3599.6, "1 h"),
        (4 * 3600 + 15 * 60, "4 h 15 min"),
        (3 * 86400, "3 d"),
        (2 * 86400 + 12, "2 d"),  # never seconds beside days
        (2 * 86400 + 8 * 3600 + 15 * 60, "2 d 8 h"),
        (86399, "1 d"),
    ],
)
def test_durations_are_shown_in_the_units_a_person_reads(seconds: float, shown: str) -> None:
    assert format_duration(seconds) == shown


def test_durations_are_read_with_minutes_written_either_way() -> None:
    assert parse_duration("45m") == parse_duration("45min") == parse_duration("45 min") == 2700
    assert parse_duration("1h 30min") == 5400
    for bad, why in (("-45m", "cannot be negative"), (-3, "cannot be negative"), ("2 hours", "unit 'hours'")):
        with pytest.raises(ValueError, match=why):
            parse_duration(bad)


def test_an_expected_process_is_documented_by_its_name_or_its_rules() -> None:
    pack = ExpectedProcess("Pack order")
    assert documents(pack, GuideRef("x", "Pack orders for shipping"))
    assert documents(pack, GuideRef("pack-order", "Parcels"))
    assert not documents(pack, GuideRef("x", "Order packing"))  # the words in order
    assert not documents(pack, GuideRef("x", "Backpack order"))  # whole words
    ruled = ExpectedProcess("Qualify lead", guides=("lead-check",), titles=("Qualif*",))
    assert documents(ruled, GuideRef("lead-check", "Something else"))
    assert documents(ruled, GuideRef("x", "qualifying a lead"))
    assert not documents(ruled, GuideRef("qualify-lead", "Lead"))  # with rules, only the rules count


def test_completeness_counts_expected_processes_and_a_stage_without_a_list_as_one() -> None:
    stage = Stage("s", "S", "x", processes=(ExpectedProcess("Pack order"), ExpectedProcess("Label parcel")))
    guides = [GuideRef("a", "Pack orders"), GuideRef("b", "Pack order fast")]
    assert [p.guides for p in stage_processes(stage, guides)] == [("a", "b"), ()]
    assert completeness(stage, guides).share == 0.5
    plain = Stage("p", "P", "x")
    assert (completeness(plain, guides).documented, completeness(plain, guides).expected) == (1, 1)
    assert completeness(plain, []).share == 0.0


def _vs(*stages: Stage) -> ValueStream:
    streams: dict[str, list[Stage]] = {}
    for s in stages:
        streams.setdefault(s.stream, []).append(s)
    return ValueStream(tuple(Stream(k, k.title(), tuple(v)) for k, v in streams.items()))


def test_lead_time_efficiency_and_hand_offs_come_from_the_declared_times() -> None:
    vs = _vs(
        Stage("a", "A", "sales", owner="Rep", process_time=2700, wait_time=4 * 3600),
        Stage("b", "B", "sales", owner="Engineer", process_time=5400, wait_time=86400),
        Stage("c", "C", "sales", owner="rep", process_time=7200, wait_time=86400),
        Stage("d", "D", "ops", owner="Rep", process_time=1800, wait_time=3 * 86400),
        Stage("e", "E", "ops", wait_time=2 * 86400),
    )
    flows = stage_flows(vs)
    assert [f.handoff for f in flows] == [False, True, True, False, None]  # "rep" is "Rep"; E has no owner
    assert flows[0].efficiency == pytest.approx(2700 / (2700 + 4 * 3600))
    sales, ops = stream_totals(vs, flows)
    assert (sales.process_s, sales.wait_s, sales.lead_s) == (15300, 2 * 86400 + 4 * 3600, 15300 + 187200)
    assert sales.efficiency == pytest.approx(15300 / 202500)
    assert (sales.handoff_s, sales.handoffs) == (2 * 86400, 2)
    assert ops.lead_s is None and ops.efficiency is None and ops.no_process == ("E",)
    assert ops.handoff_s is None and ops.no_owner == ("E",)  # unknown, not 0
    assert totals("all", flows).lead_s is None


def _sop(count: int, conformance: float = 1.0, spread: float = 1.0, overdue: bool = False) -> SopEvidence:
    recent = (
        RunsSummary(count, 100.0, 100.0 * spread, conformance, datetime.datetime.now(), ()) if count else None
    )
    return SopEvidence("pack-order", "Pack order", datetime.date(2026, 10, 1), overdue, recent)


@pytest.mark.parametrize(
    ("stage", "sops", "level", "steps"),
    [
        (Stage("s", "S", "x"), [], 1, [NextStep("record_stage", "S")]),
        (
            Stage("s", "S", "x", processes=(ExpectedProcess("Quality check"),)),
            [],
            1,
            [NextStep("record", "Quality check")],
        ),
        (Stage("s", "S", "x"), [_sop(1)], 2, [NextStep("runs", "Pack order", count=2)]),
        (
            Stage("s", "S", "x"),
            [_sop(3, overdue=True)],
            2,
            [NextStep("review", "Pack order", date="2026-10-01")],
        ),
        (
            Stage("s", "S", "x"),
            [_sop(3, conformance=0.85)],
            2,
            [NextStep("conformance", "Pack order", value=0.85, target=0.9)],
        ),
        (
            Stage("s", "S", "x"),
            [_sop(3, spread=1.6)],
            2,
            [NextStep("spread", "Pack order", value=1.6, target=1.5)],
        ),
        (Stage("s", "S", "x"), [_sop(3, conformance=0.9, spread=1.5)], 3, [NextStep("automation")]),
        (Stage("s", "S", "x", automation="CRM"), [_sop(4)], 4, [NextStep("optimization")]),
        (Stage("s", "S", "x", automation="CRM", optimization="Monthly"), [_sop(4)], 5, []),
        (Stage("s", "S", "x", optimization="Monthly"), [_sop(4)], 3, [NextStep("automation")]),  # 5 needs 4
    ],
)
def test_the_maturity_rules(stage: Stage, sops: list[SopEvidence], level: int, steps: list[NextStep]) -> None:
    refs = [GuideRef(s.id, s.title) for s in sops]
    found = judge(stage, stage_processes(stage, refs), completeness(stage, refs), sops, RULES)
    assert found == (level, tuple(steps))


def test_next_steps_in_words() -> None:
    assert next_step_text(NextStep("record", "Quality check")) == "record Quality check"
    assert next_step_text(NextStep("record", "Quality check"), markdown=True) == "record *Quality check*"
    assert next_step_text(NextStep("runs", "Pack order", count=2)) == "2 runs more of Pack order (vsop check)"
    assert next_step_text(NextStep("runs", "Pack order", count=1)).startswith("1 run more of")
    review = NextStep("review", "Pack order", date="2026-10-01")
    assert next_step_text(review) == "review Pack order: overdue since 2026-10-01"
    low = next_step_text(NextStep("conformance", "Pack order", value=0.82, target=0.9))
    assert "conform 82 % on average (90 % needed)" in low


def _library(tmp_path: Path, settings: str = "") -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "valuestream.yml").write_text(
        "streams:\n  - id: s\n    name: S\n    stages:\n"
        "      - {id: pack, name: Pack, owner: Warehouse, processes: [Pack order, Label parcel]}\n",
        encoding="utf-8",
    )
    if settings:
        (lib / "vsop.yml").write_text(settings, encoding="utf-8")
    return lib


def test_a_stage_reaches_level_3_only_with_enough_conforming_runs(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    day = TODAY.isoformat()
    pack = add_guide(lib, "pack-order", "Pack order", "pack", date=day)
    label = add_guide(lib, "label-parcel", "Label parcel", "pack", date=day)
    add_runs(pack, (100, 102, 98, 101))
    assert library_maturity(lib).stages[0].level == 2
    add_runs(label, (60, 61))
    stage = library_maturity(lib).stages[0]
    assert (stage.level, stage.next_steps) == (2, (NextStep("runs", "Label parcel", count=1),))
    add_runs(label, (59,), conformance=0.5)  # the third run deviates: the average is 83 %
    stage = library_maturity(lib).stages[0]
    assert stage.level == 2 and stage.next_steps[0].kind == "conformance"
    add_runs(label, (60, 62), conformance=1.0)
    assert library_maturity(lib).stages[0].level == 3  # 4 of 5 runs conform fully: 90 % on average
    (lib / "vsop.yml").write_text("maturity:\n  recent: 3\n", encoding="utf-8")
    assert library_maturity(lib).stages[0].level == 2  # of the latest three runs, one deviates: 83 %


def test_the_rules_numbers_come_from_vsop_yml(tmp_path: Path) -> None:
    lib = _library(tmp_path, "maturity:\n  runs: 1\n  conformance: 50%\n  spread: 3\n")
    add_runs(add_guide(lib, "pack-order", "Pack order", "pack", date=TODAY.isoformat()), (100,), 0.6)
    add_runs(add_guide(lib, "label-parcel", "Label parcel", "pack", date=TODAY.isoformat()), (100,), 0.6)
    stage = library_maturity(lib).stages[0]
    assert stage.rules == MaturityRules(runs=1, conformance=0.5, spread=3.0)
    assert stage.level == 3


def test_status_prints_the_maturity_of_each_stage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = _library(tmp_path)
    add_runs(add_guide(lib, "pack-order", "Pack order", "pack", date=TODAY.isoformat()), (100, 101))
    assert main(["status", str(lib)]) == 0
    out = capsys.readouterr().out
    assert "maturity\tpack\t1 Ad hoc\t1/2 processes\tnext: record Label parcel\n" in out
    add_guide(lib, "label-parcel", "Label parcel", "pack", date=TODAY.isoformat())
    assert main(["status", str(lib)]) == 0
    out = capsys.readouterr().out
    expected = "next: 3 runs more of Label parcel (vsop check); 1 run more of Pack order (vsop check)"
    assert f"maturity\tpack\t2 Documented\t2/2 processes\t{expected}\n" in out
