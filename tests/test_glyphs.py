"""Runs of identical glyphs (generator/pipeline/glyphs.py) and when they mean that a field masked what was
typed (generator/pipeline/secrets.py ``masks``): on fields drawn as a toolkit draws them (anti-aliased,
glyphs at fractions of a pixel, a caret, a border), and on a frame the real recorder grabbed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PIL import Image, ImageDraw, ImageFont

from capture.models import Rect
from generator.pipeline.glyphs import GlyphRun, new_glyphs, repeated_glyphs
from generator.pipeline.pixels import Grey
from generator.pipeline.secrets import masks
from generator.sample import RECORDINGS

SCALE = 4  # drawn this much larger, then reduced: anti-aliased edges, positions at quarters of a pixel
FIELD = Rect(20, 10, 300, 32)  # the field's box in the reduced image, border included
Mark = Callable[[ImageDraw.ImageDraw, float], None]  # draws one glyph at x (scaled pixels)


def field(draw_inside: Callable[[ImageDraw.ImageDraw], float], caret: bool = False) -> Grey:
    """A white field with a grey border on a grey page, what ``draw_inside`` draws in it (from x = 26, in
    reduced pixels), and a caret right after it."""
    page = Image.new("L", (360 * SCALE, 52 * SCALE), 230)
    draw = ImageDraw.Draw(page)
    box = [FIELD.left * SCALE, FIELD.top * SCALE, (FIELD.left + FIELD.width) * SCALE - 1]
    draw.rectangle([*box, (FIELD.top + FIELD.height) * SCALE - 1], fill=255, outline=120, width=SCALE)
    end = draw_inside(draw)
    if caret:
        x = round(end + 1.5 * SCALE)
        draw.rectangle([x, 16 * SCALE, x + SCALE - 1, 36 * SCALE], fill=0)
    return Grey.of(page.reduce(SCALE))


def text(value: str, size: int = 16) -> Callable[[ImageDraw.ImageDraw], float]:
    font = ImageFont.load_default(size * SCALE)

    def draw(canvas: ImageDraw.ImageDraw) -> float:
        canvas.text((26 * SCALE, 18 * SCALE), value, font=font, fill=0)
        return 26 * SCALE + canvas.textlength(value, font=font)

    return draw


def marks(mark: Mark, count: int, pitch: float) -> Callable[[ImageDraw.ImageDraw], float]:
    """``count`` marks ``pitch`` pixels apart (a fraction: each falls on another part of a pixel)."""

    def draw(canvas: ImageDraw.ImageDraw) -> float:
        for i in range(count):
            mark(canvas, (26 + i * pitch) * SCALE)
        return (26 + count * pitch) * SCALE

    return draw


def disc(canvas: ImageDraw.ImageDraw, x: float) -> None:
    canvas.ellipse([x, 23 * SCALE, x + 6 * SCALE, 29 * SCALE], fill=0)


def circle(canvas: ImageDraw.ImageDraw, x: float) -> None:
    canvas.ellipse([x, 24 * SCALE, x + 5 * SCALE, 29 * SCALE], outline=60, width=SCALE)


def square(canvas: ImageDraw.ImageDraw, x: float) -> None:
    canvas.rectangle([x, 21 * SCALE, x + 10 * SCALE, 32 * SCALE], fill=0)


def runs(grey: Grey) -> list[int]:
    return [run.count for run in repeated_glyphs(grey, Rect(FIELD.left - 2, FIELD.top - 2, 304, 36))]


@pytest.mark.parametrize("caret", [False, True], ids=["", "caret"])
@pytest.mark.parametrize(
    ("shown", "count"),
    [
        (text("*" * 9), 9),  # Tk's show="*", Motif, Java
        (text("x" * 7), 7),
        (marks(disc, 8, 7.6), 8),  # a password field's dots
        (marks(circle, 6, 7.75), 6),  # CSS -webkit-text-security: circle, small and thin
        (marks(square, 8, 12.6), 8),  # CSS -webkit-text-security: square
        (text("aaaa"), 4),  # the same glyph four times: what typing "aaaa" shows (masks decides)
    ],
    ids=["asterisks", "x", "discs", "circles", "squares", "aaaa"],
)
def test_a_run_of_identical_glyphs_is_found_whatever_the_glyph(
    shown: Callable[[ImageDraw.ImageDraw], float], count: int, caret: bool
) -> None:
    assert runs(field(shown, caret)) == [count]


@pytest.mark.parametrize(
    "value", ["10000", "0000 12", "Dock 7 pallet", "In production", "k7Qm-29xZ", "Hmm", "2025-03-14"]
)
def test_text_is_no_run_even_where_glyphs_repeat_beside_others(value: str) -> None:
    assert runs(field(text(value), caret=True)) == []


def test_the_dots_of_a_real_password_field_are_a_run() -> None:
    with Image.open(RECORDINGS / "sign-in" / "frames" / "000003.png") as image:
        grey = Grey.of(image)
    password, user = Rect(453, 389, 374, 41), Rect(453, 311, 374, 41)
    assert [run.count for run in repeated_glyphs(grey, password)] == [len("Winter-2025!")]
    assert repeated_glyphs(grey, user) == []  # "jsmith" typed in the field above


def test_a_run_that_typing_made_appear_is_found_where_the_field_is_unknown() -> None:
    empty, typed = field(text("")), field(text("*" * 9), caret=True)
    assert [run.count for run in new_glyphs(empty, typed)] == [9]
    assert new_glyphs(typed, typed) == [], "nothing changed: nothing appeared"
    assert new_glyphs(empty, field(text("Dock 7 pallet"), caret=True)) == []


def run(count: int, top: int = 20) -> GlyphRun:
    return GlyphRun(Rect(30, top, 8 * count, 10), count)


def test_a_run_masks_a_value_of_differing_characters_one_glyph_each_or_four_at_least() -> None:
    assert masks("k7Qm-29xZ", [run(9)]) and masks("k7Qm-29xZ", [run(4)])  # fewer: the field scrolled
    assert masks("a7x", [run(3)]) and not masks("a7x5b", [run(3)])
    assert not masks("1111", [run(4)]) and not masks("----", [run(4)]), "the value itself shows that"
    assert not masks("k7Qm", [])
    assert masks("k7Qm", [run(4)], point=(100, 25)) and not masks("k7Qm", [run(4, top=80)], point=(100, 25))
