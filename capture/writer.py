"""Write a recording folder: meta.json, events.jsonl (flushed per event), frames/*.webp or *.png (atomic).

One writer owns a folder at a time; an OS lock on ``.lock`` keeps a second recorder out, and the OS
releases it even when the recorder is killed.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from capture.errors import RecorderBusyError, RecordingError
from capture.files import atomic_write, atomic_write_text
from capture.format import EVENTS_FILE, FRAMES_DIR, LOCK_FILE, META_FILE, to_json
from capture.frames import DEFAULT_FORMAT, FORMATS, FrameFormat, encode_grab
from capture.models import Event, Meta


class RecordingWriter:
    def __init__(self, root: Path, meta: Meta, frame_format: FrameFormat = FORMATS[DEFAULT_FORMAT]) -> None:
        self.root = root
        self.meta = meta
        self.frame_format = frame_format
        self._lock_fh: IO[str] | None = None
        self._events: IO[bytes] | None = None
        self._write_lock = threading.Lock()
        self._frame_count = 0

    def open(self) -> None:
        self.frame_format.check()
        self.root.parent.mkdir(parents=True, exist_ok=True)
        self.root.mkdir(mode=0o700, exist_ok=True)  # a screen can show anything: owner only
        self._lock_fh = _acquire_lock(self.root / LOCK_FILE)
        if (self.root / EVENTS_FILE).exists():
            self._release()
            raise RecordingError(
                f"{self.root}: already holds a recording; choose another folder with --out "
                "(vsop never writes over a recording)"
            )
        os.chmod(self.root, 0o700)  # also a folder that existed (empty, or the tray's): owner only
        (self.root / FRAMES_DIR).mkdir(exist_ok=True)
        self._write_meta()
        self._events = (self.root / EVENTS_FILE).open("ab")

    def append(self, event: Event) -> None:
        """Append one event line and flush it to the OS, so a killed recorder loses at most this line."""
        line = (
            json.dumps(to_json(event), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode(
                "utf-8"
            )
            + b"\n"
        )
        with self._write_lock:
            assert self._events is not None, "append() before open()"
            self._events.write(line)
            self._events.flush()

    def next_frame_name(self) -> str:
        self._frame_count += 1
        return f"{self._frame_count:06d}{self.frame_format.suffix}"

    def write_frame(self, name: str, raw: bytes | bytearray, size: tuple[int, int]) -> None:
        """Encode a BGRX screen grab in the frame format under frames/, atomically."""
        atomic_write(self.root / FRAMES_DIR / name, lambda fh: encode_grab(self.frame_format, raw, size, fh))

    def close(self, ended: str) -> None:
        self.meta = replace(self.meta, ended=ended)
        if self._events is not None:
            self._events.close()
            self._events = None
        self._write_meta()
        self._release()

    def _write_meta(self) -> None:
        data: dict[str, Any] = to_json(self.meta)
        atomic_write_text(self.root / META_FILE, json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def _release(self) -> None:
        if self._lock_fh is not None:
            self._lock_fh.close()
            self._lock_fh = None


def _acquire_lock(path: Path) -> IO[str]:
    fh = path.open("a+", encoding="utf-8")
    try:
        _lock_file(fh)
    except OSError:
        fh.seek(0)
        holder = fh.read().strip() or "another process"
        fh.close()
        raise RecorderBusyError(
            f"{path.parent}: another recorder (pid {holder}) is recording into this folder; "
            "stop it first or choose another folder with --out"
        ) from None
    fh.seek(0)
    fh.truncate()
    fh.write(str(os.getpid()))
    fh.flush()
    return fh


def _lock_file(fh: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
