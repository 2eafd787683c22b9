"""The bad-input corpus: each case puts one bad input into a fresh copy of a small library (or recording),
and names the commands that read it. tests/test_badinput.py runs every command of every case in a process
of its own and holds it to the same rules (README.md of this folder).

The small inputs are the files beside this module; the big or special ones (a PNG of 400 million pixels, a
guide.yml of 3 MB, a note of 50 MB, FIFOs, /dev/zero) are made here at test time."""

from __future__ import annotations

import json
import os
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

HERE = Path(__file__).parent
Make = Callable[[Path, Path], object]  # puts a bad input into a library and a recording
GUIDE_ID = "g"

# Commands, with LIB, REC and OUT standing for the library, the recording and a scratch folder.
BUILD = ("build", "LIB", "--out", "OUT/site", "--drafts")
STATUS = ("status", "LIB", "--date", "2026-06-01")
REVIEW = ("review", GUIDE_ID, "--library", "LIB", "--date", "2026-06-01")
STAGE = ("stage", GUIDE_ID, "--library", "LIB")
STAGE_SET = ("stage", GUIDE_ID, "customer-inquiry", "--library", "LIB")
EXPORT_HTML = ("export", GUIDE_ID, "--library", "LIB", "--format", "html", "--out", "OUT/g.html")
EXPORT_MD = ("export", GUIDE_ID, "--library", "LIB", "--format", "md", "--out", "OUT/g.md")
EXPORT_PDF = ("export", GUIDE_ID, "--library", "LIB", "--format", "pdf", "--out", "OUT/g.pdf")
EXPORT_DOCX = ("export", GUIDE_ID, "--library", "LIB", "--format", "docx", "--out", "OUT/g.docx")
UPDATE = ("update", GUIDE_ID, "REC", "--library", "LIB", "--force")
DIFF = ("diff", GUIDE_ID, "REC", "--library", "LIB")
EDIT = ("edit", GUIDE_ID, "--library", "LIB", "--no-browser")
GENERATE = ("generate", "REC", "--library", "LIB")

EXPORTS = (EXPORT_HTML, EXPORT_MD, EXPORT_PDF, EXPORT_DOCX)
GUIDE_COMMANDS = (BUILD, STATUS, REVIEW, STAGE, STAGE_SET, *EXPORTS, UPDATE, DIFF, EDIT)
IMAGE_COMMANDS = (BUILD, *EXPORTS)
VALUESTREAM_COMMANDS = (BUILD, STAGE_SET, GENERATE)
SETTINGS_COMMANDS = (BUILD, STATUS)
RECORDING_COMMANDS = (GENERATE, UPDATE, DIFF)


@dataclass(frozen=True, slots=True)
class Case:
    """One bad input: ``make(lib, rec)`` puts it in place; each of ``commands`` must be refused with a
    message naming ``names`` (a file name; ``line`` true: as ``name:LINE``), or, when ``tolerated``, may go
    on but must say so naming the file (a recording's damaged line is skipped, the rest is used)."""

    id: str
    make: Make
    commands: tuple[tuple[str, ...], ...]
    names: str
    line: bool = False
    tolerated: bool = False


def guide_file(lib: Path) -> Path:
    return lib / "guides" / GUIDE_ID / "guide.yml"


def image_file(lib: Path) -> Path:
    return lib / "guides" / GUIDE_ID / "images" / "s-0.png"


def make_library(lib: Path) -> None:
    """The valid library every case starts from: settings, a small value stream, the guide ``g``."""
    images = lib / "guides" / GUIDE_ID / "images"
    images.mkdir(parents=True)
    shutil.copy(HERE / "library" / "valuestream-valid.yml", lib / "valuestream.yml")
    shutil.copy(HERE / "library" / "settings-valid.yml", lib / "vsop.yml")
    shutil.copy(HERE / "guide" / "valid.yml", guide_file(lib))
    for i in range(2):
        Image.new("RGB", (40, 30), (200, 120 + i * 40, 40)).save(images / f"s-{i}.png")


# Makers -------------------------------------------------------------------------------------------------


