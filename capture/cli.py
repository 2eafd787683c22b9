"""``vsop record``: thin glue between the command line and :class:`capture.recorder.Recorder`."""

from __future__ import annotations

import signal
import sys
from datetime import datetime
from pathlib import Path
from types import FrameType

import click

from capture.keys import Hotkeys
from capture.recorder import Recorder, RecorderOptions


def default_out(title: str | None) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    slug = "".join(c if c.isalnum() else "-" for c in (title or "").lower()).strip("-")[:40]
    return Path("recordings") / (f"{stamp}-{slug}" if slug else stamp)


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Recording folder to create.")
@click.option("--title", help="Title of the process being recorded.")
@click.option("--stage", help="Value-stream stage id the process belongs to.")
@click.option("--stop-key", default="ctrl+alt+s", show_default=True, help="Hotkey that stops recording.")
@click.option("--pause-key", default="ctrl+alt+p", show_default=True, help="Hotkey that pauses/resumes.")
@click.option(
    "--capture-key", default="ctrl+alt+c", show_default=True, help="Hotkey that records a screenshot step."
)
@click.option("--no-text", is_flag=True, help="Record key names but never the characters typed.")
def record(
    out: Path | None,
    title: str | None,
    stage: str | None,
    stop_key: str,
    pause_key: str,
    capture_key: str,
    no_text: bool,
) -> None:
    """Record screenshots and input events until stopped (Ctrl+C, SIGTERM or the stop hotkey).

    Prints the recording folder on the first line of stdout once the recorder is listening.
    """
    hotkeys = Hotkeys.parse(stop_key, pause_key, capture_key)
    options = RecorderOptions(out or default_out(title), title, stage, hotkeys, no_text)
    recorder = Recorder(options)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        recorder.stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        path = recorder.start()
        click.echo(str(path))
        sys.stdout.flush()
        click.echo(
            f"Recording. Stop: {hotkeys.stop}  Pause: {hotkeys.pause}  Capture: {hotkeys.capture}", err=True
        )
        while not recorder.wait(0.5):
            pass
    finally:
        recorder.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo(f"Saved {path}", err=True)
