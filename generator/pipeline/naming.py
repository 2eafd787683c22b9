"""The name of a step: what it acts on, where that name came from and how sure it is.

The recorded element first: the accessibility tree names things as the application does (an icon-only
button, a field whatever side its label is on). OCR second: the label read around the point. The place last:
"the button at the top right of ...". When the element and OCR both name a step and disagree strongly, the
element's name stays and the confidence drops, so that a person checks that step first (the editor and
``vsop diff`` list steps below :data:`~generator.guide.model.REVIEW_BELOW` first).

Pure logic on :class:`~capture.models.Element`, :class:`~generator.guide.model.Label` and OCR words; boxes
are frame pixels.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from capture.models import Element, Rect
from generator.guide.model import Label, NameSource, Word
from generator.pipeline.label import looks_garbage, phrases

# Containers: clicking one means clicking the empty space of a window, a page, a group or a list; their name
# (a window title, a page title, a group caption) is not what was clicked.
GENERIC_ROLES = frozenset(
    {
        "alert",
        "application",
        "article",
        "block quote",
        "canvas",
        "desktop frame",
        "dialog",
        "document frame",
        "document web",
        "embedded",
        "file chooser",
        "filler",
        "form",
        "frame",
        "glass pane",
        "grouping",
        "internal frame",
        "invalid",
        "landmark",
        "layered pane",
        "list",
        "list box",
        "menu bar",
        "option pane",
        "page tab list",
        "panel",
        "redundant object",
        "root pane",
        "scroll pane",
        "section",
        "split pane",
        "status bar",
        "table",
        "tool bar",
        "tree",
        "tree table",
        "unknown",
        "viewport",
        "window",
    }
)
# Elements text is typed into or chosen in: with no name, their label or placeholder names them; their value
# is never their name (Qt names a combo box after the item it shows).
FIELD_ROLES = frozenset({"combo box", "editbar", "entry", "password text", "spin button", "text"})
# Elements a click names by what they show (the item chosen, or the placeholder item), as a person sees it and
# OCR reads it, so that a recording named by OCR and one named by the tree agree; their label when they show
# nothing. Typing into them still never names them by their value.
SHOWING_ROLES = frozenset({"combo box"})
# Elements whose name is the text they show: OCR of their box checks it.
SHOWN_NAME_ROLES = frozenset(
    {
        "button",
        "check menu item",
        "heading",
        "label",
        "link",
        "list item",
        "menu",
        "menu item",
        "page tab",
        "push button",
        "radio menu item",
        "table cell",
        "toggle button",
        "tree item",
    }
)
MENU_ITEM_ROLES = frozenset({"menu item", "check menu item", "radio menu item"})
Way = Literal["shown", "name", "label", "placeholder", "description"]
ELEMENT_CONFIDENCE: dict[Way, float] = {
    "shown": 0.9,
    "name": 0.95,
    "label": 0.9,
    "placeholder": 0.8,
    "description": 0.7,
}
OCR_WEIGHT = {"under": 0.9, "left": 0.75, "above": 0.7}  # a label beside a field is a guess about the layout
PLACE_CONFIDENCE = 0.2  # "the button at the top right of ...": a person should name it
NOWHERE_CONFIDENCE = 0.1  # not even a place: "Click in the window."
DISAGREE_CONFIDENCE = 0.5  # the element's name, where OCR read something else
ASTRAY_CONFIDENCE = 0.55  # the element's name, where its bounds do not hold the click
DISAGREE_BELOW = 0.5  # similarity under which two names disagree strongly
MAX_NAME = 80  # characters: a longer "name" is a paragraph or help text, not what was clicked
MAX_BOX_SHARE = 0.25  # of the frame's area: a larger element is no highlight (its point ring is)
POINT_SLACK = 8  # px a click may miss the bounds of its element (a border, a rounding)
MIN_WORD_CONF = 60.0


@dataclass(frozen=True, slots=True)
class Name:
    """What a step acts on (``text``; None: unnamed), its box in frame pixels, where the name came from and
    how sure it is (0..1); ``role`` and ``ancestors`` are the element's identity when the tree named it."""

    text: str | None
    box: Rect | None
    source: NameSource | None
    confidence: float | None
    role: str | None = None
    ancestors: tuple[str, ...] = ()
    conf: float | None = None  # OCR's own confidence (0..100) in an OCR label


def element_name(element: Element, typed: str | None = None, clicked: bool = False) -> tuple[str, Way] | None:
    """The usable name of ``element`` and where it came from: its name, else the text of its label relation,
    else (a field) its placeholder, else its description or tooltip. None for a container, and for names
    that are blank, only punctuation, a paragraph, or (a field) its value or the text typed into it.

    A combo box ``clicked`` is named by what it shows (:data:`SHOWING_ROLES`), else as any field."""
    if element.role in GENERIC_ROLES:
        return None
    if clicked and element.role in SHOWING_ROLES and not element.secret:
        shown = clean(element.value)
        if shown is not None:
            return shown, "shown"
    field = is_field(element)
    ways: list[tuple[str | None, Way]] = [(element.name, "name"), (element.label, "label")]
    if field:
        ways.append((element.placeholder, "placeholder"))
    ways.append((element.description, "description"))
    for raw, way in ways:
        text = clean(raw)
        if text is None or (field and (_same(text, element.value) or _same(text, typed))):
            continue
        return text, way
    return None


def is_field(element: Element) -> bool:
    return element.role in FIELD_ROLES or "editable" in element.states or element.secret


def clean(text: str | None) -> str | None:
    """``text`` on one line, or None when it names nothing: blank, only punctuation or symbols, too long."""
    if text is None:
        return None
    line = " ".join(text.split())
    if not any(c.isalnum() for c in line) or len(line) > MAX_NAME:
        return None
    return line


