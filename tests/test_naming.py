"""Naming steps: the recorded element first, OCR second, the place last (generator/pipeline/naming.py), on
pure cases and on synthetic recordings with element data, read by the real tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from capture.format import FORMAT_VERSION
from capture.models import (
    Element,
    Event,
    FrameRef,
    KeyEvent,
    Meta,
    Monitor,
    MouseButtonEvent,
    Rect,
    WindowInfo,
)
from capture.writer import RecordingWriter
from generator.guide.model import Label, Step, Word
from generator.guide.store import load_guide
from generator.library.layout import Library
from generator.pipeline.generate import Options, generate
from generator.pipeline.naming import (
    absent_item,
    cross_checked,
    disagree,
    element_box,
    element_name,
    from_element,
    from_label,
    from_place,
    identity,
    shown_text,
    shown_unseen,
)
from tests.conftest import need

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
WINDOW = WindowInfo("Order form", "chromium", Rect(0, 0, 1000, 600))
PATH = (("application", "Chromium"), ("frame", "Order form"), ("panel", ""), ("document web", "Order form"))


def entry(name: str | None, bounds: Rect | None = None, **more: object) -> Element:
    return Element(name, "entry", ("editable",), bounds, path=PATH, **more)  # type: ignore[arg-type]


# Choosing the element's name ---------------------------------------------------------------------------


def test_the_name_of_an_element_comes_first_then_its_label_placeholder_and_tooltip() -> None:
    assert element_name(entry("Customer", label="Client")) == ("Customer", "name")
    assert element_name(entry(None, label="Customer", placeholder="e.g. ACME")) == ("Customer", "label")
    assert element_name(entry("  ", placeholder="Notes for driver")) == ("Notes for driver", "placeholder")
    icon = Element("+", "push button", description="Add a row")
    assert element_name(icon) == ("Add a row", "description")
    assert element_name(Element("Settings", "push button")) == ("Settings", "name")


def test_a_clicked_combo_box_is_named_by_what_it_shows_else_its_label() -> None:
    web = Element("Industry", "combo box", value="Select an industry", label="Industry")
    assert element_name(web, clicked=True) == ("Select an industry", "shown")
    qt = Element("US", "combo box", value="US", label="Region")  # Qt names a combo box by its item
    assert element_name(qt, clicked=True) == ("US", "shown")
    empty = Element(None, "combo box", value=" ", label="Time window")
    assert element_name(empty, clicked=True) == ("Time window", "label")
    assert element_name(web) == ("Industry", "name")  # typing into it: never its value
    assert element_name(entry("ACME Corp"), typed=None, clicked=True) == ("ACME Corp", "name")


def test_a_combo_box_whose_box_did_not_show_its_value_at_the_click_is_named_as_a_field() -> None:
    """GTK selects the first item when the click opens the list, before the tree is asked: the value is then
    not what the box showed at the click, which OCR of the click's screenshot tells."""
    gtk = Element("Time window", "combo box", value="Morning", label="Time window")
    name = from_element(gtk, Rect(0, 0, 120, 24), clicked=True)
    assert name is not None and name.text == "Morning"
    unseen = shown_unseen(name, gtk, None)  # the box showed nothing
    assert unseen is not None and unseen.text == "Time window" and unseen.source == "accessibility"
    assert shown_unseen(name, gtk, "Morning") is None  # it showed its value: kept
    button = from_element(Element("Save", "push button"), None, clicked=True)
    assert button is not None and shown_unseen(button, Element("Save", "push button"), None) is None


def test_a_menu_item_with_no_text_on_the_screenshot_of_the_click_was_not_clicked() -> None:
    item = from_element(Element("Morning", "menu item"), Rect(0, 0, 80, 20), clicked=True)
    assert item is not None and absent_item(item, None)  # the list opened after the click
    assert not absent_item(item, "Morning")  # the menu was there: clicked
    button = from_element(Element("Add line", "push button"), Rect(0, 0, 20, 20), clicked=True)
    assert button is not None and not absent_item(button, None)  # an icon-only button shows no text


