"""Corpus benchmark: steps right on applications the sample never shows, with the accessibility tree and by
OCR alone, and secrets written.

The corpus (generator/sample/corpus/: web pages in Chromium, zenity's GTK 3 dialogs, a PySide6 window, a Tk
window) is performed for real with xdotool on a private 1280x800 Xvfb display with its session and
accessibility buses, while ``vsop record`` runs (or an earlier recording of it is read, ``--recordings``).
Each recording becomes a guide (``generate``), scored with ``generator.sample.check.score``: a step is right
when its action, target and value all match the scenario's, in order; the share is right steps over expected
steps (over generated steps where more were made). Then the same recordings with the accessibility tree's data
removed (OCR only), scored the same way. Secrets: both libraries are built into sites (``vsop build``) and
each guide with a password or PIN field exported (html, md, pdf); every file of the libraries (OCR cache
included), sites and exports is read, bytes and PDF text, for each secret typed.

    python -m bench.corpus [--recordings DIR] [--keep DIR] [--json PATH]

A benchmark, not a test: it exits 0 when a target is missed, and says which.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.generate import machine, pct
from bench.table import Row, markdown
from capture import load_recording
from capture.models import MouseButtonEvent
from generator.cli import main as vsop
from generator.sample.corpus.measure import Leak, Scored, leaks, ocr_only, score_all, share
from generator.sample.corpus.record import record_corpus
from generator.sample.corpus.scenarios import CORPUS, SECRETS, secret_of
from generator.sample.xsession import VirtualDisplay

TARGET_TREE = 0.98
TARGET_OCR = 0.90
TOOLKITS = ("web", "gtk", "qt", "tk")
SIZE = (1280, 800)


@dataclass(frozen=True, slots=True)
class Tree:
    """What the recorder's accessibility queries gave, over the corpus."""

    presses: int
    named: int  # presses whose element has a name
    queries: int
    failed: int
    timeouts: int


def record(target: Path) -> float:
    """Record the corpus into ``target``; the seconds it took."""
    start = time.perf_counter()
    with VirtualDisplay(*SIZE) as display:
        record_corpus(display, target, stored=lambda s, p: print(f"  recorded {s.id}", flush=True))
    return time.perf_counter() - start


def tree(recordings: Path) -> Tree:
    presses = named = queries = failed = timeouts = 0
    for scenario in CORPUS:
        recording = load_recording(recordings / scenario.id)
        pressed = [e for e in recording.events if isinstance(e, MouseButtonEvent) and e.type == "mouse_press"]
        presses += len(pressed)
        named += sum(1 for p in pressed if p.element is not None and p.element.name)
        stats = recording.meta.accessibility
        if stats is not None:
            queries, failed, timeouts = (
                queries + stats.queries,
                failed + stats.failed,
                timeouts + stats.timeouts,
            )
    return Tree(presses, named, queries, failed, timeouts)


def published(scored: Sequence[Scored], exports: Path) -> list[Leak]:
    """Build the site of the scored guides' library, export each guide that holds a secret; the leaks."""
    library = scored[0].guide.parents[1]
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        if vsop(["build", str(library)]) != 0:
            raise SystemExit(f"vsop build {library} failed:\n{quiet.getvalue()}")
        for item in scored:
            if secret_of(item.scenario):
                for fmt in ("html", "md", "pdf"):
                    out = exports / f"{item.guide.name}.{fmt}"
                    if vsop(["export", str(item.guide), "--format", fmt, "--out", str(out)]) != 0:
                        raise SystemExit(f"vsop export {item.guide} failed:\n{quiet.getvalue()}")
    secrets = set(SECRETS.values())
    return leaks(library, secrets) + leaks(exports, secrets)


