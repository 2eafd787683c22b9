"""Caps Lock followed key by key, as X toggles it (pure logic; the real keyboard is in test_recorder.py)."""

from __future__ import annotations

import pytest

from capture.capslock import CapsLock


def typed(lock: CapsLock, *keys: str) -> str:
    """What ``keys`` type, handled in order: ``caps`` a press and release of Caps Lock, ``caps_down`` and
    ``caps_up`` one of them, ``x``/``X`` a letter as pynput gives it (with Shift: upper case)."""
    text = ""
    for key in keys:
        if key.startswith("caps"):
            if key in ("caps", "caps_down"):
                lock.key("caps_lock", pressed=True)
            if key in ("caps", "caps_up"):
                lock.key("caps_lock", pressed=False)
        else:
            lock.key(None, pressed=True)
            text += lock.char(key) or ""
            lock.key(None, pressed=False)
    return text


def test_each_press_toggles_the_lock_for_the_letters_after_it() -> None:
    assert typed(CapsLock(False), "a", "caps", "b", "C", "caps", "d") == "aBcd"
    assert typed(CapsLock(True), "a", "caps", "b", "caps", "C") == "Abc"


def test_a_lock_turned_off_stays_on_while_its_key_is_held() -> None:
    """XKB's LockMods: the press locks; the release unlocks only what was locked before the press."""
    lock = CapsLock(True)
    assert typed(lock, "caps_down", "a", "caps_up", "b") == "Ab"
    assert typed(lock, "caps_down", "c", "caps_up", "d") == "CD"


@pytest.mark.parametrize("char", ["1", "!", " ", "ß", "", None])
def test_only_a_letter_with_a_case_of_one_character_changes(char: str | None) -> None:
    assert CapsLock(True).char(char) == char
    assert CapsLock(True).char("é") == "É"


def test_nothing_changes_where_the_listener_shows_the_lock_itself() -> None:
    lock = CapsLock(None)
    assert typed(lock, "a", "caps", "b") == "ab"
    lock.idle(True)
    lock.idle(True)
    assert typed(lock, "c") == "c"


def test_the_window_systems_answer_mends_the_state_after_two_idle_checks() -> None:
    lock = CapsLock(False)
    lock.idle(True)  # Caps Lock pressed just before this check, its press still on its way: not taken yet
    assert typed(lock, "a") == "a"
    lock.idle(True)  # the key came between: the first answer was not confirmed
    assert typed(lock, "b") == "b"
    lock.idle(True)
    lock.idle(True)  # twice in a row with no key between: a program turned the lock on
    assert lock.on is True and typed(lock, "c") == "C"


def test_an_answer_that_agrees_again_is_forgotten() -> None:
    lock = CapsLock(False)
    lock.idle(True)
    lock.idle(False)
    lock.idle(True)
    assert lock.on is False