def test_containers_punctuation_paragraphs_and_values_name_nothing() -> None:
    assert element_name(Element("Order form", "document web")) is None
    assert element_name(Element("Main area", "panel", description="Everything")) is None
    assert element_name(Element("…", "push button")) is None
    assert element_name(Element("x" * 81, "label")) is None
    combo = Element("US", "combo box", value="US", label="Region")  # Qt names a combo box by its item
    assert element_name(combo) == ("Region", "label")
    assert element_name(entry("ACME Corp"), typed="ACME Corp") is None  # a field named by its content
    assert element_name(Element(" Save\n lead ", "push button")) == ("Save lead", "name")


def test_identity_keeps_the_named_ancestors() -> None:
    assert identity(entry("Customer")) == (
        "application: Chromium",
        "frame: Order form",
        "document web: Order form",
    )


def test_confidence_by_source() -> None:
    named = from_element(entry("Customer"), Rect(1, 2, 3, 4))
    assert named is not None
    assert (named.text, named.source, named.confidence, named.role) == (
        "Customer",
        "accessibility",
        0.95,
        "entry",
    )
    astray = from_element(entry("Customer"), None, astray=True)
    assert astray is not None and astray.confidence == 0.55
    assert from_element(Element("Main", "panel"), None) is None
    ocr = from_label(Label("Save lead", 92.0, Rect(0, 0, 10, 10), "under"))
    assert (ocr.source, ocr.confidence, ocr.conf) == ("ocr", 0.83, 92.0)
    assert from_label(Label("Customer", 92.0, Rect(0, 0, 10, 10), "left")).confidence == 0.69
    assert (from_place(True).source, from_place(True).confidence, from_place(False).confidence) == (
        "place",
        0.2,
        0.1,
    )


def test_strong_disagreement_lowers_the_confidence_but_keeps_the_name() -> None:
    named = from_element(Element("Delete row", "push button"), None)
    assert named is not None
    assert disagree("Delete row", "Customer") and not disagree("Save", "Save lead")
    assert not disagree("Save lead", "Save Iead")
    checked = cross_checked(named, "Customer")
    assert (checked.text, checked.confidence) == ("Delete row", 0.5)
    assert cross_checked(named, "Delete row:") == named
    assert cross_checked(named, None) == named


def test_element_box_is_clipped_and_refused_when_too_large_or_astray() -> None:
    size = (1000, 600)
    assert element_box(Rect(200, 88, 240, 30), size, (260, 103)) == (Rect(200, 88, 240, 30), False)
    assert element_box(Rect(-10, 0, 40, 30), size, (5, 5)) == (Rect(0, 0, 30, 30), False)
    assert element_box(Rect(0, 0, 1000, 600), size, (5, 5)) == (None, False)
    assert element_box(Rect(200, 88, 240, 30), size, (700, 400)) == (Rect(200, 88, 240, 30), True)
    assert element_box(None, size, (1, 1)) == (None, False)


def test_shown_text_reads_inside_the_box_only() -> None:
    words = [
        Word("Save", 95, Rect(10, 10, 30, 12), 1),
        Word("draft", 93, Rect(44, 10, 30, 12), 1),
        Word("Cancel", 95, Rect(200, 10, 40, 12), 2),
        Word("x", 20, Rect(80, 10, 8, 12), 1),
    ]
    assert shown_text(words, Rect(5, 5, 90, 22)) == "Save draft"
    assert shown_text(words, Rect(300, 5, 20, 20)) is None


# Synthetic recordings with element data, read by the real tesseract ------------------------------------

CUSTOMER = Rect(200, 88, 240, 30)  # a labels-left form under a group caption
REGION = Rect(200, 148, 240, 30)
PIN = Rect(200, 208, 240, 30)
SETTINGS = Rect(900, 20, 36, 36)  # an icon-only button
PUBLISH = Rect(200, 300, 140, 34)  # a button whose accessible name is not the text it shows
REPORTS = (560, 420)  # text on a panel: the tree gives only the panel


