"""The ``vsop`` command: one subcommand per module; errors become a message and an exit code."""

from __future__ import annotations

import sys

import click

from capture import __version__
from capture.cli import record
from capture.errors import VsopError


@click.group()
@click.version_option(__version__, prog_name="vsop")
def cli() -> None:
    """vsop: record a process on any desktop app, get a step-by-step SOP."""


cli.add_command(record)


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
