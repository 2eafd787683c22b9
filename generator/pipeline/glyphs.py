"""Runs of identical glyphs on one line of a frame: what a masked field shows, whatever glyph masks it (the
round dots of a password field, Tk's and Motif's asterisks, the squares or circles of CSS
``-webkit-text-security``). Glyphs are compared by their pixels, not by a shape rule per kind of glyph.

A run is found from a row of the frame where ink lies in evenly spaced pieces of one width (the cheap scan,
as :func:`generator.pipeline.pixels.masking_dots` does it); then the line's band is the rows those pieces'
cells share, the glyphs are the stretches of inked columns in it, and the run is the neighbours of the
middle glyph that are the same glyph (their pixels equal within SAME_GLYPH) at the same spacing. Bars (a
caret, a field's border: a narrow column of ink that reaches beyond the line) are not glyphs. A run counts
only when nothing else is written on its line right before or after it: "10000" or "0000 12" show four equal
zeros, but beside other text.

Whether a run means that a field masked what was typed depends on what was typed (typing "1111" shows four
equal glyphs too): ``generator/pipeline/secrets.py`` decides that.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter

from capture.models import Rect
from generator.pipeline.pixels import Grey, background, chains, clip, ink_table

MIN_GLYPHS = 3  # glyphs in a run at least
PIECE_MIN, PIECE_MAX = 2, 24  # px: the width of a glyph's ink across one row, in the first scan
MIN_BAND, MAX_BAND = 4, 40  # px: a line of glyphs is at least this tall (not one stroke of "="), at most this
SAME_GLYPH = 0.2  # two glyphs are the same when their softened pixels differ by at most this share of ink
SAME_RUN = 0.09  # ... and the glyphs of a run by at most this share on average
PAD = 4  # px of background beside a line read for comparison
APART = 1.5  # pitches of blank before and after a run: no other text on its line
BAR_BEYOND = 3  # rows: a caret or a border reaches beyond the line of glyphs by this many at least
LINE_SHARE = 0.9  # a row inked along this share of the run is a border or an underline, not glyphs
_PIECES = re.compile(rb"#+")
_COLUMNS = re.compile(rb"\x01+")


@dataclass(frozen=True, slots=True)
class GlyphRun:
    """Identical glyphs, evenly spaced on one line with nothing else beside them: their box and count."""

    box: Rect
    count: int


@dataclass(frozen=True, slots=True)
class _Line:
    """The band of rows a candidate run stands on, and what is needed to read it."""

    grey: Grey
    area: Rect
    top: int
    bottom: int
    table: bytes  # grey level -> "#" (ink) or "." (background)
    background: int
    left: int  # the columns of the line read
    right: int


def repeated_glyphs(grey: Grey, region: Rect | None = None, least: int = MIN_GLYPHS) -> list[GlyphRun]:
    """The runs of at least ``least`` (MIN_GLYPHS or more) identical glyphs in ``region`` (frame pixels;
    None: the whole frame)."""
    least = max(least, MIN_GLYPHS)
    area = clip(region or Rect(0, 0, grey.width, grey.height), grey)
    if area.width <= 0 or area.height <= 0:
        return []
    colour = background(grey, area)
    table = ink_table(colour)
    found: list[GlyphRun] = []
    tried: list[tuple[Rect, float]] = []  # the bands read, at a pitch: a line is found from each of its rows
    for y in range(area.top, area.top + area.height):
        row = grey.row(y, area.left, area.left + area.width).translate(table)
        pieces = [(area.left + m.start(), m.end() - m.start()) for m in _PIECES.finditer(row)]
        if len(pieces) < least:
            continue
        for chain in chains([p for p in pieces if PIECE_MIN <= p[1] <= PIECE_MAX], least, _continues):
            span = Rect(chain[0][0], y, chain[-1][0] + chain[-1][1] - chain[0][0], 1)
            pitch = (chain[-1][0] - chain[0][0]) / (len(chain) - 1)
            if any(span.overlaps(band) and abs(pitch - read) <= 2 for band, read in tried):
                continue
            band, run = _run(grey, area, chain, y, table, colour, least)
            tried += [(band, pitch)] if band is not None else []
            if run is not None and not any(run.box.overlaps(f.box) for f in found):
                found.append(run)
    return found


def new_glyphs(before: Grey, after: Grey, least: int = MIN_GLYPHS) -> list[GlyphRun]:
    """The runs of identical glyphs on ``after`` in the lines that changed since ``before`` (what typing into
    a field whose place is unknown made appear), each line read with its own background."""
    if (before.width, before.height) != (after.width, after.height):
        return repeated_glyphs(after, least=least)
    size = (after.width, after.height)
    changed = ImageChops.difference(
        Image.frombytes("L", size, before.data), Image.frombytes("L", size, after.data)
    )
    changed = changed.point(_CHANGED)
    data, width = changed.tobytes(), after.width
    rows = bytes(b"\xff" in data[y * width : (y + 1) * width] for y in range(after.height))
    found: list[GlyphRun] = []
    for band in _COLUMNS.finditer(rows):
        top, bottom = max(0, band.start() - 4), min(after.height, band.end() + 4)
        if bottom - top > 2 * MAX_BAND:
            continue  # a new screen or panel, not a line typed into
        box = changed.crop((0, band.start(), after.width, band.end())).getbbox()
        if box is None:
            continue
        left, right = max(0, box[0] - MAX_BAND), min(after.width, box[2] + MAX_BAND)
        found += repeated_glyphs(after, Rect(left, top, right - left, bottom - top), least)
    return found


def _continues(chain: list[tuple[int, int]], piece: tuple[int, int]) -> bool:
    last = chain[-1]
    gap = piece[0] - (last[0] + last[1])
    if abs(piece[1] - last[1]) > 1 + last[1] // 4 or not 1 <= gap <= 3 * last[1] + 6:
        return False
    return len(chain) < 2 or abs((piece[0] - last[0]) - (last[0] - chain[-2][0])) <= 2


@dataclass(frozen=True, slots=True)
class _Glyphs:
    """The glyphs along a line: their columns (left, right), the columns of the bars cleared, and where ink
    spills past the line (a glyph of the line's text that is taller than the line read)."""

    spans: list[tuple[int, int]]
    bars: list[int]
    spill: bytes  # 1 per column from ``left`` where ink goes on past the line
    left: int

    def whole(self, i: int) -> bool:
        """Whether glyph ``i`` lies within the line (the stems of an "n" read on a line below its arch do
        not)."""
        a, b = self.spans[i]
        return 1 not in self.spill[a - self.left : b - self.left]


def _run(
    grey: Grey, area: Rect, chain: list[tuple[int, int]], y: int, table: bytes, colour: int, least: int
) -> tuple[Rect | None, GlyphRun | None]:
    """The band read from the evenly spaced pieces ``chain`` of row ``y`` (None: the pieces are not the
    glyphs of a line, another row may tell), and the run of glyphs there."""
    centres = [start + width / 2 for start, width in chain]
    pitch = (centres[-1] - centres[0]) / (len(chain) - 1)
    cells = [(max(area.left, round(c - pitch / 2)), min(_right(area), round(c + pitch / 2))) for c in centres]
    top, bottom = _band(grey, area, cells, y, table)
    band = Rect(cells[0][0], top, cells[-1][1] - cells[0][0], bottom - top)
    if not MIN_BAND <= bottom - top < MAX_BAND or top == area.top or bottom == area.top + area.height:
        return band, None  # not a line of glyphs, or one cut by the region's edge (not read whole)
    middle = chain[len(chain) // 2]
    centre = middle[0] + middle[1] / 2
    reach = round((APART + 2) * pitch) + 2  # read the line this far beyond the glyphs known
    left, right = cells[0][0], cells[-1][1]
    while True:
        x0, x1 = max(area.left, left - reach), min(_right(area), right + reach)
        line = _Line(grey, area, top, bottom, table, colour, x0, x1)
        found = _glyph_columns(line, pitch)
        glyphs = found.spans
        at = next((i for i, (a, b) in enumerate(glyphs) if a <= centre < b), None)
        if at is None:
            return None, None  # the pieces lie between glyphs (the tips of x's that touch)
        if not found.whole(at):
            return band, None
        first, last = _same_around(line, found, at, pitch)
        if (glyphs[first][0], glyphs[last][1]) == (left, right) or (
            (x0 == area.left or glyphs[first][0] - x0 >= reach)
            and (x1 == _right(area) or x1 - glyphs[last][1] >= reach)
        ):
            break
        left, right = glyphs[first][0], glyphs[last][1]  # the run goes on beyond what was read: read on
    count = last - first + 1
    if count < least or not _alone(glyphs, first, last, pitch):
        return band, None
    left, right = glyphs[first][0], glyphs[last][1]
    return band, GlyphRun(Rect(left, top, right - left, bottom - top), count)


def _band(grey: Grey, area: Rect, cells: list[tuple[int, int]], y: int, table: bytes) -> tuple[int, int]:
    """The rows around ``y`` where more than half of the glyphs' cells hold ink (a caret in one cell, the
    tails of the Q's in "OQOQ", or a border across them all, are not the line)."""
    x0, x1 = cells[0][0], cells[-1][1]
    need = len(cells) // 2 + 1

    def inked(r: int) -> bool:
        row = grey.row(r, x0, x1).translate(table)
        hits = sum(b"#" in row[a - x0 : b - x0] for a, b in cells)
        return hits >= need and row.count(b"#") < LINE_SHARE * len(row)

    top, bottom = y, y + 1
    while top > area.top and bottom - top < MAX_BAND and inked(top - 1):
        top -= 1
    while bottom < area.top + area.height and bottom - top < MAX_BAND and inked(bottom):
        bottom += 1
    return top, bottom


def _glyph_columns(line: _Line, pitch: float) -> _Glyphs:
    """The glyphs along a line: the stretches of inked columns, bars cleared (glyphs that touch split at
    ``pitch``)."""
    grey, x0, x1 = line.grey, line.left, line.right
    height = line.bottom - line.top
    band = Image.frombytes("L", (x1 - x0, height), b"".join(grey.row(r, x0, x1) for r in _rows(line)))
    mean = band.point(_ink_lut(line.background)).reduce((1, height)).tobytes()  # per column: any ink
    inked = bytearray(mean.translate(_ANY))
    area = line.area
    beside = 0  # 1 per column (a byte each) where the rows just above and below the line hold ink
    for r in (line.top - 1, line.bottom):
        if area.top <= r < area.top + area.height:
            beside |= int.from_bytes(grey.row(r, x0, x1).translate(line.table).translate(_ONE), "big")
    beyond = (beside & int.from_bytes(inked, "big")).to_bytes(len(inked), "big")
    bars, spill = [], bytearray(len(inked))
    for column in re.finditer(b"\x01", beyond):  # ink that goes on past the line: a bar, or a taller glyph
        i = column.start()
        if _bar(line, x0 + i):
            inked[i] = 0
            bars.append(x0 + i)
        else:
            spill[i] = 1
    spans = [(x0 + m.start(), x0 + m.end()) for m in _COLUMNS.finditer(bytes(inked))]
    return _Glyphs([cell for span in spans for cell in _cells(span, pitch)], bars, bytes(spill), x0)


def _cells(span: tuple[int, int], pitch: float) -> list[tuple[int, int]]:
    """A stretch of inked columns as glyphs: itself, or, when it is as wide as several glyphs at ``pitch``
    side by side (glyphs that touch: the arms of x's), one glyph a pitch apart each."""
    left, right = span
    count = round((right - left) / pitch)
    width = round(right - left - (count - 1) * pitch)
    if count < 2 or not 0.5 * pitch <= width <= 1.5 * pitch:
        return [span]
    starts = [round(left + i * pitch) for i in range(count)]
    return [(start, start + width) for start in starts]


def _rows(line: _Line) -> range:
    return range(line.top, line.bottom)


def _bar(line: _Line, x: int) -> bool:
    """Whether column ``x`` is part of a bar: inked through the whole line and BAR_BEYOND rows beyond it."""
    area = line.area
    y0 = max(area.top, line.top - MAX_BAND)
    y1 = min(area.top + area.height, line.bottom + MAX_BAND)
    column = line.grey.column(x, y0, y1).translate(line.table)
    top, bottom = line.top - y0, line.bottom - y0
    if b"." in column[top:bottom]:
        return False
    above = top - (column.rfind(b".", 0, top) + 1)
    end = column.find(b".", bottom)
    below = (len(column) if end < 0 else end) - bottom
    return above + below >= BAR_BEYOND


def _same_around(line: _Line, found: _Glyphs, at: int, pitch: float) -> tuple[int, int]:
    """The first and last index of the glyphs around ``glyphs[at]`` that are the same glyph at the same
    spacing. Glyphs are compared softened (a 3x3 blur) and shifted by quarters of a pixel: the same glyph
    drawn at another fraction of a pixel (text laid out at fractional positions) differs in its edges."""
    glyphs, soft = found.spans, _soften(line, found.bars)
    width = glyphs[at][1] - glyphs[at][0]
    reference = _pixels(line, soft, glyphs[at][0], width)
    ink = max(1, sum(abs(v - line.background) for v in reference))

    def same(i: int, j: int) -> bool:
        """Whether glyph ``j`` is the reference glyph, a pitch from glyph ``i``."""
        if not 0 <= j < len(glyphs) or not found.whole(j):
            return False
        (a, b), (c, d) = glyphs[i], glyphs[j]
        if abs((d - c) - width) > 1 + width // 4 or abs(abs(c + d - a - b) / 2 - pitch) > max(2, pitch / 6):
            return False
        near = [_pixels(line, soft, c + shift, width) for shift in (-1, 0, 1)]
        difference = _difference(reference, near, SAME_GLYPH * ink)
        differences.append(difference if difference is not None else ink)
        return difference is not None

    differences: list[float] = []
    first = last = at
    while same(first, first - 1):
        first -= 1
    while same(last, last + 1):
        last += 1
    alike = sorted(differences)[: last - first]  # those of the glyphs of the run
    if alike and sum(alike) > SAME_RUN * ink * len(alike):
        return at, at  # each glyph near the first, but not one glyph over and over ("8080", "0O0O")
    return first, last


def _soften(line: _Line, bars: list[int]) -> bytes:
    """The line's pixels blurred (3x3), a row more above and below and PAD columns more each side, the
    background beyond the area and in place of the ``bars``."""
    area = line.area
    y0, y1 = max(area.top, line.top - 1), min(area.top + area.height, line.bottom + 1)
    width = line.right - line.left
    strip = Image.new("L", (width + 2 * PAD, line.bottom - line.top + 2), line.background)
    rows = b"".join(line.grey.row(r, line.left, line.right) for r in range(y0, y1))
    strip.paste(Image.frombytes("L", (width, y1 - y0), rows), (PAD, y0 - line.top + 1))
    for x in bars:
        strip.paste(line.background, (x - line.left + PAD, 0, x - line.left + PAD + 1, strip.height))
    return strip.filter(_SOFTEN).tobytes()


def _pixels(line: _Line, soft: bytes, left: int, width: int) -> bytes:
    """The softened pixels of a glyph ``width`` wide from ``left``, and a column more each side."""
    stride = line.right - line.left + 2 * PAD
    start = left - 1 - line.left + PAD
    lo, hi = max(0, start), min(stride, start + width + 2)
    before, after = (
        bytes([line.background]) * (lo - start),
        bytes([line.background]) * (start + width + 2 - hi),
    )
    rows = range(line.bottom - line.top + 2)
    return b"".join(before + soft[r * stride + lo : r * stride + hi] + after for r in rows)


def _difference(reference: bytes, near: list[bytes], limit: float) -> float | None:
    """The smallest difference between ``reference`` and a glyph at one of ``near`` (its pixels shifted by
    -1, 0 and 1 columns) or between them by a quarter of a pixel at a time (linear interpolation); None
    when it is over ``limit``. A difference is at least that of the sums of the pixels, known at once: most
    glyphs differ there, and the shifts are tried from the likeliest."""
    total = sum(reference)
    sums = [sum(pixels) for pixels in near]
    shifts = [(near[2], near[2], 0, sums[2])] + [
        (a, b, k, ((4 - k) * sa + k * sb) / 4)
        for (a, sa), (b, sb) in itertools.pairwise(zip(near, sums, strict=True))
        for k in range(4)
    ]
    best = limit
    for a, b, k, summed in sorted(shifts, key=lambda shift: abs(total - shift[3])):
        if abs(total - summed) > best:
            break
        pairs = zip(reference, a, b, strict=True)
        best = min(best, sum(abs(4 * r - (4 - k) * p - k * q) for r, p, q in pairs) / 4)
    return best if best < limit else None


def _alone(glyphs: list[tuple[int, int]], first: int, last: int, pitch: float) -> bool:
    """Whether nothing else is written within APART pitches before and after the run."""
    before = glyphs[first - 1][1] if first > 0 else None
    after = glyphs[last + 1][0] if last + 1 < len(glyphs) else None
    return (before is None or glyphs[first][0] - before >= APART * pitch) and (
        after is None or after - glyphs[last][1] >= APART * pitch
    )


@functools.cache
def _ink_lut(background: int) -> list[int]:
    """A lookup table for ``Image.point``: 255 for ink (``ink_table``), 0 for the background."""
    return [255 if c == _HASH else 0 for c in ink_table(background)]


def _right(rect: Rect) -> int:
    return rect.left + rect.width


_SOFTEN = ImageFilter.Kernel((3, 3), (1, 2, 1, 2, 4, 2, 1, 2, 1), 16)
_CHANGED = [255 if v >= 16 else 0 for v in range(256)]  # a pixel changed by 16 grey levels or more
_ANY = bytes(1 if v else 0 for v in range(256))
_ONE = bytes(1 if v == ord("#") else 0 for v in range(256))
_HASH = ord("#")
