"""The AT-SPI objects of the accessibility bus, read through a :class:`Connection`: the applications and
their windows, one object's role, name and states in one round trip, its children and their boxes.
(The D-Bus interfaces: at-spi2-core's ``xml/*.xml``; the numbers: ``atspi-constants.h``.)"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from capture.accessibility._base import AccessibilityTimeout
from capture.accessibility._dbus import Call, CallFailed, Connection, Deadline, Ref, prop

NULL_PATH = "/org/a11y/atspi/null"
ROOT_PATH = "/org/a11y/atspi/accessible/root"
REGISTRY: Ref = ("org.a11y.atspi.Registry", ROOT_PATH)
DBUS: Ref = ("org.freedesktop.DBus", "/org/freedesktop/DBus")
ACCESSIBLE = "org.a11y.atspi.Accessible"
COMPONENT = "org.a11y.atspi.Component"
TEXT = "org.a11y.atspi.Text"
SCREEN = 0  # ATSPI_COORD_TYPE_SCREEN: the X root window's pixels

# AtspiStateType: the bit index into GetState's two 32-bit words
STATE_NAMES = (
    "invalid", "active", "armed", "busy", "checked", "collapsed", "defunct", "editable", "enabled",
    "expandable", "expanded", "focusable", "focused", "has-tooltip", "horizontal", "iconified", "modal",
    "multi-line", "multiselectable", "opaque", "pressed", "resizable", "selectable", "selected",
    "sensitive", "showing", "single-line", "stale", "transient", "vertical", "visible",
    "manages-descendants", "indeterminate", "required", "truncated", "animated", "invalid-entry",
    "supports-autocompletion", "selectable-text", "is-default", "visited", "checkable", "has-popup",
    "read-only",
)  # fmt: skip
ROLE_PASSWORD_TEXT = 40  # Qt 6 names it "text" in GetRoleName but numbers it right

APP_LIMIT = 0.15  # s an application gets to list its windows or say whether it holds a point
HOLDOFF = 5.0  # s an application that did not answer is skipped (its queries time out at once)


class SilentApp(AccessibilityTimeout):
    """The application did not answer a moment ago and is skipped for now (no call was made)."""


@dataclass(frozen=True, slots=True)
class Node:
    ref: Ref
    name: str
    role: str
    role_id: int
    states: frozenset[str]
    parent: Ref
    description: str = ""


@dataclass(frozen=True, slots=True)
class Window:
    app: Ref
    app_name: str
    ref: Ref


def states(words: Any) -> frozenset[str]:
    out = set()
    for word, value in enumerate(list(words)[:2]):
        for bit in range(32):
            if value & (1 << bit):
                i = word * 32 + bit
                out.add(STATE_NAMES[i] if i < len(STATE_NAMES) else f"state{i}")
    return frozenset(out)


def ok(body: Any) -> bool:
    return not isinstance(body, CallFailed)


class Tree:
    """The objects on one accessibility bus, and which applications recently did not answer."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._pids: dict[str, int] = {}
        self._silent_until: dict[str, float] = {}

    # -- applications ------------------------------------------------------
    def apps(self, deadline: Deadline) -> list[Ref]:
        return [tuple(c) for c in self.conn.call(Call(REGISTRY, ACCESSIBLE, "GetChildren"), deadline)[0]]

    def pid_of(self, bus_name: str, deadline: Deadline) -> int:
        if bus_name not in self._pids:
            call = Call(DBUS, "org.freedesktop.DBus", "GetConnectionUnixProcessID", "s", (bus_name,))
            (body,) = self.conn.call_many([call], deadline)
            self._pids[bus_name] = body[0] if ok(body) else -1
        return self._pids[bus_name]

    def apps_of(self, pid: int | None, deadline: Deadline) -> list[Ref]:
        return [a for a in self.apps(deadline) if pid is None or self.pid_of(a[0], deadline) == pid]

    def bus_names_of(self, pid: int) -> list[str]:
        return [name for name, owner in self._pids.items() if owner == pid]

    def silent(self, app: Ref) -> bool:
        return self._silent_until.get(app[0], 0.0) > time.monotonic()

    def mark_silent(self, bus_name: str) -> None:
        self._silent_until[bus_name] = time.monotonic() + HOLDOFF

    def windows(self, app: Ref, deadline: Deadline) -> list[Window]:
        """The top-level windows of ``app``; an application that does not answer within ``APP_LIMIT`` is
        marked silent and raises :class:`AccessibilityTimeout`."""
        if self.silent(app):
            raise SilentApp(
                f"the application {app[0]} did not answer a moment ago; skipped for a few seconds"
            )
        try:
            kids, name = self.conn.call_many(
                [Call(app, ACCESSIBLE, "GetChildren"), prop(app, ACCESSIBLE, "Name")],
                deadline.within(APP_LIMIT),
            )
        except AccessibilityTimeout:
            self.mark_silent(app[0])
            raise
        if not ok(kids):
            return []
        app_name = name[0][1] if ok(name) else ""
        return [Window(app, app_name, tuple(w)) for w in kids[0]]

    # -- one object ----------------------------------------------------------
    def node(self, ref: Ref, deadline: Deadline) -> Node:
        """Name, description, role, states and parent of ``ref`` in one round trip."""
        calls = [
            prop(ref, ACCESSIBLE, "Name"),
            prop(ref, ACCESSIBLE, "Description"),
            prop(ref, ACCESSIBLE, "Parent"),
            Call(ref, ACCESSIBLE, "GetRoleName"),
            Call(ref, ACCESSIBLE, "GetRole"),
            Call(ref, ACCESSIBLE, "GetState"),
        ]
        name, desc, parent, role, role_id, st = self.conn.call_many(calls, deadline)
        if not ok(role) and not ok(st):
            raise role if isinstance(role, CallFailed) else st
        return Node(
            ref=ref,
            name=(name[0][1] or "").strip() if ok(name) else "",
            role=role[0] if ok(role) else "",
            role_id=role_id[0] if ok(role_id) else -1,
            states=states(st[0]) if ok(st) else frozenset(),
            parent=tuple(parent[0][1]) if ok(parent) else ("", NULL_PATH),
            description=(desc[0][1] or "").strip() if ok(desc) else "",
        )

    def children(self, ref: Ref, deadline: Deadline) -> list[Ref]:
        body = self.conn.call_many([Call(ref, ACCESSIBLE, "GetChildren")], deadline)[0]
        return [tuple(k) for k in body[0]] if ok(body) else []

    def child_count(self, ref: Ref, deadline: Deadline) -> int:
        body = self.conn.call_many([prop(ref, ACCESSIBLE, "ChildCount")], deadline)[0]
        return int(body[0][1]) if ok(body) else 0

    def boxes(
        self, refs: list[Ref], deadline: Deadline
    ) -> list[tuple[tuple[int, int, int, int], frozenset[str]] | None]:
        """Screen box and states of each of ``refs`` (None where the object did not say)."""
        calls = []
        for r in refs:
            calls += [Call(r, COMPONENT, "GetExtents", "u", (SCREEN,)), Call(r, ACCESSIBLE, "GetState")]
        res = self.conn.call_many(calls, deadline)
        out: list[tuple[tuple[int, int, int, int], frozenset[str]] | None] = []
        for i in range(len(refs)):
            ext, st = res[2 * i], res[2 * i + 1]
            out.append((tuple(ext[0]), states(st[0])) if ok(ext) and ok(st) else None)
        return out

    def text(self, ref: Ref, deadline: Deadline, limit: int) -> str | None:
        """The first ``limit`` characters of the Text interface (None when there is none). Never called on
        a secret field."""
        count = self.conn.call_many([prop(ref, TEXT, "CharacterCount")], deadline)[0]
        if not ok(count):
            return None
        body = self.conn.call_many(
            [Call(ref, TEXT, "GetText", "ii", (0, min(int(count[0][1]), limit)))], deadline
        )[0]
        return str(body[0]) if ok(body) else None
