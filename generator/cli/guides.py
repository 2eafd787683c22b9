"""The commands of a library and its guides: ``vsop init``, ``generate``, ``stage``, ``edit``, ``export``,
``review`` and ``status``. Each parses, calls the library function that does the work, and prints."""

from __future__ import annotations

import datetime
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from generator.cli.control import control_lines, fail_on_option, gate_problems
from generator.cli.options import (
    guide_argument,
    guide_library,
    library_argument,
    library_option,
    progress_bar,
    recording_argument,
)
from generator.errors import GuideError
from generator.export.formats import FORMATS, PAPERS, Format, Paper, export
from generator.guide.durations import parse_date
from generator.guide.model import Guide
from generator.guide.store import load_guide
from generator.library.advice import after_generate, unlinked
from generator.library.layout import library_of
from generator.library.review import GuideStatus, Status, library_status, review_due, review_guide
from generator.library.scaffold import init_library, scaffold
from generator.library.stage import assign_stage, confirm_stage
from generator.maturity.assess import Assessment, library_maturity
from generator.maturity.wording import next_step_text
from generator.valuestream.store import load_settings


@click.command("init")
@library_argument(exists=False)
def init_command(library: Path) -> None:
    """Make LIBRARY a vsop library (valuestream.yml, vsop.yml, .gitignore, guides/); keeps existing files."""
    created = init_library(library)
    for path in scaffold(library):
        click.echo(f"{'created' if path in created else 'kept   '} {path}")


@click.command("generate")
@recording_argument
@library_option(required=True, help="Library folder.")
@click.option("--title", help="Title of the guide (default: the recording's title).")
@click.option("--stage", help="Value-stream stage id of the guide.")
@click.option(
    "--no-redact",
    is_flag=True,
    help="Do not blur e-mail addresses, phone, card and IBAN numbers; write them as typed in the steps.",
)
@click.option(
    "--full-frames", is_flag=True, help="Also publish each whole screen (click to enlarge); slower."
)
def generate_command(
    recording: Path, library: Path, title: str | None, stage: str | None, no_redact: bool, full_frames: bool
) -> None:
    """Turn RECORDING into a step-by-step guide in the library; prints the guide's folder."""
    from generator.pipeline.generate import Options, generate

    with progress_bar() as report:
        folder = generate(recording, library, Options(title, stage, not no_redact, full_frames), report)
    click.echo(str(folder))
    for note in after_generate(folder, recording):
        click.echo(f"note: {note}", err=True)


@click.command("stage")
@guide_argument
@click.argument("stage", required=False)
@click.option("--confirm", is_flag=True, help="Confirm the guide's automatic stage link (it becomes manual).")
@guide_library()
def stage_command(guide: Path, stage: str | None, confirm: bool) -> None:
    """Show the value-stream stage of GUIDE, set it to STAGE, or --confirm an automatic link."""
    if stage is not None and confirm:
        raise click.UsageError("give either STAGE or --confirm, not both")
    if stage is not None:
        result = assign_stage(guide, stage)
    elif confirm:
        result = confirm_stage(guide)
    else:
        result = load_guide(guide)
    click.echo("\n".join(describe_stage(result)))


def describe_stage(guide: Guide) -> list[str]:
    """What ``vsop stage GUIDE`` prints: the stage, how it was chosen and why."""
    if guide.stage is None:
        return [f"{guide.id}: no stage (set one: vsop stage GUIDE STAGE)"]
    source = guide.stage_source or "manual"
    lines = [f"{guide.id}: stage {guide.stage} ({source})"]
    lines += [f"  {line}" for line in guide.stage_evidence]
    if source == "auto":
        lines.append("  linked automatically: confirm it with --confirm, or choose: vsop stage GUIDE STAGE")
    return lines


@click.command("edit")
@guide_argument
@guide_library()
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: a free one)."
)
@click.option(
    "--no-browser", is_flag=True, help="Do not open the browser; the URL is the first line printed."
)
def edit_command(guide: Path, port: int, no_browser: bool) -> None:
    """Review and edit GUIDE (a guide folder, its guide.yml, or an id with --library) in the browser."""
    from generator.edit.server import start_editor

    server = start_editor(guide, open_browser=not no_browser, port=port)
    try:  # from here on: a Ctrl+C that comes early (right after the URL) must still close the server
        click.echo(server.url)
        click.echo(
            f"Editing {server.session.guide_file}; every change is saved at once. Ctrl+C stops.", err=True
        )
        server.wait()
    except KeyboardInterrupt:
        click.echo("Editor stopped.", err=True)
    finally:
        server.close()


