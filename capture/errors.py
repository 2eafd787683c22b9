"""The errors of capture, and :class:`VsopError`, the base of every error vsop reports (the generator's own
are in ``generator/errors.py``). Every message is written for the person at the terminal: where, what was
expected, what was found, how to fix."""


class VsopError(Exception):
    """Base of every error vsop reports to a person; the CLI prints the message and exits non-zero."""

    exit_code = 1


class RecordingError(VsopError):
    """A recording folder cannot be read."""


class FormatVersionError(RecordingError):
    """A recording was written by a newer vsop than this one."""


class RecorderBusyError(VsopError):
    """Another recorder holds the output folder."""

    exit_code = 3


class BackendUnavailableError(VsopError):
    """A platform backend (display, screen grabber, window query) cannot be used here."""

    exit_code = 4


class AccessibilityError(VsopError):
    """A query of the platform's accessibility API failed (the application or the accessibility bus answered
    with an error, or the connection broke). The recorder counts it; the event goes without its element."""
