"""`vsop serve` stops at once on Ctrl+C (SIGINT) or SIGTERM, whenever it comes: while the first pages are
still rendering, or while the engine's server is starting; and it leaves nothing behind, no engine process
and no served project (generator/publish/interrupts.py)."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.publish.interrupts import Interrupts
from generator.publish.project import SERVE_DIR
from tests.sitelib import add_guide
from tests.test_publish import free_port, wait_for

GUIDES = 40  # enough that the first rendering takes a while: the signal lands in it
STOPPED_S = 10.0  # "at once", on a loaded machine


@pytest.fixture(scope="module")
def big_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lib = tmp_path_factory.mktemp("serve-stop") / "lib"
    for i in range(GUIDES):
        add_guide(lib, f"g-{i}", f"Guide {i}", None, steps=5)
    return lib


def session_processes(session: int) -> list[str]:
    """The live processes of ``session`` (from /proc), as ``pid command``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # ended meanwhile
        state, _ppid, _group, sid = text.rpartition(")")[2].split()[:4]
        if int(sid) == session and state != "Z":
            found.append(f"{stat.parent.name} {command}")
    return found


@contextmanager
def sigint_caught() -> Iterator[None]:
    """A child started in the block gets SIGINT's default action even when this process was started ignoring
    it (a background job of a shell without job control), which vsop, like any program, would keep."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def serving(library: Path, log: Path, engine: str = "mkdocs") -> Iterator[subprocess.Popen[bytes]]:
    argv = [sys.executable, "-m", "generator.cli", "serve", str(library), "--port", str(free_port())]
    with log.open("wb") as out, sigint_caught():
        proc = subprocess.Popen([*argv, "--engine", engine], stdout=out, stderr=out, start_new_session=True)
    try:
        yield proc
    finally:
        for line in session_processes(proc.pid):  # whatever is left is killed, then the test fails
            subprocess.run(["kill", "-KILL", line.split()[0]], check=False)
        proc.wait(5)


def assert_stopped_cleanly(proc: subprocess.Popen[bytes], library: Path, log: Path) -> None:
    try:
        code = proc.wait(STOPPED_S)
    except subprocess.TimeoutExpired:
        raise AssertionError(
            f"vsop serve still running {STOPPED_S} s after the signal:\n{log.read_text()}"
        ) from None
    assert code == 0, log.read_text()
    assert session_processes(proc.pid) == [], "the engine's server outlived vsop serve"
    assert not (library / SERVE_DIR).exists(), "the served project was left in the library"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_the_first_rendering_stops_serve(
    big_library: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    log = tmp_path / "serve.log"
    with serving(big_library, log) as proc:
        wait_for(lambda: "vsop: serving the site" in log.read_text(), 60, "vsop serve to start rendering")
        proc.send_signal(sig)
        assert_stopped_cleanly(proc, big_library, log)
    assert "vsop: rendered" not in log.read_text(), f"{GUIDES} guides rendered before the signal came"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_signal_while_the_engine_starts_stops_it_too(
    big_library: Path, tmp_path: Path, sig: signal.Signals, engine: str
) -> None:
    log = tmp_path / "serve.log"
    with serving(big_library, log, engine) as proc:
        wait_for(lambda: len(session_processes(proc.pid)) > 1, 120, f"{engine}'s server to start")
        proc.send_signal(sig)
        assert_stopped_cleanly(proc, big_library, log)


def test_a_signal_while_the_engine_is_started_waits_until_its_stop_is_registered() -> None:
    interrupts = Interrupts()
    registered = []
    with pytest.raises(KeyboardInterrupt), interrupts.held():
        interrupts.handle(signal.SIGINT, None)  # came while the engine's process was being started
        registered.append("stop the engine")
    assert registered == ["stop the engine"]
    interrupts.handle(signal.SIGTERM, None)  # one more while cleaning up: the clean-up goes on


def test_the_first_signal_interrupts_at_once() -> None:
    interrupts = Interrupts()
    with pytest.raises(KeyboardInterrupt):
        interrupts.handle(signal.SIGTERM, None)
    interrupts.handle(signal.SIGINT, None)
