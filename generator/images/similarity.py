"""Whether a step's screenshot changed noticeably between two recordings: both images made small and grey,
then the share of pixels that differ clearly. Measured on the sample app (README, "Keeping guides true"):
a re-recording of the same screen differs in 0 % of the pixels, a form that gained a field above the
step in 14 % or more, a step below an unchanged part of the page in at most 4 %."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops

from generator.images.files import open_image

WIDTH = 96  # pixels across, the height in proportion: small enough that a caret or a one-pixel shift fades
LEVELS = 24  # grey levels (of 255) from which a pixel counts as different
CHANGED = 0.075  # share of different pixels from which the screen changed noticeably


def difference(a: Path, b: Path) -> float:
    """The share (0..1) of pixels that differ clearly between the images ``a`` and ``b``; 1 when their
    proportions differ."""
    with open_image(a) as first, open_image(b) as second:
        if abs(first.width * second.height - second.width * first.height) > first.width:
            return 1.0
        size: tuple[int, int] = (WIDTH, max(1, round(WIDTH * first.height / first.width)))
        small = [image.convert("L").resize(size, Image.Resampling.BOX) for image in (first, second)]
    histogram: list[int] = ImageChops.difference(*small).histogram()
    different: int = sum(histogram[LEVELS + 1 :])
    return different / (size[0] * size[1])


def screen_changed(a: Path | None, b: Path | None) -> bool:
    """Whether the screenshot ``b`` shows noticeably another screen than ``a`` (a missing one: if only one
    of them is missing)."""
    if a is None or b is None or not a.is_file() or not b.is_file():
        return (a is None or not a.is_file()) != (b is None or not b.is_file())
    return difference(a, b) >= CHANGED
