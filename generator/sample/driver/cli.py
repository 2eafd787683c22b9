"""The command line of the driver: record the fixtures, or the long session (``python -m ...driver``).

A developer's tool, not a ``vsop`` command: argparse, so that only the CLI layer (generator/cli/) needs click.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from capture.errors import VsopError
from generator.sample.driver.recording import record_fixtures, record_session
from generator.sample.scenarios import RUNS, SCENARIOS, VARIANTS, by_id

PROG = "python -m generator.sample.driver"


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog=PROG,
        description="Perform the sample scenarios for real on a private X display and store their "
        "recordings.",
    )
    parse.add_argument(
        "--record-fixtures",
        dest="target",
        type=Path,
        metavar="DIRECTORY",
        help="Folder to store one recording per scenario in (e.g. generator/sample/recordings).",
    )
    parse.add_argument(
        "--record-long",
        dest="long_target",
        type=Path,
        metavar="DIRECTORY",
        help="Folder to store ONE 1920x1080 recording of all Chromium scenarios in, one after the other "
        "(e.g. tests/fixtures/recordings/long-session).",
    )
    parse.add_argument(
        "--scenario",
        dest="ids",
        action="append",
        default=[],
        metavar="ID",
        help="Record only this scenario id (repeatable); also the variants of a changed app, "
        "e.g. new-lead-v2, and the runs performed otherwise, e.g. new-lead-skipped.",
    )
    return parse


def run(target: Path | None, long_target: Path | None, ids: list[str]) -> None:
    """Record the fixtures into ``target`` and/or the long session into ``long_target``."""
    scenarios = [by_id(i, (*SCENARIOS, *VARIANTS, *RUNS)) for i in ids] if ids else list(SCENARIOS)
    if target is not None:
        record_fixtures(target, scenarios)
    if long_target is not None:
        record_session(long_target, [s for s in scenarios if s.app == "chromium"])


def main(argv: list[str] | None = None) -> int:
    """Run the driver's command line; returns the exit code: 2 for a usage error, 1 for a failed recording."""
    parse = parser()
    try:
        args = parse.parse_args(argv)
        if args.target is None and args.long_target is None:
            parse.error("give --record-fixtures DIR or --record-long DIR")
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed by argparse
        return exc.code if isinstance(exc.code, int) else 2
    try:
        run(args.target, args.long_target, args.ids)
    except (VsopError, KeyError) as exc:
        print(f"vsop: error: {exc}", file=sys.stderr)
        return 1
    return 0
