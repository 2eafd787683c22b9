"""What the tray does with the library, without Qt: where recordings go, the recorder started, the guide and
the site made (on a background job), and the tray's log (``LIB/.vsop-cache/tray.log``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from capture.exclusion import Exclusion
from capture.keys import Hotkeys
from capture.recorder import Recorder, RecorderOptions
from capture.session import default_out, new_recorder
from generator.errors import GuideError
from generator.library.layout import CACHE_DIR, GUIDES_DIR
from generator.tray.jobs import Progress

RECORDINGS_DIR = "recordings"
LOG_FILE = "tray.log"


@dataclass(frozen=True, slots=True)
class Request:
    """What the Start recording dialog asked: the guide's title and its value-stream stage (None: matched)."""

    title: str
    stage: str | None


def prepare_library(library: Path) -> None:
    """A folder that does not exist yet becomes a new library (``vsop init``); one that exists is kept."""
    if not library.exists():
        from generator.library.scaffold import init_library

        init_library(library)


def recording_folder(library: Path, title: str) -> Path:
    """``LIB/recordings/<date>-<time>-<title>``, like ``vsop record``'s default, never an existing folder."""
    base = library / RECORDINGS_DIR / default_out(title).name
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    return folder


def start_recording(library: Path, request: Request, exclusion: Exclusion, hotkeys: Hotkeys) -> Recorder:
    """A recorder listening into a new recording folder of the library; input on the tray is excluded. It asks
    the accessibility tree what each input acted on; its notices (an application that exposes nothing) go to
    the tray's log."""
    out = recording_folder(library, request.title)
    options = RecorderOptions(out, request.title, request.stage, hotkeys, exclusion=exclusion)

    def say(message: str) -> None:
        log(library, message)

    recorder = new_recorder(options, say=say)
    recorder.start()
    return recorder


def make_guide(recorder: Recorder, library: Path, progress: Progress) -> Path:
    """Finish the recording (complete on disk whatever happens next), then make its guide; its folder."""
    from generator.pipeline.generate import generate

    progress("Saving the recording", 0, 1)
    recorder.close()
    try:
        return generate(recorder.options.out, library, progress=progress)
    except OSError as exc:
        raise GuideError(
            f"{exc.filename or library}: cannot write the guide ({exc.strerror or exc}); the library "
            f"{library} and its {GUIDES_DIR}/ must be folders you can write"
        ) from exc


def build(library: Path, progress: Progress) -> Path:
    """Build the SOP site as its author sees it (drafts shown, as ``vsop serve`` does: the guide just made is
    one); its home page. Guides left out (invalid) are an error, listed."""
    from generator.publish.build import build_site

    result = build_site(library, progress=progress, drafts=True)
    if result.failures:
        listing = "\n".join(f.message for f in result.failures)
        raise GuideError(f"{len(result.failures)} guide(s) left out of the site:\n{listing}")
    return result.out / "index.html"


def log_path(library: Path) -> Path:
    return library / CACHE_DIR / LOG_FILE


def log(library: Path, message: str) -> Path | None:
    """Append a time-stamped entry to the tray's log; where the library cannot be written, to stderr."""
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    entry = f"{stamp} {message.rstrip()}\n"
    path = log_path(library)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(entry)
    except OSError as exc:
        sys.stderr.write(f"vsop tray: cannot write {path} ({exc}): {entry}")
        return None
    return path
