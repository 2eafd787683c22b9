"""Stored-frame benchmark: bytes and CPU per frame of each lossless encoding, side by side, on real frames.

Candidates: PNG at zlib levels 1 (what the recorder wrote before recording format 2), 6 and 9; oxipng at
levels 0 and 2 from the pixels (when ``pyoxipng`` is installed: ``pip install pyoxipng``; it is not a
dependency of vsop); lossless WebP through Pillow at several ``method`` / ``quality`` (libwebp's effort)
settings, among them the one the recorder writes (``capture.frames``). Each frame is turned back into the
BGRX buffer a screen grab gives and encoded by every candidate in turn, as the recorder's encoder thread
encodes it; encode CPU is this process's CPU time (all threads: oxipng uses several), the least of
``--repeat`` runs so that other jobs on the machine count little. Every encoding is decoded, timed the same
way, and checked to give back every pixel.

    python -m bench.frames [RECORDING ...] [--repeat N] [--json PATH]

Each RECORDING (a recording folder, or a folder of recordings) is one set of frames in the table; by default
the long-session fixture (49 frames of 1920x1080 web forms) and the sample recordings (1280x800). A
benchmark, not a test: it exits 0 when a target is missed, and says which.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from PIL import Image

from capture.format import FRAMES_DIR
from capture.frames import DEFAULT_FORMAT, FORMATS, SUFFIXES, FrameFormat, encode_grab

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = (
    ROOT / "tests" / "fixtures" / "recordings" / "long-session",
    ROOT / "generator" / "sample" / "recordings",
)
TARGET_BYTES = 60_000  # mean stored frame on the long session (issue 16)
CPU_GROWTH = 4 / 3  # the recorder's CPU while clicking may grow by a third at most; encoding is most of it

Encoder = Callable[[tuple[int, int], bytes], bytes]


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    encode: Encoder
    recorder: str | None = None  # the name of the recorder's frame format this candidate is, if it is one


@dataclass(slots=True)
class Tally:
    """What one candidate measured: bytes per frame per set, encode and decode CPU ms per frame."""

    bytes: dict[str, list[int]] = field(default_factory=dict)
    encode_ms: list[float] = field(default_factory=list)
    decode_ms: list[float] = field(default_factory=list)


# -- candidates --------------------------------------------------------------------------------------------


def _recorder(fmt: FrameFormat) -> Encoder:
    def encode(size: tuple[int, int], raw: bytes) -> bytes:
        out = io.BytesIO()
        encode_grab(fmt, raw, size, out)
        return out.getvalue()

    return encode


def _pillow(fmt: str, **options: object) -> Encoder:
    def encode(size: tuple[int, int], raw: bytes) -> bytes:
        out = io.BytesIO()
        Image.frombuffer("RGB", size, raw, "raw", "BGRX", 0, 1).save(out, format=fmt, **options)
        return out.getvalue()

    return encode


def _oxipng(level: int) -> Encoder | None:
    try:
        import oxipng
    except ImportError:
        return None

    def encode(size: tuple[int, int], raw: bytes) -> bytes:
        rgb = Image.frombuffer("RGB", size, raw, "raw", "BGRX", 0, 1).tobytes()
        image = oxipng.RawImage(rgb, size[0], size[1], color_type=oxipng.ColorType.rgb())
        png: bytes = image.create_optimized_png(level=level)
        return png

    return encode


def candidates() -> list[Candidate]:
    found = [
        Candidate(f"PNG zlib level {level}", _pillow("PNG", compress_level=level)) for level in (1, 6, 9)
    ]
    found[0] = Candidate(found[0].name, _recorder(FORMATS["png"]), "png")
    for level in (0, 2):
        encode = _oxipng(level)
        if encode is not None:
            found.append(Candidate(f"oxipng level {level}", encode))
    for method, quality in ((0, 0), (1, 0), (1, 30), (1, 75), (4, 50), (6, 0)):
        name = f"WebP lossless method {method} quality {quality}"
        options = {"lossless": True, "method": method, "quality": quality}
        if dict(FORMATS["webp"].options) == options:
            found.append(Candidate(name, _recorder(FORMATS["webp"]), "webp"))
        else:
            found.append(Candidate(name, _pillow("WEBP", **options)))
    return found


# -- frames ------------------------------------------------------------------------------------------------


def frame_files(folder: Path) -> list[Path]:
    """The frames of a recording folder, or of every recording in a folder of recordings."""
    frames = folder / FRAMES_DIR
    if frames.is_dir():
        return sorted(p for p in frames.iterdir() if p.suffix in SUFFIXES and not p.name.startswith("."))
    return [f for sub in sorted(p for p in folder.iterdir() if p.is_dir()) for f in frame_files(sub)]


def grabs(sets: dict[str, list[Path]]) -> Iterator[tuple[str, tuple[int, int], bytes, bytes]]:
    """Set name, size, BGRX buffer (as mss gives) and RGB pixels of each frame, one at a time."""
    for name, files in sets.items():
        for path in files:
            with Image.open(path) as image:
                rgb = image.convert("RGB")
            yield name, rgb.size, rgb.tobytes("raw", "BGRX"), rgb.tobytes()


def _cpu_ms(work: Callable[[], bytes], repeat: int) -> tuple[float, bytes]:
    """The least CPU milliseconds of ``repeat`` runs of ``work``, and what it returned."""
    best, result = float("inf"), b""
    for _ in range(repeat):
        start = time.process_time()
        result = work()
        best = min(best, (time.process_time() - start) * 1000)
    return best, result


def _decode(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        pixels: bytes = image.convert("RGB").tobytes()
    return pixels


def measure(sets: dict[str, list[Path]], found: list[Candidate], repeat: int) -> dict[str, Tally]:
    tallies = {c.name: Tally() for c in found}
    for group, size, raw, rgb in grabs(sets):
        for candidate in found:
            tally = tallies[candidate.name]
            encode_ms, data = _cpu_ms(partial(candidate.encode, size, raw), repeat)
            decode_ms, pixels = _cpu_ms(partial(_decode, data), repeat)
            if pixels != rgb:
                raise AssertionError(f"{candidate.name}: not lossless on a frame of {group}")
            tally.bytes.setdefault(group, []).append(len(data))
            tally.encode_ms.append(encode_ms)
            tally.decode_ms.append(decode_ms)
    return tallies


# -- report ------------------------------------------------------------------------------------------------


def markdown(found: list[Candidate], tallies: dict[str, Tally], groups: list[str]) -> str:
    base = statistics.fmean(tallies[found[0].name].encode_ms)
    head = [
        "encoding",
        *(f"mean KB, {g}" for g in groups),
        "encode CPU ms mean / p95",
        "x PNG 1",
        "decode CPU ms",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for candidate in found:
        tally = tallies[candidate.name]
        name = (
            f"**{candidate.name}** (vsop record, `{candidate.recorder}`)"
            if candidate.recorder
            else candidate.name
        )
        encode = statistics.fmean(tally.encode_ms)
        cells = [name, *(f"{statistics.fmean(tally.bytes[g]) / 1000:.1f}" for g in groups)]
        cells += [f"{encode:.1f} / {_p95(tally.encode_ms):.1f}", f"{encode / base:.2f}"]
        cells.append(f"{statistics.fmean(tally.decode_ms):.1f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def verdict(found: list[Candidate], tallies: dict[str, Tally], groups: list[str]) -> list[str]:
    """What misses a target: the recorder's format over 60 KB a frame on a set, or over a third more CPU."""
    chosen = tallies[next(c.name for c in found if c.recorder == DEFAULT_FORMAT)]
    base = statistics.fmean(tallies[found[0].name].encode_ms)
    missed = [
        f"mean frame on {g}: {statistics.fmean(chosen.bytes[g]):,.0f} B > {TARGET_BYTES:,} B"
        for g in groups
        if statistics.fmean(chosen.bytes[g]) > TARGET_BYTES
    ]
    growth = statistics.fmean(chosen.encode_ms) / base
    if growth > CPU_GROWTH:
        missed.append(f"encode CPU {growth:.2f} x PNG level 1 (bench.capture measures the recorder's CPU)")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.frames", description=__doc__.splitlines()[0])
    parser.add_argument("recordings", nargs="*", type=Path, help="recording folders or folders of recordings")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each encoding, the least CPU kept (3)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat: at least 1")
    sets = {folder.name: frame_files(folder) for folder in (args.recordings or DEFAULT_SETS)}
    empty = [name for name, files in sets.items() if not files]
    if empty:
        parser.error(f"no frames in {', '.join(empty)} (a recording folder holds {FRAMES_DIR}/)")
    found = candidates()
    tallies = measure(sets, found, args.repeat)
    groups = list(sets)
    counts = ", ".join(f"{len(files)} frames of {name}" for name, files in sets.items())
    print(f"{counts}; CPU the least of {args.repeat} runs\n")
    print(markdown(found, tallies, groups))
    missed = verdict(found, tallies, groups)
    print("\nMissed targets: " + "; ".join(missed) if missed else "\nAll targets met.")
    if args.json:
        report = {name: asdict(tally) for name, tally in tallies.items()}
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
