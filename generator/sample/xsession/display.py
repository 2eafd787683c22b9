"""A private virtual X display (Xvfb + openbox) for tests, benchmarks and live demos, and the X tools it
needs found on the PATH (or how to install them).

With ``heads=2`` the display is Xephyr nested in Xvfb, with Xinerama heads side by side: a two-monitor
desktop with no hardware. With ``accessibility`` (the default) the display has its own session D-Bus and
accessibility bus, accessibility enabled, in its ``env``: programs started on it expose their accessibility
tree (Chromium when started with ``--force-renderer-accessibility``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from types import TracebackType

from capture.errors import BackendUnavailableError

# binary -> the Debian/Ubuntu package that provides it, where the names differ
APT_PACKAGE = {
    "Xvfb": "xvfb",
    "Xephyr": "xserver-xephyr",
    "tesseract": "tesseract-ocr",
    "dbus-daemon": "dbus",
}


def require(binary: str) -> str:
    """Path of ``binary``, or an error that says which package to install."""
    path = shutil.which(binary)
    if path is None:
        package = APT_PACKAGE.get(binary, binary)
        raise BackendUnavailableError(f"{binary} not found: install it (apt-get install {package})")
    return path


class VirtualDisplay:
    def __init__(
        self,
        width: int = 1920,
        height: int = 1080,
        heads: int = 1,
        wm: bool = True,
        accessibility: bool = True,
    ) -> None:
        self.width, self.height, self.heads, self.wm = width, height, heads, wm
        self.accessibility = accessibility
        self.name = ""
        self.session_bus = ""  # the display's own session D-Bus address, with accessibility
        self._procs: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> VirtualDisplay:
        self.start()
        return self

    def __exit__(self, *exc: tuple[type[BaseException], BaseException, TracebackType] | None) -> None:
        self.stop()

    @property
    def env(self) -> dict[str, str]:
        """The environment of a program that runs on this display (with its session bus, when it has one)."""
        env = {**os.environ, "DISPLAY": self.name}
        env.pop("AT_SPI_BUS_ADDRESS", None)  # programs find the accessibility bus through the session bus
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)  # never the host's: a display without buses has none
        if self.session_bus:
            env["DBUS_SESSION_BUS_ADDRESS"] = self.session_bus
        return env

    def start(self) -> str:
        try:
            total = f"{self.width * self.heads}x{self.height}x24"
            # -noreset: an X server resets when its last client leaves (one does while the buses start), and
            # a reset drops every connection and the root window's properties (the accessibility bus's)
            host = self._server([require("Xvfb"), "-screen", "0", total, "-nolisten", "tcp", "-noreset"])
            if self.heads > 1:
                screens = []
                for i in range(self.heads):
                    screens += ["-screen", f"{self.width}x{self.height}+{i * self.width}+0"]
                xephyr = [require("Xephyr"), "+xinerama", *screens, "-nolisten", "tcp", "-noreset"]
                self.name = self._server(xephyr, {**os.environ, "DISPLAY": host})
            else:
                self.name = host
            if self.accessibility:
                self._start_buses()
            if self.wm:
                wm = [require("openbox")]
                self._procs.append(
                    subprocess.Popen(wm, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                )
                self._wait_for_wm()
        except BaseException:
            self.stop()
            raise
        return self.name

    def _start_buses(self) -> None:
        """A private session D-Bus, and its accessibility bus started (``at-spi-bus-launcher``, by D-Bus
        activation) with the enabled status set; both end with the session bus."""
        from capture.accessibility import bus

        daemon = [require("dbus-daemon"), "--session", "--nofork", "--print-address=1"]
        proc = subprocess.Popen(daemon, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._procs.append(proc)
        assert proc.stdout is not None
        address = proc.stdout.readline().decode().strip()
        proc.stdout.close()
        if not address:
            raise BackendUnavailableError(f"dbus-daemon did not start (exit code {proc.wait(5)})")
        self.session_bus = address
        bus.enable(address, timeout=10.0)
        bus.a11y_address(address, timeout=10.0)

    def _server(self, argv: list[str], env: dict[str, str] | None = None) -> str:
        """Start an X server that picks a free display number and tells it through -displayfd."""
        read_fd, write_fd = os.pipe()
        proc = subprocess.Popen(
            [*argv, "-displayfd", str(write_fd)],
            pass_fds=(write_fd,),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._procs.append(proc)
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()  # the server writes it once it accepts connections
        if not number:
            raise BackendUnavailableError(f"{Path(argv[0]).name} did not start (exit code {proc.wait(5)})")
        return f":{number}"

    def _wait_for_wm(self, timeout: float = 15.0) -> None:
        from Xlib import display

        conn = display.Display(self.name)
        try:
            check = conn.intern_atom("_NET_SUPPORTING_WM_CHECK")
            deadline = time.monotonic() + timeout
            while conn.screen().root.get_full_property(check, 0) is None:
                if time.monotonic() > deadline:
                    raise BackendUnavailableError(f"openbox did not take over {self.name} in {timeout:.0f} s")
                time.sleep(0.05)
        finally:
            conn.close()

    def stop(self) -> None:
        for proc in reversed(self._procs):
            proc.terminate()
        for proc in reversed(self._procs):
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._procs.clear()
        self.session_bus = ""
