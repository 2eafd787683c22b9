"""Whether Qt (PySide6, the optional extra ``vsop[tray]``) can run here; says how to fix it when not."""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import sys

from capture.errors import BackendUnavailableError


def require_qt() -> None:
    if importlib.util.find_spec("PySide6") is None:
        raise BackendUnavailableError(
            "vsop tray needs Qt for Python (PySide6-Essentials), which is not installed: "
            "pip install 'vsop[tray]'"
        )
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        raise BackendUnavailableError("no display: run vsop tray inside a desktop session (DISPLAY not set)")
    if ctypes.util.find_library("xcb-cursor") is None:
        raise BackendUnavailableError(
            "libxcb-cursor0 not found; Qt's X11 plugin needs it: apt-get install libxcb-cursor0"
        )
