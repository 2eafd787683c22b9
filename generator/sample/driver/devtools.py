"""One page target of Chromium's DevTools protocol: calls, scripts, and waiting through navigation."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from generator.sample.driver.errors import DevToolsError, DriverError
from generator.sample.driver.websocket import WebSocket
from generator.sample.xsession import SessionError, wait_until

T = TypeVar("T")


class DevTools:
    """The DevTools protocol over the page target's websocket (``webSocketDebuggerUrl``)."""

    def __init__(self, url: str, timeout: float = 15.0) -> None:
        self.socket = WebSocket(url, timeout)
        self.next_id = 0

    def close(self) -> None:
        self.socket.close()

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.receive())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise DevToolsError(f"{method}: {message['error'].get('message')}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise DevToolsError(f"script failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")


def retry(condition: Callable[[], T | None], timeout: float, what: str) -> T:
    """``wait_until`` that treats a DevTools error (a page in the middle of navigating) as 'not yet'."""
    last: list[str] = []

    def attempt() -> T | None:
        try:
            return condition()
        except DevToolsError as exc:
            last[:] = [str(exc)]
            return None

    try:
        return wait_until(attempt, timeout, what)
    except SessionError as exc:
        raise DriverError(f"{exc}{f' (last error: {last[0]})' if last else ''}") from None
