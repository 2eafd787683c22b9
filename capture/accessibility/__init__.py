"""What an input acted on, from the platform's accessibility API, behind a small per-platform interface.

``VSOP_ACCESSIBILITY`` forces a backend: ``atspi`` (Linux, AT-SPI over D-Bus), ``uia`` (Windows UI
Automation), ``ax`` (the macOS AX API) or ``dummy`` (knows nothing). A backend is imported only when chosen;
opening one never starts a window or grabs anything, but ``atspi`` finds or starts the accessibility bus and
turns on the enabled status that toolkits watch (:mod:`capture.accessibility.bus`).
"""

from __future__ import annotations

import importlib
import os
import sys

from capture.accessibility._base import AccessibilityBackend, AccessibilityTimeout
from capture.errors import AccessibilityError, BackendUnavailableError

__all__ = [
    "BACKENDS",
    "AccessibilityBackend",
    "AccessibilityError",
    "AccessibilityTimeout",
    "default_name",
    "open_accessibility",
]

BACKENDS = ("atspi", "uia", "ax", "dummy")


def open_accessibility(name: str | None = None) -> AccessibilityBackend:
    """The backend ``name``, else the one ``VSOP_ACCESSIBILITY`` names, else this platform's. Raises
    :class:`BackendUnavailableError` saying how to fix it when the backend cannot run here."""
    chosen = name or os.environ.get("VSOP_ACCESSIBILITY") or default_name()
    if chosen not in BACKENDS:
        raise BackendUnavailableError(f"VSOP_ACCESSIBILITY={chosen!r}: expected one of {', '.join(BACKENDS)}")
    module = importlib.import_module(f"capture.accessibility._{chosen}")
    backend: AccessibilityBackend = module.Backend()
    return backend


def default_name() -> str:
    if sys.platform.startswith("linux"):
        return "atspi"
    if sys.platform == "win32":
        return "uia"
    if sys.platform == "darwin":
        return "ax"
    return "dummy"
