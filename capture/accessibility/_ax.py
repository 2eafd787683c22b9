"""The macOS accessibility (AX) API through pyobjc (``ApplicationServices``).

Written against the backend interface and Apple's documented API; untested here (vsop's tests run on Linux):
treat it as a starting point on macOS. The recording process needs the Accessibility permission (System
Settings > Privacy & Security > Accessibility). The AX API has a z-order, so the element under a point is the
one a click there reaches (``pid`` is only checked). Each query runs in a worker thread with the caller's
limit, and the AX messaging timeout is set to it too, so a hung application answers kAXErrorCannotComplete.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from capture.accessibility._base import AccessibilityTimeout
from capture.accessibility._worker import Worker
from capture.errors import AccessibilityError, BackendUnavailableError
from capture.models import Element, Rect

ROLES = {
    "AXButton": "push button", "AXTextField": "entry", "AXTextArea": "text", "AXStaticText": "label",
    "AXCheckBox": "check box", "AXRadioButton": "radio button", "AXPopUpButton": "combo box",
    "AXComboBox": "combo box", "AXLink": "link", "AXMenuItem": "menu item", "AXMenu": "menu",
    "AXMenuBar": "menu bar", "AXMenuBarItem": "menu", "AXImage": "image", "AXWindow": "frame",
    "AXSheet": "dialog", "AXGroup": "panel", "AXToolbar": "tool bar", "AXTabGroup": "page tab list",
    "AXTable": "table", "AXRow": "table row", "AXCell": "table cell", "AXList": "list", "AXOutline": "tree",
    "AXScrollArea": "scroll pane", "AXSlider": "slider", "AXIncrementor": "spin button",
    "AXHeading": "heading", "AXWebArea": "document web", "AXApplication": "application",
    "AXDisclosureTriangle": "toggle button", "AXSplitGroup": "split pane",
    "AXProgressIndicator": "progress bar",
}  # fmt: skip
LEAVES = frozenset({"AXStaticText", "AXImage"})
CONTROLS = frozenset(
    {"AXButton", "AXLink", "AXMenuItem", "AXCheckBox", "AXRadioButton", "AXPopUpButton", "AXCell"}
)
SECURE = "AXSecureTextField"
T = TypeVar("T")
CANNOT_COMPLETE = -25204  # kAXErrorCannotComplete: the application did not answer (in time)
VALUE_LIMIT = 1024
MAX_PATH = 64


class Backend:
    name = "ax"

    def __init__(self) -> None:
        try:
            import ApplicationServices as ax
        except ImportError as exc:
            raise BackendUnavailableError(
                "accessibility: pyobjc is missing (pip install pyobjc-framework-ApplicationServices)"
            ) from exc
        if not ax.AXIsProcessTrusted():
            raise BackendUnavailableError(
                "accessibility: this program may not use the accessibility API: allow it in System Settings "
                "> Privacy & Security > Accessibility, then start it again"
            )
        self._ax = ax
        self._system = ax.AXUIElementCreateSystemWide()
        self._worker = Worker("vsop-ax")

    def element_at(self, x: int, y: int, *, pid: int | None, timeout: float) -> Element | None:
        def query() -> Element | None:
            err, el = self._ax.AXUIElementCopyElementAtPosition(self._system, float(x), float(y), None)
            self._check(err)
            if el is None or (pid is not None and self._pid(el) != pid):
                return None
            return self._describe(self._enclosing(el))

        return self._run(query, timeout)

    def focused(self, *, pid: int | None, timeout: float) -> Element | None:
        def query() -> Element | None:
            el = self._attr(self._system, "AXFocusedUIElement")
            if el is None or (pid is not None and self._pid(el) != pid):
                return None
            return self._describe(el)

        return self._run(query, timeout)

    def exposes(self, pid: int) -> bool:
        def query() -> bool:
            app = self._ax.AXUIElementCreateApplication(pid)
            return bool(self._attr(app, "AXWindows"))

        return self._run(query, 2.0)

    def close(self) -> None:
        self._worker.close()

    def _run(self, query: Callable[[], T], timeout: float) -> T:
        def limited() -> T:
            self._ax.AXUIElementSetMessagingTimeout(self._system, float(timeout))
            return query()

        return self._worker.run(limited, timeout)

    def _check(self, err: int) -> None:
        if err == CANNOT_COMPLETE:
            raise AccessibilityTimeout("the application did not answer the accessibility API in time")
        if err != 0 and err != -25212:  # kAXErrorNoValue: nothing there
            raise AccessibilityError(f"accessibility: the AX API answered error {err}")

    def _attr(self, el: Any, name: str) -> Any:
        err, value = self._ax.AXUIElementCopyAttributeValue(el, name, None)
        if err == CANNOT_COMPLETE:
            self._check(err)
        return value if err == 0 else None

    def _pid(self, el: Any) -> int | None:
        err, pid = self._ax.AXUIElementGetPid(el, None)
        return int(pid) if err == 0 else None

    def _enclosing(self, el: Any, up: int = 3) -> Any:
        if self._attr(el, "AXRole") not in LEAVES:
            return el
        cur = el
        for _ in range(up):
            cur = self._attr(cur, "AXParent")
            if cur is None:
                break
            if self._attr(cur, "AXRole") in CONTROLS:
                return cur
        return el

    def _describe(self, el: Any) -> Element:
        role_name = str(self._attr(el, "AXRole") or "")
        secret = self._attr(el, "AXSubrole") == SECURE
        title_el = self._attr(el, "AXTitleUIElement")
        label = (
            self._text(title_el, "AXValue") or self._text(title_el, "AXTitle")
            if title_el is not None
            else None
        )
        return Element(
            name=self._text(el, "AXTitle") or self._text(el, "AXDescription") or label,
            role="password text" if secret else ROLES.get(role_name, role_name.removeprefix("AX").lower()),
            states=self._states(el, role_name, secret),
            bounds=self._bounds(el),
            description=self._text(el, "AXHelp"),
            label=label,
            value=None if secret else self._value(el, role_name),
            placeholder=self._text(el, "AXPlaceholderValue"),
            path=self._path(el),
            app=self._app(el),
            source="ax",
        )

    def _text(self, el: Any, name: str) -> str | None:
        value = self._attr(el, name)
        return str(value).strip() or None if isinstance(value, str) else None

    def _states(self, el: Any, role_name: str, secret: bool) -> tuple[str, ...]:
        out = ["password"] if secret else []
        if role_name in ("AXTextField", "AXTextArea", "AXComboBox"):
            out.append("editable")
        if self._attr(el, "AXFocused"):
            out.append("focused")
        if role_name in ("AXCheckBox", "AXRadioButton") and self._attr(el, "AXValue") == 1:
            out.append("checked")
        if self._attr(el, "AXSelected"):
            out.append("selected")
        if self._attr(el, "AXExpanded"):
            out.append("expanded")
        if self._attr(el, "AXEnabled"):
            out.append("sensitive")
        return tuple(out)

    def _value(self, el: Any, role_name: str) -> str | None:
        """A field's text or a pop-up's choice. Never called for a secure text field."""
        if role_name not in ("AXTextField", "AXTextArea", "AXComboBox", "AXPopUpButton"):
            return None
        value = self._attr(el, "AXValue")
        return str(value)[:VALUE_LIMIT] if isinstance(value, str) else None

    def _bounds(self, el: Any) -> Rect | None:
        pos, size = self._attr(el, "AXPosition"), self._attr(el, "AXSize")
        if pos is None or size is None:
            return None
        ok_pos, point = self._ax.AXValueGetValue(pos, self._ax.kAXValueCGPointType, None)
        ok_size, extent = self._ax.AXValueGetValue(size, self._ax.kAXValueCGSizeType, None)
        if not (ok_pos and ok_size) or extent.width <= 0 or extent.height <= 0:
            return None
        return Rect(int(point.x), int(point.y), int(extent.width), int(extent.height))

    def _path(self, el: Any) -> tuple[tuple[str, str], ...]:
        path: list[tuple[str, str]] = []
        cur = self._attr(el, "AXParent")
        while cur is not None and len(path) < MAX_PATH:
            role_name = str(self._attr(cur, "AXRole") or "")
            path.append((ROLES.get(role_name, role_name), self._text(cur, "AXTitle") or ""))
            if role_name == "AXApplication":
                break
            cur = self._attr(cur, "AXParent")
        return tuple(reversed(path))

    def _app(self, el: Any) -> str | None:
        pid = self._pid(el)
        return self._text(self._ax.AXUIElementCreateApplication(pid), "AXTitle") if pid is not None else None
