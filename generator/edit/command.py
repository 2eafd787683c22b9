"""The ``vsop edit`` command: start the editor of one guide and serve it until Ctrl+C."""

from __future__ import annotations

from pathlib import Path

import click

from generator.edit.server import start_editor
from generator.library.layout import resolve_guide


@click.command("edit")
@click.argument("guide")
@click.option(
    "--library", "-l", type=click.Path(file_okay=False, path_type=Path), help="Library of GUIDE ids."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: a free one)."
)
@click.option(
    "--no-browser", is_flag=True, help="Do not open the browser; the URL is the first line printed."
)
def edit_command(guide: str, library: Path | None, port: int, no_browser: bool) -> None:
    """Review and edit GUIDE (a guide folder, its guide.yml, or an id with --library) in the browser."""
    server = start_editor(resolve_guide(guide, library), open_browser=not no_browser, port=port)
    click.echo(server.url)
    click.echo(f"Editing {server.session.guide_file}; every change is saved at once. Ctrl+C stops.", err=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        click.echo("Editor stopped.", err=True)
    finally:
        server.close()
