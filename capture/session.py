"""One recording session from start to stop: the default folder of a new recording, a recorder with this
platform's accessibility backend, and a run of it until Ctrl+C, SIGTERM or the stop hotkey (what ``vsop
record`` does)."""

from __future__ import annotations

import signal
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from capture.errors import BackendUnavailableError
from capture.recorder import Recorder, RecorderOptions, say_on_stderr

if TYPE_CHECKING:
    from capture.accessibility import AccessibilityBackend


def default_out(title: str | None) -> Path:
    """``recordings/<date>-<time>-<title slug>``: sorted by when it was made, named by what it shows."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    slug = "".join(c if c.isalnum() else "-" for c in (title or "").lower()).strip("-")[:40]
    return Path("recordings") / (f"{stamp}-{slug}" if slug else stamp)


def open_accessibility_or_say(say: Callable[[str], None] = say_on_stderr) -> AccessibilityBackend | None:
    """This platform's accessibility backend (on Linux it finds or starts the accessibility bus and turns the
    status toolkits watch on); None, with the reason said, where it cannot run: the recording goes on and OCR
    names its steps."""
    from capture.accessibility import open_accessibility

    try:
        return open_accessibility()
    except BackendUnavailableError as exc:
        say(f"{exc}\nRecording without the accessibility tree: OCR will name the steps.")
        return None


def new_recorder(
    options: RecorderOptions, accessibility: bool = True, say: Callable[[str], None] = say_on_stderr
) -> Recorder:
    """A recorder that asks the accessibility tree what each input acted on, unless ``accessibility`` is
    False; notices for the person go to ``say``."""
    backend = open_accessibility_or_say(say) if accessibility else None
    return Recorder(options, backend, say)


def record_until_stopped(
    options: RecorderOptions, started: Callable[[Path], None], accessibility: bool = True
) -> Path:
    """Record until the stop hotkey, SIGINT or SIGTERM; ``started`` is told the folder once the recorder
    listens. Returns the folder once the recording is finalized; the signal handlers are restored.
    ``accessibility``: ask the accessibility tree what each input acted on."""
    recorder = new_recorder(options, accessibility)

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
