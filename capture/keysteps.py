"""Which key presses begin a step that the keyboard alone makes, as the generator cuts steps: the first key
of a typing run, a shortcut, Enter, Tab and the other special keys. Such a press gets the focused element, and
a frame of its own unless a click began it (the click's frame shows the field)."""

from __future__ import annotations

from dataclasses import dataclass

from capture.keys import COMMAND_MODIFIERS, KeyId

CURSOR_KEYS = frozenset({"left", "right", "home", "end", "backspace", "delete"})  # edit the text being typed
LOCK_KEYS = frozenset({"caps_lock", "num_lock"})
FOCUS_KEYS = frozenset({"enter", "tab"})  # each press is a step of its own: it may move the focus


@dataclass(frozen=True, slots=True)
class KeyStep:
    frame: bool  # grab a frame for this press
    element: bool  # ask for the focused element


NOTHING = KeyStep(frame=False, element=False)


class KeySteps:
    """Follows the typing run and the last keyboard step; told of clicks, scrolls and window changes."""

    def __init__(self) -> None:
        self.typing = False  # a typing run is going on
        self.clicked = False  # the last input was a click: typing now goes into what it clicked
        self.last: tuple[frozenset[str], str] | None = None  # the last keyboard step's key: repeats of a
        # key merge into its step (Down Down Down), as they do in the guide

    def interrupt(self, click: bool = False) -> None:
        """Input other than a key: a mouse press (``click``), a scroll, a screenshot step, a pause. What the
        keyboard does next is a new step."""
        self.typing, self.clicked, self.last = False, click, None

    def window_changed(self) -> None:
        """Another window became active: typing now goes into it, not into what was clicked before."""
        self.typing, self.clicked, self.last = False, False, None

    def press(self, key: KeyId, char: str | None, mods: frozenset[str], masked: bool) -> KeyStep:
        """What the press of ``key`` (with ``char`` typed, ``mods`` held) needs."""
        if key.modifier or key.name in LOCK_KEYS:
            return NOTHING
        command = bool(mods & COMMAND_MODIFIERS)
        if not command and (char is not None or masked):
            return self._text()
        if not command and self.typing and key.name in CURSOR_KEYS:
            return NOTHING
        combo = (mods, key.name or (char or key.base or "").lower())
        repeat = combo == self.last and key.name not in FOCUS_KEYS
        self.typing, self.clicked, self.last = False, False, combo
        return NOTHING if repeat else KeyStep(frame=True, element=True)

    def _text(self) -> KeyStep:
        if self.typing:
            return NOTHING
        begun_by_click = self.clicked
        self.typing, self.clicked, self.last = True, False, None
        return KeyStep(frame=not begun_by_click, element=True)
