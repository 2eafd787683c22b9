"""The recorder's exclusion of vsop's own windows (pure logic, a fake clock) and the note event."""

from __future__ import annotations

import json
import threading

from capture.exclusion import KEEP_S, Exclusion
from capture.format import event_from_json, to_json
from capture.models import NoteEvent, Rect
from tests.test_segment import Stream

MENU = Rect(1000, 20, 200, 150)


def test_a_point_is_covered_only_while_the_window_is_shown_and_a_moment_after() -> None:
    ex = Exclusion(grace=0.3)
    ex.show("menu", MENU, at=10.0)
    ex.hide("menu", at=12.0)
    assert ex.covers(1100, 100, 11.0)
    assert ex.covers(1100, 100, 12.2), "the click that closed the menu arrives after the hide"
    assert not ex.covers(1100, 100, 12.5)
    assert not ex.covers(1100, 100, 9.9), "before the menu opened"
    assert not ex.covers(999, 100, 11.0) and not ex.covers(1200, 100, 11.0), "right and bottom edges are out"


def test_an_input_handled_late_is_judged_at_its_own_time() -> None:
    ex = Exclusion(grace=0.0)
    ex.show("menu", MENU, at=10.0)
    ex.hide("menu", at=11.0)
    ex.show("menu", Rect(0, 0, 10, 10), at=20.0)  # the same menu, opened again elsewhere
    assert ex.covers(1100, 100, 10.5) and not ex.covers(5, 5, 10.5)
    assert ex.covers(5, 5, 20.5) and not ex.covers(1100, 100, 20.5)


def test_a_moved_window_covers_its_new_place_from_the_move_on() -> None:
    ex = Exclusion(grace=0.0)
    ex.show("icon", Rect(0, 0, 22, 22), at=1.0)
    ex.show("icon", Rect(0, 0, 22, 22), at=2.0)  # unchanged: one span
    ex.show("icon", Rect(100, 0, 22, 22), at=3.0)
    assert ex.covers(5, 5, 2.5) and not ex.covers(5, 5, 3.5)
    assert ex.covers(105, 5, 3.5) and not ex.covers(105, 5, 2.5)


def test_keys_are_vsops_while_one_of_its_windows_has_the_keyboard() -> None:
    ex = Exclusion(grace=0.3)
    ex.focus("dialog", at=5.0)
    ex.focus("dialog", at=6.0)  # activated again: still the first span
    assert not ex.typing(4.9) and ex.typing(5.0) and ex.typing(100.0)
    ex.blur("dialog", at=7.0)
    assert ex.typing(7.2), "the release of Enter that closed the dialog"
    assert not ex.typing(7.4)
    assert not ex.covers(0, 0, 6.0), "keyboard focus covers no screen area"


def test_old_spans_are_forgotten() -> None:
    ex = Exclusion(grace=0.0)
    for n in range(100):
        ex.show("menu", MENU, at=float(n))
        ex.hide("menu", at=n + 0.5)
    ex.show("other", MENU, at=100 + KEEP_S)
    assert len(ex._areas) < 40


def test_questions_from_another_thread_while_the_gui_changes_spans() -> None:
    ex = Exclusion()
    stop = threading.Event()

    def gui() -> None:
        n = 0
        while not stop.is_set():
            ex.show(f"w{n % 5}", MENU)
            ex.hide(f"w{(n + 2) % 5}")
            n += 1

    thread = threading.Thread(target=gui)
    thread.start()
    try:
        answers = {ex.covers(1100, 100, ex.clock()) for _ in range(20000)}
    finally:
        stop.set()
        thread.join()
    assert answers <= {True, False}


def test_the_note_event_is_written_and_read_back() -> None:
    note = NoteEvent(12.5, "Ask the customer for the PO number first")
    line = json.dumps(to_json(note))
    assert json.loads(line) == {"t": 12.5, "text": "Ask the customer for the PO number first", "type": "note"}
    assert event_from_json(json.loads(line)) == note


def test_a_note_becomes_the_note_of_the_step_current_at_its_time() -> None:
    s = Stream().click(10, 10).type("Acme").add(NoteEvent(0, "")).click(50, 50)
    s.events[-3] = NoteEvent(s.events[-3].t, "The legal name, not the brand")  # while typing into the field
    s.add(NoteEvent(s.tick(0.5), "Saves the lead")).add(NoteEvent(s.tick(0.5), "Wait for the toast"))
    drafts = [d for d in s.drafts() if d.dropped is None]
    assert [(d.action, d.note) for d in drafts] == [
        ("type", "The legal name, not the brand"),
        ("click", "Saves the lead\n\nWait for the toast"),
    ]


def test_a_note_before_the_first_step_goes_to_the_first_and_blank_notes_are_dropped() -> None:
    s = Stream().add(NoteEvent(0.0, "Sign in first")).add(NoteEvent(0.1, "  ")).click(10, 10).click(20, 20)
    drafts = s.drafts()
    assert [d.note for d in drafts] == ["Sign in first", None]


def test_a_note_skips_dropped_steps() -> None:
    s = Stream().click(5, 5).click(10, 10).add(NoteEvent(0, "x")).click(30, 30, same_frame=True)
    s.events[-3] = NoteEvent(s.events[-4].t + 0.01, "After the first click")
    drafts = s.drafts()
    assert [d.dropped is not None for d in drafts] == [False, True, False]
    assert [d.note for d in drafts] == ["After the first click", None, None]
