"""The changes of `vsop edit` as pure operations on a Guide, their validation, and the session that saves
each one to guide.yml at once and undoes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from generator.edit.ops import DELETED, Context, apply
from generator.edit.page import render_page
from generator.edit.session import Session
from generator.errors import EditError
from generator.guide.model import Guide, Step
from generator.guide.store import load_guide, save_guide
from generator.valuestream.store import load_valuestream

EVIL = "<img src=x onerror=alert(1)>"


def make_guide(lib: Path) -> Path:
    """lib/guides/g: four shown steps with 320x180 screenshots and a hidden one; returns guide.yml."""
    folder = lib / "guides" / "g"
    (folder / "images").mkdir(parents=True)
    steps = []
    for n in range(1, 6):
        Image.new("RGB", (320, 180), (40 * n, 90, 200)).save(folder / "images" / f"s-{n}.png")
        steps.append(
            Step(
                id=f"s-{n}",
                action="click",
                target=f"Button {n}",
                value=None,
                window=EVIL,
                text=f"Click **Button {n}**.",
                image=f"images/s-{n}.png",
                box=(500, 300, 40, 20),
                dropped="nothing changed on screen" if n == 5 else None,
            )
        )
    guide = Guide(id="g", title="G", stage=None, version="1.0.0", purpose=None, recorded={}, steps=steps)
    save_guide(guide, folder / "guide.yml")
    return folder / "guide.yml"


@pytest.fixture
def guide_file(tmp_path: Path) -> Path:
    return make_guide(tmp_path / "lib")


def change(guide_file: Path, **request: Any) -> Guide:
    ctx = Context(guide_file.parent, lambda: load_valuestream(guide_file.parent.parent.parent))
    return apply(load_guide(guide_file), request, ctx)


def step(guide: Guide, step_id: str) -> Step:
    return next(s for s in guide.steps if s.id == step_id)


def test_text_is_rewritten_and_marked(guide_file: Path) -> None:
    guide = change(guide_file, op="text", step="s-2", text="  Click **Save** once.\n")
    assert step(guide, "s-2").text == "Click **Save** once."
    assert step(guide, "s-2").edited == ["text"]
    assert step(load_guide(guide_file), "s-2").text == "Click **Button 2**."  # apply is pure


def test_note_tip_warning_and_its_removal(guide_file: Path) -> None:
    guide = change(guide_file, op="note", step="s-1", note="Check the *amount*.", kind="warning")
    assert (step(guide, "s-1").note, step(guide, "s-1").note_kind) == ("Check the *amount*.", "warning")
    assert step(guide, "s-1").edited == ["note"]
    guide = change(guide_file, op="note", step="s-1", note=None)
    assert step(guide, "s-1").note is None and step(guide, "s-1").edited == ["note"]


def test_delete_hides_the_step_and_restore_shows_it(guide_file: Path) -> None:
    guide = change(guide_file, op="delete", step="s-3")
    assert step(guide, "s-3").dropped == DELETED and step(guide, "s-3").edited == ["dropped"]
    assert [s.id for s in guide.steps] == ["s-1", "s-2", "s-3", "s-4", "s-5"]  # kept in guide.yml
    save_guide(guide, guide_file)
    restored = change(guide_file, op="restore", step="s-3")
    assert step(restored, "s-3").dropped is None and step(restored, "s-3").edited == []


def test_merge_keeps_the_first_screenshot_and_both_texts(guide_file: Path) -> None:
    save_guide(change(guide_file, op="note", step="s-3", note="Wait.", kind="tip"), guide_file)
    guide = change(guide_file, op="merge", step="s-2", **{"with": "s-3"})
    first, second = step(guide, "s-2"), step(guide, "s-3")
    assert first.text == "Click **Button 2**. Click **Button 3**."
    assert first.image == "images/s-2.png"
    assert (first.note, first.note_kind) == ("Wait.", "tip")
    assert first.edited == ["text", "note"]
    assert second.dropped == "merged into step s-2" and "dropped" in second.edited


def test_move_among_shown_steps(guide_file: Path) -> None:
    save_guide(change(guide_file, op="delete", step="s-2"), guide_file)
    guide = change(guide_file, op="move", step="s-3", by=-1)  # past the hidden s-2
    assert [s.id for s in guide.steps] == ["s-3", "s-1", "s-2", "s-4", "s-5"]
    guide = change(guide_file, op="move", step="s-1", by=2)
    assert [s.id for s in guide.steps if s.dropped is None] == ["s-3", "s-4", "s-1"]


def test_image_boxes_in_image_pixels(guide_file: Path) -> None:
    guide = change(guide_file, op="blur", step="s-1", boxes=[[10, 10, 50, 20], [100, 100, 30, 30]])
    assert step(guide, "s-1").blur == [(10, 10, 50, 20), (100, 100, 30, 30)]
    guide = change(guide_file, op="crop", step="s-1", box=[0, 0, 200, 100])
    assert step(guide, "s-1").crop == (0, 0, 200, 100) and step(guide, "s-1").edited == ["crop"]
    guide = change(guide_file, op="box", step="s-1", box=[20, 30, 60, 16])
    assert step(guide, "s-1").box == (20, 30, 60, 16) and step(guide, "s-1").edited == ["box"]
    guide = change(guide_file, op="box", step="s-1", box=None)
    assert step(guide, "s-1").box is None and step(guide, "s-1").edited == ["box"]


def test_guide_fields_and_stage(guide_file: Path) -> None:
    guide = change(guide_file, op="guide", title=" New title ", purpose="Why.", prerequisites=["A", " ", "B"])
    assert (guide.title, guide.purpose, guide.prerequisites) == ("New title", "Why.", ["A", "B"])
    guide = change(guide_file, op="stage", stage="customer-inquiry")
    assert (guide.stage, guide.stage_source) == ("customer-inquiry", "manual")
    assert change(guide_file, op="stage", stage=None).stage is None


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ([], "request: expected a JSON object"),
        ({"op": "explode"}, "op: expected one of"),
        ({"op": "text", "step": "s-1", "text": "x", "extra": 1}, "unknown key(s) extra"),
        ({"op": "text", "step": "s-9", "text": "x"}, "step: expected the id of a step"),
        ({"op": "text", "step": "s-1", "text": "   "}, "found nothing"),
        ({"op": "text", "step": "s-1", "text": 5}, "text: expected a text"),
        ({"op": "note", "step": "s-1", "note": "x", "kind": "danger"}, "kind: expected one of"),
        ({"op": "delete", "step": "s-5"}, "is hidden"),
        ({"op": "restore", "step": "s-1"}, "is shown already"),
        ({"op": "merge", "step": "s-1", "with": "s-3"}, "with: expected the step shown right after s-1"),
        ({"op": "merge", "step": "s-4", "with": "s-5"}, "with: step s-5 is hidden"),
        ({"op": "move", "step": "s-1", "by": -1}, "cannot move -1 places"),
        ({"op": "move", "step": "s-1", "by": True}, "by: expected a whole number"),
        ({"op": "blur", "step": "s-1", "boxes": [[0, 0, 400, 10]]}, "inside the 320x180 screenshot"),
        ({"op": "blur", "step": "s-1", "boxes": [[0, 0, 2, 2]]}, "at least 4x4"),
        ({"op": "crop", "step": "s-1", "box": [0, 0, 10.5, 10]}, "box: expected [x, y, width, height]"),
        ({"op": "box", "step": "s-1", "box": [-1, 0, 10, 10]}, "inside the 320x180"),
        ({"op": "guide", "title": "a\nb"}, "title: expected one line"),
        ({"op": "guide"}, "expected at least one of"),
        ({"op": "stage", "stage": "nowhere"}, "unknown stage 'nowhere'"),
        ({"op": "stage"}, "stage: expected a stage id"),
    ],
)
def test_bad_requests_are_refused_with_a_message(guide_file: Path, request_: Any, message: str) -> None:
    ctx = Context(guide_file.parent, lambda: load_valuestream(guide_file.parent.parent.parent))
    with pytest.raises(EditError) as caught:
        apply(load_guide(guide_file), request_, ctx)
    assert message in str(caught.value)


def test_session_saves_each_change_and_undoes_them(guide_file: Path) -> None:
    original = guide_file.read_text(encoding="utf-8")
    session = Session(guide_file)
    session.change({"op": "text", "step": "s-1", "text": "Click **OK**."})
    session.change({"op": "note", "step": "s-1", "note": "Careful.", "kind": "warning"})
    assert step(load_guide(guide_file), "s-1").edited == ["text", "note"]
    page = (guide_file.parent / "guide.md").read_text(encoding="utf-8")
    assert "**1.** Click **OK**." in page and "!!! warning\n\n    Careful." in page
    with pytest.raises(EditError):
        session.change({"op": "text", "step": "s-1", "text": ""})
    session.undo()
    assert step(load_guide(guide_file), "s-1").note is None
    session.undo()
    assert guide_file.read_text(encoding="utf-8") == original
    with pytest.raises(EditError, match="nothing to undo"):
        session.undo()


def test_undo_never_loses_a_change_made_outside_the_editor(guide_file: Path) -> None:
    session = Session(guide_file)
    session.change({"op": "delete", "step": "s-1"})
    guide = load_guide(guide_file)
    guide.title = "Changed by hand"
    save_guide(guide, guide_file)
    with pytest.raises(EditError, match="changed outside the editor"):
        session.undo()
    assert load_guide(guide_file).title == "Changed by hand"
    assert not session.can_undo


def test_the_page_lists_unsure_steps_first_and_flags_them(guide_file: Path) -> None:
    guide = load_guide(guide_file)
    named = {
        "s-1": ("accessibility", 0.95),
        "s-2": ("ocr", 0.45),
        "s-3": ("place", 0.2),
        "s-5": ("place", 0.1),
    }
    for s in guide.steps:
        s.source, s.confidence = named.get(s.id, (None, None))
    html = render_page(guide, guide_file, "tok", False, None)
    review = html.split('<section class="review"')[1].split("</section>")[0]
    assert review.index('href="#step-s-3"') < review.index('href="#step-s-2"')
    assert "#step-s-1" not in review and "#step-s-5" not in review, "sure and hidden steps are not listed"
    assert "(place, 20 % sure)" in review and "(ocr, 45 % sure)" in review
    assert html.count('class="step unsure"') == 2
    assert "Check the name: nothing named this step, 20 % sure." in html
    assert "Check the name: named by ocr, 45 % sure." in html
    guide.steps[1].edited, guide.steps[2].edited = ["text"], ["text"]  # a person wrote their texts
    assert '<section class="review"' not in render_page(guide, guide_file, "tok", False, None)
