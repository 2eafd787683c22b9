"""Limits on what vsop reads, in process: YAML aliases and nesting, numbers, dates and durations, event lines
and notes, image sizes; the one mapping of OSError to a message and an exit code (CLI) or an HTTP answer
(the editor); patterns in linear time. tests/test_badinput.py runs the same inputs through every command."""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image

from capture.errors import RecordingError
from capture.format import NOTE_LIMIT
from capture.loader import MAX_LINE, load_recording
from generator.cli import main
from generator.edit import EditorServer, start_editor
from generator.errors import (
    EditError,
    FileSystemError,
    GuideError,
    ImageError,
    ValueStreamError,
    explained,
    http_status,
)
from generator.guide.durations import parse_date, parse_duration
from generator.guide.store import load_guide
from generator.guide.yamlcheck import MAX_BYTES, MAX_NODES
from generator.images.files import MAX_PIXELS, image_size, open_image, verify_image
from generator.pipeline.redact import find_sensitive, typed_pieces
from generator.render.filters import cell
from generator.render.safety import prose
from generator.valuestream.store import load_valuestream
from tests.badinput.corpus import HERE, _png, guide_file, image_file, make_library
from tests.test_edit_server import post, request, token_of

# YAML ----------------------------------------------------------------------------------------------------


def bounded(action: Callable[[], object], seconds: float = 5.0, megabytes: float = 100.0) -> BaseException:
    """The exception ``action`` raised, after checking it took at most ``seconds`` (CPU) and ``megabytes``."""
    tracemalloc.start()
    started = time.process_time()  # CPU: a busy machine does not stretch it
    try:
        action()
    except BaseException as exc:  # returned to the test, which checks its type
        raised: BaseException = exc
    else:
        raise AssertionError("expected an error")
    finally:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    took = time.process_time() - started
    assert took < seconds and peak < megabytes, (took, peak)
    return raised


@pytest.mark.parametrize("name", ["alias-bomb.yml", "alias-bomb-unknown-key.yml"])
def test_an_alias_bomb_in_guide_yml_is_refused_at_once(tmp_path: Path, name: str) -> None:
    path = tmp_path / "guide.yml"
    shutil.copy(HERE / "guide" / name, path)
    error = bounded(lambda: load_guide(path))
    assert isinstance(error, GuideError)
    assert f"{path}:" in str(error) and "alias bomb" in str(error) and f"{MAX_NODES:,}" in str(error)


def test_an_alias_bomb_in_valuestream_yml_is_refused_at_once(tmp_path: Path) -> None:
    shutil.copy(HERE / "library" / "valuestream-alias-bomb.yml", tmp_path / "valuestream.yml")
    error = bounded(lambda: load_valuestream(tmp_path))
    assert isinstance(error, ValueStreamError) and "alias bomb" in str(error)


def test_a_recursive_alias_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "guide.yml"
    shutil.copy(HERE / "guide" / "recursive-alias.yml", path)
    error = bounded(lambda: load_guide(path))
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "&r" in text)
    assert isinstance(
        error, GuideError
    ) and f"{path}:{line}: an alias refers to a value that contains it" in str(error)


def test_aliases_that_repeat_a_little_are_read(tmp_path: Path) -> None:
    text = (HERE / "guide" / "valid.yml").read_text(encoding="utf-8")
    path = tmp_path / "guide.yml"
    path.write_text(
        text.replace("window: Acme CRM", "window: &w Acme CRM", 1).replace("window: Acme CRM", "window: *w")
    )
    assert {s.window for s in load_guide(path).steps} == {"Acme CRM"}


def test_a_document_nested_too_deep_is_refused_with_its_line(tmp_path: Path) -> None:
    """990 lists deep (libyaml stops at 1,000): read, it would break every function that recurses into it
    (a repr in a message, saving it again), so it is refused where it is."""
    text = (HERE / "guide" / "valid.yml").read_text(encoding="utf-8")
    path = tmp_path / "guide.yml"
    path.write_text(text.replace("purpose: Record a new lead.", "purpose:\n  " + "[" * 990 + "]" * 990))
    error = bounded(lambda: load_guide(path))
    assert isinstance(error, GuideError) and f"{path}:9: values nested more than 32 deep" in str(error)


def test_the_line_index_walks_without_recursion() -> None:
    import yaml

    from generator.guide.yamlcheck import _index

    node = yaml.compose("a:\n  " + "[" * 990 + "x" + "]" * 990, Loader=yaml.CSafeLoader)
    assert node is not None
    lines = _index(node)
    assert lines[("a",) + (0,) * 990] == 2 and lines[("a",)] == 1


