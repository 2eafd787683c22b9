"""The pieces of a screen that hold text: what redaction reads, each distinct piece once.

Consecutive screenshots of one application share most of their pixels, and a label, a menu or a table row
comes back from step to step, at the same place or elsewhere. So rather than reading the whole region each
step publishes, the frame is cut into pieces that hold text, each piece is read on its own and keyed by its
pixels alone (``generator/pipeline/ocr.py`` caches words by crop): a piece seen on ten screens is read once,
in this run or an earlier one.

How pieces are found, at half resolution (four times fewer pixels, and text is still clear there): pixels
that differ from a neighbour (the edges of glyphs, whatever their colours), without long straight lines
(borders and rules would join every cell of a table into one piece), spread sideways by a word gap and a
little up and down so that the letters and words of a phrase join into one cluster; each cluster's box is a
piece, and overlapping boxes are merged, so that no piece holds part of another's text. Words of one line
closer than :data:`generator.pipeline.redact.GAP` line heights always share a piece for text up to
:data:`JOINED_HEIGHT` px high; :func:`joined` joins the lines of pieces side by side beyond that.
"""

from __future__ import annotations

import functools
import math
import re
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

from capture.models import Rect
from generator.guide.model import Word
from generator.pipeline.ocr import Crop, Ocr, above, square_filter
from generator.pipeline.redact import GAP

EDGE = 16  # grey levels between neighbouring pixels (at half resolution) that make an edge
SOLID = 5  # half-res px: a band of edges thinner than this is a border or a rule (a 1-2 px line), not text
SPREAD = (6, 1)  # half-res px each side: clusters closer than 2 * 6 + 1 (about 24 px) sideways join
MARGIN = (8, 2)  # px added around each cluster: a thin glyph at a phrase's end (a lone 1, an l) is kept
TRIM_LEVEL = 8  # grey levels from a piece's background that count as something drawn on it
TRIM_MARGIN = 3  # px of background kept around it
MIN_SIDE = 3  # px: a piece narrower or flatter than this holds no text
JOINED_HEIGHT = 2 * (2 * SPREAD[0] + 1) / GAP  # px: text up to this high never needs joined()
BEYOND = (120, 24)  # px around the areas read in which pieces are looked for: a line through an area is
# read whole unless it runs on this far beyond it
PART = 32  # frames whose pieces one tesseract process reads; a part is read while the next one's pieces are
# found, and as many at once as there are cores: memory stays bounded however long the recording
_RUN = re.compile(rb"[^\x00]+")

Area = tuple[Path, Rect]  # a frame and a region of it, in its pixels
Progress = Callable[[int, int], None]


def read_areas(
    ocr: Ocr, areas: Sequence[Area], scale: int, report: Progress | None = None, also: Sequence[Crop] = ()
) -> tuple[list[list[Word]], list[list[Word]]]:
    """The words in each of ``areas``: those of every piece of its frame that shows part of it, each piece
    read once however many areas and frames show it (a frame is decoded once, and its crops keyed by their
    pixels alone); and the words of the crops ``also``, which one more tesseract process reads meanwhile
    (they need no pieces found first). Frames are taken in parts (PART), in the order of ``areas``: the
    pieces of the first are read while those of the next are found."""
    with ThreadPoolExecutor(1) as aside:  # ``also`` needs no pieces: one tesseract reads it meanwhile
        extra = aside.submit(ocr.read, also, 1)
        views = _read_pieces(ocr, areas, scale, report)
        return views, extra.result()


def _read_pieces(ocr: Ocr, areas: Sequence[Area], scale: int, report: Progress | None) -> list[list[Word]]:
    shown: dict[Path, list[Rect]] = {}
    for path, area in areas:
        shown.setdefault(path, []).append(area)
    regions = {path: _around(boxes) for path, boxes in shown.items()}  # where a frame's pieces are found
    order = list(regions)
    words: dict[tuple[Path, Rect], list[Word]] = {}
    pieces: dict[Path, list[Rect]] = {}
    reading: deque[tuple[list[Area], Future[list[list[Word]]], int]] = deque()
    done = 0

    def collect() -> None:
        nonlocal done
        wanted, future, frames = reading.popleft()
        words.update(zip(wanted, future.result(), strict=True))
        done += frames
        if report is not None:
            report(done, len(order))

    with ThreadPoolExecutor(ocr.workers) as finding, ThreadPoolExecutor(ocr.workers) as readers:
        for part in _parts(order, ocr.workers):
            found = finding.map(lambda path: find_pieces(ocr.gray(path), regions[path]), part)
            pieces.update(zip(part, found, strict=True))
            taken = set(part)
            wanted = list(
                dict.fromkeys(
                    (path, piece)
                    for path, area in areas
                    if path in taken
                    for piece in overlapping(pieces[path], area)
                )
            )
            if len(reading) == ocr.workers:  # as many parts read at once as there are cores, no more
                collect()
            crops = [Crop(path, piece, scale=scale) for path, piece in wanted]
            reading.append((wanted, readers.submit(ocr.read, crops, 1), len(part)))
        while reading:
            collect()
    return [joined([words[(path, p)] for p in overlapping(pieces[path], area)]) for path, area in areas]


