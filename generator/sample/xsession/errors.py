"""The error of the X session helpers, in the one hierarchy of vsop (``capture.errors``)."""

from __future__ import annotations

from capture.errors import VsopError


class SessionError(VsopError):
    """Something on the virtual X session did not happen: an xdotool call failed, a window, a text or an
    event did not come in time, the recorder did not start or stop. (A missing tool is a
    ``BackendUnavailableError``, which says what to install.)"""
