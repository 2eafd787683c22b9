"""Capture benchmark on a private Xvfb display: press-to-grab latency, recorder CPU, bytes per frame, and the
accessibility queries.

Runs mousepad on a 1920x1080 Xvfb + openbox desktop with the accessibility bus (mousepad exposes its tree),
records it with the real ``vsop record`` in a subprocess (which asks the tree for the element of every press),
and clicks N times (default 200) with xdotool at varied spots of the text, so the caret moves and frames
differ. Latency of a press is ``frame.t - event.t`` from the recording: the time from the input callback's
stamp to the end of the grab. The raw mss grab time and the time of one accessibility query (the element
under a click point, the focused element: what the recorder asks, with the same backend) are measured in the
same run on the same display and application. So are the same clicks recorded with ``--frame-format png``
(frames stored as before recording format 2): the recorder's CPU for the clicks with its lossless WebP
frames against PNG frames (until every frame is written, so all the encoding counts), and the bytes per
frame of each.

    python -m bench.capture [--clicks N] [--json PATH]

A benchmark, not a test: it exits 0 when a target is missed, and says which.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import mss

from bench.table import Row, markdown
from capture import load_recording
from capture.accessibility import AccessibilityError, open_accessibility
from capture.format import FRAMES_DIR
from capture.models import MouseButtonEvent
from generator.sample.xsession import App, RecorderProcess, VirtualDisplay, Xdo, require, wait_until

WIDTH, HEIGHT = 1920, 1080
WINDOW = (40, 40, 1840, 1000)  # mousepad is moved and sized to this (x, y, width, height)
# Clicks stay this far inside WINDOW: left, top (title, menu, warning bar), right, bottom.
TEXT_MARGINS = (60, 140, 60, 80)
WORDS = ("invoice", "supplier", "approve", "ledger", "posting", "amount", "currency", "vendor", "due", "date")
CLICK_GAP_S = 0.05
IDLE_S = 10.0
SETTLE_S = 1.0
RAW_GRABS = 100
QUERIES = 100
QUERY_TIMEOUT_S = 0.25  # the recorder's limit (capture.elements.QUERY_TIMEOUT_S)
FRAME_BYTES = 60_000  # mean stored frame (issue 16)
CPU_GROWTH = 4 / 3  # the recorder's CPU for the clicks, WebP frames over PNG frames (issue 16)


@dataclass(frozen=True, slots=True)
class Results:
    clicks: int
    presses: int
    latency_ms: tuple[float, ...]
    raw_grab_ms: tuple[float, ...]
    cpu_idle_pct: float
    cpu_clicking_pct: float
    cpu_clicking_s: float  # CPU seconds the recorder used for the clicks, every frame written
    frame_bytes: tuple[int, ...]
    with_element: int  # presses recorded with their element
    accessibility: dict[str, object]  # meta.json's summary of the recorder's queries
    element_at_ms: tuple[float, ...]
    focused_ms: tuple[float, ...]
    latency_plain_ms: tuple[float, ...]  # the same clicks recorded with --no-accessibility, same run
    cpu_clicking_png_pct: float  # the same clicks recorded with --frame-format png, same run
    cpu_clicking_png_s: float
    frame_bytes_png: tuple[int, ...]
    latency_png_ms: tuple[float, ...]


# -- the desktop -------------------------------------------------------------------------------------------


def sample_text() -> str:
    """About 60 lines of varied length, so clicks land on text, on line ends and between words."""
    rng = random.Random(7)
    lines = []
    for number in range(1, 61):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 14)))
        lines.append(f"{number:02d}  {body}".rstrip())
    return "\n".join(lines) + "\n"


def app_env(display: VirtualDisplay, home: Path) -> dict[str, str]:
    """mousepad's settings and caches go to the temporary folder, not to the user's."""
    dirs = {name: str(home / name.lower()) for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")}
    return {**display.env, **dirs, "GSETTINGS_BACKEND": "memory"}


@contextmanager
def mousepad(display: VirtualDisplay, home: Path, text_file: Path) -> Iterator[Xdo]:
    """mousepad showing ``text_file``, moved and sized to ``WINDOW`` and active; xdotool on its display."""
    argv = [require("mousepad"), str(text_file)]
    app = App(display, argv, ["--class", "mousepad"], env=app_env(display, home))
    try:
        app.xdo.place(app.window, WINDOW)
        yield app.xdo
    finally:
        app.close()


def click_points(count: int) -> list[tuple[int, int]]:
    left, top, right, bottom = TEXT_MARGINS
    x0, y0, w, h = WINDOW
    rng = random.Random(11)
    xs = (x0 + left, x0 + w - right)
    ys = (y0 + top, y0 + h - bottom)
    return [(rng.randint(*xs), rng.randint(*ys)) for _ in range(count)]


def click_all(xdo: Xdo, points: list[tuple[int, int]]) -> None:
    """One xdotool process for all clicks, chained, ``CLICK_GAP_S`` apart."""
    args: list[object] = []
    for x, y in points:
        args += ["mousemove", x, y, "click", 1, "sleep", CLICK_GAP_S]
    xdo(*args, timeout=len(points) * CLICK_GAP_S * 4 + 30)


# -- the recorder: its CPU, what it wrote ------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process, all threads, from /proc/PID/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ", field 3 (state) comes first
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def cpu_used(pid: int, work: Callable[[], None]) -> tuple[float, float]:
    """CPU seconds ``pid`` used while ``work()`` ran, and the wall seconds it ran."""
    cpu0, wall0 = cpu_seconds(pid), time.monotonic()
    work()
    cpu1, wall1 = cpu_seconds(pid), time.monotonic()
    return cpu1 - cpu0, wall1 - wall0


def cpu_percent(pid: int, work: Callable[[], None]) -> float:
    """CPU use of ``pid`` while ``work()`` runs, in percent of one core."""
    cpu, wall = cpu_used(pid, work)
    return 100.0 * cpu / wall


def wait_until_written(recorder: RecorderProcess, presses: int, timeout: float) -> None:
    """Until ``presses`` mouse_press events are written and their frames are on disk."""

    def done() -> bool:
        written = [e for e in recorder.of_type("mouse_press") if isinstance(e, MouseButtonEvent)]
        frames = recorder.out / FRAMES_DIR
        on_disk = all(e.frame is not None and (frames / e.frame.file).is_file() for e in written)
        return len(written) >= presses and on_disk

    wait_until(done, timeout, f"{presses} presses recorded in {recorder.out} with their frames")


# -- measurements ------------------------------------------------------------------------------------------


def raw_grab_ms(display: str, count: int) -> tuple[float, ...]:
    """mss grabs of the whole 1920x1080 monitor, after one warm-up grab."""
    times = []
    with mss.MSS(display=display) as sct:
        monitor = sct.monitors[1]
        sct.grab(monitor)
        for _ in range(count):
            start = time.perf_counter()
            sct.grab(monitor)
            times.append((time.perf_counter() - start) * 1000)
    return tuple(times)


def latencies_ms(rec: Path) -> tuple[int, tuple[float, ...], int]:
    """Number of presses, press-to-grab latency of each press with a frame, presses with an element."""
    recording = load_recording(rec)
    presses = [e for e in recording.events if isinstance(e, MouseButtonEvent) and e.type == "mouse_press"]
    latency = tuple((e.frame.t - e.t) * 1000 for e in presses if e.frame is not None)
    return len(presses), latency, sum(e.element is not None for e in presses)


@contextmanager
def on_display(display: VirtualDisplay) -> Iterator[None]:
    """This process's environment pointed at the display and its buses, for the accessibility backend."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(display.env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def query_ms(display: VirtualDisplay, points: list[tuple[int, int]]) -> tuple[tuple[float, ...], ...]:
    """Times of the element under each point and of the focused element, with the recorder's backend."""
    with on_display(display):
        backend = open_accessibility()
        try:
            at = [
                _timed(lambda p=p: backend.element_at(*p, pid=None, timeout=QUERY_TIMEOUT_S)) for p in points
            ]
            focused = [_timed(lambda: backend.focused(pid=None, timeout=QUERY_TIMEOUT_S)) for _ in points]
        finally:
            backend.close()
    return tuple(at), tuple(focused)