def identity(element: Element) -> tuple[str, ...]:
    """The element's named ancestors as ``role: name``, from the application down (nameless layout
    containers left out: they come and go with a page's markup)."""
    return tuple(f"{role}: {text}" for role, name in element.path if (text := " ".join(name.split())))


def from_element(
    element: Element, box: Rect | None, typed: str | None = None, astray: bool = False, clicked: bool = False
) -> Name | None:
    """The step named by its element (None when the element has no usable name). ``astray``: the element's
    bounds do not hold the click, so the tree may describe something else; ``clicked``: a pointer step."""
    found = element_name(element, typed, clicked)
    if found is None:
        return None
    text, way = found
    confidence = min(ELEMENT_CONFIDENCE[way], ASTRAY_CONFIDENCE) if astray else ELEMENT_CONFIDENCE[way]
    return Name(text, box, "accessibility", confidence, element.role, identity(element))


def from_label(label: Label) -> Name:
    """The step named by the label OCR read; the confidence is OCR's, weighed by how the label was found."""
    confidence = round(label.conf / 100 * OCR_WEIGHT[label.kind], 2)
    return Name(label.text, label.box, "ocr", confidence, conf=round(label.conf, 1))


def from_place(has_region: bool) -> Name:
    """An unnamed step, told by where it was in its window (or not even that)."""
    return Name(None, None, "place", PLACE_CONFIDENCE if has_region else NOWHERE_CONFIDENCE)


def cross_checked(name: Name, other: str | None) -> Name:
    """``name`` with its confidence lowered when OCR read ``other`` for the same thing and the two disagree
    strongly."""
    if other is None or name.confidence is None or not disagree(name.text, other):
        return name
    return replace(name, confidence=min(name.confidence, DISAGREE_CONFIDENCE))


def disagree(a: str | None, b: str | None) -> bool:
    """Neither holds the other and they look alike less than :data:`DISAGREE_BELOW` ("Save" and "Save lead"
    agree; "Delete row" and "Customer" do not)."""
    fa, fb = _fold(a), _fold(b)
    if not fa or not fb or fa in fb or fb in fa:
        return False
    return difflib.SequenceMatcher(None, fa, fb, autojunk=False).ratio() < DISAGREE_BELOW


def shown_text(words: Sequence[Word], box: Rect) -> str | None:
    """The text OCR read inside ``box`` (words sure enough, centred in it), top to bottom; None when
    nothing readable is there (an icon)."""
    inside = [
        w
        for w in words
        if w.conf >= MIN_WORD_CONF
        and box.left <= w.box.left + w.box.width / 2 <= box.left + box.width
        and box.top <= w.box.top + w.box.height / 2 <= box.top + box.height
    ]
    lines = sorted(phrases(inside), key=lambda p: (p.box.top, p.box.left))
    text = " ".join(p.text for p in lines)
    return None if not text or looks_garbage(text) else text


def shown_unseen(name: Name, element: Element, seen: str | None) -> Name | None:
    """A clicked combo box named by what it shows (:data:`SHOWING_ROLES`), where OCR of its box on the
    screenshot of the click does not read that (the tree was asked after the click opened the list, and the
    box then shows the item under the pointer): named as a field instead (its name, label, placeholder).
    None when ``name`` is not such a name."""
    if name.role not in SHOWING_ROLES or name.text is None or name.text != clean(element.value):
        return None
    if seen is not None and not disagree(name.text, seen):
        return None
    other = element_name(element)
    if other is None:
        return None
    text, way = other
    return replace(name, text=text, confidence=min(name.confidence or 1.0, ELEMENT_CONFIDENCE[way]))


def absent_item(name: Name, seen: str | None) -> bool:
    """A menu item the tree named where the click's screenshot shows no text in its box: the list or menu
    was opened by the click and answered the question asked after it (a combo box's list over the pointer),
    so the item is not what the click acted on. A menu item always shows its text."""
    return name.source == "accessibility" and name.role in MENU_ITEM_ROLES and seen is None


def checks_shown_text(role: str | None) -> bool:
    """Whether the element's name is the text inside its box (a button, a link, a menu item)."""
    return role in SHOWN_NAME_ROLES


def element_box(
    bounds: Rect | None, size: tuple[int, int], point: tuple[int, int] | None
) -> tuple[Rect | None, bool]:
    """The highlight box of an element (``bounds`` in frame pixels) clipped to the frame, and whether the
    element is astray (its bounds miss ``point``, the click, by more than :data:`POINT_SLACK`). No box for
    an element off the frame or covering much of it."""
    if bounds is None:
        return None, False
    astray = point is not None and not _holds(bounds, point, POINT_SLACK)
    left, top = max(0, bounds.left), max(0, bounds.top)
    right = min(size[0], bounds.left + bounds.width)
    bottom = min(size[1], bounds.top + bounds.height)
    if right <= left or bottom <= top or (right - left) * (bottom - top) > MAX_BOX_SHARE * size[0] * size[1]:
        return None, astray
    return Rect(left, top, right - left, bottom - top), astray


def _holds(box: Rect, point: tuple[int, int], slack: int) -> bool:
    x, y = point
    return (
        box.left - slack <= x <= box.left + box.width + slack
        and box.top - slack <= y <= box.top + box.height + slack
    )


def _same(a: str, b: str | None) -> bool:
    return b is not None and _fold(a) == _fold(b)


def _fold(text: str | None) -> str:
    """Lower case, punctuation and spacing left out: what two readings of one label share."""
    if text is None:
        return ""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
