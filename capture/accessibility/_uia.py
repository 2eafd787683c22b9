"""Windows UI Automation through comtypes (``UIAutomationCore.dll``).

Written against the backend interface and UI Automation's documented API; untested here (vsop's tests run
on Linux): treat it as a starting point on Windows. UI Automation has a z-order, so the element under a point
is the one a click there reaches (``pid`` is only checked); every window is exposed (UI Automation proxies
plain Win32 windows too). All COM objects live in one multi-threaded-apartment worker thread; each query has
the caller's limit, and UI Automation's own connection and transaction timeouts are set to it as well.
"""

from __future__ import annotations

from typing import Any

from capture.accessibility._base import AccessibilityTimeout
from capture.accessibility._worker import Worker
from capture.errors import AccessibilityError, BackendUnavailableError
from capture.models import Element, Rect

# UIA_*ControlTypeId -> AT-SPI role name
ROLES = {
    50000: "push button", 50001: "calendar", 50002: "check box", 50003: "combo box", 50004: "entry",
    50005: "link", 50006: "image", 50007: "list item", 50008: "list", 50009: "menu", 50010: "menu bar",
    50011: "menu item", 50012: "progress bar", 50013: "radio button", 50014: "scroll bar", 50015: "slider",
    50016: "spin button", 50017: "status bar", 50018: "page tab list", 50019: "page tab", 50020: "label",
    50021: "tool bar", 50022: "tool tip", 50023: "tree", 50024: "tree item", 50025: "unknown", 50026: "panel",
    50027: "unknown", 50028: "table", 50029: "table row", 50030: "document frame", 50031: "push button",
    50032: "frame", 50033: "panel", 50034: "header", 50035: "column header", 50036: "table",
    50037: "title bar", 50038: "separator", 50040: "tool bar",
}  # fmt: skip
LEAVES = frozenset({50020, 50006})  # text and image: reported as the control that holds them
CONTROLS = frozenset({50000, 50002, 50005, 50007, 50011, 50013, 50019, 50024, 50031})
VALUE, EXPAND_COLLAPSE, SELECTION_ITEM, TOGGLE = 10002, 10005, 10010, 10015
UIA_E_TIMEOUT = -2146233083  # 0x80131505
VALUE_LIMIT = 1024
MAX_PATH = 64


