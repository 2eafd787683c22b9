"""Which steps of a new recording are which steps of a guide: a global sequence alignment (Needleman-Wunsch)
of the two step lists, on each step's action, target, value and window.

Two steps *match* when they do the same thing: same action, the same label as far as OCR can tell ("Save
lead" and "Save Iead" are one label), a window of the same name, and for a key, a combination or a scroll the
same value. A typed value may differ (the step *changed*). Between two matched steps, a step of the guide and
a step of the recording with the same action in the same window, whose labels differ, are one step whose
target was *renamed* ("Save lead" is now "Create lead"). What is left is *removed* (only in the guide) or
*added* (only in the recording). Pure: no file is read; whether a screenshot changed is asked of a callback.

When both steps were named by the accessibility tree (they have a ``role``), their element's identity decides
instead of the label alone: the same role, the same name, and ancestors alike (two "OK" buttons of two
dialogs are two elements; a "Save" menu item is not a "Save" button), and a renamed target is an element of
the same role in the same place. Otherwise the labels are compared as OCR read them.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

from generator.guide.model import Step

Kind = Literal["same", "changed", "added", "removed"]
What = Literal["target", "value", "window", "screen"]  # what differs in a changed step
SAME_LABEL = 0.85  # label similarity (after folding OCR look-alikes) from which two labels are one
SAME_WINDOW = 0.6  # window-title similarity from which two matching steps are in the same window
SAME_PLACE = 0.75  # similarity of two elements' named ancestors from which they sit in the same place
# alignment scores: a step whose label OCR could not read on one side is likelier the same step than one
# whose label reads differently; neither outweighs a real match
_MATCH, _RETYPED, _UNREAD, _RENAMED = 1.0, 0.9, 0.5, 0.1
_VALUED = frozenset({"key", "hotkey", "scroll"})  # actions whose value says which step it is
_TITLED = frozenset({"frame", "window", "document web", "document frame"})  # named by a changing title


@dataclass(frozen=True, slots=True)
class Pair:
    """One row of the alignment: a step of the guide (``old``, an index) and of the recording (``new``)."""

    old: int | None
    new: int | None
    kind: Kind
    changed: tuple[What, ...] = ()


@dataclass(frozen=True, slots=True)
class Alignment:
    """The rows in the new order (a removed step sits where it was); ``similarity`` (0..1) is the share of
    the steps of both lists that match (2 x matches / all steps; renamed ones do not count), leaving out
    steps dropped as noise by the generator."""

    pairs: tuple[Pair, ...]
    similarity: float


ScreenChanged = Callable[[int, int], bool]  # (old index, new index) -> the screenshot changed noticeably


def align(old: Sequence[Step], new: Sequence[Step], screen_changed: ScreenChanged | None = None) -> Alignment:
    """Align the guide's steps ``old`` with a recording's steps ``new``; see the module docstring."""
    scores = [[_score(a, b) for b in new] for a in old]
    rows = _traceback(scores, len(old), len(new))
    pairs = tuple(_pair(old, new, i, j, screen_changed) for i, j in _gaps_removed_first(rows))
    strict = sum(
        1
        for p in pairs
        if p.old is not None
        and p.new is not None
        and "target" not in p.changed
        and _counted(old[p.old])
        and _counted(new[p.new])
    )
    counted = sum(map(_counted, old)) + sum(map(_counted, new))
    return Alignment(pairs, 2 * strict / counted if counted else 1.0)


def fold(label: str | None) -> str:
    """A label as OCR look-alikes and spacing cannot change it: lower case, I/l/1/| alike, O/0 alike..."""
    if label is None:
        return ""
    text = label.casefold().replace("…", "...").replace("rn", "m").replace("vv", "w")
    text = text.translate(str.maketrans("i1|!0", "llllo"))
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip()


def label_similarity(a: str | None, b: str | None) -> float:
    """0..1: 1 for labels OCR could have read either way ("Save lead", "Save Iead")."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return 1.0
    if not fa or not fb:
        return 0.0
    return difflib.SequenceMatcher(None, fa, fb, autojunk=False).ratio()


def same_label(a: str | None, b: str | None) -> bool:
    """``label_similarity(a, b) >= SAME_LABEL``, its cheap bounds asked first."""
    fa, fb = fold(a), fold(b)
    return fa == fb or (bool(fa) and bool(fb) and _ratio_reaches(fa, fb, SAME_LABEL))


def _same_window(a: str | None, b: str | None) -> bool:
    """Window titles alike (or one unknown)."""
    if a is None or b is None or a == b:
        return True
    return _ratio_reaches(a.casefold(), b.casefold(), SAME_WINDOW)


