"""Pieces of a screen (generator/pipeline/pieces.py): redaction reads each distinct piece of text once, and
finds what reading the whole region finds. On frames the real recorder grabbed from Acme CRM in Chromium,
read by the real tesseract."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from capture.models import Rect
from generator.guide.model import Word
from generator.pipeline.ocr import Crop, Ocr
from generator.pipeline.pieces import _clusters, _parts, find_pieces, joined, read_areas
from generator.pipeline.redact import find_sensitive
from generator.sample import RECORDINGS
from tests.conftest import need

FRAMES = RECORDINGS / "new-lead" / "frames"
FILLED = FRAMES / "000008.png"  # the new-lead form with an e-mail address and a phone number typed in


def gray(path: Path) -> Image.Image:
    with Image.open(path) as image:
        converted: Image.Image = image.convert("L")
    return converted


def centre_in(word: Word, boxes: list[Rect]) -> bool:
    x, y = word.box.left + word.box.width // 2, word.box.top + word.box.height // 2
    return any(box.contains(x, y) for box in boxes)


def test_pieces_are_disjoint_and_hold_every_word_read_on_the_whole_screen() -> None:
    need("tesseract")
    pieces = find_pieces(gray(FILLED))
    assert len(pieces) >= 10
    assert not [(a, b) for i, a in enumerate(pieces) for b in pieces[i + 1 :] if a.overlaps(b)]
    whole = Ocr().read([Crop(FILLED, Rect(0, 0, *gray(FILLED).size), scale=1)])[0]
    readable = [w for w in whole if w.conf >= 60 and len(w.text) >= 2]
    assert len(readable) >= 20
    assert [w.text for w in readable if not centre_in(w, pieces)] == []


def within(box: Rect, region: Rect) -> bool:
    return (
        region.left <= box.left
        and region.top <= box.top
        and box.left + box.width <= region.left + region.width
        and box.top + box.height <= region.top + region.height
    )


def test_the_pieces_of_a_region_are_those_of_the_frame_there() -> None:
    frame = gray(FILLED)
    region = Rect(301, 199, 500, 300)
    inside = find_pieces(frame, region)  # looked for from 300, 198: on the frame's half-resolution grid
    assert inside and all(within(p, Rect(300, 198, 501, 301)) for p in inside)
    deep = Rect(region.left + 40, region.top + 20, region.width - 80, region.height - 40)
    assert [p for p in inside if within(p, deep)] == [p for p in find_pieces(frame) if within(p, deep)]


def test_lines_and_borders_do_not_join_the_cells_of_a_table() -> None:
    image = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(image)
    for x in (0, 150, 300, 450, 599):
        draw.line([(x, 0), (x, 199)], fill=120)
    for y in (0, 50, 100, 150, 199):
        draw.line([(0, y), (599, y)], fill=120)
    for row in range(4):
        for column in range(4):
            draw.text((20 + 150 * column, 18 + 50 * row), f"Cell {row}{column}", fill=0)
    pieces = find_pieces(image)
    texts = [(40 + 150 * column, 23 + 50 * row) for row in range(4) for column in range(4)]  # their middles
    assert len(pieces) == 16
    assert all(sum(p.contains(*text) for text in texts) == 1 for p in pieces)


@pytest.mark.ocr
def test_personal_data_is_found_as_when_the_whole_region_is_read() -> None:
    need("tesseract")
    area = Rect(0, 100, 1280, 500)
    whole = Ocr().read([Crop(FILLED, area, scale=1)])[0]
    by_pieces = read_areas(Ocr(), [(FILLED, area)], scale=1)[0][0]
    kinds = sorted(r.reason for r in find_sensitive(whole))
    assert kinds == ["email", "phone"]
    assert sorted(r.reason for r in find_sensitive(by_pieces)) == kinds
    texts = {w.text for w in by_pieces}
    assert {"jane.doe@acme.example", "Email", "Phone"} <= texts


@pytest.mark.ocr
def test_a_piece_shown_on_many_screens_is_read_once(tmp_path: Path) -> None:
    need("tesseract")
    copy = tmp_path / "copy.png"
    shutil.copyfile(FILLED, copy)
    area = Rect(0, 0, 1280, 800)
    cache = tmp_path / "cache"
    label = Crop(FILLED, Rect(100, 380, 600, 140))  # a label crop, read in the same tesseract runs
    first, also = read_areas(Ocr(cache_dir=cache), [(FILLED, area), (copy, area)], scale=1, also=[label])
    assert first[0] == first[1] and first[0]
    assert also == Ocr().read([label]) and also[0]
    files = list(cache.rglob("*.json"))
    assert len(files) == len({p.name for p in files}) <= len(find_pieces(gray(FILLED))) + 1
    again = Ocr(cache_dir=cache)
    assert read_areas(again, [(copy, area)], scale=1) == ([first[0]], [])
    assert again.runs == 0


def test_frames_are_read_in_parts_the_first_while_the_next_are_found() -> None:
    frames = [Path(f"{i}.png") for i in range(100)]
    parts = _parts(frames, 2)
    assert [len(p) for p in parts] == [25, 25, 25, 25]  # PART frames at most, of one size
    assert [f for part in parts for f in part] == frames
    assert [len(p) for p in _parts(frames[:49], 2)] == [25, 24]  # a part per core at least
    assert [len(p) for p in _parts(frames[:1], 4)] == [1]
    assert _parts([], 2) == []


def word(text: str, left: int, top: int = 10, line: int = 0, height: int = 12) -> Word:
    return Word(text, 90.0, Rect(left, top, 8 * len(text), height), line)


def test_lines_of_pieces_side_by_side_join_as_one_phrase() -> None:
    near = [[word("+49", 0)], [word("30", 36), word("1234", 60)]]  # a gap of 12 px: one phrase
    assert len({w.line for w in joined(near)}) == 1
    far = [[word("Phone", 0)], [word("030", 200)]]  # far apart: two columns
    assert len({w.line for w in joined(far)}) == 2
    rows = [[word("one", 0, top=10)], [word("two", 40, top=40)]]  # side by side, but on two rows
    assert len({w.line for w in joined(rows)}) == 2
    two_lines = [[word("a1", 0, top=10, line=0), word("b2", 0, top=30, line=1)]]  # one piece's own lines
    assert [w.line for w in joined(two_lines)] == [0, 1]
    found = find_sensitive(joined(near))
    assert [r.reason for r in found] == ["phone"]


def flood(mask: Image.Image) -> list[list[int]]:
    """The boxes of the 8-connected clusters of a mask, by flood fill: the definition."""
    width, height = mask.size
    pixels = mask.load()
    assert pixels is not None
    seen: set[tuple[int, int]] = set()
    boxes = []
    for y in range(height):
        for x in range(width):
            if not pixels[x, y] or (x, y) in seen:
                continue
            stack, box = [(x, y)], [x, y, x + 1, y + 1]
            seen.add((x, y))
            while stack:
                cx, cy = stack.pop()
                box = [min(box[0], cx), min(box[1], cy), max(box[2], cx + 1), max(box[3], cy + 1)]
                for nx, ny in ((cx + dx, cy + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                    if 0 <= nx < width and 0 <= ny < height and pixels[nx, ny] and (nx, ny) not in seen:
                        seen.add((nx, ny))
                        stack.append((nx, ny))
            boxes.append(box)
    return sorted(boxes)


def test_clusters_are_found_as_by_flood_fill() -> None:
    rng = random.Random(3)
    for _ in range(200):
        mask = Image.new("L", (rng.randrange(1, 40), rng.randrange(1, 30)))
        share = rng.random() * 0.6
        mask.putdata([255 if rng.random() < share else 0 for _ in range(mask.width * mask.height)])
        assert sorted(_clusters(mask)) == flood(mask)
