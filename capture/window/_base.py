from __future__ import annotations

from typing import Protocol

from capture.models import WindowInfo


class WindowBackend(Protocol):
    """Queries the window system; used from one thread. Returns None where it cannot tell, never raises
    for a window that vanished in the meantime."""

    def active_window(self) -> WindowInfo | None: ...

    def window_at(self, x: int, y: int) -> WindowInfo | None:
        """The top-level window under the point: the one a click there goes to."""

    def pid_at(self, x: int, y: int) -> int | None:
        """The process id of the top-level window under the point (the accessibility query's application)."""

    def active_pid(self) -> int | None:
        """The process id of the active window."""

    def caps_lock(self) -> bool | None:
        """Whether Caps Lock is on now, where the input listener's characters do not show it (X11); None
        where they do (Windows) or nothing can tell (dummy): the recorder then corrects no character."""

    def close(self) -> None: ...
