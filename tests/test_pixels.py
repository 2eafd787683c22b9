"""The pixel checks of generator/pipeline/pixels.py that scan whole rows of a frame, against the plain
definition they speed up, on frames the real recorder grabbed (Acme CRM in Chromium, 1280x800 and
1920x1080)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from generator.pipeline.pixels import Grey, _edge, _edge_column, field_box
from generator.sample import RECORDINGS

ROOT = Path(__file__).resolve().parents[1]
FRAMES = [
    RECORDINGS / "new-lead" / "frames" / "000008.png",
    RECORDINGS / "quality-check" / "frames" / "000003.png",
    ROOT / "tests" / "fixtures" / "recordings" / "long-session" / "frames" / "000021.webp",
]


def plain_edge_column(grey: Grey, columns: range, y0: int, y1: int, inside: int) -> int | None:
    """The definition: the first column whose pixels from ``y0`` to ``y1`` make an edge."""
    return next((c for c in columns if _edge(grey.column(c, y0, y1), inside)), None)


@pytest.mark.parametrize("frame", FRAMES, ids=lambda p: f"{p.parents[1].name}-{p.stem}")
def test_edge_columns_are_found_as_one_by_one(frame: Path) -> None:
    with Image.open(frame) as image:
        grey = Grey.of(image)
    rng = random.Random(frame.stem)
    found = 0
    for _ in range(300):
        x, y0 = rng.randrange(grey.width), rng.randrange(grey.height - 20)
        y1 = min(grey.height, y0 + rng.randrange(12, 160))
        inside = grey.at(x, (y0 + y1) // 2)
        for columns in (range(x - 1, max(-1, x - 1400), -1), range(x + 1, min(grey.width, x + 1400))):
            expected = plain_edge_column(grey, columns, y0, y1, inside)
            assert _edge_column(grey, columns, y0, y1, inside) == expected, (x, y0, y1, inside, columns)
            found += expected is not None
    assert found > 50


def test_field_boxes_on_a_real_form() -> None:
    with Image.open(FRAMES[0]) as image:
        grey = Grey.of(image)
    assert field_box(grey, (386, 407)) is not None  # the Phone field the step clicked
    assert field_box(grey, (5, 5)) is None


def classic_entry(focused: bool) -> Image.Image:
    """A white entry on a grey window as Tk (or Motif, or classic Windows) draws it: a sunken border (dark
    above and left, light below and right), and a black focus ring around it while focused."""
    image = Image.new("L", (400, 120), 217)
    draw = ImageDraw.Draw(image)
    if focused:
        draw.rectangle((99, 39, 351, 61), outline=0)
    draw.rectangle((100, 40, 350, 60), fill=255)
    draw.line((100, 40, 350, 40), fill=153)
    draw.line((100, 40, 100, 60), fill=153)
    draw.line((100, 60, 350, 60), fill=230)
    draw.line((350, 40, 350, 60), fill=230)
    draw.line((20, 20, 380, 20), fill=130)  # a rule further up: part of the window, not of the field
    return image


@pytest.mark.parametrize("focused", [False, True], ids=["unfocused", "focused"])
def test_a_white_field_on_a_grey_window_ends_at_its_border(focused: bool) -> None:
    """The grey around the field differs from its inside as much as its border does: the edge is where the
    border gives way to the window, not where the grey ends."""
    box = field_box(Grey.of(classic_entry(focused)), (200, 50))
    ring = 1 if focused else 0
    assert box is not None
    assert (box.top, box.top + box.height - 1) == (40 - ring, 60 + ring)
    assert box.left in (100 - ring, 100) and box.left + box.width - 1 in (350, 350 + ring)
