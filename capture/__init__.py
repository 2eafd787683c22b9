"""Recorder side of vsop: capture screenshots and input events into a recording folder.

The generator reads recordings only through :func:`load_recording` (a finished recording) and
:class:`RecordingFollower` (one still being written).
"""

from capture.errors import BackendUnavailableError, FormatVersionError, RecorderBusyError, RecordingError
from capture.loader import RecordingFollower, load_recording
from capture.models import Recording

__version__ = "0.1.0"

__all__ = [
    "BackendUnavailableError",
    "FormatVersionError",
    "RecorderBusyError",
    "Recording",
    "RecordingError",
    "RecordingFollower",
    "__version__",
    "load_recording",
]
