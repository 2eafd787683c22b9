"""The ``vsop`` command, the one place that speaks click: the group, its commands (grouped by stage of the
flow in :mod:`.record`, :mod:`.guides`, :mod:`.rerecord`, :mod:`.check` and :mod:`.site`, their shared
options in :mod:`.options`), and :func:`main`, where an error becomes a message and an exit code."""

from __future__ import annotations

import sys

import click

from capture import __version__
from capture.errors import VsopError
from generator.cli.check import check_command
from generator.cli.control import approve_command, retire_command
from generator.cli.guides import (
    edit_command,
    export_command,
    generate_command,
    init_command,
    review_command,
    stage_command,
    status_command,
)
from generator.cli.record import demo_command, record_command, tray_command
from generator.cli.rerecord import diff_command, update_command
from generator.cli.site import build_command, serve_command
from generator.errors import explained

COMMANDS = (
    record_command,
    init_command,
    generate_command,
    stage_command,
    export_command,
    edit_command,
    demo_command,
    build_command,
    serve_command,
    tray_command,
    update_command,
    diff_command,
    check_command,
    review_command,
    status_command,
    approve_command,
    retire_command,
)


@click.group()
@click.version_option(__version__, prog_name="vsop")
def cli() -> None:
    """vsop: record a process on any desktop app, get a step-by-step SOP."""


for _command in COMMANDS:
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> int:
    """Run ``vsop`` with ``argv`` (default: the process's arguments); returns the exit code. A
    :class:`~capture.errors.VsopError` is its message on stderr and its ``exit_code``; so is an OSError, as
    :func:`~generator.errors.explained` words it (a read-only library, a full disk: 5); Ctrl+C at a prompt
    130; a usage error click's message and 2."""
    try:
        cli.main(args=argv, prog_name="vsop", standalone_mode=False)
    except (VsopError, OSError) as exc:
        error = explained(exc)
        if error is None:
            raise
        click.echo(f"vsop: error: {error}", err=True)
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("vsop: aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
