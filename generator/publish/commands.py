"""``vsop build`` and ``vsop serve``: parse, call :func:`build_site` or :func:`serve_site`, report."""

from __future__ import annotations

from pathlib import Path

import click

from generator.errors import GuideError
from generator.publish.build import ENGINES

_LIBRARY = click.argument("library", type=click.Path(exists=True, file_okay=False, path_type=Path))
_ENGINE = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="mkdocs",
    show_default=True,
    help="Static site engine: MkDocs with Material, or Zensical.",
)


@click.command("build")
@_LIBRARY
@click.option(
    "--out", "-o", type=click.Path(file_okay=False, path_type=Path), help="Site folder (default LIB/site)."
)
@_ENGINE
def build_command(library: Path, out: Path | None, engine: str) -> None:
    """Build the SOP site of LIBRARY; prints the site folder. Invalid guides are left out and listed."""
    from generator.cli import progress_bar
    from generator.publish.build import build_site

    with progress_bar() as report:
        result = build_site(library, out, engine, report)  # type: ignore[arg-type]
    click.echo(str(result.out))
    click.echo(
        f"{result.project.guides} guides, {len(result.project.rendered)} pages rendered, "
        f"{len(result.project.reused)} unchanged, built with {engine} in {result.seconds:.1f} s",
        err=True,
    )
    if result.failures:
        listing = "\n".join(f"  {f.message}" for f in result.failures)
        raise GuideError(f"{len(result.failures)} guide(s) left out of the site:\n{listing}")


@click.command("serve")
@_LIBRARY
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", "-p", type=int, default=8000, show_default=True, help="Port to listen on.")
@_ENGINE
def serve_command(library: Path, host: str, port: int, engine: str) -> None:
    """Preview the SOP site of LIBRARY with live reload: guides are rendered again when they change."""
    from generator.publish.serve import serve_site

    click.echo(f"Serving {library} on http://{host}:{port}/ (Ctrl+C stops)", err=True)
    serve_site(library, host, port, engine)  # type: ignore[arg-type]
