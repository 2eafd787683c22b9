"""Generator benchmark: step accuracy on the sample scenarios, speed on a 50-step 1920x1080 recording.

Accuracy: every recording in generator/sample/recordings (one per sample scenario) is generated with
``generator.pipeline.generate.generate`` into a fresh library and scored with
``generator.sample.check.score``: a step is right when its action, target and value all match the
scenario's, in order. The share is right steps over expected steps
(over generated steps where more were generated: an extra step is an error too).

Speed: the long-session fixture (all Chromium scenarios one after the other in one recording at 1920x1080,
made with ``python -m generator.sample.driver --record-long``) is generated N times, each time into a fresh
library, so the OCR cache is cold; wall time, best and median, and each stage's time from the progress
callback. In the same run a naive baseline labels the same steps: one ``pytesseract.image_to_data`` over each
step's whole frame (no crop, no batching, no cache, tesseract's defaults), then ``find_label`` on those words.
Only that OCR and labelling is timed, against vsop's whole ``generate`` (which also draws the images). The
baseline's labels are scored too, put in place of vsop's targets. For reference, not against a target: the
baseline again with OMP_THREAD_LIMIT=1 (how vsop runs tesseract; tesseract's OpenMP threads slow it down
on 2 cores): the speed-up target is against that one, and the baseline with tesseract's default threading is
reported beside it; and ``generate`` without redaction, where OCR reads only the labels. The CPU that other
processes used meanwhile is reported (Linux): on a busy machine the times mean little.

Length (``bench/scaling.py``, skipped with ``--no-scaling``): the session once (about 500 events) and 10
times over (about 5,000), each generated in a process of its own: wall and CPU seconds per step (linearity
is judged on CPU time, which other work on a shared machine changes less), and peak memory.

    python -m bench.generate [--runs N] [--json PATH] [--no-scaling]

A benchmark, not a test: it exits 0 when a target is missed, and says which.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TypeVar

import pytesseract  # type: ignore[import-untyped]

from bench.scaling import TARGET_LINEAR, TARGET_RSS_MB, Scaled, scaling
from bench.table import Row, markdown
from capture import load_recording
from capture.models import Recording, Rect
from generator.guide.model import Draft, Guide, Label, Word
from generator.guide.store import load_guide
from generator.library.layout import GUIDE_FILE
from generator.pipeline.generate import LABELLED, Options, generate
from generator.pipeline.label import Kind, find_label
from generator.pipeline.segment import segment
from generator.sample import RECORDINGS
from generator.sample.check import score
from generator.sample.driver import session_scenario
from generator.sample.scenarios import SCENARIOS, ExpectedStep

ROOT = Path(__file__).resolve().parents[1]
LONG = ROOT / "tests" / "fixtures" / "recordings" / "long-session"
TARGET_ACCURACY = 0.95
TARGET_SECONDS = 4.0
TARGET_SPEEDUP = 5.0
TARGET_IMAGE_KB = 150.0
KB = 1000
OMP = "OMP_THREAD_LIMIT"
T = TypeVar("T")
QUIET = 0.1  # cores: more CPU than this used by other processes while timing makes the times unreliable


@dataclass(frozen=True, slots=True)
class Accuracy:
    name: str
    expected: int
    generated: int
    right: int
    diff: tuple[str, ...]  # "- expected" / "+ generated" lines of the steps that differ

    @property
    def out_of(self) -> int:
        return max(self.expected, self.generated)


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    stages: tuple[tuple[str, float], ...]  # (stage, seconds) in order


@dataclass(frozen=True, slots=True)
class Speed:
    size: tuple[int, int]  # of the recording's monitor
    frames: int
    recording_bytes: int
    runs: tuple[Run, ...]
    no_redact_runs: tuple[Run, ...]  # Options(redact=False): OCR reads the labels only
    baseline_s: float
    baseline_one_thread_s: float  # the same with OMP_THREAD_LIMIT=1, as vsop runs tesseract
    baseline_ocr_calls: int
    shown: int  # steps in the guide, not dropped
    dropped: int
    image_bytes: tuple[int, ...]
    vsop: Accuracy  # the long session, as vsop generates it
    baseline: Accuracy  # the same guide with the baseline's labels as targets
    other_load: tuple[float | None, float | None]  # vsop's runs, the baselines: see other_load()


def busy_seconds() -> float | None:
    """CPU seconds all cores of the machine spent busy since boot (Linux), None elsewhere."""
    try:
        fields = Path("/proc/stat").read_text(encoding="ascii").splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_seconds() -> float:
    """CPU seconds of this process and of its finished children (tesseract)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def other_load(work: Callable[[], T]) -> tuple[T, float | None]:
    """``work()``, and the mean number of cores other processes kept busy meanwhile (None: unknown)."""
    busy, own, start = busy_seconds(), own_seconds(), time.perf_counter()
    result = work()
    busy_end, own_end, wall = busy_seconds(), own_seconds(), time.perf_counter() - start
    if busy is None or busy_end is None:
        return result, None
    return result, max(0.0, ((busy_end - busy) - (own_end - own)) / wall)


