"""The loader and the writer on real recording folders, damaged by hand as crashes and people do."""

from __future__ import annotations

import io
import json
import logging
import os
import stat
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from capture.errors import (
    BackendUnavailableError,
    FormatVersionError,
    RecorderBusyError,
    RecordingError,
    VsopError,
)
from capture.format import EVENTS_FILE, FORMAT_VERSION, FRAMES_DIR, META_FILE, to_json
from capture.frames import encode_grab, frame_format
from capture.loader import RecordingFollower, load_recording
from capture.models import (
    CaptureEvent,
    Event,
    FrameRef,
    KeyEvent,
    Meta,
    Monitor,
    MouseButtonEvent,
    MoveEvent,
    Problem,
    Rect,
    ScrollEvent,
    StateEvent,
    WindowEvent,
    WindowInfo,
)
from capture.writer import RecordingWriter

SIZE = (4, 3)
ENDED = "2024-05-06T10:05:00+02:00"
EDITOR = WindowInfo(title="Übersicht — Notizen", app="Mousepad", rect=Rect(100, 50, 800, 600))


def make_meta(**changes: Any) -> Meta:
    meta = Meta(
        format=FORMAT_VERSION,
        title="Post an invoice",
        stage="invoice",
        started="2024-05-06T10:00:00+02:00",
        ended=None,
        monitors=(Monitor(1, Rect(0, 0, 1920, 1080)), Monitor(2, Rect(1920, 0, 1280, 1024), 1.25)),
        platform="Linux-6.1-x86_64",
        vsop_version="0.1.0",
        no_text=True,
    )
    return replace(meta, **changes)


def bgrx(pixel: tuple[int, int, int, int] = (0, 0, 255, 0)) -> bytes:
    return bytes(pixel) * (SIZE[0] * SIZE[1])


def open_writer(root: Path, events: Sequence[Event] = (), frames: Sequence[str] = ()) -> RecordingWriter:
    writer = RecordingWriter(root, make_meta())
    writer.open()
    for name in frames:
        writer.write_frame(name, bgrx(), SIZE)
    for event in events:
        writer.append(event)
    return writer


def record(root: Path, events: Sequence[Event], frames: Sequence[str] = ()) -> Path:
    open_writer(root, events, frames).close(ENDED)
    return root


def press(t: float, x: int = 10, frame: str | None = None) -> MouseButtonEvent:
    ref = FrameRef(frame, 1, t + 0.02) if frame else None
    return MouseButtonEvent("mouse_press", t, x, 20, "left", EDITOR, ref)


THREE = (press(1.0), MoveEvent(1.5, 30, 40), press(2.0, x=50))


def lines(root: Path) -> list[bytes]:
    return (root / EVENTS_FILE).read_bytes().splitlines(keepends=True)


def set_line(root: Path, number: int, raw: bytes) -> None:
    """Replace the 1-based line ``number`` of events.jsonl with ``raw`` (give the newline yourself)."""
    content = lines(root)
    content[number - 1] = raw
    (root / EVENTS_FILE).write_bytes(b"".join(content))


def set_meta(root: Path, text: str | bytes) -> None:
    data = text.encode() if isinstance(text, str) else text
    (root / META_FILE).write_bytes(data)


# round trip


def test_every_event_type_round_trips(tmp_path: Path) -> None:
    frame, capture = FrameRef("000001.png", 1, 1.02), FrameRef("000002.png", 2, 9.5)
    events: list[Event] = [
        MouseButtonEvent("mouse_press", 1.0, 10, 20, "left", EDITOR, frame),
        MoveEvent(1.25, 30, 40),
        MouseButtonEvent("mouse_release", 1.5, 30, 40, "left"),
        ScrollEvent(2.0, 5, 6, 0, -1, WindowInfo(None, "Firefox", None)),
        KeyEvent("key_press", 3.0, None, "s", ("ctrl", "shift"), window=EDITOR),
        KeyEvent("key_release", 3.1, "enter", None),
        KeyEvent("key_press", 3.2, None, None, masked=True, window=WindowInfo("x", None, Rect(-5, 0, 1, 1))),
        WindowEvent(4.0, EDITOR),
        WindowEvent(4.2, replace(EDITOR, title="*Übersicht — Notizen", id=2**32 - 1)),
        WindowEvent(4.5, None),
        StateEvent("pause", 5.0),
        StateEvent("resume", 6.0),
        CaptureEvent(9.0, 2000, 300, EDITOR, capture),
    ]
    record(tmp_path / "rec", events, frames=["000001.png", "000002.png"])

    loaded = load_recording(tmp_path / "rec")

    assert loaded.events == tuple(events)
    assert loaded.meta == make_meta(ended=ENDED)
    assert loaded.complete
    assert (loaded.problems, loaded.skipped_lines, loaded.unknown_events) == ((), 0, 0)
    assert loaded.path == tmp_path / "rec"
    assert loaded.frame_path(capture) == tmp_path / "rec" / FRAMES_DIR / "000002.png"


