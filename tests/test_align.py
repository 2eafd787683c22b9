"""Aligning a guide's steps with a new recording's, merging them, and bumping the version (pure logic)."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import pytest

from generator.cli.rerecord import check_first, markdown, named_by
from generator.errors import GuideError
from generator.guide.model import Action, Guide, Revision, Step
from generator.guide.versions import bump, bump_kind, next_version
from generator.pipeline.generate import Recorded
from generator.render.step_text import step_text
from generator.rerecord.align import SAME_LABEL, align, fold, label_similarity, same_label
from generator.rerecord.compare import compare

W = "Acme CRM - New Lead"


def st(sid: str, action: Action, target: str | None, value: str | None = None, window: str = W) -> Step:
    step = Step(sid, action, target, value, window, "", image=f"images/{sid}.png")
    return dataclasses.replace(step, text=step_text(step))


def kinds(old: list[Step], new: list[Step]) -> list[tuple[str | None, str | None, str, tuple[str, ...]]]:
    result = align(old, new)
    return [
        (
            old[p.old].id if p.old is not None else None,
            new[p.new].id if p.new is not None else None,
            p.kind,
            p.changed,
        )
        for p in result.pairs
    ]


V1 = [
    st("a", "click", "New lead", window="Acme CRM - Leads"),
    st("b", "type", "Company name", "Acme Corp"),
    st("c", "type", "Contact name", "Jane Doe"),
    st("d", "click", "Subscribe to newsletter"),
    st("e", "type", "Notes", "Needs chairs"),
    st("f", "click", "Save lead"),
]
V2 = [
    st("A", "click", "New lead", window="Acme CRM - Leads"),
    st("B", "type", "Company name", "Acme Corp"),
    st("C", "type", "Contact name", "Jane Doe"),
    st("J", "type", "Job title", "Head of Purchasing"),
    st("E", "type", "Notes", "Needs chairs"),
    st("F", "click", "Create lead"),
]


def test_renamed_added_and_removed_steps_are_found_in_order() -> None:
    assert kinds(V1, V2) == [
        ("a", "A", "same", ()),
        ("b", "B", "same", ()),
        ("c", "C", "same", ()),
        ("d", None, "removed", ()),
        (None, "J", "added", ()),
        ("e", "E", "same", ()),
        ("f", "F", "changed", ("target",)),
    ]
    assert align(V1, V2).similarity == pytest.approx(2 * 4 / 12)


def test_an_ocr_variation_is_not_a_change() -> None:
    assert same_label("Save lead", "Save Iead") and same_label("Modem", "Modern")
    assert fold("Save  Iead:") == "save lead"
    assert label_similarity("Save", "Same") < 0.85 and not same_label("Save lead", "Create lead")
    old, new = [st("a", "click", "Save lead")], [st("b", "click", "Save Iead")]
    assert kinds(old, new) == [("a", "b", "same", ())]
    assert align(old, new).similarity == 1.0


def test_same_label_asks_cheap_bounds_first_and_decides_as_the_full_ratio() -> None:
    labels = [
        None,
        "",
        "Save",
        "Same",
        "Save lead",
        "Save Iead",
        "Create lead",
        "Leads",
        "Lead",
        "SO-1042",
        "SO-1041",
        "Company name",
        "Contact name",
        "Delivery and assembly",
        "Delete order",
        "Orders",
    ]
    for a in labels:
        for b in labels:
            assert same_label(a, b) == (label_similarity(a, b) >= SAME_LABEL), (a, b)


def test_a_different_value_is_a_changed_step_and_keys_must_be_equal() -> None:
    old = [st("a", "type", "Email", "a@example.com"), st("k", "key", None, "enter")]
    new = [st("b", "type", "Email", "b@example.com"), st("t", "key", None, "tab")]
    assert kinds(old, new) == [
        ("a", "b", "changed", ("value",)),
        ("k", None, "removed", ()),
        (None, "t", "added", ()),
    ]


def test_a_rename_never_outweighs_a_real_match() -> None:
    old = [st("x", "click", "Cancel"), st("s", "click", "Save")]
    new = [st("S", "click", "Save")]
    assert kinds(old, new) == [("x", None, "removed", ()), ("s", "S", "same", ())]


def test_another_process_scores_low() -> None:
    other = [
        st("o1", "click", "New order", window="Acme CRM - Orders"),
        st("o2", "type", "Customer", "Globex", window="Acme CRM - New Order"),
        st("o3", "click", "Place order", window="Acme CRM - New Order"),
    ]
    assert align(V1, other).similarity == 0.0


def test_the_screen_callback_marks_a_changed_screenshot() -> None:
    result = align(V1[:2], V2[:2], lambda i, j: i == 1)
    assert [(p.kind, p.changed) for p in result.pairs] == [("same", ()), ("changed", ("screen",))]


def test_steps_dropped_as_noise_do_not_count_but_a_deleted_one_does() -> None:
    noise = dataclasses.replace(st("n", "click", None), dropped="nothing changed on screen")
    deleted = dataclasses.replace(st("d", "click", "Help"), dropped="deleted", edited=["dropped"])
    assert align([noise, *V1[:1]], V2[:1]).similarity == 1.0
    assert align([deleted, *V1[:1]], V2[:1]).similarity == pytest.approx(2 / 3)


def test_versions_bump_by_what_changed() -> None:
    assert bump_kind(1, 0, 0) == bump_kind(0, 1, 3) == "major"
    assert bump_kind(0, 0, 2) == "minor" and bump_kind(0, 0, 0) == "patch"
    assert bump("1.4.2", "major") == "2.0.0" and bump("1.4.2", "minor") == "1.5.0"
    assert bump("1.4.2", "patch") == "1.4.3"
    assert next_version("1.4.2", "patch", "3.0.0") == "3.0.0"
    with pytest.raises(GuideError, match=r"above the guide's 1\.4\.2"):
        next_version("1.4.2", "major", "1.4.2")
    with pytest.raises(GuideError, match="expected a version like"):
        next_version("1.4.2", "major", "2.0")


def guide_of(steps: list[Step]) -> Guide:
    return Guide(
        "g", "G", None, "1.0.0", "Why", {}, list(steps), [Revision("1.0.0", "2026-01-01", "Recorded")]
    )


def made_of(steps: list[Step]) -> Recorded:
    return Recorded(None, tuple(steps), Path("."), 12.5)  # type: ignore[arg-type]


def test_merge_keeps_ids_and_human_edits_and_marks_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "generator.rerecord.compare.recorded_field", lambda made: {"duration_s": made.duration_s}
    )
    old = list(V1)
    old[1] = dataclasses.replace(old[1], note="Ask for the legal name.", edited=["note"])
    old[5] = dataclasses.replace(old[5], text="Click the blue **Save lead** button.", edited=["text", "blur"])
    old[5].blur = [(1, 2, 3, 4)]
    old.insert(
        2, dataclasses.replace(st("h", "click", "Help"), dropped="deleted by a person", edited=["dropped"])
    )
    new = [*V2[:2], st("H", "click", "Help"), *V2[2:]]
    result = compare(
        guide_of(old), made_of(new), lambda a, b: False, author="Pat", today=datetime.date(2026, 3, 1)
    )
    after = result.after
    assert [s.id for s in after.steps] == ["a", "b", "h", "c", "J", "e", "f"]
    assert [s.change for s in after.steps] == [None, None, None, None, "new", None, "changed"]
    assert after.steps[1].note == "Ask for the legal name." and after.steps[1].edited == ["note"]
    assert after.steps[2].dropped == "deleted by a person"  # deleted stays deleted
    save = after.steps[6]
    assert (save.target, save.text, save.blur, save.edited) == (
        "Create lead",
        "Click the blue **Save lead** button.",
        [(1, 2, 3, 4)],
        ["text", "blur"],
    )
    assert result.warnings == (
        "step f: its text was written by a person for the old step: check it",
        "step f: the blur a person drew were made on the old screenshot: check them",
    )
    assert after.version == "2.0.0" and result.bump == "major"
    revision = after.revisions[-1]
    assert (revision.version, revision.date, revision.author, revision.duration_s) == (
        "2.0.0",
        "2026-03-01",
        "Pat",
        12.5,
    )
    assert revision.summary == (
        'Step 6: "Save lead" is now "Create lead"; new step 4: Type Head of Purchasing in Job title; '
        "step 4 removed (Click Subscribe to newsletter)"
    )
    assert revision.removed == ["Click **Subscribe to newsletter**"]
    assert after.purpose == "Why"


def test_no_change_is_a_patch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.rerecord.compare.recorded_field", lambda made: {})
    result = compare(
        guide_of(V1), made_of([dataclasses.replace(s, id=s.id.upper()) for s in V1]), lambda a, b: False
    )
    assert result.after.version == "1.0.1"
    assert result.after.revisions[-1].summary == "Recorded again: no change"
    assert [s.id for s in result.after.steps] == [s.id for s in V1]


def test_a_label_ocr_could_not_read_pairs_before_a_different_label() -> None:
    old = [st("m", "click", None), st("s", "click", "Subscribe to newsletter"), st("n", "type", "Notes", "x")]
    new = [st("M", "click", "Manufacturing"), st("N", "type", "Notes", "x")]
    assert kinds(old, new) == [
        ("m", "M", "changed", ("target",)),
        ("s", None, "removed", ()),
        ("n", "N", "same", ()),
    ]


def test_steps_a_person_moved_keep_their_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.rerecord.compare.recorded_field", lambda made: {})
    recorded = [dataclasses.replace(s, at=float(t)) for t, s in enumerate(V1)]
    a, b, c, d, e, f = recorded
    moved = dataclasses.replace(e, text="Write the notes first.", edited=["text"])
    result = compare(guide_of([a, moved, b, c, d, f]), made_of(V2), lambda x, y: False)
    after = result.after
    assert [s.id for s in after.steps] == ["a", "e", "b", "c", "J", "f"]
    assert after.steps[1].text == "Write the notes first." and after.steps[1].change is None
    assert [(r.kind, r.old, r.new) for r in result.rows if r.kind != "same"] == [
        ("removed", 5, None),
        ("added", None, 5),
        ("changed", 6, 6),
    ]


# Identity: steps the accessibility tree named on both sides ----------------------------------------------

APP = ["application: Acme CRM", "frame: Acme CRM - New Lead"]


def el(
    sid: str, role: str, target: str, ancestors: list[str] | None = None, window: str = W, conf: float = 0.95
) -> Step:
    step = dataclasses.replace(
        st(sid, "click", target, window=window),
        source="accessibility",
        confidence=conf,
        role=role,
        ancestors=APP if ancestors is None else ancestors,
    )
    return step


def test_two_elements_of_one_name_in_different_dialogs_are_told_apart() -> None:
    delete = [*APP, "dialog: Delete order"]
    discard = [*APP, "dialog: Discard changes"]
    old = [el("a", "push button", "OK", delete), el("b", "push button", "OK", discard)]
    new = [el("A", "push button", "OK", delete)]
    assert kinds(old, new) == [("a", "A", "same", ()), ("b", None, "removed", ())]
    as_read = [dataclasses.replace(s, role=None, ancestors=[]) for s in old]  # labels only: the last one wins
    assert kinds(as_read, [dataclasses.replace(new[0], role=None)]) == [
        ("a", None, "removed", ()),
        ("b", "A", "same", ()),
    ]


def test_a_menu_item_is_not_a_button_of_the_same_name() -> None:
    old = [el("a", "push button", "Save")]
    new = [el("A", "menu item", "Save", [*APP, "menu bar: ", "menu: File"])]
    assert kinds(old, new) == [("a", None, "removed", ()), (None, "A", "added", ())]
    by_label = [dataclasses.replace(new[0], role=None, ancestors=[])]
    assert kinds(old, by_label) == [("a", "A", "same", ())], "without identity on one side: the label decides"


def test_a_renamed_element_is_the_same_role_in_the_same_place_even_in_a_retitled_window() -> None:
    old = [el("a", "push button", "Save lead")]
    retitled = "Acme CRM - New Lead (draft)"
    new = [el("A", "push button", "Create lead", ["application: Acme CRM", f"frame: {retitled}"], retitled)]
    assert kinds(old, new) == [("a", "A", "changed", ("target", "window"))]
    as_read = [dataclasses.replace(s, role=None, ancestors=[]) for s in (*old, *new)]
    assert kinds(as_read[:1], as_read[1:]) == [("a", None, "removed", ()), (None, "A", "added", ())]


def test_the_identity_of_a_same_step_is_refreshed_and_unsure_names_are_listed_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("generator.rerecord.compare.recorded_field", lambda made: {})
    old = [st("a", "click", "New lead"), st("b", "click", "Save lead"), st("c", "click", "Help")]
    new = [
        el("A", "link", "New lead", conf=0.95),
        dataclasses.replace(st("B", "click", "Save Iead"), source="ocr", confidence=0.45),
        dataclasses.replace(st("C", "click", "Help"), source="ocr", confidence=0.8),
        dataclasses.replace(st("D", "click", None), source="place", confidence=0.2),
    ]
    result = compare(guide_of(old), made_of(new), lambda a, b: False)
    first = result.after.steps[0]
    assert (first.id, first.role, first.ancestors, first.source) == ("a", "link", APP, None)
    assert [(r.new, r.source, r.confidence) for r in result.to_review] == [(4, "place", 0.2)]
    changed = compare(
        guide_of(old), made_of([new[0], dataclasses.replace(new[1], target="Store")]), lambda a, b: False
    )
    assert [(r.new, r.kind, r.confidence) for r in changed.to_review] == [(2, "changed", 0.45)]


def test_diff_shows_where_names_came_from_and_lists_unsure_ones_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("generator.rerecord.compare.recorded_field", lambda made: {})
    old = [st("a", "click", "New lead"), st("b", "click", "Help")]
    new = [
        el("A", "link", "New lead"),
        dataclasses.replace(st("B", "click", "Hepl"), source="ocr", confidence=0.45),
        dataclasses.replace(st("C", "click", None), source="place", confidence=0.2),
    ]
    result = compare(guide_of(old), made_of(new), lambda a, b: False)
    assert check_first(result) == "check first (unsure names): step 3 (place 20%), step 2 (ocr 45%)"
    assert [named_by(r) for r in result.rows] == [
        "",
        "ocr 45%, check",
        "place 20%, check",
    ]  # a: kept as it was
    md = markdown(result)
    assert "Check first (unsure names, least sure first): step 3 (place, 20 %), step 2 (ocr, 45 %)." in md
    assert "|  | 2 | new step | ocr 45%, check | Click **Hepl** |" in md
    assert "| 1 | 1 | same |  | Click **New lead** |" in md
