"""Programs on the display: one started and its window found, and any of them ended without leaving it
behind."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

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


# where a program keeps what it writes, inside its home folder (the XDG base directory defaults)
XDG_DIRS = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_CACHE_HOME": ".cache",
    "XDG_STATE_HOME": ".local/state",
}


def at_home(env: Mapping[str, str], home: Path) -> dict[str, str]:
    """``env`` for a program at home in ``home``: HOME and the XDG folders inside it (made), so that its
    settings, recent files and a session to restore stay there and never reach the real home folder.
    GSettings are kept in a key file under ``XDG_CONFIG_HOME``: through dconf (the default), the display's
    session bus would start a dconf service that writes them into the real home."""
    folders = {name: home / sub for name, sub in XDG_DIRS.items()}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    named = {name: str(folder) for name, folder in folders.items()}
    return {**env, "HOME": str(home), **named, "GSETTINGS_BACKEND": "keyfile"}


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
