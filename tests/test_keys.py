"""The recorder's hotkeys: parsing what a person types, and matching exactly what they press."""

from __future__ import annotations

import pytest

from capture.errors import VsopError
from capture.keys import Hotkey, Hotkeys, KeyId, ordered

CTRL_ALT = frozenset({"ctrl", "alt"})


def char(c: str, vk: int | None = None) -> KeyId:
    return KeyId(name=None, char=c, vk=vk)


@pytest.mark.parametrize(
    ("spec", "mods", "key"),
    [
        ("ctrl+alt+s", CTRL_ALT, "s"),
        ("Ctrl + Alt + P", CTRL_ALT, "p"),
        ("  CTRL+alt+ S ", CTRL_ALT, "s"),
        ("ctrl_l+shift_r+f5", {"ctrl", "shift"}, "f5"),
        ("alt_gr+cmd+1", {"altgr", "cmd"}, "1"),
        ("shift+space", {"shift"}, "space"),
    ],
)
def test_parse(spec: str, mods: set[str], key: str) -> None:
    assert Hotkey.parse(spec) == Hotkey(frozenset(mods), key)


@pytest.mark.parametrize("spec", ["s", "ctrl+", "foo+s", "ctrl+shift", "", "+s", "ctrl++", "ctrl+foo+s"])
def test_bad_spec_says_what_is_expected(spec: str) -> None:
    with pytest.raises(VsopError) as caught:
        Hotkey.parse(spec, "--pause-key")

    message = str(caught.value)
    assert message.startswith(f"--pause-key {spec!r}: expected modifiers and one key joined by '+'")
    assert "e.g. 'ctrl+alt+s'" in message and "ctrl, alt, shift, cmd" in message
    assert caught.value.exit_code == 1


def test_str_orders_modifiers() -> None:
    assert str(Hotkey.parse("shift+cmd+ctrl+alt+x")) == "ctrl+alt+shift+cmd+x"
    assert str(Hotkey.parse("Alt + Ctrl + S")) == "ctrl+alt+s"


def test_hotkeys_defaults() -> None:
    keys = Hotkeys.parse()
    assert (str(keys.stop), str(keys.pause), str(keys.capture)) == ("ctrl+alt+s", "ctrl+alt+p", "ctrl+alt+c")


@pytest.mark.parametrize(
    ("stop", "pause", "capture"),
    [
        ("ctrl+alt+s", "ctrl+alt+s", "ctrl+alt+c"),
        ("ctrl+alt+s", "ctrl+alt+p", "alt+ctrl+S"),
        ("ctrl_l+alt+x", "ctrl_r+alt_l+x", "ctrl+alt+c"),
    ],
)
def test_hotkeys_must_differ(stop: str, pause: str, capture: str) -> None:
    with pytest.raises(VsopError, match="hotkeys must differ") as caught:
        Hotkeys.parse(stop, pause, capture)
    assert "stop ctrl+alt+" in str(caught.value)


def test_hotkeys_name_the_option_of_a_bad_spec() -> None:
    with pytest.raises(VsopError, match=r"^--capture-key 'ctrl\+'"):
        Hotkeys.parse(capture="ctrl+")


@pytest.mark.parametrize(
    ("held", "key", "fires"),
    [
        (CTRL_ALT, char("s"), True),
        (CTRL_ALT, char("S"), True),
        (CTRL_ALT | {"shift"}, char("S"), False),
        (frozenset({"alt"}), char("s"), False),
        (frozenset({"ctrl"}), char("s"), False),
        (frozenset(), char("s"), False),
        (CTRL_ALT, char("d"), False),
        (CTRL_ALT, KeyId(name="s", char=None), True),
    ],
)
def test_matches_exact_modifiers(held: frozenset[str], key: KeyId, fires: bool) -> None:
    assert Hotkey.parse("ctrl+alt+s").matches(held, key) is fires


def test_matches_a_special_key() -> None:
    hotkey = Hotkey.parse("ctrl+shift+F5")
    assert hotkey.matches(frozenset({"ctrl", "shift"}), KeyId(name="f5", char=None))
    assert not hotkey.matches(frozenset({"ctrl", "shift"}), KeyId(name="f6", char=None))


def test_action() -> None:
    keys = Hotkeys.parse()
    assert keys.action(CTRL_ALT, char("s")) == "stop"
    assert keys.action(CTRL_ALT, char("p")) == "pause"
    assert keys.action(CTRL_ALT, char("\x03", vk=0x43)) == "capture"
    assert keys.action(CTRL_ALT, char("x")) is None
    assert keys.action(frozenset({"ctrl"}), char("s")) is None


@pytest.mark.parametrize(
    ("key", "base"),
    [
        (char("\x13", vk=0x53), "s"),  # ctrl+s on Windows: a control character, the letter in vk
        (char("\x00", vk=0x32), "2"),
        (char("S"), "s"),
        (char("é"), "é"),
        (char("s", vk=0x41), "s"),  # a printable char wins over vk
        (KeyId(name="enter", char=None), "enter"),
        (KeyId(name="f5", char="\x1b", vk=0x74), "f5"),  # vk outside letters and digits
        (KeyId(name=None, char=None), None),
    ],
)
def test_key_base(key: KeyId, base: str | None) -> None:
    assert key.base == base


@pytest.mark.parametrize(
    ("name", "modifier"),
    [
        ("ctrl_l", "ctrl"),
        ("shift_r", "shift"),
        ("alt_gr", "altgr"),
        ("cmd", "cmd"),
        ("enter", None),
        (None, None),
    ],
)
def test_key_modifier(name: str | None, modifier: str | None) -> None:
    assert KeyId(name=name, char=None).modifier == modifier


def test_ordered() -> None:
    assert ordered({"shift", "ctrl"}) == ("ctrl", "shift")
    assert ordered(frozenset({"cmd", "altgr", "alt", "shift", "ctrl"})) == (
        "ctrl",
        "alt",
        "altgr",
        "shift",
        "cmd",
    )
    assert ordered(frozenset()) == ()
    assert ordered({"hyper", "alt"}) == ("alt",)
