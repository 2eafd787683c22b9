"""The ``vsop`` command, the one place that speaks click: the group, its commands (grouped by stage of the
flow in :mod:`.record`, :mod:`.guides`, :mod:`.rerecord`, :mod:`.check`, :mod:`.control` and :mod:`.site`,
their shared options in :mod:`.options`), each imported only when it runs (:mod:`.lazy`), and :func:`main`,
where an error becomes a message and an exit code."""

from __future__ import annotations

import sys

import click

from capture import __version__
from capture.errors import VsopError
from generator.cli.lazy import Lazy, LazyGroup
from generator.errors import explained


def _lazy(module: str, attribute: str, summary: str) -> Lazy:
    return Lazy(f"generator.cli.{module}", attribute, summary)


COMMANDS = {  # each command's module is imported only when it runs; its summary is the line of vsop --help
    "record": _lazy(
        "record",
        "record_command",
        "Record screenshots and input events until stopped (Ctrl+C, SIGTERM or the stop hotkey).",
    ),
    "init": _lazy(
        "guides",
        "init_command",
        "Make LIBRARY a vsop library (valuestream.yml, vsop.yml, .gitignore, guides/); keeps existing files.",
    ),
    "generate": _lazy(
        "guides",
        "generate_command",
        "Turn RECORDING into a step-by-step guide in the library; prints the guide's folder.",
    ),
    "stage": _lazy(
        "guides",
        "stage_command",
        "Show the value-stream stage of GUIDE, set it to STAGE, or --confirm an automatic link.",
    ),
    "export": _lazy(
        "guides",
        "export_command",
        "Export GUIDE (a guide folder, its guide.yml, or an id with --library) as one file; prints its path.",
    ),
    "edit": _lazy(
        "guides",
        "edit_command",
        "Review and edit GUIDE (a guide folder, its guide.yml, or an id with --library) in the browser.",
    ),
    "demo": _lazy(
        "record",
        "demo_command",
        "Make a sample library of guides from real recordings of the sample app, build its SOP site and "
        "serve it on http://127.0.0.1:PORT (Ctrl+C stops).",
    ),
    "build": _lazy(
        "site",
        "build_command",
        "Build the SOP site of LIBRARY (approved versions; --drafts adds drafts); prints the site folder.",
    ),
    "serve": _lazy(
        "site",
        "serve_command",
        "Preview the SOP site of LIBRARY with live reload: guides are rendered again when they change.",
    ),
    "tray": _lazy(
        "record",
        "tray_command",
        "Run vsop in the system tray: record a process, add notes, make its guide, open the SOP site.",
    ),
    "update": _lazy(
        "rerecord",
        "update_command",
        "Make RECORDING, a new recording of GUIDE's process, the guide's next version; prints what changed.",
    ),
    "diff": _lazy(
        "rerecord",
        "diff_command",
        "Compare GUIDE with RECORDING, a new recording of its process, without writing anything.",
    ),
    "check": _lazy(
        "check",
        "check_command",
        "Check RECORDING, someone performing GUIDE's process, against the guide: steps followed, skipped, "
        "extra, out of order or with another value, and each step's time against the guide's median.",
    ),
    "review": _lazy(
        "guides",
        "review_command",
        "Mark GUIDE as reviewed today (or on --date); prints when the next review is due.",
    ),
    "status": _lazy(
        "guides",
        "status_command",
        "List the guides of LIBRARY with version and review dates, the drafts awaiting approval and the "
        "retired guides, and the maturity of each stage with its next steps; exit 1 when any guide is "
        "overdue for review (or, with --fail-on, a draft).",
    ),
    "approve": _lazy(
        "control",
        "approve_command",
        "Approve the current version of GUIDE: it becomes the published, effective version.",
    ),
    "retire": _lazy(
        "control",
        "retire_command",
        'Take GUIDE out of use: off the active pages, listed under "Retired SOPs", kept in the library.',
    ),
}


@click.group(cls=LazyGroup, lazy=COMMANDS)
@click.version_option(__version__, prog_name="vsop")
def cli() -> None:
    """vsop: record a process on any desktop app, get a step-by-step SOP."""


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