class Backend:
    name = "uia"

    def __init__(self) -> None:
        try:
            import comtypes.client  # noqa: F401
        except ImportError as exc:
            raise BackendUnavailableError(
                "accessibility: comtypes is missing (pip install comtypes)"
            ) from exc
        self._uia: Any = None
        self._worker = Worker("vsop-uia", self._setup)
        self._worker.run(lambda: None, 10.0)  # creates the automation object, or says why it cannot

    def _setup(self) -> None:
        import comtypes
        import comtypes.client

        comtypes.CoInitializeEx(comtypes.COINIT_MULTITHREADED)
        comtypes.client.GetModule("UIAutomationCore.dll")
        from comtypes.gen import UIAutomationClient as uia  # type: ignore[import-not-found,unused-ignore]

        self._gen = uia
        try:
            self._uia = comtypes.client.CreateObject(uia.CUIAutomation8, interface=uia.IUIAutomation2)
        except (OSError, AttributeError):  # Windows 7: no IUIAutomation2, no timeouts of its own
            self._uia = comtypes.client.CreateObject(uia.CUIAutomation, interface=uia.IUIAutomation)

    def element_at(self, x: int, y: int, *, pid: int | None, timeout: float) -> Element | None:
        def query() -> Element | None:
            el = self._uia.ElementFromPoint(self._gen.tagPOINT(x, y))
            if not el or (pid is not None and el.CurrentProcessId != pid):
                return None
            return self._describe(self._enclosing(el))

        return self._run(query, timeout)

    def focused(self, *, pid: int | None, timeout: float) -> Element | None:
        def query() -> Element | None:
            el = self._uia.GetFocusedElement()
            if not el or (pid is not None and el.CurrentProcessId != pid):
                return None
            return self._describe(el)

        return self._run(query, timeout)

    def exposes(self, pid: int) -> bool:
        return True

    def close(self) -> None:
        self._worker.close()

    def _run(self, query: Any, timeout: float) -> Element | None:
        import comtypes

        def limited() -> Element | None:
            if hasattr(self._uia, "TransactionTimeout"):
                self._uia.ConnectionTimeout = self._uia.TransactionTimeout = max(1, int(timeout * 1000))
            try:
                result: Element | None = query()
                return result
            except comtypes.COMError as exc:
                if exc.hresult == UIA_E_TIMEOUT:
                    raise AccessibilityTimeout(
                        "the application did not answer UI Automation in time"
                    ) from exc
                raise AccessibilityError(f"accessibility: UI Automation failed ({exc})") from exc

        return self._worker.run(limited, timeout)

    def _walker(self) -> Any:
        return self._uia.ControlViewWalker

    def _enclosing(self, el: Any, up: int = 3) -> Any:
        if el.CurrentControlType not in LEAVES:
            return el
        cur = el
        for _ in range(up):
            cur = self._walker().GetParentElement(cur)
            if not cur:
                break
            if cur.CurrentControlType in CONTROLS:
                return cur
        return el

    def _describe(self, el: Any) -> Element:
        kind = el.CurrentControlType
        secret = bool(el.CurrentIsPassword)
        role = "password text" if secret else ROLES.get(kind, "unknown")
        labelled = el.CurrentLabeledBy
        r = el.CurrentBoundingRectangle
        width, height = r.right - r.left, r.bottom - r.top
        return Element(
            name=el.CurrentName or None,
            role=role,
            states=self._states(el, secret),
            bounds=Rect(r.left, r.top, width, height) if width > 0 and height > 0 else None,
            description=el.CurrentHelpText or None,
            label=(labelled.CurrentName or None) if labelled else None,
            value=None if secret else self._value(el),
            path=self._path(el),
            app=self._app(el),
            source="uia",
        )

    def _pattern(self, el: Any, pattern_id: int, interface: str) -> Any:
        unknown = el.GetCurrentPattern(pattern_id)
        return unknown.QueryInterface(getattr(self._gen, interface)) if unknown else None

    def _states(self, el: Any, secret: bool) -> tuple[str, ...]:
        out = ["password"] if secret else []
        value = self._pattern(el, VALUE, "IUIAutomationValuePattern")
        if value is not None and not value.CurrentIsReadOnly:
            out.append("editable")
        if el.CurrentHasKeyboardFocus:
            out.append("focused")
        toggle = self._pattern(el, TOGGLE, "IUIAutomationTogglePattern")
        if toggle is not None and toggle.CurrentToggleState == 1:
            out.append("checked")
        item = self._pattern(el, SELECTION_ITEM, "IUIAutomationSelectionItemPattern")
        if item is not None and item.CurrentIsSelected:
            out.append("selected")
        expand = self._pattern(el, EXPAND_COLLAPSE, "IUIAutomationExpandCollapsePattern")
        if expand is not None and expand.CurrentExpandCollapseState == 1:
            out.append("expanded")
        if el.CurrentIsEnabled:
            out.append("sensitive")
        return tuple(out)

    def _value(self, el: Any) -> str | None:
        """The Value pattern's text. Never called for a password field."""
        value = self._pattern(el, VALUE, "IUIAutomationValuePattern")
        return str(value.CurrentValue)[:VALUE_LIMIT] if value is not None else None

    def _path(self, el: Any) -> tuple[tuple[str, str], ...]:
        path: list[tuple[str, str]] = []
        root = self._uia.GetRootElement()
        cur = self._walker().GetParentElement(el)
        while cur and not self._uia.CompareElements(cur, root) and len(path) < MAX_PATH:
            path.append((ROLES.get(cur.CurrentControlType, "unknown"), cur.CurrentName or ""))
            cur = self._walker().GetParentElement(cur)
        return tuple(reversed(path))

    def _app(self, el: Any) -> str | None:
        return process_name(int(el.CurrentProcessId))


def process_name(pid: int) -> str | None:
    """The executable's name without ``.exe`` (as ``capture.window`` names applications)."""
    import ctypes
    import os
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return None
    try:
        size = wintypes.DWORD(1024)
        buf = ctypes.create_unicode_buffer(size.value)
        if not kernel32.QueryFullProcessImageNameW(handle, 0, buf, ctypes.byref(size)):
            return None
        return os.path.splitext(os.path.basename(buf.value))[0] or None
    finally:
        kernel32.CloseHandle(handle)
