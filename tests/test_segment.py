"""Segmentation rules on hand-made event streams (pure logic); recorded fixtures are in test_generate."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from capture.models import (
    CaptureEvent,
    Element,
    Event,
    FrameRef,
    KeyEvent,
    Meta,
    MouseButtonEvent,
    MoveEvent,
    Recording,
    Rect,
    ScrollEvent,
    StateEvent,
    WindowEvent,
    WindowInfo,
)
from generator.guide.model import Draft
from generator.pipeline.segment import NO_CHANGE, segment

EDITOR = WindowInfo("notes.txt - Mousepad", "Mousepad", None)
CRM = WindowInfo("Acme CRM - New Lead", "Chromium", None)


class Stream:
    """Builds events the way the recorder writes them, with a running clock and numbered frames."""

    def __init__(self) -> None:
        self.t = 0.0
        self.events: list[Event] = []
        self.frame_no = 0

    def tick(self, dt: float) -> float:
        self.t = round(self.t + dt, 4)
        return self.t

    def frame(self, same: bool = False) -> FrameRef:
        if not same:
            self.frame_no += 1
        return FrameRef(f"{self.frame_no:06d}.png", 1, self.t)

    def click(
        self, x: int, y: int, button: str = "left", same_frame: bool = False, gap: float = 1.0
    ) -> Stream:
        self.events.append(
            MouseButtonEvent("mouse_press", self.tick(gap), x, y, button, CRM, self.frame(same_frame))
        )
        self.events.append(MouseButtonEvent("mouse_release", self.tick(0.08), x, y, button))
        return self

    def drag(self, start: tuple[int, int], end: tuple[int, int]) -> Stream:
        self.events.append(MouseButtonEvent("mouse_press", self.tick(1), *start, "left", CRM, self.frame()))
        self.events.append(MoveEvent(self.tick(0.1), (start[0] + end[0]) // 2, (start[1] + end[1]) // 2))
        self.events.append(MouseButtonEvent("mouse_release", self.tick(0.1), *end, "left"))
        return self

    def keys(self, *presses: tuple[str | None, str | None, tuple[str, ...]]) -> Stream:
        for key, char, mods in presses:
            self.events.append(KeyEvent("key_press", self.tick(0.1), key, char, mods, window=CRM))
            self.events.append(KeyEvent("key_release", self.tick(0.05), key, char, ()))
        return self

    def type(self, text: str) -> Stream:
        return self.keys(*[(None, c, ("shift",) if c.isupper() else ()) for c in text])

    def key(self, name: str, *mods: str) -> Stream:
        return self.keys((name, None, mods))

    def add(self, event: Event) -> Stream:
        self.events.append(event)
        return self

    def drafts(self) -> list[Draft]:
        meta = Meta(1, None, None, "2026-11-22T10:00:00+00:00", None, (), "test", "0")
        return segment(Recording(Path("rec"), meta, tuple(self.events)))


def summary(drafts: list[Draft]) -> list[tuple[str, str | None]]:
    return [(d.action, d.value) for d in drafts if d.dropped is None]


def test_click_then_typing_is_one_type_step_with_the_clicks_screenshot() -> None:
    s = Stream().click(400, 300).type("Acme Corp").click(400, 360)
    drafts = s.drafts()
    assert summary(drafts) == [("type", "Acme Corp"), ("click", None)]
    assert (
        drafts[0].point == (400, 300) and drafts[0].frame is not None and drafts[0].frame.file == "000001.png"
    )


def test_backspace_delete_and_arrows_edit_the_typed_text() -> None:
    s = Stream().click(10, 10).type("helo").key("backspace").type("lo")
    assert summary(s.drafts()) == [("type", "hello")]
    s = Stream().click(10, 10).type("wrld").key("left").key("left").key("left").type("o").key("end").type("!")
    assert summary(s.drafts()) == [("type", "world!")]
    s = Stream().click(10, 10).type("abc").key("home").key("delete")
    assert summary(s.drafts()) == [("type", "bc")]


def test_backspace_with_nothing_typed_is_a_key_step() -> None:
    assert summary(Stream().click(10, 10).key("backspace").drafts()) == [
        ("click", None),
        ("key", "backspace"),
    ]


def test_shift_gives_capitals_and_symbols_as_recorded() -> None:
    s = Stream().click(5, 5).keys((None, "H", ("shift",)), (None, "i", ()), (None, "!", ("shift",)))
    assert summary(s.drafts()) == [("type", "Hi!")]


def test_enter_and_tab_end_the_text_and_are_key_steps() -> None:
    s = Stream().click(5, 5).type("Acme").key("tab").type("Bob").key("enter")
    assert summary(s.drafts()) == [("type", "Acme"), ("key", "tab"), ("type", "Bob"), ("key", "enter")]


def test_ctrl_alt_cmd_combinations_are_hotkeys_and_modifiers_alone_are_nothing() -> None:
    s = Stream().key("ctrl_l").keys((None, "s", ("ctrl",))).key("shift").key("tab", "shift")
    s.keys((None, "T", ("ctrl", "shift")))
    assert summary(s.drafts()) == [("hotkey", "ctrl+s"), ("hotkey", "shift+tab"), ("hotkey", "ctrl+shift+t")]


def test_repeated_keys_merge_with_a_count() -> None:
    drafts = Stream().key("down").key("down").key("down").key("enter").drafts()
    assert [(d.action, d.value, d.count) for d in drafts] == [("key", "down", 3), ("key", "enter", 1)]


def test_double_click_right_click_and_drag() -> None:
    s = Stream().click(100, 100).click(101, 100, gap=0.2).click(300, 300, "right").drag((10, 10), (200, 50))
    drafts = s.drafts()
    assert [d.action for d in drafts] == ["double_click", "right_click", "drag"]
    assert drafts[0].frame is not None and drafts[0].frame.file == "000001.png", (
        "the screen before the first click"
    )
    assert drafts[2].point == (10, 10) and drafts[2].end == (200, 50)


def test_two_slow_clicks_are_two_clicks() -> None:
    assert [d.action for d in Stream().click(100, 100).click(100, 100, gap=0.9).drafts()] == [
        "click",
        "click",
    ]


def test_a_tiny_move_while_pressed_is_still_a_click() -> None:
    s = Stream()
    s.add(MouseButtonEvent("mouse_press", 1.0, 50, 50, "left", CRM, s.frame()))
    s.add(MoveEvent(1.02, 53, 51)).add(MouseButtonEvent("mouse_release", 1.05, 52, 50, "left"))
    assert [d.action for d in s.drafts()] == ["click"]


def test_scrolls_merge_per_direction_and_place() -> None:
    s = Stream()
    for dy in (-1, -1, -1, 1):
        s.add(ScrollEvent(s.tick(0.05), 500, 500, 0, dy, CRM))
    s.add(ScrollEvent(s.tick(0.05), 1500, 500, 0, 1, CRM))
    drafts = s.drafts()
    assert [(d.action, d.value, d.count) for d in drafts] == [
        ("scroll", "down", 3),
        ("scroll", "up", 1),
        ("scroll", "up", 1),
    ]


def test_click_that_changed_nothing_is_dropped_but_kept() -> None:
    s = Stream().click(100, 100).click(200, 200, same_frame=True).click(300, 300)
    drafts = s.drafts()
    assert [d.dropped for d in drafts] == [NO_CHANGE, None, None]
    assert len(drafts) == 3, "a dropped step stays in the data"


def test_click_followed_by_typing_is_never_dropped() -> None:
    s = Stream().click(100, 100).type("x").click(200, 200, same_frame=True)
    assert [(d.action, d.dropped) for d in s.drafts()] == [("type", None), ("click", None)]


def test_alt_tab_to_another_window_is_a_switch_window_step() -> None:
    s = Stream().click(5, 5)
    s.add(WindowEvent(s.tick(0.1), CRM)).key("tab", "alt").add(WindowEvent(s.tick(0.2), EDITOR))
    drafts = s.drafts()
    assert [(d.action, d.window) for d in drafts[-1:]] == [("switch_window", EDITOR)]


def test_window_change_ends_the_text_but_a_title_edit_mark_does_not() -> None:
    s = Stream().add(WindowEvent(0.0, EDITOR)).type("ab")
    s.add(WindowEvent(s.tick(0.1), WindowInfo("*notes.txt - Mousepad", "Mousepad", None))).type("cd")
    s.add(WindowEvent(s.tick(0.1), WindowInfo("Save As", "Mousepad", None))).type("ef")
    assert summary(s.drafts()) == [("type", "abcd"), ("type", "ef")]


def test_a_window_whose_title_changes_while_typing_is_the_same_window_by_its_id() -> None:
    inbox = WindowInfo("Inbox - Mail", "Chromium", None, id=0x600003)
    s = Stream().add(WindowEvent(0.0, inbox)).click(400, 300).type("Quar")
    s.add(WindowEvent(s.tick(0.1), replace(inbox, title="(1) Inbox - Mail"))).type("terly")
    s.add(WindowEvent(s.tick(0.1), replace(inbox, title="Quarterly - Draft"))).type(" report")
    assert summary(s.drafts()) == [("type", "Quarterly report")]


def test_another_window_with_the_same_title_ends_the_text_by_its_id() -> None:
    first = WindowInfo("Untitled - Mousepad", "Mousepad", None, id=0x600003)
    s = Stream().add(WindowEvent(0.0, first)).type("ab")
    s.add(WindowEvent(s.tick(0.1), replace(first, id=0x800003))).type("cd")
    assert summary(s.drafts()) == [("type", "ab"), ("type", "cd")]


def test_a_window_without_id_falls_back_to_its_title() -> None:
    """A recording made before windows had an id, or a platform that gives none: the title rule."""
    with_id = replace(CRM, id=0x600003)
    s = Stream().add(WindowEvent(0.0, with_id)).type("ab")
    s.add(WindowEvent(s.tick(0.1), replace(CRM, title="(1) Acme CRM"))).type("cd")
    s.add(WindowEvent(s.tick(0.1), replace(with_id, title="(1) Acme CRM"))).type("ef")
    assert summary(s.drafts()) == [("type", "ab"), ("type", "cdef")]


def test_typing_after_a_click_keeps_the_click_when_only_the_title_changed() -> None:
    form = WindowInfo("Order form", "Chromium", None, id=0x600003)
    s = Stream().add(WindowEvent(0.0, form))
    s.add(MouseButtonEvent("mouse_press", s.tick(1), 40, 10, "left", form, s.frame()))
    s.add(MouseButtonEvent("mouse_release", s.tick(0.08), 40, 10, "left"))
    s.add(WindowEvent(s.tick(0.1), replace(form, title="(1) Order form"))).type("42")
    drafts = s.drafts()
    assert summary(drafts) == [("type", "42")] and drafts[0].point == (40, 10)


def test_capture_hotkey_is_a_capture_step_and_pause_ends_the_text() -> None:
    s = Stream().type("ab")
    s.add(StateEvent("pause", s.tick(0.1))).add(StateEvent("resume", s.tick(1))).type("cd").add(
        CaptureEvent(s.tick(1), 10, 20, CRM, s.frame())
    )
    assert summary(s.drafts()) == [("type", "ab"), ("type", "cd"), ("capture", None)]


def test_masked_typing_keeps_no_value() -> None:
    s = Stream().click(5, 5)
    s.events += [KeyEvent("key_press", s.tick(0.1), None, None, (), masked=True) for _ in range(4)]
    assert summary(s.drafts()) == [("type", None)]


def test_release_without_press_and_empty_recording() -> None:
    assert Stream().add(MouseButtonEvent("mouse_release", 1.0, 5, 5, "left")).drafts() == []
    assert Stream().drafts() == []


def test_typing_after_a_click_that_opened_a_new_window_is_not_typed_into_the_click() -> None:
    s = Stream().add(WindowEvent(0.0, EDITOR)).click(40, 10)
    s.add(WindowEvent(s.tick(0.3), WindowInfo("Save As", "Mousepad", None))).type("note.txt")
    assert summary(s.drafts()) == [("click", None), ("type", "note.txt")]


# Keyboard steps with their frames and focused elements


PASSWORD_FIELD = Element("Portal password", "password text", ("editable",), Rect(500, 300, 260, 30))


def test_typing_begun_by_tab_keeps_the_focused_element_and_the_frame_of_its_first_key() -> None:
    s = Stream().click(400, 300).type("jsmith")
    s.add(KeyEvent("key_press", s.tick(0.2), "tab", None, (), window=CRM, frame=s.frame()))
    s.add(KeyEvent("key_release", s.tick(0.05), "tab", None))
    first = KeyEvent("key_press", s.tick(0.2), None, "W", ("shift",), window=CRM, element=PASSWORD_FIELD)
    s.add(replace(first, frame=s.frame())).type("inter")
    drafts = s.drafts()
    assert summary(drafts) == [("type", "jsmith"), ("key", "tab"), ("type", "Winter")]
    tab, typed = drafts[1], drafts[2]
    assert tab.frame is not None and tab.frame.file == "000002.png"
    assert typed.element == PASSWORD_FIELD and typed.frame is not None and typed.frame.file == "000003.png"
    assert typed.point is not None and PASSWORD_FIELD.bounds is not None
    assert PASSWORD_FIELD.bounds.contains(*typed.point)


def test_typing_after_a_click_takes_the_focused_element_when_the_click_has_none() -> None:
    s = Stream().click(600, 315)
    s.add(KeyEvent("key_press", s.tick(0.2), None, "x", (), window=CRM, element=PASSWORD_FIELD))
    [typed] = s.drafts()
    assert typed.action == "type" and typed.element == PASSWORD_FIELD and typed.point == (600, 315)


def test_shortcuts_and_keys_carry_their_frame_and_element() -> None:
    s = Stream()
    s.add(
        KeyEvent(
            "key_press",
            s.tick(0.2),
            "s",
            None,
            ("ctrl",),
            window=CRM,
            element=PASSWORD_FIELD,
            frame=s.frame(),
        )
    )
    s.add(KeyEvent("key_press", s.tick(0.2), "enter", None, (), window=CRM, frame=s.frame()))
    hotkey, enter = s.drafts()
    assert (hotkey.action, hotkey.value, hotkey.element) == ("hotkey", "ctrl+s", PASSWORD_FIELD)
    assert hotkey.frame is not None and enter.frame is not None and enter.frame.file == "000002.png"
