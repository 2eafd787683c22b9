"""Typed records of the generator: a recording becomes Drafts (segmentation), Drafts get Labels (OCR), and
labelled drafts become the Steps of a Guide (the content of guide.yml, see docs/guide-format.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from capture.models import FrameRef, Rect, WindowInfo

Action = Literal[
    "click",
    "double_click",
    "right_click",
    "drag",
    "type",
    "key",
    "hotkey",
    "scroll",
    "switch_window",
    "capture",
]
POINTER_ACTIONS = frozenset({"click", "double_click", "right_click", "drag", "capture"})


@dataclass(frozen=True, slots=True)
class Draft:
    """One step as segmentation sees it: what was done, where, with which screenshot; no label yet.

    ``point`` is in virtual-screen pixels; ``frame`` is the screenshot of the step (for ``type`` the frame of
    the click into the field, when there was one); ``dropped`` holds the reason a noise step is not shown.
    """

    action: Action
    t: float
    point: tuple[int, int] | None = None
    end: tuple[int, int] | None = None  # drag end
    value: str | None = None  # typed text, key name or combo ("ctrl+s"), scroll direction ("down")
    count: int = 1  # scroll notches, repeated key presses
    window: WindowInfo | None = None
    frame: FrameRef | None = None
    dropped: str | None = None
    duration: float = 0.0  # seconds from the first to the last event of the step


@dataclass(frozen=True, slots=True)
class Word:
    """A word that OCR read, with its box in frame pixels and the line it belongs to."""

    text: str
    conf: float  # 0..100
    box: Rect
    line: int  # words with the same ``line`` (in one OCR result) are on one text line


@dataclass(frozen=True, slots=True)
class Label:
    """The UI text a step acts on, its box in frame pixels, and how sure OCR was (0..100)."""

    text: str
    conf: float
    box: Rect
    kind: Literal["under", "left", "above"] = "under"  # where the label was found relative to the point


@dataclass(frozen=True, slots=True)
class Redaction:
    """A box in frame pixels to blur in published images, and why (email, phone, card or iban)."""

    box: Rect
    reason: str


@dataclass(slots=True)
class Step:
    """One step of a guide, as stored in guide.yml."""

    id: str
    action: Action
    target: str | None
    value: str | None
    window: str | None
    text: str
    note: str | None = None
    image: str | None = None
    box: tuple[int, int, int, int] | None = None
    at: float = 0.0
    secret: bool = False
    dropped: str | None = None
    conf: float | None = None
    count: int = 1


@dataclass(slots=True)
class Revision:
    version: str
    date: str
    summary: str
    author: str | None = None


@dataclass(slots=True)
class Guide:
    id: str
    title: str
    stage: str | None
    version: str
    purpose: str | None
    recorded: dict[str, object]
    steps: list[Step] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)
