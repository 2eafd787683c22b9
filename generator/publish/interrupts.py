"""How ``vsop serve`` is stopped: Ctrl+C (SIGINT) or SIGTERM, at any moment (the first pages still rendering,
the engine's server starting), becomes one KeyboardInterrupt in the main thread, so that every block it
leaves cleans up (the engine's server stopped, the served project removed).

Two moments must not be cut: between starting the engine's process and registering its stop (a signal there
would leave the engine running, an orphan), which :meth:`Interrupts.held` defers to the end of; and the
clean-up itself, which the signals after the first do not interrupt (it is bounded: the engine is killed when
it does not stop in time)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass(slots=True)
class Interrupts:
    """The state of the handler: whether a signal is being held back, came while held, or was raised."""

    holding: bool = False
    pending: bool = False
    raised: bool = False

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if self.raised:
            return  # stopping already: let the clean-up finish
        if self.holding:
            self.pending = True
            return
        self.raised = True
        raise KeyboardInterrupt

    @contextmanager
    def held(self) -> Iterator[None]:
        """Defer a signal that comes during the block to its end (where it raises KeyboardInterrupt)."""
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
        if self.pending and not self.raised:
            self.raised = True
            raise KeyboardInterrupt


@contextmanager
def interrupted_by_signals() -> Iterator[Interrupts]:
    """SIGINT and SIGTERM raise KeyboardInterrupt (see :class:`Interrupts`) until the block ends. In the main
    thread only (Python runs signal handlers there); a SIGINT that the process was started ignoring
    (``nohup``, a background job) stays ignored."""
    interrupts = Interrupts()
    if threading.current_thread() is not threading.main_thread():
        yield interrupts
        return
    previous = {
        sig: signal.signal(sig, interrupts.handle)
        for sig in SIGNALS
        if signal.getsignal(sig) is not signal.SIG_IGN
    }
    try:
        yield interrupts
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
