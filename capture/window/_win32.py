"""Windows through ctypes (user32): foreground window title, executable name and rectangle."""

from __future__ import annotations

import ctypes
import os
from ctypes import wintypes

from capture.models import Rect, WindowInfo

PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
GA_ROOT = 2


class Backend:
    def __init__(self) -> None:
        self._user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
        self._kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]

    def active_window(self) -> WindowInfo | None:
        return self._info(self._user32.GetForegroundWindow())

    def window_at(self, x: int, y: int) -> WindowInfo | None:
        hwnd = self._user32.WindowFromPoint(wintypes.POINT(x, y))
        return self._info(self._user32.GetAncestor(hwnd, GA_ROOT) if hwnd else None)

    def pid_at(self, x: int, y: int) -> int | None:
        hwnd = self._user32.WindowFromPoint(wintypes.POINT(x, y))
        return self._pid(self._user32.GetAncestor(hwnd, GA_ROOT)) if hwnd else None

    def active_pid(self) -> int | None:
        hwnd = self._user32.GetForegroundWindow()
        return self._pid(hwnd) if hwnd else None

    def _pid(self, hwnd: int) -> int | None:
        pid = wintypes.DWORD()
        self._user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
        return int(pid.value) or None

    def _info(self, hwnd: int | None) -> WindowInfo | None:
        if not hwnd:
            return None
        length = self._user32.GetWindowTextLengthW(hwnd)
        buf = ctypes.create_unicode_buffer(length + 1)
        self._user32.GetWindowTextW(hwnd, buf, length + 1)
        rect = wintypes.RECT()
        has_rect = self._user32.GetWindowRect(hwnd, ctypes.byref(rect))
        return WindowInfo(
            title=buf.value or None,
            app=self._app(hwnd),
            rect=Rect(rect.left, rect.top, rect.right - rect.left, rect.bottom - rect.top)
            if has_rect
            else None,
        )

    def _app(self, hwnd: int) -> str | None:
        pid = wintypes.DWORD()
        self._user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
        handle = self._kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid.value)
        if not handle:
            return None
        try:
            size = wintypes.DWORD(1024)
            buf = ctypes.create_unicode_buffer(size.value)
            if not self._kernel32.QueryFullProcessImageNameW(handle, 0, buf, ctypes.byref(size)):
                return None
            return os.path.splitext(os.path.basename(buf.value))[0] or None
        finally:
            self._kernel32.CloseHandle(handle)

    def caps_lock(self) -> bool | None:
        return None  # pynput's win32 listener translates keys with the keyboard state, Caps Lock included

    def close(self) -> None:
        pass
