"""Real X input on a display: every mouse move, click and key goes through xdotool, as a person's would."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable

from generator.sample.xsession.display import VirtualDisplay, require
from generator.sample.xsession.errors import SessionError
from generator.sample.xsession.waiting import wait_until

KEY_DELAY_MS = 60  # per typed key (xdotool waits half after the press, half after the release)
RECORDER_HOTKEYS = ("ctrl+alt+s", "ctrl+alt+p", "ctrl+alt+c")
BUTTONS = {"left": 1, "middle": 2, "right": 3}
# what xdotool says when the active window vanished between its requests, or no window is active
_GONE = re.compile(r"BadWindow|XGetWindowProperty\[_NET_ACTIVE_WINDOW\] failed")
HOLD_S = 0.08  # a person's click holds the button 50-150 ms; the application reacts at the release
WRITTEN_TIMEOUT_S = 30.0  # for the recorder to write a press (its frame grabbed, its element asked)


class Xdo:
    """xdotool on one display: ``xdo("mousemove", x, y, "click", 1)`` runs any command chain; the methods
    are the gestures of a hand (glide, click, type)."""

    def __init__(self, display: VirtualDisplay) -> None:
        self.env = display.env
        self.binary = require("xdotool")
        # How many presses the recorder has written, while one records: a click then holds the button until
        # its press is written, so that the recorder asks the accessibility tree what was pressed before the
        # application reacts to the release (a select's list closes; on a busy machine the question comes
        # late and would find the field under the list).
        self.written: Callable[[], int] | None = None

    def __call__(self, *args: object, timeout: float = 30.0) -> str:
        done = self._run(args, timeout)
        if done.returncode != 0:
            raise SessionError(f"xdotool {' '.join(map(str, args))} failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def _run(self, args: tuple[object, ...], timeout: float) -> subprocess.CompletedProcess[str]:
        argv = [self.binary, *map(str, args)]
        return subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=timeout)

    def pointer(self) -> tuple[int, int]:
        values = dict(item.split(":", 1) for item in self("getmouselocation").split())
        return int(values["x"]), int(values["y"])

    def glide(self, x: int, y: int, steps: int = 6) -> None:
        """Move the pointer to (x, y) along a short path, as a hand would, ending with motion at (x, y)."""
        x0, y0 = self.pointer()
        if (x0, y0) == (x, y):
            x0, y0 = x - 6, y - 6
        args: list[object] = []
        for i in range(1, steps + 1):
            args += ["mousemove", x0 + (x - x0) * i // steps, y0 + (y - y0) * i // steps, "sleep", "0.012"]
        self(*args)

    def click(self, button: str = "left", double: bool = False) -> None:
        """A click as a hand makes it: the button held about a tenth of a second (a double click quicker),
        and while a recorder records (``written``) until the recorder has written the press."""
        written = self.written
        if written is None:
            if double:
                self("click", "--repeat", 2, "--delay", 90, BUTTONS[button])
            else:
                self("mousedown", BUTTONS[button], "sleep", HOLD_S, "mouseup", BUTTONS[button])
            return
        before = written()
        if double:
            self("click", "--repeat", 2, "--delay", 90, BUTTONS[button])
            self._until_written(written, before + 2)
        else:
            self("mousedown", BUTTONS[button], "sleep", HOLD_S)
            self._until_written(written, before + 1)
            self("mouseup", BUTTONS[button])

    def _until_written(self, written: Callable[[], int], count: int) -> None:
        wait_until(lambda: written() >= count, WRITTEN_TIMEOUT_S, f"the recorder to write press {count}")

    def type(self, text: str) -> None:
        self("type", "--delay", KEY_DELAY_MS, "--", text)

    def key(self, keys: str) -> None:
        """Press ``keys``; never a hotkey of the recorder (send that with ``xdo("key", ...)`` on purpose)."""
        if keys.lower().replace(" ", "") in RECORDER_HOTKEYS:
            raise SessionError(f"{keys} is a hotkey of the recorder itself; a scenario must not press it")
        self("key", "--delay", KEY_DELAY_MS, keys)

    def wheel(self, direction: str, notches: int) -> None:
        self("click", "--repeat", notches, "--delay", 60, 4 if direction == "up" else 5)

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        """The window's inside on the screen (xdotool getwindowgeometry counts an openbox frame twice)."""
        from Xlib import display as xdisplay

        conn = xdisplay.Display(self.env["DISPLAY"])
        try:
            handle = conn.create_resource_object("window", int(window))
            size = handle.get_geometry()
            origin = handle.translate_coords(conn.screen().root, 0, 0)
            return -origin.x, -origin.y, size.width, size.height
        finally:
            conn.close()

    def active_title(self) -> str:
        """The title of the active window; "" while there is none or it is going (a dialog that closes
        between xdotool's two requests, or no window active yet), as callers poll it until it is the one they
        wait for."""
        done = self._run(("getactivewindow", "getwindowname"), 30.0)
        if done.returncode == 0:
            return done.stdout.strip()
        if _GONE.search(done.stderr):
            return ""
        raise SessionError(f"xdotool getactivewindow getwindowname failed: {done.stderr.strip()}")

    def window_of(self, pid: int, timeout: float = 60.0) -> str:
        """The first visible window of process ``pid``, once it is mapped: the one whose ``_NET_WM_PID`` is
        ``pid``, or, for a toolkit that sets no ``_NET_WM_PID`` (Tk), a titled one whose X client the X server
        says ``pid`` runs (its X-Resource extension)."""

        def attempt() -> str | None:
            done = self._run(("search", "--onlyvisible", "--pid", pid), timeout=10)
            if done.returncode == 0 and done.stdout.strip():
                return done.stdout.split()[0]
            titled = self._run(("search", "--onlyvisible", "--name", "."), timeout=10)
            return next((w for w in titled.stdout.split() if self._client_pid(int(w)) == pid), None)

        return wait_until(attempt, timeout, f"a window of process {pid}")

    def _client_pid(self, window: int) -> int | None:
        """The process id of the X client that made ``window`` (None when the X server does not know it, or
        the window is gone)."""
        from Xlib import display as xdisplay
        from Xlib.error import XError

        from capture.x11 import client_pid

        conn = xdisplay.Display(self.env["DISPLAY"])
        try:
            return client_pid(conn.create_resource_object("window", window))
        except XError:
            return None  # the window is gone
        finally:
            conn.close()

    def find_window(self, *search: object, timeout: float = 60.0) -> str:
        """The first visible window that ``xdotool search`` finds with the options ``search``, once mapped."""

        def attempt() -> str | None:
            # no --sync: a window destroyed during the search (BadWindow) fails one try, not the wait
            done = self._run(("search", "--onlyvisible", *search), timeout=10)
            return done.stdout.split()[0] if done.returncode == 0 and done.stdout.strip() else None

        return wait_until(attempt, timeout, f"a window ({' '.join(map(str, search))})")

    def activate(self, window: str) -> None:
        self("windowactivate", "--sync", window)

    def place(self, window: str, geometry: tuple[int, int, int, int]) -> None:
        x, y, width, height = geometry
        self("windowsize", "--sync", window, width, height)
        self("windowmove", "--sync", window, x, y)
        self.activate(window)
