"""Any program a scenario starts from its ``command`` (a zenity dialog, a small Qt window): at home in a
private folder, accessible to assistive technology, its output kept to check what the person entered."""

from __future__ import annotations

import contextlib
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

from generator.sample.driver.desktop_app import DesktopApp
from generator.sample.driver.errors import DriverError
from generator.sample.xsession import VirtualDisplay, at_home, require

OUTPUT = "stdout"  # ``WaitFor(file=OUTPUT, contains=...)``: what the program printed (a dialog's answers)
EXIT = "exit"  # ``WaitFor(file=EXIT, contains="0")``: the program's exit code, once it has exited
# What makes each toolkit expose its tree on the accessibility bus once it runs.
ACCESSIBLE = {"QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "QT_ACCESSIBILITY": "1"}


class Program(DesktopApp):
    """``command`` on ``display``; its elements are found by OCR (``ClickText``), never by CSS selector."""

    def __init__(self, display: VirtualDisplay, command: Sequence[str]) -> None:
        if not command:
            raise DriverError("a program scenario needs a command")
        self.command = [require(command[0]) if "/" not in command[0] else command[0], *command[1:]]
        super().__init__(display, self.command[0], "program")
        self.output = Path(self.scratch.name) / OUTPUT
        self.exit = Path(self.scratch.name) / EXIT

    def start(self) -> Program:
        self.home.mkdir(parents=True)
        with self.output.open("wb") as out:
            proc = subprocess.Popen(
                self.command, cwd=self.home, env=self._env(), stdout=out, stderr=subprocess.DEVNULL
            )
        threading.Thread(target=self._note_exit, args=(proc,), daemon=True).start()
        self._show(proc, self.activate)
        return self

    def _note_exit(self, proc: subprocess.Popen[bytes]) -> None:
        code = proc.wait()
        with contextlib.suppress(FileNotFoundError):  # closed meanwhile: its folder is gone
            self.exit.write_text(str(code), encoding="utf-8")

    def _env(self) -> dict[str, str]:
        return {**at_home(self.display.env, self.home), **ACCESSIBLE, "GSETTINGS_BACKEND": "memory"}

    def saved(self, name: str) -> Path:
        if name not in (OUTPUT, EXIT):
            raise DriverError(f"{self.command[0]} saves no file {name!r}; wait for {OUTPUT!r} or {EXIT!r}")
        return self.output if name == OUTPUT else self.exit
