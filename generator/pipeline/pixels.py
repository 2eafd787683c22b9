"""What the pixels of a frame show around a step, where OCR alone cannot tell: the box of the input field
at a point (its border or its filled background against the page) and masking dots (a password field).

Pure Pillow on grey pixels; no numpy. Rows and columns are read as bytes, so a whole frame is scanned for
masking dots in a few milliseconds.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageChops

from capture.models import Rect

EDGE_CONTRAST = 20  # grey levels between a field's inside and its border (or the page around it)
EDGE_SHARE = 0.9  # an edge differs from the inside along this share of its length (anti-aliased corners)
EDGE_PROBE = 3  # px each side of the point along which a top or bottom edge is first looked for
EDGE_TRIES = 3  # lines above and below the point tried as the field's top and bottom edges
GROUND_LINES = 4  # lines of one flat colour that end a run of edge lines: the ground around the field
FLAT = 3  # grey levels: a line within this spread is of one flat colour
MAX_UP, MAX_DOWN = 150, 150  # px from the point to a field's top or bottom edge (a text area is tall)
MAX_SIDE = 1400  # px from the point to a field's left or right edge
MIN_HEIGHT = 12  # px: a field is at least as tall as a line of text
CORNER = 6  # px of rounded corner skipped at the ends of an edge
FAINT = 170  # grey levels: text whose strongest ink differs less from its background is a placeholder

INK = 80  # grey levels between masking dots and the field's background
DOT_MIN, DOT_MAX = 3, 16  # px: a masking dot's width
MIN_DOTS = 4
_RUN = re.compile(rb"#+")


@dataclass(frozen=True, slots=True)
class Grey:
    """A frame in grey levels, with the bytes of its rows for fast scans."""

    width: int
    height: int
    data: bytes

    @classmethod
    def of(cls, image: Image.Image) -> Grey:
        grey = image.convert("L")
        return cls(grey.width, grey.height, grey.tobytes())

    def at(self, x: int, y: int) -> int:
        return self.data[y * self.width + x]

    def row(self, y: int, x0: int, x1: int) -> bytes:
        return self.data[y * self.width + x0 : y * self.width + x1]

    def column(self, x: int, y0: int, y1: int) -> bytes:
        return self.data[y0 * self.width + x : y1 * self.width + x : self.width]


@dataclass(frozen=True, slots=True)
class FrameLook:
    """What a frame's pixels say about a phrase, for the label rules (``generator.pipeline.label.Look``)."""

    grey: Grey

    def encloses(self, text: Rect) -> bool:
        return encloses_text(self.grey, text)

    def faint(self, text: Rect) -> bool:
        return faint(self.grey, text)

    def apart(self, left: Rect, right: Rect) -> bool:
        return apart(self.grey, left, right)

    def field_of(self, text: Rect) -> Rect | None:
        return field_of(self.grey, text)


def field_box(grey: Grey, point: tuple[int, int]) -> Rect | None:
    """The box of the input field at ``point`` (frame pixels), border included, or None when the point is
    not inside something drawn like a field: edges above, below, left and right of it, each a straight line
    that differs from the inside along its whole length. A line of the text in the field can look like an
    edge near the point; the next lines out are tried then."""
    x, y = point
    if not (0 <= x < grey.width and 0 <= y < grey.height):
        return None
    inside = inside_colour(grey, x, y)
    x0, x1 = max(0, x - EDGE_PROBE), min(grey.width, x + EDGE_PROBE + 1)
    tops = _edges(range(y - 1, max(-1, y - MAX_UP - 1), -1), lambda r: grey.row(r, x0, x1), inside)
    bottoms = _edges(range(y + 1, min(grey.height, y + MAX_DOWN + 1)), lambda r: grey.row(r, x0, x1), inside)
    for top in tops:
        for bottom in bottoms:
            box = _box(grey, (x, y), top, bottom, inside)
            if box is not None:
                return box
    return None


def _edges(lines: range, read: Callable[[int], bytes], inside: int) -> list[int]:
    """The first EDGE_TRIES lines that look like an edge, each the outer line of a run of such lines; where
    the run's first lines (a border) give way to GROUND_LINES lines of another flat colour, the border's last
    line (beyond it lies the ground around the field: a white field on a grey window differs from the window
    as from its border)."""
    found: list[int] = []
    first = previous = b""  # the pixels of the run's first line and of its last one
    last, border, flat, ground = -1, -1, 0, False  # the run's last line; the border's; the flat end's length
    for i in lines:
        line = read(i)
        if not _edge(line, inside):
            continue
        if found and abs(last - i) == 1:
            if ground:
                pass  # the ground goes on: the edge stays where the border ended
            elif _one_colour(line, previous):
                flat += 1
            else:
                border, flat = last, 0
            ground = ground or (flat >= GROUND_LINES and border >= 0 and not _one_colour(line, first))
            found[-1] = border if ground else i
        elif len(found) < EDGE_TRIES:
            found.append(i)
            first, border, flat, ground = line, -1, 0, False
        else:
            break
        last, previous = i, line
    return found