def test_a_window_id_is_written_only_where_the_platform_gave_one() -> None:
    assert to_json(EDITOR) == {"title": "Übersicht — Notizen", "app": "Mousepad", "rect": [100, 50, 800, 600]}
    assert to_json(replace(EDITOR, id=6291459))["id"] == 6291459


def test_load_accepts_a_string_path(tmp_path: Path) -> None:
    record(tmp_path / "rec", THREE)
    assert load_recording(str(tmp_path / "rec")).events == THREE


# damaged events.jsonl


def test_corrupt_line_is_skipped_counted_and_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = record(tmp_path / "rec", THREE)
    set_line(root, 2, b'{"type": "mouse_press", "t": \x01garbage}\n')

    with caplog.at_level(logging.WARNING, logger="capture.loader"):
        loaded = load_recording(root)

    assert loaded.events == (THREE[0], THREE[2])
    assert loaded.skipped_lines == 1
    [problem] = loaded.problems
    assert (problem.file, problem.line) == (EVENTS_FILE, 2)
    assert problem.message.startswith("skipped: ") and "truncated" not in problem.message
    [entry] = caplog.records
    assert entry.levelno == logging.WARNING
    assert entry.getMessage() == f"{root}/{problem}"
    assert f"{EVENTS_FILE}:2: skipped" in entry.getMessage()


def test_blank_lines_are_ignored_and_do_not_shift_line_numbers(tmp_path: Path) -> None:
    root = record(tmp_path / "rec", THREE)
    set_line(root, 2, b"\n" + lines(root)[1])
    set_line(root, 4, b"oops\n")

    loaded = load_recording(root)

    assert loaded.events == THREE[:2]
    assert loaded.problems[0].line == 4
    assert loaded.skipped_lines == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("x", "10"), ("t", True), ("y", 2.5), ("button", 1), ("x", None)],
)
def test_wrong_field_type_is_skipped_naming_the_field(tmp_path: Path, field: str, value: Any) -> None:
    root = record(tmp_path / "rec", THREE)
    line = json.loads(lines(root)[0])  # the first mouse press
    line[field] = value
    set_line(root, 1, json.dumps(line).encode() + b"\n")

    loaded = load_recording(root)

    assert loaded.events == THREE[1:]
    assert loaded.skipped_lines == 1
    [problem] = loaded.problems
    assert (problem.file, problem.line) == (EVENTS_FILE, 1)
    assert f"field {field!r}" in problem.message
    assert repr(value) in problem.message


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b'{"type":"key_press","t":1.0,"key":null,"char":"s","mods":["ctrl",1]}', "'mods'"),
        (b'{"type":"window","t":1.0,"window":{"title":"x","app":null,"rect":[1,2,3]}}', "rectangle"),
        (b'{"type":"window","t":1.0,"window":"Mousepad"}', "'window'"),
        (b'{"type":"window","t":1.0,"window":{"title":"x","app":null,"id":"0x600003"}}', "'id'"),
        (b'{"type":"window","t":1.0,"window":{"title":"x","app":null,"id":true}}', "'id'"),
        (b'{"type":"window","t":1.0,"window":{"title":"x","app":null,"id":-1}}', "window id from 0"),
        (b'{"type":"window","t":1.0,"window":{"title":"x","app":null,"id":18446744073709551616}}', "2**64"),
        (
            b'{"type":"capture","t":1.0,"x":1,"y":2,"frame":{"file":"a.png","monitor":true,"t":1}}',
            "'monitor'",
        ),
        (b'{"t":1.0}', "'type'"),
        (b"[1, 2]", "JSON object"),
        (b'{"type":"move","t":1.0,"x":1,"y":\xff}', "skipped"),
    ],
)
def test_malformed_line_is_skipped_saying_why(tmp_path: Path, raw: bytes, words: str) -> None:
    root = record(tmp_path / "rec", THREE)
    set_line(root, 3, raw + b"\n")

    loaded = load_recording(root)

    assert loaded.events == THREE[:2]
    assert loaded.skipped_lines == 1
    assert loaded.problems == (Problem(EVENTS_FILE, 3, loaded.problems[0].message),)
    assert words in loaded.problems[0].message


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_last_line_is_skipped_as_truncated(tmp_path: Path, cut: float) -> None:
    root = record(tmp_path / "rec", THREE)
    last = lines(root)[2]
    set_line(root, 3, last[: int(len(last) * cut)])

    loaded = load_recording(root)

    assert loaded.events == THREE[:2]
    assert loaded.skipped_lines == 1
    [problem] = loaded.problems
    assert (problem.file, problem.line) == (EVENTS_FILE, 3)
    assert "truncated" in problem.message


