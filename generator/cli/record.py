"""The commands that record a process: ``vsop record`` (the recorder alone), ``vsop tray`` (recorder, notes
and guide from the system tray) and ``vsop demo`` (the sample library, recorded live or from fixtures)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from capture.frames import DEFAULT_FORMAT, FORMATS
from capture.keys import Hotkeys
from capture.recorder import RecorderOptions
from capture.session import default_out, record_until_stopped
from generator.cli.options import engine_option, library_option, progress_bar
from generator.cli.site import refuse_left_out
from generator.publish.engine import Engine
from generator.sample.demo.library import DEFAULT_FOLDER

DEMO_HOST = "127.0.0.1"


@click.command("record")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Recording folder to create.")
@click.option("--title", help="Title of the process being recorded.")
@click.option("--stage", help="Value-stream stage id the process belongs to.")
@click.option("--stop-key", default="ctrl+alt+s", show_default=True, help="Hotkey that stops recording.")
@click.option("--pause-key", default="ctrl+alt+p", show_default=True, help="Hotkey that pauses/resumes.")
@click.option(
    "--capture-key", default="ctrl+alt+c", show_default=True, help="Hotkey that records a screenshot step."
)
@click.option("--no-text", is_flag=True, help="Record key names but never the characters typed.")
@click.option(
    "--no-accessibility",
    is_flag=True,
    help="Do not ask the accessibility tree what each input acted on (OCR names every step).",
)
@click.option(
    "--frame-format",
    type=click.Choice(sorted(FORMATS)),
    default=DEFAULT_FORMAT,
    show_default=True,
    help="How screenshots are stored: lossless WebP, or PNG as before recording format 2.",
)
def record_command(
    out: Path | None,
    title: str | None,
    stage: str | None,
    stop_key: str,
    pause_key: str,
    capture_key: str,
    no_text: bool,
    no_accessibility: bool,
    frame_format: str,
) -> None:
    """Record screenshots and input events until stopped (Ctrl+C, SIGTERM or the stop hotkey).

    Prints the recording folder on the first line of stdout once the recorder is listening.
    """
    hotkeys = Hotkeys.parse(stop_key, pause_key, capture_key)

    def started(path: Path) -> None:
        click.echo(str(path))
        sys.stdout.flush()
        click.echo(
            f"Recording. Stop: {hotkeys.stop}  Pause: {hotkeys.pause}  Capture: {hotkeys.capture}", err=True
        )

    path = record_until_stopped(
        RecorderOptions(out or default_out(title), title, stage, hotkeys, no_text, frame_format),
        started,
        accessibility=not no_accessibility,
    )
    click.echo(f"Saved {path}", err=True)


@click.command("tray")
@library_option(
    default=Path("sops"), help="Library folder; made (as vsop init makes it) when it does not exist."
)
def tray_command(library: Path) -> None:
    """Run vsop in the system tray: record a process, add notes, make its guide, open the SOP site."""
    from generator.tray.qt import require_qt

    require_qt()
    from generator.tray.app import run

    run(library)


@click.command("demo")
@library_option(
    default=DEFAULT_FOLDER,
    help="Folder of the sample library: new, empty, or a vsop library (guides already there are kept).",
)
@click.option(
    "--live", is_flag=True, help="First perform and record every scenario for real on a private Xvfb display."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to serve on."
)
@click.option("--no-serve", is_flag=True, help="Build the site, print its folder and exit.")
@engine_option(help="Site builder.")
@click.option(
    "--scenario",
    "scenarios",
    multiple=True,
    metavar="ID",
    help="Only this sample scenario (repeatable; mostly with --live, to record fewer).",
)
def demo_command(
    library: Path, live: bool, port: int, no_serve: bool, engine: Engine, scenarios: tuple[str, ...]
) -> None:
    """Make a sample library of guides from real recordings of the sample app, build its SOP site and serve it
    on http://127.0.0.1:PORT (Ctrl+C stops)."""
    from generator.publish import build_site, serve_site
    from generator.sample.demo.library import make_demo_library

    with progress_bar() as report:
        guides = make_demo_library(library, live=live, progress=report, scenarios=scenarios)
    click.echo(f"{library}: {len(guides)} guides", err=True)
    with progress_bar() as report:
        result = build_site(library, engine=engine, progress=report)
    refuse_left_out(result.failures)
    if no_serve:
        click.echo(str(result.out))
        return
    click.echo(f"Serving the SOP site of {library} on http://{DEMO_HOST}:{port}/ (Ctrl+C stops)")
    serve_site(library, host=DEMO_HOST, port=port, engine=engine)  # returns on Ctrl+C or SIGTERM