# -- accuracy --------------------------------------------------------------------------------------------


def generate_timed(recording: Path, library: Path, options: Options) -> tuple[Path, Run]:
    """``generate`` into ``library``, with the wall time of each stage its progress callback names."""
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    folder = generate(
        recording, library, options, lambda stage, _d, _t: marks.append((stage, time.perf_counter()))
    )
    end = time.perf_counter()
    stages = [("load and segment", (marks[0][1] if marks else end) - start)]
    for name in dict.fromkeys(stage for stage, _ in marks):
        times = [t for stage, t in marks if stage == name]
        stages.append((name.lower(), times[-1] - times[0]))
    stages.append(("write the guide", end - (marks[-1][1] if marks else start)))
    return folder, Run(end - start, tuple(stages))


def scored(name: str, expected: Sequence[ExpectedStep], guide: Guide) -> Accuracy:
    result = score(expected, guide)
    return Accuracy(name, result.expected, result.generated, result.right, result.diff)


def accuracy(fixtures: Path, tmp: Path) -> list[Accuracy]:
    """Each scenario's fixture generated into a fresh library and scored."""
    found = []
    for scenario in SCENARIOS:
        recording = fixtures / scenario.id
        if not (recording / "meta.json").is_file():
            continue
        folder, _ = generate_timed(recording, Path(tempfile.mkdtemp(dir=tmp)), Options())
        found.append(scored(scenario.id, scenario.steps, load_guide(folder / GUIDE_FILE)))
    return found


# -- the naive baseline ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Shot:
    frame: Path
    point: tuple[int, int]
    kind: Kind


def shots(recording: Recording, drafts: Sequence[Draft]) -> list[_Shot | None]:
    """What vsop labels: each draft's frame and its point in frame pixels, None for an unlabelled draft."""
    found: list[_Shot | None] = []
    for draft in drafts:
        if draft.frame is None or draft.point is None or draft.action not in LABELLED:
            found.append(None)
            continue
        monitor = next(m for m in recording.meta.monitors if m.index == draft.frame.monitor)
        x = round((draft.point[0] - monitor.rect.left) * monitor.scale)
        y = round((draft.point[1] - monitor.rect.top) * monitor.scale)
        kind: Kind = "field" if draft.action == "type" else "pointer"
        found.append(_Shot(recording.frame_path(draft.frame), (x, y), kind))
    return found


def full_frame_words(frame: Path) -> list[Word]:
    """One tesseract run over the whole frame, tesseract's defaults."""
    data = pytesseract.image_to_data(str(frame), output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int, int], int] = {}
    words = []
    for i, raw in enumerate(data["text"]):
        text, conf = str(raw).strip(), float(data["conf"][i])
        if not text or conf < 0:
            continue
        line = lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), len(lines))
        box = Rect(data["left"][i], data["top"][i], data["width"][i], data["height"][i])
        words.append(Word(text, conf, box, line))
    return words


def baseline(targets: Sequence[_Shot | None], threads: str | None = None) -> tuple[float, list[Label | None]]:
    """Seconds to OCR each step's whole frame and find its label there, and the labels; ``threads`` sets
    OMP_THREAD_LIMIT for tesseract (pytesseract starts it with this process's environment)."""
    before = os.environ.get(OMP)
    if threads is not None:
        os.environ[OMP] = threads
    try:
        start = time.perf_counter()
        labels = [
            None if shot is None else find_label(full_frame_words(shot.frame), shot.point, shot.kind)
            for shot in targets
        ]
        return time.perf_counter() - start, labels
    finally:
        if before is None:
            os.environ.pop(OMP, None)
        else:
            os.environ[OMP] = before


def with_labels(guide: Guide, targets: Sequence[_Shot | None], labels: Sequence[Label | None]) -> Guide:
    """The guide with each labelled step's target replaced (vsop's steps and drafts are in the same order)."""
    if len(guide.steps) != len(targets):
        raise RuntimeError(f"{len(guide.steps)} guide steps for {len(targets)} drafts")
    steps = [
        step if shot is None else replace(step, target=label.text if label else None)
        for step, shot, label in zip(guide.steps, targets, labels, strict=True)
    ]
    return replace(guide, steps=steps)


# -- speed -----------------------------------------------------------------------------------------------


def vsop_runs(recording: Path, runs: int, tmp: Path) -> tuple[list[tuple[Path, Run]], list[Run]]:
    """``runs`` cold runs of ``generate``, then as many without redaction; each into a fresh library."""

    def cold(options: Options) -> tuple[Path, Run]:
        return generate_timed(recording, Path(tempfile.mkdtemp(dir=tmp)), options)

    return [cold(Options()) for _ in range(runs)], [cold(Options(redact=False))[1] for _ in range(runs)]