def test_last_line_cut_inside_a_multibyte_character_is_truncated(tmp_path: Path) -> None:
    root = record(tmp_path / "rec", THREE)
    last = lines(root)[2]
    inside_u_umlaut = last.index("Ü".encode()) + 1
    set_line(root, 3, last[:inside_u_umlaut])

    [problem] = load_recording(root).problems

    assert problem.line == 3 and "truncated" in problem.message


def test_unknown_event_type_is_ignored_and_counted(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = record(tmp_path / "rec", THREE)
    set_line(root, 2, b'{"type":"gaze","t":1.4,"x":3,"whatever":[1]}\n' + lines(root)[1])

    with caplog.at_level(logging.WARNING, logger="capture.loader"):
        loaded = load_recording(root)

    assert loaded.events == THREE
    assert loaded.unknown_events == 1
    assert (loaded.problems, loaded.skipped_lines) == ((), 0)
    assert caplog.records == []


# frames


def test_missing_frame_is_a_problem_and_the_event_keeps_no_frame(tmp_path: Path) -> None:
    clicked = press(2.0, frame="000002.png")
    shot = CaptureEvent(3.0, 7, 8, EDITOR, FrameRef("000001.png", 1, 3.1))
    root = record(tmp_path / "rec", [THREE[0], clicked, shot], frames=["000001.png", "000002.png"])
    (root / FRAMES_DIR / "000002.png").unlink()

    loaded = load_recording(root)

    assert loaded.events == (THREE[0], replace(clicked, frame=None), shot)
    [problem] = loaded.problems
    assert (problem.file, problem.line) == (f"{FRAMES_DIR}/000002.png", None)
    assert f"{EVENTS_FILE} line 2" in problem.message and "missing" in problem.message
    assert loaded.skipped_lines == 0


def test_leftover_temp_frame_does_not_disturb_loading(tmp_path: Path) -> None:
    events = [press(1.0, frame="000001.png"), press(2.0, frame="000002.png")]
    root = record(tmp_path / "rec", events, frames=["000001.png", "000002.png"])
    (root / FRAMES_DIR / ".000003.png.abc.tmp").write_bytes(b"\x89PNG half a frame")

    loaded = load_recording(root)

    assert loaded.events == tuple(events)
    assert (loaded.problems, loaded.skipped_lines, loaded.unknown_events) == ((), 0, 0)


@pytest.mark.parametrize(
    "name", ["../x.png", "../../x.png", "/etc/passwd", "sub/x.png", "..\\x.png", "..", ".000001.png"]
)
def test_frame_name_outside_frames_is_rejected(tmp_path: Path, name: str) -> None:
    root = record(tmp_path / "rec", THREE, frames=["000001.png"])
    (root / "x.png").write_bytes(b"not a frame")
    (root / FRAMES_DIR / "sub").mkdir()
    (root / FRAMES_DIR / "sub" / "x.png").write_bytes(b"not a frame")
    line = json.loads(lines(root)[1])
    line.update(type="capture", frame={"file": name, "monitor": 1, "t": 1.6})
    set_line(root, 2, json.dumps(line).encode() + b"\n")

    loaded = load_recording(root)

    assert loaded.events == (THREE[0], THREE[2])
    assert loaded.skipped_lines == 1
    [problem] = loaded.problems
    assert (problem.file, problem.line) == (EVENTS_FILE, 2)
    assert "plain file name" in problem.message and repr(name) in problem.message


@pytest.mark.parametrize("name", ["", "a\x00.png"])
def test_frame_name_that_is_no_file_name_is_rejected(tmp_path: Path, name: str) -> None:
    root = record(tmp_path / "rec", THREE)
    line = {"type": "capture", "t": 1.6, "x": 1, "y": 2, "frame": {"file": name, "monitor": 1, "t": 1.6}}
    set_line(root, 2, json.dumps(line).encode() + b"\n")

    loaded = load_recording(root)

    assert loaded.skipped_lines == 1
    assert [(p.file, p.line) for p in loaded.problems] == [(EVENTS_FILE, 2)]
    assert "plain file name" in loaded.problems[0].message


@pytest.mark.parametrize("value", [b"NaN", b"Infinity", b"-Infinity"])
def test_time_that_is_not_a_json_number_is_skipped(tmp_path: Path, value: bytes) -> None:
    root = record(tmp_path / "rec", THREE)
    set_line(root, 2, b'{"type":"move","t":' + value + b',"x":30,"y":40}\n')

    loaded = load_recording(root)

    assert loaded.events == (THREE[0], THREE[2])
    assert [(p.file, p.line) for p in loaded.problems] == [(EVENTS_FILE, 2)]


def test_deeply_nested_line_is_skipped(tmp_path: Path) -> None:
    root = record(tmp_path / "rec", THREE)
    set_line(root, 2, b"[" * 100_000 + b"\n")

    loaded = load_recording(root)

    assert loaded.events == (THREE[0], THREE[2])
    assert [(p.file, p.line) for p in loaded.problems] == [(EVENTS_FILE, 2)]


# meta.json and the folder


def test_newer_format_asks_to_upgrade(tmp_path: Path) -> None:
    root = record(tmp_path / "rec", THREE)
    newer = FORMAT_VERSION + 1
    set_meta(root, json.dumps({"format": newer, "layout": "whatever a newer vsop writes"}))

    with pytest.raises(FormatVersionError) as caught:
        load_recording(root)

    message = str(caught.value)
    assert f"format {newer}" in message and f"format {FORMAT_VERSION}" in message
    assert "upgrade" in message and META_FILE in message
    assert isinstance(caught.value, RecordingError)


def test_missing_meta_is_not_a_recording(tmp_path: Path) -> None:
    root = record(tmp_path / "rec", THREE)
    (root / META_FILE).unlink()

    with pytest.raises(RecordingError, match=META_FILE) as caught:
        load_recording(root)

    assert "not a vsop recording" in str(caught.value)


def test_file_instead_of_folder(tmp_path: Path) -> None:
    root = record(tmp_path / "rec", THREE)

    with pytest.raises(RecordingError, match="not a folder"):
        load_recording(root / EVENTS_FILE)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="not a folder"):
        load_recording(tmp_path / "nowhere")


