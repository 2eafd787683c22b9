"""Site benchmark: build time of a 500-guide library against plain MkDocs on the same Markdown.

A synthetic library of N guides x S steps (default 500 x 12; guide.yml files as ``vsop generate`` writes
them, each step with a 960x540 annotated-looking PNG) spread over the default value stream's stages is built
three ways in one run:

- ``vsop build`` cold: the library is rendered through the templates into the MkDocs project, then MkDocs
  builds it (``build_site``);
- plain ``mkdocs build`` of the very project vsop generated (the same Markdown and images): the floor;
- ``vsop build`` again after one guide's title changed: only that guide's page is rendered again;
- ``vsop build`` cold of the same library with run records (``vsop check``'s, default 1,000 over the
  guides, each with its deviations and step times), alternated with cold builds without them.

The targets are vsop's cold build within 1.5x of plain MkDocs, and the build with the run records within 1.1x
of the build without. A benchmark, not a test: it exits 0 when a target is missed, and says which.

    python -m bench.site [--guides N] [--steps S] [--engine mkdocs|zensical] [--runs R] [--records N]
                         [--json PATH]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from PIL import Image, ImageDraw

from bench.table import Row, markdown
from generator.guide.model import Action, Guide, Revision, Step
from generator.guide.store import load_guide, save_guide
from generator.library.layout import CACHE_DIR, GUIDE_FILE, GUIDES_DIR
from generator.publish.build import build_site
from generator.runs.models import Deviation, Run
from generator.runs.store import write_run
from generator.valuestream.store import load_valuestream

TARGET_RATIO = 1.5
TARGET_RECORDS_RATIO = 1.1
ACTIONS: tuple[Action, ...] = ("click", "type", "click", "hotkey")


def sample_images(folder: Path, count: int) -> list[Path]:
    """``count`` distinct step screenshots, palette PNGs like the generator's (about 10 KB each)."""
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        image = Image.new("RGB", (960, 540), (245, 246, 248))
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, 960, 48), fill=(33, 37, 41))
        for row in range(8):
            draw.rectangle((40, 80 + row * 52, 420, 110 + row * 52), outline=(180, 180, 190), width=1)
            draw.text((50, 88 + row * 52), f"Field {i}-{row}", fill=(40, 40, 40))
        draw.rectangle((300 + i * 20, 200, 480 + i * 20, 240), outline=(230, 60, 30), width=4)
        path = folder / f"step-{i}.png"
        image.quantize(64).save(path, optimize=True)
        paths.append(path)
    return paths


def make_library(library: Path, guides: int, steps: int) -> None:
    stages = [s.id for s in load_valuestream(library).stages]
    images = sample_images(library.parent / "images", steps)
    for g in range(guides):
        guide_id = f"procedure-{g:04d}"
        folder = library / GUIDES_DIR / guide_id
        (folder / "images").mkdir(parents=True)
        guide_steps = []
        for s in range(steps):
            step_id = f"s-{s:04x}"
            action = ACTIONS[s % len(ACTIONS)]
            target = f"Field {s} of form {g}"
            value = {"type": f"value {g}-{s}", "hotkey": "ctrl+s"}.get(action)
            text = {
                "click": f"Click **{target}**.",
                "type": f"Type `{value}` in **{target}**.",
                "hotkey": "Press ++ctrl+s++.",
            }[action]
            shutil.copyfile(images[s], folder / "images" / f"{step_id}.png")
            guide_steps.append(
                Step(step_id, action, target, value, f"App {g % 7}", text, image=f"images/{step_id}.png")
            )
        guide = Guide(
            id=guide_id,
            title=f"Procedure {g}: handle case type {g % 37}",
            stage=stages[g % len(stages)] if g % 10 else None,
            version="1.0.0",
            purpose=None,
            recorded={"duration_s": 30.0 + g % 90},
            steps=guide_steps,
            revisions=[Revision("1.0.0", "2026-11-01", "Recorded", duration_s=30.0 + g % 90)],
            stage_source="manual" if g % 10 else None,
        )
        save_guide(guide, folder / GUIDE_FILE)


def add_run_records(library: Path, count: int, guides: int, steps: int) -> None:
    """``count`` run records spread over the guides, as ``vsop check`` writes them: a duration, a
    conformance, a skipped and a slow step, the time of every step."""
    start = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.timezone.utc)
    for n in range(count):
        g = n % guides
        times = tuple((f"s-{s:04x}", 2.0 + (n + s) % 7) for s in range(steps))
        deviations = (
            Deviation("skipped", f"s-{n % steps:04x}", f"Click **Field {n % steps} of form {g}**."),
            Deviation("slow", "s-0001", "Type the value.", seconds=12.0, expected_s=4.0),
        )
        run = Run(
            guide_id=f"procedure-{g:04d}",
            date=start + datetime.timedelta(minutes=n),
            who=f"clerk {n % 13}",
            duration_s=sum(t for _s, t in times),
            conformance=0.8 + (n % 5) / 25,
            deviations=deviations,
            guide_version="1.0.0",
            steps=steps,
            times=times,
        )
        write_run(library / GUIDES_DIR / run.guide_id, run)