def test_a_huge_value_is_shown_in_part(tmp_path: Path) -> None:
    text = (HERE / "guide" / "valid.yml").read_text(encoding="utf-8")
    path = tmp_path / "guide.yml"
    path.write_text(text.replace("purpose: Record a new lead.", f"purpose: {list(range(20_000))}"))
    error = bounded(lambda: load_guide(path))
    assert " ... " in str(error) and len(str(error)) < 2_000


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "big"])
def test_guide_yml_that_is_no_regular_file_or_too_big_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "guide.yml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    else:
        path.write_bytes(b"#" * (MAX_BYTES + 1))
    error = bounded(lambda: load_guide(path), seconds=2)
    assert isinstance(error, GuideError) and str(error).startswith(f"{path}: ")
    expected = {
        "fifo": "is a FIFO",
        "dev-zero": "is a character device",
        "folder": "is a folder",
        "big": "2 MiB",
    }
    assert expected[kind] in str(error)


# Numbers, dates, durations -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e308, "9" * 400 + "w", "99999999999d", -1])
def test_durations_are_finite_and_bounded(value: object) -> None:
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(value)


def test_durations_people_write_still_read() -> None:
    assert parse_duration("1h30m") == 5400 and parse_duration("100w") == 100 * 7 * 86400


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2026-13-01", "soon"])
def test_dates_are_between_1900_and_2999(value: str) -> None:
    with pytest.raises(ValueError, match="expected a date"):
        parse_date(value)
    assert parse_date("2999-12-31").year == 2999


def test_status_with_a_date_out_of_range_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_library(tmp_path / "lib")
    assert main(["status", str(tmp_path / "lib"), "--date", "9999-12-31"]) == 2
    assert "between 1900-01-01 and 2999-12-31" in capsys.readouterr().err


# Recordings ---------------------------------------------------------------------------------------------


@pytest.fixture
def recording(tmp_path: Path, recordings: Path) -> Path:
    rec = tmp_path / "rec"
    shutil.copytree(recordings / "sign-in", rec)
    return rec


def append(rec: Path, *events: dict[str, object]) -> int:
    """Append ``events`` to the recording; the line number of the first."""
    lines = (rec / "events.jsonl").read_bytes().count(b"\n")
    with (rec / "events.jsonl").open("a", encoding="utf-8") as fh:
        fh.writelines(json.dumps(e) + "\n" for e in events)
    return lines + 1


def test_a_line_longer_than_the_limit_is_skipped_without_being_held(recording: Path) -> None:
    line = append(recording, {"type": "note", "t": 2.9, "text": "n" * (MAX_LINE + 10)})
    after = append(recording, {"type": "note", "t": 3.0, "text": "kept"})
    tracemalloc.start()
    loaded = load_recording(recording)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < MAX_LINE * 4  # one bounded read at a time, never the whole line
    assert [str(p) for p in loaded.problems] == [
        f"events.jsonl:{line}: skipped: longer than 1 MiB, more than any "
        f"event the recorder writes (a note holds at most 10,000 characters)"
    ]
    assert loaded.events[-1].text == "kept" and after == line + 1  # type: ignore[union-attr]


def test_a_note_longer_than_the_limit_is_skipped(recording: Path) -> None:
    line = append(recording, {"type": "note", "t": 2.9, "text": "n" * (NOTE_LIMIT + 1)})
    assert "at most 10,000 characters, found 10,001" in str(load_recording(recording).problems[0])
    assert str(load_recording(recording).problems[0]).startswith(f"events.jsonl:{line}:")


@pytest.mark.parametrize(
    ("event", "found"),
    [
        (
            {"type": "mouse_press", "t": 1.0, "x": 10**12, "y": 3, "button": "left"},
            "field 'x' must be within",
        ),
        ({"type": "scroll", "t": 1.0, "x": 1, "y": 3, "dx": 0, "dy": -(10**9)}, "field 'dy' must be within"),
        ({"type": "pause", "t": 1e300}, "field 't' must be a number from -1e+09 to 1e+09"),
        ({"type": "window", "t": 1.0, "window": {"rect": [0, 0, 10**9, 5]}}, "a rectangle's numbers"),
    ],
)
def test_numbers_out_of_range_are_skipped_lines(
    recording: Path, event: dict[str, object], found: str
) -> None:
    line = append(recording, event)
    problems = [str(p) for p in load_recording(recording).problems]
    assert (
        len(problems) == 1
        and problems[0].startswith(f"events.jsonl:{line}: skipped: ")
        and found in problems[0]
    )


