"""The tray's pure parts, without Qt: states and menu, tooltip, stopwatch, background jobs, the library's
recording folders and log, and the live step count of a recording in progress."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from capture import load_recording
from generator.pipeline.segment import segment
from generator.sample import RECORDINGS
from generator.tray import tasks
from generator.tray.jobs import Job, Progress
from generator.tray.live import LiveSteps
from generator.tray.state import TRANSITIONS, Status, Stopwatch, after, clock, menu, tooltip


def test_a_recording_goes_from_start_through_pause_to_a_guide_and_back_to_idle() -> None:
    state = after("idle", "start")
    assert state == "recording"
    state = after(after(state, "pause"), "resume")
    assert after(after(state, "stop"), "done") == "idle"
    assert after("paused", "stop") == "generating"
    assert after("idle", "build") == "generating"


@pytest.mark.parametrize(
    ("state", "action"), [("idle", "stop"), ("recording", "start"), ("generating", "start")]
)
def test_an_action_the_state_does_not_allow_is_refused(state: str, action: str) -> None:
    with pytest.raises(ValueError, match="not possible"):
        after(state, action)  # type: ignore[arg-type]


def test_the_menu_offers_what_each_state_allows() -> None:
    idle, recording, paused, busy = (menu(s) for s in ("idle", "recording", "paused", "generating"))
    assert (idle.start, idle.pause, idle.stop, idle.note, idle.site) == (True, False, False, False, True)
    assert (recording.start, recording.stop, recording.note, recording.site) == (False, True, True, False)
    assert (recording.pause_label, paused.pause_label) == ("Pause", "Resume")
    assert not busy.start and not busy.stop and not busy.site
    assert all(m.quit and m.folder for m in (idle, recording, paused, busy))
    assert not idle.review and menu("idle", guide_made=True).review  # the last guide made, to edit
    assert not menu("recording", guide_made=True).review and not menu("generating", guide_made=True).review
    for (state, action), _ in TRANSITIONS.items():
        entry = {"start": "start", "pause": "pause", "resume": "pause", "stop": "stop", "build": "site"}.get(
            action
        )
        if entry is not None:
            assert getattr(menu(state), entry), f"{action} from {state} has a menu entry"


def test_the_tooltip_says_the_state_time_and_steps() -> None:
    assert (
        tooltip(Status("recording", 83.4, 7, title="New lead"))
        == "vsop: recording 'New lead', 01:23, 7 steps"
    )
    assert tooltip(Status("paused", 3725, 1)) == "vsop: paused at 1:02:05, 1 step"
    assert (
        tooltip(Status("generating", progress="Reading screens 3/10"))
        == "vsop: working: Reading screens 3/10"
    )
    assert "ready" in tooltip(Status("idle"))
    assert clock(0) == "00:00"


def test_the_stopwatch_stands_still_while_paused() -> None:
    watch = Stopwatch()
    watch.run(100.0)
    watch.hold(110.0)
    assert watch.elapsed(500.0) == 10.0
    watch.run(600.0)
    watch.run(601.0)  # already running
    assert watch.elapsed(605.0) == 15.0


def test_a_job_reports_progress_and_its_result() -> None:
    gate = threading.Event()

    def work(report: Progress) -> int:
        report("Reading screens", 3, 10)
        gate.wait(10)
        return 42

    job = Job("guide", work).start()
    try:
        with pytest.raises(RuntimeError, match="still running"):
            job.result()
    finally:
        gate.set()
    assert job.join(10) and job.done
    assert job.progress == "Reading screens 3/10" and job.result() == 42


def test_a_failed_job_re_raises_where_the_result_is_asked() -> None:
    def work(report: Progress) -> int:
        raise OSError("disk full")

    job = Job("guide", work).start()
    job.join(10)
    with pytest.raises(OSError, match="disk full"):
        job.result()


def test_recordings_go_to_the_library_each_in_a_new_folder(tmp_path: Path) -> None:
    first = tasks.recording_folder(tmp_path, "Record a new lead")
    assert first.parent == tmp_path / "recordings" and first.name.endswith("-record-a-new-lead")
    first.mkdir(parents=True)
    assert tasks.recording_folder(tmp_path, "Record a new lead") != first


def test_a_new_library_is_made_and_an_existing_one_kept(tmp_path: Path) -> None:
    tasks.prepare_library(tmp_path / "lib")
    assert (tmp_path / "lib" / "valuestream.yml").is_file() and (tmp_path / "lib" / "guides").is_dir()
    other = tmp_path / "other"
    other.mkdir()
    tasks.prepare_library(other)
    assert list(other.iterdir()) == []


def test_the_log_is_appended_in_the_library_or_else_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tasks.log(tmp_path, "first") == tmp_path / ".vsop-cache" / "tray.log"
    tasks.log(tmp_path, "error: second\ntrace")
    lines = (tmp_path / ".vsop-cache" / "tray.log").read_text().splitlines()
    assert lines[0].endswith(" first") and lines[1].endswith(" error: second") and lines[2] == "trace"
    (tmp_path / "file").write_text("")
    assert tasks.log(tmp_path / "file", "lost?") is None
    assert "lost?" in capsys.readouterr().err


def test_live_steps_count_as_the_guide_will_while_lines_arrive(tmp_path: Path) -> None:
    source = RECORDINGS / "new-lead"
    folder = tmp_path / "rec"
    folder.mkdir()
    live = LiveSteps(folder)
    assert live.count() == 0  # nothing written yet
    shutil.copy(source / "meta.json", folder / "meta.json")
    lines = (source / "events.jsonl").read_bytes().splitlines(keepends=True)
    half = len(lines) // 2
    (folder / "events.jsonl").write_bytes(b"".join(lines[:half]) + lines[half][:10])  # a line being written
    partial = live.count()
    with (folder / "events.jsonl").open("ab") as fh:
        fh.write(lines[half][10:] + b"".join(lines[half + 1 :]))
    expected = sum(1 for d in segment(load_recording(source)) if d.dropped is None)
    assert 0 < partial < expected
    assert live.count() == expected == 10


def test_without_qt_vsop_tray_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from generator.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "PySide6" else real(name))
    assert main(["tray", "--library", "unused"]) == 4


def test_without_qt_the_message_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from capture.errors import BackendUnavailableError
    from generator.tray.qt import require_qt

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(BackendUnavailableError, match=r"pip install 'vsop\[tray\]'"):
        require_qt()
