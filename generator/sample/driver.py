"""Perform a sample scenario for real and record it with ``vsop record``.

Chromium runs the Acme CRM pages in app mode; mousepad is a real GTK editor. Elements are located through the
DevTools protocol (a CSS selector's box in the page) or by OCR (menus, dialogs, a select's open list), and
every input is real X input from xdotool: the recorder sees exactly what it would see of a person.

``python -m generator.sample.driver --record-fixtures tests/fixtures/recordings`` re-records the fixtures.
``... --record-long tests/fixtures/recordings/long-session`` records the Chromium scenarios one after another
in one 1920x1080 recording, the long recording of ``bench/generate.py``.
"""

from __future__ import annotations

import base64
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import click

from capture import load_recording
from capture.errors import VsopError
from capture.keys import MODIFIERS
from capture.models import KeyEvent, MouseButtonEvent, Recording, WindowEvent
from capture.xvfb import VirtualDisplay
from generator.sample.scenarios import (
    SCENARIOS,
    Click,
    ClickText,
    Input,
    Press,
    Scenario,
    Scroll,
    TypeText,
    WaitFor,
    by_id,
    page,
    step,
)

ACME = Path(__file__).with_name("acme")
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--password-store=basic",
    "--disable-features=Translate",
    "--test-type",  # no "unsupported command-line flag: --no-sandbox" bar over the page
)
CHROMIUM_WINDOW = (40, 30, 1200, 740)  # x, y, width, height: fits a 1280x800 screen with its frame
MOUSEPAD_WINDOW = (60, 40, 900, 600)
# GSettings of the private mousepad: the file name alone in the title, no folder of this machine
MOUSEPAD_SETTINGS = "[org/xfce/mousepad/preferences/window]\npath-in-title=false\n"
KEY_DELAY_MS = 60  # per typed key (xdotool waits half after the press, half after the release)
PAUSE_S = 0.2  # between two actions, as a person would pause
OCR_SCALE = 2  # small UI text reads far better enlarged
T = TypeVar("T")


class DriverError(VsopError):
    """A scenario could not be performed: a tool is missing, an element or a text was not found in time."""


def wait_until(condition: Callable[[], T | None], timeout: float, what: str) -> T:
    """Poll ``condition`` until it returns something truthy; raise with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise DriverError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def require(binary: str, package: str) -> str:
    path = shutil.which(binary)
    if path is None:
        raise DriverError(f"{binary} not found: install it (apt-get install {package})")
    return path


# -- X input -------------------------------------------------------------------------------------------------


class Xdo:
    """xdotool on one display: every mouse move, click and key of a scenario goes through here."""

    def __init__(self, display: VirtualDisplay) -> None:
        self.env = display.env
        self.binary = require("xdotool", "xdotool")

    def __call__(self, *args: object, timeout: float = 30.0) -> str:
        done = subprocess.run(
            [self.binary, *map(str, args)], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise DriverError(f"xdotool {' '.join(map(str, args))} failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def pointer(self) -> tuple[int, int]:
        values = dict(item.split(":", 1) for item in self("getmouselocation").split())
        return int(values["x"]), int(values["y"])

    def glide(self, x: int, y: int, steps: int = 6) -> None:
        """Move the pointer to (x, y) along a short path, as a hand would, ending with motion at (x, y)."""
        x0, y0 = self.pointer()
        if (x0, y0) == (x, y):
            x0, y0 = x - 6, y - 6
        args: list[object] = []
        for i in range(1, steps + 1):
            args += ["mousemove", x0 + (x - x0) * i // steps, y0 + (y - y0) * i // steps, "sleep", "0.012"]
        self(*args)

    def click(self, button: str = "left", double: bool = False) -> None:
        number = {"left": 1, "middle": 2, "right": 3}[button]
        self("click", "--repeat", 2 if double else 1, "--delay", 90, number)

    def type(self, text: str) -> None:
        self("type", "--delay", KEY_DELAY_MS, "--", text)

    def key(self, keys: str) -> None:
        if keys.lower().replace(" ", "") in ("ctrl+alt+s", "ctrl+alt+p", "ctrl+alt+c"):
            raise DriverError(f"{keys} is a hotkey of the recorder itself; a scenario must not press it")
        self("key", "--delay", KEY_DELAY_MS, keys)

    def wheel(self, direction: str, notches: int) -> None:
        self("click", "--repeat", notches, "--delay", 60, 4 if direction == "up" else 5)

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        """The window's inside on the screen (xdotool getwindowgeometry counts an openbox frame twice)."""
        from Xlib import display as xdisplay

        conn = xdisplay.Display(self.env["DISPLAY"])
        try:
            handle = conn.create_resource_object("window", int(window))
            size = handle.get_geometry()
            origin = handle.translate_coords(conn.screen().root, 0, 0)
            return -origin.x, -origin.y, size.width, size.height
        finally:
            conn.close()

    def active_title(self) -> str:
        return self("getactivewindow", "getwindowname")

    def window_of(self, pid: int, timeout: float = 60.0) -> str:
        """The first visible window of process ``pid``, once it is mapped."""

        def search() -> str | None:
            # no --sync: a window destroyed during the search (BadWindow) fails one try, not the wait
            argv = [self.binary, "search", "--onlyvisible", "--pid", str(pid)]
            done = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=10)
            return done.stdout.split()[0] if done.returncode == 0 and done.stdout.strip() else None

        return wait_until(search, timeout, f"a window of process {pid}")

    def place(self, window: str, geometry: tuple[int, int, int, int]) -> None:
        x, y, width, height = geometry
        self("windowsize", "--sync", window, width, height)
        self("windowmove", "--sync", window, x, y)
        self("windowactivate", "--sync", window)


