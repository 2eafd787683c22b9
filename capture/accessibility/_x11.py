"""What X11 knows and AT-SPI does not: which process's window is under a point (AT-SPI has no stacking order
between applications), whether it is a popup (override-redirect: a menu or a combo box's list), and which
process owns the active window."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from capture.errors import AccessibilityError
from capture.x11 import client_window, window_pid


@dataclass(frozen=True, slots=True)
class Target:
    pid: int | None
    title: str | None = None
    popup: bool = False


class Screen:
    """One X connection (to ``name``, default ``$DISPLAY``), opened on first use."""

    def __init__(self, name: str | None = None) -> None:
        self._name_of_display = name
        self._d: Any = None

    def _display(self) -> Any:
        if self._d is None:
            from Xlib import display, error

            try:
                self._d = display.Display(self._name_of_display)
            except error.DisplayError as exc:
                raise AccessibilityError(f"accessibility: cannot open the X display ({exc})") from exc
            atom = self._d.intern_atom
            self._pid, self._name, self._utf8 = atom("_NET_WM_PID"), atom("_NET_WM_NAME"), atom("UTF8_STRING")
            self._state, self._active = atom("WM_STATE"), atom("_NET_ACTIVE_WINDOW")
        return self._d

    def at(self, x: int, y: int) -> Target:
        from Xlib import error

        try:
            return self._at(x, y)
        except (OSError, error.ConnectionClosedError, error.XError) as exc:
            self.close()
            raise AccessibilityError(f"accessibility: the X connection failed ({exc})") from exc

    def active(self) -> Target:
        from Xlib import error

        try:
            return self._active_target()
        except (OSError, error.ConnectionClosedError, error.XError) as exc:
            self.close()
            raise AccessibilityError(f"accessibility: the X connection failed ({exc})") from exc

    def _at(self, x: int, y: int) -> Target:
        from Xlib import error

        root = self._display().screen().root
        try:
            top = root.translate_coords(root, x, y).child
            if not top:
                return Target(None)
            if top.get_attributes().override_redirect:
                pid = window_pid(top, self._pid)
                return Target(pid if pid is not None else self._active_target().pid, popup=True)
            client = client_window(top, self._state)
            return (
                Target(window_pid(client, self._pid), self._title(client))
                if client is not None
                else Target(None)
            )
        except (error.BadWindow, error.BadDrawable, error.BadValue):
            return Target(None)  # the window closed between two requests

    def _active_target(self) -> Target:
        from Xlib import X, error

        root = self._display().screen().root
        try:
            prop = root.get_full_property(self._active, X.AnyPropertyType)
            if prop is None or not prop.value or not prop.value[0]:
                return Target(None)
            win = self._d.create_resource_object("window", int(prop.value[0]))
            return Target(window_pid(win, self._pid), self._title(win))
        except (error.BadWindow, error.BadDrawable, error.BadValue):
            return Target(None)

    def _title(self, win: Any) -> str | None:
        prop = win.get_full_property(self._name, self._utf8)
        return bytes(prop.value).decode("utf-8", "replace") if prop is not None and prop.value else None

    def close(self) -> None:
        from Xlib import error

        if self._d is not None:
            display, self._d = self._d, None
            with contextlib.suppress(
                OSError, error.ConnectionClosedError
            ):  # already broken: nothing to close
                display.close()
