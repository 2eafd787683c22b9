"""Finding objects in the AT-SPI tree: the window of a process under a point, the deepest object there (with
Chromium's cached hit test finished by child boxes, and GTK's popup menus), the control a text leaf
belongs to, and the focused object of the active window."""

from __future__ import annotations

from capture.accessibility._atspi_tree import (
    ACCESSIBLE,
    COMPONENT,
    NULL_PATH,
    SCREEN,
    Node,
    Tree,
    Window,
    ok,
    states,
)
from capture.accessibility._base import AccessibilityTimeout
from capture.accessibility._dbus import Call, CallFailed, Deadline, Ref, prop
from capture.accessibility._x11 import Target

# hit-test leaves reported as the control or label that encloses them
LEAF_ROLES = frozenset(
    {
        "static",
        "text",
        "label",
        "image",
        "icon",
        "paragraph",
        "filler",
        "section",
        "panel",
        "unknown",
        "redundant object",
    }
)
INTERACTIVE_ROLES = frozenset(
    {"push button", "toggle button", "link", "menu item", "check menu item", "radio menu item", "check box",
     "radio button", "page tab", "list item", "tree item", "table cell", "combo box", "entry",
     "password text", "spin button", "slider", "tool bar button", "menu", "button"}
)  # fmt: skip
MAX_CHILDREN = 400  # a container with more children (a long list) is not searched child by child
MAX_NODES = 3000  # nodes a breadth-first search reads at most


def window_at(tree: Tree, target: Target, x: int, y: int, deadline: Deadline) -> Window | None:
    """The top-level window of ``target.pid`` (every application when None) that contains the point: the
    one titled like the X window there, else the active one, else (for a popup) the smallest."""
    found: list[tuple[tuple[bool, bool, int], Window]] = []
    for app in tree.apps_of(target.pid, deadline):
        try:
            windows = tree.windows(app, deadline)
        except AccessibilityTimeout:
            if target.pid is not None:
                raise
            continue  # scanning every application: a silent one is skipped
        for w in windows:
            contains, st, ext = tree.conn.call_many(
                [
                    Call(w.ref, COMPONENT, "Contains", "iiu", (x, y, SCREEN)),
                    Call(w.ref, ACCESSIBLE, "GetState"),
                    Call(w.ref, COMPONENT, "GetExtents", "u", (SCREEN,)),
                ],
                deadline,
            )
            if not ok(contains) or not contains[0] or not ok(st):
                continue
            s = states(st[0])
            if not s & {"showing", "visible"}:
                continue
            area = ext[0][2] * ext[0][3] if ok(ext) else 1 << 30
            named = bool(target.title) and target.title == tree.node(w.ref, deadline).name
            found.append(((not named, "active" not in s, area if target.popup else 0), w))
    return min(found, key=lambda f: f[0])[1] if found else None


def deepest_at(tree: Tree, window: Window, x: int, y: int, deadline: Deadline, popup: bool) -> Ref:
    """The deepest object at the point: GetAccessibleAtPoint down the tree, then finished by child boxes
    (Chromium answers from a cache: while the point stays in the last hit's box it returns that box)."""
    cur = window.ref
    if popup:
        cur = open_menu_item_at(tree, window.ref, x, y, deadline) or cur
    for _ in range(128):
        nxt = tuple(
            tree.conn.call(Call(cur, COMPONENT, "GetAccessibleAtPoint", "iiu", (x, y, SCREEN)), deadline)[0]
        )
        if nxt[1] == NULL_PATH or nxt == cur:
            break
        if not popup and _is_combo(tree, cur, deadline):
            return cur
        cur = nxt
    for _ in range(64):
        if not popup and _is_combo(tree, cur, deadline):
            break
        child = child_at(tree, cur, x, y, deadline)
        if child is None:
            break
        cur = child
    return cur


def _is_combo(tree: Tree, ref: Ref, deadline: Deadline) -> bool:
    """A combo box, whose list the input opened after it happened (GTK 3 hangs the list's items under the
    combo box, showing and over the point by the time the tree is asked): not to be descended into."""
    role = tree.conn.call(Call(ref, ACCESSIBLE, "GetRoleName"), deadline)
    return bool(role) and role[0] == "combo box"


