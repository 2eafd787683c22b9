"""Generation time against recording length, and peak memory: the long session repeated 1 and 10 times.

A recording of about 500 events (the long-session fixture once) and one of about 5,000 (the session 10 times
back to back, each copy's frames a little darker, by 0 to 9 grey levels: every piece of screen differs from
the copies before, so OCR reads as much anew in each copy as in the first, the worst case for time) are
written with capture's own writer, then each is made a guide by ``generate`` in a process of its own, into
an empty library (cold OCR cache). Its wall time and CPU time (the process's and its tesseract processes';
linearity is judged on CPU time, which other work on the machine changes less), and its peak resident memory
(``ru_maxrss`` of the Python process; each tesseract process, two at a time on two cores, takes about 40 MB
more of its own).

    python -m bench.scaling [--json PATH]    (also part of python -m bench.generate)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from PIL import Image

from capture import load_recording
from capture.format import FRAMES_DIR, LOCK_FILE
from capture.models import CaptureEvent, Event, KeyEvent, MouseButtonEvent
from capture.writer import RecordingWriter

COPIES = (1, 10)
GAP_S = 2.0  # seconds between two copies of the session
TARGET_RSS_MB = 1000.0
TARGET_LINEAR = 1.25  # CPU seconds per step of the longer recording at most this many times the shorter one's


@dataclass(frozen=True, slots=True)
class Scaled:
    copies: int
    events: int
    steps: int
    seconds: float
    cpu_seconds: float  # of the process and of its tesseract processes: what a busy machine changes least
    rss_mb: float  # peak resident memory of the generating process (tesseract's own are not counted)

    @property
    def per_step(self) -> float:
        return self.seconds / max(self.steps, 1)

    @property
    def cpu_per_step(self) -> float:
        return self.cpu_seconds / max(self.steps, 1)


def repeated(source: Path, copies: int, out: Path) -> Path:
    """``source`` ``copies`` times back to back as one recording at ``out``; copy ``i``'s frames darker by
    ``i`` grey levels (the same screens, other pixels)."""
    recording = load_recording(source)
    length = max((event.t for event in recording.events), default=0.0) + GAP_S
    writer = RecordingWriter(out, recording.meta)
    writer.open()
    for copy in range(copies):
        names: dict[str, str] = {}
        for event in recording.events:
            writer.append(_shifted(event, copy, copy * length, names))
        for old, new in names.items():
            with Image.open(source / FRAMES_DIR / old) as frame:
                darker = frame.convert("RGB").point(lambda v, by=copy: max(0, v - by))
            darker.save(out / FRAMES_DIR / new, format="PNG", compress_level=1)
    writer.close(recording.meta.ended or "")
    (out / LOCK_FILE).unlink(missing_ok=True)
    return out


def _shifted(event: Event, copy: int, by: float, names: dict[str, str]) -> Event:
    moved = replace(event, t=round(event.t + by, 4))
    if not isinstance(moved, MouseButtonEvent | KeyEvent | CaptureEvent) or moved.frame is None:
        return moved
    frame = moved.frame
    name = names.setdefault(frame.file, f"{copy:02d}{Path(frame.file).stem}.png")
    return replace(moved, frame=replace(frame, file=name, t=round(frame.t + by, 4)))


def measure(source: Path, copies: int, tmp: Path) -> Scaled:
    """Generate ``source`` repeated ``copies`` times in a process of its own."""
    recording = repeated(source, copies, tmp / f"x{copies}")
    library = tmp / f"lib-x{copies}"
    argv = [sys.executable, "-m", "bench.scaling", "--generate", str(recording), str(library)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"generate of {recording} failed: {done.stderr.strip()}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return Scaled(copies, len(load_recording(recording).events), **found)


def scaling(source: Path, tmp: Path) -> list[Scaled]:
    return [measure(source, copies, tmp) for copies in COPIES]


def _generate(recording: Path, library: Path) -> None:
    """In the measured process: generate, then print the time, the steps and the peak memory as JSON."""
    from generator.guide.store import load_guide
    from generator.library.layout import GUIDE_FILE
    from generator.pipeline.generate import Options, generate

    start, busy = time.perf_counter(), _cpu()
    folder = generate(recording, library, Options())
    seconds, cpu_seconds = time.perf_counter() - start, _cpu() - busy
    steps = len(load_guide(folder / GUIDE_FILE).steps)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    found = {"steps": steps, "seconds": seconds, "cpu_seconds": cpu_seconds, "rss_mb": own}
    print(json.dumps(found))


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scaling", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument(
        "--generate", nargs=2, type=Path, metavar=("RECORDING", "LIBRARY"), help=argparse.SUPPRESS
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    if args.generate:
        _generate(*args.generate)
        return 0
    from bench.generate import LONG

    with tempfile.TemporaryDirectory(prefix="vsop-bench-") as tmp:
        found = scaling(LONG, Path(tmp))
    for item in found:
        print(
            f"{item.events} events, {item.steps} steps: {item.seconds:.1f} s "
            f"({item.per_step:.3f} s per step, {item.cpu_per_step:.3f} s of CPU), "
            f"peak memory {item.rss_mb:.0f} MB"
        )
    if args.json:
        args.json.write_text(json.dumps([asdict(item) for item in found], indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
