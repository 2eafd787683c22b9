"""Label logic on hand-made words (frame pixels): what a click names, which label a field has."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from capture.models import Rect
from generator.guide.model import Word
from generator.pipeline.label import (
    Kind,
    crop_around,
    field_candidates,
    find_label,
    is_secret_label,
    looks_masked,
    phrases,
)
from generator.pipeline.ocr import Crop, Ocr
from generator.pipeline.pixels import FrameLook, Grey, field_box, masking_dots
from generator.pipeline.secrets import names_secret
from tests.conftest import CHROMIUM_FLAGS, chromium_binary, need


def word(
    text: str, left: int, top: int, width: int | None = None, height: int = 12, conf: float = 95
) -> Word:
    return Word(text, conf, Rect(left, top, width if width is not None else 8 * len(text), height), 0)


def line(text: str, left: int, top: int, conf: float = 95) -> list[Word]:
    """Words of ``text`` laid out like 14 px UI text: 8 px a letter, 5 px between words."""
    words = []
    for token in text.split():
        words.append(word(token, left, top, conf=conf))
        left += 8 * len(token) + 5
    return words


def text_of(words: list[Word], point: tuple[int, int], kind: Kind) -> str | None:
    label = find_label(words, point, kind)
    return None if label is None else label.text


# crop_around


def test_pointer_crop_is_centred_on_the_point() -> None:
    assert crop_around((640, 400), (1280, 800), "pointer") == Rect(340, 330, 600, 140)


def test_field_crop_reaches_left_and_up_for_the_label() -> None:
    box = crop_around((900, 400), (1920, 1080), "field")
    assert box.left == 200 and box.top == 280
    assert box.left + box.width > 900 and box.top + box.height > 400


def test_crops_are_clipped_to_the_frame() -> None:
    assert crop_around((10, 5), (1280, 800), "pointer") == Rect(0, 0, 310, 75)
    assert crop_around((1275, 795), (1280, 800), "field") == Rect(575, 675, 705, 125)


def test_a_point_outside_the_frame_gives_an_empty_crop() -> None:
    box = crop_around((5000, 5000), (1280, 800), "pointer")
    assert box.width == 0 and box.height == 0


# pointer


def test_click_on_a_word_names_its_phrase() -> None:
    words = line("Save lead", 100, 100) + line("Cancel", 220, 100)
    label = find_label(words, (110, 106), "pointer")
    assert label is not None
    assert (label.text, label.kind) == ("Save lead", "under")
    assert label.box == Rect(100, 100, 69, 12)
    assert label.conf == 95


def test_a_wide_gap_splits_a_line_into_phrases() -> None:
    words = line("Leads", 100, 20) + line("Orders", 190, 20) + line("Customers", 280, 20)
    assert [p.text for p in phrases(words)] == ["Leads", "Orders", "Customers"]
    assert text_of(words, (200, 26), "pointer") == "Orders"


def test_click_in_a_buttons_padding_names_the_button() -> None:
    words = line("Save lead", 100, 100)
    assert text_of(words, (70, 96), "pointer") == "Save lead"  # 30 px left, 4 px above
    assert text_of(words, (200, 118), "pointer") == "Save lead"


def test_click_far_from_text_names_nothing() -> None:
    words = line("Save lead", 100, 100)
    assert text_of(words, (30, 106), "pointer") is None
    assert text_of(words, (120, 135), "pointer") is None  # the row below: another control
    assert text_of([], (120, 106), "pointer") is None


def test_click_right_of_a_rows_text_names_the_row() -> None:
    words = line("Select an industry", 165, 400) + line("Notes", 148, 443)
    label = find_label(words, (386, 406), "pointer")  # the middle of a select box
    assert label is not None and (label.text, label.kind) == ("Select an industry", "left")
    assert text_of(words, (700, 406), "pointer") is None  # too far


def test_the_phrase_under_the_pointer_beats_a_nearer_looking_one() -> None:
    words = line("Edit", 100, 100) + line("Duplicate", 100, 124)
    assert text_of(words, (110, 128), "pointer") == "Duplicate"
    assert text_of(words, (110, 104), "pointer") == "Edit"


def test_unsure_ocr_names_nothing() -> None:
    assert text_of(line("Save lead", 100, 100, conf=45), (110, 106), "pointer") is None
    label = find_label(line("Save lead", 100, 100, conf=45), (110, 106), "pointer", min_conf=40)
    assert label is not None and label.text == "Save lead"


@pytest.mark.parametrize("garbage", ["|=*", "J y", "AK AK", "a", "--"])
def test_garbage_names_nothing(garbage: str) -> None:
    assert text_of(line(garbage, 100, 100), (102, 106), "pointer") is None


def test_stray_marks_at_the_ends_are_dropped() -> None:
    words = [word("e", 80, 100, 6, conf=50), *line("Settings", 100, 100), word("*", 168, 100, 6)]
    assert text_of(words, (110, 106), "pointer") == "Settings"
    quoted = [word("\u2018Tools", 100, 100, 48)]
    assert text_of(quoted, (110, 106), "pointer") == "Tools"


# field


def test_field_label_on_the_left() -> None:
    words = line("Company name", 40, 110)
    label = find_label(words, (350, 116), "field")
    assert label is not None
    assert (label.text, label.kind) == ("Company name", "left")


def test_field_label_above() -> None:
    words = line("Contact person", 40, 262)
    label = find_label(words, (190, 298), "field")
    assert label is not None
    assert (label.text, label.kind) == ("Contact person", "above")


def test_labels_above_side_by_side_name_the_field_under_them() -> None:
    words = line("Contact person", 40, 262) + line("Phone number", 380, 262)
    assert text_of(words, (480, 298), "field") == "Phone number"
    assert text_of(words, (190, 298), "field") == "Contact person"


def test_placeholder_under_the_pointer_is_not_the_label() -> None:
    words = line("Email:", 40, 160) + line("name@example.com", 210, 160)
    assert text_of(words, (250, 166), "field") == "Email"
    assert text_of(words, (450, 166), "field") == "Email"  # placeholder left of the pointer
    assert text_of(line("Search orders...", 210, 160), (250, 166), "field") is None


def test_help_text_and_format_hints_are_not_labels() -> None:
    words = line("Search orders", 123, 165) + line("Order number or customer, then press Enter", 136, 201)
    assert text_of(words, (640, 208), "field") == "Search orders"
    dated = line("Delivery date", 655, 287) + line("YYYY-MM-DD", 667, 323)
    assert text_of(dated, (894, 330), "field") == "Delivery date"


def test_label_above_a_wide_text_area() -> None:
    assert text_of(line("Notes", 148, 443), (640, 505), "field") == "Notes"


def test_colon_and_required_marker_are_stripped() -> None:
    assert text_of(line("Password *", 40, 210), (350, 216), "field") == "Password"
    assert text_of(line("* Email:", 40, 210), (350, 216), "field") == "Email"


def test_a_value_in_the_field_is_not_the_label() -> None:
    words = line("Time zone", 260, 240) + line("Europe/Berlin", 410, 240)
    assert text_of(words, (600, 246), "field") == "Time zone"
    invoice = line("Invoice", 20, 240) + line("INV-2024-0042", 130, 240)
    assert text_of(invoice, (300, 246), "field") == "Invoice"


def test_a_label_with_a_colon_beats_a_value() -> None:
    words = line("Name:", 120, 146) + line("HP LaserJet", 225, 146) + line("Advanced", 306, 104)
    assert text_of(words, (400, 152), "field") == "Name"


def test_previous_rows_label_above_does_not_win_over_the_label_on_the_left() -> None:
    words = line("Company name", 40, 110) + line("Email:", 40, 160)
    label = find_label(words, (450, 166), "field")
    assert label is not None and (label.text, label.kind) == ("Email", "left")


def test_label_above_beats_a_value_typed_in_the_field_to_the_left() -> None:
    words = line("First name", 60, 100) + line("Last name", 340, 100) + line("John", 70, 136)
    label = find_label(words, (400, 142), "field")
    assert label is not None and (label.text, label.kind) == ("Last name", "above")


def test_label_above_beats_a_value_in_the_same_field() -> None:
    words = line("Supplier", 400, 370) + line("ACME Supplies Ltd", 412, 406)
    assert text_of(words, (650, 412), "field") == "Supplier"


def test_a_side_bar_item_above_is_not_the_label() -> None:
    words = line("Inbox", 25, 116) + line("Display name", 261, 139)
    assert text_of(words, (540, 145), "field") == "Display name"


def test_masking_asterisks_are_not_a_label() -> None:
    words = line("API key", 260, 190) + line("AK AK AK AK", 409, 190, conf=65)
    assert text_of(words, (600, 196), "field") == "API key"


def test_field_without_a_label_has_none() -> None:
    assert text_of([], (350, 116), "field") is None
    assert text_of(line("Company name", 40, 400), (350, 116), "field") is None  # far below


def test_distances_grow_with_the_text_on_hidpi_screens() -> None:
    words = [
        Word(w.text, w.conf, Rect(w.box.left * 2, w.box.top * 2, w.box.width * 2, 24), 0)
        for w in line("Email:", 40, 160)
    ]
    assert text_of(words, (900, 332), "field") == "Email"  # 740 px right of the label's end
    assert text_of(line("Email:", 40, 160), (900, 166), "field") is None


# secrets


@pytest.mark.parametrize(
    "text",
    [
        "Password",
        "Confirm password",
        "PASSWORD",
        "Pass word",
        "Passphrase",
        "Passcode",
        "PIN",
        "Enter PIN code",
        "Client secret",
        "Access token",
        "CVV",
        "CVC2",
        "Security code",
        "API key",
        "api_key",
        "ApiKey",
        "Passwort",
        "Kennwort",
        "Mot de passe",
        "Contraseña",
        "One-time code",
        "2FA code",
        "OTP",
    ],
)
def test_secret_labels(text: str) -> None:
    assert is_secret_label(text)


@pytest.mark.parametrize(
    "text", ["Company name", "Email", "Pinned items", "Spinning", "Secretary", "Tokyo", "Keyboard"]
)
def test_ordinary_labels_are_not_secret(text: str) -> None:
    assert not is_secret_label(text)


@pytest.mark.parametrize("text", ["•••••", "*****", "●●●●", "eoeceoccoe", "......", "AK AK AK"])
def test_masked_fields(text: str) -> None:
    assert looks_masked(line(text, 200, 200))


@pytest.mark.parametrize("text", ["Company name", "name@example.com", "eco", "...", "No No"])
def test_unmasked_fields(text: str) -> None:
    assert not looks_masked(line(text, 200, 200))


# A corpus of form layouts rendered in headless Chromium, read by the real tesseract: a field's label is
# judged by alignment with the field's box (found in the pixels), whatever the layout.

FORM_STYLE = """<style>
body { font: 14px sans-serif; margin: 24px; background: #f5f6f8; color: #1f2937 }
input, select { font: 14px sans-serif; padding: 7px 8px; border: 1px solid #9ca3af; border-radius: 4px;
  background: #fff; width: 260px }
.left label { display: inline-block; width: 140px; text-align: right; margin-right: 12px }
.left div, .above div { margin: 12px 0 }
.above label { display: block; margin-bottom: 4px; font-weight: 600 }
.row { display: flex; gap: 24px }
fieldset { border: 1px solid #9ca3af; padding: 12px 20px; margin: 0 0 16px; width: 620px }
legend { font-weight: 700 }
.dialog { background: #fff; border: 1px solid #6b7280; padding: 20px; width: 560px }
.dialog h2 { font-size: 20px; margin: 0 0 16px }
</style>"""

FORMS = {
    "left": """<form class="left"><fieldset><legend>Order details</legend>
      <div><label>Customer</label><input id="customer" value="Acme Corp"></div>
      <div><label>Raw materials</label><select id="materials"><option>Steel sheets</option></select></div>
      <div><label>Quantity</label><input id="quantity"></div>
      <div><label>Portal password</label><input id="password" type="password" value="Hunter2-Secret"></div>
    </fieldset></form>""",
    "above": """<form class="above">
      <div class="row"><div><label>First name</label><input id="first" value="Jane"></div>
      <div><label>Last name</label><input id="last"></div></div>
      <div><label>Email</label><input id="email"></div>
      <div><label>Approval PIN</label><input id="pin" type="password" value="4711"></div>
    </form>""",
    "placeholder": """<form class="above">
      <div><input id="search" placeholder="Search orders"></div>
      <div><input id="address" placeholder="Email address"></div>
    </form>""",
    "dialog": """<div class="dialog left"><h2>Book a courier pickup</h2>
      <div><label>Contact name</label><input id="contact" value="Jane Doe"></div>
      <div><label>Pickup date</label><input id="date"></div>
    </div>""",
    "group": """<form class="above"><fieldset><legend>Shipping address</legend>
      <div><label>Street</label><input id="street" value="Main Street 1"></div>
      <div><label>City</label><input id="city"></div>
    </fieldset></form>""",
}
FORM_LABELS = {
    "left": {"customer": "Customer", "quantity": "Quantity", "password": "Portal password"},
    "above": {"first": "First name", "last": "Last name", "email": "Email", "pin": "Approval PIN"},
    "placeholder": {"search": "Search orders", "address": "Email address"},
    "dialog": {"contact": "Contact name", "date": "Pickup date"},
    "group": {"street": "Street", "city": "City"},
}
MASKED = {("left", "password"), ("above", "pin")}


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Rect]]]:
    """Each layout's screenshot and the box of each of its fields (CSS pixels = frame pixels)."""
    need("tesseract")
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("forms")
    made = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which(chromium_binary()), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 900, "height": 420})
        for name, body in FORMS.items():
            page.set_content(f'<!doctype html><meta charset="utf-8">{FORM_STYLE}<body>{body}')
            shot = folder / f"{name}.png"
            page.screenshot(path=str(shot))
            boxes = {}
            for field in FORM_LABELS[name]:
                box = page.locator(f"#{field}").bounding_box()
                assert box is not None
                boxes[field] = Rect(
                    round(box["x"]), round(box["y"]), round(box["width"]), round(box["height"])
                )
            made[name] = (shot, boxes)
        browser.close()
    return made


CORPUS = [(layout, field) for layout, fields in FORM_LABELS.items() for field in fields]


@pytest.mark.ocr
@pytest.mark.browser
@pytest.mark.parametrize(("layout", "field"), CORPUS, ids=[f"{a}-{b}" for a, b in CORPUS])
def test_field_label_by_alignment_on_rendered_forms(
    forms: dict[str, tuple[Path, dict[str, Rect]]], layout: str, field: str
) -> None:
    shot, boxes = forms[layout]
    element = boxes[field]
    point = (element.left + 12, element.top + element.height // 2)  # a click near the field's start
    with Image.open(shot) as image:
        grey = Grey.of(image)
        size = image.size
    found = field_box(grey, point)
    assert found is not None and abs(found.left - element.left) <= 2 and abs(found.top - element.top) <= 2
    words = Ocr().read([Crop(shot, crop_around(point, size, "field"))])[0]
    label = find_label(words, point, "field", field=found, look=FrameLook(grey))
    assert label is not None and label.text == FORM_LABELS[layout][field]
    # with the element's bounds (the accessibility tree) instead of the pixels, the same
    by_bounds = find_label(words, point, "field", field=element, look=FrameLook(grey))
    assert by_bounds is not None and by_bounds.text == FORM_LABELS[layout][field]
    assert bool(masking_dots(grey, found)) == ((layout, field) in MASKED)
    names = field_candidates(words, found)
    assert any(names_secret(n) for n in names) == ((layout, field) in MASKED)


# Targets of a click and headings over fields (the corpus's misses, in pure geometry) -----------------------


class FakeLook:
    """A frame's pixels as the label rules ask about them: ``fields`` are the boxes of fields, text in them is
    faint (a placeholder) when ``faint_text``; no edges between words."""

    def __init__(self, fields: tuple[Rect, ...] = (), faint_text: bool = True) -> None:
        self.fields, self.faint_text = fields, faint_text

    def encloses(self, text: Rect) -> bool:
        return self.field_of(text) is not None

    def faint(self, text: Rect) -> bool:
        return self.faint_text and self.encloses(text)

    def apart(self, left: Rect, right: Rect) -> bool:
        return False

    def field_of(self, text: Rect) -> Rect | None:
        x, y = text.left + text.width / 2, text.top + text.height / 2
        inside = (f for f in self.fields if f.left <= x < f.left + f.width and f.top <= y < f.top + f.height)
        return next(inside, None)


def test_row_actions_in_columns_are_separate_targets() -> None:
    words = []
    for top in (100, 140):  # two rows of a table, each with its actions 13 px apart
        words += [word("Approve", 600, top, 56), word("Reject", 669, top, 48)]
    assert text_of(words, (620, 106), "pointer") == "Approve"
    assert text_of(words, (690, 146), "pointer") == "Reject"
    assert text_of(line("Save lead", 100, 300), (110, 306), "pointer") == "Save lead"  # a space: one target


def test_a_list_rows_cells_are_separate_targets() -> None:
    words = [*line("Oslo Steelworks", 500, 350), word("40", 636, 350, 16)]  # 16 px after the name
    assert text_of(words, (540, 356), "pointer") == "Oslo Steelworks"


def test_menu_bar_items_a_few_spaces_apart_are_separate_targets() -> None:
    """A menu bar (Tk's) sets its items about three spaces apart: more than 1.2 heights of the letters, if not
    of a box that a descender ("Help") makes taller."""
    bar = [word("File", 90, 89, 23, 11), word("Help", 128, 89, 30, 14)]  # 15 px apart
    assert text_of(bar, (101, 94), "pointer") == "File"
    assert text_of(bar, (140, 94), "pointer") == "Help"
    assert text_of(line("Save and print", 100, 300), (110, 306), "pointer") == "Save and print"
    dash = [word("Northwind", 100, 200, 72), word("-", 177, 206, 5, 2), word("Returns", 187, 200, 56)]
    assert text_of(dash, (120, 206), "pointer") == "Northwind - Returns"  # a dash is no measure of height


def test_a_field_edge_read_with_a_word_is_not_part_of_it() -> None:
    """Tesseract reads the edge of a combo box or an entry against its text as "|"."""
    words = [
        word("|Damaged", 241, 188, 71, 19, 72),
        word("in", 318, 190, 11, 11),
        word("transit", 334, 190, 45),
    ]
    assert text_of(words, (311, 197), "pointer") == "Damaged in transit"
    assert text_of([word("PO-3103|", 244, 159, 60, 17)], (270, 166), "pointer") == "PO-3103"


def test_a_heading_over_a_field_with_a_placeholder_is_not_its_label() -> None:
    field = Rect(91, 157, 280, 33)
    heading = [word("Staff", 92, 117, 56, 16), word("login", 156, 117, 56, 20)]
    placeholder = [word("Employee", 101, 166, 73, 15), word("ID", 180, 166, 14, 12)]
    look = FakeLook((field,))
    label = find_label(heading + placeholder, (231, 173), "field", field=field, look=look)
    assert label is not None and (label.text, label.kind) == ("Employee ID", "under")
    near = [word("Employee", 92, 136, 73, 15), word("ID", 171, 136, 14, 12)]  # a label 6 px above
    label = find_label(near + line("e.g. E-100", 101, 166), (231, 173), "field", field=field, look=look)
    assert label is not None and (label.text, label.kind) == ("Employee ID", "above")


def test_a_value_in_a_field_beside_an_icon_button_does_not_name_it() -> None:
    field = Rect(200, 137, 280, 33)
    words = [word("Resin", 210, 146, 39)]
    assert text_of(words, (175, 154), "pointer") == "Resin"  # without the pixels: a guess
    label = find_label(words, (175, 154), "pointer", look=FakeLook((field,), faint_text=False))
    assert label is None
    inside = find_label(words, (300, 154), "pointer", look=FakeLook((field,), faint_text=False))
    assert inside is not None and inside.text == "Resin"  # a click in the field itself


def test_the_pixels_tell_two_links_or_buttons_apart_from_two_words_of_one() -> None:
    image = Image.new("L", (400, 120), 255)
    draw = ImageDraw.Draw(image)
    a, b = Rect(20, 20, 60, 12), Rect(93, 20, 50, 12)  # "words" 13 px apart

    def strokes(box: Rect) -> None:  # letters: a stroke every 4 px
        for x in range(box.left, box.left + box.width, 4):
            draw.line((x, box.top, x, box.top + box.height - 1), fill=70)

    for box in (a, b):  # each underlined on its own: two links
        strokes(box)
        draw.line((box.left, 33, box.left + box.width - 1, 33), fill=70)
    strokes(Rect(20, 60, 60, 12))  # one link of two words: its underline runs on under the space
    strokes(Rect(93, 60, 50, 12))
    draw.line((20, 73, 142, 73), fill=70)
    draw.rectangle((200, 55, 270, 85), outline=0)  # two buttons side by side, their edges between the words
    draw.rectangle((276, 55, 350, 85), outline=0)
    look = FrameLook(Grey.of(image))
    assert look.apart(a, b)
    assert not look.apart(Rect(20, 60, 60, 12), Rect(93, 60, 50, 12))
    assert look.apart(Rect(210, 64, 55, 12), Rect(285, 64, 50, 12))
