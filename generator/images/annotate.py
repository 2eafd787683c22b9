"""Step images: blur what must not be published, highlight what the step acts on, crop to a readable
region around it and write a small palette PNG (plus the full frame for click-to-enlarge).

The frame is quantised before the highlight is drawn, and the accent colour gets a palette entry of its own,
so the highlight keeps its exact colour whatever the screenshot looks like.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from capture.files import atomic_write
from capture.models import Rect
from generator.guide.model import Redaction
from generator.images.files import open_image

ACCENT = (0xFF, 0x6A, 0x00)
ACCENT_INDEX = 255  # palette entry of the accent; the screenshot gets the other 255
LINE = 3  # highlight line width, px
PAD = 4  # gap between a target box and its outline
RADIUS = 6  # corner radius of the outline
RING = 18  # radius of the ring around a point when there is no box
ARROW_HEAD = 16
CROP = (960, 540)  # step image size when the frame is larger
MARGIN = 48  # room kept around the target inside the crop
FULL_SUFFIX = "-full"
BLUR_PAD = 2  # px blurred around a redaction's box

Point = tuple[int, int]
Box = tuple[int, int, int, int]  # left, top, right, bottom (exclusive)


def full_image_name(image: str) -> str:
    """The click-to-enlarge full frame of a step image: ``images/s-3f9a.png`` -> ``images/s-3f9a-full.png``"""
    stem, dot, ext = image.rpartition(".")
    if not dot or "/" in ext:
        return image + FULL_SUFFIX
    return f"{stem}{FULL_SUFFIX}.{ext}"


@dataclass(frozen=True, slots=True)
class Marks:
    """What one step draws on its frame, in frame pixels: see :func:`annotate`."""

    point: Point | None
    box: Rect | None
    end: Point | None


@dataclass(frozen=True, slots=True)
class Drawn:
    """A step's images as PNG files' bytes: the step image, and the full frame when asked for."""

    step: bytes
    full: bytes | None = None


def annotate(
    frame: Path,
    point: Point | None,
    box: Rect | None,
    end: Point | None,
    redactions: Sequence[Redaction],
    out: Path,
    full_out: Path | None = None,
) -> None:
    """Write the step image ``out`` (and the full frame ``full_out``) from the screenshot ``frame``.

    Coordinates are frame pixels. ``box`` is outlined and ``point`` ringed unless it is inside the box;
    ``end`` draws a drag arrow from ``point``. The step image is the :func:`view_box` of these arguments.
    Each redaction box is pixelated and blurred, in both images. ``frame`` itself is never written.
    """
    for target in (out, full_out):
        if target is not None and target.resolve() == frame.resolve():
            raise ValueError(f"{target}: an annotated image cannot replace its source frame")
    (drawn,) = draw_frame(frame, [Marks(point, box, end)], redactions, full_out is not None)
    write_png(drawn.step, out)
    if full_out is not None and drawn.full is not None:
        write_png(drawn.full, full_out)


@dataclass(frozen=True, slots=True)
class Patch:
    """Pixels of a frame decoded already (for OCR, see ``generator/pipeline/generate.py``): ``image``, in
    RGB, is the part of the frame whose top-left corner is ``left``, ``top``; the whole frame is ``size``."""

    image: Image.Image
    left: int
    top: int
    size: tuple[int, int]

    def holds(self, box: Box) -> bool:
        right, bottom = self.left + self.image.width, self.top + self.image.height
        return self.left <= box[0] and self.top <= box[1] and box[2] <= right and box[3] <= bottom


def decoded(frame: Path) -> Patch:
    """The whole screenshot ``frame``, decoded."""
    source = open_image(frame)
    rgb = source if source.mode == "RGB" else source.convert("RGB")
    return Patch(rgb, 0, 0, rgb.size)


def draw_frame(
    frame: Path,
    steps: Sequence[Marks],
    redactions: Sequence[Redaction],
    full: bool,
    patch: Patch | None = None,
) -> list[Drawn]:
    """The images of every step shown on the screenshot ``frame`` (see :func:`annotate`), with the full
    frame too when ``full``: the frame is decoded, blurred (every step's redactions: they all show the same
    pixels) and, for the full frames, reduced to a palette once; each step then crops and highlights its
    own. ``patch``, the part of the frame decoded already, saves decoding it when it holds all that the
    images show and all that their redactions blur (``patch`` is blurred in place)."""
    unique = list(dict.fromkeys(redactions))
    if patch is None or full or not _serves(patch, [_crop(patch.size, step) for step in steps], unique):
        patch = decoded(frame)
    rgb, left, top = patch.image, patch.left, patch.top
    for redaction in unique:
        blur(rgb, _shifted(redaction.box, left, top))
    whole = to_palette(rgb) if full else None
    drawn = []
    for step in steps:
        point, box, end = step.point, step.box, step.end
        x0, y0, x1, y1 = _crop(patch.size, step)
        image = to_palette(rgb.crop((x0 - left, y0 - top, x1 - left, y1 - top)))  # the crop alone: ~4x faster
        highlight(image, _moved(point, x0, y0), _moved_rect(box, x0, y0), _moved(end, x0, y0))
        enlarged = None
        if whole is not None:
            enlarged = whole.copy()
            highlight(enlarged, point, box, end)
        drawn.append(Drawn(png(image), png(enlarged) if enlarged is not None else None))
    return drawn


def _crop(size: tuple[int, int], step: Marks) -> Box:
    return crop_box(size, focus(step.point, step.box, step.end))


def _serves(patch: Patch, crops: Sequence[Box], redactions: Sequence[Redaction]) -> bool:
    """Whether ``patch`` holds the ``crops`` and what each redaction that shows in them blurs (a blur
    clipped by the patch's edge would smear otherwise than on the whole frame)."""
    if not all(patch.holds(crop) for crop in crops):
        return False
    for redaction in redactions:
        blurred = _clip(_grow(_box(redaction.box), BLUR_PAD), patch.size)
        if any(_overlap(blurred, crop) for crop in crops) and not patch.holds(blurred):
            return False
    return True


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A step image before its redactions are known: its ``crop`` of the frame, reduced to a palette."""

    crop: Box
    image: Image.Image


def prepare(frame: Path, steps: Sequence[Marks], patch: Patch | None = None) -> list[Prepared]:
    """The crops of the screenshot ``frame`` that the images of ``steps`` show, each reduced to its palette:
    the costly part of drawing, which needs no redaction (:func:`finish` does the rest). ``patch``: as in
    :func:`draw_frame`."""
    crops = [_crop(patch.size, step) for step in steps] if patch is not None else []
    if patch is None or not all(patch.holds(crop) for crop in crops):
        patch = decoded(frame)
        crops = [_crop(patch.size, step) for step in steps]
    left, top = patch.left, patch.top
    return [
        Prepared((x0, y0, x1, y1), to_palette(patch.image.crop((x0 - left, y0 - top, x1 - left, y1 - top))))
        for x0, y0, x1, y1 in crops
    ]


def finish(prepared: Prepared, step: Marks, redactions: Sequence[Redaction]) -> bytes:
    """The step image :func:`prepare` began, as PNG file's bytes: ``redactions`` blurred (each drawn again
    in the image's own colours) and the step's highlight."""
    left, top, _, _ = prepared.crop
    image = prepared.image.copy()
    for redaction in dict.fromkeys(redactions):
        _blur_in_palette(image, _moved_rect(redaction.box, left, top))
    highlight(
        image, _moved(step.point, left, top), _moved_rect(step.box, left, top), _moved(step.end, left, top)
    )
    return png(image)


def _blur_in_palette(image: Image.Image, rect: Rect | None) -> None:
    """:func:`blur` on a palette image: the region blurred in colours, then put back in the palette's."""
    if rect is None:
        return
    left, top, right, bottom = _clip(_grow(_box(rect), BLUR_PAD), image.size)
    if right <= left or bottom <= top:
        return
    region = image.crop((left, top, right, bottom)).convert("RGB")
    blur(region, Rect(rect.left - left, rect.top - top, rect.width, rect.height))
    colours = (image.getpalette() or [])[: ACCENT_INDEX * 3]
    palette = Image.new("P", (1, 1))
    palette.putpalette(colours + colours[:3])  # the accent's entry is never a blurred colour
    image.paste(region.quantize(palette=palette, dither=Image.Dither.NONE), (left, top))


def _moved(point: Point | None, left: int, top: int) -> Point | None:
    return None if point is None else (point[0] - left, point[1] - top)


def _moved_rect(rect: Rect | None, left: int, top: int) -> Rect | None:
    return None if rect is None else _shifted(rect, left, top)


def _shifted(rect: Rect, left: int, top: int) -> Rect:
    return Rect(rect.left - left, rect.top - top, rect.width, rect.height)


def blur(image: Image.Image, rect: Rect, pad: int = BLUR_PAD) -> None:
    """Make the text in ``rect`` unreadable: pixelate with blocks half the box's height, then blur."""
    left, top, right, bottom = _clip(_grow(_box(rect), pad), image.size)
    if right <= left or bottom <= top:
        return
    region = image.crop((left, top, right, bottom))
    block = max(8, min(region.width, region.height) // 2)
    small = region.resize(
        (max(1, region.width // block), max(1, region.height // block)), Image.Resampling.BOX
    )
    smeared = small.resize(region.size, Image.Resampling.NEAREST).filter(ImageFilter.GaussianBlur(block / 2))
    image.paste(smeared, (left, top))


def to_palette(rgb: Image.Image) -> Image.Image:
    """At most 255 screenshot colours plus the accent. Median cut keeps the flat colours of a UI exact
    (fast octree shifts them); quantize does not dither, so flat areas stay flat and compress well.

    A screenshot repeats most of its rows (blank space, the inside of a bar or a button) and, of those left,
    most of its columns: only the distinct rows' distinct columns are quantised (a fifth of the pixels, four
    times faster), then put back in place. Every colour is still there and maps to its nearest palette entry
    as before; only the weight each colour has in choosing the palette changes."""
    if rgb.width == 0 or rgb.height == 0:
        small = rgb.quantize(colors=ACCENT_INDEX, method=Image.Quantize.MEDIANCUT)
        image = small
    else:
        rows, row_of = _distinct_rows(rgb)
        columns, column_of = _distinct_rows(rows.transpose(Image.Transpose.TRANSPOSE))
        small = columns.quantize(colors=ACCENT_INDEX, method=Image.Quantize.MEDIANCUT)
        image = _repeated(_repeated(small, column_of).transpose(Image.Transpose.TRANSPOSE), row_of)
    palette = (small.getpalette() or [])[: ACCENT_INDEX * 3]
    palette += [0] * (ACCENT_INDEX * 3 - len(palette))
    image.putpalette([*palette, *ACCENT])
    return image


def _distinct_rows(image: Image.Image) -> tuple[Image.Image, list[int]]:
    """The distinct rows of ``image``, in order of first appearance, and which of them each row is."""
    data = image.tobytes()
    width = len(data) // image.height
    found: dict[bytes, int] = {}
    which = [found.setdefault(data[y * width : (y + 1) * width], len(found)) for y in range(image.height)]
    return Image.frombytes(image.mode, (image.width, len(found)), b"".join(found)), which


def _repeated(image: Image.Image, which: Sequence[int]) -> Image.Image:
    """The palette image whose row ``y`` is row ``which[y]`` of ``image`` (the inverse of _distinct_rows)."""
    data, width = image.tobytes(), image.width
    rows = b"".join(data[i * width : (i + 1) * width] for i in which)
    return Image.frombytes("P", (width, len(which)), rows)


def view_box(size: tuple[int, int], point: Point | None, box: Rect | None, end: Point | None) -> Rect:
    """The part of a ``size`` frame that :func:`annotate` keeps as the step image for these arguments."""
    left, top, right, bottom = crop_box(size, focus(point, box, end))
    return Rect(left, top, right - left, bottom - top)


def views_within(size: tuple[int, int], point: Point | None, within: Rect, end: Point | None) -> Rect:
    """The part of a ``size`` frame that any step image for ``point``, ``end`` and a box somewhere in
    ``within`` can show, before the box is known: the windows the crop slides through as the box moves from
    one corner of ``within`` to the other, and ``within`` with its margin (a box that large is kept whole)."""
    first, last = (
        Rect(within.left, within.top, 1, 1),
        Rect(within.left + within.width - 1, within.top + within.height - 1, 1, 1),
    )
    parts = [crop_box(size, focus(point, box, end)) for box in (first, last)]
    parts.append(_clip(_grow(_box(within), PAD + LINE + MARGIN), size))
    lefts, tops, rights, bottoms = zip(*parts, strict=True)
    return Rect(min(lefts), min(tops), max(rights) - min(lefts), max(bottoms) - min(tops))


def highlight(image: Image.Image, point: Point | None, box: Rect | None, end: Point | None) -> None:
    """Outline ``box``, ring ``point`` unless it is inside the box (a field's label is beside the field),
    and for a drag draw an arrow from ``point`` to ``end``."""
    draw = ImageDraw.Draw(image)
    ink = ACCENT_INDEX if image.mode == "P" else ACCENT
    if box is not None:
        draw.rounded_rectangle(_grow(_box(box), PAD), radius=RADIUS, outline=ink, width=LINE)
    if point is not None and (box is None or not _inside(point, _grow(_box(box), PAD))):
        draw.ellipse(_around(point, RING), outline=ink, width=LINE)
    if point is not None and end is not None:
        _arrow(draw, point, end, ink)


def _arrow(draw: ImageDraw.ImageDraw, start: Point, end: Point, ink: int | tuple[int, int, int]) -> None:
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    back = (end[0] - ARROW_HEAD * math.cos(angle), end[1] - ARROW_HEAD * math.sin(angle))
    draw.line([start, back], fill=ink, width=LINE)
    side = ARROW_HEAD / 2
    wings = [(back[0] + side * math.sin(angle) * s, back[1] - side * math.cos(angle) * s) for s in (1, -1)]
    draw.polygon([end, *wings], fill=ink)


def focus(point: Point | None, box: Rect | None, end: Point | None) -> Box | None:
    """The part of the frame the highlight covers, which the crop must keep."""
    parts = [_grow(_box(box), PAD + LINE)] if box is not None else []
    parts += [_around(p, RING + LINE) for p in (point, end) if p is not None]
    if not parts:
        return None
    lefts, tops, rights, bottoms = zip(*parts, strict=True)
    return min(lefts), min(tops), max(rights), max(bottoms)


def crop_box(
    size: tuple[int, int], target: Box | None, crop: tuple[int, int] = CROP, margin: int = MARGIN
) -> Box:
    """A ``crop``-sized window of a ``size`` frame centred on ``target`` and clipped to the frame; larger when
    the target and its margin need it; the whole frame when the frame is small or there is no target."""
    width, height = size
    if target is None:
        return 0, 0, width, height
    left, top, right, bottom = target
    crop_w = min(width, max(crop[0], right - left + 2 * margin))
    crop_h = min(height, max(crop[1], bottom - top + 2 * margin))
    x = _clamp(round((left + right - crop_w) / 2), 0, width - crop_w)
    y = _clamp(round((top + bottom - crop_h) / 2), 0, height - crop_h)
    return x, y, x + crop_w, y + crop_h


def png(image: Image.Image) -> bytes:
    """``image`` as a PNG file, zlib at its default level: a palette screenshot is a few KB either way, and
    ``optimize`` (level 9) takes three times as long for a quarter fewer bytes."""
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def save_png(image: Image.Image, path: Path) -> None:
    write_png(png(image), path)


def write_png(data: bytes, path: Path) -> None:
    """Write the PNG file ``data`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda fh: fh.write(data))


def _box(rect: Rect) -> Box:
    return rect.left, rect.top, rect.left + rect.width, rect.top + rect.height


def _grow(box: Box, by: int) -> Box:
    return box[0] - by, box[1] - by, box[2] + by, box[3] + by


def _around(point: Point, radius: int) -> Box:
    return point[0] - radius, point[1] - radius, point[0] + radius, point[1] + radius


def _inside(point: Point, box: Box) -> bool:
    return box[0] <= point[0] < box[2] and box[1] <= point[1] < box[3]


def _clip(box: Box, size: tuple[int, int]) -> Box:
    return max(0, box[0]), max(0, box[1]), min(size[0], box[2]), min(size[1], box[3])


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
