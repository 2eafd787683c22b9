"""Driving a real X session in tests: xdotool, a running recorder, and waiting for conditions."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.sample.driver.waiting import wait_until
from generator.sample.xsession import VirtualDisplay


class Xdo:
    def __init__(self, display: VirtualDisplay) -> None:
        self.env = display.env

    def __call__(self, *args: object, timeout: float = 20.0) -> str:
        done = subprocess.run(
            ["xdotool", *map(str, args)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
        return done.stdout.strip()

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        out = self("getwindowgeometry", "--shell", window)
        values = dict(line.split("=", 1) for line in out.splitlines())
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])


class App:
    """A real application window on the test display; closed by ``close()``."""

    def __init__(self, display: VirtualDisplay, argv: list[str], search: list[str]) -> None:
        self.proc = subprocess.Popen(
            argv, env=display.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.xdo = Xdo(display)
        try:
            ids = self.xdo("search", "--sync", "--onlyvisible", *search, timeout=60)
        except BaseException:
            self.close()
            raise
        self.window = ids.splitlines()[0]
        self.xdo("windowactivate", "--sync", self.window)

    @property
    def geometry(self) -> tuple[int, int, int, int]:
        return self.xdo.geometry(self.window)

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class RecorderProcess:
    """``vsop record`` as a person runs it, in a subprocess on the test display."""

    def __init__(self, display: VirtualDisplay, out: Path, *args: str) -> None:
        self.out = out
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator.cli", "record", "--out", str(out), *args],
            env=display.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.first_line = self._first_line(timeout=30)

    def _first_line(self, timeout: float) -> str:
        assert self.proc.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout):
                self.proc.kill()
                raise AssertionError(f"recorder printed nothing in {timeout} s")
        line = self.proc.stdout.readline().strip()
        if not line:
            raise AssertionError(f"recorder exited early: {self.finish()[1]}")
        return line

    def events(self) -> list[dict[str, Any]]:
        """Complete lines of events.jsonl so far."""
        path = self.out / "events.jsonl"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        return [json.loads(line) for line in text.splitlines(keepends=True) if line.endswith("\n")]

    def of_type(self, *types: str) -> list[dict[str, Any]]:
        return [e for e in self.events() if e["type"] in types]

    def wait_for(self, count: int, *types: str, timeout: float = 15.0) -> list[dict[str, Any]]:
        return wait_until(
            lambda: (found := self.of_type(*types)) and len(found) >= count and found,
            timeout,
            f"{count} {'/'.join(types)} events",
        )

    def signal(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        self.proc.send_signal(sig)
        return self.finish()

    def finish(self, timeout: float = 30.0) -> tuple[int, str]:
        """Exit code and stderr once the recorder has ended by itself."""
        _, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, err

    def kill(self) -> None:
        """SIGKILL, as a crash or an impatient person would; closes the pipes."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()