def _link_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, copy_function=os.link, ignore=shutil.ignore_patterns(CACHE_DIR))


def timed(work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - start


def plain_mkdocs(project: Path, out: Path, engine: str) -> None:
    """The engine alone on vsop's project, as cold as vsop's first build was (Zensical keeps a cache)."""
    for leftover in (project / ".cache", project / "site"):
        shutil.rmtree(leftover, ignore_errors=True)
    if engine == "mkdocs":
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")]
        command += ["-d", str(out)]
    else:
        command = [str(Path(sys.executable).parent / "zensical"), "build", "-f", str(project / "mkdocs.yml")]
    subprocess.run(command, check=True, capture_output=True)


def run(guides: int, steps: int, engine: str, runs: int, tmp: Path, records: int = 1000) -> list[Row]:
    library = tmp / "library"
    library.mkdir()
    start = time.perf_counter()
    make_library(library, guides, steps)
    made = time.perf_counter() - start
    project = library / CACHE_DIR / "project"
    out = tmp / "out-vsop"

    def vsop_cold() -> None:
        shutil.rmtree(library / CACHE_DIR, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        build_site(library, out, engine=engine)  # type: ignore[arg-type]

    colds, floors = [], []
    for _ in range(runs):  # alternated, so a busy moment of the machine weighs on both alike
        colds.append(timed(vsop_cold))
        floors.append(timed(lambda: plain_mkdocs(project, tmp / "out-plain", engine)))
    build_site(library, out, engine=engine)  # type: ignore[arg-type]  # the engine's own cache is warm again
    changed = library / GUIDES_DIR / "procedure-0001" / GUIDE_FILE
    guide = load_guide(changed)
    guide.title += " (changed)"
    save_guide(guide, changed)
    start = time.perf_counter()
    rebuilt = build_site(library, out, engine=engine)  # type: ignore[arg-type]
    warm = time.perf_counter() - start
    rendered, reused = len(rebuilt.project.rendered), len(rebuilt.project.reused)
    pages = f"{rendered} of {rendered + reused}"
    cold, floor = statistics.median(colds), statistics.median(floors)
    ratio = cold / floor
    with_records, without = _records(library, guides, steps, engine, runs, records, tmp)
    records_ratio = with_records / without
    return [
        Row("library", f"{guides} guides x {steps} steps (made in {made:.1f} s)", "", None),
        Row(f"vsop build, cold ({engine}), median of {runs}", f"{cold:.1f} s", "", None),
        Row(f"plain {engine} build of the same project, median of {runs}", f"{floor:.1f} s", "", None),
        Row("vsop overhead (cold / plain)", f"{ratio:.2f}x", f"<= {TARGET_RATIO}x", ratio <= TARGET_RATIO),
        Row(
            "vsop build after one guide changed",
            f"{warm:.1f} s ({warm / floor:.2f}x plain); pages rendered from templates: {pages}",
            "",
            None,
        ),
        Row(f"vsop build, cold, without run records, median of {runs}", f"{without:.1f} s", "", None),
        Row(
            f"vsop build, cold, with {records} run records, median of {runs}",
            f"{with_records:.1f} s",
            "",
            None,
        ),
        Row(
            "run records' cost (with / without)",
            f"{records_ratio:.2f}x",
            f"<= {TARGET_RECORDS_RATIO}x",
            records_ratio <= TARGET_RECORDS_RATIO,
        ),
    ]


def _records(
    library: Path, guides: int, steps: int, engine: str, runs: int, records: int, tmp: Path
) -> tuple[float, float]:
    """Median cold builds of the library with ``records`` run records and of the same library without,
    alternated (the guides and images are the same files, linked)."""
    plain, recorded = tmp / "plain", tmp / "recorded"
    _link_tree(library, plain)
    _link_tree(library, recorded)
    add_run_records(recorded, records, guides, steps)

    def cold(lib: Path) -> float:
        shutil.rmtree(lib / CACHE_DIR, ignore_errors=True)
        out = tmp / f"out-{lib.name}"
        shutil.rmtree(out, ignore_errors=True)
        return timed(lambda: build_site(lib, out, engine=engine))  # type: ignore[arg-type]

    times: dict[Path, list[float]] = {plain: [], recorded: []}
    for _ in range(runs):
        for lib in (plain, recorded):
            times[lib].append(cold(lib))
    return statistics.median(times[recorded]), statistics.median(times[plain])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.site", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--guides", type=int, default=500)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs")
    parser.add_argument("--runs", type=int, default=3, help="cold builds of each kind (median)")
    parser.add_argument("--records", type=int, default=1000, help="run records for the last comparison")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vsop-bench-site-") as tmp:
        rows = run(args.guides, args.steps, args.engine, args.runs, Path(tmp), args.records)
    print(markdown(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
