"""What the recorder must not record: vsop's own windows (the tray's icon, its menus and dialogs).

The program that owns those windows (the tray, on its GUI thread) says when each is shown and hidden and
where (``show``/``hide``), and when one has the keyboard (``focus``/``blur``). The recorder's worker asks,
for an input stamped at ``t`` by the listener, whether it fell on one of them then (``covers``, ``typing``).
The history is kept with times because the worker may handle an input after the menu it clicked has closed.
Both sides only touch plain tuples under a lock: no GUI call ever runs on a recorder thread, and a question
costs a few comparisons.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from capture.models import Rect

GRACE_S = 0.3  # a window still counts this long after it hid: the click that closed it arrives late
KEEP_S = 30.0  # spans that ended longer ago than this are forgotten


@dataclass(frozen=True, slots=True)
class Span:
    """Window ``key`` was shown at ``rect`` (or had the keyboard: ``rect`` None) from ``since`` until
    ``until`` (None: still)."""

    key: str
    since: float
    until: float | None = None
    rect: Rect | None = None

    def during(self, t: float, grace: float) -> bool:
        return self.since <= t and (self.until is None or t <= self.until + grace)


class Exclusion:
    """Thread-safe record of the screen areas and keyboard focus that belong to vsop itself."""

    def __init__(self, grace: float = GRACE_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.grace = grace
        self.clock = clock
        self._lock = threading.Lock()
        self._areas: tuple[Span, ...] = ()
        self._focus: tuple[Span, ...] = ()

    def show(self, key: str, rect: Rect, at: float | None = None) -> None:
        """Window ``key`` is shown at ``rect`` (a move or resize is a new ``show``)."""
        now = self.clock() if at is None else at
        with self._lock:
            current = next((s for s in self._areas if s.key == key and s.until is None), None)
            if current is not None and current.rect == rect:
                return
            self._areas = (*_ended(self._areas, key, now), Span(key, now, None, rect))
            self._areas = self._pruned(self._areas, now)

    def hide(self, key: str, at: float | None = None) -> None:
        now = self.clock() if at is None else at
        with self._lock:
            self._areas = _ended(self._areas, key, now)

    def focus(self, key: str, at: float | None = None) -> None:
        """Window ``key`` has the keyboard: what is typed now goes to vsop, not to the recorded app."""
        now = self.clock() if at is None else at
        with self._lock:
            if any(s.key == key and s.until is None for s in self._focus):
                return
            self._focus = self._pruned((*self._focus, Span(key, now)), now)

    def blur(self, key: str, at: float | None = None) -> None:
        now = self.clock() if at is None else at
        with self._lock:
            self._focus = _ended(self._focus, key, now)

    def covers(self, x: int, y: int, t: float) -> bool:
        """True when the point was on one of vsop's windows at time ``t``."""
        areas = self._areas
        return any(s.during(t, self.grace) and s.rect is not None and s.rect.contains(x, y) for s in areas)

    def typing(self, t: float) -> bool:
        """True when one of vsop's windows had the keyboard at time ``t``."""
        return any(s.during(t, self.grace) for s in self._focus)

    def _pruned(self, spans: tuple[Span, ...], now: float) -> tuple[Span, ...]:
        return tuple(s for s in spans if s.until is None or s.until + self.grace + KEEP_S >= now)


def _ended(spans: tuple[Span, ...], key: str, now: float) -> tuple[Span, ...]:
    return tuple(replace(s, until=now) if s.key == key and s.until is None else s for s in spans)
