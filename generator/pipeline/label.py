"""The UI text a step acts on, found among the OCR words around the point of the step.

Pure logic on :class:`generator.guide.model.Word` boxes (frame pixels), plus the geometry of the crop to OCR.
Distances are tuned for 1x screens (UI text about 12 px high) and grow with the text on HiDPI screens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from statistics import fmean, median
from typing import Literal, Protocol

from capture.models import Rect
from generator.guide.model import Label, Word
from generator.pipeline.secrets import names_secret

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
# With the field's box known (its edges in the frame, or the element's bounds):
BOX_ABOVE_GAP = 30  # px from the bottom of a label above a field to the field's top edge
BOX_ALIGN = 16  # px: a label above a field starts at most this far left of the field (or inside its span)
BOX_LEFT_NEAR = 120  # px: a label left of the field this close beats a label above it
HEADING = 1.35  # a phrase this many times taller than the usual text is a heading or a caption
NEAR_ABOVE = 0.9  # field heights from a label's top to the field's: text further up loses to a placeholder
TARGET_GAP = 1.2  # line heights: words of one phrase further apart are separate targets for a click...
COLUMN_GAP = 0.7  # ...and this far apart where another line starts words at the same two places (columns)
COLUMN_SLACK = 4  # px: left edges this close start one column

_MASKED = re.compile(r"^(?:[•●◦∙·⋅*○⬤]{3,}|[eocO0°.•●*]{4,})$")  # bullets, and what tesseract reads for them
_ICONS = "Oo0Q©®@"  # what tesseract reads for a radio button, a checkbox or a round icon
_QUOTES = "\"'`\u2018\u2019\u201c\u201d"  # straight and curly quotes
_EDGES = "|"  # what tesseract reads for the edge of a field or a button drawn against a word
_PLACEHOLDER = re.compile(
    r"\.\.\.$|…$|^e\.\s?g\.|^enter\s|, |"
    r"^[ymdh]{1,4}(?:[-/.: ][ymdh]{1,4})+$",  # a date or time format: YYYY-MM-DD, dd/mm/yyyy, hh:mm
    re.IGNORECASE,
)
_VALUE = re.compile(r"@|://|\w[/\\.]\w")  # an address, a URL, a path, a time zone, a decimal number


class Look(Protocol):
    """What the pixels of the frame say about a phrase (``generator/pipeline/pixels.py``)."""

    def encloses(self, text: Rect) -> bool:
        """The text sits inside a field: a value or a placeholder, never a label."""
        ...

    def faint(self, text: Rect) -> bool:
        """The text is drawn faint: a placeholder."""
        ...

    def apart(self, left: Rect, right: Rect) -> bool:
        """Something is drawn between two words of a line (two buttons' edges, a cell's border)."""
        ...

    def field_of(self, text: Rect) -> Rect | None:
        """The box of the field the text sits in (a value or a placeholder), or None."""
        ...


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
    words: Sequence[Word],
    point: tuple[int, int],
    kind: Kind,
    min_conf: float = 60,
    field: Rect | None = None,
    look: Look | None = None,
) -> Label | None:
    """The UI text of the step at ``point``: the phrase clicked (``pointer``), the field's label (``field``).

    With the ``field``'s box (frame pixels) a field's label is judged by alignment with it (see
    :func:`_boxed_label`); ``look`` tells text inside fields and faint placeholders apart.
    None when nothing fits, when OCR was unsure (mean confidence below ``min_conf``) or read garbage:
    a guide is better off saying "the field" than naming the wrong one.
    """
    unit = max(1.0, median(w.box.height for w in words) / REFERENCE_HEIGHT) if words else 1.0
    groups = phrases(w for w in words if not _noise(w, min_conf))
    if kind == "field" and field is not None:
        return _boxed_label(groups, field, unit, min_conf, look)
    if kind == "field":
        return _field_label(groups, point, unit, min_conf)
    found = _under_pointer(_clickable(groups, point, unit, look), point, unit)
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


def targets(phrase: Phrase, lines: Sequence[Phrase] = (), look: Look | None = None) -> list[Phrase]:
    """The phrase split where its words are far apart (``TARGET_GAP`` heights of their letters), or set apart
    as columns are (another of ``lines`` starts words at the same two places: rows of a table, of row
    actions), or something is drawn between them (``look``): what a click acts on is one word group, and two
    buttons side by side ("Approve" "Reject"), the cells of a list row ("Oslo Steelworks" "40") or the items
    of a menu bar ("File" "Help") read as one phrase."""
    others = [p for p in lines if p is not phrase and _gap_y(p.box, _middle_y(phrase.box)) > 0]
    starts = [{w.box.left for w in p.words} for p in others]
    parts: list[list[Word]] = [[phrase.words[0]]]
    for word in phrase.words[1:]:
        last = parts[-1][-1]
        gap, height = word.box.left - _right(last.box), _letters_height(last, word)
        first = parts[-1][0].box.left
        columns = gap > COLUMN_GAP * height and any(
            _starts_at(s, first) and _starts_at(s, word.box.left) for s in starts
        )
        if gap > TARGET_GAP * height or columns or (look is not None and look.apart(last.box, word.box)):
            parts.append([word])
        else:
            parts[-1].append(word)
    return [Phrase(tuple(p)) for p in parts]


def _letters_height(a: Word, b: Word) -> int:
    """The height of two neighbouring words' letters: the shorter box of the two that hold a letter or digit
    (a descender, as in "Help", or a border read with a word makes a box taller than its line's letters; a
    dash alone is no measure)."""
    lettered = [w.box.height for w in (a, b) if any(c.isalnum() for c in w.text)]
    return min(lettered) if lettered else max(a.box.height, b.box.height)


def _clickable(groups: list[Phrase], point: tuple[int, int], unit: float, look: Look | None) -> list[Phrase]:
    """The word groups a click at ``point`` may name: not text inside a field the click is not on (a value
    beside an icon button names the field, not the button)."""
    found = [t for g in groups for t in targets(g, groups, look)]
    if look is None:
        return found
    return [
        t
        for t in found
        if distance(t.box, point) <= HIT_PAD * unit
        or distance(t.box, point) > NEAR_POINTER * unit
        or (box := look.field_of(t.box)) is None
        or distance(box, point) <= HIT_PAD * unit
    ]


def _starts_at(lefts: set[int], x: int) -> bool:
    return any(abs(left - x) <= COLUMN_SLACK for left in lefts)


def _middle_y(box: Rect) -> int:
    return box.top + box.height // 2


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


def _boxed_label(
    groups: list[Phrase], field: Rect, unit: float, min_conf: float, look: Look | None
) -> Label | None:
    """The label of the field whose box is ``field``: the nearest text on its row to the left, else the text
    just above it and aligned with it, else its placeholder (faint text inside it).

    Never a label: text inside another field (a value), a heading or caption (taller than the usual text), a
    sentence or what looks like a value. A label above wins over a far one on the left (a side bar's item).
    """
    accepted = [label for phrase in groups if (label := _accept(phrase, min_conf)) is not None]
    height = max(median(b.box.height for b in accepted), REFERENCE_HEIGHT) if accepted else REFERENCE_HEIGHT
    lefts: list[Label] = []
    aboves: list[Label] = []
    inside: list[Label] = []
    for label in accepted:
        if not _may_be_label(label.text) or label.box.height > HEADING * height:
            continue
        if _holds(field, label.box):
            inside.append(label)
            continue
        if _on_row_left(label.box, field, unit):
            place = lefts
        elif _aligned_above(label.box, field, unit):
            place = aboves
        else:
            continue
        if look is None or not look.encloses(label.box):  # the pixels are asked only about a candidate
            place.append(label)
    left = max(lefts, key=lambda b: _right(b.box), default=None)
    above = max(aboves, key=lambda b: (_bottom(b.box), -abs(b.box.left - field.left)), default=None)
    if left is not None and (above is None or field.left - _right(left.box) <= BOX_LEFT_NEAR * unit):
        return replace(left, kind="left")
    placeholders = [b for b in inside if look is not None and look.faint(b.box)]
    near = NEAR_ABOVE * min(field.height, 3 * REFERENCE_HEIGHT * unit)  # a text area's first line
    if above is not None and (not placeholders or field.top - above.box.top <= near):
        return replace(above, kind="above")  # further up, over a field that shows a placeholder: a heading
    return replace(placeholders[0], kind="under") if placeholders else None


def field_candidates(words: Sequence[Word], field: Rect, min_conf: float = 60) -> list[str]:
    """Every text that may name the field whose box is ``field``: on its row to the left, above it, inside
    it (a placeholder). What the secret check reads: any of them naming a secret makes the field secret."""
    unit = max(1.0, median(w.box.height for w in words) / REFERENCE_HEIGHT) if words else 1.0
    return [
        phrase.text
        for phrase in phrases(w for w in words if not _noise(w, min_conf))
        if _holds(field, phrase.box)
        or _on_row_left(phrase.box, field, unit)
        or _aligned_above(phrase.box, field, unit, loose=True)
    ]


def _on_row_left(box: Rect, field: Rect, unit: float) -> bool:
    """Left of the field, on its row: the text's middle within the field's height (its first line for a
    text area), ending before the field starts."""
    middle = box.top + box.height / 2
    row = field.top <= middle <= field.top + min(field.height, 3 * REFERENCE_HEIGHT * unit)
    gap = field.left - _right(box)
    return row and -HIT_PAD * unit <= gap <= LEFT_REACH * unit


def _aligned_above(box: Rect, field: Rect, unit: float, loose: bool = False) -> bool:
    """Just above the field, starting where it starts or within its width (a centred label)."""
    gap = field.top - _bottom(box)
    reach = (2 if loose else 1) * BOX_ABOVE_GAP * unit
    return -HIT_PAD * unit <= gap <= reach and field.left - BOX_ALIGN * unit <= box.left < _right(field)


def _holds(outer: Rect, inner: Rect) -> bool:
    middle = (inner.left + inner.width / 2, inner.top + inner.height / 2)
    return outer.left <= middle[0] < _right(outer) and outer.top <= middle[1] < _bottom(outer)


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
    text = " ".join(w.text for w in words).strip(_EDGES).strip(_QUOTES).lstrip("*").rstrip(":*")
    text = text.strip(_QUOTES).strip()
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
    return names_secret(text)


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
