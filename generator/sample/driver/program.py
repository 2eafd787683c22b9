"""Any program a scenario starts from its ``command`` (a zenity dialog, a small Qt window): at home in a
private folder, accessible to assistive technology, its output kept to check what the person entered."""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from generator.sample.driver.errors import DriverError
from generator.sample.scenarios import Click
from generator.sample.xsession import VirtualDisplay, Xdo, at_home, end, require

OUTPUT = "stdout"  # ``WaitFor(file=OUTPUT, contains=...)``: what the program printed (a dialog's answers)
EXIT = "exit"  # ``WaitFor(file=EXIT, contains="0")``: the program's exit code, once it has exited
# What makes each toolkit expose its tree on the accessibility bus once it runs.
ACCESSIBLE = {"QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "QT_ACCESSIBILITY": "1"}


class Program:
    """``command`` on ``display``; its elements are found by OCR (``ClickText``), never by CSS selector."""

    def __init__(self, display: VirtualDisplay, command: Sequence[str]) -> None:
        if not command:
            raise DriverError("a program scenario needs a command")
        self.display = display
        self.command = [require(command[0]) if "/" not in command[0] else command[0], *command[1:]]
        self.xdo = Xdo(display)
        self.scratch = tempfile.TemporaryDirectory(prefix="vsop-program-", ignore_cleanup_errors=True)
        self.home = Path(self.scratch.name) / "jordan"
        self.output = Path(self.scratch.name) / OUTPUT
        self.exit = Path(self.scratch.name) / EXIT
        self.proc: subprocess.Popen[bytes] | None = None
        self.window = ""

    def start(self) -> Program:
        self.home.mkdir(parents=True)
        with self.output.open("wb") as out:
            self.proc = subprocess.Popen(
                self.command, cwd=self.home, env=self._env(), stdout=out, stderr=subprocess.DEVNULL
            )
        threading.Thread(target=self._note_exit, args=(self.proc,), daemon=True).start()
        try:
            self.window = self.xdo.window_of(self.proc.pid)
            self.activate()
        except BaseException:
            self.close()
            raise
        return self

    def _note_exit(self, proc: subprocess.Popen[bytes]) -> None:
        code = proc.wait()
        with contextlib.suppress(FileNotFoundError):  # closed meanwhile: its folder is gone
            self.exit.write_text(str(code), encoding="utf-8")

    def _env(self) -> dict[str, str]:
        return {**at_home(self.display.env, self.home), **ACCESSIBLE, "GSETTINGS_BACKEND": "memory"}

    def click(self, action: Click) -> None:
        raise DriverError(f"{self.command[0]} has no CSS selectors ({action.selector}); use ClickText")

    def hover(self, selector: str) -> None:
        raise DriverError(f"{self.command[0]} has no CSS selectors ({selector})")

    def visible(self, selector: str) -> bool:
        raise DriverError(f"{self.command[0]} has no CSS selectors ({selector})")

    def saved(self, name: str) -> Path:
        if name not in (OUTPUT, EXIT):
            raise DriverError(f"{self.command[0]} saves no file {name!r}; wait for {OUTPUT!r} or {EXIT!r}")
        return self.output if name == OUTPUT else self.exit

    def activate(self) -> None:
        self.xdo.activate(self.window)

    def close(self) -> None:
        if self.proc is not None:
            end(self.proc)
            self.proc = None
        self.scratch.cleanup()