# -- OCR -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextLine:
    words: tuple[str, ...]  # normalized: lower case, letters and digits only
    boxes: tuple[tuple[int, int, int, int], ...]  # left, top, width, height in screen pixels


def _norm(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalnum())


def read_lines(display: VirtualDisplay, region: tuple[int, int, int, int]) -> list[TextLine]:
    """The text lines tesseract reads in ``region`` (x, y, width, height) of the screen."""
    import mss
    import pytesseract  # type: ignore[import-untyped]
    from PIL import Image

    require("tesseract", "tesseract-ocr")
    x, y, width, height = region
    with mss.MSS(display=display.name) as screen:
        shot = screen.grab({"left": x, "top": y, "width": width, "height": height})
    image = Image.frombytes("RGB", shot.size, shot.rgb).convert("L")
    image = image.resize((width * OCR_SCALE, height * OCR_SCALE), Image.Resampling.LANCZOS)
    data = pytesseract.image_to_data(image, output_type=pytesseract.Output.DICT, config="--psm 11")
    lines: dict[tuple[int, int, int], list[tuple[str, tuple[int, int, int, int]]]] = {}
    for i, text in enumerate(data["text"]):
        if _norm(text):
            box = tuple(
                x0 // OCR_SCALE
                for x0 in (data["left"][i], data["top"][i], data["width"][i], data["height"][i])
            )
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(key, []).append((_norm(text), (x + box[0], y + box[1], box[2], box[3])))
    return [TextLine(tuple(w for w, _ in ws), tuple(b for _, b in ws)) for ws in lines.values()]


def locate_text(lines: Sequence[TextLine], text: str) -> tuple[int, int] | None:
    """Centre of ``text`` among OCR lines: a line that is exactly the text first, then a line starting with
    it, then the text anywhere in a line (a menu bar is one line)."""
    wanted = tuple(w for w in map(_norm, text.split()) if w)
    found: list[tuple[int, tuple[int, int]]] = []
    for line in lines:
        for start in range(len(line.words) - len(wanted) + 1):
            if line.words[start : start + len(wanted)] == wanted:
                rank = 0 if len(line.words) == len(wanted) else 1 if start == 0 else 2
                found.append((rank, _centre(line.boxes[start : start + len(wanted)])))
    return min(found)[1] if found else None


