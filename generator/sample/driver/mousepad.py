"""The mousepad text editor with a fresh, private configuration, saving into its own folder."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from generator.sample.driver.errors import DriverError
from generator.sample.scenarios import Click
from generator.sample.xsession import VirtualDisplay, Xdo, at_home, end, require, wait_until

MOUSEPAD_WINDOW = (60, 40, 900, 600)
# GSettings of the private mousepad: the file name alone in the title, no folder of this machine
MOUSEPAD_SETTINGS = "[org/xfce/mousepad/preferences/window]\npath-in-title=false\n"


class Mousepad:
    """mousepad on ``display``; its elements are found by OCR (``ClickText``), never by CSS selector."""

    def __init__(self, display: VirtualDisplay) -> None:
        self.display = display
        self.xdo = Xdo(display)
        self.scratch = tempfile.TemporaryDirectory(prefix="vsop-mousepad-", ignore_cleanup_errors=True)
        self.home = Path(self.scratch.name) / "jordan"  # the file dialog shows the home folder's name
        self.folder = self.home / "Documents"
        self.proc: subprocess.Popen[bytes] | None = None
        self.window = ""

    def start(self) -> Mousepad:
        self.folder.mkdir(parents=True)
        env = self._env()
        argv = [require("mousepad"), "--disable-server"]
        self.proc = subprocess.Popen(
            argv, cwd=self.folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            self.window = self.xdo.window_of(self.proc.pid)
            self.xdo.place(self.window, MOUSEPAD_WINDOW)
            wait_until(lambda: self.xdo.active_title().endswith("Mousepad"), 15, "mousepad to be active")
        except BaseException:
            self.close()
            raise
        return self

    def _env(self) -> dict[str, str]:
        """The environment of a mousepad at home in the private folder, with its settings written there."""
        home = self.home
        settings = home / ".config" / "glib-2.0" / "settings" / "keyfile"
        settings.parent.mkdir(parents=True)
        settings.write_text(MOUSEPAD_SETTINGS, encoding="utf-8")
        return {**at_home(self.display.env, home), "NO_AT_BRIDGE": "1"}

    def click(self, action: Click) -> None:
        raise _no_selectors(action.selector, "; use ClickText")

    def hover(self, selector: str) -> None:
        raise _no_selectors(selector)

    def visible(self, selector: str) -> bool:
        raise _no_selectors(selector)

    def saved(self, name: str) -> Path:
        return self.folder / name

    def activate(self) -> None:
        self.xdo.activate(self.window)

    def close(self) -> None:
        if self.proc is not None:
            end(self.proc)
            self.proc = None
        self.scratch.cleanup()


def _no_selectors(selector: str, hint: str = "") -> DriverError:
    return DriverError(f"mousepad has no CSS selectors ({selector}){hint}")
