"""What mousepad and any other program a scenario starts have in common: a private folder with a home in it,
one process and its window, found by the process's id; elements found by OCR (``ClickText``), never by CSS
selector."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.sample.driver.errors import DriverError
from generator.sample.scenarios import Click
from generator.sample.xsession import VirtualDisplay, Xdo, end


class DesktopApp:
    """``name`` (in messages) on ``display``, at home in ``home`` inside a private ``vsop-{kind}-`` folder."""

    def __init__(self, display: VirtualDisplay, name: str, kind: str) -> None:
        self.display = display
        self.name = name
        self.xdo = Xdo(display)
        self.scratch = tempfile.TemporaryDirectory(prefix=f"vsop-{kind}-", ignore_cleanup_errors=True)
        self.home = Path(self.scratch.name) / "jordan"  # the file dialog shows the home folder's name
        self.proc: subprocess.Popen[bytes] | None = None
        self.window = ""

    def _show(self, proc: subprocess.Popen[bytes], ready: Callable[[], None]) -> None:
        """Keep ``proc``, find its window and make it ``ready``; closed again if either fails."""
        self.proc = proc
        try:
            self.window = self.xdo.window_of(proc.pid)
            ready()
        except BaseException:
            self.close()
            raise

    def click(self, action: Click) -> None:
        raise self._no_selectors(action.selector, "; use ClickText")

    def hover(self, selector: str) -> None:
        raise self._no_selectors(selector)

    def visible(self, selector: str) -> bool:
        raise self._no_selectors(selector)

    def activate(self) -> None:
        self.xdo.activate(self.window)

    def close(self) -> None:
        if self.proc is not None:
            end(self.proc)
            self.proc = None
        self.scratch.cleanup()

    def _no_selectors(self, selector: str, hint: str = "") -> DriverError:
        return DriverError(f"{self.name} has no CSS selectors ({selector}){hint}")
