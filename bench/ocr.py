"""OCR benchmark: labels for N steps (default 50) read from N different 1280x800 frames.

The frames are drawn with Pillow (DejaVu Sans): a dark navigation bar, a form with labels and fields,
coloured buttons, small text, each frame with other words. Each step's crop (600x140 around a point on a
control) is OCRed cold (no cache) in several ways:

- vsop: ``Ocr.read`` batching the crops into one tesseract process per core, run in parallel
- one batch: ``Ocr(workers=1)``, all crops through one tesseract process
- one call per crop: ``pytesseract.image_to_data`` on each preprocessed crop, one after the other
- full frames: ``pytesseract.image_to_data`` on each whole frame (no preprocessing), one after the other
- warm cache: ``Ocr.read`` again with a cache that holds every crop

Every tesseract process gets OMP_THREAD_LIMIT=1 (vsop sets it; for pytesseract this script does), except in
the row that says so.

    python -m bench.ocr [--steps N] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytesseract  # type: ignore[import-untyped]
from PIL import Image, ImageDraw, ImageFont

from capture.models import Rect
from generator.guide.model import Word
from generator.pipeline.label import crop_around, find_label
from generator.pipeline.ocr import Crop, Ocr, preprocess

SIZE = (1280, 800)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
NAV_WORDS = ("Leads", "Orders", "Customers", "Reports", "Invoices", "Products", "Suppliers", "Settings")
BUTTONS = ("Approve", "Reject", "Submit", "Delete", "Duplicate", "Preview", "Publish", "Refresh", "Export")
LABELS = ("Company name", "Email", "Phone number", "Contact person", "Street", "City", "Postal code", "Notes")


def draw_frame(rng: random.Random, path: Path) -> tuple[tuple[int, int], str]:
    """A UI frame; returns a point on a control and the control's text."""
    font = ImageFont.truetype(FONT, 15)
    small = ImageFont.truetype(FONT, 12)
    targets: list[tuple[tuple[int, int], str]] = []
    with Image.new("RGB", SIZE, (245, 246, 248)) as image:
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, SIZE[0], 56), fill=(31, 41, 55))
        x = 40
        for word in rng.sample(NAV_WORDS, 6):
            draw.text((x, 28), word, font=font, fill=(229, 231, 235), anchor="lm")
            targets.append(((x + 10, 28), word))
            x += int(draw.textlength(word, font=font)) + 50
        for row, label in enumerate(rng.sample(LABELS, 6)):
            y = 110 + row * 50
            draw.text((40, y), label, font=font, fill=(55, 65, 81), anchor="lm")
            draw.rounded_rectangle(
                (220, y - 16, 560, y + 16), radius=4, fill="white", outline=(156, 163, 175)
            )
        for column, word in enumerate(rng.sample(BUTTONS, 3)):
            box = (40 + column * 160, 430, 180 + column * 160, 470)
            colour = rng.choice([(37, 99, 235), (220, 38, 38), (16, 185, 129), (255, 255, 255)])
            text = (17, 24, 39) if colour in ((255, 255, 255), (16, 185, 129)) else (255, 255, 255)
            draw.rounded_rectangle(box, radius=6, fill=colour, outline=(209, 213, 219))
            draw.text((box[0] + 70, 450), word, font=font, fill=text, anchor="mm")
            targets.append(((box[0] + 70, 450), word))
        draw.text((40, 500), f"Last saved {rng.randint(2, 59)} minutes ago", font=small, fill=(107, 114, 128))
        image.save(path)
    return rng.choice(targets)


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def per_crop(crops: list[Crop]) -> None:
    for crop in crops:
        b = crop.box
        with Image.open(crop.frame) as frame:
            gray = frame.convert("L").crop((b.left, b.top, b.left + b.width, b.top + b.height))
        pytesseract.image_to_data(preprocess(gray), config="--psm 11")


def full_frames(frames: list[Path]) -> list[list[Word]]:
    """The words of each whole frame, as a naive reader would get them."""
    found = []
    for frame in frames:
        with Image.open(frame) as image:
            data = pytesseract.image_to_data(image.convert("L"), config="--psm 11", output_type="dict")
        rows = zip(
            data["text"], data["conf"], data["left"], data["top"], data["width"], data["height"], strict=True
        )
        found.append([Word(t, float(c), Rect(x, y, w, h), 0) for t, c, x, y, w, h in rows if t.strip()])
    return found


def labels_right(words: list[list[Word]], steps: list[tuple[tuple[int, int], str]]) -> int:
    return sum(
        (label.text if (label := find_label(w, point, "pointer")) else None) == text
        for w, (point, text) in zip(words, steps, strict=True)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr", description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="vsop-bench-ocr-") as tmp:
        folder = Path(tmp)
        rng = random.Random(5)
        frames = [folder / f"{i:06d}.png" for i in range(args.steps)]
        steps = [draw_frame(rng, frame) for frame in frames]
        crops = [
            Crop(frame, crop_around(point, SIZE, "pointer"))
            for frame, (point, _) in zip(frames, steps, strict=True)
        ]

        ocr = Ocr(workers=cores)
        start = time.perf_counter()
        words = ocr.read(crops)
        rows = {
            f"vsop: {cores} batches in parallel ({ocr.runs} tesseract processes)": time.perf_counter() - start
        }
        rows["vsop: one batch (1 tesseract process)"] = timed(lambda: Ocr(workers=1).read(crops))
        os.environ["OMP_THREAD_LIMIT"] = "1"  # pytesseract starts tesseract with this process's environment
        rows[f"one pytesseract call per crop ({len(crops)} processes)"] = timed(lambda: per_crop(crops))
        start = time.perf_counter()
        whole = full_frames(frames)
        rows[f"full-frame OCR, one call per frame ({len(frames)} 1280x800 frames)"] = (
            time.perf_counter() - start
        )
        del os.environ["OMP_THREAD_LIMIT"]
        rows["one pytesseract call per crop, OpenMP threads unlimited"] = timed(
            lambda: per_crop(crops[:10])
        ) * (len(crops) / 10)
        cached = Ocr(cache_dir=folder / "cache", workers=cores)
        cached.read(crops)
        rows["vsop, warm cache (0 tesseract processes)"] = timed(lambda: cached.read(crops))

    right, right_whole = labels_right(words, steps), labels_right(whole, steps)
    print(f"OCR of {len(crops)} crops of 600x140 px from {len(frames)} frames, {cores} cores\n")
    print("| method | seconds | ms per step |\n|---|---|---|")
    for name, seconds in rows.items():
        print(f"| {name} | {seconds:.2f} | {seconds / len(crops) * 1000:.0f} |")
    print(f"\nlabels right (the control's text under the point), of {len(steps)}: vsop {right}, ", end="")
    print(f"full frames without preprocessing {right_whole}")
    if args.json:
        result = {
            "seconds": rows,
            "steps": len(steps),
            "labels_right": right,
            "labels_right_full": right_whole,
        }
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
