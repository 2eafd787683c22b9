"""``vsop check`` benchmark: a 50-step run checked against its guide with a warm OCR cache.

The long-session fixture (50 steps at 1920x1080, see bench/generate.py) is made a guide with ``generate``
in a fresh library (which reads every crop once: the OCR cache is warm after it), then ``vsop check`` of the
same recording runs N times in this process (``main(["check", ..., "--dry-run"])``: the command as a person
runs it, its table printed to a buffer), and once more as a subprocess, Python's start and imports included.
The alignment and the conformance alone are timed too. Other processes' CPU meanwhile is reported (Linux).

    python -m bench.check [--runs N] [--json PATH]

A benchmark, not a test: it exits 0 when the target is missed, and says so.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.generate import LONG, other_load
from generator.cli import main as vsop
from generator.guide.store import load_guide
from generator.library.layout import GUIDE_FILE
from generator.library.scaffold import init_library
from generator.pipeline.generate import Options, generate, recording_steps
from generator.rerecord.conformance import check_steps

TARGET_SECONDS = 1.0


def timed_check(guide: Path) -> tuple[float, float]:
    """Wall time and CPU time (all threads of this process) of one ``vsop check``."""
    start, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        code = vsop(["check", str(guide), str(LONG), "--dry-run", "--min", "0"])
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    if code != 0:
        raise SystemExit(f"vsop check failed with {code}")
    return elapsed, used


def measure(runs: int, tmp: Path) -> dict[str, float | int]:
    library = tmp / "lib"
    init_library(library)
    start = time.perf_counter()
    folder = generate(LONG, library, Options(title="Long session"))
    cold = time.perf_counter() - start
    guide = folder / GUIDE_FILE
    timings, load = other_load(lambda: [timed_check(guide) for _ in range(runs)])
    times = [wall for wall, _cpu in timings]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", str(guide), str(LONG), "--dry-run", "--min", "0"],
        capture_output=True,
        check=False,
    )
    process = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"vsop check (subprocess) failed: {done.stderr.decode()}")
    made = recording_steps(LONG, library)
    steps = load_guide(guide)
    start = time.perf_counter()
    check = check_steps(steps, made.steps, made.duration_s, (), "bench", datetime.now(timezone.utc))
    aligned = time.perf_counter() - start
    return {
        "steps": check.run.steps,
        "conformance": check.run.conformance,
        "generate_cold_s": cold,
        "check_best_s": min(times),
        "check_median_s": statistics.median(times),
        "check_cpu_s": statistics.median(cpu for _wall, cpu in timings),
        "check_process_s": process,
        "align_s": aligned,
        "other_cores_busy": load if load is not None else -1.0,
    }


def table(m: dict[str, float | int], runs: int) -> str:
    rows = [
        (
            "guide steps / conformance of the run against its own guide",
            f"{m['steps']} / {m['conformance']:.0%}",
            "",
        ),
        ("`generate` of the recording first (cold OCR cache; warms it)", f"{m['generate_cold_s']:.1f} s", ""),
        (
            f"`vsop check --dry-run`, warm OCR cache, best / median of {runs}",
            f"{m['check_best_s']:.2f} / {m['check_median_s']:.2f} s",
            f"<= {TARGET_SECONDS:.0f} s",
        ),
        ("- CPU time of the check (all threads), median", f"{m['check_cpu_s']:.2f} s", ""),
        ("same as a new process (Python start and imports included)", f"{m['check_process_s']:.2f} s", ""),
        ("- the alignment and conformance alone", f"{m['align_s'] * 1000:.0f} ms", ""),
        ("other processes' CPU meanwhile (mean cores busy)", f"{m['other_cores_busy']:.2f}", ""),
    ]
    lines = ["| metric | measured | target |", "|---|---|---|"]
    return "\n".join([*lines, *(f"| {a} | {b} | {c} |" for a, b, c in rows)])


def main(argv: list[str] | None = None) -> int:
    parse = argparse.ArgumentParser(prog="python -m bench.check", description=__doc__.split("\n\n")[0])
    parse.add_argument("--runs", type=int, default=5)
    parse.add_argument("--json", type=Path)
    args = parse.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vsop-bench-check-") as tmp:
        m = measure(args.runs, Path(tmp))
    print(table(m, args.runs))
    if args.json is not None:
        args.json.write_text(json.dumps(m, indent=2), encoding="utf-8")
    if m["check_median_s"] > TARGET_SECONDS:
        print(f"target missed: median {m['check_median_s']:.2f} s > {TARGET_SECONDS} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