def baselines(targets: Sequence[_Shot | None]) -> tuple[float, list[Label | None], float]:
    """The baseline's seconds and labels with tesseract's defaults, and its seconds with one thread."""
    seconds, labels = baseline(targets)
    one_thread, _ = baseline(targets, threads="1")
    return seconds, labels, one_thread


def speed(recording_path: Path, runs: int, tmp: Path) -> Speed:
    expected = session_scenario([s for s in SCENARIOS if s.app == "chromium"]).steps
    recording = load_recording(recording_path)
    targets = shots(recording, segment(recording))
    (timed, no_redact), vsop_load = other_load(lambda: vsop_runs(recording_path, runs, tmp))
    (seconds, labels, one_thread), baseline_load = other_load(lambda: baselines(targets))
    folder = timed[-1][0]
    guide = load_guide(folder / GUIDE_FILE)
    monitor = recording.meta.monitors[0].rect
    return Speed(
        size=(monitor.width, monitor.height),
        frames=len(list((recording_path / "frames").iterdir())),
        recording_bytes=sum(p.stat().st_size for p in recording_path.rglob("*") if p.is_file()),
        runs=tuple(run for _, run in timed),
        no_redact_runs=tuple(no_redact),
        baseline_s=seconds,
        baseline_one_thread_s=one_thread,
        baseline_ocr_calls=sum(shot is not None for shot in targets),
        shown=sum(step.dropped is None for step in guide.steps),
        dropped=sum(step.dropped is not None for step in guide.steps),
        image_bytes=tuple(p.stat().st_size for p in sorted((folder / "images").glob("*.png"))),
        vsop=scored("long-session", expected, guide),
        baseline=scored("long-session, baseline labels", expected, with_labels(guide, targets, labels)),
        other_load=(vsop_load, baseline_load),
    )


# -- report ----------------------------------------------------------------------------------------------


def pct(right: int, out_of: int) -> str:
    return f"{100 * right / max(out_of, 1):.1f} %"


def accuracy_table(scores: Sequence[Accuracy], long: Accuracy | None) -> tuple[str, bool]:
    right, out_of = sum(s.right for s in scores), sum(s.out_of for s in scores)
    ok = bool(scores) and right / max(out_of, 1) >= TARGET_ACCURACY
    lines = ["| scenario | steps expected | generated | right | accuracy |", "|---|---|---|---|---|"]
    lines += [
        f"| {s.name} | {s.expected} | {s.generated} | {s.right} | {pct(s.right, s.out_of)} |" for s in scores
    ]
    total = sum(s.expected for s in scores), sum(s.generated for s in scores)
    mark = "yes" if ok else "**NO**"
    lines.append(
        f"| **all scenarios** | {total[0]} | {total[1]} | {right} | **{pct(right, out_of)}** "
        f"(target >= {TARGET_ACCURACY:.0%}: {mark}) |"
    )
    if long is not None:
        row = f"{long.expected} | {long.generated} | {long.right} | {pct(long.right, long.out_of)}"
        lines.append(f"| long-session (1920x1080, not in the total) | {row} |")
    return "\n".join(lines), ok


def speed_rows(s: Speed) -> list[Row]:
    times = [r.seconds for r in s.runs]
    best, median = min(times), statistics.median(times)
    ratio = s.baseline_one_thread_s / median
    kb = [b / KB for b in s.image_bytes] or [0.0]
    stages: dict[str, list[float]] = {}
    for run in s.runs:
        for name, seconds in run.stages:
            stages.setdefault(name, []).append(seconds)
    recording = f"{s.size[0]}x{s.size[1]}, {s.frames} frames, {s.recording_bytes / 1e6:.1f} MB"
    return [
        Row("recording", recording, "", None),
        Row(
            "steps generated (shown / dropped)",
            f"{s.shown} / {s.dropped} (expected {s.vsop.expected})",
            "",
            None,
        ),
        Row(
            f"vsop generate(), cold OCR cache, best / median of {len(times)}",
            f"{best:.2f} / {median:.2f} s",
            f"<= {TARGET_SECONDS:.0f} s",
            median <= TARGET_SECONDS,
        ),
        *[Row(f"- {name} (median)", f"{statistics.median(v):.2f} s", "", None) for name, v in stages.items()],
        Row(
            f"vsop generate() without redaction (Options(redact=False)), median of {len(s.no_redact_runs)}",
            f"{statistics.median(r.seconds for r in s.no_redact_runs):.2f} s",
            "",
            None,
        ),
        Row(
            f"naive baseline: full-frame OCR + find_label, {s.baseline_ocr_calls} frames, {OMP}=1 (as vsop "
            "runs tesseract)",
            f"{s.baseline_one_thread_s:.2f} s",
            "",
            None,
        ),
        Row(
            "speed-up (baseline with one thread / vsop median)",
            f"{ratio:.1f}x",
            f">= {TARGET_SPEEDUP:.0f}x",
            ratio >= TARGET_SPEEDUP,
        ),
        Row(
            "naive baseline with tesseract's default threading; its speed-up",
            f"{s.baseline_s:.2f} s; {s.baseline_s / median:.1f}x",
            "",
            None,
        ),
        Row(
            f"step image size, mean / max ({len(s.image_bytes)} images)",
            f"{statistics.fmean(kb):.0f} / {max(kb):.0f} KB",
            f"<= {TARGET_IMAGE_KB:.0f} KB",
            max(kb) <= TARGET_IMAGE_KB,
        ),
        Row(
            "other processes' CPU while timing vsop / the baselines (mean cores busy)",
            " / ".join("unknown" if load is None else f"{load:.2f}" for load in s.other_load),
            f"< {QUIET} (else the times are not trustworthy)",
            None if None in s.other_load else all(load < QUIET for load in s.other_load if load is not None),
        ),
        Row(
            "steps right: vsop / naive baseline's labels",
            f"{s.vsop.right} / {s.baseline.right} of {s.vsop.out_of}",
            "",
            None,
        ),
    ]


