"""Sensitive text in OCR words: e-mail addresses, phone numbers, Luhn-valid cards, mod-97-valid IBANs."""

from __future__ import annotations

import pytest

from capture.models import Rect
from generator.guide.model import Word
from generator.pipeline.redact import find_sensitive, is_iban, luhn, told_personal

CHAR, SPACE, HEIGHT = 8, 5, 14


def words(text: str, line: int = 0, x: int = 0, y: int = 0) -> list[Word]:
    """OCR words of ``text`` on one line: 8 px per character, 5 px between words."""
    out = []
    for token in text.split(" "):
        if token:
            out.append(Word(token, 91.0, Rect(x, y, CHAR * len(token), HEIGHT), line))
        x += CHAR * len(token) + SPACE
    return out


def found(text: str) -> list[tuple[str, str]]:
    """(reason, the words covered by the redaction box) for each match in ``text``."""
    ws = words(text)
    result = []
    for redaction in find_sensitive(ws):
        box = redaction.box
        inside = [
            w.text for w in ws if box.left <= w.box.left and w.box.left + w.box.width <= box.left + box.width
        ]
        result.append((redaction.reason, " ".join(inside)))
    return result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mail jane.doe@acme.example today", [("email", "jane.doe@acme.example")]),
        ("Contact: <j.o'neil+crm@mail.acme.co.uk>", [("email", "<j.o'neil+crm@mail.acme.co.uk>")]),
        ("Phone: +49 30 1234 5678", [("phone", "+49 30 1234 5678")]),
        ("+1 (555) 123-4567", [("phone", "+1 (555) 123-4567")]),
        ("+44 20 7946 0958 (office)", [("phone", "+44 20 7946 0958")]),
        ("(030) 1234 5678", [("phone", "(030) 1234 5678")]),
        ("Tel 030 1234567", [("phone", "030 1234567")]),
        ("030/1234567", [("phone", "030/1234567")]),
        ("06 12 34 56 78", [("phone", "06 12 34 56 78")]),
        ("06.12.34.56.78", [("phone", "06.12.34.56.78")]),
        ("555-123-4567", [("phone", "555-123-4567")]),
        ("01711234567", [("phone", "01711234567")]),
        ("No. 12 then 0171 1234567", [("phone", "0171 1234567")]),
        ("Card 4111 1111 1111 1111 exp 12/27", [("card", "4111 1111 1111 1111")]),
        ("4111-1111-1111-1111", [("card", "4111-1111-1111-1111")]),
        ("4111111111111111", [("card", "4111111111111111")]),
        ("Amex 3782 822463 10005", [("card", "3782 822463 10005")]),
        ("5555 5555 5555 4444 12/27", [("card", "5555 5555 5555 4444")]),
        ("IBAN DE89 3704 0044 0532 0130 00 EUR", [("iban", "DE89 3704 0044 0532 0130 00")]),
        ("GB82 WEST 1234 5698 7654 32", [("iban", "GB82 WEST 1234 5698 7654 32")]),
        ("FR14 2004 1010 0505 0001 3M02 606", [("iban", "FR14 2004 1010 0505 0001 3M02 606")]),
        ("NL91ABNA0417164300", [("iban", "NL91ABNA0417164300")]),
        ("de89370400440532013000", [("iban", "de89370400440532013000")]),
    ],
)
def test_positives(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "jane.doe@acme",  # no domain
        "user at acme dot com",
        "4111 1111 1111 1112",  # Luhn fails
        "4111111111111112",
        "1234 5678 9012 3456",  # Luhn fails
        "2024-01-15",
        "15.01.2024",
        "01.02.2024",
        "01/15/2024 10:30",
        "2024-01-15 10:30:00",
        "12:30:45",
        "€ 1,234.50",
        "1 234 567,89 EUR",
        "Revenue € 48,000,000",
        "ORD-10293",
        "ORD-1029384756",
        "Invoice 2024-000123",
        "12 345 678 pcs",
        "Qty 12345678",
        "1234567",  # too short for a phone
        "Version 10.4.12.2024",
        "DE123456789",  # a VAT ID, not an IBAN
    ],
)
def test_negatives(text: str) -> None:
    assert found(text) == []


def test_an_iban_with_wrong_check_digits_is_not_an_iban() -> None:
    assert "iban" not in [reason for reason, _ in found("DE88 3704 0044 0532 0130 00")]
    assert not is_iban("DE88 3704 0044 0532 0130 00")
    assert is_iban("DE89 3704 0044 0532 0130 00")


def test_luhn() -> None:
    assert luhn("79927398713")
    assert not luhn("79927398710")


def test_box_is_the_union_of_the_matching_words() -> None:
    ws = words("Phone: +49 30 1234 5678", y=40)
    [redaction] = find_sensitive(ws)
    first, last = ws[1], ws[-1]
    assert redaction.box == Rect(first.box.left, 40, last.box.left + last.box.width - first.box.left, HEIGHT)


def test_columns_far_apart_do_not_join() -> None:
    """Numbers in different cells of a table row would make a phone number if joined."""
    row = words("030", x=0) + words("1234 5678", x=400)
    assert find_sensitive(row) == []
    assert [r.reason for r in find_sensitive(words("030 1234 5678"))] == ["phone"]


def test_lines_do_not_join() -> None:
    two_lines = words("+49 30", line=1) + words("1234 5678", line=2, x=60, y=20)
    assert find_sensitive(two_lines) == []


def test_words_in_any_order_and_several_matches_per_line() -> None:
    ws = words("jane@acme.example +49 30 1234 5678 4111 1111 1111 1111")
    reasons = [r.reason for r in find_sensitive(list(reversed(ws)))]
    assert reasons == ["email", "card", "phone"]


def test_a_phone_number_right_before_a_card_number() -> None:
    assert found("+49 30 1234 567 4111 1111 1111 1111") == [
        ("card", "4111 1111 1111 1111"),
        ("phone", "+49 30 1234 567"),
    ]


def test_empty() -> None:
    assert find_sensitive([]) == []
    assert find_sensitive([Word(" ", 10.0, Rect(0, 0, 5, 5), 0)]) == []


def test_typed_personal_data_is_found_again_where_ocr_reads_it_in_part() -> None:
    from capture.models import Rect
    from generator.guide.model import Word
    from generator.pipeline.redact import find_typed, typed_pieces

    pieces = typed_pieces(["jane.doe@acme.example", "+1 555 0100", "Acme Corp", "Winter-2025!"])
    assert pieces == {"jane.doe@acme.example", "jane.doe", "555", "0100"}
    words = [
        Word(t, 90.0, Rect(i * 50, 0, 40, 12), 0)
        for i, t in enumerate(["+1555", "jane.doe@acme.", "Acme", "2025"])
    ]
    assert [r.box.left for r in find_typed(words, pieces)] == [0, 50]


def test_personal_data_the_tree_told_is_known_before_ocr() -> None:
    assert told_personal(["jane.doe@acme.example"]) == "email"
    assert told_personal([None, "Call +49 30 1234 5678"]) == "phone"
    assert told_personal(["Customer", "Oslo Steelworks"]) is None
    assert told_personal(["Order 0142 of Jane"], frozenset({"0142"})) == "typed"
    assert told_personal(["JANE.DOE is here"], frozenset({"jane.doe"})) == "typed"
    assert told_personal([]) is None
