"""Which key presses get a frame and the focused element: the first key of a typing run (a frame only when
no click began it), each shortcut, Enter and Tab; the rest of a run, edits in it and modifiers get nothing."""

from __future__ import annotations

from capture.keys import KeyId
from capture.keysteps import NOTHING, KeyStep, KeySteps

FRAME_AND_ELEMENT = KeyStep(frame=True, element=True)
ELEMENT_ONLY = KeyStep(frame=False, element=True)
CTRL = frozenset({"ctrl"})
NONE: frozenset[str] = frozenset()


def typed(steps: KeySteps, text: str, masked: bool = False) -> list[KeyStep]:
    return [steps.press(KeyId(None, c), None if masked else c, NONE, masked) for c in text]


def special(steps: KeySteps, name: str, mods: frozenset[str] = NONE) -> KeyStep:
    return steps.press(KeyId(name, None), None, mods, False)


def test_typing_that_no_click_began_gets_a_frame_at_its_first_key() -> None:
    steps = KeySteps()
    assert typed(steps, "abc") == [FRAME_AND_ELEMENT, NOTHING, NOTHING]


def test_typing_after_a_click_gets_the_element_but_the_frame_is_the_clicks() -> None:
    steps = KeySteps()
    steps.interrupt(click=True)
    assert typed(steps, "ab") == [ELEMENT_ONLY, NOTHING]


def test_masked_characters_are_typing_too() -> None:
    assert typed(KeySteps(), "xyz", masked=True) == [FRAME_AND_ELEMENT, NOTHING, NOTHING]


def test_enter_and_tab_are_steps_each_time_and_end_the_run() -> None:
    steps = KeySteps()
    steps.interrupt(click=True)
    assert typed(steps, "ab") == [ELEMENT_ONLY, NOTHING]
    assert special(steps, "tab") == FRAME_AND_ELEMENT
    assert special(steps, "tab") == FRAME_AND_ELEMENT
    assert typed(steps, "cd") == [FRAME_AND_ELEMENT, NOTHING]  # Tab moved the focus: no click began it
    assert special(steps, "enter") == FRAME_AND_ELEMENT
    assert special(steps, "enter") == FRAME_AND_ELEMENT


def test_shortcuts_are_steps_and_their_repeats_merge() -> None:
    steps = KeySteps()
    ctrl_s = steps.press(KeyId(None, "s"), "s", CTRL, False)
    assert ctrl_s == FRAME_AND_ELEMENT
    assert steps.press(KeyId(None, "s"), "s", CTRL, False) == NOTHING
    assert steps.press(KeyId(None, "z"), "z", CTRL, False) == FRAME_AND_ELEMENT
    assert special(steps, "down") == FRAME_AND_ELEMENT
    assert special(steps, "down") == NOTHING  # Down Down Down is one step with one picture
    assert special(steps, "shift", NONE) == NOTHING


def test_edits_inside_a_run_are_part_of_it_outside_they_are_steps() -> None:
    steps = KeySteps()
    assert typed(steps, "ab") == [FRAME_AND_ELEMENT, NOTHING]
    assert special(steps, "backspace") == NOTHING
    assert special(steps, "left") == NOTHING
    assert typed(steps, "c") == [NOTHING]
    steps.interrupt()  # a scroll ends the run
    assert special(steps, "backspace") == FRAME_AND_ELEMENT


def test_modifiers_and_locks_are_nothing_and_do_not_end_a_run() -> None:
    steps = KeySteps()
    assert typed(steps, "a") == [FRAME_AND_ELEMENT]
    for name in ("shift", "ctrl_l", "alt_gr", "caps_lock"):
        assert special(steps, name) == NOTHING
    assert typed(steps, "B") == [NOTHING]


def test_a_new_window_begins_a_new_run_even_after_a_click() -> None:
    steps = KeySteps()
    steps.interrupt(click=True)
    steps.window_changed()  # a dialog opened after the click: typing goes into it
    assert typed(steps, "report") == [FRAME_AND_ELEMENT, *[NOTHING] * 5]
