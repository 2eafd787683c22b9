"""A person's image edits of a step (docs/guide-format.md): the published image is the step's ``image``
with its ``blur`` boxes blurred, its highlight moved when a person drew another ``box``, then its ``crop``.

The file ``image`` is never written: the site and the exports publish what :func:`edited_png` returns. A
palette image (what ``vsop generate`` writes, see annotate.py) keeps its palette, so no pixel outside the
edits changes; the machine's highlight is the one palette entry in the accent colour, so a person's new box
can replace it: those pixels are painted over with their neighbours and the new box is outlined.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageChops

from capture.models import Rect
from generator.errors import GuideError
from generator.guide.model import Box, Guide, Step
from generator.images.annotate import ACCENT, ACCENT_INDEX, blur, highlight
from generator.images.files import open_image

_FILL_PASSES = 24  # enough to paint over an arrow head (16 px) from its edges


def has_image_edits(step: Step) -> bool:
    """Whether the published image of ``step`` differs from its ``image`` file."""
    return bool(step.blur) or step.crop is not None or "box" in step.edited


def edited_image(source: Image.Image, step: Step) -> Image.Image:
    """``source`` (the step's image) with the step's edits applied; ``source`` itself is left as it is. A box
    that is not inside the image (guide.yml edited by hand) raises GuideError."""
    _check_boxes(step, source.size)
    rgb = source.convert("RGB")
    changed = Image.new("L", rgb.size, 0)  # the pixels an edit painted
    moved = "box" in step.edited
    if moved:
        changed = _erase_accent(rgb)
    for x, y, width, height in step.blur:
        blur(rgb, Rect(x, y, width, height), pad=0)
        changed.paste(255, (x, y, x + width, y + height))
    image = rgb if source.mode != "P" else _repainted(source, rgb, changed)
    left, top = 0, 0
    if step.crop is not None:
        left, top, width, height = step.crop
        image = image.crop((left, top, left + width, top + height))
    if moved and step.box is not None:
        x, y, width, height = step.box
        highlight(image, None, Rect(x - left, y - top, width, height), None)
    return image


def edited_png(path: Path, step: Step) -> bytes:
    """The published image of ``step`` as PNG bytes; ``path`` is its ``image`` file, only read (an unreadable
    one raises ImageError)."""
    with open_image(path) as source:
        try:
            image = edited_image(source, step)
        except GuideError as exc:
            raise GuideError(f"{path}: {exc}") from None
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _check_boxes(step: Step, size: tuple[int, int]) -> None:
    boxes = [("blur", b) for b in step.blur] + [("crop", step.crop)] * (step.crop is not None)
    if "box" in step.edited and step.box is not None:
        boxes.append(("box", step.box))
    for name, box in boxes:
        if box is not None and not inside(box, size):
            raise GuideError(
                f"step {step.id}: its {name} {list(box)} is not inside its {size[0]}x{size[1]} image; fix or "
                "remove it in guide.yml (or draw it again with vsop edit)"
            )


def inside(box: Box, size: tuple[int, int]) -> bool:
    """Whether ``box`` (x, y, width, height) is a non-empty part of an image of ``size``."""
    x, y, width, height = box
    return width > 0 and height > 0 and x >= 0 and y >= 0 and x + width <= size[0] and y + height <= size[1]


def _repainted(source: Image.Image, rgb: Image.Image, changed: Image.Image) -> Image.Image:
    """The palette image ``source`` with the ``changed`` pixels taken from ``rgb``, mapped to the nearest
    colours of its palette; every other pixel keeps its index. Entry 255 becomes the accent (annotate.py),
    which a painted pixel never gets."""
    entries = (source.getpalette() or [])[: 256 * 3]
    colours = [tuple(entries[i : i + 3]) for i in range(0, len(entries) - 2, 3)] or [(0, 0, 0)]
    colours += [colours[0]] * (256 - len(colours))
    accent = {i for i, c in enumerate(colours) if c == ACCENT or i == ACCENT_INDEX}
    search = Image.new("P", (1, 1))
    search.putpalette([v for i, c in enumerate(colours) for v in (colours[0] if i in accent else c)])
    image = source.copy()
    image.putpalette([v for c in colours[:ACCENT_INDEX] for v in c] + list(ACCENT))
    if changed.getbbox() is not None:
        mapped = rgb.quantize(palette=search, dither=Image.Dither.NONE)
        table = bytes(0 if i in accent else i for i in range(256))
        image.paste(Image.frombytes("P", rgb.size, mapped.tobytes().translate(table)), mask=changed)
    return image


def _accent_mask(rgb: Image.Image) -> Image.Image:
    """255 where ``rgb`` has exactly the accent colour, else 0."""
    bands = [
        band.point(lambda v, want=want: 255 if v == want else 0)
        for band, want in zip(rgb.split(), ACCENT, strict=True)
    ]
    return ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2])


def _erase_accent(rgb: Image.Image) -> Image.Image:
    """Paint the pixels of the accent colour (the machine's highlight) with the colours next to them; returns
    the mask of those pixels."""
    mask = _accent_mask(rgb)
    erased = mask.copy()
    for _ in range(_FILL_PASSES):
        if mask.getbbox() is None:
            break
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            known = ImageChops.invert(ImageChops.offset(mask, dx, dy))
            fill = ImageChops.multiply(mask, known)
            rgb.paste(ImageChops.offset(rgb, dx, dy), mask=fill)
            mask = ImageChops.subtract(mask, fill)
    return erased


def published_images(guide: Guide, folder: Path) -> dict[str, bytes]:
    """The published image of every shown step a person edited, by its ``image`` path in ``folder``."""
    return {
        step.image: edited_png(folder / step.image, step)
        for step in guide.steps
        if step.dropped is None and step.image and has_image_edits(step)
    }