@pytest.mark.parametrize("scale", [1e308, 0, -1, 17])
def test_a_monitor_scale_out_of_range_refuses_the_recording(recording: Path, scale: float) -> None:
    meta = json.loads((recording / "meta.json").read_text())
    meta["monitors"][0]["scale"] = scale
    (recording / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(RecordingError, match=r"meta.json: .*scale"):
        load_recording(recording)


def test_the_recorder_refuses_a_note_over_the_limit() -> None:
    from capture.recorder import Recorder

    recorder = Recorder.__new__(Recorder)  # note() checks before it touches anything else
    with pytest.raises(RecordingError, match="note: at most 10,000 characters"):
        recorder.note("n" * (NOTE_LIMIT + 1))


# Images -------------------------------------------------------------------------------------------------


@pytest.fixture
def bomb(tmp_path: Path) -> Path:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png(20_000, 20_000))  # 400 million pixels in 60 KB
    return path


@pytest.mark.parametrize("read", [open_image, image_size, verify_image])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(
    bomb: Path, read: Callable[[Path], object]
) -> None:
    error = bounded(lambda: read(bomb), seconds=2, megabytes=20)
    assert isinstance(error, ImageError) and str(error).startswith(f"{bomb}: an image larger than vsop reads")


def test_an_image_over_vsops_limit_below_pillows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(_png(8_000, 6_000))
    assert MAX_PIXELS < 8_000 * 6_000
    with pytest.raises(ImageError, match="8000x6000 pixels"):
        image_size(path)


def test_a_truncated_image_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "cut.png"
    Image.effect_noise((200, 100), 50).save(path)
    path.write_bytes(path.read_bytes()[:-200])
    for read in (open_image, verify_image):
        with pytest.raises(ImageError, match=rf"^{path}: not a readable image"):
            read(path)


# One mapping of errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "words", "status"),
    [
        (errno.EROFS, "the file system is read-only", 500),
        (errno.ENOSPC, "no space left on the device", 507),
        (errno.EACCES, "permission denied", 500),
        (errno.ENOTDIR, "a file is where a folder belongs", 500),
    ],
)
def test_os_errors_become_messages_and_answers(number: int, words: str, status: int) -> None:
    error = explained(OSError(number, os.strerror(number), "lib/guides/g/guide.yml"))
    assert isinstance(error, FileSystemError) and error.exit_code == 5
    assert str(error).startswith(f"lib/guides/g/guide.yml: {words}")
    assert http_status(error) == status


def test_other_errors_keep_their_answers() -> None:
    assert http_status(EditError("x")) == 400 and http_status(ImageError("x")) == 422
    assert http_status(GuideError("x")) == 409
    assert explained(ZeroDivisionError()) is None  # a bug keeps its traceback


def test_the_cli_maps_an_os_error_to_its_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("x")
    assert main(["init", str(tmp_path / "file" / "lib")]) == 5
    err = capsys.readouterr().err
    assert (
        err.startswith(f"vsop: error: {tmp_path / 'file' / 'lib'}")
        and "a file is where a folder belongs" in err
    )
    assert "Traceback" not in err


def test_guides_being_a_file_fails_the_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_library(tmp_path / "lib")
    shutil.rmtree(tmp_path / "lib" / "guides")
    (tmp_path / "lib" / "guides").write_text("x")
    assert main(["status", str(tmp_path / "lib")]) == 1
    assert f"{tmp_path / 'lib' / 'guides'}: is not a folder" in capsys.readouterr().err


# The editor answers -------------------------------------------------------------------------------------


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[EditorServer]:
    make_library(tmp_path / "lib")
    server = start_editor(guide_file(tmp_path / "lib"), open_browser=False)
    yield server
    server.close()


def test_a_deeply_nested_body_gets_an_answer(editor: EditorServer) -> None:
    before = editor.session.guide_file.read_bytes()
    status, answer = post(editor, None, raw=b"[" * 100_000 + b"]" * 100_000)
    assert status == 400 and "nested too deeply" in answer["error"]
    assert editor.session.guide_file.read_bytes() == before


