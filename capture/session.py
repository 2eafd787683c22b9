"""One recording session from start to stop: the default folder of a new recording, and a run of the
:class:`~capture.recorder.Recorder` until Ctrl+C, SIGTERM or the stop hotkey (what ``vsop record`` does)."""

from __future__ import annotations

import signal
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import FrameType

from capture.recorder import Recorder, RecorderOptions


def default_out(title: str | None) -> Path:
    """``recordings/<date>-<time>-<title slug>``: sorted by when it was made, named by what it shows."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    slug = "".join(c if c.isalnum() else "-" for c in (title or "").lower()).strip("-")[:40]
    return Path("recordings") / (f"{stamp}-{slug}" if slug else stamp)


def record_until_stopped(options: RecorderOptions, started: Callable[[Path], None]) -> Path:
    """Record until the stop hotkey, SIGINT or SIGTERM; ``started`` is told the folder once the recorder
    listens. Returns the folder once the recording is finalized; the signal handlers are restored."""
    recorder = Recorder(options)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        recorder.stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        path = recorder.start()
        started(path)
        while not recorder.wait(0.5):
            pass
    finally:
        recorder.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return path