def _centre(boxes: Sequence[tuple[int, int, int, int]]) -> tuple[int, int]:
    left = min(b[0] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    top = min(b[1] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return (left + right) // 2, (top + bottom) // 2


# -- DevTools protocol: a minimal websocket client (RFC 6455, text frames, no extensions) --------------------


class DevToolsError(DriverError):
    """Chromium answered a DevTools call with an error (often: the page is navigating; retry)."""


class DevTools:
    """One page target of Chromium's DevTools protocol, over a plain socket."""

    def __init__(self, url: str, timeout: float = 15.0) -> None:
        parts = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        self.stream = self.sock.makefile("rb")
        status = self.stream.readline()
        if b" 101 " not in status:
            raise DriverError(f"DevTools refused the connection to {url}: {status.decode(errors='replace')}")
        while self.stream.readline() not in (b"\r\n", b""):
            pass
        self.next_id = 0

    def close(self) -> None:
        self.stream.close()
        self.sock.close()

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._receive())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise DevToolsError(f"{method}: {message['error'].get('message')}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise DevToolsError(f"script failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def _send(self, text: str, opcode: int = 0x1) -> None:
        payload = text.encode()
        size = len(payload)
        if size < 126:
            header = bytes([0x80 | opcode, 0x80 | size])
        elif size < 1 << 16:
            header = bytes([0x80 | opcode, 0x80 | 126]) + size.to_bytes(2, "big")
        else:
            header = bytes([0x80 | opcode, 0x80 | 127]) + size.to_bytes(8, "big")
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _receive(self) -> str:
        message = b""
        while True:
            first, second = self._read(2)
            size = second & 0x7F
            if size >= 126:
                size = int.from_bytes(self._read(2 if size == 126 else 8), "big")
            mask = self._read(4) if second & 0x80 else b""
            data = self._read(size)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            opcode = first & 0x0F
            if opcode == 0x8:
                raise DriverError("Chromium closed the DevTools connection (did the browser exit?)")
            if opcode == 0x9:
                self._send(data.decode(errors="replace"), opcode=0xA)
            elif opcode in (0x0, 0x1, 0x2):
                message += data
                if first & 0x80:
                    return message.decode()

    def _read(self, size: int) -> bytes:
        data = self.stream.read(size)
        if len(data) < size:
            raise DriverError("the DevTools connection ended (did Chromium exit?)")
        return data


# -- the applications ----------------------------------------------------------------------------------------

_POINTER_JS = """(() => {
  if (!window.__vsopPointer) {
    window.__vsopPointer = {x: null, y: null};
    addEventListener("mousemove", (e) => { window.__vsopPointer = {x: e.clientX, y: e.clientY}; }, true);
  }
  return window.__vsopPointer;
})()"""

_BOX_JS = """((selector) => {
  const el = document.querySelector(selector);
  if (document.readyState !== "complete" || !el) return null;
  let r = el.getBoundingClientRect();
  if (!["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName) && el.textContent.trim()) {
    const range = document.createRange();  // a person clicks on the words, not on the empty end of a cell
    range.selectNodeContents(el);
    const words = range.getBoundingClientRect();
    if (words.width > 0 && words.height > 0) r = words;
  }
  const style = getComputedStyle(el);
  const shown = r.width > 0 && r.height > 0 && style.visibility !== "hidden" && r.top >= 0 && r.left >= 0
    && r.bottom <= innerHeight && r.right <= innerWidth;
  return {x: r.left, y: r.top, w: r.width, h: r.height, shown, ratio: devicePixelRatio};
})"""

_HIT_JS = """((selector, x, y) => {
  const p = window.__vsopPointer, el = document.querySelector(selector);
  const hit = document.elementFromPoint(x, y);
  return !!(p && p.x === x && p.y === y && el && hit && (el.contains(hit) || hit === el));
})"""


class AppSession(Protocol):
    xdo: Xdo

    def click(self, action: Click) -> None: ...

    def hover(self, selector: str) -> None: ...

    def visible(self, selector: str) -> bool: ...

    def saved(self, name: str) -> Path: ...

    def activate(self) -> None: ...

    def close(self) -> None: ...


class Chromium:
    """Chromium in app mode on ``display``, showing Acme CRM pages; reusable across scenarios."""

    def __init__(self, display: VirtualDisplay, window: tuple[int, int, int, int] = CHROMIUM_WINDOW) -> None:
        self.display = display
        self.xdo = Xdo(display)
        self.geometry = window
        self.profile = tempfile.TemporaryDirectory(prefix="vsop-chromium-", ignore_cleanup_errors=True)
        self.proc: subprocess.Popen[bytes] | None = None
        self.devtools: DevTools | None = None
        self.window = ""
        self.offset = (0, 0)  # screen point = page point + offset

    def start(self, page: str) -> Chromium:
        x, y, width, height = self.geometry
        argv = [
            chromium_binary(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={self.profile.name}",
            f"--window-position={x},{y}",
            f"--window-size={width},{height}",
            "--remote-debugging-port=0",
            f"--app={page_url(page)}",
        ]
        self.proc = subprocess.Popen(
            argv, env=self.display.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            self.devtools = DevTools(self._page_socket())
            self.window = self.xdo.window_of(self.proc.pid)
            self.wait_loaded(page)
            self.activate()
            self.offset = self._calibrate()
        except BaseException:
            self.close()
            raise
        return self

    def _page_socket(self) -> str:
        port_file = Path(self.profile.name) / "DevToolsActivePort"
        assert self.proc is not None
        proc = self.proc

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

    @property
    def tools(self) -> DevTools:
        if self.devtools is None:
            raise DriverError("Chromium is not started")
        return self.devtools

    def open(self, page: str) -> None:
        """Show ``page`` (setup between scenarios, not a step: no input is involved)."""
        self.tools.call("Page.navigate", url=page_url(page))
        self.wait_loaded(page)
        self.activate()

    def wait_loaded(self, page: str) -> None:
        url = page_url(page)
        expression = f"document.readyState === 'complete' && location.href === {json.dumps(url)}"
        self._retry(lambda: self.tools.evaluate(expression), 30, f"{page} to load")

    def activate(self) -> None:
        self.xdo("windowactivate", "--sync", self.window)

    def _retry(self, condition: Callable[[], T | None], timeout: float, what: str) -> T:
        """``wait_until`` that treats a DevTools error (a page in the middle of navigating) as 'not yet'."""
        last: list[str] = []

        def attempt() -> T | None:
            try:
                return condition()
            except DevToolsError as exc:
                last[:] = [str(exc)]
                return None

        try:
            return wait_until(attempt, timeout, what)
        except DriverError as exc:
            raise DriverError(f"{exc}{f' (last error: {last[0]})' if last else ''}") from None

    def _calibrate(self) -> tuple[int, int]:
        """Offset from page to screen pixels, measured: move the pointer and read where the page saw it."""
        x, y, width, height = self.xdo.geometry(self.window)
        first = (x + width // 2, y + height // 2)
        second = (first[0] + 9, first[1] + 7)
        seen = [self._seen_at(first), self._seen_at(second)]
        if (seen[1][0] - seen[0][0], seen[1][1] - seen[0][1]) != (9, 7):
            raise DriverError(f"page pixels are not screen pixels (zoom or scaling?): saw {seen}")
        return second[0] - seen[1][0], second[1] - seen[1][1]

    def _seen_at(self, point: tuple[int, int]) -> tuple[int, int]:
        """Move the pointer to a screen point; the page point where the page saw it arrive."""
        before = self.tools.evaluate(_POINTER_JS)
        self.xdo("mousemove", *point)

        def moved() -> dict[str, Any] | None:
            now: dict[str, Any] = self.tools.evaluate(_POINTER_JS)
            return now if now != before and now["x"] is not None else None

        seen = self._retry(moved, 10, "the page to see the pointer")
        return int(seen["x"]), int(seen["y"])

    def box(self, selector: str, timeout: float = 15.0) -> dict[str, Any]:
        """The box in page pixels of the element (of its text, if it has any) once it is shown inside the
        viewport and no longer moving."""
        script = f"{_BOX_JS}({json.dumps(selector)})"
        previous: list[dict[str, Any]] = []

        def settled() -> dict[str, Any] | None:
            box = self.tools.evaluate(script)
            stable = box is not None and box["shown"] and previous[-1:] == [box]
            previous[:] = [box]
            return box if stable else None

        box: dict[str, Any] = self._retry(settled, timeout, f"{selector} to show in the window")
        if box["ratio"] != 1:
            raise DriverError(f"device pixel ratio {box['ratio']}: start Chromium without scaling")
        return box

    def visible(self, selector: str) -> bool:
        return bool(self.box(selector))

    def hover(self, selector: str) -> None:
        """Move the pointer onto the element and make sure the page saw it land there."""
        box = self.box(selector)
        page_x, page_y = round(box["x"] + box["w"] / 2), round(box["y"] + box["h"] / 2)
        self.tools.evaluate(_POINTER_JS)
        self.xdo.glide(page_x + self.offset[0], page_y + self.offset[1])
        hit = f"{_HIT_JS}({json.dumps(selector)}, {page_x}, {page_y})"
        self._retry(lambda: self.tools.evaluate(hit), 10, f"the pointer to land on {selector}")

    def click(self, action: Click) -> None:
        self.hover(action.selector)
        self.xdo.click(action.button, action.double)

    def saved(self, name: str) -> Path:
        raise DriverError("the Acme CRM pages save no files")

    def close(self) -> None:
        if self.devtools is not None:
            self.devtools.close()
            self.devtools = None
        if self.proc is not None:
            _end(self.proc)
            self.proc = None
        self.profile.cleanup()


class Mousepad:
    """The mousepad text editor with a fresh, private configuration, saving into its own folder."""

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
        home = self.home
        settings = home / ".config" / "glib-2.0" / "settings" / "keyfile"
        settings.parent.mkdir(parents=True)
        settings.write_text(MOUSEPAD_SETTINGS, encoding="utf-8")
        env = {
            **self.display.env,
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "GSETTINGS_BACKEND": "keyfile",
            "NO_AT_BRIDGE": "1",
        }
        argv = [require("mousepad", "mousepad"), "--disable-server"]
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

    def click(self, action: Click) -> None:
        raise DriverError(f"mousepad has no CSS selectors ({action.selector}); use ClickText")

    def hover(self, selector: str) -> None:
        raise DriverError(f"mousepad has no CSS selectors ({selector})")

    def visible(self, selector: str) -> bool:
        raise DriverError(f"mousepad has no CSS selectors ({selector})")

    def saved(self, name: str) -> Path:
        return self.folder / name

    def activate(self) -> None:
        self.xdo("windowactivate", "--sync", self.window)

    def close(self) -> None:
        if self.proc is not None:
            _end(self.proc)
            self.proc = None
        self.scratch.cleanup()


def _end(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def chromium_binary() -> str:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise DriverError("chromium not found: install it (apt-get install chromium)")


def page_url(page: str) -> str:
    path = ACME / page
    if not path.is_file():
        raise DriverError(f"{page}: no such Acme CRM page in {ACME.name}/")
    return path.as_uri()


# -- performing a scenario -----------------------------------------------------------------------------------


def perform(scenario: Scenario, app: AppSession, display: VirtualDisplay) -> None:
    for action in scenario.actions:
        do(action, app, display)
        time.sleep(PAUSE_S)


def do(action: Input, app: AppSession, display: VirtualDisplay) -> None:
    if isinstance(action, Click):
        app.click(action)
    elif isinstance(action, ClickText):
        click_text(app.xdo, display, action.text)
    elif isinstance(action, TypeText):
        app.xdo.type(action.text)
    elif isinstance(action, Press):
        app.xdo.key(action.keys)
    elif isinstance(action, Scroll):
        app.hover(action.over)
        app.xdo.wheel(action.direction, action.notches)
    else:
        wait_for(action, app)


def click_text(xdo: Xdo, display: VirtualDisplay, text: str, timeout: float = 20.0) -> None:
    """Click ``text`` where OCR reads it in the active window (a menu or a list opening may take a moment)."""
    window = xdo("getactivewindow")
    x, y, width, height = xdo.geometry(window)
    region = (max(0, x), max(0, y), min(width, display.width - x), min(height, display.height - y))
    point = wait_until(lambda: locate_text(read_lines(display, region), text), timeout, f"the text {text!r}")
    xdo.glide(*point)
    xdo.click()


def wait_for(condition: WaitFor, app: AppSession, timeout: float = 15.0) -> None:
    if condition.visible:
        app.visible(condition.visible)
    if condition.file:
        path = app.saved(condition.file)
        wanted = condition.contains or ""
        wait_until(
            lambda: path.is_file() and wanted in path.read_text(encoding="utf-8"),
            timeout,
            f"{path.name} saved",
        )
    if condition.title:
        title = condition.title
        wait_until(lambda: app.xdo.active_title() == title, timeout, f"the window title {title!r}")


# -- recording -----------------------------------------------------------------------------------------------


class RecorderRun:
    """``vsop record`` in a subprocess on the display, as a person would start it."""

    def __init__(self, display: VirtualDisplay, out: Path, scenario: Scenario) -> None:
        self.out = out
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the recorder runs)
        root = Path(__file__).resolve().parents[2]
        env = {
            **display.env,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
        }
        argv = [sys.executable, "-m", "generator.cli", "record", "--out", str(out)]
        argv += ["--title", scenario.title, "--stage", scenario.stage]
        self.proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=self.log)
        self._wait_listening()

    def _wait_listening(self, timeout: float = 30.0) -> None:
        assert self.proc.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.proc.stdout, selectors.EVENT_READ)
            ready = selector.select(timeout)
        if not ready or not self.proc.stdout.readline().strip():
            self.kill()
            raise DriverError(f"the recorder did not start: {self._stderr()}")

    def events(self) -> list[dict[str, Any]]:
        path = self.out / "events.jsonl"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        return [json.loads(line) for line in text.splitlines(keepends=True) if line.endswith("\n")]

    def wait_written(self, scenario: Scenario, timeout: float = 30.0) -> None:
        """Until each press, release, key, wheel notch and window title of the scenario is in events.jsonl."""
        wanted = {
            "mouse_press": scenario.presses,
            "mouse_release": scenario.presses,
            "key_press": scenario.key_presses,
            "scroll": scenario.scroll_notches,
            "titles": len(set(scenario.titles)),  # the recorder notes a new title within half a second
        }

        def counts() -> dict[str, int]:
            found = dict.fromkeys(wanted, 0)
            titles = set()
            for event in self.events():
                kind = event["type"]
                if kind in found and not (kind == "key_press" and event.get("key") in MODIFIERS):
                    found[kind] += 1
                titles.add((event.get("window") or {}).get("title"))
            found["titles"] = len(titles & set(scenario.titles))
            return found

        last: list[dict[str, int]] = []

        def done() -> bool:
            last[:] = [counts()]
            return all(last[0][k] >= n for k, n in wanted.items())

        try:
            wait_until(done, timeout, "the recorder to write every event")
        except DriverError as exc:
            raise DriverError(f"{exc}: wanted {wanted}, found {last[0] if last else {}}") from None

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.kill()
            raise DriverError("the recorder did not stop within 30 s of SIGTERM") from None
        if self.proc.returncode != 0:
            raise DriverError(f"the recorder exited with {self.proc.returncode}: {self._stderr()}")
        self._close_pipes()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_pipes()

    def _stderr(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace").strip()

    def _close_pipes(self) -> None:
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.log.close()


@contextmanager
def session(scenario: Scenario, display: VirtualDisplay, chromium: Chromium | None) -> Iterator[AppSession]:
    """The scenario's application, started (or a running Chromium shown on the start page), closed after."""
    if scenario.app == "mousepad":
        app: AppSession = Mousepad(display).start()
    elif chromium is not None:
        chromium.open(scenario.start or "home.html")
        app = chromium
    else:
        app = Chromium(display).start(scenario.start or "home.html")
    try:
        yield app
    finally:
        if app is not chromium:
            app.close()


def record_scenario(
    scenario: Scenario, display: VirtualDisplay, out_dir: Path, chromium: Chromium | None = None
) -> Path:
    """Record ``scenario`` performed for real on ``display`` into the new folder ``out_dir``; return it."""
    with session(scenario, display, chromium) as app:
        app.activate()
        recorder = RecorderRun(display, out_dir, scenario)
        try:
            perform(scenario, app, display)
            recorder.wait_written(scenario)
        except BaseException:
            recorder.kill()
            raise
        recorder.stop()
    return out_dir


# -- checking a recording ------------------------------------------------------------------------------------


def problems(recording: Recording, scenario: Scenario) -> list[str]:
    """What the recording of ``scenario`` lacks, at the capture level (empty when it is complete)."""
    found = [f"loader: {p}" for p in recording.problems]
    if not recording.complete:
        found.append("meta.json: no end time (the recorder did not finish)")
    presses = [e for e in recording.events if isinstance(e, MouseButtonEvent) and e.type == "mouse_press"]
    if len(presses) != scenario.presses:
        found.append(f"{len(presses)} mouse presses, expected {scenario.presses}")
    found += [f"press at {p.t:.2f} s has no frame" for p in presses if p.frame is None]
    typed = "".join(
        e.char or "" for e in recording.events if isinstance(e, KeyEvent) and e.type == "key_press"
    )
    found += [f"typed text {text!r} not in the key events" for text in scenario.typed if text not in typed]
    titles = window_titles(recording)
    found += [
        f"window title {title!r} never seen (saw {sorted(titles)})"
        for title in scenario.titles
        if title not in titles
    ]
    return found


def window_titles(recording: Recording) -> set[str]:
    titles = set()
    for event in recording.events:
        window = getattr(event, "window", None) if not isinstance(event, WindowEvent) else event.window
        if window is not None and window.title:
            titles.add(window.title)
    return titles


# -- fixtures ------------------------------------------------------------------------------------------------


def record_fixtures(target: Path, scenarios: Sequence[Scenario], size: tuple[int, int] = (1280, 800)) -> None:
    """Record each scenario on a fresh virtual display and store it as ``target/<id>/`` (without .lock)."""
    with VirtualDisplay(*size) as display, tempfile.TemporaryDirectory(prefix="vsop-fixtures-") as scratch:
        chromium: Chromium | None = None
        try:
            for scenario in scenarios:
                if scenario.app == "chromium" and chromium is None:
                    chromium = Chromium(display).start(scenario.start or "home.html")
                elif scenario.app != "chromium" and chromium is not None:
                    chromium.close()  # another app's frames show that app alone
                    chromium = None
                path = record_scenario(scenario, display, Path(scratch) / scenario.id, chromium)
                missing = problems(load_recording(path), scenario)
                if missing:
                    raise DriverError(f"{scenario.id}: the recording is incomplete: {'; '.join(missing)}")
                store(path, target / scenario.id)
                click.echo(f"{scenario.id}: {target / scenario.id}")
        finally:
            if chromium is not None:
                chromium.close()


# -- a long session: several Chromium scenarios in one recording ---------------------------------------------

# Acme CRM pages a person opens with a click on the top bar: page -> (selector, link text, window title)
TOPBAR = {
    "home.html": (".topbar .brand", "Acme CRM", page("Home")),
    **{
        name: (f".nav a[href='{name}']", text, page(text))
        for name, text in [
            ("leads.html", "Leads"),
            ("orders.html", "Orders"),
            ("customers.html", "Customers"),
            ("quality.html", "Quality"),
            ("deliveries.html", "Deliveries"),
        ]
    },
}
SESSION_WINDOW = (40, 30, 1840, 1010)  # Chromium's window for a session on a 1920x1080 screen


def session_scenario(scenarios: Sequence[Scenario]) -> Scenario:
    """Chromium scenarios one after the other as one: before each, a click on the top bar opens its start
    page (a step of its own), unless the previous scenario ended there."""
    if not scenarios:
        raise DriverError("a session needs at least one Chromium scenario")
    actions: list[Input] = []
    steps = []
    titles: list[str] = []
    here: str | None = None  # title of the page the previous scenario ended on
    for scenario in scenarios:
        if scenario.app != "chromium" or scenario.start is None:
            raise DriverError(f"{scenario.id}: a session holds Chromium scenarios only")
        start = TOPBAR.get(scenario.start)
        if here is not None:
            if start is None:
                raise DriverError(f"{scenario.id}: {scenario.start} has no link on the top bar")
            if here != start[2]:
                actions += [Click(start[0]), WaitFor(title=start[2])]
                steps.append(step("click", start[1]))
                titles.append(start[2])
        actions += scenario.actions
        steps += scenario.steps
        titles += scenario.titles
        waited = [a.title for a in scenario.actions if isinstance(a, WaitFor) and a.title]
        here = waited[-1] if waited else start[2] if start else None
    first = scenarios[0]
    return Scenario(
        id="long-session",
        title="Work through Acme CRM from sign-in to delivery",
        stage=first.stage,
        app="chromium",
        start=first.start,
        actions=tuple(actions),
        steps=tuple(steps),
        titles=tuple(dict.fromkeys(titles)),
    )


def record_session(target: Path, scenarios: Sequence[Scenario], size: tuple[int, int] = (1920, 1080)) -> None:
    """Record the scenarios in one recording, one Chromium on a fresh display, and store it as ``target``."""
    combined = session_scenario(scenarios)
    with VirtualDisplay(*size) as display, tempfile.TemporaryDirectory(prefix="vsop-session-") as scratch:
        chromium = Chromium(display, SESSION_WINDOW).start(combined.start or "home.html")
        try:
            path = record_scenario(combined, display, Path(scratch) / combined.id, chromium)
        finally:
            chromium.close()
        missing = problems(load_recording(path), combined)
        if missing:
            raise DriverError(f"{combined.id}: the recording is incomplete: {'; '.join(missing)}")
        store(path, target)
    click.echo(f"{combined.id}: {target} ({len(combined.steps)} steps)")


def store(recording: Path, destination: Path) -> None:
    (recording / ".lock").unlink(missing_ok=True)
    if destination.exists():
        shutil.rmtree(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(recording, destination)


@click.command()
@click.option(
    "--record-fixtures",
    "target",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to store one recording per scenario in (e.g. tests/fixtures/recordings).",
)
@click.option(
    "--record-long",
    "long_target",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to store ONE 1920x1080 recording of all Chromium scenarios in, one after the other "
    "(e.g. tests/fixtures/recordings/long-session).",
)
@click.option("--scenario", "ids", multiple=True, help="Record only this scenario id (repeatable).")
def cli(target: Path | None, long_target: Path | None, ids: tuple[str, ...]) -> None:
    """Perform the sample scenarios for real on a private X display and store their recordings."""
    if target is None and long_target is None:
        raise click.UsageError("give --record-fixtures DIR or --record-long DIR")
    scenarios = [by_id(i) for i in ids] if ids else list(SCENARIOS)
    if target is not None:
        record_fixtures(target, scenarios)
    if long_target is not None:
        record_session(long_target, [s for s in scenarios if s.app == "chromium"])


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="python -m generator.sample.driver", standalone_mode=False)
    except (VsopError, KeyError) as exc:
        click.echo(f"vsop: error: {exc}", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