def child_at(tree: Tree, ref: Ref, x: int, y: int, deadline: Deadline, depth: int = 0) -> Ref | None:
    """The smallest showing child whose box contains the point; through box-less children (a GTK notebook's
    page tab answers (-1, -1, -1, -1)) when none does."""
    count = tree.child_count(ref, deadline)
    if not count or count > MAX_CHILDREN:
        return None
    kids = tree.children(ref, deadline)
    best: tuple[int, Ref] | None = None
    boxless = []
    for kid, box in zip(kids, tree.boxes(kids, deadline), strict=True):
        if box is None or "showing" not in box[1]:
            continue
        bx, by, w, h = box[0]
        if w <= 0 or h <= 0:
            boxless.append(kid)
        elif bx <= x < bx + w and by <= y < by + h and (best is None or w * h < best[0]):
            best = (w * h, kid)
    if best is not None:
        return best[1]
    if depth < 4:
        for kid in boxless[:8]:
            if child_at(tree, kid, x, y, deadline, depth + 1) is not None:
                return kid
    return None


def open_menu_item_at(tree: Tree, window: Ref, x: int, y: int, deadline: Deadline) -> Ref | None:
    """GTK 3's popup menus are not top-level AT-SPI windows: their items hang under the open (selected or
    expanded) menu or combo box, and the window's hit test answers what is under the popup."""
    level, seen, open_menus = [window], 0, []
    while level and seen < MAX_NODES:
        calls = []
        for r in level:
            calls += [
                Call(r, ACCESSIBLE, "GetRoleName"),
                Call(r, ACCESSIBLE, "GetState"),
                Call(r, ACCESSIBLE, "GetChildren"),
            ]
        res = tree.conn.call_many(calls, deadline)
        nxt: list[Ref] = []
        for i, r in enumerate(level):
            role, st, kids = res[3 * i : 3 * i + 3]
            seen += 1
            if not (ok(role) and ok(st) and ok(kids)):
                continue
            s = states(st[0])
            if r != window and "showing" not in s:
                continue
            if role[0] in ("menu", "combo box") and s & {"selected", "expanded"}:
                open_menus.append(r)
            if "manages-descendants" not in s:
                nxt.extend(tuple(k) for k in kids[0])
        level = nxt
    for menu in reversed(open_menus):  # the deepest submenu first
        hit = child_at(tree, menu, x, y, deadline)
        if hit is not None:
            return hit
    return None


def enclosing_control(tree: Tree, ref: Ref, deadline: Deadline, up: int = 3) -> Node:
    """A text or image leaf inside a button, link, menu item or label -> that control; otherwise the leaf."""
    leaf = tree.node(ref, deadline)
    if leaf.role not in LEAF_ROLES or leaf.states & {"editable", "focusable"}:
        return leaf
    cur = leaf.parent
    for _ in range(up):
        if cur[1] == NULL_PATH:
            break
        try:
            parent = tree.node(cur, deadline)
        except CallFailed:
            break
        if parent.role in INTERACTIVE_ROLES or parent.role == "label":
            return parent
        cur = parent.parent
    return leaf


def focused_in(
    tree: Tree, windows: list[Window], title: str | None, deadline: Deadline
) -> tuple[Window, Ref] | None:
    """Breadth-first search of the active window for the object with the focused state; only showing
    objects are entered, and never a container that manages its descendants (a table of thousands of rows).
    The active window: the one with the active state, else (Chromium under some window managers never sets
    it) the one titled like the X active window, else every showing one."""
    rank = []
    for w in windows:
        st, name = tree.conn.call_many(
            [Call(w.ref, ACCESSIBLE, "GetState"), prop(w.ref, ACCESSIBLE, "Name")], deadline
        )
        s = states(st[0]) if ok(st) else frozenset()
        if s & {"showing", "visible"}:
            titled = bool(title) and ok(name) and (name[0][1] or "").strip() == title
            rank.append((0 if "active" in s else 1 if titled else 2, w))
    best = min((r for r, _ in rank), default=2)
    seen = 0
    for w in (w for r, w in rank if r == best):
        level = [w.ref]
        while level and seen < MAX_NODES:
            calls = []
            for r in level:
                calls += [Call(r, ACCESSIBLE, "GetState"), Call(r, ACCESSIBLE, "GetChildren")]
            res = tree.conn.call_many(calls, deadline)
            nxt: list[Ref] = []
            for i, r in enumerate(level):
                st, kids = res[2 * i], res[2 * i + 1]
                seen += 1
                if isinstance(st, CallFailed):
                    continue
                s = states(st[0])
                if "focused" in s:
                    return w, r
                if (r == w.ref or "showing" in s) and "manages-descendants" not in s and ok(kids):
                    nxt.extend(tuple(k) for k in kids[0])
            level = nxt
    return None
