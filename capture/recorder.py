"""The recorder: pynput listeners stamp and enqueue; one worker grabs frames and makes events; the elements
writer asks the accessibility backend what each press or key step acted on (after its frame is grabbed) and
writes the events in order; one encoder turns grabs into frame files (lossless WebP, or PNG). Nothing slow
ever runs on an input thread, and no application's accessibility answer ever holds up a grab."""

from __future__ import annotations

import platform
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from capture.capslock import CapsLock
from capture.elements import Asked, Elements, Query, query_timeout
from capture.errors import BackendUnavailableError, RecordingError
from capture.exclusion import Exclusion
from capture.format import FORMAT_VERSION, NOTE_LIMIT
from capture.frames import DEFAULT_FORMAT, frame_format
from capture.keys import COMMAND_MODIFIERS, Hotkeys, KeyId, ordered
from capture.keysteps import CURSOR_KEYS, KeySteps
from capture.models import (
    Accessibility,
    CaptureEvent,
    Event,
    FrameRef,
    KeyEvent,
    Meta,
    MouseButtonEvent,
    MoveEvent,
    NoteEvent,
    Rect,
    ScrollEvent,
    StateEvent,
    WindowEvent,
    WindowInfo,
)
from capture.screen import Grab, Screen
from capture.window import WindowBackend, open_backend
from capture.writer import RecordingWriter

if TYPE_CHECKING:
    from capture.accessibility import AccessibilityBackend

DRAG_STEP_PX = 8  # record the pointer path of a held button in steps of this many pixels
WINDOW_POLL_S = 0.5


@dataclass(frozen=True, slots=True)
class RecorderOptions:
    out: Path
    title: str | None = None
    stage: str | None = None
    hotkeys: Hotkeys = field(default_factory=Hotkeys.parse)
    no_text: bool = False
    frame_format: str = DEFAULT_FORMAT  # a name in capture.frames.FORMATS
    exclusion: Exclusion | None = None  # vsop's own windows (the tray): input on them is not recorded


def say_on_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


