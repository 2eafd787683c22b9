from __future__ import annotations

from capture.models import WindowInfo


class Backend:
    def active_window(self) -> WindowInfo | None:
        return None

    def window_at(self, x: int, y: int) -> WindowInfo | None:
        return None

    def pid_at(self, x: int, y: int) -> int | None:
        return None

    def active_pid(self) -> int | None:
        return None

    def caps_lock(self) -> bool | None:
        return None

    def close(self) -> None:
        pass
