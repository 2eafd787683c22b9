"""The recorder's element queries with a fake backend (pure logic): events go out in order, each once its
element is known; the worker never waits; a query has a time limit, a hung backend is left behind; failures
and timeouts are counted; a secret's value is never written, nor any value with --no-text; an application
that exposes nothing is reported once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from capture.accessibility import AccessibilityTimeout
from capture.elements import QUERY_TIMEOUT_S, SILENT_AFTER, Elements, Query, query_timeout
from capture.errors import AccessibilityError, RecordingError
from capture.models import (
    Accessibility,
    Element,
    Event,
    KeyEvent,
    MouseButtonEvent,
    Rect,
    WindowInfo,
)

WINDOW = WindowInfo("Order form", "Chromium", Rect(0, 0, 800, 600))
SAVE = Element("Save lead", "push button", ("sensitive",), Rect(10, 10, 80, 24), app="Chromium")
PIN = Element("Approval PIN", "password text", ("editable", "focused"), value="4711")
CUSTOMER = Element("Customer", "entry", ("editable", "focused"), value="ACME Corp")

Answer = Element | None | BaseException | Callable[[], Element | None]


@dataclass
class FakeBackend:
    """Answers each query with the next of ``answers`` (an element, None, an exception to raise, or a function
    to call); records the thread each call ran on."""

    answers: list[Answer]
    exposing: bool = True
    name: str = "fake"
    threads: list[str] = field(default_factory=list)
    asked: list[tuple[str, int | None]] = field(default_factory=list)
    closed: bool = False

    def _answer(self, kind: str, pid: int | None) -> Element | None:
        self.threads.append(threading.current_thread().name)
        self.asked.append((kind, pid))
        answer = self.answers.pop(0) if self.answers else None
        if isinstance(answer, BaseException):
            raise answer
        return answer() if callable(answer) else answer

    def element_at(self, x: int, y: int, *, pid: int | None, timeout: float) -> Element | None:
        return self._answer("at", pid)

    def focused(self, *, pid: int | None, timeout: float) -> Element | None:
        return self._answer("focused", pid)

    def exposes(self, pid: int) -> bool:
        return self.exposing

    def close(self) -> None:
        self.closed = True


class Run:
    """Elements with its writer thread running; ``written`` is what it appended, ``said`` what it told."""

    def __init__(self, backend: FakeBackend | None, no_text: bool = False, timeout: float = 0.25) -> None:
        self.written: list[Event] = []
        self.said: list[str] = []
        self.elements = Elements(
            backend, self.written.append, no_text=no_text, say=self.said.append, timeout=timeout
        )
        self.thread = threading.Thread(target=self.elements.run)
        self.thread.start()

    def end(self) -> Accessibility | None:
        self.elements.finish()
        self.thread.join(10)
        assert not self.thread.is_alive()
        self.elements.close()
        return self.elements.summary()


@pytest.fixture
def runs() -> Iterator[list[Run]]:
    started: list[Run] = []
    yield started
    for run in started:
        if run.thread.is_alive():
            run.end()


def press(t: float, x: int = 100, y: int = 100) -> MouseButtonEvent:
    return MouseButtonEvent("mouse_press", t, x, y, "left", WINDOW)


def release(t: float) -> MouseButtonEvent:
    return MouseButtonEvent("mouse_release", t, 100, 100, "left")


def key(t: float, char: str) -> KeyEvent:
    return KeyEvent("key_press", t, None, char, window=WINDOW)


def at(x: int = 100, y: int = 100, pid: int | None = 42, window: WindowInfo | None = WINDOW) -> Query:
    return Query((x, y), window, pid)


FOCUSED = Query(None, WINDOW, 42)


def test_events_are_written_in_order_each_with_its_element(runs: list[Run]) -> None:
    slow = threading.Event()
    backend = FakeBackend([lambda: slow.wait(5) and SAVE, CUSTOMER])
    run = Run(backend)
    runs.append(run)
    started = time.perf_counter()
    run.elements.ask(press(1.0), at())
    run.elements.put(release(1.1))
    run.elements.ask(key(2.0, "a"), FOCUSED)
    assert time.perf_counter() - started < 0.05, "the worker never waits for an application"
    assert run.written == []  # the press waits for its element, and what came after waits for the press
    slow.set()
    summary = run.end()
    assert [(e.type, e.t) for e in run.written] == [
        ("mouse_press", 1.0),
        ("mouse_release", 1.1),
        ("key_press", 2.0),
    ]
    first, _, third = run.written
    assert isinstance(first, MouseButtonEvent) and first.element == SAVE
    assert isinstance(third, KeyEvent) and third.element == CUSTOMER
    assert backend.asked == [("at", 42), ("focused", 42)]
    assert set(backend.threads) == {"vsop-a11y"}, "one thread calls the backend"
    assert summary == Accessibility("fake", queries=2)
    assert backend.closed


def test_a_query_that_finds_nothing_or_fails_leaves_the_event_without_element(runs: list[Run]) -> None:
    backend = FakeBackend(
        [None, AccessibilityError("the application answered an error"), AccessibilityTimeout("late")]
    )
    run = Run(backend)
    runs.append(run)
    for t in (1.0, 2.0, 3.0):
        run.elements.ask(press(t), at())
    summary = run.end()
    assert [e.element for e in run.written if isinstance(e, MouseButtonEvent)] == [None, None, None]
    assert summary == Accessibility("fake", queries=3, failed=1, timeouts=1)
    assert len([s for s in run.said if "failed" in s]) == 1


def test_a_backend_that_hangs_is_left_behind_and_counted(runs: list[Run]) -> None:
    unblock = threading.Event()
    backend = FakeBackend([lambda: unblock.wait(10) and SAVE, SAVE, CUSTOMER])
    run = Run(backend, timeout=0.05)
    runs.append(run)
    started = time.perf_counter()
    run.elements.ask(press(1.0), at())  # hangs past its limit
    run.elements.ask(press(2.0), at())  # asked while the backend is still stuck: skipped
    run.elements.put(release(2.1))
    deadline = time.monotonic() + 5
    while len(run.written) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [e.type for e in run.written] == ["mouse_press", "mouse_press", "mouse_release"]
    assert time.perf_counter() - started < 1.0, "waited the time limit and a grace, not for the backend"
    unblock.set()
    deadline = time.monotonic() + 5
    while backend.answers == [SAVE, CUSTOMER] and time.monotonic() < deadline:
        run.elements.ask(key(3.0, "a"), FOCUSED)  # once the backend is back, queries go through again
        time.sleep(0.05)
    summary = run.end()
    answered = [e for e in run.written if isinstance(e, KeyEvent) and e.element is not None]
    assert [e.element for e in answered] == [SAVE]
    assert summary is not None and summary.failed == 0
    assert (
        summary.timeouts == summary.queries - 1
    )  # the hung one, the one skipped, keys asked before it was back
    assert len([s for s in run.said if "did not return" in s]) == 1


def test_a_secret_value_is_never_written_even_if_a_backend_gave_it(runs: list[Run]) -> None:
    run = Run(FakeBackend([PIN, CUSTOMER]))
    runs.append(run)
    run.elements.ask(key(1.0, "4"), FOCUSED)
    run.elements.ask(key(2.0, "A"), FOCUSED)
    run.end()
    pin, customer = (e.element for e in run.written if isinstance(e, KeyEvent))
    assert pin is not None and pin.name == "Approval PIN" and pin.value is None
    assert customer is not None and customer.value == "ACME Corp"


def test_with_no_text_no_value_is_written_at_all(runs: list[Run]) -> None:
    run = Run(FakeBackend([CUSTOMER]), no_text=True)
    runs.append(run)
    run.elements.ask(key(1.0, "A"), FOCUSED)
    run.end()
    (event,) = run.written
    assert isinstance(event, KeyEvent) and event.element is not None
    assert event.element.name == "Customer" and event.element.value is None


def test_an_app_that_registered_nothing_is_reported_once(runs: list[Run]) -> None:
    run = Run(FakeBackend([None] * 4, exposing=False))
    runs.append(run)
    for t in range(4):
        run.elements.ask(press(float(t)), at())
    summary = run.end()
    assert summary is not None and summary.silent_apps == ("Chromium",)
    (notice,) = run.said
    assert "Chromium exposes no accessibility tree" in notice and "OCR" in notice and "restart" in notice


def test_an_app_whose_windows_answer_nothing_is_reported_once(runs: list[Run]) -> None:
    """Without the process id (the window system did not tell), presses inside its window that never find
    anything make it silent; presses outside the window (its frame) do not count."""
    run = Run(FakeBackend([None] * 10))
    runs.append(run)
    run.elements.ask(press(0.0, 900, 900), at(900, 900, pid=None))
    for t in range(SILENT_AFTER + 2):
        run.elements.ask(press(float(t + 1)), at(pid=None))
    summary = run.end()
    assert summary is not None and summary.silent_apps == ("Chromium",)
    assert len(run.said) == 1


def test_an_app_that_answered_once_is_never_called_silent(runs: list[Run]) -> None:
    run = Run(FakeBackend([SAVE, *[None] * 6]))
    runs.append(run)
    for t in range(SILENT_AFTER + 4):
        run.elements.ask(press(float(t)), at(pid=None))
    summary = run.end()
    assert summary is not None and summary.silent_apps == () and run.said == []


def test_without_a_backend_events_go_straight_out(runs: list[Run]) -> None:
    run = Run(None)
    runs.append(run)
    assert not run.elements.asking
    run.elements.put(press(1.0))
    run.elements.put(release(1.1))
    assert run.end() is None
    assert [e.type for e in run.written] == ["mouse_press", "mouse_release"]


def test_the_dummy_backend_makes_no_app_silent(runs: list[Run]) -> None:
    run = Run(FakeBackend([None] * 5, exposing=False, name="dummy"))
    runs.append(run)
    for t in range(5):
        run.elements.ask(press(float(t)), at())
    assert run.end() == Accessibility("dummy", queries=5)
    assert run.said == []


def test_the_query_limit_is_a_quarter_second_unless_the_environment_gives_another(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("VSOP_ACCESSIBILITY_TIMEOUT", raising=False)
    assert query_timeout() == QUERY_TIMEOUT_S == 0.25
    monkeypatch.setenv("VSOP_ACCESSIBILITY_TIMEOUT", "1.5")
    assert query_timeout() == 1.5
    for bad in ("0", "-1", "nan", "inf", "11", "soon"):
        monkeypatch.setenv("VSOP_ACCESSIBILITY_TIMEOUT", bad)
        with pytest.raises(RecordingError, match=f"VSOP_ACCESSIBILITY_TIMEOUT='{bad}': expected seconds"):
            query_timeout()
