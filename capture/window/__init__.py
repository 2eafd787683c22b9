"""The active window (title, application, geometry), behind a small per-platform interface.

``VSOP_WINDOW_BACKEND`` forces a backend: ``xorg``, ``win32`` or ``dummy`` (knows nothing, for headless use).
"""

from __future__ import annotations

import importlib
import os
import sys

from capture.window._base import WindowBackend

__all__ = ["WindowBackend", "open_backend"]


def open_backend() -> WindowBackend:
    name = os.environ.get("VSOP_WINDOW_BACKEND") or _default_name()
    if name not in ("xorg", "win32", "dummy"):
        from capture.errors import BackendUnavailableError

        raise BackendUnavailableError(f"VSOP_WINDOW_BACKEND={name!r}: expected xorg, win32 or dummy")
    module = importlib.import_module(f"capture.window._{name}")
    backend: WindowBackend = module.Backend()
    return backend


def _default_name() -> str:
    if sys.platform == "win32":
        return "win32"
    if sys.platform.startswith("linux") and os.environ.get("DISPLAY"):
        return "xorg"
    return "dummy"
