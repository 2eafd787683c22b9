"""Programs on the display: one started and its window found, and any of them ended without leaving it
behind."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence

from generator.sample.xsession.display import VirtualDisplay
from generator.sample.xsession.xdo import Xdo


def end(proc: subprocess.Popen[bytes]) -> None:
    """Terminate ``proc``; kill it if it has not exited 10 s later."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class App:
    """A program's window on the display (``search``: xdotool search options that find it), active; closed
    by ``close()``. ``env``: the program's environment, when it is not just the display's."""

    def __init__(
        self,
        display: VirtualDisplay,
        argv: Sequence[str],
        search: Sequence[str],
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.proc = subprocess.Popen(
            argv, env=env or display.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.xdo = Xdo(display)
        try:
            self.window = self.xdo.find_window(*search)
        except BaseException:
            self.close()
            raise
        self.xdo.activate(self.window)

    @property
    def geometry(self) -> tuple[int, int, int, int]:
        return self.xdo.geometry(self.window)

    def close(self) -> None:
        end(self.proc)
