"""What a typed value may show: secrets never written (whatever the layout, and typing that no click began),
personal data named by its kind. Pure rules on hand-made input; the sample recordings with real tesseract."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from capture import load_recording
from capture.models import Element, Rect
from generator.cli import main
from generator.guide.model import Step
from generator.guide.store import load_guide
from generator.pipeline import secrets as secrets_module
from generator.pipeline.generate import Options, generate
from generator.pipeline.ocr import Crop, Ocr
from generator.pipeline.pixels import Grey, masking_dots
from generator.pipeline.secrets import Field, Frames, Withheld, is_secret, names_secret, withhold_personal
from generator.render.step_text import step_text
from generator.sample import RECORDINGS
from tests.conftest import need

PASSWORD = "Winter-2025!"


@pytest.mark.parametrize(
    "name",
    ["Password", "Portal password", "Approval PIN", "API key", "One-time code", "CVV", "Kennwort", "Token"],
)
def test_secret_words(name: str) -> None:
    assert names_secret(name)
    assert is_secret(Field(labels=("Customer", name)))  # any candidate of the field, not only the label


@pytest.mark.parametrize("name", ["Customer", "Quantity", "Spinner", "Company name", "Pineapple"])
def test_ordinary_names(name: str) -> None:
    assert not names_secret(name) and not is_secret(Field(labels=(name,)))


def test_the_element_the_dots_or_no_text_make_a_field_secret() -> None:
    assert is_secret(Field(Element("Code", "password text")))
    assert is_secret(Field(Element(None, "text", ("protected",))))
    assert is_secret(Field(Element("Notes", "entry", placeholder="Your PIN")))
    assert is_secret(Field(masked=True))
    assert is_secret(Field(), no_text=True)
    assert not is_secret(Field(Element("Notes", "entry", ("editable",))))


@pytest.mark.parametrize(
    ("typed", "withheld"),
    [
        ("jane.doe@acme.example", Withheld(None, "email")),
        ("+1 555 0100", Withheld(None, "phone")),
        ("4111 1111 1111 1111", Withheld(None, "card")),
        ("DE89 3704 0044 0532 0130 00", Withheld(None, "iban")),
        ("Call +49 30 1234 5678 after 5", Withheld("Call [phone number] after 5")),
        ("Acme Corp", Withheld("Acme Corp")),
    ],
)
def test_personal_data_is_withheld(typed: str, withheld: Withheld) -> None:
    assert withhold_personal(typed) == withheld


def test_the_sentence_names_the_kind_of_personal_data() -> None:
    step = Step("s-1", "type", "Email", None, None, "")
    assert step_text(step, personal="email") == "Type the e-mail address in **Email**."
    assert step_text(step, personal="iban") == "Type the IBAN in **Email**."
    secret = Step("s-2", "type", "Password", None, None, "", secret=True)
    assert step_text(secret, personal="email") == "Enter your password in **Password**."


def test_masking_dots_are_found_only_where_they_are() -> None:
    frames = RECORDINGS / "sign-in" / "frames"
    with Image.open(frames / "000003.png") as image:
        after = Grey.of(image)
    with Image.open(frames / "000002.png") as image:
        before = Grey.of(image)
    field = Rect(455, 391, 370, 37)
    assert masking_dots(after, field) and masking_dots(after)
    assert not masking_dots(before) and not masking_dots(after, Rect(455, 313, 370, 37))


KEY_FRAME = {"file": "000002.png", "monitor": 1, "t": 1.36}  # grabbed just after the first key


def tab_instead_of_click(
    tmp_path: Path, element: dict[str, object] | None = None, key_frame: bool = False
) -> Path:
    """issue 13 item 1: the sample sign-in with the click into Password replaced by Tab."""
    recording = tmp_path / "sign-in-tab"
    shutil.copytree(RECORDINGS / "sign-in", recording)
    events = []
    for line in (recording / "events.jsonl").read_text().splitlines():
        event = json.loads(line)
        if event["type"].startswith("mouse_") and event["t"] == 1.0513:
            event = {
                "type": event["type"].replace("mouse", "key"),
                "t": event["t"],
                "key": "tab",
                "char": None,
                "frame": event["frame"],  # grabbed at the Tab (the release has none)
            }
        elif event.get("char") == "W" and event["type"] == "key_press":
            event |= {"element": element} if element is not None else {}
            event |= {"frame": KEY_FRAME} if key_frame else {}
        events.append(json.dumps(event))
    (recording / "events.jsonl").write_text("\n".join(events) + "\n")
    return recording


def published(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


FIELD = [455, 391, 370, 37]
TAB_CASES = {
    "no-element-no-frame": (None, False),  # an older recording: dots new on the next frame
    "no-element": (None, True),
    "password-element": ({"name": "Password", "role": "password text", "bounds": FIELD}, True),
    "named-like-a-password": ({"name": "Password", "role": "text", "bounds": FIELD}, True),
    "dots-in-its-bounds": ({"name": "Notes", "role": "entry", "bounds": FIELD}, True),
}


@pytest.mark.ocr
@pytest.mark.parametrize(("element", "key_frame"), TAB_CASES.values(), ids=TAB_CASES.keys())
def test_a_password_typed_after_tab_is_written_nowhere(
    tmp_path: Path, element: dict[str, object] | None, key_frame: bool
) -> None:
    need("tesseract")
    library = tmp_path / "lib"
    recording = tab_instead_of_click(tmp_path, element, key_frame)
    folder = generate(recording, library, Options(title="Tab"))
    guide = load_guide(folder / "guide.yml")
    assert [s.action for s in guide.steps] == ["type", "key", "type", "click", "click"]
    typed = guide.steps[2]
    assert typed.secret and typed.value is None
    assert guide.steps[1].image is not None, "the Tab step shows the frame grabbed at the key"
    if element is not None and element["name"] == "Password":
        assert typed.text == "Enter your password in **Password**."
    if key_frame:
        assert typed.image is not None, "typing that no click began shows the frame of its first key"
    if (
        element is None and not key_frame
    ):  # the site (its search index too) and the exports, as issue 13 found
        assert main(["build", str(library), "--out", str(tmp_path / "site")]) == 0
        for fmt in ("md", "html"):
            assert (
                main(["export", str(folder), "--format", fmt, "--out", str(tmp_path / f"export.{fmt}")]) == 0
            )
        assert (tmp_path / "site" / "search" / "search_index.json").is_file()
    for path in published(tmp_path):  # guide.yml, guide.md, images, the OCR cache, the site, the exports
        if "sign-in-tab" in path.parts:
            continue  # the recording itself
        data = path.read_bytes()
        assert PASSWORD.encode() not in data and b"Winter" not in data, path


@pytest.mark.ocr
def test_personal_data_typed_is_named_by_its_kind_unless_no_redact(tmp_path: Path) -> None:
    need("tesseract")
    redacted = load_guide(
        generate(RECORDINGS / "new-lead", tmp_path / "lib", Options(title="R")) / "guide.yml"
    )
    texts = [s.text for s in redacted.steps]
    assert "Type the e-mail address in **Email**." in texts and "Type the phone number in **Phone**." in texts
    assert not [s for s in redacted.steps if s.value and ("@" in s.value or "555" in s.value)]
    plain = generate(RECORDINGS / "new-lead", tmp_path / "lib", Options(title="P", redact=False))
    assert "Type `jane.doe@acme.example` in **Email**." in (plain / "guide.md").read_text()


@pytest.mark.ocr
def test_a_secret_read_on_a_screen_leaves_the_ocr_cache(tmp_path: Path) -> None:
    """A secret typed into a field that does not mask it: the crops that show it are not kept."""
    need("tesseract")
    frames = sorted((RECORDINGS / "new-lead" / "frames").glob("*.png"))
    crops = []
    for frame in frames:
        with Image.open(frame) as image:
            crops.append(Crop(frame, Rect(0, 0, *image.size), scale=1))
    ocr = Ocr(cache_dir=tmp_path / "cache")
    ocr.read(crops)
    cached = lambda: b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*.json"))  # noqa: E731
    assert b"jane.doe@acme.example" in cached()
    assert ocr.forget(frozenset({"jane.doe@acme.example"})) >= 1
    assert b"jane.doe" not in cached() and cached(), "only the crops showing the secret are gone"


def test_frames_keep_a_bounded_number_of_frames_and_read_again_what_they_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recording = load_recording(RECORDINGS / "new-lead")
    paths = sorted((RECORDINGS / "new-lead" / "frames").glob("*.png"))
    with Image.open(paths[0]) as image:
        size = image.width * image.height
    monkeypatch.setattr(secrets_module, "KEPT_BYTES", 3 * size)
    frames = Frames(recording)
    first = [frames.grey(path) for path in paths]
    assert len(frames._grey) <= 3 and paths[0] not in frames._grey
    assert frames.grey(paths[0]) == first[0]  # read again
    again = Frames(recording)
    assert [again.grey(path) for path in reversed(paths)] == list(reversed(first))


def test_frames_after_and_before_a_moment() -> None:
    recording = load_recording(RECORDINGS / "new-lead")
    frames = Frames(recording)
    for t in (0.0, 2.5, 7.0925, 100.0):
        later = [f for f in frames.refs if f.t > t]
        assert frames.after(t, 1) == later and frames.after(t, None, 2) == later[:2]
        assert frames.after(t, 2) == []
        earlier = [f for f in frames.refs if f.t <= t]
        assert frames.before(t, 1) == (earlier[-1] if earlier else None)


def test_a_frame_several_threads_ask_for_at_once_is_decoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    recording = load_recording(RECORDINGS / "new-lead")
    path = sorted((RECORDINGS / "new-lead" / "frames").glob("*.png"))[0]
    decoded: list[Path] = []
    read = secrets_module._read_grey

    def counted(frame: Path, *how: Any) -> Grey | None:
        decoded.append(frame)
        return read(frame, *how)

    monkeypatch.setattr(secrets_module, "_read_grey", counted)
    frames = Frames(recording)
    with ThreadPoolExecutor(8) as pool:
        greys = list(pool.map(lambda _: frames.grey(path), range(8)))
    assert decoded == [path] and all(g == greys[0] for g in greys) and greys[0] is not None
