"""The mousepad text editor with a fresh, private configuration, saving into its own folder."""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.sample.driver.desktop_app import DesktopApp
from generator.sample.xsession import VirtualDisplay, at_home, require, wait_until

MOUSEPAD_WINDOW = (60, 40, 900, 600)
# GSettings of the private mousepad: the file name alone in the title, no folder of this machine
MOUSEPAD_SETTINGS = "[org/xfce/mousepad/preferences/window]\npath-in-title=false\n"


class Mousepad(DesktopApp):
    """mousepad on ``display``; its elements are found by OCR (``ClickText``), never by CSS selector."""

    def __init__(self, display: VirtualDisplay) -> None:
        super().__init__(display, "mousepad", "mousepad")
        self.folder = self.home / "Documents"

    def start(self) -> Mousepad:
        self.folder.mkdir(parents=True)
        env = self._env()
        argv = [require("mousepad"), "--disable-server"]
        proc = subprocess.Popen(
            argv, cwd=self.folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._show(proc, self._settle)
        return self

    def _settle(self) -> None:
        """Placed where the scenarios expect it, and active."""
        self.xdo.place(self.window, MOUSEPAD_WINDOW)
        wait_until(lambda: self.xdo.active_title().endswith("Mousepad"), 15, "mousepad to be active")

    def _env(self) -> dict[str, str]:
        """The environment of a mousepad at home in the private folder, with its settings written there."""
        home = self.home
        settings = home / ".config" / "glib-2.0" / "settings" / "keyfile"
        settings.parent.mkdir(parents=True)
        settings.write_text(MOUSEPAD_SETTINGS, encoding="utf-8")
        return {**at_home(self.display.env, home), "NO_AT_BRIDGE": "1"}

    def saved(self, name: str) -> Path:
        return self.folder / name
