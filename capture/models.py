"""Typed records of a recording. Coordinates are physical pixels of the virtual screen (all monitors)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True, slots=True)
class Rect:
    left: int
    top: int
    width: int
    height: int

    def contains(self, x: int, y: int) -> bool:
        return self.left <= x < self.left + self.width and self.top <= y < self.top + self.height

    def overlaps(self, other: Rect) -> bool:
        return (
            self.left < other.left + other.width
            and other.left < self.left + self.width
            and self.top < other.top + other.height
            and other.top < self.top + self.height
        )


@dataclass(frozen=True, slots=True)
class Monitor:
    """One physical monitor; ``index`` counts from 1 like mss, ``scale`` is frame pixels per pointer unit."""

    index: int
    rect: Rect
    scale: float = 1.0


@dataclass(frozen=True, slots=True)
class WindowInfo:
    """The active window; any field is None where the platform cannot tell. ``id`` is the window system's
    handle of the window (an X11 window id), kept while the window lives whatever its title says."""

    title: str | None
    app: str | None
    rect: Rect | None
    id: int | None = None

    def same(self, other: WindowInfo) -> bool:
        """The same window: by ``id`` where both have one; else (a recording made before windows had one, a
        platform that gives none) by application and title, the title's unsaved-changes mark aside
        (``*notes.txt``, ``● notes.txt``)."""
        if self.id is not None and other.id is not None:
            return self.id == other.id
        return self.app == other.app and (self.title or "").lstrip("*● ") == (other.title or "").lstrip("*● ")


@dataclass(frozen=True, slots=True)
class FrameRef:
    """A screenshot stored as ``frames/<file>``, grabbed at ``t`` from monitor ``monitor``."""

    file: str
    monitor: int
    t: float


SECRET_STATES = frozenset({"password", "protected"})
SECRET_ROLES = frozenset({"password text"})


@dataclass(frozen=True, slots=True)
class Element:
    """The accessible element an input acted on, as the platform's accessibility API described it.

    ``role`` is an AT-SPI-style role name ("push button", "entry", "password text", "combo box"...), whatever
    the platform; ``bounds`` are virtual-screen pixels like the events' x/y; ``path`` is the ancestors as
    (role, name) from the application down, without the element itself. ``value`` is never read for a secret
    element.
    """

    name: str | None
    role: str
    states: tuple[str, ...] = ()
    bounds: Rect | None = None
    description: str | None = None
    label: str | None = None
    value: str | None = None
    placeholder: str | None = None
    path: tuple[tuple[str, str], ...] = ()
    app: str | None = None
    source: str = "atspi"

    @property
    def secret(self) -> bool:
        """A password or otherwise protected field: what is typed into it is never written."""
        return self.role in SECRET_ROLES or not SECRET_STATES.isdisjoint(self.states)


@dataclass(frozen=True, slots=True)
class Accessibility:
    """How the accessibility queries of a recording went: the backend, how many were asked, failed or timed
    out, and the applications that exposed nothing (their steps are named by OCR)."""

    backend: str
    queries: int = 0
    failed: int = 0
    timeouts: int = 0
    silent_apps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MouseButtonEvent:
    type: Literal["mouse_press", "mouse_release"]
    t: float
    x: int
    y: int
    button: str
    window: WindowInfo | None = None
    frame: FrameRef | None = None
    element: Element | None = None


@dataclass(frozen=True, slots=True)
class MoveEvent:
    """Pointer position while a button is held (only what a drag needs)."""

    t: float
    x: int
    y: int
    type: Literal["move"] = "move"


@dataclass(frozen=True, slots=True)
class ScrollEvent:
    t: float
    x: int
    y: int
    dx: int
    dy: int
    window: WindowInfo | None = None
    type: Literal["scroll"] = "scroll"


@dataclass(frozen=True, slots=True)
class KeyEvent:
    """``key`` names a special key (``enter``, ``shift``...); ``char`` is the text a character key typed.

    With ``--no-text`` a character key typed without ctrl/alt/cmd has both None and ``masked`` True.
    """

    type: Literal["key_press", "key_release"]
    t: float
    key: str | None
    char: str | None
    mods: tuple[str, ...] = ()
    masked: bool = False
    window: WindowInfo | None = None
    element: Element | None = None  # the focused element, at the first key of a typing run or a shortcut
    frame: FrameRef | None = None  # grabbed for a keyboard-only step


@dataclass(frozen=True, slots=True)
class WindowEvent:
    """The active window changed (another window, or the same window with another title)."""

    t: float
    window: WindowInfo | None
    type: Literal["window"] = "window"


@dataclass(frozen=True, slots=True)
class CaptureEvent:
    """The capture hotkey: a screenshot step without a click."""

    t: float
    x: int
    y: int
    window: WindowInfo | None = None
    frame: FrameRef | None = None
    element: Element | None = None
    type: Literal["capture"] = "capture"


@dataclass(frozen=True, slots=True)
class StateEvent:
    """The person paused or resumed the recording."""

    type: Literal["pause", "resume"]
    t: float


@dataclass(frozen=True, slots=True)
class NoteEvent:
    """A note the person added while recording (the tray's Add note); about the step current at ``t``."""

    t: float
    text: str
    type: Literal["note"] = "note"


Event = (
    MouseButtonEvent
    | MoveEvent
    | ScrollEvent
    | KeyEvent
    | WindowEvent
    | CaptureEvent
    | StateEvent
    | NoteEvent
)


@dataclass(frozen=True, slots=True)
class Meta:
    format: int
    title: str | None
    stage: str | None
    started: str
    ended: str | None
    monitors: tuple[Monitor, ...]
    platform: str
    vsop_version: str
    no_text: bool = False
    accessibility: Accessibility | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the loader could not read; the rest of the recording is still usable."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Recording:
    path: Path
    meta: Meta
    events: tuple[Event, ...]
    problems: tuple[Problem, ...] = ()
    skipped_lines: int = 0
    unknown_events: int = 0

    @property
    def complete(self) -> bool:
        """False when the recorder was killed before it could finalize."""
        return self.meta.ended is not None

    def frame_path(self, frame: FrameRef) -> Path:
        return self.path / "frames" / frame.file
