"""The UI text a step acts on, found among the OCR words around the point of the step.

Pure logic on :class:`generator.guide.model.Word` boxes (frame pixels), plus the geometry of the crop to OCR.
Distances are tuned for 1x screens (UI text about 12 px high) and grow with the text on HiDPI screens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from statistics import fmean, median
from typing import Literal

from capture.models import Rect
from generator.guide.model import Label, Word

Kind = Literal["pointer", "field"]
Where = Literal["under", "left", "above"]

# Crop around the point (left, up, right, down): a click reads the phrase under it; typing needs the field's
# label, which sits left of or above the field, so that crop reaches far left and up.
POINTER_CROP = (300, 70, 300, 70)
FIELD_CROP = (700, 120, 200, 40)

REFERENCE_HEIGHT = 12  # px: median word box height of 1x UI text; the px values below are for it
GAP_LINE_HEIGHTS = 1.5  # words further apart than this many line heights are separate phrases
SPACE_LINE_HEIGHTS = 0.8  # a lone character further from its phrase than this is not part of it
HIT_PAD = 4  # px around a phrase that still counts as on it
NEAR_POINTER = 40  # px: a click in a button's padding still names the button's text...
NEAR_POINTER_Y = 12  # px: ...but only this far above or below it: rows of a list or a menu are close
ROW_REACH = 250  # px: else the text of the row clicked, left of the point (a select, a list row, a menu item)
LEFT_REACH = 450  # px from the point to the right edge of a label left of a field
LEFT_CENTRED = 12  # px: the middle of a label left of a field is this close to the point's height
ABOVE_MIN = 8  # px: a label above a field ends at least this far above the point (the field's top half)
ABOVE_REACH = 70  # px from the point up to the bottom of a label above a field (a text area is tall)
ABOVE_LEFT_REACH = 700  # px: a label above a field starts at most this far left of the point (a wide field)
MAX_LABEL_WORDS = 6  # a field's label is a name, not a sentence (that is help text or a placeholder)
LINE_SLACK = 8  # px: boxes this close count as one line, or as aligned
VALUE_INDENT = 20  # px: text in a field starts at most this far right of the label above the field

_MASKED = re.compile(r"^(?:[•●◦∙·⋅*○⬤]{3,}|[eocO0°.•●*]{4,})$")  # bullets, and what tesseract reads for them
_ICONS = "Oo0Q©®@"  # what tesseract reads for a radio button, a checkbox or a round icon
_QUOTES = "\"'`\u2018\u2019\u201c\u201d"  # straight and curly quotes
_SECRET = re.compile(
    r"pass\s*-?\s*(?:word|wort|phrase|code)|\bpasswd\b|\bpwd\b|\bpin\b|\bsecret\b|\btoken\b|"
    r"\bcv[cv]2?\b|\bcsc\b|security\s*code|api[\s_-]*key|access\s*key|private\s*key|\botp\b|one[\s-]*time|"
    r"\b[2m]fa\b|kennwort|geheimzahl|mot\s+de\s+passe|contrase[nñ]a|\bsenha\b|wachtwoord",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"\.\.\.$|…$|^e\.\s?g\.|^enter\s|, |"
    r"^[ymdh]{1,4}(?:[-/.: ][ymdh]{1,4})+$",  # a date or time format: YYYY-MM-DD, dd/mm/yyyy, hh:mm
    re.IGNORECASE,
)
_VALUE = re.compile(r"@|://|\w[/\\.]\w")  # an address, a URL, a path, a time zone, a decimal number


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words of one text line with no wide gap between them, left to right."""

    words: tuple[Word, ...]

    @property
    def box(self) -> Rect:
        return union(w.box for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def crop_around(point: tuple[int, int], frame_size: tuple[int, int], kind: Kind) -> Rect:
    """The region of a frame to OCR for a step at ``point`` (frame pixels), clipped to the frame."""
    left, up, right, down = FIELD_CROP if kind == "field" else POINTER_CROP
    x, y = point
    width, height = frame_size
    x0, y0 = min(max(0, x - left), width), min(max(0, y - up), height)
    x1, y1 = max(min(width, x + right), x0), max(min(height, y + down), y0)
    return Rect(x0, y0, x1 - x0, y1 - y0)


def find_label(
    words: Sequence[Word], point: tuple[int, int], kind: Kind, min_conf: float = 60
) -> Label | None:
    """The UI text of the step at ``point``: the phrase clicked (``pointer``), the field's label (``field``).

    None when nothing fits, when OCR was unsure (mean confidence below ``min_conf``) or read garbage:
    a guide is better off saying "the field" than naming the wrong one.
    """
    unit = max(1.0, median(w.box.height for w in words) / REFERENCE_HEIGHT) if words else 1.0
    groups = phrases(w for w in words if not _noise(w, min_conf))
    if kind == "field":
        return _field_label(groups, point, unit, min_conf)
    found = _under_pointer(groups, point, unit)
    if found is None:
        return None
    label = _accept(found[0], min_conf)
    return None if label is None else replace(label, kind=found[1])


def phrases(words: Iterable[Word]) -> list[Phrase]:
    """Words grouped by visual line, split where the gap is wider than ``GAP_LINE_HEIGHTS`` line heights.

    Geometry rather than tesseract's line ids: in sparse mode tesseract splits and joins UI lines freely.
    """
    groups: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box.left, w.box.top)):
        group = next((g for g in groups if _continues(g[-1], word)), None)
        if group is None:
            groups.append([word])
        else:
            group.append(word)
    return [Phrase(tuple(g)) for g in groups]


