"""Text located on the screen by OCR: menus, dialogs and a select's open list, which have no CSS selectors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.sample.xsession import VirtualDisplay, Xdo, require, wait_until

if TYPE_CHECKING:
    from PIL import Image

OCR_SCALE = 2  # small UI text reads far better enlarged
Box = tuple[int, int, int, int]  # left, top, width, height in screen pixels


@dataclass(frozen=True, slots=True)
class TextLine:
    words: tuple[str, ...]  # normalized: lower case, letters and digits only
    boxes: tuple[Box, ...]


def _norm(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalnum())


def read_lines(display: VirtualDisplay, region: Box) -> list[TextLine]:
    """The text lines tesseract reads in ``region`` (x, y, width, height) of the screen."""
    import pytesseract  # type: ignore[import-untyped]

    require("tesseract")
    image = _grab(display, region)
    data = pytesseract.image_to_data(image, output_type=pytesseract.Output.DICT, config="--psm 11")
    return _lines(data, region[:2])


def _grab(display: VirtualDisplay, region: Box) -> Image.Image:
    """The region of the screen in grey, enlarged ``OCR_SCALE`` times."""
    import mss
    from PIL import Image

    x, y, width, height = region
    with mss.MSS(display=display.name) as screen:
        shot = screen.grab({"left": x, "top": y, "width": width, "height": height})
    image = Image.frombytes("RGB", shot.size, shot.rgb).convert("L")
    return image.resize((width * OCR_SCALE, height * OCR_SCALE), Image.Resampling.LANCZOS)


def _lines(data: dict[str, list[Any]], origin: tuple[int, int]) -> list[TextLine]:
    """Tesseract's words grouped by line, boxes in screen pixels (the image's origin at ``origin``)."""
    x, y = origin
    lines: dict[tuple[int, int, int], list[tuple[str, Box]]] = {}
    for i, text in enumerate(data["text"]):
        if _norm(text):
            box = tuple(
                x0 // OCR_SCALE
                for x0 in (data["left"][i], data["top"][i], data["width"][i], data["height"][i])
            )
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(key, []).append((_norm(text), (x + box[0], y + box[1], box[2], box[3])))
    return [TextLine(tuple(w for w, _ in ws), tuple(b for _, b in ws)) for ws in lines.values()]


def locate_text(lines: Sequence[TextLine], text: str) -> tuple[int, int] | None:
    """Centre of ``text`` among OCR lines: a line that is exactly the text first, then a line starting with
    it, then the text anywhere in a line (a menu bar is one line)."""
    box = locate_box(lines, text)
    return None if box is None else (box[0] + box[2] // 2, box[1] + box[3] // 2)


def locate_box(lines: Sequence[TextLine], text: str) -> Box | None:
    """The box of ``text`` among OCR lines, found as ``locate_text`` finds it."""
    wanted = tuple(w for w in map(_norm, text.split()) if w)
    found: list[tuple[int, Box]] = []
    for line in lines:
        for start in range(len(line.words) - len(wanted) + 1):
            if line.words[start : start + len(wanted)] == wanted:
                rank = 0 if len(line.words) == len(wanted) else 1 if start == 0 else 2
                found.append((rank, _union(line.boxes[start : start + len(wanted)])))
    return min(found)[1] if found else None


def reads(display: VirtualDisplay, box: Box, text: str) -> bool:
    """Whether the one line of text at ``box`` still reads ``text`` (a highlighted item, light on a coloured
    ground, reads as a single line though not among sparse text)."""
    import pytesseract

    x, y, width, height = box
    region = (max(0, x - 20), max(0, y - 10), width + 40, height + 20)
    found = pytesseract.image_to_string(_grab(display, region), config="--psm 7")
    words = tuple(w for w in map(_norm, found.split()) if w)
    wanted = tuple(w for w in map(_norm, text.split()) if w)
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


def _union(boxes: Sequence[Box]) -> Box:
    left = min(b[0] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    top = min(b[1] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return left, top, right - left, bottom - top


def _target(box: Box, beside: int, below: int) -> tuple[int, int]:
    """Where to click: the middle of the text, ``beside`` px right of its start, or ``below`` px under it."""
    x, y, width, height = box
    if beside:  # from where the text starts: OCR may take a field's border for the end of the last word
        return x + beside, y + height // 2
    if below:
        return x + width // 2, y + height + below
    return x + width // 2, y + height // 2


def click_text(
    xdo: Xdo, display: VirtualDisplay, text: str, timeout: float = 20.0, beside: int = 0, below: int = 0
) -> None:
    """Click ``text`` where OCR reads it in the active window (a menu or a list opening may take a moment);
    with ``beside`` or ``below``, the field that the text labels (see ``ClickText``)."""
    window = xdo("getactivewindow")
    x, y, width, height = xdo.geometry(window)
    region = (max(0, x), max(0, y), min(width, display.width - x), min(height, display.height - y))
    box = wait_until(lambda: locate_box(read_lines(display, region), text), timeout, f"the text {text!r}")
    point = _target(box, beside, below)
    xdo.glide(*point)
    # Like a person, click once the text is seen under the pointer: a busy machine may still be repainting
    # the list (a popup can show blank for a moment), and the screenshot of the press would show that.
    px, py = box[0] + box[2] // 2, box[1] + box[3] // 2
    near = (
        max(0, px - 300),
        max(0, py - 30),
        min(600, display.width - px + 300),
        min(60, display.height - py + 30),
    )

    def seen() -> bool:
        return locate_text(read_lines(display, near), text) is not None or reads(display, box, text)

    wait_until(seen, timeout, f"the text {text!r} under the pointer")
    xdo.click()
