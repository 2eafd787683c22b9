"""Waiting for a condition on the screen, in an application or in a file, with a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from generator.sample.xsession.errors import SessionError

T = TypeVar("T")


def wait_until(condition: Callable[[], T | None], timeout: float, what: str) -> T:
    """Poll ``condition`` until it returns something truthy; raise with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SessionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)