def _parts(frames: Sequence[Path], workers: int) -> list[Sequence[Path]]:
    """``frames`` in parts of one size, at most PART frames, and at least as many parts as ``workers``."""
    if not frames:
        return []
    count = max(min(workers, len(frames)), math.ceil(len(frames) / PART))
    size = math.ceil(len(frames) / count)
    return [frames[i : i + size] for i in range(0, len(frames), size)]


def find_pieces(frame: Image.Image, region: Rect | None = None) -> list[Rect]:
    """The boxes (frame pixels) of the text-like clusters of the grey ``frame``, or of its ``region`` (a
    cluster the region's edge cuts through is cut there too), disjoint, top to bottom."""
    if region is None:
        return _pieces(frame)
    left, top = max(0, region.left) // 2 * 2, max(0, region.top) // 2 * 2  # the frame's half-resolution grid
    right = min(frame.width, region.left + region.width)
    bottom = min(frame.height, region.top + region.height)
    if right - left < MIN_SIDE or bottom - top < MIN_SIDE:
        return []
    found = _pieces(frame.crop((left, top, right, bottom)))
    return [Rect(b.left + left, b.top + top, b.width, b.height) for b in found]


def _pieces(gray: Image.Image) -> list[Rect]:
    half = gray.reduce(2) if min(gray.size) >= 2 else gray
    edges = ImageChops.subtract(
        square_filter(half, 3, ImageChops.lighter), square_filter(half, 3, ImageChops.darker)
    ).point(above(EDGE - 1))
    spread = _solid(edges).filter(ImageFilter.BoxBlur(SPREAD)).point(above(0))
    scale = gray.width / half.width, gray.height / half.height
    boxes = []
    grown = [
        [
            round(left * scale[0]) - MARGIN[0],
            round(top * scale[1]) - MARGIN[1],
            round(right * scale[0]) + MARGIN[0],
            round(bottom * scale[1]) + MARGIN[1],
        ]
        for left, top, right, bottom in _clusters(spread)
    ]
    for left, top, right, bottom in _merged(grown):
        box = _clipped(left, top, right, bottom, gray)
        if box.width >= MIN_SIDE and box.height >= MIN_SIDE:
            boxes.append(_trimmed(gray, box))
    return sorted(boxes, key=lambda b: (b.top, b.left))


def _trimmed(gray: Image.Image, box: Rect) -> Rect:
    """``box`` shrunk to what differs from its background (its most common grey) and TRIM_MARGIN px
    around: the same text on the same background is then the same crop wherever it is, so its pixels key
    it alike (a box found at half resolution starts at an odd or an even pixel as the text happens to)."""
    crop = gray.crop((box.left, box.top, box.left + box.width, box.top + box.height))
    histogram = crop.histogram()
    background = histogram.index(max(histogram))
    found = crop.point(_away_from(background)).getbbox()
    if found is None:
        return box
    left, top = box.left + found[0] - TRIM_MARGIN, box.top + found[1] - TRIM_MARGIN
    right, bottom = box.left + found[2] + TRIM_MARGIN, box.top + found[3] + TRIM_MARGIN
    return _clipped(left, top, right, bottom, gray)


@functools.cache
def _away_from(background: int) -> tuple[int, ...]:
    """The ``Image.point`` table that makes white what is more than TRIM_LEVEL from ``background``."""
    return tuple(255 if abs(v - background) > TRIM_LEVEL else 0 for v in range(256))


def overlapping(pieces: Iterable[Rect], area: Rect) -> list[Rect]:
    """The pieces that show at least one pixel of ``area``: read whole, so that a text the edge of
    ``area`` cuts through is still read whole."""
    return [piece for piece in pieces if piece.overlaps(area)]


