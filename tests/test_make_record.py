"""`make record`, as the README's path for one's own process runs it: the first line it prints is the
recording folder (bootstrap and make print nothing on stdout), and Ctrl+C leaves a readable recording."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from capture.loader import load_recording
from generator.sample.xsession import VirtualDisplay
from tests.conftest import need

ROOT = Path(__file__).parent.parent


@pytest.mark.gui
def test_make_record_prints_the_recording_folder_first(display: VirtualDisplay, tmp_path: Path) -> None:
    need("make")
    out = tmp_path / "rec"
    make = [
        "make",
        "-f",
        str(ROOT / "Makefile"),
        "record",
        "BOOTSTRAP=true",  # installing is scripts/bootstrap.sh's test (its output goes to stderr too)
        f"VENV={ROOT / '.venv' / 'bin'}",
        f"ARGS=--out {out} --no-accessibility",
    ]
    # as typed in a terminal: not a sub-make of `make check` (which would print "Entering directory" first)
    env = {k: v for k, v in display.env.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    env["HOME"] = str(tmp_path / "home")
    with subprocess.Popen(
        make,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl+C in the terminal: the whole foreground group
        rest, err = proc.communicate(timeout=60)
    assert first == str(out), (first, err)
    assert f"Saved {out}" in err
    assert rest.strip() == ""
    assert load_recording(out).meta.ended is not None