def draw_form(path: Path) -> None:
    font = ImageFont.truetype(str(FONT), 15)
    image = Image.new("RGB", (1000, 600), "white")
    draw = ImageDraw.Draw(image)
    draw.text((60, 40), "Order details", font=ImageFont.truetype(str(FONT), 18), fill="black")
    for label, box, value in (
        ("Customer", CUSTOMER, ""),
        ("Region", REGION, "US"),
        ("Approval PIN", PIN, ""),
    ):
        draw.text((60, box.top + 6), label, font=font, fill="black")
        draw.rectangle((box.left, box.top, box.left + box.width, box.top + box.height), outline="grey")
        draw.text((box.left + 8, box.top + 6), value, font=font, fill="black")
    cx, cy = SETTINGS.left + SETTINGS.width // 2, SETTINGS.top + SETTINGS.height // 2
    draw.ellipse((cx - 12, cy - 12, cx + 12, cy + 12), outline="black", width=4)
    draw.ellipse((cx - 4, cy - 4, cx + 4, cy + 4), fill="black")
    draw.rectangle(
        (PUBLISH.left, PUBLISH.top, PUBLISH.left + PUBLISH.width, PUBLISH.top + PUBLISH.height), fill="#dde"
    )
    draw.text((PUBLISH.left + 22, PUBLISH.top + 8), "Save draft", font=font, fill="black")
    draw.text((REPORTS[0] - 30, REPORTS[1] - 8), "Reports", font=font, fill="black")
    image.save(path)