def _guide(name: str) -> Make:
    return lambda lib, rec: shutil.copy(HERE / "guide" / name, guide_file(lib))


def _library(name: str, target: str) -> Make:
    return lambda lib, rec: shutil.copy(HERE / "library" / name, lib / target)


def _meta(name: str) -> Make:
    return lambda lib, rec: shutil.copy(HERE / "recording" / name, rec / "meta.json")


def _events(name: str) -> Make:
    def make(lib: Path, rec: Path) -> None:
        with (rec / "events.jsonl").open("ab") as fh:
            fh.write((HERE / "recording" / name).read_bytes())

    return make


def _fifo(path: Callable[[Path, Path], Path]) -> Make:
    def make(lib: Path, rec: Path) -> None:
        target = path(lib, rec)
        target.unlink()
        os.mkfifo(target)

    return make


def _dev_zero(path: Callable[[Path, Path], Path]) -> Make:
    def make(lib: Path, rec: Path) -> None:
        target = path(lib, rec)
        target.unlink()
        target.symlink_to("/dev/zero")

    return make


def _folder(path: Callable[[Path, Path], Path]) -> Make:
    def make(lib: Path, rec: Path) -> None:
        target = path(lib, rec)
        target.unlink()
        target.mkdir()

    return make


def _big_guide(lib: Path, rec: Path) -> None:
    """A valid guide.yml of 3 MB: 15,000 steps (more than vsop reads in one file)."""
    text = (HERE / "guide" / "valid.yml").read_text(encoding="utf-8")
    head, rest = text.split("steps:\n", 1)
    steps, revisions = rest.split("revisions:\n", 1)
    step = steps.split("- id: s-1\n")[1]
    many = "".join(f"- id: s-{i + 2}\n{step}" for i in range(15_000))
    guide_file(lib).write_text(f"{head}steps:\n{steps}{many}revisions:\n{revisions}", encoding="utf-8")


