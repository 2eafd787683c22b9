"""A blocking D-Bus connection (jeepney) whose every call has a deadline, and several calls pipelined in one
round trip. Not thread-safe: its owner serialises the calls."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from capture.accessibility._base import AccessibilityTimeout
from capture.errors import AccessibilityError

Ref = tuple[str, str]  # (bus name, object path) of an accessible object
PROPERTIES = "org.freedesktop.DBus.Properties"


class Deadline:
    """The end of a query's time budget; ``left()`` raises :class:`AccessibilityTimeout` once it passed."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise AccessibilityTimeout("the accessibility query took longer than its time limit")
        return remaining

    def within(self, seconds: float) -> Deadline:
        """A shorter deadline inside this one: ``seconds`` from now, or this one's end if sooner."""
        return Deadline(min(self.left(), seconds))


@dataclass(frozen=True, slots=True)
class Call:
    ref: Ref
    interface: str
    method: str
    signature: str | None = None
    args: tuple[Any, ...] = ()


class CallFailed(AccessibilityError):
    """The application answered a call with a D-Bus error (no such interface, object gone...)."""


def prop(ref: Ref, interface: str, name: str) -> Call:
    """Properties.Get, one property at a time: toolkits disagree on GetAll (Qt fails it on Accessible,
    Chromium on Application)."""
    return Call(ref, PROPERTIES, "Get", "ss", (interface, name))


def _open(address: str, timeout: float) -> Any:
    """jeepney's ``open_dbus_connection``, with a time limit on its Hello too (jeepney waits for ever)."""
    from jeepney.bus import get_bus
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import DBusConnection, DBusConnectionBase, Proxy, prep_socket
    from jeepney.io.common import MessageFilters

    class TimedConnection(DBusConnection):  # type: ignore[misc]
        def __init__(self, sock: Any) -> None:
            DBusConnectionBase.__init__(self, sock)
            self._filters = MessageFilters()
            self.bus_proxy = Proxy(message_bus, self, timeout=timeout)
            self.unique_name = self.bus_proxy.Hello()[0]

    sock = prep_socket(get_bus(address), timeout=timeout)
    try:
        return TimedConnection(sock)
    except BaseException:
        sock.close()
        raise


class Connection:
    def __init__(self, address: str, timeout: float) -> None:
        try:
            self._conn = _open(address, timeout)
        except TimeoutError as exc:
            raise AccessibilityTimeout(
                f"the D-Bus bus at {address} did not answer in {timeout:.1f} s"
            ) from exc
        except (OSError, RuntimeError, ValueError) as exc:
            raise AccessibilityError(f"cannot connect to the D-Bus bus at {address} ({exc})") from exc

    def call_many(self, calls: Sequence[Call], deadline: Deadline) -> list[Any]:
        """Send every call, then collect the replies: each the reply's body, or a :class:`CallFailed`.
        Replies to earlier calls that timed out, and signals, are dropped."""
        from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call

        pending: dict[int, int] = {}
        try:
            for i, c in enumerate(calls):
                msg = new_method_call(
                    DBusAddress(c.ref[1], c.ref[0], c.interface), c.method, c.signature, c.args
                )
                serial = next(self._conn.outgoing_serial)
                self._conn.send(msg, serial=serial)
                pending[serial] = i
            out: list[Any] = [None] * len(calls)
            while pending:
                try:
                    reply = self._conn.receive(timeout=deadline.left())
                except TimeoutError as exc:
                    raise AccessibilityTimeout("an application did not answer in time") from exc
                i = pending.pop(reply.header.fields.get(HeaderFields.reply_serial, -1), -1)
                if i < 0:
                    continue
                if reply.header.message_type == MessageType.error:
                    error = reply.header.fields.get(HeaderFields.error_name, "error")
                    out[i] = CallFailed(f"{calls[i].interface}.{calls[i].method}: {error} {reply.body}")
                else:
                    out[i] = reply.body
        except AccessibilityTimeout:
            raise  # a TimeoutError, hence an OSError: not a broken connection
        except (OSError, ValueError) as exc:
            raise AccessibilityError(f"the accessibility bus connection failed ({exc})") from exc
        return out

    def call(self, call: Call, deadline: Deadline) -> Any:
        """The reply's body of one call; raises :class:`CallFailed` for an error reply."""
        (body,) = self.call_many([call], deadline)
        if isinstance(body, CallFailed):
            raise body
        return body

    def close(self) -> None:
        self._conn.close()
