"""Label logic on hand-made words (frame pixels): what a click names, which label a field has."""

from __future__ import annotations

import pytest

from capture.models import Rect
from generator.guide.model import Word
from generator.pipeline.label import Kind, crop_around, find_label, is_secret_label, looks_masked, phrases


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
