"""Key names, modifiers and the recorder's own hotkeys (``ctrl+alt+s``), independent of pynput's objects."""

from __future__ import annotations

from dataclasses import dataclass

from capture.errors import VsopError

MODIFIERS = {
    "shift": "shift",
    "shift_l": "shift",
    "shift_r": "shift",
    "ctrl": "ctrl",
    "ctrl_l": "ctrl",
    "ctrl_r": "ctrl",
    "alt": "alt",
    "alt_l": "alt",
    "alt_r": "alt",
    "alt_gr": "altgr",
    "cmd": "cmd",
    "cmd_l": "cmd",
    "cmd_r": "cmd",
}
COMMAND_MODIFIERS = frozenset({"ctrl", "alt", "cmd"})
_ORDER = ("ctrl", "alt", "altgr", "shift", "cmd")


@dataclass(frozen=True, slots=True)
class KeyId:
    """A key as the recorder sees it: a special key's ``name`` or a character key's ``char``."""

    name: str | None
    char: str | None
    vk: int | None = None

    @property
    def modifier(self) -> str | None:
        return MODIFIERS.get(self.name) if self.name else None

    @property
    def base(self) -> str | None:
        """What a hotkey compares: the lower-case character (recovered from the virtual key code when
        ctrl turned it into a control character, as on Windows) or the special key's name."""
        if self.char and self.char.isprintable():
            return self.char.lower()
        if self.vk is not None and (0x30 <= self.vk <= 0x39 or 0x41 <= self.vk <= 0x5A):
            return chr(self.vk).lower()
        return self.name


def ordered(mods: set[str] | frozenset[str]) -> tuple[str, ...]:
    return tuple(m for m in _ORDER if m in mods)


@dataclass(frozen=True, slots=True)
class Hotkey:
    mods: frozenset[str]
    key: str

    @classmethod
    def parse(cls, spec: str, option: str = "hotkey") -> Hotkey:
        parts = [p.strip().lower() for p in spec.split("+")]
        *mods, key = parts
        bad = [m for m in mods if m not in MODIFIERS]
        if not key or bad or not mods or key in MODIFIERS:
            raise VsopError(
                f"{option} {spec!r}: expected modifiers and one key joined by '+', e.g. 'ctrl+alt+s' "
                f"(modifiers: ctrl, alt, shift, cmd)"
            )
        return cls(frozenset(MODIFIERS[m] for m in mods), key)

    def matches(self, held: frozenset[str], key: KeyId) -> bool:
        return held == self.mods and key.base == self.key

    def __str__(self) -> str:
        return "+".join((*ordered(self.mods), self.key))


@dataclass(frozen=True, slots=True)
class Hotkeys:
    stop: Hotkey
    pause: Hotkey
    capture: Hotkey

    @classmethod
    def parse(
        cls, stop: str = "ctrl+alt+s", pause: str = "ctrl+alt+p", capture: str = "ctrl+alt+c"
    ) -> Hotkeys:
        keys = cls(
            Hotkey.parse(stop, "--stop-key"),
            Hotkey.parse(pause, "--pause-key"),
            Hotkey.parse(capture, "--capture-key"),
        )
        if len({keys.stop, keys.pause, keys.capture}) < 3:
            raise VsopError(
                f"hotkeys must differ: stop {keys.stop}, pause {keys.pause}, capture {keys.capture}"
            )
        return keys

    def action(self, held: frozenset[str], key: KeyId) -> str | None:
        for name in ("stop", "pause", "capture"):
            if getattr(self, name).matches(held, key):
                return name
        return None
