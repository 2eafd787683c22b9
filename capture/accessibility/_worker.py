"""One thread that owns a platform API's objects (COM's apartment, the AX API's run loop) and runs each query
with a time limit: past it the caller gets :class:`AccessibilityTimeout`, and while the late query is still
stuck in a hung application, new queries are refused at once instead of piling up behind it."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import TypeVar

from capture.accessibility._base import AccessibilityTimeout

T = TypeVar("T")


class Worker:
    def __init__(self, name: str, setup: Callable[[], None] | None = None) -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix=name, initializer=setup)
        self._pending: concurrent.futures.Future[object] | None = None

    def run(self, query: Callable[[], T], timeout: float) -> T:
        if self._pending is not None and not self._pending.done():
            raise AccessibilityTimeout(
                "an earlier accessibility query is still waiting for a hung application"
            )
        future = self._pool.submit(query)
        self._pending = future  # type: ignore[assignment]
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError as exc:
            raise AccessibilityTimeout(f"the accessibility query took longer than {timeout:.2f} s") from exc

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
