"""The commands of the SOP site: ``vsop build`` (the static site of a library) and ``vsop serve`` (a preview
that renders guides again when they change)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from generator.cli.options import engine_option, library_argument, progress_bar
from generator.errors import GuideError
from generator.library.scan import Failure
from generator.publish.engine import Engine


@click.command("build")
@library_argument()
@click.option(
    "--out", "-o", type=click.Path(file_okay=False, path_type=Path), help="Site folder (default LIB/site)."
)
@engine_option()
@click.option(
    "--drafts", is_flag=True, help='Also publish drafts (for authors), under a "Draft, not approved" banner.'
)
def build_command(library: Path, out: Path | None, engine: Engine, drafts: bool) -> None:
    """Build the SOP site of LIBRARY (approved versions; --drafts adds drafts); prints the site folder.
    Invalid guides are left out and listed."""
    from generator.publish.build import build_site

    with progress_bar() as report:
        result = build_site(library, out, engine, report, drafts)
    click.echo(str(result.out))
    click.echo(
        f"{result.project.guides} guides, {len(result.project.rendered)} pages rendered, "
        f"{len(result.project.reused)} unchanged, built with {engine} in {result.seconds:.1f} s",
        err=True,
    )
    if result.project.pending and not drafts:
        click.echo(
            f"note: {len(result.project.pending)} draft(s) awaiting approval (vsop status lists them; "
            "vsop approve GUIDE approves one, vsop build --drafts previews them)",
            err=True,
        )
    refuse_left_out(result.failures)


def refuse_left_out(failures: Sequence[Failure]) -> None:
    """Fail the command (exit 1) when guides were left out of the site, listing each with its error."""
    if failures:
        listing = "\n".join(f"  {f.message}" for f in failures)
        raise GuideError(f"{len(failures)} guide(s) left out of the site:\n{listing}")


@click.command("serve")
@library_argument()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", "-p", type=int, default=8000, show_default=True, help="Port to listen on.")
@engine_option()
def serve_command(library: Path, host: str, port: int, engine: Engine) -> None:
    """Preview the SOP site of LIBRARY with live reload: guides are rendered again when they change."""
    from generator.publish.serve import serve_site

    click.echo(f"Serving {library} on http://{host}:{port}/ (Ctrl+C stops)", err=True)
    serve_site(library, host, port, engine)
