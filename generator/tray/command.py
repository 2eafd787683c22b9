"""``vsop tray``: thin glue between the command line and :mod:`generator.tray.app`."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("tray")
@click.option(
    "--library",
    "-l",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("sops"),
    show_default=True,
    help="Library folder; made (as vsop init makes it) when it does not exist.",
)
def tray_command(library: Path) -> None:
    """Run vsop in the system tray: record a process, add notes, make its guide, open the SOP site."""
    from generator.tray.qt import require_qt

    require_qt()
    from generator.tray.app import run

    run(library)
