"""Chromium (found and flagged by ``generator.export.browser``) started in app mode on an Acme CRM page, and
its DevTools page target found."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from pathlib import Path

from generator.export.browser import chromium_argv, find_chromium
from generator.sample.driver.errors import DriverError
from generator.sample.xsession import VirtualDisplay, wait_until

ACME = Path(__file__).parent.parent / "acme"
HOME_PAGE = "home.html"
CHROMIUM_WINDOW = (40, 30, 1200, 740)  # x, y, width, height: fits a 1280x800 screen with its frame


def page_url(page: str) -> str:
    path = (ACME / page).resolve()  # a page of the corpus is "../corpus/web/<page>"
    if not path.is_file():
        raise DriverError(f"{page}: no such Acme CRM page in {ACME.name}/")
    return path.as_uri()


def launch(
    display: VirtualDisplay, profile: Path, window: tuple[int, int, int, int], page: str
) -> subprocess.Popen[bytes]:
    """Chromium with its own ``profile``, in ``window`` (x, y, width, height), showing ``page``."""
    x, y, width, height = window
    place = (f"--window-position={x},{y}", f"--window-size={width},{height}")
    binary = find_chromium("the sample driver")
    argv = chromium_argv(
        binary, profile, *place, "--remote-debugging-port=0", f"--app={page_url(page)}", accessible=True
    )
    return subprocess.Popen(argv, env=display.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def page_socket(proc: subprocess.Popen[bytes], profile: Path) -> str:
    """The DevTools websocket address of the page Chromium (started with ``profile``) shows."""
    port_file = profile / "DevToolsActivePort"

    def port() -> str | None:
        if proc.poll() is not None:
            raise DriverError(f"Chromium exited at start (exit code {proc.returncode})")
        lines = port_file.read_text().splitlines() if port_file.exists() else []
        return lines[0] if len(lines) >= 2 else None

    number = wait_until(port, 60, "Chromium's DevToolsActivePort file")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def page_target() -> str | None:
        with opener.open(f"http://127.0.0.1:{number}/json/list", timeout=5) as answer:
            targets = json.load(answer)
        pages = [t["webSocketDebuggerUrl"] for t in targets if t.get("type") == "page"]
        return pages[0] if pages else None

    return wait_until(page_target, 30, "Chromium's page target")
