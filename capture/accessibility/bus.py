"""Find or start the AT-SPI accessibility bus, and turn on the status toolkits watch.

The session D-Bus (``DBUS_SESSION_BUS_ADDRESS``, else ``$XDG_RUNTIME_DIR/bus``) owns ``org.a11y.Bus``;
asking it ``GetAddress`` starts ``at-spi-bus-launcher`` (package at-spi2-core) by D-Bus activation if needed.
``org.a11y.Status.IsEnabled = true`` is what GTK's bridge and Qt watch (they expose their tree as soon as it
turns on); Chromium and Electron read it only at their start (or take ``--force-renderer-accessibility``).
``AT_SPI_BUS_ADDRESS``, when set, names the accessibility bus directly, as libatspi honours it.
"""

from __future__ import annotations

import os
from pathlib import Path

from capture.accessibility._dbus import PROPERTIES, Call, CallFailed, Connection, Deadline
from capture.errors import AccessibilityError, BackendUnavailableError

A11Y_BUS: tuple[str, str] = ("org.a11y.Bus", "/org/a11y/bus")
INSTALL = "apt-get install at-spi2-core"


def session_address(env: dict[str, str] | None = None) -> str:
    """The session D-Bus address of ``env`` (default: this process's environment)."""
    env = dict(os.environ) if env is None else env
    address = env.get("DBUS_SESSION_BUS_ADDRESS")
    if address:
        return address
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and (Path(runtime) / "bus").is_socket():
        return f"unix:path={Path(runtime) / 'bus'}"
    raise BackendUnavailableError(
        "accessibility: no session D-Bus (DBUS_SESSION_BUS_ADDRESS is not set and there is no "
        "$XDG_RUNTIME_DIR/bus): applications cannot expose their accessibility tree, so OCR names the steps. "
        "Record from a desktop session, or start one: dbus-run-session -- vsop record ..."
    )


def a11y_address(session: str | None = None, timeout: float = 2.0) -> str:
    """The accessibility bus's address: ``AT_SPI_BUS_ADDRESS`` if set, else the session bus's
    ``org.a11y.Bus.GetAddress`` (which starts the launcher when needed)."""
    if session is None and os.environ.get("AT_SPI_BUS_ADDRESS"):
        return os.environ["AT_SPI_BUS_ADDRESS"]
    (address,) = _on_session(session, timeout, Call(A11Y_BUS, "org.a11y.Bus", "GetAddress"))
    if not isinstance(address, str) or not address:
        raise AccessibilityError(
            f"accessibility: org.a11y.Bus.GetAddress answered {address!r}, not an address"
        )
    return address


def enable(session: str | None = None, timeout: float = 2.0) -> None:
    """Set ``org.a11y.Status.IsEnabled`` to true (starting the accessibility bus if needed)."""
    _on_session(
        session,
        timeout,
        Call(A11Y_BUS, PROPERTIES, "Set", "ssv", ("org.a11y.Status", "IsEnabled", ("b", True))),
    )


def _on_session(session: str | None, timeout: float, call: Call) -> tuple[object, ...]:
    address = session or session_address()
    try:
        conn = Connection(address, timeout)
    except AccessibilityError as exc:
        raise BackendUnavailableError(
            f"accessibility: the session D-Bus at {address} cannot be reached ({exc})"
        ) from exc
    try:
        body: tuple[object, ...] = conn.call(call, Deadline(timeout))
        return body
    except CallFailed as exc:
        if "ServiceUnknown" in str(exc) or "NameHasNoOwner" in str(exc):
            raise BackendUnavailableError(
                "accessibility: the session D-Bus has no accessibility bus (org.a11y.Bus): "
                f"at-spi-bus-launcher is missing; install it ({INSTALL}), or OCR names the steps"
            ) from exc
        raise BackendUnavailableError(
            f"accessibility: starting the accessibility bus failed ({exc})"
        ) from exc
    finally:
        conn.close()