def joined(pieces: Sequence[Sequence[Word]]) -> list[Word]:
    """The words of several pieces of one frame as one list whose ``line`` ids tell lines apart across the
    pieces (each piece numbers its own lines from 0): the lines of two pieces side by side join when they
    share a row and the gap between them is no wider than GAP line heights, as the words of one phrase are
    (a phrase of large text whose word gap is wider than the spread that makes pieces)."""
    lines: dict[tuple[int, int], list[Word]] = {}
    for index, words in enumerate(pieces):
        for word in words:
            lines.setdefault((index, word.line), []).append(word)
    keys = list(lines)
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    boxes = [_union(w.box for w in lines[key]) for key in keys]
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            if keys[i][0] != keys[j][0] and _one_phrase(a, boxes[j]):
                parent[root(j)] = root(i)
    ids: dict[int, int] = {}
    out = []
    for index, key in enumerate(keys):
        line = ids.setdefault(root(index), len(ids))
        out += [replace(word, line=line) for word in lines[key]]
    return out


def _solid(edges: Image.Image) -> Image.Image:
    """The edge pixels inside a SOLID x SOLID square of edge pixels: glyphs, whose edges crowd together at
    half resolution, and not the thin bands that borders, rules and underlines make."""
    shrunk = square_filter(edges, SOLID, ImageChops.darker)
    return square_filter(shrunk, SOLID, ImageChops.lighter)


def _clusters(mask: Image.Image) -> list[list[int]]:
    """The boxes [left, top, right, bottom) of the 8-connected clusters of the non-zero pixels of ``mask``:
    the runs of each row, joined to the touching runs of the row above."""
    width, height = mask.size
    data = mask.tobytes()
    parent: list[int] = []
    boxes: list[list[int]] = []

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    above: list[tuple[int, int, int]] = []
    for y in range(height):
        row: list[tuple[int, int, int]] = []
        first = 0  # the runs of each row are in order: the runs above that end before this one are done with
        for run in _RUN.finditer(data, y * width, (y + 1) * width):
            start, end = run.start() - y * width, run.end() - y * width
            index = len(parent)
            parent.append(index)
            boxes.append([start, y, end, y + 1])
            while first < len(above) and above[first][1] < start:
                first += 1
            k = first
            while k < len(above) and above[k][0] <= end:  # touching, diagonally too
                a, b = root(above[k][2]), root(index)
                if a != b:
                    parent[b] = a
                k += 1
            row.append((start, end, index))
        above = row
    clusters: dict[int, list[int]] = {}
    for index, box in enumerate(boxes):
        found = clusters.setdefault(root(index), list(box))
        found[:] = [
            min(found[0], box[0]),
            min(found[1], box[1]),
            max(found[2], box[2]),
            max(found[3], box[3]),
        ]
    return list(clusters.values())


def _merged(boxes: list[list[int]]) -> list[list[int]]:
    """``boxes`` with every two that overlap replaced by the box around both, until none overlap."""
    pending = sorted(boxes, key=lambda b: (b[1], b[0]))
    while True:
        out: list[list[int]] = []
        changed = False
        for box in pending:
            for other in out:
                if box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]:
                    other[:] = [
                        min(box[0], other[0]),
                        min(box[1], other[1]),
                        max(box[2], other[2]),
                        max(box[3], other[3]),
                    ]
                    changed = True
                    break
            else:
                out.append(box)
        if not changed:
            return out
        pending = out


def _clipped(left: int, top: int, right: int, bottom: int, gray: Image.Image) -> Rect:
    left, top = max(0, left), max(0, top)
    right, bottom = min(gray.width, right), min(gray.height, bottom)
    return Rect(left, top, max(0, right - left), max(0, bottom - top))


def _around(areas: Iterable[Rect]) -> Rect:
    """The box around ``areas`` and BEYOND px more each side."""
    box = _union(areas)
    return Rect(
        box.left - BEYOND[0], box.top - BEYOND[1], box.width + 2 * BEYOND[0], box.height + 2 * BEYOND[1]
    )


def _one_phrase(a: Rect, b: Rect) -> bool:
    """Two lines on one row (their middles within half a line height), no further apart than GAP line
    heights."""
    height = max(a.height, b.height)
    if abs((a.top + a.height / 2) - (b.top + b.height / 2)) > height / 2:
        return False
    gap = max(b.left - (a.left + a.width), a.left - (b.left + b.width))
    return gap <= GAP * height


def _union(boxes: Iterable[Rect]) -> Rect:
    rects = list(boxes)
    left, top = min(r.left for r in rects), min(r.top for r in rects)
    right = max(r.left + r.width for r in rects)
    bottom = max(r.top + r.height for r in rects)
    return Rect(left, top, right - left, bottom - top)
