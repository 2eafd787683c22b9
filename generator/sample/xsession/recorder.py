"""``vsop record`` in a subprocess on a display, started and stopped as a person would, and what it has
written so far (read through the loader's follower, as the tray reads it)."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType

from capture.loader import RecordingFollower
from capture.models import Event
from generator.sample.xsession.display import VirtualDisplay
from generator.sample.xsession.errors import SessionError
from generator.sample.xsession.waiting import wait_until

ROOT = Path(__file__).resolve().parents[3]  # the folder that holds the capture and generator packages
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 60.0  # the encoder writes the frames still queued first


class RecorderProcess:
    """``vsop record --out OUT ARGS`` on ``display``, from the moment it printed the recording folder, i.e.
    listens. As a context manager: stopped with SIGTERM at the end of the block (exit code 0 expected), killed
    when the block raises.

    Its stderr goes to a temporary file, not a pipe: the log of a long recording cannot fill a pipe nobody
    reads and stall the recorder.
    """

    def __init__(
        self, display: VirtualDisplay, out: Path, *args: str, timeout: float = START_TIMEOUT_S
    ) -> None:
        self.out = out
        self.follower = RecordingFollower(out)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the recorder runs)
        argv = [sys.executable, "-m", "generator.cli", "record", "--out", str(out), *args]
        self.proc = subprocess.Popen(argv, env=_env(display), stdout=subprocess.PIPE, stderr=self._log)
        try:
            self.first_line = self._first_line(timeout)
        except BaseException:
            self.kill()
            raise

    def __enter__(self) -> RecorderProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.stop()
        else:
            self.kill()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _first_line(self, timeout: float) -> str:
        """The line the recorder prints once it listens: the recording folder."""
        assert self.proc.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.proc.stdout, selectors.EVENT_READ)
            ready = selector.select(timeout)
        if not ready:
            raise SessionError(f"the recorder printed nothing in {timeout:.0f} s: {self.stderr()[-2000:]}")
        line = self.proc.stdout.readline().decode(errors="replace").strip()
        if not line:
            code = self.proc.wait(timeout)
            raise SessionError(f"the recorder exited at start (exit code {code}): {self.stderr()[-2000:]}")
        return line

    def events(self) -> tuple[Event, ...]:
        """Every event written so far (whole lines; a line being written waits for the next call)."""
        self.follower.poll()
        return self.follower.events

    def of_type(self, *types: str) -> list[Event]:
        return [e for e in self.events() if e.type in types]

    def wait_for(self, count: int, *types: str, timeout: float = 15.0) -> list[Event]:
        """Until ``count`` events of ``types`` are written; all those written by then."""

        def found() -> list[Event] | None:
            events = self.of_type(*types)
            return events if len(events) >= count else None

        return wait_until(found, timeout, f"{count} {'/'.join(types)} events")

    def signal(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        """Send ``sig`` (SIGTERM, SIGINT: the recorder finishes the recording); exit code and stderr."""
        self.proc.send_signal(sig)
        return self.finish()

    def finish(self, timeout: float = STOP_TIMEOUT_S) -> tuple[int, str]:
        """Exit code and stderr once the recorder has ended (by a signal or by its own stop hotkey)."""
        code = self.proc.wait(timeout)
        err = self.stderr()
        self._close()
        return code, err

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Stop it as a person does (SIGTERM); an error unless it finishes with exit code 0 in ``timeout``."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            code, err = self.finish(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise SessionError(f"the recorder did not stop within {timeout:.0f} s of SIGTERM") from None
        if code != 0:
            raise SessionError(f"the recorder exited with {code}: {err[-2000:]}")

    def kill(self) -> None:
        """SIGKILL, as a crash or an impatient person would; closes its pipe and log."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self._close()

    def stderr(self) -> str:
        """What the recorder wrote on stderr so far."""
        if self._log.closed:
            return ""
        self._log.seek(0)
        return self._log.read().decode(errors="replace").strip()

    def _close(self) -> None:
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._log.close()


def _env(display: VirtualDisplay) -> dict[str, str]:
    """The display's environment, with this source tree first on the import path of ``-m generator.cli``."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**display.env, "PYTHONPATH": path}