def test_meta_invalid_json_names_the_line(tmp_path: Path) -> None:
    root = record(tmp_path / "rec", THREE)
    set_meta(root, '{\n  "format": 1,\n  "title": oops\n}\n')

    with pytest.raises(RecordingError) as caught:
        load_recording(root)

    assert f"{META_FILE}:3: not valid JSON" in str(caught.value)


@pytest.mark.parametrize(
    ("meta", "words"),
    [
        ({"format": "1"}, "'format'"),
        ({"started": None}, "'started'"),
        ({"monitors": [{"index": 1, "scale": 1.0}]}, "'rect'"),
        ({"no_text": "yes"}, "'no_text'"),
    ],
)
def test_meta_with_wrong_fields(tmp_path: Path, meta: dict[str, Any], words: str) -> None:
    root = record(tmp_path / "rec", THREE)
    data = json.loads((root / META_FILE).read_text(encoding="utf-8"))
    set_meta(root, json.dumps({**data, **meta}))

    with pytest.raises(RecordingError, match=META_FILE) as caught:
        load_recording(root)

    assert words in str(caught.value)
    assert type(caught.value) is RecordingError


def test_meta_not_an_object(tmp_path: Path) -> None:
    root = record(tmp_path / "rec", THREE)
    set_meta(root, "[1]\n")

    with pytest.raises(RecordingError, match="JSON object"):
        load_recording(root)


