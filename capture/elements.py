"""The element of an input, asked of the accessibility backend once the input's frame is grabbed.

Events go out in the order the worker made them, each once its element is known or its query failed or ran
out of time, so the worker that grabs frames never waits for an application. The writer thread takes the
events in order; for one that needs an element it hands the query to the asker (the one thread that calls the
backend) and waits at most the time limit and a grace. A backend that has not returned by then is left to
finish alone, and queries that come while it is still busy are skipped and counted as timed out: a hung
application never holds up the recording.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as NoAnswer
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from capture.errors import AccessibilityError, RecordingError
from capture.models import Accessibility, CaptureEvent, Element, Event, KeyEvent, MouseButtonEvent, WindowInfo

if TYPE_CHECKING:
    from capture.accessibility import AccessibilityBackend

QUERY_TIMEOUT_S = 0.25  # what a backend is given per query (unless VSOP_ACCESSIBILITY_TIMEOUT says)
GRACE_S = 0.25  # how much longer the writer waits for a backend that overruns its limit
SILENT_AFTER = 3  # presses inside an app's windows that found nothing, none ever found anything: it is silent

T = TypeVar("T")
Asked = MouseButtonEvent | KeyEvent | CaptureEvent  # the events that carry an element


@dataclass(frozen=True, slots=True)
class Query:
    """The element under ``point`` or, without a point, the focused one. ``window``: the window concerned (the
    one under the point, or the active one); ``pid``: its process, where the window system tells."""

    point: tuple[int, int] | None
    window: WindowInfo | None
    pid: int | None


def query_timeout() -> float:
    """The time limit of one query: ``VSOP_ACCESSIBILITY_TIMEOUT`` seconds where that is set (a machine so
    busy that applications answer later; the tests, which run on one), else ``QUERY_TIMEOUT_S``."""
    text = os.environ.get("VSOP_ACCESSIBILITY_TIMEOUT", "")
    if not text:
        return QUERY_TIMEOUT_S
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 10:
        raise RecordingError(
            f"VSOP_ACCESSIBILITY_TIMEOUT={text!r}: expected seconds above 0 and at most 10; "
            f"unset it for the default {QUERY_TIMEOUT_S} s"
        )
    return seconds


def stored(element: Element, no_text: bool) -> Element:
    """What is written of an element: never the value of a secret field (the backend leaves it out already;
    checked again here), and no value at all when recording with ``--no-text``."""
    if element.value is not None and (no_text or element.secret):
        return replace(element, value=None)
    return element


class _Asker:
    """The one thread that calls the backend: one call at a time, each answered through a Future."""

    def __init__(self) -> None:
        self._calls: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def submit(self, call: Callable[[], T]) -> Future[T]:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="vsop-a11y", daemon=True)
            self._thread.start()
        future: Future[T] = Future()
        self._calls.put((call, future))
        return future

    def stop(self) -> None:
        self._calls.put(None)  # a daemon: a call that never returns does not keep the process alive

    def _run(self) -> None:
        while (item := self._calls.get()) is not None:
            call, future = item
            try:
                future.set_result(call())
            except BaseException as exc:
                future.set_exception(exc)


class _Apps:
    """Which applications expose no accessibility tree: the backend says so of their process, or presses in
    their windows keep finding nothing. Each is reported once."""

    def __init__(self, backend: AccessibilityBackend, say: Callable[[str], None]) -> None:
        self.backend = backend
        self.say = say
        self.silent: list[str] = []
        self._exposes: dict[int, bool] = {}
        self._found: set[str] = set()
        self._misses: Counter[str] = Counter()

    def seen(self, query: Query, element: Element | None) -> None:
        """Called on the asker thread after each query that returned."""
        app = query.window.app if query.window is not None else None
        if app is None or app in self.silent:
            return
        if element is not None:
            self._found.add(app)
        elif query.pid is not None and not self._pid_exposes(query.pid):
            self._silent(app)
        elif _inside(query) and app not in self._found:
            self._misses[app] += 1
            if self._misses[app] >= SILENT_AFTER:
                self._silent(app)

    def _pid_exposes(self, pid: int) -> bool:
        if pid not in self._exposes:
            self._exposes[pid] = self.backend.exposes(pid)
        return self._exposes[pid]

    def _silent(self, app: str) -> None:
        self.silent.append(app)
        self.say(
            f"accessibility: {app} exposes no accessibility tree; OCR will name its steps. An application "
            f"started before vsop record (a browser above all) may not have turned it on: restart {app} "
            "now that vsop record runs."
        )


def _inside(query: Query) -> bool:
    """A query at a point inside its window (not on the frame the window manager draws around it)."""
    rect = query.window.rect if query.window is not None else None
    return query.point is not None and rect is not None and rect.contains(*query.point)


class Elements:
    """Writes events in order through ``append``, each with the element its query found. ``run()`` is the
    writer thread's loop (the recorder runs it and re-raises its failure); ``finish()`` ends it once every
    event put before was written; ``close()`` closes the backend; ``summary()`` tells how the queries went."""

    def __init__(
        self,
        backend: AccessibilityBackend | None,
        append: Callable[[Event], None],
        *,
        no_text: bool,
        say: Callable[[str], None],
        timeout: float = QUERY_TIMEOUT_S,
    ) -> None:
        self.backend = backend
        self.append = append
        self.no_text = no_text
        self.say = say
        self.timeout = timeout
        self.queries = self.failed = self.timeouts = 0
        self._inbox: queue.SimpleQueue[tuple[Event, None] | tuple[Asked, Query] | None] = queue.SimpleQueue()
        self._asker = _Asker() if backend is not None else None
        # the dummy backend knows nothing of any application: none is silent because of it
        self._apps = _Apps(backend, say) if backend is not None and backend.name != "dummy" else None
        self._told: set[str] = set()
        self._overdue: Future[Element | None] | None = None  # a query given up on, still running
        self._closed = False

    @property
    def asking(self) -> bool:
        """Whether events need a query at all (there is a backend)."""
        return self.backend is not None

    def put(self, event: Event) -> None:
        self._inbox.put((event, None))

    def ask(self, event: Asked, query: Query) -> None:
        """Write ``event`` once the element ``query`` asks for is known (or the query failed)."""
        self._inbox.put((event, query))

    def finish(self) -> None:
        self._inbox.put(None)

    def run(self) -> None:
        while (item := self._inbox.get()) is not None:
            if item[1] is None:
                self.append(item[0])
            else:
                self.append(self._with_element(*item))

    def close(self) -> None:
        """Close the backend once ``run()`` has ended (or never ran); a hung one is left to the process."""
        if self._asker is None or self.backend is None or self._closed:
            return
        self._closed = True
        try:
            if not self._hung:
                self._asker.submit(self.backend.close).result(timeout=self.timeout + GRACE_S)
        except (AccessibilityError, NoAnswer):
            pass  # a broken or hung connection: the process's end closes it
        finally:
            self._asker.stop()

    def summary(self) -> Accessibility | None:
        if self.backend is None:
            return None
        silent = tuple(self._apps.silent) if self._apps is not None else ()
        return Accessibility(self.backend.name, self.queries, self.failed, self.timeouts, silent)

    def _with_element(self, event: Asked, query: Query) -> Asked:
        element = self._ask(query)
        return replace(event, element=stored(element, self.no_text)) if element is not None else event

    def _ask(self, query: Query) -> Element | None:
        if self._asker is None:
            return None
        self.queries += 1
        if self._hung:  # still in a call that overran its limit: the service hangs
            self.timeouts += 1
            return None
        future = self._asker.submit(lambda: self._query(query))
        try:
            element = future.result(timeout=self.timeout + GRACE_S)
        except AccessibilityError as exc:
            if isinstance(exc, TimeoutError):
                self.timeouts += 1
            else:
                self.failed += 1
                self._tell("failed", f"accessibility: a query failed ({exc}); such steps are named by OCR")
            return None
        except NoAnswer:
            self.timeouts += 1
            self._overdue = future
            self._tell(
                "hung",
                f"accessibility: a query did not return within {self.timeout + GRACE_S:.1f} s; the recording "
                "goes on, and steps are named by OCR until the accessibility service answers again",
            )
            return None
        if self._apps is not None:
            self._asker.submit(lambda: self._seen(query, element))
        return element

    @property
    def _hung(self) -> bool:
        return self._overdue is not None and not self._overdue.done()

    def _query(self, query: Query) -> Element | None:
        """On the asker thread."""
        assert self.backend is not None
        if query.point is not None:
            x, y = query.point
            return self.backend.element_at(x, y, pid=query.pid, timeout=self.timeout)
        return self.backend.focused(pid=query.pid, timeout=self.timeout)

    def _seen(self, query: Query, element: Element | None) -> None:
        """On the asker thread, not waited for: whether the application exposes anything."""
        assert self._apps is not None
        with contextlib.suppress(AccessibilityError):  # not known this time: the next query asks again
            self._apps.seen(query, element)

    def _tell(self, kind: str, message: str) -> None:
        """Say a kind of trouble once; the rest is counted in meta.json."""
        if kind not in self._told:
            self._told.add(kind)
            self.say(message)
