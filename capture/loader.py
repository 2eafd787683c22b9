"""Read a recording folder back into typed records, tolerating what a crash leaves behind.

``load_recording`` reads a finished (or crashed) recording at once; ``RecordingFollower`` reads one that a
recorder is still writing, a little more at each call. Both refuse a bad line the same way.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from capture.errors import FormatVersionError, RecordingError
from capture.files import open_regular, read_regular, size_text
from capture.format import (
    EVENTS_FILE,
    FORMAT_VERSION,
    FRAMES_DIR,
    META_FILE,
    NOTE_LIMIT,
    FormatViolation,
    event_from_json,
    meta_from_json,
)
from capture.models import CaptureEvent, Event, Meta, MouseButtonEvent, Problem, Recording

log = logging.getLogger(__name__)

MAX_LINE = 1 << 20  # bytes of one events.jsonl line: an event with the largest note is about 60 KB
MAX_META = 1 << 20  # bytes of meta.json (a few hundred, a few KB with many monitors)


def load_recording(path: str | Path) -> Recording:
    """Load ``path``; unreadable event lines and missing frames become ``problems``, not failures.

    Raises RecordingError when the folder is not a recording at all, and FormatVersionError when a newer
    vsop wrote it.
    """
    root = Path(path)
    meta = _load_meta(root)
    events_file = root / EVENTS_FILE
    if not events_file.exists():
        raise RecordingError(
            f"{events_file}: missing; a recording folder holds {EVENTS_FILE} beside {META_FILE}"
        )
    lines = _EventLines()
    events: list[Event] = []
    with open_regular(events_file, RecordingError, "events.jsonl") as fh:
        for raw in _bounded_lines(fh):
            event = lines.decode(raw)
            if event is not None:
                events.append(_check_frame(root, event, lines.number, lines.problems))
    for problem in lines.problems:
        log.warning("%s/%s", root, problem)
    return Recording(root, meta, tuple(events), tuple(lines.problems), lines.skipped, lines.unknown)


class RecordingFollower:
    """A recording that a recorder is still writing, read as it grows: the tray counts its steps, the sample
    driver and the tests wait for an input to be written.

    Each :meth:`poll` decodes only the lines completed since the last one; a line still being written is left
    for the next poll. A complete line is refused exactly as :func:`load_recording` refuses it (a problem,
    counted in ``skipped_lines``). Frame references are kept as written: the recorder encodes a frame after it
    writes the line that names it, so a frame not on disk yet is not missing.
    """

    def __init__(self, path: str | Path) -> None:
        self.root = Path(path)
        self.meta: Meta | None = None
        self._lines = _EventLines()
        self._events: list[Event] = []
        self._offset = 0

    def poll(self) -> tuple[Event, ...]:
        """The events of the lines completed since the last poll (none before meta.json is written).

        Raises RecordingError or FormatVersionError, as load_recording does, when meta.json is not a
        recording's; it is read again at each poll, so ``meta.ended`` shows when the recorder finished.
        """
        if (self.root / META_FILE).is_file():
            self.meta = _load_meta(self.root)
        if self.meta is None:
            return ()
        known = len(self._lines.problems)
        new: list[Event] = []
        for raw in _bounded_lines(io.BytesIO(self._completed())):  # split as load_recording splits
            event = self._lines.decode(raw)
            if event is not None:
                new.append(event)
        for problem in self._lines.problems[known:]:
            log.warning("%s/%s", self.root, problem)
        self._events += new
        return tuple(new)

    def recording(self) -> Recording | None:
        """The recording so far, after a poll; None before meta.json is written."""
        self.poll()
        if self.meta is None:
            return None
        lines = self._lines
        return Recording(
            self.root, self.meta, tuple(self._events), tuple(lines.problems), lines.skipped, lines.unknown
        )

    @property
    def events(self) -> tuple[Event, ...]:
        """Every event read so far (call :meth:`poll` to read on)."""
        return tuple(self._events)

    def _completed(self) -> bytes:
        """The lines completed in events.jsonl since the last call; the offset moves past them."""
        try:
            with (self.root / EVENTS_FILE).open("rb") as fh:
                fh.seek(self._offset)
                data = fh.read()
        except FileNotFoundError:  # meta.json is written first
            return b""
        whole = data[: data.rfind(b"\n") + 1]
        self._offset += len(whole)
        return whole


class _EventLines:
    """events.jsonl decoded one line at a time, with the count of what was refused or unknown."""

    def __init__(self) -> None:
        self.number = 0  # of the last line decoded, 1-based, blank lines included
        self.problems: list[Problem] = []
        self.skipped = 0
        self.unknown = 0

    def decode(self, raw: bytes | None) -> Event | None:
        """The event of the next line; None for a blank line, an unknown event type or a refused line (None
        for ``raw``: a line longer than ``MAX_LINE``, left unread)."""
        self.number += 1
        if raw is not None and not raw.strip():
            return None
        try:
            if raw is None:
                raise FormatViolation(
                    f"longer than {size_text(MAX_LINE)}, more than any event the recorder writes (a note "
                    f"holds at most {NOTE_LIMIT:,} characters)"
                )
            event = event_from_json(_parse(raw))
        except (ValueError, RecursionError) as exc:  # JSON, UTF-8 and FormatViolation errors are ValueErrors
            self.skipped += 1
            truncated = raw is not None and not raw.endswith(b"\n")
            reason = "truncated line (the recorder stopped mid-write)" if truncated else exc
            self.problems.append(Problem(EVENTS_FILE, self.number, f"skipped: {reason}"))
            return None
        if event is None:
            self.unknown += 1
        return event


def _bounded_lines(fh: BinaryIO) -> Iterator[bytes | None]:
    """The lines of ``fh`` split at b"\\n"; a line longer than ``MAX_LINE`` is None, and what is left of it
    is skipped without being held in memory."""
    while line := fh.readline(MAX_LINE + 1):
        if len(line) <= MAX_LINE or line.endswith(b"\n"):
            yield line
            continue
        while (rest := fh.readline(MAX_LINE)) and not rest.endswith(b"\n"):
            pass
        yield None


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _parse(raw: bytes) -> object:
    """Strict JSON: UTF-8 only, and no NaN or Infinity (which Python's json would accept)."""
    return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)


def _load_meta(root: Path) -> Meta:
    meta_file = root / META_FILE
    if not root.is_dir():
        raise RecordingError(f"{root}: not a folder; expected a recording folder made by `vsop record`")
    if not meta_file.exists():
        raise RecordingError(f"{meta_file}: missing; {root} is not a vsop recording (made by `vsop record`)")
    raw = read_regular(meta_file, MAX_META, RecordingError, "a recording's meta.json")
    try:
        data = _parse(raw)
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
