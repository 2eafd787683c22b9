"""Export benchmark: ``vsop export`` of the 10-step new-lead guide in every format.

The new-lead sample recording is made a guide once (``generate``, real tesseract); then each format is
exported R times (default 3) in process (``export()``) and as the ``vsop export`` command (a fresh Python
process, imports included), alternated so that a busy machine slows every format alike; the median of each,
the size of the file (for md, of the page and of its images folder) and the bytes of the images the guide
shows. The command's CPU time (user + system, Chromium's included for pdf) is reported beside its wall time:
on a loaded machine it is the better guess of the wall time on an idle one. ``vsop --help`` is timed too: the
start-up every command pays (the group imports only the module of the command that runs). Targets: docx by
the command within 1 s, and its size within 1.2x of the images it holds. PDF needs Chromium and is left out
without it (``--no-pdf`` leaves it out anyway).

    python -m bench.export [--runs R] [--no-pdf] [--json PATH]

A benchmark, not a test: it exits 0 when a target is missed, and says which.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.export.formats import FORMATS, Format, export
from generator.guide.store import load_guide
from generator.pipeline.generate import Options, generate
from generator.sample import RECORDINGS

TARGET_DOCX_S = 1.0
TARGET_DOCX_SIZE = 1.2  # times the bytes of the images it holds


@dataclass(frozen=True, slots=True)
class Result:
    format: str
    in_process_s: float
    command_s: float
    command_cpu_s: float  # user + system CPU of the command: what it costs on an idle machine, roughly
    size: int  # bytes of the file (md: the page and its images folder)
    pages: int | None = None  # pdf only


def exported_size(out: Path) -> int:
    images = out.with_name(f"{out.stem}-images")
    extra = sum(p.stat().st_size for p in images.rglob("*") if p.is_file()) if images.is_dir() else 0
    return out.stat().st_size + extra


def timed_export(guide: Path, fmt: Format, out: Path) -> float:
    start = time.perf_counter()
    export(guide, fmt, out)
    return time.perf_counter() - start


def timed_command(guide: Path, fmt: Format, out: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of ``vsop export`` in a fresh process."""
    return timed_vsop(["export", str(guide), "--format", fmt, "--out", str(out)])


def timed_vsop(args: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of ``vsop ARGS`` in a fresh process."""
    argv = [sys.executable, "-m", "generator.cli", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def pdf_pages(out: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(out).pages)


def run(runs: int, pdf: bool, tmp: Path) -> tuple[list[Result], int, tuple[float, float]]:
    guide = generate(RECORDINGS / "new-lead", tmp / "lib", Options(title="New lead"))
    loaded = load_guide(guide / "guide.yml")
    images = sum((guide / s.image).stat().st_size for s in loaded.steps if s.dropped is None and s.image)
    formats = [f for f in FORMATS if f != "pdf" or pdf]
    inside: dict[str, list[float]] = {f: [] for f in formats}
    command: dict[str, list[tuple[float, float]]] = {f: [] for f in formats}
    startup: list[tuple[float, float]] = []
    for _ in range(runs):
        startup.append(timed_vsop(["--help"]))
        for fmt in formats:
            inside[fmt].append(timed_export(guide, fmt, tmp / f"in-{fmt}.{fmt}"))
            command[fmt].append(timed_command(guide, fmt, tmp / f"cmd-{fmt}.{fmt}"))
    results = [
        Result(
            fmt,
            statistics.median(inside[fmt]),
            statistics.median(wall for wall, _ in command[fmt]),
            statistics.median(cpu for _, cpu in command[fmt]),
            exported_size(tmp / f"in-{fmt}.{fmt}"),
            pdf_pages(tmp / "in-pdf.pdf") if fmt == "pdf" else None,
        )
        for fmt in formats
    ]
    help_s = (statistics.median(w for w, _ in startup), statistics.median(c for _, c in startup))
    return results, images, help_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="exports of each format (median)")
    parser.add_argument("--no-pdf", action="store_true", help="leave out pdf (needs Chromium)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    pdf = not args.no_pdf and any(shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome"))
    with tempfile.TemporaryDirectory(prefix="vsop-bench-export-") as tmp:
        results, images, (help_s, help_cpu_s) = run(args.runs, pdf, Path(tmp))
    print(f"new-lead guide, images it shows: {images / 1000:.1f} KB; median of {args.runs}")
    print(f"{'format':8} {'export()':>10} {'command':>10} {'its CPU':>10} {'size':>10} {'x images':>9}")
    for r in results:
        pages = f"  ({r.pages} pages)" if r.pages else ""
        print(
            f"{r.format:8} {r.in_process_s:9.2f}s {r.command_s:9.2f}s {r.command_cpu_s:9.2f}s"
            f" {r.size / 1000:8.1f}KB {r.size / images:8.2f}x{pages}"
        )
    print(f"{'--help':8} {'':>10} {help_s:9.2f}s {help_cpu_s:9.2f}s  (start-up of every command)")
    docx = next(r for r in results if r.format == "docx")
    missed = []
    if docx.command_s > TARGET_DOCX_S:
        busy = f" (its CPU time {docx.command_cpu_s:.2f} s: the machine is busy)"
        missed.append(f"docx command {docx.command_s:.2f} s > {TARGET_DOCX_S} s" + busy)
    if docx.size > TARGET_DOCX_SIZE * images:
        missed.append(f"docx size {docx.size / images:.2f}x > {TARGET_DOCX_SIZE}x of its images")
    print("targets: " + ("met" if not missed else "MISSED: " + "; ".join(missed)))
    if args.json:
        report = {
            "images_bytes": images,
            "runs": args.runs,
            "help_command_s": help_s,
            "help_command_cpu_s": help_cpu_s,
            "results": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
