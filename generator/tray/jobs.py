"""Work on a background thread that the GUI thread polls: its progress, whether it is done, its result.

A failure is kept and re-raised by ``result()`` on the thread that asks (the GUI, which shows it): the work
never kills the tray, and no GUI call runs on the work's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
Progress = Callable[[str, int, int], None]


class Job(Generic[T]):
    def __init__(self, name: str, work: Callable[[Progress], T]) -> None:
        self.name = name
        self._work = work
        self._result: T | None = None
        self._error: BaseException | None = None
        self._progress: str | None = None
        self._thread = threading.Thread(target=self._run, name=f"vsop-{name}", daemon=True)

    def start(self) -> Job[T]:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self._result = self._work(self._report)
        except BaseException as exc:  # kept for result(), which re-raises it where the GUI waits
            self._error = exc

    def _report(self, stage: str, done: int, total: int) -> None:
        self._progress = f"{stage} {done}/{total}" if total else stage

    @property
    def progress(self) -> str | None:
        return self._progress

    @property
    def done(self) -> bool:
        return not self._thread.is_alive() and self._thread.ident is not None

    def join(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return self.done

    def result(self) -> T:
        """The work's return value; raises what the work raised. Only once ``done``."""
        if not self.done:
            raise RuntimeError(f"job {self.name} is still running")
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]
