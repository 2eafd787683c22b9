"""The errors of the sample driver, in the one hierarchy of vsop (``capture.errors``)."""

from __future__ import annotations

from capture.errors import VsopError


class DriverError(VsopError):
    """A scenario could not be performed: a tool is missing, an element or a text was not found in time."""


class DevToolsError(DriverError):
    """Chromium answered a DevTools call with an error (often: the page is navigating; retry)."""
