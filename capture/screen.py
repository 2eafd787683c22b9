"""Screen grabs with mss, and the monitor layout in one coordinate space.

Coordinates are physical pixels of the virtual screen. On X11 the layout comes from Xinerama, which
lists every head (RandR outputs on a modern server, the heads of a Xinerama server); elsewhere from mss.
Create a Screen in the thread that grabs: mss handles are per-thread on X11.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Any

from capture.errors import BackendUnavailableError
from capture.models import Monitor, Rect


@dataclass(frozen=True, slots=True)
class Grab:
    monitor: Monitor
    raw: bytearray
    size: tuple[int, int]
    t: float


class Screen:
    def __init__(self) -> None:
        import mss

        try:
            self._mss: Any = mss.MSS()
        except mss.ScreenShotError as exc:
            raise BackendUnavailableError(
                f"cannot grab the screen ({exc}); on Linux run vsop inside an X session (DISPLAY set)"
            ) from exc
        heads, self._shifted_input = _xinerama_heads()
        self.monitors = tuple(self._warm_up(m) for m in heads or self._mss_monitors())

    def _warm_up(self, monitor: Monitor) -> Monitor:
        """Grab once, so the first real grab does not pay mss' set-up; learn the monitor's pixel scale."""
        grab = self.grab(monitor)
        return Monitor(monitor.index, monitor.rect, round(grab.size[0] / monitor.rect.width, 3))

    def _mss_monitors(self) -> tuple[Monitor, ...]:
        found = []
        for index, m in enumerate(self._mss.monitors[1:], start=1):
            rect = Rect(m["left"], m["top"], m["width"], m["height"])
            found.append(Monitor(index, rect))
        return tuple(found)

    def input_point(self, x: int, y: int) -> tuple[int, int]:
        """A pointer event's point in virtual-screen coordinates.

        A Xinerama server built from several X screens (not RandR) reports the pointer on head N to input
        listeners shifted by head N's origin a second time (seen with Xephyr); this undoes it."""
        if self._shifted_input:
            for monitor in self.monitors:
                r = monitor.rect
                if r.contains(x - r.left, y - r.top):
                    return x - r.left, y - r.top
        return x, y

    def monitor_at(self, x: int, y: int) -> Monitor:
        """The monitor under the point; the nearest one when the point is outside every monitor."""
        for monitor in self.monitors:
            if monitor.rect.contains(x, y):
                return monitor
        return min(self.monitors, key=lambda m: _distance(m.rect, x, y))

    def grab(self, monitor: Monitor) -> Grab:
        r = monitor.rect
        shot = self._mss.grab({"left": r.left, "top": r.top, "width": r.width, "height": r.height})
        return Grab(monitor, shot.raw, (shot.width, shot.height), time.monotonic())

    def close(self) -> None:
        self._mss.close()


def _distance(rect: Rect, x: int, y: int) -> int:
    dx = max(rect.left - x, 0, x - (rect.left + rect.width - 1))
    dy = max(rect.top - y, 0, y - (rect.top + rect.height - 1))
    return dx + dy


def _xinerama_heads() -> tuple[tuple[Monitor, ...], bool]:
    """The Xinerama heads, and whether they are separate X screens (more heads than RandR monitors)."""
    if not sys.platform.startswith("linux"):
        return (), False
    from Xlib import display as xdisplay
    from Xlib.error import DisplayError

    try:
        conn = xdisplay.Display()
    except DisplayError:
        return (), False
    try:
        if not conn.has_extension("XINERAMA") or not conn.xinerama_is_active():
            return (), False
        heads = conn.xinerama_query_screens().screens
        monitors = tuple(
            Monitor(i, Rect(h["x"], h["y"], h["width"], h["height"])) for i, h in enumerate(heads, start=1)
        )
        randr = len(conn.screen().root.xrandr_get_monitors().monitors) if conn.has_extension("RANDR") else 0
        return monitors, len(monitors) > 1 and randr < len(monitors)
    finally:
        conn.close()
