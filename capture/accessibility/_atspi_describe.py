"""An AT-SPI object described as a :class:`capture.models.Element`: role normalised, states kept to the
contract's few, the text of its label relation, its value (never for a secret field), its placeholder and its
ancestors."""

from __future__ import annotations

from typing import Any

from capture.accessibility._atspi_tree import (
    ACCESSIBLE,
    COMPONENT,
    NULL_PATH,
    ROLE_PASSWORD_TEXT,
    ROOT_PATH,
    SCREEN,
    Node,
    Tree,
    ok,
    states,
)
from capture.accessibility._dbus import Call, CallFailed, Deadline, Ref, prop
from capture.models import Element, Rect

KEPT_STATES = ("editable", "focused", "checked", "selected", "expanded", "sensitive")
REL_LABELLED_BY = 2  # AtspiRelationType
VALUE_LIMIT = 1024  # characters of a field's text kept
MAX_PATH = 64
FIELD_ROLES = frozenset({"entry", "password text", "combo box", "spin button", "text"})
MAX_SIBLINGS = 100


def is_secret(node: Node) -> bool:
    """A password field, whatever the toolkit calls it: role "password text", or Qt 6's role number 40
    under the role name "text"."""
    return node.role == "password text" or node.role_id == ROLE_PASSWORD_TEXT


def role_of(node: Node) -> str:
    """AT-SPI's role name, with the toolkits' differences evened out: a password field is "password text";
    a one-line editable "text" (GTK 3's GtkEntry, Qt's QLineEdit) is an "entry", as Chromium calls it."""
    if is_secret(node):
        return "password text"
    if node.role == "text" and "editable" in node.states and "multi-line" not in node.states:
        return "entry"
    return node.role


def describe(tree: Tree, node: Node, app_name: str | None, deadline: Deadline) -> Element:
    secret = is_secret(node)
    ext, rels, attrs = tree.conn.call_many(
        [
            Call(node.ref, COMPONENT, "GetExtents", "u", (SCREEN,)),
            Call(node.ref, ACCESSIBLE, "GetRelationSet"),
            Call(node.ref, ACCESSIBLE, "GetAttributes"),
        ],
        deadline,
    )
    attributes: dict[str, str] = dict(attrs[0]) if ok(attrs) else {}
    name = node.name or (label_text(tree, node.ref, deadline) if node.role == "label" else "")
    label = labelled_by(tree, rels, deadline) if ok(rels) else None
    if label is None and not name and node.parent[1] != NULL_PATH:
        # GTK's combo box with an entry: the hit is the entry, the label relation is the combo's
        label = parent_label(tree, node.parent, deadline)
    bounds = _rect(ext[0]) if ok(ext) else None
    if label is None and not name and bounds is not None and role_of(node) in FIELD_ROLES:
        label = beside_label(tree, node, bounds, deadline)
    placeholder = attributes.get("placeholder-text") or (
        name if attributes.get("name-from") == "placeholder" else None
    )
    kept = tuple(s for s in KEPT_STATES if s in node.states)
    return Element(
        name=name or label or None,
        role=role_of(node),
        states=(("password",) if secret else ()) + kept,
        bounds=bounds,
        description=node.description or None,
        label=label,
        value=None if secret else value_of(tree, node, deadline),
        placeholder=placeholder or None,
        path=ancestors(tree, node.parent, deadline),
        app=app_name or None,
        source="atspi",
    )


def _rect(extents: Any) -> Rect | None:
    x, y, w, h = (int(v) for v in extents)
    return Rect(x, y, w, h) if w > 0 and h > 0 else None


def labelled_by(tree: Tree, rels: Any, deadline: Deadline) -> str | None:
    names = []
    for rtype, targets in rels[0]:
        if rtype == REL_LABELLED_BY:
            for target in targets:
                try:
                    names.append(label_text(tree, tuple(target), deadline))
                except CallFailed:
                    continue
    return " ".join(n for n in names if n) or None