def test_meta_invalid_utf8_is_a_recording_error(tmp_path: Path) -> None:
    root = record(tmp_path / "rec", THREE)
    set_meta(root, b'{"format": 1, "title": "\xff"}\n')

    with pytest.raises(RecordingError, match=META_FILE):
        load_recording(root)


def test_missing_events_file(tmp_path: Path) -> None:
    root = record(tmp_path / "rec", THREE)
    (root / EVENTS_FILE).unlink()

    with pytest.raises(RecordingError, match=EVENTS_FILE):
        load_recording(root)


def test_recording_of_a_killed_recorder_loads_incomplete(tmp_path: Path) -> None:
    writer = open_writer(tmp_path / "rec", THREE)
    try:
        loaded = load_recording(tmp_path / "rec")  # what SIGKILL leaves: meta.json of open(), flushed lines
    finally:
        writer.close(ENDED)

    assert not loaded.complete
    assert loaded.meta == make_meta()
    assert loaded.events == THREE
    assert loaded.problems == ()


# following a recording still being written


def append_raw(root: Path, raw: bytes) -> None:
    with (root / EVENTS_FILE).open("ab") as fh:
        fh.write(raw)


def test_follower_reads_nothing_before_the_recorder_writes_meta(tmp_path: Path) -> None:
    follower = RecordingFollower(tmp_path / "rec")  # the folder is not there yet either

    assert follower.poll() == ()
    assert (follower.meta, follower.recording()) == (None, None)
    (tmp_path / "rec").mkdir()
    assert follower.poll() == ()


def test_follower_leaves_a_partial_last_line_for_the_next_poll(tmp_path: Path) -> None:
    root = tmp_path / "rec"
    writer = open_writer(root, THREE[:2])
    try:
        follower = RecordingFollower(root)
        assert follower.poll() == THREE[:2]
        last = json.dumps(to_json(THREE[2]), separators=(",", ":")).encode() + b"\n"
        append_raw(root, last[:9])  # the recorder is in the middle of a line

        assert follower.poll() == ()
        append_raw(root, last[9:])
        assert follower.poll() == THREE[2:]
        assert follower.poll() == ()
        assert follower.events == THREE
    finally:
        writer.close(ENDED)
    recording = follower.recording()
    assert recording is not None and recording.events == THREE
    assert (recording.problems, recording.skipped_lines, recording.unknown_events) == ((), 0, 0)


def test_follower_reads_a_growing_recording_and_sees_it_finish(tmp_path: Path) -> None:
    root = tmp_path / "rec"
    writer = open_writer(root, THREE[:1])
    follower = RecordingFollower(root)
    try:
        assert follower.poll() == THREE[:1]
        assert follower.meta == make_meta()
        for event in THREE[1:]:
            writer.append(event)
            assert follower.poll() == (event,)
    finally:
        writer.close(ENDED)

    recording = follower.recording()
    assert recording is not None and recording.complete and recording.events == THREE
    assert recording.meta == load_recording(root).meta


@pytest.mark.parametrize("value", [b"NaN", b"Infinity", b"-Infinity"])
def test_follower_refuses_a_time_that_is_not_a_json_number(tmp_path: Path, value: bytes) -> None:
    root = tmp_path / "rec"
    writer = open_writer(root, THREE[:1])
    try:
        follower = RecordingFollower(root)
        append_raw(root, b'{"type":"move","t":' + value + b',"x":30,"y":40}\n')
        writer.append(THREE[2])

        assert follower.poll() == (THREE[0], THREE[2])
    finally:
        writer.close(ENDED)
    recording = follower.recording()
    assert recording is not None and recording.skipped_lines == 1
    assert [(p.file, p.line) for p in recording.problems] == [(EVENTS_FILE, 2)]


