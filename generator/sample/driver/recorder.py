"""``vsop record`` in a subprocess on the display, as a person would start it, and what it has written."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from capture.keys import MODIFIERS
from generator.sample.driver.errors import DriverError
from generator.sample.driver.waiting import wait_until
from generator.sample.scenarios import Scenario
from generator.sample.xsession import VirtualDisplay

ROOT = Path(__file__).resolve().parents[3]  # the folder that holds the capture and generator packages
COUNTED = ("mouse_press", "mouse_release", "key_press", "scroll")  # event types counted, modifiers aside


def expected_counts(scenario: Scenario) -> dict[str, int]:
    """Presses, releases, keys and wheel notches of ``scenario``, and how many distinct titles it shows."""
    return {
        "mouse_press": scenario.presses,
        "mouse_release": scenario.presses,
        "key_press": scenario.key_presses,
        "scroll": scenario.scroll_notches,
        "titles": len(set(scenario.titles)),  # the recorder notes a new title within half a second
    }


def written_counts(events: Sequence[dict[str, Any]], scenario: Scenario) -> dict[str, int]:
    """The same counts in the events written so far (titles: those of the scenario seen)."""
    found = dict.fromkeys(COUNTED, 0)
    titles = set()
    for event in events:
        kind = event["type"]
        if kind in found and not (kind == "key_press" and event.get("key") in MODIFIERS):
            found[kind] += 1
        titles.add((event.get("window") or {}).get("title"))
    found["titles"] = len(titles & set(scenario.titles))
    return found


class RecorderRun:
    """The recorder writing ``out``; started listening, stopped as a person stops it (SIGTERM)."""

    def __init__(self, display: VirtualDisplay, out: Path, scenario: Scenario) -> None:
        self.out = out
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the recorder runs)
        env = {
            **display.env,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        argv = [sys.executable, "-m", "generator.cli", "record", "--out", str(out)]
        argv += ["--title", scenario.title, "--stage", scenario.stage]
        self.proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=self.log)
        self._wait_listening()

    def _wait_listening(self, timeout: float = 30.0) -> None:
        assert self.proc.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.proc.stdout, selectors.EVENT_READ)
            ready = selector.select(timeout)
        if not ready or not self.proc.stdout.readline().strip():
            self.kill()
            raise DriverError(f"the recorder did not start: {self._stderr()}")

    def events(self) -> list[dict[str, Any]]:
        path = self.out / "events.jsonl"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        return [json.loads(line) for line in text.splitlines(keepends=True) if line.endswith("\n")]

    def wait_written(self, scenario: Scenario, timeout: float = 30.0) -> None:
        """Until each press, release, key, wheel notch and window title of the scenario is in events.jsonl."""
        wanted = expected_counts(scenario)
        last: dict[str, int] = {}

        def done() -> bool:
            last.update(written_counts(self.events(), scenario))
            return all(last[k] >= n for k, n in wanted.items())

        try:
            wait_until(done, timeout, "the recorder to write every event")
        except DriverError as exc:
            raise DriverError(f"{exc}: wanted {wanted}, found {last}") from None

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.kill()
            raise DriverError("the recorder did not stop within 30 s of SIGTERM") from None
        if self.proc.returncode != 0:
            raise DriverError(f"the recorder exited with {self.proc.returncode}: {self._stderr()}")
        self._close_pipes()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_pipes()

    def _stderr(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace").strip()

    def _close_pipes(self) -> None:
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.log.close()