def beside_label(tree: Tree, node: Node, box: Rect, deadline: Deadline) -> str | None:
    """A field with no name and no label relation (zenity's forms, many hand-made GTK grids): the label
    among its siblings on its row to its left, else the one right above it, by their boxes."""
    siblings = [s for s in tree.children(node.parent, deadline)[:MAX_SIBLINGS] if s != node.ref]
    roles = tree.conn.call_many([Call(s, ACCESSIBLE, "GetRoleName") for s in siblings], deadline)
    labels = [s for s, r in zip(siblings, roles, strict=True) if ok(r) and r[0] == "label"]
    middle = box.top + box.height / 2
    left: list[tuple[int, Ref]] = []
    above: list[tuple[int, Ref]] = []
    for ref, found in zip(labels, tree.boxes(labels, deadline), strict=True):
        if found is None or "showing" not in found[1]:
            continue
        x, y, w, h = found[0]
        if y <= middle < y + h and x + w <= box.left + 4:
            left.append((box.left - (x + w), ref))
        elif y + h <= box.top + 4 and x < box.left + box.width and box.left < x + w:
            above.append((box.top - (y + h), ref))
    for candidates in (left, above):
        if candidates:
            return label_text(tree, min(candidates)[1], deadline) or None
    return None


def parent_label(tree: Tree, parent: Ref, deadline: Deadline) -> str | None:
    (rels,) = tree.conn.call_many([Call(parent, ACCESSIBLE, "GetRelationSet")], deadline)
    return labelled_by(tree, rels, deadline) if ok(rels) else None


def label_text(tree: Tree, ref: Ref, deadline: Deadline) -> str:
    """A label's text: its name, else (Chromium's <label>) its Text, else its children's names."""
    node = tree.node(ref, deadline)
    if node.name:
        return node.name
    text = (tree.text(ref, deadline, 512) or "").replace("\ufffc", "").strip()
    if text:
        return text
    kids = tree.children(ref, deadline)[:20]
    return " ".join(n for n in (tree.node(k, deadline).name for k in kids) if n).strip()


def value_of(tree: Tree, node: Node, deadline: Deadline) -> str | None:
    """A combo box's selected item; an editable field's text. Never called for a secret field."""
    if node.role == "combo box":
        return selected_name(tree, node.ref, deadline)
    if "editable" in node.states or node.role in ("entry", "spin button"):
        return tree.text(node.ref, deadline, VALUE_LIMIT)
    return None


def selected_name(tree: Tree, ref: Ref, deadline: Deadline, limit: int = 200) -> str | None:
    level, seen = [ref], 0
    while level and seen < limit:
        nxt = [k for r in level for k in tree.children(r, deadline)]
        seen += len(nxt)
        for kid, st in zip(
            nxt, tree.conn.call_many([Call(k, ACCESSIBLE, "GetState") for k in nxt], deadline), strict=True
        ):
            if ok(st) and "selected" in states(st[0]):
                return tree.node(kid, deadline).name or None
        level = nxt
    return None


def ancestors(tree: Tree, parent: Ref, deadline: Deadline) -> tuple[tuple[str, str], ...]:
    """(role, name) from the application down to the element's parent."""
    path: list[tuple[str, str]] = []
    cur, seen = parent, set()
    while cur[1] != NULL_PATH and cur not in seen and len(path) < MAX_PATH:
        seen.add(cur)
        name, role, up = tree.conn.call_many(
            [
                prop(cur, ACCESSIBLE, "Name"),
                Call(cur, ACCESSIBLE, "GetRoleName"),
                prop(cur, ACCESSIBLE, "Parent"),
            ],
            deadline,
        )
        if not ok(role):
            break
        path.append((role[0], (name[0][1] or "").strip() if ok(name) else ""))
        if cur[1] == ROOT_PATH or not ok(up):  # the application's root: its parent is the desktop
            break
        cur = tuple(up[0][1])
    return tuple(reversed(path))