def _png(width: int, height: int) -> bytes:
    """A black 1-bit PNG of ``width`` x ``height``, written by hand: tiny on disk, huge decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
    row = b"\0" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _bomb(path: Callable[[Path, Path], Path]) -> Make:
    return lambda lib, rec: path(lib, rec).write_bytes(_png(20_000, 20_000))


def _big_image(path: Callable[[Path, Path], Path]) -> Make:
    """Above vsop's limit of 40 million pixels, below Pillow's own warning (89 million)."""
    return lambda lib, rec: path(lib, rec).write_bytes(_png(8_000, 6_000))


def _truncated(path: Callable[[Path, Path], Path]) -> Make:
    def make(lib: Path, rec: Path) -> None:
        data = path(lib, rec).read_bytes()
        path(lib, rec).write_bytes(data[: len(data) // 2])

    return make


def _not_image(path: Callable[[Path, Path], Path]) -> Make:
    return lambda lib, rec: path(lib, rec).write_text("not a picture\n", encoding="utf-8")


def _blurred(make: Make) -> Make:
    """``make``, and a blur box on step s-0, so that its image is decoded to be published."""

    def both(lib: Path, rec: Path) -> None:
        text = guide_file(lib).read_text(encoding="utf-8")
        guide_file(lib).write_text(
            text.replace("  at: 0.5\n", "  at: 0.5\n  blur:\n  - [1, 1, 5, 5]\n  edited: [blur]\n"), "utf-8"
        )
        make(lib, rec)

    return both


def _huge_note(lib: Path, rec: Path) -> None:
    """A note event of 50 MB."""
    with (rec / "events.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"type": "note", "t": 2.9, "text": "n" * 50_000_000}) + "\n")


def _line_without_end(lib: Path, rec: Path) -> None:
    """20 MB after the last line, and no line break: no line at all."""
    with (rec / "events.jsonl").open("ab") as fh:
        fh.write(b"x" * 20_000_000)


def _guides_file(lib: Path, rec: Path) -> None:
    shutil.rmtree(lib / "guides")
    (lib / "guides").write_text("not a folder\n", encoding="utf-8")


def _first_frame(lib: Path, rec: Path) -> Path:
    return rec / "frames" / "000001.png"


def _image(lib: Path, rec: Path) -> Path:
    return image_file(lib)


def _guide_yml(lib: Path, rec: Path) -> Path:
    return guide_file(lib)


def _in_library(name: str) -> Callable[[Path, Path], Path]:
    return lambda lib, rec: lib / name


def _in_recording(name: str) -> Callable[[Path, Path], Path]:
    return lambda lib, rec: rec / name


def _cases() -> list[Case]:
    cases = [
        Case(f"guide-{p.stem}", _guide(p.name), GUIDE_COMMANDS, "guide.yml", line=p.stem not in WITHOUT_LINE)
        for p in sorted((HERE / "guide").glob("*.yml"))
        if p.stem not in ("valid", *IMAGE_EDITS)
    ]
    cases += [Case(f"guide-{stem}", _guide(f"{stem}.yml"), IMAGE_COMMANDS, "s-0.png") for stem in IMAGE_EDITS]
    for special, make in (
        ("3mb", _big_guide),
        ("fifo", _fifo(_guide_yml)),
        ("dev-zero", _dev_zero(_guide_yml)),
    ):
        cases.append(Case(f"guide-{special}", make, GUIDE_COMMANDS, "guide.yml"))
    cases.append(Case("guide-folder", _folder(_guide_yml), GUIDE_COMMANDS, "guide.yml"))
    images = {
        "bomb": _bomb(_image),
        "bomb-blurred": _blurred(_bomb(_image)),
        "too-large": _big_image(_image),
        "truncated": _truncated(_image),
        "truncated-blurred": _blurred(_truncated(_image)),
        "not-an-image": _not_image(_image),
        "fifo": _fifo(_image),
    }
    cases += [Case(f"image-{name}", make, IMAGE_COMMANDS, "s-0.png") for name, make in images.items()]
    for p in sorted((HERE / "library").glob("*.yml")):
        vs = p.stem.startswith("valuestream")
        target, commands = (
            ("valuestream.yml", VALUESTREAM_COMMANDS) if vs else ("vsop.yml", SETTINGS_COMMANDS)
        )
        if not p.stem.endswith("-valid"):
            cases.append(Case(f"library-{p.stem}", _library(p.name, target), commands, target, line=True))
    cases += [
        Case(
            "library-vs-fifo", _fifo(_in_library("valuestream.yml")), VALUESTREAM_COMMANDS, "valuestream.yml"
        ),
        Case("library-settings-dev-zero", _dev_zero(_in_library("vsop.yml")), SETTINGS_COMMANDS, "vsop.yml"),
        Case("library-guides-is-a-file", _guides_file, (BUILD, STATUS, GENERATE), "guides"),
    ]
    meta = [(p.stem, _meta(p.name)) for p in sorted((HERE / "recording").glob("meta-*.json"))]
    meta += [
        ("meta-fifo", _fifo(_in_recording("meta.json"))),
        ("meta-dev-zero", _dev_zero(_in_recording("meta.json"))),
    ]
    cases += [Case(f"recording-{name}", make, RECORDING_COMMANDS, "meta.json") for name, make in meta]
    cases.append(
        Case(
            "recording-events-fifo", _fifo(_in_recording("events.jsonl")), RECORDING_COMMANDS, "events.jsonl"
        )
    )
    lines = [(p.stem, _events(p.name)) for p in sorted((HERE / "recording").glob("events-*.jsonl"))]
    lines += [("note-50mb", _huge_note), ("line-20mb", _line_without_end)]
    cases += [
        Case(f"recording-{name}", make, (GENERATE,), "events.jsonl", True, True) for name, make in lines
    ]
    frames = {"frame-bomb": _bomb(_first_frame), "frame-truncated": _truncated(_first_frame)}
    cases += [
        Case(f"recording-{n}", make, (GENERATE,), "000001.png", tolerated=True) for n, make in frames.items()
    ]
    return cases


WITHOUT_LINE = ("not-utf8", "huge-int-text", "empty")  # refused before a line is known
IMAGE_EDITS = ("blur-outside", "crop-outside")  # valid guide.yml, refused where the image is edited
CASES = _cases()