def _noise(word: Word, min_conf: float) -> bool:
    """A short unsure word: what OCR makes of an icon, a rounded corner or the edge of a field."""
    return sum(c.isalnum() for c in word.text) <= 2 and word.conf < min_conf


def _continues(last: Word, word: Word) -> bool:
    a, b = last.box, word.box
    height = max(a.height, b.height)
    same_line = abs((a.top + a.height / 2) - (b.top + b.height / 2)) <= height / 2
    gap = b.left - _right(a)
    return same_line and -height / 2 <= gap <= GAP_LINE_HEIGHTS * height


def _under_pointer(groups: list[Phrase], point: tuple[int, int], unit: float) -> tuple[Phrase, Where] | None:
    """The phrase under the pointer, or the nearest one around it (a click in a button's padding), or the
    text at the start of the row clicked (a select box, a list row, a menu item clicked right of its text).

    Buttons are padded more at the sides than above and below, and the line above or below the pointer is
    usually another control (the next row of a menu), so the reach up and down is short and vertical
    distance counts double.
    """
    near = [
        (distance(p.box, point, y_weight=2), p)
        for p in groups
        if distance(p.box, point) <= NEAR_POINTER * unit and _gap_y(p.box, point[1]) <= NEAR_POINTER_Y * unit
    ]
    if near:
        return min(near, key=lambda dp: dp[0])[1], "under"
    row = [
        p for p in groups if _gap_y(p.box, point[1]) == 0 and 0 < point[0] - _right(p.box) <= ROW_REACH * unit
    ]
    return (max(row, key=lambda p: _right(p.box)), "left") if row else None


def _gap_y(box: Rect, y: int) -> int:
    return max(box.top - y, 0, y - (_bottom(box) - 1))


def _field_label(groups: list[Phrase], point: tuple[int, int], unit: float, min_conf: float) -> Label | None:
    """The label left of the field on the same line, else the label above it.

    Text under the pointer is a placeholder or a value, never the label, and so is text that looks like a
    value. A label ending with a colon is a label for sure, and beats a value typed in the field. The text
    on the left may still be a value (in this field or the one before): then the label above wins.
    """
    off_point = [p for p in groups if distance(p.box, point) > HIT_PAD * unit]
    candidates = [
        (label, p.text.endswith(":"))
        for p in off_point
        if (label := _accept(p, min_conf)) is not None and _may_be_label(label.text)
    ]
    lefts = [(b, colon) for b, colon in candidates if _is_left_of(b.box, point, unit)]
    colon = any(c for _, c in lefts)
    left = max((b for b, c in lefts if c or not colon), key=lambda b: _right(b.box), default=None)
    above = _label_above([b for b, _ in candidates if _is_above(b.box, point, unit)], point, unit)
    if above is not None and not colon and (left is None or _over_value(above.box, left.box, unit)):
        return replace(above, kind="above")
    return None if left is None else replace(left, kind="left")


def _label_above(candidates: list[Label], point: tuple[int, int], unit: float) -> Label | None:
    """Of the nearest line above, the label starting closest left of the point."""
    if not candidates:
        return None
    nearest = min(point[1] - _bottom(b.box) for b in candidates)
    line = [b for b in candidates if point[1] - _bottom(b.box) <= nearest + LINE_SLACK * unit]
    return max(line, key=lambda b: b.box.left)


def _over_value(above: Rect, left: Rect, unit: float) -> bool:
    """Whether the label above names the field rather than the text on its left, which is then a value.

    Labels in a column (left edges or right edges aligned) are rows of a labels-left form; a label above
    that starts well left of the text on the left belongs to something else (a side bar, another column).
    """
    if _aligned(above, left, unit):
        return False
    return above.left >= left.left - VALUE_INDENT * unit


def _aligned(a: Rect, b: Rect, unit: float) -> bool:
    slack = LINE_SLACK * unit
    return abs(a.left - b.left) <= slack or abs(_right(a) - _right(b)) <= slack


def _is_left_of(box: Rect, point: tuple[int, int], unit: float) -> bool:
    x, y = point
    centred = abs(box.top + box.height / 2 - y) <= max(LEFT_CENTRED * unit, box.height)
    return centred and _right(box) <= x and x - _right(box) <= LEFT_REACH * unit


def _is_above(box: Rect, point: tuple[int, int], unit: float) -> bool:
    x, y = point
    gap = y - _bottom(box)
    return ABOVE_MIN * unit <= gap <= ABOVE_REACH * unit and x - ABOVE_LEFT_REACH * unit <= box.left <= x