def test_a_bomb_image_gets_an_answer(editor: EditorServer, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    text = guide_file(lib).read_text(encoding="utf-8")
    guide_file(lib).write_text(
        text.replace("  at: 0.5\n", "  at: 0.5\n  blur:\n  - [1, 1, 5, 5]\n  edited: [blur]\n")
    )
    image_file(lib).write_bytes(_png(20_000, 20_000))
    status, _headers, body = request(editor, "GET", f"/published/s-0.png?token={token_of(editor)}")
    assert status == 422 and "an image larger than vsop reads" in json.loads(body)["error"]
    assert post(editor, {"op": "blur", "step": "s-0", "boxes": [[1, 1, 5, 5]]})[0] == 400


def test_a_guide_that_cannot_be_written_gets_an_answer(
    editor: EditorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file system refuses the save (as a read-only mount does; tests/test_badinput.py does it for
    real): the editor answers 500 with the message, and the guide is as it was."""
    before = editor.session.guide_file.read_bytes()
    real = os.open

    def read_only(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & os.O_CREAT and ".guide.yml." in os.fsdecode(path):  # type: ignore[arg-type]
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))  # type: ignore[arg-type]
        return real(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only)
    status, answer = post(editor, {"op": "text", "step": "s-1", "text": "Type `Acme`."})
    monkeypatch.undo()
    assert status == 500 and "the file system is read-only" in answer["error"]
    assert editor.session.guide_file.read_bytes() == before


# Patterns in linear time --------------------------------------------------------------------------------


def best_of(action: Callable[[], object], times: int = 3) -> float:
    """The least CPU time of this process that ``action`` took in ``times`` runs: the work itself, not the
    time other processes of a busy machine had the CPU meanwhile (a one-off wait inflated a single run 3x)."""
    took = []
    for _ in range(times):
        started = time.process_time()
        action()
        took.append(time.process_time() - started)
    return min(took)


LONG_VALUES: dict[str, Callable[[int], str]] = {
    "letters": lambda n: "a" * n,
    "dotted": lambda n: "a." * (n // 2),
    "at signs": lambda n: "a@" * (n // 2),
    "spaced digits": lambda n: "1 " * (n // 2),
    "iban-like": lambda n: "AB12 " + "x " * (n // 2),
    "phone-like": lambda n: "+4 " * (n // 3),
}


@pytest.mark.parametrize("kind", list(LONG_VALUES))
def test_a_long_typed_value_takes_linear_time(kind: str) -> None:
    """A typed value of 100,000 characters took 20 s in the e-mail pattern, and a run of numbers for hours;
    ten times the text must now take about ten times as long (a quadratic path would take a hundred)."""
    make = LONG_VALUES[kind]
    small = best_of(lambda: typed_pieces([make(5_000)]))
    large = best_of(lambda: typed_pieces([make(50_000)]), times=1)
    assert large < 30 * small + 0.05, (small, large)


def test_a_long_line_read_from_a_screen_takes_linear_time() -> None:
    from capture.models import Rect
    from generator.guide.model import Word

    words = [Word(str(i % 10), 90.0, Rect(i * 12, 5, 10, 10), 1) for i in range(20_000)]
    small = best_of(lambda: find_sensitive(words[:2_000]))
    large = best_of(lambda: find_sensitive(words), times=1)
    assert large < 30 * small + 0.05, (small, large)


@pytest.mark.parametrize(
    "text", ["`" * 100_000 + "a", "a`" * 50_000, "``a" * 30_000, "`" * 50_000 + "a" * 50_000]
)
def test_backtick_runs_take_linear_time(text: str) -> None:
    """A code span opened by every start inside a run of 1,000 backticks took 10 s."""
    assert best_of(lambda: (cell(text), prose(text)), times=1) < 2


def test_code_spans_are_still_found() -> None:
    assert cell("a `<b>|` c | <i>") == "a `<b>|` c &#124; &lt;i&gt;"
    assert prose("\\``<b>` <i>") == "\\``<b>` &lt;i>"


def test_an_element_box_beyond_any_desktop_is_left_out_not_the_click(recording: Path) -> None:
    element = {"role": "push button", "name": "Far", "bounds": [0, -(2**31), 10, 10]}
    press = {"type": "mouse_press", "t": 2.9, "x": 5, "y": 5, "button": "left", "element": element}
    append(recording, press)
    loaded = load_recording(recording)
    assert loaded.problems == () and loaded.events[-1].element.bounds is None  # type: ignore[union-attr]
    assert loaded.events[-1].element.name == "Far"  # type: ignore[union-attr]