@click.command("export")
@guide_argument
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS), help="html, md, pdf or docx.")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="File or folder to write.")
@click.option("--paper", type=click.Choice(PAPERS), default="a4", show_default=True, help="Paper size.")
@guide_library(help="Library.")
def export_command(guide: Path, fmt: Format, out: Path | None, paper: Paper) -> None:
    """Export GUIDE (a guide folder, its guide.yml, or an id with --library) as one file; prints its path."""
    click.echo(str(export(guide, fmt, out, paper)))


def _date(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


_DATE = click.option("--date", "day", metavar="YYYY-MM-DD", help="The date to use instead of today.")


@click.command("review")
@guide_argument
@_DATE
@guide_library()
def review_command(guide: Path, day: str | None) -> None:
    """Mark GUIDE as reviewed today (or on --date); prints when the next review is due."""
    result = review_guide(guide, _date(day))
    due = review_due(result, load_settings(library_of(guide)))
    click.echo(f"{result.id}: reviewed {result.reviewed}; next review due {due.isoformat() if due else '-'}")


@click.command("status")
@library_argument()
@_DATE
@fail_on_option
def status_command(library: Path, day: str | None, fail_on: frozenset[str]) -> None:
    """List the guides of LIBRARY with version and review dates, the drafts awaiting approval and the retired
    guides, and the maturity of each stage with its next steps; exit 1 when any guide is overdue for review
    (or, with --fail-on, a draft)."""
    status = library_status(library, _date(day))
    console = Console()
    if console.is_terminal:
        console.print(status_table(library, status))
    else:  # whole ids and dates for a CI log, one guide a line
        for g in status.guides:
            click.echo("\t".join([*_status_cells(g), *(["OVERDUE"] if g.overdue else [])]))
    print_maturity(console, library_maturity(library, _date(day)))
    unlinked_ids = [g.id for g in status.guides if g.stage is None]
    if unlinked_ids:
        click.echo(f"note: {unlinked(unlinked_ids, library)}", err=True)
    for line in control_lines(status):
        click.echo(line)
    problems = gate_problems(status, fail_on)
    if problems:
        raise GuideError(
            f"{len(problems)} problem(s) (--fail-on {','.join(sorted(fail_on))}):\n  " + "\n  ".join(problems)
        )
    if not status.overdue:
        console.print("no guide is overdue for review", markup=False)


def status_table(library: Path, status: Status) -> Table:
    """The guides of ``library`` for a terminal, one row each, an overdue one in red."""
    grid = Table(title=f"{len(status.guides)} guides in {library}")
    for name in ("guide", "stage", "version", "reviewed", "due", ""):
        grid.add_column(name)
    for g in status.guides:
        flag = "OVERDUE" if g.overdue else ""
        grid.add_row(*_status_cells(g), flag, style="red" if g.overdue else None)
    return grid


def print_maturity(console: Console, assessment: Assessment) -> None:
    """The maturity of each stage with its next steps: a table on a terminal, else one stage a line."""
    rows = [
        (
            m.stage.id,
            f"{m.level} {m.name}",
            f"{m.completeness.documented}/{m.completeness.expected} processes",
            "; ".join(next_step_text(s) for s in m.next_steps) or "-",
        )
        for m in assessment.stages
    ]
    if not console.is_terminal:
        for row in rows:
            click.echo("\t".join(("maturity", *row[:3], f"next: {row[3]}")))
        return
    grid = Table(title=f"Maturity of {len(rows)} stages (docs/valuestream-format.md)")
    for name in ("stage", "level", "documented", "next step"):
        grid.add_column(name)
    for row in rows:
        grid.add_row(*row)
    console.print(grid)


def _status_cells(g: GuideStatus) -> list[str]:
    """Id, stage, version, last review and next review due ("-" where there is none)."""
    dates = [d.isoformat() if d else "-" for d in (g.reviewed, g.due)]
    return [g.id, g.stage or "-", g.version, *dates]
