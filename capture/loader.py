"""Read a recording folder back into typed records, tolerating what a crash leaves behind."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

from capture.errors import FormatVersionError, RecordingError
from capture.format import (
    EVENTS_FILE,
    FORMAT_VERSION,
    FRAMES_DIR,
    META_FILE,
    FormatViolation,
    event_from_json,
    meta_from_json,
)
from capture.models import CaptureEvent, Event, Meta, MouseButtonEvent, Problem, Recording

log = logging.getLogger(__name__)


def load_recording(path: str | Path) -> Recording:
    """Load ``path``; unreadable event lines and missing frames become ``problems``, not failures.

    Raises RecordingError when the folder is not a recording at all, and FormatVersionError when a newer
    vsop wrote it.
    """
    root = Path(path)
    meta = _load_meta(root)
    events_file = root / EVENTS_FILE
    if not events_file.is_file():
        raise RecordingError(
            f"{events_file}: missing; a recording folder holds {EVENTS_FILE} beside {META_FILE}"
        )
    problems: list[Problem] = []
    events: list[Event] = []
    skipped = unknown = 0
    with events_file.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                event = event_from_json(_parse(raw))
            except (
                ValueError,
                RecursionError,
            ) as exc:  # JSON, UTF-8 and FormatViolation errors are ValueErrors
                skipped += 1
                reason = "truncated line (the recorder stopped mid-write)" if not raw.endswith(b"\n") else exc
                problems.append(Problem(EVENTS_FILE, number, f"skipped: {reason}"))
                continue
            if event is None:
                unknown += 1
                continue
            events.append(_check_frame(root, event, number, problems))
    for problem in problems:
        log.warning("%s/%s", root, problem)
    return Recording(root, meta, tuple(events), tuple(problems), skipped, unknown)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _parse(raw: bytes) -> object:
    """Strict JSON: UTF-8 only, and no NaN or Infinity (which Python's json would accept)."""
    return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)


def _load_meta(root: Path) -> Meta:
    meta_file = root / META_FILE
    if not root.is_dir():
        raise RecordingError(f"{root}: not a folder; expected a recording folder made by `vsop record`")
    if not meta_file.is_file():
        raise RecordingError(f"{meta_file}: missing; {root} is not a vsop recording (made by `vsop record`)")
    try:
        data = _parse(meta_file.read_bytes())
    except json.JSONDecodeError as exc:
        raise RecordingError(f"{meta_file}:{exc.lineno}: not valid JSON ({exc.msg})") from exc
    except (ValueError, RecursionError) as exc:
        raise RecordingError(f"{meta_file}: not valid JSON ({exc})") from exc
    version = data.get("format") if isinstance(data, dict) else None
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise FormatVersionError(
            f"{meta_file}: recording format {version} is newer than this vsop reads "
            f"(format {FORMAT_VERSION}); upgrade vsop to read it"
        )
    try:
        return meta_from_json(data)
    except FormatViolation as exc:
        raise RecordingError(f"{meta_file}: {exc}") from exc


def _check_frame(root: Path, event: Event, line: int, problems: list[Problem]) -> Event:
    """Keep the event; drop its frame reference (and say so) when the frame file is not there."""
    if not isinstance(event, (MouseButtonEvent, CaptureEvent)) or event.frame is None:
        return event
    if (root / FRAMES_DIR / event.frame.file).is_file():
        return event
    problems.append(
        Problem(
            f"{FRAMES_DIR}/{event.frame.file}", None, f"missing (referenced by {EVENTS_FILE} line {line})"
        )
    )
    return replace(event, frame=None)
