"""``vsop check``: a recording of someone performing a guide's process, checked against the guide step by
step, shown as a table in the terminal or as Markdown (templates/check.md.j2), and kept as a run record
unless ``--dry-run``. The work is :mod:`generator.rerecord.check`'s; conformance is defined in
:mod:`generator.rerecord.conformance` and docs/runs-format.md."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from generator.cli.options import (
    format_option,
    guide_argument,
    guide_library,
    progress_bar,
    recording_argument,
)
from generator.errors import RunError
from generator.guide.durations import format_duration
from generator.render.environment import environment
from generator.rerecord.check import Checked, CheckOptions, check_recording
from generator.rerecord.conformance import Outcome, RunCheck, StepCheck

_WORDS: dict[Outcome, str] = {
    "followed": "followed",
    "skipped": "skipped",
    "extra": "extra step",
    "out_of_order": "out of order",
    "wrong_value": "other value",
}
_COUNTED: dict[Outcome, str] = {
    "skipped": "skipped",
    "extra": "extra",
    "out_of_order": "out of order",
    "wrong_value": "with another value",
}
_STYLE = {"followed": "", "skipped": "red", "extra": "yellow", "out_of_order": "yellow", "wrong_value": "red"}


@click.command("check")
@guide_argument
@recording_argument
@click.option(
    "--min",
    "minimum",
    type=click.FloatRange(0.0, 1.0),
    default=0.9,
    show_default=True,
    help="Exit 1 when the run's conformance (0..1) is below this.",
)
@click.option(
    "--who", help="Who performed the run (default: git config user.name of the library, or the OS user)."
)
@click.option("--dry-run", is_flag=True, help="Check only: write no run record.")
@format_option("table")
@guide_library()
def check_command(
    guide: Path, recording: Path, minimum: float, who: str | None, dry_run: bool, fmt: str
) -> None:
    """Check RECORDING, someone performing GUIDE's process, against the guide: steps followed, skipped,
    extra, out of order or with another value, and each step's time against the guide's median. Keeps a
    run record beside the guide (runs/) unless --dry-run; exits 1 below --min."""
    with progress_bar() as report:
        checked = check_recording(guide, recording, CheckOptions(who, dry_run), progress=report)
    if fmt == "md":
        click.echo(markdown(checked), nl=False)
    else:
        console = Console()
        console.print(table(checked.check))
        console.print(headline(checked.check), markup=False)
        if checked.record is not None:
            console.print(f"run record: {checked.record}", markup=False)
    conformance = checked.check.run.conformance
    if conformance < minimum:
        raise RunError(
            f"{recording}: conformance {conformance:.0%} is below the minimum {minimum:.0%} (--min)"
        )


def outcome(row: StepCheck) -> str:
    """A row's result in words ("skipped"; "followed, slow")."""
    return _WORDS[row.outcome] + (", slow" if row.slow else "")


def table(check: RunCheck) -> Table:
    grid = Table(title=f"{check.guide.title} {check.guide.version}: a run by {check.run.who}")
    for name in ("step", "run", "result", "time", "median", "what"):
        grid.add_column(name, justify="right" if name in ("step", "run", "time", "median") else "left")
    for row in check.rows:
        times = (seconds(s) if s is not None else "" for s in (row.seconds, row.median_s))
        numbers = (str(n) if n else "" for n in (row.number, row.position))
        style = "yellow" if row.slow and row.outcome == "followed" else _STYLE[row.outcome]
        grid.add_row(*numbers, outcome(row), *times, row.text, style=style or None)
    return grid


def seconds(value: float) -> str:
    """A step's time: tenths of a second below a minute ("0.4 s", "12.0 s"), else as durations read."""
    return f"{value:.1f} s" if value < 60 else format_duration(value)


def headline(check: RunCheck) -> str:
    """One line: conformance, the counts of each deviation, the duration."""
    counts = [f"{check.count(o)} {_COUNTED[o]}" for o in _COUNTED if check.count(o)]
    counts += [f"{len(check.slow)} slow"] if check.slow else []
    followed = f"{check.count('followed')} of {check.run.steps} steps followed"
    return (
        f"conformance {check.run.conformance:.0%} ({', '.join([followed, *counts])}); "
        f"duration {format_duration(check.run.duration_s)}"
    )


def markdown(checked: Checked) -> str:
    """The check as Markdown (``vsop check --format md``), for a review or a pull request."""
    words = [outcome(r) for r in checked.check.rows]
    template = environment().get_template("check.md.j2")
    return template.render(c=checked.check, record=checked.record, words=words)