BAD_LINES = [
    b'{"type": "mouse_press", "t": \x01garbage}\n',
    b'{"type":"key_press","t":1.0,"key":null,"char":"s","mods":["ctrl",1]}\n',
    b'{"type":"window","t":1.0,"window":{"title":"x","app":null,"rect":[1,2,3]}}\n',
    b'{"type":"capture","t":1.0,"x":1,"y":2,"frame":{"file":"../x.png","monitor":1,"t":1}}\n',
    b'{"type":"move","t":1.0,"x":1,"y":\xff}\n',
    b'{"type":"move","t":1.0,"x":true,"y":2}\n',
    b"[1, 2]\n",
    b"[" * 100_000 + b"\n",
    b"\n",
    b'{"type":"gaze","t":1.4,"x":3}\n',
]


@pytest.mark.parametrize("raw", BAD_LINES)
def test_follower_refuses_a_line_exactly_as_the_loader_does(tmp_path: Path, raw: bytes) -> None:
    root = record(tmp_path / "rec", THREE)
    content = lines(root)
    (root / EVENTS_FILE).write_bytes(content[0])
    follower = RecordingFollower(root)
    follower.poll()  # the bad line arrives in a later poll: line numbers go on across polls
    append_raw(root, raw + b"".join(content[1:]))

    followed = follower.recording()
    loaded = load_recording(root)

    assert followed is not None
    assert followed.events == loaded.events
    assert followed.problems == loaded.problems
    assert (followed.skipped_lines, followed.unknown_events) == (loaded.skipped_lines, loaded.unknown_events)


def test_follower_refuses_a_meta_json_as_the_loader_does(tmp_path: Path) -> None:
    root = record(tmp_path / "rec", THREE)
    set_meta(root, json.dumps({"format": FORMAT_VERSION + 1}))

    with pytest.raises(FormatVersionError):
        RecordingFollower(root).poll()
    set_meta(root, "[1]\n")
    with pytest.raises(RecordingError, match="JSON object"):
        RecordingFollower(root).poll()


# the writer


def test_writer_refuses_a_folder_with_a_recording_and_leaves_it_alone(tmp_path: Path) -> None:
    root = record(tmp_path / "rec", THREE, frames=["000001.png"])
    before = {
        p: p.read_bytes() for p in (root / EVENTS_FILE, root / META_FILE, root / FRAMES_DIR / "000001.png")
    }

    with pytest.raises(RecordingError, match="already holds a recording"):
        RecordingWriter(root, make_meta(title="other")).open()

    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in (root / FRAMES_DIR).iterdir()) == ["000001.png"]


def test_second_writer_is_busy_until_the_first_closes(tmp_path: Path) -> None:
    root = tmp_path / "rec"
    first = open_writer(root, THREE[:1])
    try:
        with pytest.raises(RecorderBusyError) as caught:
            RecordingWriter(root, make_meta()).open()
        first.append(THREE[1])
    finally:
        first.close(ENDED)

    assert caught.value.exit_code == 3
    assert str(root) in str(caught.value) and f"pid {os.getpid()}" in str(caught.value)
    assert load_recording(root).events == THREE[:2]
    with pytest.raises(RecordingError) as again:
        RecordingWriter(root, make_meta()).open()
    assert type(again.value) is RecordingError
    assert "already holds a recording" in str(again.value)


@pytest.mark.parametrize(("fmt", "pillow"), [("webp", "WEBP"), ("png", "PNG")])
def test_write_frame_converts_bgrx_to_rgb_losslessly(tmp_path: Path, fmt: str, pillow: str) -> None:
    # row-major 4x3 BGRX: blue, green, red, white, grey, and one odd colour; the X byte is ignored
    pixels = [(255, 0, 0, 0), (0, 255, 0, 0), (0, 0, 255, 0), (255, 255, 255, 7)] * 2
    pixels += [(128, 128, 128, 0), (0, 0, 0, 0), (10, 20, 30, 99), (0, 0, 255, 255)]
    writer = RecordingWriter(tmp_path / "rec", make_meta(), frame_format(fmt))
    writer.open()
    try:
        name = writer.next_frame_name()
        writer.write_frame(name, bytearray(b"".join(bytes(p) for p in pixels)), SIZE)
    finally:
        writer.close(ENDED)

    assert name == f"000001.{fmt}"
    frames = tmp_path / "rec" / FRAMES_DIR
    assert [p.name for p in frames.iterdir()] == [name]
    with Image.open(frames / name) as image:
        assert (image.format, image.mode, image.size) == (pillow, "RGB", SIZE)
        assert image.getpixel((2, 0)) == (255, 0, 0)
        shown = [image.getpixel((x, y)) for y in range(SIZE[1]) for x in range(SIZE[0])]
    assert shown == [(r, g, b) for b, g, r, _ in pixels]


