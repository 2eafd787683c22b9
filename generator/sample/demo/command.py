"""The ``vsop demo`` command: make the sample library, build its site, serve it until Ctrl+C."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from generator.errors import GuideError
from generator.sample.demo.library import DEFAULT_FOLDER

if TYPE_CHECKING:
    from generator.publish import Engine

HOST = "127.0.0.1"


@click.command()
@click.option(
    "--library",
    "-l",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_FOLDER,
    show_default=True,
    help="Folder of the sample library: new, empty, or a vsop library (guides already there are kept).",
)
@click.option(
    "--live", is_flag=True, help="First perform and record every scenario for real on a private Xvfb display."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to serve on."
)
@click.option("--no-serve", is_flag=True, help="Build the site, print its folder and exit.")
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="Site builder.",
)
@click.option(
    "--scenario",
    "scenarios",
    multiple=True,
    metavar="ID",
    help="Only this sample scenario (repeatable; mostly with --live, to record fewer).",
)
def demo(
    library: Path, live: bool, port: int, no_serve: bool, engine: str, scenarios: tuple[str, ...]
) -> None:
    """Make a sample library of guides from real recordings of the sample app, build its SOP site and serve it
    on http://127.0.0.1:PORT (Ctrl+C stops)."""
    from generator.cli import progress_bar
    from generator.publish import build_site, serve_site
    from generator.sample.demo.library import make_demo_library

    with progress_bar() as report:
        guides = make_demo_library(library, live=live, progress=report, scenarios=scenarios)
    click.echo(f"{library}: {len(guides)} guides", err=True)
    site_engine = cast("Engine", engine)
    with progress_bar() as report:
        result = build_site(library, engine=site_engine, progress=report)
    if result.failures:
        listing = "\n".join(f"  {f.message}" for f in result.failures)
        raise GuideError(f"{len(result.failures)} guide(s) left out of the site:\n{listing}")
    if no_serve:
        click.echo(str(result.out))
        return
    click.echo(f"Serving the SOP site of {library} on http://{HOST}:{port}/ (Ctrl+C stops)")
    serve_site(library, host=HOST, port=port, engine=site_engine)  # returns on Ctrl+C or SIGTERM