def rows(with_tree: Sequence[Scored], by_ocr: Sequence[Scored], found: Sequence[Leak], t: Tree) -> list[Row]:
    right, counted = share(with_tree)
    ocr_right, ocr_counted = share(by_ocr)
    table = [
        Row(
            "steps right, accessibility tree",
            pct(right, counted),
            f">= {TARGET_TREE:.0%}",
            right / counted >= TARGET_TREE,
        ),
        Row(
            "steps right, OCR only",
            pct(ocr_right, ocr_counted),
            f">= {TARGET_OCR:.0%}",
            ocr_right / ocr_counted >= TARGET_OCR,
        ),
    ]
    for kit in TOOLKITS:
        a, b = share(s for s in with_tree if s.toolkit == kit), share(s for s in by_ocr if s.toolkit == kit)
        table.append(Row(f"  {kit}: tree / OCR only", f"{pct(*a)} / {pct(*b)}", "", None))
    with_secret = [s for s in CORPUS if secret_of(s)]
    table += [
        Row(
            "secrets written (library, site, exports, OCR cache)",
            f"{len(found)} (of {len({*SECRETS.values()})} secrets in {len(with_secret)} scenarios)",
            "0",
            not found,
        ),
        Row("presses named by the tree", f"{t.named}/{t.presses}", "", None),
        Row(
            "accessibility queries: failed / timed out", f"{t.failed} / {t.timeouts} of {t.queries}", "", None
        ),
    ]
    return table


def wrong(scored: Sequence[Scored]) -> str:
    lines = []
    for item in scored:
        if item.score.diff:
            lines += [f"  {item.scenario.id}:", *(f"    {d}" for d in item.score.diff)]
    return "\n".join(lines) or "    none"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.corpus", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--recordings", type=Path, help="score this earlier recording of the corpus instead")
    parser.add_argument("--keep", type=Path, help="store the new recordings of the corpus in this folder")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    print(f"Machine: {machine()}\n")
    steps = sum(len(s.steps) for s in CORPUS)
    print(f"Corpus: {len(CORPUS)} scenarios, {steps} steps")
    with tempfile.TemporaryDirectory(prefix="vsop-corpus-bench-") as scratch:
        tmp = Path(scratch)
        recordings = args.recordings or args.keep or tmp / "recordings"
        seconds = None if args.recordings else record(recordings)
        for scenario in CORPUS:
            ocr_only(recordings / scenario.id, tmp / "ocr" / scenario.id)
        start = time.perf_counter()
        with_tree = score_all(recordings, tmp / "lib-tree", CORPUS)
        tree_s = time.perf_counter() - start
        start = time.perf_counter()
        by_ocr = score_all(tmp / "ocr", tmp / "lib-ocr", CORPUS)
        ocr_s = time.perf_counter() - start
        found = published(with_tree, tmp / "exports-tree") + published(by_ocr, tmp / "exports-ocr")
        t = tree(recordings)
    table = rows(with_tree, by_ocr, found, t)
    if seconds is not None:
        table.append(Row("recording the corpus", f"{seconds:.0f} s", "", None))
    table.append(Row("generating its guides: tree / OCR only", f"{tree_s:.1f} s / {ocr_s:.1f} s", "", None))
    print(f"\n{markdown(table)}\n")
    print("Steps that differ with the tree (- expected, + generated):\n" + wrong(with_tree))
    print("Steps that differ by OCR only:\n" + wrong(by_ocr))
    for leak in found:
        print(f"SECRET WRITTEN: {leak.path} ({leak.form})")
    missed = [row.metric for row in table if row.ok is False]
    print("\nMissed targets: " + "; ".join(missed) if missed else "\nAll targets met.")
    if args.json:
        report = {
            "machine": machine(),
            "rows": [
                {"metric": r.metric, "measured": r.measured, "target": r.target, "ok": r.ok} for r in table
            ],
            "tree": [{"id": s.scenario.id, "right": s.score.right, "diff": s.score.diff} for s in with_tree],
            "ocr": [{"id": s.scenario.id, "right": s.score.right, "diff": s.score.diff} for s in by_ocr],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