def _one_colour(a: bytes, b: bytes) -> bool:
    """Two lines of one and the same flat colour."""
    return bool(a and b) and max(a) - min(a) <= FLAT and max(b) - min(b) <= FLAT and abs(a[0] - b[0]) <= FLAT


def _box(grey: Grey, point: tuple[int, int], top: int, bottom: int, inside: int) -> Rect | None:
    if bottom - top - 1 < MIN_HEIGHT:
        return None
    x = point[0]
    corner = min(CORNER, (bottom - top) // 4)
    y0, y1 = top + 1 + corner, bottom - corner
    left = _edge_column(grey, range(x - 1, max(-1, x - MAX_SIDE - 1), -1), y0, y1, inside)
    right = _edge_column(grey, range(x + 1, min(grey.width, x + MAX_SIDE + 1)), y0, y1, inside)
    if left is None or right is None or right - left < bottom - top:
        return None
    inner = (left + 1 + corner, right - corner)
    if not (_edge(grey.row(top, *inner), inside) and _edge(grey.row(bottom, *inner), inside)):
        return (
            None  # the lines above and below are not this box's own edges (two fields with a label between)
        )
    return Rect(left, top, right - left + 1, bottom - top + 1)


def encloses_text(grey: Grey, text: Rect) -> bool:
    """Whether the text in ``text`` sits inside a field (a value or a placeholder, not a label): a field box
    found at its middle holds it, snugly above and below."""
    return field_of(grey, text) is not None


def field_of(grey: Grey, text: Rect) -> Rect | None:
    """The box of the field the text in ``text`` sits in (see :func:`encloses_text`), or None."""
    box = field_box(grey, (text.left + text.width // 2, text.top + text.height // 2))
    if box is None or not _holds(box, text) or box.height > 4 * text.height + 24:
        return None
    return box


def apart(grey: Grey, left: Rect, right: Rect) -> bool:
    """Whether something is drawn between two words of one line (``left`` then ``right``): a column of the
    gap, over the line's height and a little more, that is not the background there (the edges of two
    buttons side by side, a cell's border). Words of one button or one cell have plain background between."""
    x0, x1 = left.left + left.width + 2, right.left - 2
    top = max(0, min(left.top, right.top) - 3)
    bottom = min(grey.height, max(left.top + left.height, right.top + right.height) + 3)
    if x1 <= x0 or bottom <= top or x1 > grey.width:
        return False
    columns = [grey.column(x, top, bottom) for x in range(max(0, x0), x1)]
    background = Counter(v for column in columns for v in column).most_common(1)[0][0]
    if any(
        sum(abs(v - background) >= EDGE_CONTRAST for v in column) >= 0.8 * len(column) for column in columns
    ):
        return True
    return _broken_underline(grey, left, right, background)


def _broken_underline(grey: Grey, left: Rect, right: Rect, background: int) -> bool:
    """Two underlined links: a line under each word that stops between them (one link's underline runs on
    under its spaces)."""
    base = max(left.top + left.height, right.top + right.height)
    gap = (left.left + left.width + 2, right.left - 2)

    def inked(y: int, x0: int, x1: int) -> float:
        line = grey.row(y, max(0, x0), min(grey.width, x1))
        return sum(abs(v - background) >= EDGE_CONTRAST for v in line) / max(1, len(line))

    for y in range(max(0, base - 2), min(grey.height, base + 4)):
        under = min(
            inked(y, left.left, left.left + left.width), inked(y, right.left, right.left + right.width)
        )
        if under >= 0.8 and inked(y, *gap) <= 0.2:
            return True
    return False


def faint(grey: Grey, text: Rect) -> bool:
    """Whether the text in ``text`` is drawn faint (a placeholder) rather than in full ink (a value)."""
    inside = inside_colour(grey, text.left + text.width // 2, text.top + text.height // 2)
    values = [
        v
        for r in range(max(0, text.top), min(grey.height, text.top + text.height))
        for v in grey.row(r, max(0, text.left), min(grey.width, text.left + text.width))
    ]
    if not values:
        return False
    strongest = max(abs(v - inside) for v in values)
    return strongest < FAINT


def masking_dots(grey: Grey, region: Rect | None = None) -> list[Rect]:
    """Runs of at least MIN_DOTS equal round dots, evenly spaced on one line: a masked field's content.

    ``region`` (frame pixels) limits the search; None scans the whole frame.
    """
    area = clip(region or Rect(0, 0, grey.width, grey.height), grey)
    if area.width <= 0 or area.height <= 0:
        return []
    table = ink_table(background(grey, area))
    found: list[Rect] = []
    for y in range(area.top, area.top + area.height):
        row = grey.row(y, area.left, area.left + area.width).translate(table)
        runs = [(area.left + m.start(), m.end() - m.start()) for m in _RUN.finditer(row)]
        for chain in chains([r for r in runs if DOT_MIN <= r[1] <= DOT_MAX], MIN_DOTS, _continues):
            dots = _round_dots(grey, chain, y, table)
            if dots is not None and not any(dots.overlaps(f) for f in found):
                found.append(dots)
    return found


Run = tuple[int, int]  # a run of ink on one row: its start and width


def chains(runs: list[Run], least: int, continues: Callable[[list[Run], Run], bool]) -> list[list[Run]]:
    """Stretches of at least ``least`` runs, each of which ``continues`` the stretch before it (for dots:
    one width at one spacing, a gap of up to three widths)."""
    found: list[list[Run]] = []
    chain: list[Run] = []
    for run in runs:
        if chain and continues(chain, run):
            chain.append(run)
            continue
        if len(chain) >= least:
            found.append(chain)
        chain = [chain[-1], run] if chain and continues(chain[-1:], run) else [run]
    if len(chain) >= least:
        found.append(chain)
    return found


def _continues(chain: list[tuple[int, int]], run: tuple[int, int]) -> bool:
    last = chain[-1]
    gap = run[0] - (last[0] + last[1])
    if abs(run[1] - last[1]) > 1 + last[1] // 4 or not 1 <= gap <= 3 * last[1]:
        return False
    return len(chain) < 2 or abs((run[0] - last[0]) - (last[0] - chain[-2][0])) <= 2


def _round_dots(grey: Grey, runs: list[tuple[int, int]], y: int, table: bytes) -> Rect | None:
    """The box of ``runs`` (start, width) when they are equal filled dots at equal spacing, round."""
    widths = sorted(w for _, w in runs)
    width = widths[len(widths) // 2]
    steps = [b[0] - a[0] for a, b in itertools.pairwise(runs)]
    step = sorted(steps)[len(steps) // 2]
    if any(abs(w - width) > 1 + width // 4 for w in widths) or any(abs(s - step) > 2 for s in steps):
        return None
    tops, bottoms = [], []
    for start, w in runs:
        column = grey.column(
            start + w // 2, max(0, y - DOT_MAX), min(grey.height, y + DOT_MAX + 1)
        ).translate(table)
        here = y - max(0, y - DOT_MAX)
        top = column.rfind(b".", 0, here) + 1
        bottom = column.find(b".", here)
        bottom = len(column) if bottom < 0 else bottom
        if not 0.6 * width <= bottom - top <= 1.6 * width + 1:
            return None
        if not _solid(grey, start, w, y - here + top, y - here + bottom, table):
            return None
        tops.append(y - here + top)
        bottoms.append(y - here + bottom)
    left, right = runs[0][0], runs[-1][0] + runs[-1][1]
    return Rect(left, min(tops), right - left, max(bottoms) - min(tops))


def _solid(grey: Grey, left: int, width: int, top: int, bottom: int, table: bytes) -> bool:
    """A filled dot: ink across its middle rows, none just above and below it (not a letter's arc)."""
    middle = range(top + (bottom - top) // 3, bottom - (bottom - top) // 3)
    if any(grey.row(r, left, left + width).translate(table).count(b"#") < 0.8 * width for r in middle):
        return False
    x0, x1 = max(0, left - 1), min(grey.width, left + width + 1)
    outside = [r for r in (top - 1, bottom) if 0 <= r < grey.height]
    return all(b"#" not in grey.row(r, x0, x1).translate(table) for r in outside)


def background(grey: Grey, area: Rect) -> int:
    """The most common grey level in ``area`` (inside a field: its background, whatever fills its middle)."""
    rows = b"".join(
        grey.row(y, area.left, area.left + area.width) for y in range(area.top, area.top + area.height)
    )
    counts = Image.frombytes("L", (area.width, area.height), rows).histogram()
    return counts.index(max(counts))


@functools.cache
def ink_table(background: int) -> bytes:
    """A bytes.translate table: ``#`` for the grey levels at least INK from ``background`` (ink), ``.``
    for the others."""
    return bytes(35 if abs(v - background) >= INK else 46 for v in range(256))


def inside_colour(grey: Grey, x: int, y: int) -> int:
    """The most common grey level near (x, y): the background of the field or line there."""
    counts: Counter[int] = Counter()
    for r in range(max(0, y - 3), min(grey.height, y + 4)):
        counts.update(grey.row(r, max(0, x - 15), min(grey.width, x + 16)))
    return counts.most_common(1)[0][0]


def _edge(line: bytes, inside: int) -> bool:
    if not line:
        return False
    differs = line.translate(_differs(inside)).count(b"#")
    return differs >= EDGE_SHARE * len(line) and max(line) - min(line) <= 3 * EDGE_CONTRAST


@functools.cache
def _differs(inside: int) -> bytes:
    """A bytes.translate table: ``#`` for the grey levels at least EDGE_CONTRAST from ``inside`` (counted in
    C: the pixel checks of a long recording test millions of pixels)."""
    return bytes(ord("#") if abs(v - inside) >= EDGE_CONTRAST else ord(" ") for v in range(256))


def _edge_column(grey: Grey, columns: range, y0: int, y1: int, inside: int) -> int | None:
    """The first of ``columns`` whose pixels from row ``y0`` to ``y1`` make an edge (:func:`_edge`). The
    rows are turned into columns once, and each column's share of pixels that differ from ``inside`` is
    averaged in C: only the columns where it comes near EDGE_SHARE are tested one by one (a field's side may
    be far from the point, and most texts tested are in no field)."""
    if not columns:
        return None
    x0, x1 = min(columns[0], columns[-1]), max(columns[0], columns[-1]) + 1
    height = y1 - y0
    band = Image.frombytes("L", (grey.width, height), grey.data[y0 * grey.width : y1 * grey.width])
    across = band.crop((x0, 0, x1, height)).transpose(Image.Transpose.TRANSPOSE).tobytes()  # a run per column
    flags = across.translate(_differs(inside))
    share = Image.frombytes("L", (height, x1 - x0), flags.translate(_SHARE)).reduce((height, 1)).tobytes()
    near = share.translate(_LIKELY)  # 1 where the rounded mean may hold EDGE_SHARE of differing pixels
    if near.count(1) > MANY_COLUMNS:  # also the darkest and lightest pixel of every column, in C
        turned = Image.frombytes("L", (height, x1 - x0), across)
        spread = ImageChops.subtract(_fold(turned, ImageChops.lighter), _fold(turned, ImageChops.darker))
        near = bytes(a & b for a, b in zip(near, spread.tobytes().translate(_ONE_COLOUR), strict=True))
    found = [m.start() + x0 for m in re.finditer(b"\x01", near)]
    need = EDGE_SHARE * height
    for column in found if columns.step > 0 else reversed(found):
        start = (column - x0) * height
        if flags.count(b"#", start, start + height) >= need:
            line = across[start : start + height]  # one colour, or near it: first a test in C, then exact
            if not line.translate(None, _near(line[0])) and max(line) - min(line) <= 3 * EDGE_CONTRAST:
                return column
    return None


def _fold(image: Image.Image, pick: Callable[[Image.Image, Image.Image], Image.Image]) -> Image.Image:
    """The lightest (``ImageChops.lighter``) or darkest (``darker``) pixel of each row, a column wide:
    halves of the rows folded onto each other (overlapping where the width is odd)."""
    while image.width > 1:
        half = (image.width + 1) // 2
        image = pick(
            image.crop((0, 0, half, image.height)),
            image.crop((image.width - half, 0, image.width, image.height)),
        )
    return image


@functools.cache
def _near(value: int) -> bytes:
    """The grey levels at most 3 * EDGE_CONTRAST from ``value``: a line of one colour has no other."""
    return bytes(v for v in range(256) if abs(v - value) <= 3 * EDGE_CONTRAST)


_SHARE = bytes(255 if v == ord("#") else 0 for v in range(256))
# 1 for the rounded mean of a column of 0 and 255 where EDGE_SHARE of its pixels may differ (2 levels slack)
_LIKELY = bytes(1 if v >= math.floor(255 * EDGE_SHARE) - 2 else 0 for v in range(256))
_ONE_COLOUR = bytes(1 if v <= 3 * EDGE_CONTRAST else 0 for v in range(256))
MANY_COLUMNS = 64  # near columns from which their darkest and lightest pixels are found for all at once


def _holds(box: Rect, inner: Rect) -> bool:
    return (
        box.left <= inner.left
        and box.top <= inner.top
        and inner.left + inner.width <= box.left + box.width
        and inner.top + inner.height <= box.top + box.height
    )


def clip(rect: Rect, grey: Grey) -> Rect:
    left, top = max(0, rect.left), max(0, rect.top)
    right, bottom = min(grey.width, rect.left + rect.width), min(grey.height, rect.top + rect.height)
    return Rect(left, top, max(0, right - left), max(0, bottom - top))