def test_writer_makes_the_folder_owner_only(tmp_path: Path) -> None:
    record(tmp_path / "deep" / "rec", THREE)
    assert stat.S_IMODE((tmp_path / "deep" / "rec").stat().st_mode) == 0o700


def test_frame_names_count_up(tmp_path: Path) -> None:
    writer = RecordingWriter(tmp_path / "rec", make_meta())
    assert [writer.next_frame_name() for _ in range(3)] == ["000001.webp", "000002.webp", "000003.webp"]
    png = RecordingWriter(tmp_path / "old", make_meta(), frame_format("png"))
    assert [png.next_frame_name() for _ in range(2)] == ["000001.png", "000002.png"]


def test_a_pillow_without_webp_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("capture.frames.features.check", lambda feature: feature != "webp")
    with pytest.raises(BackendUnavailableError, match=r"without WebP support.*--frame-format png"):
        RecordingWriter(tmp_path / "rec", make_meta()).open()
    assert not (tmp_path / "rec").exists()
    record_png = RecordingWriter(tmp_path / "png", make_meta(), frame_format("png"))
    record_png.open()
    record_png.close(ENDED)


def test_unknown_frame_format_names_the_choices() -> None:
    with pytest.raises(VsopError, match="'jpeg': unknown; choose one of png, webp"):
        frame_format("jpeg")


def test_a_real_format_1_recording_with_png_frames_still_loads() -> None:
    # shipped with the package, recorded before frames could be WebP
    root = Path(__file__).resolve().parents[1] / "generator" / "sample" / "recordings" / "sign-in"
    assert json.loads((root / META_FILE).read_text())["format"] == 1 < FORMAT_VERSION

    loaded = load_recording(root)

    assert (loaded.problems, loaded.skipped_lines) == ((), 0)
    frames = [e.frame for e in loaded.events if isinstance(e, MouseButtonEvent) and e.frame is not None]
    assert frames and all(f.file.endswith(".png") for f in frames)
    with Image.open(loaded.frame_path(frames[0])) as image:
        assert image.format == "PNG" and image.size == (1280, 800)


def test_png_and_webp_frames_load_side_by_side(tmp_path: Path) -> None:
    old, new = press(1.0, frame="000001.png"), press(2.0, frame="000002.webp")
    root = record(tmp_path / "rec", [old, new], frames=["000002.webp"])
    (root / FRAMES_DIR / "000001.png").write_bytes(_encoded("png"))  # as a format 1 recorder wrote it

    loaded = load_recording(root)

    assert loaded.events == (old, new) and loaded.problems == ()
    for event, pillow in zip(loaded.events, ("PNG", "WEBP"), strict=True):
        assert isinstance(event, MouseButtonEvent) and event.frame is not None
        with Image.open(loaded.frame_path(event.frame)) as image:
            assert (image.format, image.convert("RGB").getpixel((0, 0))) == (pillow, (255, 0, 0))


def _encoded(fmt: str) -> bytes:
    out = io.BytesIO()
    encode_grab(frame_format(fmt), bgrx(), SIZE, out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["000001.jpg", "000001.webp.png.exe", "000001.WEBP", "000001"])
def test_frame_name_with_another_suffix_is_rejected(tmp_path: Path, name: str) -> None:
    root = record(tmp_path / "rec", THREE)
    line = {"type": "capture", "t": 1.6, "x": 1, "y": 2, "frame": {"file": name, "monitor": 1, "t": 1.6}}
    set_line(root, 2, json.dumps(line).encode() + b"\n")

    loaded = load_recording(root)

    assert loaded.skipped_lines == 1
    assert "*.webp or *.png" in loaded.problems[0].message