@functools.lru_cache(
    maxsize=4096
)  # a guide and a run of one process name the same few things again and again
def _ratio_reaches(a: Sequence[Hashable], b: Sequence[Hashable], least: float) -> bool:
    """Whether difflib's ratio of ``a`` and ``b`` is at least ``least``: its upper bounds (the lengths, then
    the elements in common in any order) rule most pairs out before the matching blocks are sought."""
    if not a and not b:
        return least <= 1.0
    if 2.0 * min(len(a), len(b)) / (len(a) + len(b)) < least:  # difflib's real_quick_ratio
        return False
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= least and matcher.ratio() >= least


def _value(step: Step) -> str | None:
    return None if step.value is None else step.value.strip()


def _score(a: Step, b: Step) -> float | None:
    """How much aligning ``a`` with ``b`` is worth; None when they cannot be one step."""
    if a.action != b.action:
        return None
    same_value = _value(a) == _value(b)
    if a.action in _VALUED and not same_value:
        return None
    window = _same_window(a.window, b.window)
    if window and same_target(a, b):
        return _MATCH if same_value else _RETYPED
    if (a.target is None) != (b.target is None) and window:
        return _UNREAD
    if _renamed(a, b, window):  # only where nothing better is found
        return _RENAMED
    return None


def same_target(a: Step, b: Step) -> bool:
    """One element: by identity when the tree named both steps, else by the label OCR read."""
    if _identified(a) and _identified(b):
        return a.role == b.role and same_label(a.target, b.target) and _same_place(a, b)
    return same_label(a.target, b.target)


def _renamed(a: Step, b: Step, window: bool) -> bool:
    """Whether ``b`` may be ``a`` with its target renamed (``window``: in a window alike): an element of the
    same role in the same place, else (labels only) a step in the same window."""
    if _identified(a) and _identified(b):
        return a.role == b.role and window and _same_place(a, b)
    return a.window == b.window


def _identified(step: Step) -> bool:
    return step.role is not None and step.target is not None


def _same_place(a: Step, b: Step) -> bool:
    """Ancestors alike: most of them the same, a window's or a page's title left out (it changes with what
    the window shows, and the step's ``window`` is compared on its own)."""
    if a.ancestors == b.ancestors:
        return True
    return _ratio_reaches(tuple(_place(a.ancestors)), tuple(_place(b.ancestors)), SAME_PLACE)


def _place(ancestors: Sequence[str]) -> list[str]:
    place = []
    for ancestor in ancestors:
        role, _, name = ancestor.partition(": ")
        place.append(role if role in _TITLED else f"{role}: {fold(name)}")
    return place


def _traceback(scores: list[list[float | None]], n: int, m: int) -> list[tuple[int | None, int | None]]:
    """Needleman-Wunsch with gaps free: the order-keeping set of pairs with the largest total score."""
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, above, scored = best[i], best[i - 1], scores[i - 1]
        for j in range(1, m + 1):
            s = scored[j - 1]
            diagonal = above[j - 1] + s if s is not None else float("-inf")
            row[j] = max(diagonal, above[j], row[j - 1])
    rows: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i > 0 or j > 0:
        s = scores[i - 1][j - 1] if i > 0 and j > 0 else None
        if s is not None and best[i][j] == best[i - 1][j - 1] + s:
            rows.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i > 0 and best[i][j] == best[i - 1][j]:
            rows.append((i - 1, None))
            i -= 1
        else:
            rows.append((None, j - 1))
            j -= 1
    rows.reverse()
    return rows


def _gaps_removed_first(rows: list[tuple[int | None, int | None]]) -> list[tuple[int | None, int | None]]:
    """Within each run of unmatched rows, the guide's removed steps first, then the recording's new ones."""
    ordered: list[tuple[int | None, int | None]] = []
    run: list[tuple[int | None, int | None]] = []
    for row in [*rows, (0, 0)]:  # a sentinel pair ends the last run
        if row[0] is not None and row[1] is not None:
            ordered += sorted(run, key=lambda r: r[0] is None)
            ordered.append(row)
            run = []
        else:
            run.append(row)
    return ordered[:-1]


def _pair(
    old: Sequence[Step], new: Sequence[Step], i: int | None, j: int | None, screen: ScreenChanged | None
) -> Pair:
    if i is None:
        assert j is not None
        return Pair(None, j, "added")
    if j is None:
        return Pair(i, None, "removed")
    a, b = old[i], new[j]
    changed: list[What] = []
    if not same_target(a, b):
        changed.append("target")
    if _value(a) != _value(b):
        changed.append("value")
    if a.window != b.window:
        changed.append("window")
    if screen is not None and screen(i, j):
        changed.append("screen")
    return Pair(i, j, "changed" if changed else "same", tuple(changed))


def _counted(step: Step) -> bool:
    """A step that is part of the process: shown, or deleted by a person (not noise the generator dropped)."""
    return step.dropped is None or "dropped" in step.edited
