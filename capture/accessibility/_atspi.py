"""AT-SPI 2 (Linux) over the accessibility D-Bus bus, with jeepney: no system bindings needed.

The application is found through X11 (the process of the window under the pointer; AT-SPI has no stacking
order between applications), its window and deepest object through AT-SPI, and the focused object by
searching the active window (polling rather than a focus-event listener: no thread, nothing to do while idle;
measured 10-50 ms on a Chromium form, a GTK dialog and a Qt window). Every query has a deadline; an
application that misses it is skipped for a few seconds, its queries raising :class:`AccessibilityTimeout`
at once, and the connection is reopened (late replies never pile up).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from typing import TypeVar

from capture.accessibility import bus
from capture.accessibility._atspi_describe import describe
from capture.accessibility._atspi_search import deepest_at, enclosing_control, focused_in, window_at
from capture.accessibility._atspi_tree import SilentApp, Tree, Window
from capture.accessibility._base import AccessibilityTimeout
from capture.accessibility._dbus import Connection, Deadline
from capture.accessibility._x11 import Screen, Target
from capture.errors import AccessibilityError, BackendUnavailableError
from capture.models import Element

T = TypeVar("T")
CONNECT_TIMEOUT = 2.0


class Backend:
    name = "atspi"

    def __init__(self, session: str | None = None, display: str | None = None) -> None:
        """``session``: the session D-Bus address (default: this process's); ``display``: the X display
        (default: ``$DISPLAY``; without one the window under a point is not known)."""
        try:
            bus.enable(session, CONNECT_TIMEOUT)
            self._address = bus.a11y_address(session, CONNECT_TIMEOUT)
            self._tree = Tree(Connection(self._address, CONNECT_TIMEOUT))
        except AccessibilityTimeout as exc:
            raise BackendUnavailableError(
                f"accessibility: the accessibility bus did not answer ({exc})"
            ) from exc
        except AccessibilityError as exc:
            if isinstance(exc, BackendUnavailableError):
                raise
            raise BackendUnavailableError(f"accessibility: cannot use the accessibility bus ({exc})") from exc
        display = display or os.environ.get("DISPLAY")
        self._screen = Screen(display) if display else None
        if self._screen is not None:
            # connected now, not at the first step: on a busy machine opening the X connection took the
            # first query's whole time limit (a broken connection fails the queries, which say so)
            with contextlib.suppress(AccessibilityError):
                self._screen.active()
        self._lock = threading.Lock()
        self._owner: int | None = None  # the process the current query asks
        self._broken = False

    def element_at(self, x: int, y: int, *, pid: int | None, timeout: float) -> Element | None:
        def query(deadline: Deadline) -> Element | None:
            target = self._target_at(x, y, pid)
            self._owner = target.pid
            window = window_at(self._tree, target, x, y, deadline)
            if window is None:
                return None
            hit = deepest_at(self._tree, window, x, y, deadline, target.popup)
            node = enclosing_control(self._tree, hit, deadline)
            return describe(self._tree, node, window.app_name, deadline)

        return self._run(query, timeout, pid)

    def focused(self, *, pid: int | None, timeout: float) -> Element | None:
        def query(deadline: Deadline) -> Element | None:
            active = self._screen.active() if self._screen is not None else Target(None)
            owner = self._owner = pid if pid is not None else active.pid
            windows = self._windows_of(owner, deadline)
            title = active.title if active.pid == owner else None
            found = focused_in(self._tree, windows, title, deadline)
            if found is None:
                return None
            window, ref = found
            return describe(self._tree, self._tree.node(ref, deadline), window.app_name, deadline)

        return self._run(query, timeout, pid)

    def exposes(self, pid: int) -> bool:
        return self._run(lambda deadline: bool(self._tree.apps_of(pid, deadline)), CONNECT_TIMEOUT, None)

    def close(self) -> None:
        with self._lock:
            self._tree.conn.close()
            if self._screen is not None:
                self._screen.close()

    def _windows_of(self, pid: int | None, deadline: Deadline) -> list[Window]:
        """The top-level windows of ``pid``; of every application that answers when None."""
        out: list[Window] = []
        for app in self._tree.apps_of(pid, deadline):
            try:
                out += self._tree.windows(app, deadline)
            except AccessibilityTimeout:
                if pid is not None:
                    raise
        return out

    def _target_at(self, x: int, y: int, pid: int | None) -> Target:
        """Where to look for the element under (x, y). A ``pid`` given by the caller was read from the managed
        window under the point when the input happened (a popup has no such window): a popup found there now
        opened since, in answer to the input (a combo box's list), and is not what the input acted on."""
        target = self._screen.at(x, y) if self._screen is not None else Target(None)
        if pid is None:
            return target
        if target.popup and self._screen is not None:  # the window under the popup keeps the activation
            target = self._screen.active()
        return Target(pid, target.title, popup=False)

    def _run(self, query: Callable[[Deadline], T], timeout: float, pid: int | None) -> T:
        deadline = Deadline(timeout)
        if not self._lock.acquire(timeout=timeout):
            raise AccessibilityTimeout(
                "another accessibility query held the connection past this one's limit"
            )
        try:
            self._owner = pid
            try:
                if self._broken:
                    self._tree.conn = Connection(self._address, deadline.left())
                    self._broken = False
                return query(deadline)
            except SilentApp:
                raise
            except AccessibilityTimeout:
                self._silence(self._owner)
                self._reconnect()
                raise
            except AccessibilityError:
                raise
            except (OSError, RuntimeError, ValueError, IndexError, TypeError, KeyError) as exc:
                raise AccessibilityError(
                    f"accessibility: unexpected answer from an application ({exc!r})"
                ) from exc
        finally:
            self._lock.release()

    def _silence(self, pid: int | None) -> None:
        """The application that missed the deadline is skipped for a few seconds."""
        for name in self._tree.bus_names_of(pid) if pid is not None else ():
            self._tree.mark_silent(name)

    def _reconnect(self) -> None:
        """The next query opens a fresh connection (within its own limit): this one would receive the late
        replies of the calls that timed out."""
        self._tree.conn.close()
        self._broken = True
