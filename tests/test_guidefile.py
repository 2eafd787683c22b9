"""guide.yml: round trip, and every invalid state reported with its line; library names and look-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import GuideError
from generator.guide.model import Guide, Revision, Step
from generator.guide.store import dump_guide, load_guide, save_guide
from generator.library.layout import resolve_guide, slugify, unique_slug


def sample_guide() -> Guide:
    return Guide(
        id="capture-a-new-lead",
        title="Capture a new lead",
        stage="customer-inquiry",
        version="1.0.0",
        purpose=None,
        recorded={"recording": "recordings/lead", "started": "2026-11-22T10:00:00+00:00", "duration_s": 42.0},
        steps=[
            Step(
                "s-3f9a",
                "click",
                "Leads",
                None,
                "Acme CRM",
                "Click **Leads**.",
                image="images/s-3f9a.png",
                box=(10, 20, 60, 18),
                at=1.2,
                conf=91.5,
                note="Leads opens the list of all leads.",
                note_kind="tip",
                blur=[(1, 2, 30, 40), (50, 60, 7, 8)],
                crop=(0, 0, 400, 300),
                edited=["text", "note", "blur", "crop"],
            ),
            Step(
                "s-0b1c",
                "type",
                "Password",
                None,
                "Acme CRM",
                "Enter your password in **Password**.",
                secret=True,
                at=3.0,
            ),
            Step("s-77aa", "key", None, "down", None, "Press ++arrow-down++ 3 times.", count=3, dropped=None),
            Step(
                "s-1234",
                "click",
                None,
                None,
                None,
                "Click.",
                dropped="nothing changed on screen after the click",
            ),
        ],
        revisions=[Revision("1.0.0", "2026-11-22", "Recorded")],
    )


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "guide.yml"
    save_guide(sample_guide(), path)
    assert load_guide(path) == sample_guide()
    text = path.read_text()
    assert "box: [10, 20, 60, 18]" in text and text.startswith("schema: 1\nid: capture-a-new-lead\n")
    assert (
        "  blur:\n  - [1, 2, 30, 40]\n  - [50, 60, 7, 8]\n" in text
        and "edited: [text, note, blur, crop]" in text
    )
    assert "note_kind" not in text.split("- id: s-0b1c")[1]  # defaults are not written


def test_typed_text_that_looks_like_yaml_stays_text(tmp_path: Path) -> None:
    guide = sample_guide()
    guide.steps[0].value = "yes: no # - [x] 'q' \"dq\" <script>"
    guide.steps[1].value = None
    path = tmp_path / "guide.yml"
    save_guide(guide, path)
    assert load_guide(path).steps[0].value == "yes: no # - [x] 'q' \"dq\" <script>"


def break_guide(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "guide.yml"
    text = dump_guide(sample_guide())
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


def last_line_of(path: Path, fragment: str) -> int:
    return [i for i, line in enumerate(path.read_text().splitlines(), 1) if fragment in line][-1]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("action: click", "action: clik", "steps[0].action: expected one of capture, click"),
        ("box: [10, 20, 60, 18]", "box: [10, 20]", "steps[0].box: expected [x, y, width, height]"),
        ("version: 1.0.0", "version: one", "version: expected a version like 1.2.0"),
        ("id: s-0b1c", "id: s-3f9a", "steps[1].id: duplicate step id 's-3f9a'"),
        (
            "image: images/s-3f9a.png",
            "image: ../../etc/passwd",
            "steps[0].image: expected an image in images/",
        ),
        ("image: images/s-3f9a.png", "image: guide.yml", "steps[0].image: expected an image in images/"),
        (
            "image: images/s-3f9a.png",
            "image: images/notes.txt",
            "steps[0].image: expected an image in images/",
        ),
        ("at: 3.0", "at: .nan", "steps[1].at: expected a number from -1e+09 to 1e+09, found nan"),
        ("at: 3.0", "at: .inf", "steps[1].at: expected a number from -1e+09 to 1e+09, found inf"),
        (
            "box: [10, 20, 60, 18]",
            "box: [0, 0, 100000000, 9]",
            "steps[0].box: expected [x, y, width, height]",
        ),
        ("- [1, 2, 30, 40]", "- [1, 2, 30, 99999999999]", "steps[0].blur[0]: expected [x, y, width, height]"),
        ("title: Capture a new lead", "title: [a, b]", "title: expected str"),
        ("schema: 1", "schema: 9", "schema: expected 1, found 9"),
        ("note_kind: tip", "note_kind: hint", "steps[0].note_kind: expected one of note, tip, warning"),
        ("crop: [0, 0, 400, 300]", "crop: [0, 0, 0, 300]", "steps[0].crop: expected [x, y, width, height]"),
        ("- [1, 2, 30, 40]", "- [1, 2, 30]", "steps[0].blur[0]: expected [x, y, width, height]"),
        ("edited: [text,", "edited: [txt,", "steps[0].edited[0]: expected one of blur, box, crop"),
        ("stage: customer-inquiry", "stage_source: maybe", "stage_source: expected one of auto, manual"),
        ("prerequisites: []", "prerequisites: [a, null]", "prerequisites[1]: expected text, found None"),
        ("at: 3.0", "at: soon", "steps[1].at: expected int or float or null, found 'soon'"),
    ],
)
def test_invalid_guide_names_file_line_and_field(tmp_path: Path, old: str, new: str, expected: str) -> None:
    path = break_guide(tmp_path, old, new)
    with pytest.raises(GuideError) as error:
        load_guide(path)
    message = str(error.value)
    assert expected in message
    assert message.startswith(f"{path}:{last_line_of(path, new)}:")


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    path = break_guide(tmp_path, "action: click", "action: clik")
    path.write_text(path.read_text().replace("version: 1.0.0", "version: x"))
    with pytest.raises(GuideError) as error:
        load_guide(path)
    assert len(str(error.value).splitlines()) == 2


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    path = break_guide(tmp_path, "title: Capture a new lead", "title: [unclosed")
    with pytest.raises(GuideError, match=r"guide.yml:\d+: not valid YAML"):
        load_guide(path)


def test_a_value_yaml_cannot_make_is_an_error(tmp_path: Path) -> None:
    path = break_guide(tmp_path, "title: Capture a new lead", "title: Lead\nreviewed: 2026-13-01")
    with pytest.raises(GuideError, match=r"guide.yml: a value YAML cannot read \(month must be in 1..12\)"):
        load_guide(path)


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(GuideError, match="no such guide file"):
        load_guide(tmp_path / "guide.yml")
    (tmp_path / "guide.yml").write_text("")
    with pytest.raises(GuideError, match="expected a mapping"):
        load_guide(tmp_path / "guide.yml")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Capture a new lead", "capture-a-new-lead"),
        ("../../etc/passwd", "etc-passwd"),
        ("Crème brûlée: QA check!", "creme-brulee-qa-check"),
        ("   ", "guide"),
        ("日本語", "guide"),
        ("a" * 100, "a" * 60),
    ],
)
def test_slugs_are_safe_file_names(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_unique_slug_and_resolving_a_guide(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    folder = library / "guides" / "capture-a-new-lead"
    folder.mkdir(parents=True)
    save_guide(sample_guide(), folder / "guide.yml")
    assert unique_slug(library, "Capture a new lead") == "capture-a-new-lead-2"
    expected = folder / "guide.yml"
    assert resolve_guide(folder) == expected
    assert resolve_guide(expected) == expected
    assert resolve_guide("capture-a-new-lead", library) == expected
    with pytest.raises(GuideError, match="guides here: capture-a-new-lead"):
        resolve_guide("nope", library)
    with pytest.raises(GuideError, match="add --library"):
        resolve_guide("capture-a-new-lead")