def _may_be_label(text: str) -> bool:
    """Not what a field shows: a placeholder, a value (mostly digits, an address, a path, lower case), nor
    help text."""
    digits = sum(c.isdigit() for c in text)
    return not (
        len(text.split()) > MAX_LABEL_WORDS
        or _PLACEHOLDER.search(text)
        or _VALUE.search(text)
        or text[:1].islower()
        or digits >= 0.3 * sum(c.isalnum() for c in text)
    )


def _accept(phrase: Phrase, min_conf: float) -> Label | None:
    """The phrase as a label, without stray marks and a trailing colon or required marker; None if unsure."""
    words = _trim(phrase.words, min_conf)
    if not words or looks_masked(words):
        return None
    text = " ".join(w.text for w in words).strip(_QUOTES).lstrip("*").rstrip(":*").strip(_QUOTES).strip()
    conf = fmean(w.conf for w in words)
    if conf < min_conf or looks_garbage(text):
        return None
    return Label(text, round(conf, 1), union(w.box for w in words))


def _trim(words: tuple[Word, ...], min_conf: float) -> tuple[Word, ...]:
    """Drop stray marks at the ends of a phrase: a required marker, an icon or the edge of a button read as
    one character."""
    start, end = 0, len(words)
    while start < end and _stray(words[start], words[start + 1] if start + 1 < end else None, min_conf):
        start += 1
    while end > start and _stray(words[end - 1], words[end - 2] if end - 2 >= start else None, min_conf):
        end -= 1
    return words[start:end]


def _stray(word: Word, neighbour: Word | None, min_conf: float) -> bool:
    """A mark at the end of a phrase: punctuation alone, an unsure letter, an icon's usual reading (a radio
    button is "O"), or one character set further apart than words are."""
    text = word.text
    if not any(c.isalnum() for c in text):
        return True
    if len(text) != 1:
        return False
    if (not text.isdigit() and word.conf < max(min_conf, 80)) or (neighbour is not None and text in _ICONS):
        return True
    if neighbour is None:
        return False
    gap = max(neighbour.box.left - _right(word.box), word.box.left - _right(neighbour.box))
    return gap > SPACE_LINE_HEIGHTS * max(word.box.height, neighbour.box.height)


def looks_garbage(text: str) -> bool:
    """Mostly non-alphanumeric, stray single letters, one token repeated: what OCR makes of icons,
    borders and masking asterisks."""
    chars = [c for c in text if not c.isspace()]
    alnum = sum(c.isalnum() for c in chars)
    if alnum < 2 or alnum < 0.6 * len(chars):
        return True
    tokens = text.split()
    if len(tokens) == 1:
        return _odd_short_token(tokens[0])
    singles = sum(len(t) == 1 and not t.isdigit() for t in tokens)
    return len(set(tokens)) == 1 or singles * 2 > len(tokens)  # "AK AK": masking asterisks


def _odd_short_token(token: str) -> bool:
    """A short token no UI would show: one letter repeated ("Xx" for a close icon), or case mixed in a way
    words are not written ("uA", "oJ": the corners of a button)."""
    if len(token) > 3 or not token.isalpha():
        return False
    same = len(set(token.lower())) == 1
    cased = token.islower() or token.isupper() or token.istitle()
    return same or not cased


def is_secret_label(text: str) -> bool:
    """Whether a field label names something secret (password, PIN, token, CVV, API key...)."""
    return _SECRET.search(text) is not None


def looks_masked(words: Iterable[Word]) -> bool:
    """Whether the words show a masked field: a run of dots, bullets or asterisks.

    Tesseract reads masking bullets as "eoeceocc" and asterisks as "AK AK AK": a run of such letters,
    or one short token three times in a row, counts too.
    """
    tokens = [w.text for w in words]
    if any(is_mask_run(t) for t in tokens):
        return True
    return any(len(set(tokens[i : i + 3])) == 1 and len(tokens[i]) <= 3 for i in range(len(tokens) - 2))


def is_mask_run(text: str) -> bool:
    """A run of masking characters, or of what OCR makes of them."""
    return _MASKED.match(text) is not None


def distance(box: Rect, point: tuple[int, int], y_weight: float = 1) -> float:
    """Distance from a point to a box (0 inside), the vertical part multiplied by ``y_weight``."""
    dx = max(box.left - point[0], 0, point[0] - (_right(box) - 1))
    dy = _gap_y(box, point[1]) * y_weight
    return float((dx * dx + dy * dy) ** 0.5)


def union(boxes: Iterable[Rect]) -> Rect:
    """The smallest box holding all ``boxes`` (at least one)."""
    rects = list(boxes)
    left, top = min(r.left for r in rects), min(r.top for r in rects)
    right, bottom = max(_right(r) for r in rects), max(_bottom(r) for r in rects)
    return Rect(left, top, right - left, bottom - top)


def _right(box: Rect) -> int:
    return box.left + box.width


def _bottom(box: Rect) -> int:
    return box.top + box.height
