"""X11 through python-xlib and the EWMH properties every current window manager sets."""

from __future__ import annotations

from typing import Any

from capture.errors import BackendUnavailableError
from capture.models import Rect, WindowInfo
from capture.x11 import client_window, window_pid


class Backend:
    def __init__(self) -> None:
        from Xlib import Xatom, display, error

        self._Xatom = Xatom
        try:
            self._d = display.Display()
        except error.DisplayError as exc:
            raise BackendUnavailableError(f"cannot open the X display ({exc}); is DISPLAY set?") from exc
        self._root = self._d.screen().root
        atom = self._d.intern_atom
        self._active, self._name, self._utf8 = (
            atom("_NET_ACTIVE_WINDOW"),
            atom("_NET_WM_NAME"),
            atom("UTF8_STRING"),
        )
        self._wm_state = atom("WM_STATE")
        self._wm_pid = atom("_NET_WM_PID")
        self._gone = (error.BadWindow, error.BadDrawable, error.BadValue)

    def active_window(self) -> WindowInfo | None:
        try:
            win = self._active_client()
            return self._info(win) if win is not None else None
        except self._gone:
            return None  # the window closed between two requests

    def window_at(self, x: int, y: int) -> WindowInfo | None:
        try:
            client = self._client_at(x, y)
            return self._info(client) if client is not None else None
        except self._gone:
            return None

    def pid_at(self, x: int, y: int) -> int | None:
        try:
            client = self._client_at(x, y)
            return window_pid(client, self._wm_pid) if client is not None else None
        except self._gone:
            return None

    def active_pid(self) -> int | None:
        try:
            win = self._active_client()
            return window_pid(win, self._wm_pid) if win is not None else None
        except self._gone:
            return None

    def _active_client(self) -> Any:
        prop = self._root.get_full_property(self._active, self._Xatom.WINDOW)
        if prop is None or not prop.value or not prop.value[0]:
            return None
        return self._d.create_resource_object("window", int(prop.value[0]))

    def _client_at(self, x: int, y: int) -> Any:
        child = self._root.translate_coords(self._root, x, y).child
        return client_window(child, self._wm_state) if child else None

    def _info(self, win: Any) -> WindowInfo:
        """``win`` is the client window (the one ``_NET_ACTIVE_WINDOW`` names, or the one with ``WM_STATE``
        under a point): its id is the same whether it was found active or under the pointer."""
        return WindowInfo(title=self._title(win), app=self._app(win), rect=self._rect(win), id=int(win.id))

    def _title(self, win: Any) -> str | None:
        prop = win.get_full_property(self._name, self._utf8)
        if prop is not None and prop.value:
            return bytes(prop.value).decode("utf-8", "replace")
        name = win.get_wm_name()
        return name if isinstance(name, str) and name else None

    def _app(self, win: Any) -> str | None:
        cls = win.get_wm_class()
        return cls[1] if cls else None

    def _rect(self, win: Any) -> Rect | None:
        geom = win.get_geometry()
        origin = win.translate_coords(self._root, 0, 0)
        return Rect(-origin.x, -origin.y, geom.width, geom.height)

    def caps_lock(self) -> bool | None:
        """pynput's X listener applies Shift but not Caps Lock; read the lock's LED from the server."""
        return bool(self._d.get_keyboard_control().led_mask & 1)

    def close(self) -> None:
        self._d.close()
