"""The command line: clear errors and exit codes, nothing written on failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main


def test_record_without_a_display_says_how_to_fix_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert main(["record", "--out", str(tmp_path / "rec")]) == 4
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "cannot grab the screen" in captured.err and "DISPLAY" in captured.err
    assert not (tmp_path / "rec").exists()


@pytest.mark.parametrize("spec", ["s", "ctrl+", "hyper+s", "ctrl+shift"])
def test_bad_hotkey_is_refused_with_an_example(
    spec: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["record", "--stop-key", spec, "--out", str(tmp_path / "rec")]) == 1
    err = capsys.readouterr().err
    assert f"--stop-key {spec!r}" in err and "ctrl+alt+s" in err
    assert not (tmp_path / "rec").exists()


def test_same_hotkey_twice_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["record", "--pause-key", "ctrl+alt+s", "--out", str(tmp_path / "rec")]) == 1
    assert "hotkeys must differ" in capsys.readouterr().err


def test_unknown_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["record", "--nope"]) == 2
    assert "--nope" in capsys.readouterr().err
