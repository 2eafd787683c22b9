"""The contract every accessibility backend keeps, and the timeout a query raises past its limit."""

from __future__ import annotations

from typing import Protocol

from capture.errors import AccessibilityError
from capture.models import Element


class AccessibilityTimeout(AccessibilityError, TimeoutError):
    """A query did not finish within its time limit: the application (or the accessibility service) did not
    answer in time. A backend skips an application that timed out for a few seconds, raising this at once."""


class AccessibilityBackend(Protocol):
    """Asks the platform's accessibility API what an input acted on. Every call returns within about
    ``timeout`` seconds: None when nothing accessible is there (or the application exposes nothing),
    :class:`AccessibilityTimeout` past the limit, :class:`~capture.errors.AccessibilityError` for any other
    failure. Calls may come from any thread; a backend serialises them. The element of a secret field
    (password, protected) never carries its value."""

    name: str

    def element_at(self, x: int, y: int, *, pid: int | None, timeout: float) -> Element | None:
        """The element under the virtual-screen point (x, y). ``pid``: the process whose managed window was
        under the point when the input happened, when the caller knows it (then a popup that opened since is
        looked through); None lets the backend find it now (X11: ``_NET_WM_PID`` of the window under the
        point, a popup menu included)."""

    def focused(self, *, pid: int | None, timeout: float) -> Element | None:
        """The element that has the keyboard focus in the process ``pid`` (None: the active window's)."""

    def exposes(self, pid: int) -> bool:
        """False when the process registered nothing with the accessibility API (OCR names its steps)."""

    def close(self) -> None: ...
