"""Caps Lock as the keys pressed so far left it, for an input listener whose characters do not show the lock
(pynput on X11 applies Shift, not Caps Lock): each letter gets the case the presses before it gave, however
late the recorder handles it.

The lock is read from the window system once, before the listener is live. From then on it follows the
Caps Lock presses the recorder handles, in the order they were made, as X toggles the lock (XKB's LockMods):
a press turns it on, and the release of a press that found it on turns it off, so it stays on while that key
is held. Asking the window system again while keys may still be on their way to the recorder would give a
letter typed before a Caps Lock press the state after it; its answer is taken again only to mend a state the
presses do not explain (the lock toggled by a program, or just before the listener was live): when it
differs from the one followed here at two idle checks in a row (no key handled between them, which are half
a second apart). A Caps Lock press whose toggle the first check saw has reached the recorder by the second,
unless the listener lagged more than that half second."""

from __future__ import annotations

CAPS_LOCK = "caps_lock"  # pynput's name of the key


class CapsLock:
    """``on``: the lock's state at the start (None: the listener's characters show the lock themselves, or
    nothing can tell; no character is then changed)."""

    def __init__(self, on: bool | None) -> None:
        self.on = on
        self._off_at_release = False  # the Caps Lock key held down was pressed while the lock was on
        self._differs: bool | None = None  # the window system's last idle answer, when it differed

    def key(self, name: str | None, pressed: bool) -> None:
        """A key's press or release, handled in the order made (while paused too: X toggles the lock)."""
        self._differs = None
        if self.on is None or name != CAPS_LOCK:
            return
        if pressed:
            self._off_at_release, self.on = self.on, True
        elif self._off_at_release:
            self._off_at_release, self.on = False, False

    def char(self, char: str | None) -> str | None:
        """``char`` as the lock turns it: a letter's case inverted while the lock is on (upper case with it,
        lower case with Shift and it)."""
        if not self.on or char is None or len(char) != 1 or not char.isalpha():
            return char
        swapped = char.swapcase()
        return swapped if len(swapped) == 1 else char  # "ß" has no upper case of one character

    def idle(self, now: bool | None) -> None:
        """The window system's answer ``now``, asked after half a second without input: taken when the last
        idle check, with no key handled since, gave the same answer."""
        if self.on is None or now is None or now == self.on:
            self._differs = None
        elif self._differs == now:
            self.on, self._off_at_release, self._differs = now, False, None
        else:
            self._differs = now