def _timed(query: Callable[[], object]) -> float:
    """Milliseconds of one query; one that failed or ran out of time counts with the time it took."""
    start = time.perf_counter()
    with contextlib.suppress(AccessibilityError):
        query()
    return (time.perf_counter() - start) * 1000


def frame_sizes(rec: Path) -> tuple[int, ...]:
    return tuple(p.stat().st_size for p in sorted((rec / FRAMES_DIR).iterdir()) if p.is_file())


def percentile(values: tuple[float, ...], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def run(clicks: int, tmp: Path) -> Results:
    text_file, rec = tmp / "notes.txt", tmp / "rec"
    text_file.write_text(sample_text(), encoding="utf-8")
    with VirtualDisplay(WIDTH, HEIGHT) as display, mousepad(display, tmp, text_file) as xdo:
        raw = raw_grab_ms(display.name, RAW_GRABS)
        points = click_points(clicks)
        with RecorderProcess(display, tmp / "plain", "--no-accessibility") as recorder:
            _click_and_wait(xdo, points, recorder)
        with RecorderProcess(display, tmp / "png", "--frame-format", "png") as recorder:
            time.sleep(SETTLE_S)
            png_s, png_wall = cpu_used(recorder.pid, lambda: _click_and_wait(xdo, points, recorder))
        with RecorderProcess(display, rec) as recorder:  # stopped with SIGTERM after, killed on an error
            time.sleep(SETTLE_S)
            idle = cpu_percent(recorder.pid, lambda: time.sleep(IDLE_S))
            clicking_s, wall = cpu_used(recorder.pid, lambda: _click_and_wait(xdo, points, recorder))
        element_at, focused = query_ms(display, points[:QUERIES])
    presses, latency, with_element = latencies_ms(rec)
    summary = json.loads((rec / "meta.json").read_text()).get("accessibility") or {}
    return Results(
        clicks,
        presses,
        latency,
        raw,
        idle,
        100.0 * clicking_s / wall,
        clicking_s,
        frame_sizes(rec),
        with_element,
        summary,
        element_at,
        focused,
        latencies_ms(tmp / "plain")[1],
        100.0 * png_s / png_wall,
        png_s,
        frame_sizes(tmp / "png"),
        latencies_ms(tmp / "png")[1],
    )


def _click_and_wait(xdo: Xdo, points: list[tuple[int, int]], recorder: RecorderProcess) -> None:
    click_all(xdo, points)
    wait_until_written(recorder, len(points), timeout=60.0)


# -- report ------------------------------------------------------------------------------------------------


def summary(r: Results) -> dict[str, float]:
    raw95 = percentile(r.raw_grab_ms, 95)
    return {
        "latency_p50_ms": percentile(r.latency_ms, 50),
        "latency_p95_ms": percentile(r.latency_ms, 95),
        "latency_max_ms": max(r.latency_ms),
        "latency_p95_limit_ms": 2 * raw95 + 10,
        "latency_plain_p50_ms": percentile(r.latency_plain_ms, 50),
        "latency_plain_p95_ms": percentile(r.latency_plain_ms, 95),
        "raw_grab_p50_ms": percentile(r.raw_grab_ms, 50),
        "raw_grab_p95_ms": raw95,
        "cpu_idle_pct": r.cpu_idle_pct,
        "cpu_clicking_pct": r.cpu_clicking_pct,
        "stored_frames": len(r.frame_bytes),
        "mean_frame_bytes": statistics.fmean(r.frame_bytes) if r.frame_bytes else 0.0,
        "cpu_clicking_png_pct": r.cpu_clicking_png_pct,
        "cpu_clicking_webp_over_png": r.cpu_clicking_s / r.cpu_clicking_png_s,
        "mean_frame_bytes_png": statistics.fmean(r.frame_bytes_png) if r.frame_bytes_png else 0.0,
        "latency_png_p50_ms": percentile(r.latency_png_ms, 50),
        "latency_png_p95_ms": percentile(r.latency_png_ms, 95),
        "element_at_p50_ms": percentile(r.element_at_ms, 50),
        "element_at_p95_ms": percentile(r.element_at_ms, 95),
        "focused_p50_ms": percentile(r.focused_ms, 50),
        "focused_p95_ms": percentile(r.focused_ms, 95),
    }


def rows(r: Results, m: dict[str, float]) -> list[Row]:
    limit, growth = m["latency_p95_limit_ms"], m["cpu_clicking_webp_over_png"]
    return [
        Row("press-to-grab latency p50", f"{m['latency_p50_ms']:.1f} ms", "", None),
        Row("press-to-grab latency p95", f"{m['latency_p95_ms']:.1f} ms",
            f"<= 2 x raw p95 + 10 ms = {limit:.1f} ms", m["latency_p95_ms"] <= limit),
        Row("press-to-grab latency max", f"{m['latency_max_ms']:.1f} ms", "", None),
        Row("press-to-grab latency p50/p95, same clicks with --no-accessibility",
            f"{m['latency_plain_p50_ms']:.1f} / {m['latency_plain_p95_ms']:.1f} ms", "", None),
        Row("raw mss grab p50/p95", f"{m['raw_grab_p50_ms']:.1f} / {m['raw_grab_p95_ms']:.1f} ms", "", None),
        Row("recorder CPU, idle", f"{r.cpu_idle_pct:.2f} % of one core", "< 2 %", r.cpu_idle_pct < 2.0),
        Row("recorder CPU, clicking", f"{r.cpu_clicking_pct:.1f} % of one core", "", None),
        Row("recorder CPU, same clicks with --frame-format png",
            f"{r.cpu_clicking_png_pct:.1f} % of one core", "", None),
        Row("recorder CPU for the clicks, WebP frames / PNG frames",
            f"{r.cpu_clicking_s:.2f} s / {r.cpu_clicking_png_s:.2f} s = {growth:.2f}",
            f"<= {CPU_GROWTH:.2f}", growth <= CPU_GROWTH),
        Row("press-to-grab latency p50/p95, same clicks with --frame-format png",
            f"{m['latency_png_p50_ms']:.1f} / {m['latency_png_p95_ms']:.1f} ms", "", None),
        Row("presses recorded / with a frame", f"{r.presses} / {len(r.latency_ms)} of {r.clicks}", "", None),
        Row("stored frames", f"{len(r.frame_bytes)}", "", None),
        Row("mean bytes per stored frame", f"{m['mean_frame_bytes']:,.0f} B", f"<= {FRAME_BYTES:,} B",
            m["mean_frame_bytes"] <= FRAME_BYTES),
        Row("mean bytes per stored frame, --frame-format png",
            f"{m['mean_frame_bytes_png']:,.0f} B ({len(r.frame_bytes_png)} frames)", "", None),
        Row("accessibility query p50/p95: element under the pointer",
            f"{m['element_at_p50_ms']:.1f} / {m['element_at_p95_ms']:.1f} ms", "", None),
        Row("accessibility query p50/p95: focused element",
            f"{m['focused_p50_ms']:.1f} / {m['focused_p95_ms']:.1f} ms", "", None),
        Row("presses with their element", f"{r.with_element} of {r.presses}", "", None),
        Row("recorder's queries / failed / timed out", _counts(r.accessibility), "", None),
    ]  # fmt: skip


def _counts(summary: dict[str, object]) -> str:
    return " / ".join(str(summary.get(k, "-")) for k in ("queries", "failed", "timeouts"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.capture", description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=200, help="number of clicks (default 200)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    if args.clicks < 2:
        parser.error("--clicks: at least 2, for percentiles")
    with tempfile.TemporaryDirectory(prefix="vsop-bench-") as tmp:
        results = run(args.clicks, Path(tmp))
    metrics = summary(results)
    table = rows(results, metrics)
    print(markdown(table))
    missed = [row.metric for row in table if row.ok is False]
    print("\nMissed targets: " + ", ".join(missed) if missed else "\nAll targets met.")
    if args.json:
        report = {"rows": [asdict(row) for row in table], "metrics": metrics, "raw": asdict(results)}
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
