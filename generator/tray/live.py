"""Steps of a recording in progress, counted as the guide will count them: the events written so far (only
whole lines; read on from where the last call stopped) go through the real segmentation."""

from __future__ import annotations

import json
from pathlib import Path

from capture.format import EVENTS_FILE, META_FILE, event_from_json, meta_from_json
from capture.models import Event, Meta, Recording
from generator.pipeline.segment import segment


class LiveSteps:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.meta: Meta | None = None
        self._offset = 0
        self._events: list[Event] = []

    def count(self) -> int:
        self._read()
        if self.meta is None:
            return 0
        drafts = segment(Recording(self.folder, self.meta, tuple(self._events)))
        return sum(1 for d in drafts if d.dropped is None)

    def _read(self) -> None:
        if self.meta is None:
            try:
                self.meta = meta_from_json(json.loads((self.folder / META_FILE).read_bytes()))
            except (OSError, ValueError):
                return  # not written yet
        path = self.folder / EVENTS_FILE
        try:
            with path.open("rb") as fh:
                fh.seek(self._offset)
                data = fh.read()
        except FileNotFoundError:
            return
        whole = data[: data.rfind(b"\n") + 1]
        self._offset += len(whole)
        for line in whole.splitlines():
            try:
                event = event_from_json(json.loads(line)) if line.strip() else None
            except (ValueError, RecursionError):
                continue  # the loader reports such a line when the guide is made
            if event is not None:
                self._events.append(event)
