"""Steps of a recording in progress, counted as the guide will count them: the events written so far (read by
the loader's follower, which reads on from where the last call stopped) go through the real segmentation."""

from __future__ import annotations

from pathlib import Path

from capture import RecordingError, RecordingFollower
from generator.pipeline.segment import segment


class LiveSteps:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.follower = RecordingFollower(folder)

    def count(self) -> int:
        """Steps so far; 0 before the recorder has written meta.json, or if it is not a recording's (the
        count is a hint in the tray's tooltip; making the guide reports such a recording)."""
        try:
            recording = self.follower.recording()
        except RecordingError:
            return 0
        if recording is None:
            return 0
        return sum(1 for d in segment(recording) if d.dropped is None)