class Script:
    """Events of a synthetic recording: each press grabs a frame of the same form under its own name."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.events: list[Event] = []
        self.t = 1.0
        self.frames = 0

    def click(self, x: int, y: int, element: Element | None) -> None:
        self.frames += 1
        frame = FrameRef(f"{self.frames:06d}.png", 1, self.t + 0.02)
        self.events.append(MouseButtonEvent("mouse_press", self.t, x, y, "left", WINDOW, frame, element))
        self.events.append(MouseButtonEvent("mouse_release", self.t + 0.05, x, y, "left", WINDOW))
        self.t += 1.0

    def type(self, text: str, element: Element | None) -> None:
        for i, char in enumerate(text):
            self.events.append(
                KeyEvent("key_press", self.t, None, char, window=WINDOW, element=element if i == 0 else None)
            )
            self.events.append(KeyEvent("key_release", self.t + 0.01, None, char, window=WINDOW))
            self.t += 0.1
        self.t += 1.0

    def write(self) -> Path:
        meta = Meta(
            format=FORMAT_VERSION,
            title="Synthetic order",
            stage=None,
            started="2026-11-22T10:00:00+00:00",
            ended=None,
            monitors=(Monitor(1, Rect(0, 0, 1000, 600)),),
            platform="Linux",
            vsop_version="0.1.0",
        )
        writer = RecordingWriter(self.root, meta)
        writer.open()
        for event in self.events:
            writer.append(event)
        writer.close("2026-11-22T10:01:00+00:00")
        draw_form(self.root / "frames" / "000001.png")
        for n in range(2, self.frames + 1):
            (self.root / "frames" / f"{n:06d}.png").write_bytes(
                (self.root / "frames" / "000001.png").read_bytes()
            )
        return self.root


def centre(box: Rect) -> tuple[int, int]:
    return box.left + box.width // 2, box.top + box.height // 2


def steps_of(recording: Path, library: Path, options: Options | None = None) -> list[Step]:
    return load_guide(generate(recording, library, options or Options()) / "guide.yml").steps


@pytest.mark.ocr
def test_steps_are_named_by_their_elements_and_ocr_where_the_tree_has_nothing(tmp_path: Path) -> None:
    need("tesseract")
    script = Script(tmp_path / "rec")
    script.click(*centre(CUSTOMER), entry("Customer", CUSTOMER))
    script.type("ACME", None)
    region = Element("US", "combo box", bounds=REGION, value="US", label="Region", path=PATH)
    script.click(*centre(REGION), region)
    script.click(*centre(PIN), Element("Approval PIN", "password text", ("editable",), PIN, path=PATH))
    script.type("4711", None)
    script.click(*centre(SETTINGS), Element("Settings", "push button", bounds=SETTINGS, path=PATH))
    script.click(*centre(PUBLISH), Element("Publish now", "push button", bounds=PUBLISH, path=PATH))
    script.click(*REPORTS, Element("Main area", "panel", bounds=Rect(0, 0, 1000, 600), path=PATH))
    script.click(700, 560, None)
    steps = steps_of(script.write(), tmp_path / "lib")
    seen = [(s.action, s.target, s.value, s.source, s.confidence, s.role) for s in steps]
    assert seen == [
        ("type", "Customer", "ACME", "accessibility", 0.95, "entry"),
        ("click", "US", None, "accessibility", 0.9, "combo box"),  # what it shows
        ("type", "Approval PIN", None, "accessibility", 0.95, "password text"),
        ("click", "Settings", None, "accessibility", 0.95, "push button"),
        ("click", "Publish now", None, "accessibility", 0.5, "push button"),  # OCR reads "Save draft"
        ("click", "Reports", None, "ocr", seen[5][4], None),
        ("click", None, None, "place", 0.2, None),
    ]
    assert seen[5][4] is not None and 0.6 < seen[5][4] < 0.95
    assert [s.text for s in steps] == [
        "Type `ACME` in **Customer**.",
        "Click **US**.",
        "Enter your PIN in **Approval PIN**.",
        "Click **Settings**.",
        "Click **Publish now**.",
        "Click **Reports**.",
        "Click the button at the bottom right of *Order form*.",
    ]
    assert steps[0].box == (CUSTOMER.left, CUSTOMER.top, CUSTOMER.width, CUSTOMER.height)
    assert steps[3].box == (SETTINGS.left, SETTINGS.top, SETTINGS.width, SETTINGS.height)
    assert steps[0].ancestors == ["application: Chromium", "frame: Order form", "document web: Order form"]
    assert steps[2].secret and all(
        b"4711" not in p.read_bytes() for p in (tmp_path / "lib").rglob("*") if p.is_file()
    )


@pytest.mark.ocr
def test_a_left_labelled_field_is_named_by_its_element_whatever_ocr_reads_around_it(tmp_path: Path) -> None:
    """OCR takes the group caption above for the label of the first field; the element knows better, and
    the disagreement marks the step for review."""
    need("tesseract")
    script = Script(tmp_path / "rec")
    script.click(*centre(REGION), entry("Quantity", REGION))
    script.type("12", None)
    (step,) = steps_of(script.write(), tmp_path / "lib")
    assert (step.target, step.source) == ("Quantity", "accessibility")
    assert step.confidence == 0.5, "OCR reads 'Region' left of the field: the two disagree"


@pytest.mark.ocr
def test_steps_named_by_their_elements_need_no_ocr(tmp_path: Path) -> None:
    need("tesseract")
    script = Script(tmp_path / "rec")
    script.click(*centre(SETTINGS), Element("Settings", "push button", bounds=SETTINGS, path=PATH))
    script.click(*centre(PUBLISH), Element("Publish now", "push button", bounds=PUBLISH, path=PATH))
    script.click(*centre(CUSTOMER), entry("Customer", CUSTOMER))
    script.type("ACME", None)
    library = tmp_path / "lib"
    steps = steps_of(script.write(), library, Options(redact=False))
    assert [s.target for s in steps] == ["Settings", "Publish now", "Customer"]
    cache = Library(library).cache / "ocr"
    assert not cache.exists() or not any(p.is_file() for p in cache.rglob("*")), "tesseract read nothing"
