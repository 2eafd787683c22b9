"""Chromium showing Acme CRM pages: elements located through DevTools, clicked with real X input."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

from generator.sample.driver import page_scripts
from generator.sample.driver.chromium_launch import CHROMIUM_WINDOW, launch, page_socket, page_url
from generator.sample.driver.devtools import DevTools, retry
from generator.sample.driver.errors import DriverError
from generator.sample.scenarios import Click
from generator.sample.xsession import VirtualDisplay, Xdo, end


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
        profile = Path(self.profile.name)
        self.proc = launch(self.display, profile, self.geometry, page)
        try:
            self.devtools = DevTools(page_socket(self.proc, profile))
            self.window = self.xdo.window_of(self.proc.pid)
            self.wait_loaded(page)
            self.activate()
            self.offset = self._calibrate()
        except BaseException:
            self.close()
            raise
        return self

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
        expression = page_scripts.loaded(page_url(page))
        retry(lambda: self.tools.evaluate(expression), 30, f"{page} to load")

    def activate(self) -> None:
        self.xdo.activate(self.window)

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
        before = self.tools.evaluate(page_scripts.POINTER)
        self.xdo("mousemove", *point)

        def moved() -> dict[str, Any] | None:
            now: dict[str, Any] = self.tools.evaluate(page_scripts.POINTER)
            return now if now != before and now["x"] is not None else None

        seen = retry(moved, 10, "the page to see the pointer")
        return int(seen["x"]), int(seen["y"])

    def box(self, selector: str, timeout: float = 15.0) -> dict[str, Any]:
        """The box in page pixels of the element (of its text, if it has any) once it is shown inside the
        viewport and no longer moving."""
        script = page_scripts.box(selector)
        previous: list[dict[str, Any]] = []

        def settled() -> dict[str, Any] | None:
            box = self.tools.evaluate(script)
            stable = box is not None and box["shown"] and previous[-1:] == [box]
            previous[:] = [box]
            return box if stable else None

        box: dict[str, Any] = retry(settled, timeout, f"{selector} to show in the window")
        if box["ratio"] != 1:
            raise DriverError(f"device pixel ratio {box['ratio']}: start Chromium without scaling")
        return box

    def visible(self, selector: str) -> bool:
        return bool(self.box(selector))

    def hover(self, selector: str) -> None:
        """Move the pointer onto the element and make sure the page saw it land there."""
        box = self.box(selector)
        page_x, page_y = round(box["x"] + box["w"] / 2), round(box["y"] + box["h"] / 2)
        self.tools.evaluate(page_scripts.POINTER)
        self.xdo.glide(page_x + self.offset[0], page_y + self.offset[1])
        hit = page_scripts.hit(selector, page_x, page_y)
        retry(lambda: self.tools.evaluate(hit), 10, f"the pointer to land on {selector}")

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
            end(self.proc)
            self.proc = None
        self.profile.cleanup()
