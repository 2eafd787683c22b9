"""The command line of the driver: record the fixtures, or the long session (``python -m ...driver``)."""

from __future__ import annotations

from pathlib import Path

import click

from capture.errors import VsopError
from generator.sample.driver.recording import record_fixtures, record_session
from generator.sample.scenarios import SCENARIOS, VARIANTS, by_id

PROG = "python -m generator.sample.driver"


@click.command()
@click.option(
    "--record-fixtures",
    "target",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to store one recording per scenario in (e.g. generator/sample/recordings).",
)
@click.option(
    "--record-long",
    "long_target",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to store ONE 1920x1080 recording of all Chromium scenarios in, one after the other "
    "(e.g. tests/fixtures/recordings/long-session).",
)
@click.option(
    "--scenario",
    "ids",
    multiple=True,
    help="Record only this scenario id (repeatable); also the variants of a changed app, e.g. new-lead-v2.",
)
def cli(target: Path | None, long_target: Path | None, ids: tuple[str, ...]) -> None:
    """Perform the sample scenarios for real on a private X display and store their recordings."""
    if target is None and long_target is None:
        raise click.UsageError("give --record-fixtures DIR or --record-long DIR")
    scenarios = [by_id(i, (*SCENARIOS, *VARIANTS)) for i in ids] if ids else list(SCENARIOS)
    if target is not None:
        record_fixtures(target, scenarios)
    if long_target is not None:
        record_session(long_target, [s for s in scenarios if s.app == "chromium"])


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name=PROG, standalone_mode=False)
    except (VsopError, KeyError) as exc:
        click.echo(f"vsop: error: {exc}", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0
