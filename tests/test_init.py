"""``vsop init``: the scaffold of a library, and re-running it keeps what a person changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import GuideError
from generator.guide.model import LibrarySettings
from generator.library.scaffold import init_library
from generator.valuestream.store import DEFAULT_VALUESTREAM, load_settings, load_valuestream


def test_init_creates_the_scaffold(tmp_path: Path) -> None:
    library = tmp_path / "sops"
    created = init_library(library)
    names = ["valuestream.yml", "vsop.yml", ".gitignore", "guides"]
    assert created == [library / name for name in names]
    assert (library / "guides").is_dir() and not any((library / "guides").iterdir())
    valuestream = (library / "valuestream.yml").read_text(encoding="utf-8")
    assert valuestream == DEFAULT_VALUESTREAM.read_text(encoding="utf-8") and valuestream.startswith("#")
    assert load_valuestream(library).streams == load_valuestream(tmp_path / "no-library").streams
    assert load_settings(library) == LibrarySettings(
        "Standard operating procedures",
        "How we work, from the first customer inquiry to the delivery.",
        365 * 86400.0,
    )
    ignored = (library / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"recordings/", "site/", ".vsop-cache/"} <= set(ignored)
    assert not [p for p in library.iterdir() if p.name.endswith(".tmp")]


def test_rerun_keeps_a_changed_file_byte_identical(tmp_path: Path) -> None:
    init_library(tmp_path)
    mine = b"streams:\n  - {id: ops, name: Ops, stages: [{id: run, name: Run}]}\r\n# mine\n"
    (tmp_path / "valuestream.yml").write_bytes(mine)
    (tmp_path / ".gitignore").unlink()
    assert init_library(tmp_path) == [tmp_path / ".gitignore"]
    assert (tmp_path / "valuestream.yml").read_bytes() == mine
    assert init_library(tmp_path) == []


def test_the_command_reports_what_it_created_and_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "vsop.yml").write_text("site_name: Ours\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"created {tmp_path / 'valuestream.yml'}",
        f"kept    {tmp_path / 'vsop.yml'}",
        f"created {tmp_path / '.gitignore'}",
        f"created {tmp_path / 'guides'}",
    ]
    assert (tmp_path / "vsop.yml").read_text(encoding="utf-8") == "site_name: Ours\n"


def test_a_file_in_the_way_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "lib").write_text("x", encoding="utf-8")
    with pytest.raises(GuideError, match="exists and is not a folder"):
        init_library(tmp_path / "lib")
    assert main(["init", str(tmp_path / "lib")]) != 0