def scaling_rows(found: Sequence[Scaled]) -> list[Row]:
    """Seconds per step of the short and the long recording, and the peak memory of the long one."""
    if len(found) < 2:
        return []
    short, long = found[0], found[-1]
    growth = long.cpu_per_step / max(short.cpu_per_step, 1e-9)
    return [
        *[
            Row(
                f"generate() of {item.events:,} events ({item.steps} steps, the session x{item.copies})",
                f"{item.seconds:.1f} s ({item.cpu_seconds:.1f} s of CPU), {item.per_step:.3f} s per step, "
                f"peak memory {item.rss_mb:.0f} MB",
                "",
                None,
            )
            for item in found
        ],
        Row(
            f"CPU time per step, {long.events:,} events / {short.events:,} (linear: 1.0; wall time: "
            f"{long.per_step / max(short.per_step, 1e-9):.2f})",
            f"{growth:.2f}",
            f"<= {TARGET_LINEAR}",
            growth <= TARGET_LINEAR,
        ),
        Row(
            f"peak memory, {long.events:,} events",
            f"{long.rss_mb:.0f} MB",
            f"<= {TARGET_RSS_MB:.0f} MB",
            long.rss_mb <= TARGET_RSS_MB,
        ),
    ]


def wrong_steps(scores: Sequence[Accuracy]) -> str:
    lines = []
    for s in scores:
        if s.diff:
            lines.append(f"{s.name}:")
            lines += [f"    {line}" for line in s.diff]
    return "\n".join(lines)


def machine() -> str:
    binary = shutil.which(str(pytesseract.pytesseract.tesseract_cmd)) or "tesseract"
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    first = (version.stdout or version.stderr).splitlines()[:1] or ["tesseract ?"]
    return f"{os.cpu_count()} cores, {first[0]}, Python {sys.version.split()[0]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--runs", type=int, default=3, help="timed generate() runs (default 3)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("--no-scaling", action="store_true", help="skip the 500 / 5,000 events runs")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs: at least 1")
    if not (LONG / "meta.json").is_file():
        parser.error(f"{LONG} is missing: python -m generator.sample.driver --record-long {LONG}")
    print(f"Machine: {machine()}\n")
    with tempfile.TemporaryDirectory(prefix="vsop-bench-") as tmp:
        scores = accuracy(RECORDINGS, Path(tmp))
        measured = speed(LONG, args.runs, Path(tmp))
        lengths = [] if args.no_scaling else scaling(LONG, Path(tmp))
    table, accurate = accuracy_table(scores, measured.vsop)
    rows = speed_rows(measured) + scaling_rows(lengths)
    print(f"{table}\n\n{markdown(rows)}\n")
    print("Steps that differ (- expected, + generated):")
    print(wrong_steps([*scores, measured.vsop]) or "    none")
    missed = ([] if accurate else ["accuracy"]) + [row.metric for row in rows if row.ok is False]
    print("\nMissed targets: " + "; ".join(missed) if missed else "\nAll targets met.")
    if args.json:
        report = {
            "machine": machine(),
            "accuracy": [{**asdict(s), "out_of": s.out_of} for s in scores],
            "accuracy_total": sum(s.right for s in scores) / max(sum(s.out_of for s in scores), 1),
            "speed": asdict(measured),
            "scaling": [asdict(item) for item in lengths],
            "rows": [asdict(row) for row in rows],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
