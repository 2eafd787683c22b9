"""The ``vsop`` command: one subcommand per module; errors become a message and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from capture import __version__
from capture.cli import record
from capture.errors import VsopError
from generator.edit.command import edit_command
from generator.export.formats import export_command
from generator.library.review import review_command, status_command
from generator.library.scaffold import init_command
from generator.library.stage import stage_command
from generator.publish.commands import build_command, serve_command
from generator.rerecord.updatecmd import diff_command, update_command
from generator.sample.demo.command import demo
from generator.tray.command import tray_command


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback ``(stage, done, total)`` drawn with rich on stderr (hidden when not a terminal)."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield report


@click.group()
@click.version_option(__version__, prog_name="vsop")
def cli() -> None:
    """vsop: record a process on any desktop app, get a step-by-step SOP."""


cli.add_command(record)
cli.add_command(init_command)
cli.add_command(stage_command)
cli.add_command(export_command)
cli.add_command(edit_command)
cli.add_command(demo)
cli.add_command(build_command)
cli.add_command(serve_command)
cli.add_command(tray_command)
cli.add_command(update_command)
cli.add_command(diff_command)
cli.add_command(review_command)
cli.add_command(status_command)


@cli.command()
@click.argument("recording", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--library", "-l", required=True, type=click.Path(file_okay=False, path_type=Path), help="Library folder."
)
@click.option("--title", help="Title of the guide (default: the recording's title).")
@click.option("--stage", help="Value-stream stage id of the guide.")
@click.option("--no-redact", is_flag=True, help="Do not blur e-mail addresses, phone, card and IBAN numbers.")
@click.option(
    "--full-frames", is_flag=True, help="Also publish each whole screen (click to enlarge); slower."
)
def generate(
    recording: Path, library: Path, title: str | None, stage: str | None, no_redact: bool, full_frames: bool
) -> None:
    """Turn RECORDING into a step-by-step guide in the library; prints the guide's folder."""
    from generator.pipeline.generate import Options
    from generator.pipeline.generate import generate as run

    with progress_bar() as report:
        folder = run(recording, library, Options(title, stage, not no_redact, full_frames), report)
    click.echo(str(folder))


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="vsop", standalone_mode=False)
    except VsopError as exc:
        click.echo(f"vsop: error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("vsop: aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
