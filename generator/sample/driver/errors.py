"""The errors of the sample driver, in the one hierarchy of vsop (``capture.errors``), below those of the X
session it works on."""

from __future__ import annotations

from generator.sample.xsession.errors import SessionError


class DriverError(SessionError):
    """A scenario could not be performed: a page, an element or a text was not found, or its recording is
    incomplete."""


class DevToolsError(DriverError):
    """Chromium answered a DevTools call with an error (often: the page is navigating; retry)."""
