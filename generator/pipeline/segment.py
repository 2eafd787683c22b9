"""Segmentation: the events of a recording become Drafts, the steps a colleague would write down.

Rules (each tested in tests/test_segment.py):
- a press and release of one button close together is a click, apart by more than DRAG_PX a drag; the
  right button makes a right-click; two clicks within DOUBLE_CLICK_S at one spot make a double-click;
- printable keys between two pointer actions or window changes are one ``type`` step, edited as the field
  would be (backspace, delete, arrows, home/end); a click followed by typing becomes that type step;
  typing that no click began (after Tab, after a shortcut) keeps the focused element and the frame of its
  first key, and its point is inside that element's bounds;
- keyboard steps carry the frame grabbed at their key and the focused element, like a click its own;
- ctrl/alt/cmd combinations are ``hotkey`` steps; alt+tab followed by a window change is ``switch_window``;
- other keys (enter, tab, escape...) are ``key`` steps; repeats of one key merge with a count;
- scroll notches in one direction at one place merge into one ``scroll`` step;
- a window change is another window (``WindowInfo.same``: by the window's id, else by application and title),
  not the same window with a new title;
- a click after which the screen did not change, and that no typing follows, is kept as dropped;
- a note event becomes the note of the step current at its time (``generator/pipeline/notes.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from capture.keys import COMMAND_MODIFIERS, MODIFIERS
from capture.models import (
    CaptureEvent,
    Element,
    Event,
    FrameRef,
    KeyEvent,
    MouseButtonEvent,
    MoveEvent,
    Recording,
    Rect,
    ScrollEvent,
    StateEvent,
    WindowEvent,
    WindowInfo,
)
from generator.guide.model import Action, Draft
from generator.pipeline.notes import attach_notes

DRAG_PX = 6
DOUBLE_CLICK_S = 0.5
SCROLL_MERGE_PX = 80
TEXT_END_KEYS = frozenset({"enter", "tab"})
CURSOR_KEYS = frozenset({"left", "right", "home", "end", "backspace", "delete"})
SWITCH_KEYS = frozenset({"alt+tab", "alt+shift+tab", "cmd+tab", "cmd+shift+tab"})
NO_CHANGE = "nothing changed on screen after the click"


def segment(recording: Recording, double_click_s: float = DOUBLE_CLICK_S) -> list[Draft]:
    segmenter = _Segmenter(double_click_s)
    for event in recording.events:
        segmenter.feed(event)
    return attach_notes(_drop_noise(segmenter.finish(), recording.events), recording.events)


@dataclass(slots=True)
class _Text:
    """What is being typed into one field, with a cursor, as the field itself would hold it."""

    chars: list[str] = field(default_factory=list)
    cursor: int = 0
    masked: bool = False
    t: float = 0.0
    window: WindowInfo | None = None
    element: Element | None = None  # the focused element at the first key
    frame: FrameRef | None = None  # the frame grabbed at the first key

    def insert(self, char: str) -> None:
        self.chars.insert(self.cursor, char)
        self.cursor += 1

    def edit(self, key: str) -> bool:
        """Apply a cursor or delete key; False when it does not act on the text typed here."""
        if not self.chars:
            return False
        if key == "backspace" and self.cursor > 0:
            self.cursor -= 1
            del self.chars[self.cursor]
        elif key == "delete" and self.cursor < len(self.chars):
            del self.chars[self.cursor]
        elif key in ("left", "home"):
            self.cursor = 0 if key == "home" else max(0, self.cursor - 1)
        elif key in ("right", "end"):
            self.cursor = len(self.chars) if key == "end" else min(len(self.chars), self.cursor + 1)
        else:
            return False
        return True


class _Segmenter:
    def __init__(self, double_click_s: float) -> None:
        self.double_click_s = double_click_s
        self.drafts: list[Draft] = []
        self.presses: dict[str, tuple[MouseButtonEvent, int]] = {}  # button -> press, farthest move (px)
        self.text: _Text | None = None
        self.field_click: Draft | None = None  # the click that typing may turn into a type step
        self.window: WindowInfo | None = None

    def feed(self, event: Event) -> None:
        if isinstance(event, MouseButtonEvent):
            self.mouse(event)
        elif isinstance(event, MoveEvent):
            self.move(event)
        elif isinstance(event, KeyEvent):
            if event.type == "key_press":
                self.key(event)
        elif isinstance(event, ScrollEvent):
            self.scroll(event)
        elif isinstance(event, WindowEvent):
            self.window_change(event)
        elif isinstance(event, CaptureEvent):
            self.end_text()
            self.add(
                Draft(
                    "capture",
                    event.t,
                    (event.x, event.y),
                    window=event.window,
                    frame=event.frame,
                    element=event.element,
                )
            )
        elif isinstance(event, StateEvent):
            self.end_text()

    def finish(self) -> list[Draft]:
        self.end_text()
        return self.drafts

    def add(self, draft: Draft) -> None:
        self.drafts.append(draft)
        self.field_click = None

    # -- pointer -----------------------------------------------------------------------------------------

    def mouse(self, event: MouseButtonEvent) -> None:
        if event.type == "mouse_press":
            self.end_text()
            self.presses[event.button] = (event, 0)
            return
        pressed = self.presses.pop(event.button, None)
        if pressed is None:
            return  # pressed before the recording started
        press, farthest = pressed
        if max(farthest, _distance((press.x, press.y), (event.x, event.y))) > DRAG_PX:
            self.add(_from_press("drag", press, event, end=(event.x, event.y)))
        elif event.button == "right":
            self.add(_from_press("right_click", press, event))
        elif self.is_second_click(press):
            first = self.drafts.pop()
            self.add(replace(first, action="double_click", duration=round(event.t - first.t, 4)))
        else:
            self.add(_from_press("click", press, event))
            self.field_click = self.drafts[-1]

    def is_second_click(self, press: MouseButtonEvent) -> bool:
        last = self.drafts[-1] if self.drafts else None
        return (
            last is not None
            and last.action == "click"
            and last.point is not None
            and press.t - last.t <= self.double_click_s
            and _distance(last.point, (press.x, press.y)) <= DRAG_PX
        )

    def move(self, event: MoveEvent) -> None:
        for button, (press, farthest) in self.presses.items():
            self.presses[button] = (press, max(farthest, _distance((press.x, press.y), (event.x, event.y))))

    def scroll(self, event: ScrollEvent) -> None:
        self.end_text()
        direction = _direction(event.dx, event.dy)
        if direction is None:
            return
        last = self.drafts[-1] if self.drafts else None
        if (
            last is not None
            and last.action == "scroll"
            and last.value == direction
            and last.point is not None
            and _distance(last.point, (event.x, event.y)) <= SCROLL_MERGE_PX
        ):
            self.drafts[-1] = replace(last, count=last.count + 1, duration=round(event.t - last.t, 4))
            return
        self.add(Draft("scroll", event.t, (event.x, event.y), value=direction, window=event.window))

    # -- keyboard ----------------------------------------------------------------------------------------

    def key(self, event: KeyEvent) -> None:
        if event.key is not None and _is_modifier(event.key):
            return
        command = bool(set(event.mods) & COMMAND_MODIFIERS)
        if not command and (event.char is not None or event.masked):
            self.type_char(event)
        elif not command and event.key in CURSOR_KEYS and self.text is not None and self.text.edit(event.key):
            return
        elif command or (event.key is not None and "shift" in event.mods):
            self.end_text()
            self.add(_from_key("hotkey", event, _combo(event)))
        elif event.key is not None:
            self.end_text()
            self.press_key(event.key, event)

    def type_char(self, event: KeyEvent) -> None:
        if self.text is None:
            self.text = _Text(t=event.t, window=event.window, element=event.element, frame=event.frame)
        if event.masked:
            self.text.masked = True
            self.text.insert("\0")
        else:
            assert event.char is not None
            self.text.insert(event.char)

    def press_key(self, key: str, event: KeyEvent) -> None:
        last = self.drafts[-1] if self.drafts else None
        if last is not None and last.action == "key" and last.value == key and key not in TEXT_END_KEYS:
            self.drafts[-1] = replace(last, count=last.count + 1)
            return
        self.add(_from_key("key", event, key))

    def end_text(self) -> None:
        text, self.text = self.text, None
        if text is None or not text.chars:
            return
        value = None if text.masked else "".join(text.chars)
        click = self.field_click
        if click is not None and self.drafts and self.drafts[-1] is click:
            element = click.element or text.element
            self.drafts[-1] = replace(click, action="type", value=value, element=element)
            self.field_click = None
            return
        point = inside(text.element.bounds) if text.element and text.element.bounds else None
        self.add(
            Draft(
                "type", text.t, point, value=value, window=text.window, frame=text.frame, element=text.element
            )
        )

    def window_change(self, event: WindowEvent) -> None:
        if event.window is None:
            return
        previous, self.window = self.window, event.window
        if previous is None or previous.same(event.window):
            return  # the first window seen, or the same window with a changed title
        self.end_text()
        click = self.field_click
        if click is not None and (click.window is None or not click.window.same(event.window)):
            self.field_click = None  # typing into a window that opened after the click is not typed into it
        last = self.drafts[-1] if self.drafts else None
        if last is not None and last.action == "hotkey" and last.value in SWITCH_KEYS:
            self.drafts[-1] = replace(last, action="switch_window", value=None, window=event.window)


def _from_press(
    action: Action, press: MouseButtonEvent, release: MouseButtonEvent, end: tuple[int, int] | None = None
) -> Draft:
    return Draft(
        action,
        press.t,
        (press.x, press.y),
        end=end,
        window=press.window,
        frame=press.frame,
        duration=round(release.t - press.t, 4),
        element=press.element,
    )


def _from_key(action: Action, event: KeyEvent, value: str) -> Draft:
    return Draft(action, event.t, value=value, window=event.window, frame=event.frame, element=event.element)


def inside(bounds: Rect) -> tuple[int, int]:
    """Where in a field's bounds a click would have been: near its start, at mid height (a point left of
    the text a field holds, as a click that begins typing usually is)."""
    return bounds.left + min(bounds.width // 2, max(4, bounds.height // 2)), bounds.top + bounds.height // 2


def _drop_noise(drafts: list[Draft], events: tuple[Event, ...]) -> list[Draft]:
    """Mark clicks after which the next screenshot of the same monitor is the very same frame."""
    frames = [
        e.frame for e in events if isinstance(e, (MouseButtonEvent, CaptureEvent)) and e.frame is not None
    ]
    result = []
    for draft in drafts:
        if draft.action == "click" and draft.frame is not None and _next_frame_same(draft.frame, frames):
            draft = replace(draft, dropped=NO_CHANGE)
        result.append(draft)
    return result


def _next_frame_same(frame: FrameRef, frames: list[FrameRef]) -> bool:
    later = [f for f in frames if f.monitor == frame.monitor and f.t > frame.t]
    return bool(later) and later[0].file == frame.file


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(abs(a[0] - b[0]), abs(a[1] - b[1]))


def _direction(dx: int, dy: int) -> str | None:
    if dy:
        return "down" if dy < 0 else "up"
    if dx:
        return "right" if dx > 0 else "left"
    return None


def _is_modifier(key: str) -> bool:
    return key in MODIFIERS or key in ("caps_lock", "num_lock")


def _combo(event: KeyEvent) -> str:
    key = event.key if event.key is not None else (event.char or "").lower()
    return "+".join((*event.mods, key))
