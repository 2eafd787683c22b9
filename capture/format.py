"""The on-disk recording format (see docs/recording-format.md): objects to JSON and back.

Decoders raise ``FormatViolation`` with what was expected; the loader adds the file and line.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from capture.models import (
    Accessibility,
    CaptureEvent,
    Element,
    Event,
    FrameRef,
    KeyEvent,
    Meta,
    Monitor,
    MouseButtonEvent,
    MoveEvent,
    NoteEvent,
    Rect,
    ScrollEvent,
    StateEvent,
    WindowEvent,
    WindowInfo,
)

FORMAT_VERSION = 2  # 2: frames may be lossless WebP (.webp) besides PNG; a format 1 reader refuses those
META_FILE = "meta.json"
EVENTS_FILE = "events.jsonl"
FRAMES_DIR = "frames"
LOCK_FILE = ".lock"
COORD_LIMIT = 1_000_000  # pixels: a coordinate or size beyond any desktop
TIME_LIMIT = 1e9  # seconds (about 31 years) of a time; never NaN nor infinite
MAX_SCALE = 16.0  # a monitor's pixels per logical pixel
NOTE_LIMIT = 10_000  # characters of a note (the tray's Add note)
WINDOW_ID_LIMIT = 2**64  # a window's id is an unsigned handle: 32 bits on X11, 64 on Windows


# Optional fields added after format 1 was first written: left out while None, so that a recording without
# them is byte for byte what an earlier vsop wrote (the frame of a key event, the element of an input, the
# accessibility summary of meta.json, the id of a window).
_OMITTED_WHEN_NONE = {
    "WindowInfo": frozenset({"id"}),
    "MouseButtonEvent": frozenset({"element"}),
    "CaptureEvent": frozenset({"element"}),
    "KeyEvent": frozenset({"element", "frame"}),
    "Meta": frozenset({"accessibility"}),
}


class FormatViolation(ValueError):
    """A JSON object does not have the shape the format documents."""


def to_json(obj: Any) -> Any:
    """Plain JSON value of a record: dataclasses become objects, a Rect becomes ``[x, y, w, h]``."""
    if isinstance(obj, Rect):
        return [obj.left, obj.top, obj.width, obj.height]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: to_json(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if not (f.name in _OMITTED_WHEN_NONE.get(type(obj).__name__, ()) and getattr(obj, f.name) is None)
        }
    if isinstance(obj, (list, tuple)):
        return [to_json(v) for v in obj]
    return obj


def _get(d: dict[str, Any], key: str, kind: type | tuple[type, ...], optional: bool = False) -> Any:
    value = d.get(key)
    if value is None and optional:
        return None
    # bool is an int in Python; a number field must not accept true/false
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        names = "/".join(k.__name__ for k in _as_tuple(kind))
        raise FormatViolation(f"field {key!r} must be {names}, found {value!r}")
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _num(d: dict[str, Any], key: str, limit: float = TIME_LIMIT) -> float:
    value = float(_get(d, key, (int, float)))
    if not abs(value) <= limit:
        raise FormatViolation(f"field {key!r} must be a number from {-limit:g} to {limit:g}, found {value}")
    return value


def _int(d: dict[str, Any], key: str) -> int:
    value: int = _get(d, key, int)
    if abs(value) > COORD_LIMIT:
        raise FormatViolation(f"field {key!r} must be within {COORD_LIMIT:,} of 0, found {value}")
    return value


def _rect(value: Any) -> Rect | None:
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 4 and all(type(v) is int for v in value)):
        raise FormatViolation(f"a rectangle must be [x, y, width, height] in integers, found {value!r}")
    if max(abs(v) for v in value) > COORD_LIMIT:
        raise FormatViolation(f"a rectangle's numbers must be within {COORD_LIMIT:,} of 0, found {value}")
    return Rect(*value)


def _bounds(value: Any) -> Rect | None:
    """An element's box; one beyond any desktop (an application's answer for an element scrolled far away)
    is left out, the element is kept."""
    if (
        isinstance(value, list)
        and all(type(v) is int for v in value)
        and max(map(abs, value), default=0) > COORD_LIMIT
    ):
        return None
    return _rect(value)


def _window(value: Any) -> WindowInfo | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise FormatViolation(f"field 'window' must be an object or null, found {value!r}")
    return WindowInfo(
        title=_get(value, "title", str, optional=True),
        app=_get(value, "app", str, optional=True),
        rect=_rect(value.get("rect")),
        id=_window_id(value),
    )


def _window_id(d: dict[str, Any]) -> int | None:
    value: int | None = _get(d, "id", int, optional=True)
    if value is not None and not 0 <= value < WINDOW_ID_LIMIT:
        raise FormatViolation(f"field 'id' must be a window id from 0 to 2**64 - 1, found {value}")
    return value


def _frame(value: Any) -> FrameRef | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise FormatViolation(f"field 'frame' must be an object or null, found {value!r}")
    name = _get(value, "file", str)
    if not re.fullmatch(r"[A-Za-z0-9_-]+\.(png|webp)", name):
        raise FormatViolation(f"frame file must be a plain file name in frames/, *.webp or *.png: {name!r}")
    return FrameRef(file=name, monitor=_get(value, "monitor", int), t=_num(value, "t"))


def _strings(d: dict[str, Any], key: str) -> tuple[str, ...]:
    values = _get(d, key, list, optional=True) or []
    if not all(isinstance(v, str) for v in values):
        raise FormatViolation(f"field {key!r} must be a list of strings, found {values!r}")
    return tuple(values)


def _ancestors(value: Any) -> tuple[tuple[str, str], ...]:
    pairs = value or []
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p) for p in pairs
    ):
        raise FormatViolation(f"field 'path' must be a list of [role, name] pairs, found {value!r}")
    return tuple((role, name) for role, name in pairs)


def _element(value: Any) -> Element | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise FormatViolation(f"field 'element' must be an object or null, found {value!r}")
    return Element(
        name=_get(value, "name", str, optional=True),
        role=_get(value, "role", str),
        states=_strings(value, "states"),
        bounds=_bounds(value.get("bounds")),
        description=_get(value, "description", str, optional=True),
        label=_get(value, "label", str, optional=True),
        value=_get(value, "value", str, optional=True),
        placeholder=_get(value, "placeholder", str, optional=True),
        path=_ancestors(value.get("path")),
        app=_get(value, "app", str, optional=True),
        source=_get(value, "source", str, optional=True) or "atspi",
    )


def _accessibility(value: Any) -> Accessibility | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise FormatViolation(f"field 'accessibility' must be an object or null, found {value!r}")
    return Accessibility(
        backend=_get(value, "backend", str),
        queries=_get(value, "queries", int, optional=True) or 0,
        failed=_get(value, "failed", int, optional=True) or 0,
        timeouts=_get(value, "timeouts", int, optional=True) or 0,
        silent_apps=_strings(value, "silent_apps"),
    )


def _mouse(d: dict[str, Any]) -> MouseButtonEvent:
    return MouseButtonEvent(
        type=d["type"],
        t=_num(d, "t"),
        x=_int(d, "x"),
        y=_int(d, "y"),
        button=_get(d, "button", str),
        window=_window(d.get("window")),
        frame=_frame(d.get("frame")),
        element=_element(d.get("element")),
    )


def _key(d: dict[str, Any]) -> KeyEvent:
    mods = _get(d, "mods", list, optional=True) or []
    if not all(isinstance(m, str) for m in mods):
        raise FormatViolation(f"field 'mods' must be a list of key names, found {mods!r}")
    return KeyEvent(
        type=d["type"],
        t=_num(d, "t"),
        key=_get(d, "key", str, optional=True),
        char=_get(d, "char", str, optional=True),
        mods=tuple(mods),
        masked=bool(_get(d, "masked", bool, optional=True)),
        window=_window(d.get("window")),
        element=_element(d.get("element")),
        frame=_frame(d.get("frame")),
    )


_DECODERS: dict[str, Callable[[dict[str, Any]], Event]] = {
    "mouse_press": _mouse,
    "mouse_release": _mouse,
    "move": lambda d: MoveEvent(t=_num(d, "t"), x=_int(d, "x"), y=_int(d, "y")),
    "scroll": lambda d: ScrollEvent(
        t=_num(d, "t"),
        x=_int(d, "x"),
        y=_int(d, "y"),
        dx=_int(d, "dx"),
        dy=_int(d, "dy"),
        window=_window(d.get("window")),
    ),
    "key_press": _key,
    "key_release": _key,
    "window": lambda d: WindowEvent(t=_num(d, "t"), window=_window(d.get("window"))),
    "capture": lambda d: CaptureEvent(
        t=_num(d, "t"),
        x=_int(d, "x"),
        y=_int(d, "y"),
        window=_window(d.get("window")),
        frame=_frame(d.get("frame")),
        element=_element(d.get("element")),
    ),
    "pause": lambda d: StateEvent(type="pause", t=_num(d, "t")),
    "resume": lambda d: StateEvent(type="resume", t=_num(d, "t")),
    "note": lambda d: NoteEvent(t=_num(d, "t"), text=_note(d)),
}


def _note(d: dict[str, Any]) -> str:
    text: str = _get(d, "text", str)
    if len(text) > NOTE_LIMIT:
        raise FormatViolation(f"a note must hold at most {NOTE_LIMIT:,} characters, found {len(text):,}")
    return text


def event_from_json(d: Any) -> Event | None:
    """The event of one events.jsonl object, or None for an event type this vsop does not know."""
    if not isinstance(d, dict):
        raise FormatViolation(f"each line must be a JSON object, found {type(d).__name__}")
    kind = _get(d, "type", str)
    decode = _DECODERS.get(kind)
    return decode(d) if decode else None


def meta_from_json(d: Any) -> Meta:
    if not isinstance(d, dict):
        raise FormatViolation("meta.json must hold a JSON object")
    monitors = _get(d, "monitors", list)
    return Meta(
        format=_get(d, "format", int),
        title=_get(d, "title", str, optional=True),
        stage=_get(d, "stage", str, optional=True),
        started=_get(d, "started", str),
        ended=_get(d, "ended", str, optional=True),
        monitors=tuple(_monitor(m) for m in monitors),
        platform=_get(d, "platform", str),
        vsop_version=_get(d, "vsop_version", str),
        no_text=bool(_get(d, "no_text", bool, optional=True)),
        accessibility=_accessibility(d.get("accessibility")),
    )


def _monitor(d: Any) -> Monitor:
    if not isinstance(d, dict):
        raise FormatViolation(f"each monitor must be an object, found {d!r}")
    rect = _rect(d.get("rect"))
    if rect is None:
        raise FormatViolation("a monitor needs 'rect'")
    scale = _num(d, "scale", MAX_SCALE)
    if scale <= 0:
        raise FormatViolation(f"a monitor's scale must be above 0, found {scale}")
    return Monitor(index=_get(d, "index", int), rect=rect, scale=scale)