class Recorder:
    """``start()`` returns once the listeners are live; ``wait()`` until a stop; ``close()`` finalizes.

    ``accessibility``: the backend asked what each input acted on (None: nothing is asked), closed by the
    recorder. ``say``: where a notice for the person goes (an application that exposes no accessibility
    tree)."""

    def __init__(
        self,
        options: RecorderOptions,
        accessibility: AccessibilityBackend | None = None,
        say: Callable[[str], None] = say_on_stderr,
    ) -> None:
        self.options = options
        self.elements = Elements(
            accessibility, self._append, no_text=options.no_text, say=say, timeout=query_timeout()
        )
        self._inbox: queue.SimpleQueue[tuple[Any, ...] | None] = queue.SimpleQueue()
        self._frames: queue.SimpleQueue[tuple[str, Grab] | None] = queue.SimpleQueue()
        self._stopped = threading.Event()
        self._worker_ready = threading.Event()  # the worker has read the Caps Lock state
        self._errors: list[BaseException] = []
        self._t0 = time.monotonic()
        self._buttons_down = 0
        self.paused = False  # set by the worker (pause hotkey or ``toggle_pause``)
        self._listeners: list[Any] = []
        self._threads: list[threading.Thread] = []
        self.writer: RecordingWriter | None = None

    # -- lifecycle ----------------------------------------------------------------------------------------

    def start(self) -> Path:
        screen = Screen()  # fails early, with a hint, when there is no display
        monitors = screen.monitors
        screen.close()
        meta = Meta(
            format=FORMAT_VERSION,
            title=self.options.title,
            stage=self.options.stage,
            started=_now_iso(),
            ended=None,
            monitors=monitors,
            platform=platform.platform(),
            vsop_version=_version(),
            no_text=self.options.no_text,
            accessibility=Accessibility(self.elements.backend.name) if self.elements.backend else None,
        )
        writer = RecordingWriter(self.options.out, meta, frame_format(self.options.frame_format))
        writer.open()
        self.writer = writer
        self._t0 = time.monotonic()
        try:
            self._spawn(self._process, "vsop-worker")
            self._spawn(self.elements.run, "vsop-elements")
            self._spawn(self._encode, "vsop-encoder")
            self._worker_ready.wait()  # Caps Lock read before any key can be on its way (capture/capslock.py)
            self._start_listeners()
        except BaseException:
            self.close()
            raise
        return self.options.out

    def wait(self, timeout: float | None = None) -> bool:
        """True once a stop was requested (hotkey, ``stop()``, or a failed worker)."""
        return self._stopped.wait(timeout)

    def stop(self) -> None:
        self._stopped.set()

    def toggle_pause(self) -> None:
        """Pause or resume, as the pause hotkey does (handled in order with the input before it)."""
        self._inbox.put((time.monotonic(), "control", "pause"))

    def note(self, text: str) -> None:
        """Add a note event: a person's remark about the step being recorded now (at most ``NOTE_LIMIT``
        characters, else RecordingError)."""
        if len(text) > NOTE_LIMIT:
            raise RecordingError(f"note: at most {NOTE_LIMIT:,} characters, found {len(text):,}; shorten it")
        self._inbox.put((time.monotonic(), "note", text))

    def close(self) -> None:
        """Stop listening, write out everything queued, finalize meta.json; re-raise a worker's failure.

        Safe to call after a failed or partial ``start()``, and more than once."""
        self._stopped.set()
        for listener in self._listeners:
            listener.stop()
        self._listeners = []
        # the worker drains the inbox (queueing events and frames), then the elements writer writes the
        # events, then the encoder the frames
        ends: tuple[Callable[[], None], ...] = (
            lambda: self._inbox.put(None),
            self.elements.finish,
            lambda: self._frames.put(None),
        )
        for thread, end in zip(self._threads, ends, strict=False):
            end()
            thread.join()
        self._threads = []
        self.elements.close()
        if self.writer is not None:
            self.writer.meta = replace(self.writer.meta, accessibility=self.elements.summary())
            self.writer.close(_now_iso())
            self.writer = None
        errors, self._errors = self._errors, []
        if errors:
            raise errors[0]

    def _spawn(self, target: Any, name: str) -> None:
        def run() -> None:
            try:
                target()
            except BaseException as exc:
                self._errors.append(exc)
                self._stopped.set()

        thread = threading.Thread(target=run, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _start_listeners(self) -> None:
        try:
            from pynput import keyboard, mouse
        except ImportError as exc:
            raise BackendUnavailableError(
                f"cannot listen to input ({exc}); on Linux run vsop inside an X session (DISPLAY set)"
            ) from exc
        self._listeners = [
            mouse.Listener(on_click=self._on_click, on_scroll=self._on_scroll, on_move=self._on_move),
            keyboard.Listener(on_press=self._on_press, on_release=self._on_release),
        ]
        for listener in self._listeners:
            listener.start()
        for listener in self._listeners:
            listener.wait()

    # -- input callbacks: stamp and enqueue, nothing else -----------------------------------------------

    def _on_click(self, x: int, y: int, button: Any, pressed: bool) -> None:
        self._buttons_down = self._buttons_down + 1 if pressed else max(0, self._buttons_down - 1)
        self._inbox.put((time.monotonic(), "press" if pressed else "release", int(x), int(y), button.name))

    def _on_move(self, x: int, y: int) -> None:
        if self._buttons_down:
            self._inbox.put((time.monotonic(), "move", int(x), int(y)))

    def _on_scroll(self, x: int, y: int, dx: int, dy: int) -> None:
        self._inbox.put((time.monotonic(), "scroll", int(x), int(y), int(dx), int(dy)))

    def _on_press(self, key: Any) -> None:
        self._inbox.put((time.monotonic(), "key_press", key))

    def _on_release(self, key: Any) -> None:
        self._inbox.put((time.monotonic(), "key_release", key))

    # -- the worker --------------------------------------------------------------------------------------

    def _process(self) -> None:
        try:
            worker = _Worker(self)
        finally:
            self._worker_ready.set()
        try:
            while True:
                try:
                    item = self._inbox.get(timeout=WINDOW_POLL_S)
                except queue.Empty:
                    worker.idle()
                    continue
                if item is None:
                    return
                worker.handle(item)
        finally:
            worker.close()

    def _append(self, event: Event) -> None:
        assert self.writer is not None
        self.writer.append(event)

    def _encode(self) -> None:
        assert self.writer is not None
        while (item := self._frames.get()) is not None:
            name, grab = item
            self.writer.write_frame(name, grab.raw, grab.size)


class _Worker:
    """State of the worker thread: modifiers held, pause, last frame per monitor, last window."""

    def __init__(self, recorder: Recorder) -> None:
        self.rec = recorder
        assert recorder.writer is not None
        self.writer = recorder.writer
        self.elements = recorder.elements
        self.steps = KeySteps()
        self.screen = Screen()
        self.windows: WindowBackend = open_backend()
        self.caps = CapsLock(self.windows.caps_lock())
        self.held: dict[str, str] = {}  # pynput key name -> modifier
        self.swallowed: set[str | None] = set()  # keys of our hotkeys whose release is not recorded
        self.exclusion = recorder.options.exclusion
        self.excluded_buttons: set[str] = set()  # pressed on vsop's own windows: release and drag ignored
        self.pressed: set[str] = set()  # buttons whose press was recorded: only their release is
        self.last_grab: dict[int, tuple[bytearray, str]] = {}
        self.last_window: WindowInfo | None = None  # as last written, without its rectangle
        self.active_rect: Rect | None = None  # where the keyboard's frames are grabbed
        self.last_move: tuple[int, int] | None = None
        self._pointer: Any = None

    @property
    def paused(self) -> bool:
        return self.rec.paused

    @paused.setter
    def paused(self, value: bool) -> None:
        self.rec.paused = value

    def close(self) -> None:
        self.screen.close()
        self.windows.close()

    def t(self, stamp: float) -> float:
        return round(stamp - self.rec._t0, 4)

    def emit(self, event: Event) -> None:
        self.elements.put(event)

    def ask(self, event: Asked, point: tuple[int, int] | None, window: WindowInfo | None) -> None:
        """Emit ``event`` with the element under ``point`` (None: the focused one) once it is known."""
        if not self.elements.asking:
            self.emit(event)
            return
        pid = self.windows.pid_at(*point) if point is not None else self.windows.active_pid()
        self.elements.ask(event, Query(point, window, pid))

    def handle(self, item: tuple[Any, ...]) -> None:
        stamp, kind, *args = item
        if kind in ("key_press", "key_release"):
            self.key(stamp, kind, _key_id(args[0]))
        elif kind == "control":
            self.control(stamp, args[0])
        elif kind == "note":
            self.emit(NoteEvent(self.t(stamp), args[0]))
        elif kind == "release":
            self.release(stamp, *args)
        elif self.paused or self.on_own_window(stamp, kind, args):
            return
        elif kind == "press":
            x, y, button = args
            x, y = self.screen.input_point(x, y)
            frame = self.grab(x, y)
            window = self.window_at(x, y)
            self.ask(
                MouseButtonEvent("mouse_press", self.t(stamp), x, y, button, window, frame), (x, y), window
            )
            self.last_move = (x, y)
            self.pressed.add(button)
            self.steps.interrupt(click=True)
        elif kind == "move":
            self.move(stamp, *self.screen.input_point(*args))
        elif kind == "scroll":
            x, y, dx, dy = args
            x, y = self.screen.input_point(x, y)
            self.emit(ScrollEvent(self.t(stamp), x, y, dx, dy, self.active_window()))
            self.steps.interrupt()

    def release(self, stamp: float, x: int, y: int, button: str) -> None:
        """A button's release is written only when its press was, and not while paused: never the release
        of a press made on vsop's own windows (the tray's menu), while paused, or before the start, whenever
        it comes (the release of the tray's Resume click may come after the resume)."""
        self.excluded_buttons.discard(button)
        if button not in self.pressed:
            return
        self.pressed.discard(button)
        if not self.paused:
            x, y = self.screen.input_point(x, y)
            self.emit(MouseButtonEvent("mouse_release", self.t(stamp), x, y, button))

    def on_own_window(self, stamp: float, kind: str, args: list[Any]) -> bool:
        """Input on vsop's own windows (the tray) is not recorded; neither is the drag of a press made there
        (nor its release: :meth:`release`)."""
        if self.exclusion is None:
            return False
        if kind == "move":
            return bool(self.excluded_buttons)
        x, y = self.screen.input_point(args[0], args[1])
        if self.exclusion.covers(x, y, stamp):
            if kind == "press":
                self.excluded_buttons.add(args[2])
            return True
        return False

    def move(self, stamp: float, x: int, y: int) -> None:
        last = self.last_move
        if last is None or abs(x - last[0]) + abs(y - last[1]) >= DRAG_STEP_PX:
            self.last_move = (x, y)
            self.emit(MoveEvent(self.t(stamp), x, y))

    def key(self, stamp: float, kind: str, key: KeyId) -> None:
        pressed = kind == "key_press"
        self.caps.key(key.name, pressed)  # first: X toggles the lock even for a hotkey, or while paused
        if key.modifier and key.name:
            if pressed:
                self.held[key.name] = key.modifier
            else:
                self.held.pop(key.name, None)
        mods = frozenset(self.held.values())
        if pressed and not key.modifier:
            action = self.rec.options.hotkeys.action(mods, key)
            if action:
                self.swallowed.add(key.base)
                self.control(stamp, action)
                return
        if not pressed and key.base in self.swallowed:
            self.swallowed.discard(key.base)
            return
        if self.paused or (self.exclusion is not None and self.exclusion.typing(stamp)):
            return
        char = self.caps.char(key.char)  # Caps Lock inverts the case Shift gave
        no_text = self.rec.options.no_text
        masked = bool(no_text and char and not (mods & COMMAND_MODIFIERS))
        if no_text and _tells_the_text(key, mods, masked, pressed, self.steps.typing):
            return  # self.steps would not change either: it ignores these within a typing run
        if masked:  # the first key of a typing run: no character, no name (space), no shift
            char, key, mods = None, KeyId(None, None), frozenset()
        own = {key.modifier} if key.modifier else set()
        event = KeyEvent(kind, self.t(stamp), key.name, char, ordered(mods - own), masked)  # type: ignore[arg-type]
        if not pressed:
            self.emit(event)
            return
        window = self.active_window()  # first: a window that just opened begins a new typing run
        step = self.steps.press(key, char, mods, masked)
        frame = self.grab(*self.keyboard_point()) if step.frame else None
        event = replace(event, window=window, frame=frame)
        if step.element:
            self.ask(event, None, window)
        else:
            self.emit(event)

    def keyboard_point(self) -> tuple[int, int]:
        """A point of the monitor that shows what the keyboard acts on: the active window's middle."""
        rect = self.active_rect
        return (rect.left + rect.width // 2, rect.top + rect.height // 2) if rect else self.pointer()

    def control(self, stamp: float, action: str) -> None:
        if action == "stop":
            self.rec.stop()
        elif action == "pause":
            self.paused = not self.paused
            self.emit(StateEvent("pause" if self.paused else "resume", self.t(stamp)))
            self.steps.interrupt()
            if not self.paused:
                self.poll_window()
        elif action == "capture" and not self.paused:
            x, y = self.pointer()
            frame = self.grab(x, y)
            window = self.window_at(x, y)
            self.ask(CaptureEvent(self.t(stamp), x, y, window, frame), (x, y), window)
            self.steps.interrupt()

    def grab(self, x: int, y: int) -> FrameRef:
        """Grab the monitor under (x, y) now; the encoder writes it, unless it equals the last frame."""
        grab = self.screen.grab(self.screen.monitor_at(x, y))
        index = grab.monitor.index
        previous = self.last_grab.get(index)
        if previous is not None and previous[0] == grab.raw:
            name = previous[1]
        else:
            name = self.writer.next_frame_name()
            self.last_grab[index] = (grab.raw, name)
            self.rec._frames.put((name, grab))
        return FrameRef(name, index, self.t(grab.t))

    def pointer(self) -> tuple[int, int]:
        if self._pointer is None:
            from pynput import mouse

            self._pointer = mouse.Controller()
        x, y = self._pointer.position
        return int(x), int(y)

    def window_at(self, x: int, y: int) -> WindowInfo | None:
        window = self.windows.window_at(x, y)
        return window if window is not None else self.active_window()

    def active_window(self) -> WindowInfo | None:
        window = self.windows.active_window()
        self.note_window(window)
        return window

    def idle(self) -> None:
        """No input for a while: the active window may have changed; the Caps Lock state may need mending."""
        self.poll_window()
        self.caps.idle(self.windows.caps_lock())

    def poll_window(self) -> None:
        if not self.paused:
            self.active_window()

    def note_window(self, window: WindowInfo | None) -> None:
        if self.exclusion is not None and self.exclusion.typing(time.monotonic()):
            return  # the active window is vsop's own (a dialog of the tray)
        self.active_rect = window.rect if window is not None else None
        seen = replace(window, rect=None) if window is not None else _NO_WINDOW
        if seen != self.last_window:  # another window, or the same with another title
            if self.last_window is not None and not self.last_window.same(seen):
                self.steps.window_changed()
            self.last_window = seen
            self.emit(WindowEvent(self.t(time.monotonic()), window))


_NO_WINDOW = WindowInfo(None, None, None)  # no window is active (or the platform cannot tell)


_CASE_MODIFIERS = frozenset({"shift", "altgr"})


def _tells_the_text(key: KeyId, mods: frozenset[str], masked: bool, pressed: bool, typing: bool) -> bool:
    """With ``--no-text``, whether recording this key event would tell something of the text typed: shift or
    AltGr of their own (upper case, symbols), a character key's release, every key of a typing run after the
    first (how many characters, where the spaces are), or an edit of the text (backspace, arrows)."""
    if key.modifier in _CASE_MODIFIERS:
        return True
    if masked:
        return not pressed or typing
    return typing and key.name in CURSOR_KEYS and not mods & COMMAND_MODIFIERS


def _key_id(key: Any) -> KeyId:
    name = getattr(key, "name", None)
    if name is not None:  # a pynput Key (special key); space is text too
        return KeyId(name=name, char=" " if name == "space" else None)
    char = getattr(key, "char", None)
    vk = getattr(key, "vk", None)
    return KeyId(name=None, char=char, vk=vk)


def _version() -> str:
    from capture import __version__

    return __version__
