"""The library layout in one place: its paths, writing a guide (guide.yml and guide.md), and replacing a
folder whole, where a failure at any point leaves the old folder as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from generator.guide.model import Guide, Step
from generator.guide.store import load_guide
from generator.library.layout import GuideFolder, Library, library_of, replacing


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def old(tmp_path: Path) -> Path:
    folder = tmp_path / "guides" / "g"
    (folder / "images").mkdir(parents=True)
    (folder / "guide.yml").write_text("old guide\n")
    (folder / "images" / "s-1.png").write_bytes(b"old image")
    return folder


def test_the_library_names_its_paths(tmp_path: Path) -> None:
    library = Library(tmp_path)
    folder = library.guide_folder("lead")
    assert (library.guides, library.cache) == (tmp_path / "guides", tmp_path / ".vsop-cache")
    assert (folder.guide_file, folder.markdown, folder.images) == (
        tmp_path / "guides" / "lead" / "guide.yml",
        tmp_path / "guides" / "lead" / "guide.md",
        tmp_path / "guides" / "lead" / "images",
    )
    assert GuideFolder.of(folder.guide_file) == folder and folder.id == "lead"
    assert library_of(folder.guide_file) == tmp_path.resolve()


def test_a_folder_is_replaced_whole(old: Path) -> None:
    with replacing(old) as new:
        (new / "guide.yml").write_text("new guide\n")
    assert files(old) == {"guide.yml": b"new guide\n"}
    assert os.listdir(old.parent) == ["g"]  # no staging or old folder left behind


def test_a_new_folder_appears_whole(tmp_path: Path) -> None:
    with replacing(tmp_path / "new", replace=False) as new:
        (new / "a.txt").write_text("a")
        assert not (tmp_path / "new").exists()
    assert files(tmp_path / "new") == {"a.txt": b"a"}


def test_a_failure_while_filling_leaves_the_old_folder(old: Path) -> None:
    before = files(old)
    with pytest.raises(RuntimeError), replacing(old) as new:
        (new / "guide.yml").write_text("half")
        raise RuntimeError("the recording is unreadable")
    assert files(old) == before and os.listdir(old.parent) == ["g"]


def test_a_failed_rename_puts_the_old_folder_back(old: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second of the two renames (new folder into place) fails: the old folder is renamed back."""
    before = files(old)
    rename = os.rename

    def failing(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == old and (Path(src) / "new.txt").exists():
            raise OSError("disk full")
        rename(src, dst)

    monkeypatch.setattr(os, "rename", failing)
    with pytest.raises(OSError, match="disk full"), replacing(old) as new:
        (new / "new.txt").write_text("new")
    assert files(old) == before and os.listdir(old.parent) == ["g"]


def test_without_replace_an_existing_folder_is_kept(old: Path) -> None:
    before = files(old)
    with pytest.raises(OSError), replacing(old, replace=False) as new:
        (new / "guide.yml").write_text("new guide\n")
    assert files(old) == before and os.listdir(old.parent) == ["g"]


def test_a_guide_is_written_with_its_page(tmp_path: Path) -> None:
    folder = Library(tmp_path).guide_folder("g")
    folder.images.mkdir(parents=True)
    Image.new("RGB", (20, 10)).save(folder.images / "s-1.png")
    step = Step("s-1", "click", "Save", None, None, "Click **Save**.", image="images/s-1.png")
    guide = Guide("g", "G", None, "1.0.0", None, steps=[step])
    folder.write(guide)
    assert load_guide(folder.guide_file) == guide
    page = folder.markdown.read_text()
    assert "Click **Save**." in page and "s-1-full.png" not in page
    Image.new("RGB", (40, 20)).save(folder.images / "s-1-full.png")
    folder.write_page(guide)
    assert "s-1-full.png" in folder.markdown.read_text()  # a full frame is linked once it is there
