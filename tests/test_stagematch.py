"""Automatic linking: scoring of a stage's match rules against window titles, apps and on-screen texts."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.guide.model import MatchRules, Stage, Stream, ValueStream
from generator.guide.store import load_guide
from generator.library.scaffold import init_library
from generator.pipeline.generate import Options, generate
from generator.sample.scenarios import SCENARIOS
from generator.valuestream.match import contains_phrase, match_stage
from generator.valuestream.store import load_valuestream
from tests.conftest import need


def stage(stage_id: str, **rules: tuple[str, ...]) -> Stage:
    return Stage(stage_id, stage_id.title(), "s", match=MatchRules(**rules))


def vs(*stages: Stage) -> ValueStream:
    return ValueStream((Stream("s", "S", stages),))


LEAD = stage("lead", titles=("*lead*",), keywords=("inquiry",))
ORDER = stage("order", keywords=("order", "place order"))
EDITOR = stage("editor", apps=("Mousepad",))


def test_a_title_pattern_outweighs_a_keyword() -> None:
    found = match_stage(vs(LEAD, ORDER), [("Acme CRM - New lead", "Chromium")], ["Order", "Save"])
    assert found == (LEAD, ['title "Acme CRM - New lead" matches "*lead*"'])


def test_an_app_name_is_compared_whole_and_ignores_case() -> None:
    assert match_stage(vs(EDITOR), [("notes.txt - Mousepad", "mousepad")], []) == (
        EDITOR,
        ['app "mousepad" is "Mousepad"'],
    )
    assert match_stage(vs(EDITOR), [("x", "Mousepad Pro")], []) is None


def test_keywords_are_whole_words_or_phrases_on_screen_or_in_titles() -> None:
    found = match_stage(vs(LEAD, ORDER), [("Shop - Orders", None)], ["Place order", "Reorder"])
    assert found == (
        ORDER,
        ['keyword "order" in title "Shop - Orders"', 'keyword "place order" on screen: "Place order"'],
    )
    assert match_stage(vs(ORDER), [("Reorders", None)], ["bordered", "ordering"]) is None


@pytest.mark.parametrize(
    ("text", "phrase", "found"),
    [
        ("delivery-note.txt - Mousepad", "delivery note", True),
        ("Deliveries", "delivery", True),
        ("Boxes", "box", True),
        ("Save lead", "lead", True),
        ("Leadership", "lead", False),
        ("note delivery", "delivery note", False),
        ("Quality (QA)", "qa", True),
    ],
)
def test_phrases(text: str, phrase: str, found: bool) -> None:
    words = re.findall(r"[^\W_]+", text.lower())
    assert contains_phrase(words, phrase.split()) is found


def test_nothing_matching_links_nothing() -> None:
    assert match_stage(vs(LEAD, ORDER), [("Calculator", "gnome-calculator")], ["7", "8", "="]) is None
    assert match_stage(vs(LEAD, ORDER), [], []) is None


def test_more_rules_win_then_more_matches_then_a_tie_links_nothing() -> None:
    a = stage("a", keywords=("invoice", "payment"))
    b = stage("b", keywords=("invoice",))
    assert match_stage(vs(a, b), [], ["Invoice", "Payment due"]) == (
        a,
        ['keyword "invoice" on screen: "Invoice"', 'keyword "payment" on screen: "Payment due"'],
    )
    c = stage("c", keywords=("refund",))
    found = match_stage(vs(b, c), [("Invoices", None)], ["Invoice 12", "Refund"])
    assert found is not None and found[0] == b  # one rule each; "invoice" matched two texts
    assert match_stage(vs(b, c), [], ["Invoice", "Refund"]) is None


def test_default_value_stream_links_typical_screens(tmp_path: Path) -> None:
    default = load_valuestream(tmp_path)
    cases = {
        "proposal": ([("Quotes - CRM", "Firefox")], ["Create quotation", "Discount %"]),
        "quality-assurance": ([("Inspection report", None)], ["Defects found", "Approve"]),
        "customer-delivery": ([("delivery-note.txt - Mousepad", "Mousepad")], ["File", "Save"]),
    }
    for stage_id, (windows, texts) in cases.items():
        found = match_stage(default, windows, texts)
        assert found is not None and found[0].id == stage_id, (stage_id, found)


@pytest.mark.ocr
def test_sample_recordings_link_to_their_scenarios_stage(tmp_path: Path, recordings: Path) -> None:
    """Each real recording of a sample scenario, its stage blanked, is linked by the default value stream's
    keywords (window titles and the targets tesseract reads) to the stage the scenario names."""
    need("tesseract")
    library = tmp_path / "lib"
    init_library(library)
    linked = {}
    for scenario in SCENARIOS:
        copy = tmp_path / "recordings" / scenario.id
        shutil.copytree(recordings / scenario.id, copy)
        meta = json.loads((copy / "meta.json").read_text(encoding="utf-8"))
        (copy / "meta.json").write_text(json.dumps({**meta, "stage": None}), encoding="utf-8")
        guide = load_guide(generate(copy, library, Options(redact=False)) / "guide.yml")
        assert guide.stage_source == "auto" and guide.stage_evidence, scenario.id
        linked[scenario.id] = guide.stage
    assert linked == {s.id: s.stage for s in SCENARIOS}
    assert len(SCENARIOS) >= 3
