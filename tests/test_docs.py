"""The docs keep up with the code (in the manner of datasette's tests/test_docs.py): every `vsop` command and
option is in the README, every recording event type and field in docs/recording-format.md. The field tables
of docs/guide-format.md are held to the guide.yml schema itself in tests/test_guide_schema.py."""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from capture import models as recording
from generator.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
RECORDING_FORMAT = (ROOT / "docs" / "recording-format.md").read_text(encoding="utf-8")


def _commands(group: click.Group, path: str) -> Iterator[tuple[str, click.Command]]:
    """Every command under ``group`` with its full name (``vsop build``), groups and their subcommands too."""
    yield path, group
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            yield from _commands(command, f"{path} {name}")
        else:
            yield f"{path} {name}", command


COMMANDS = dict(_commands(cli, "vsop"))


def _long_options(command: click.Command) -> list[str]:
    return [
        opt
        for param in command.params
        if isinstance(param, click.Option)
        for opt in (*param.opts, *param.secondary_opts)
        if opt.startswith("--") and opt != "--help"
    ]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_and_its_options_are_in_the_readme(name: str) -> None:
    shown = f"`{name}" in README or re.search(rf"^{name}\b", README, re.MULTILINE)  # inline or a code block
    assert name == "vsop" or shown, f"command `{name}` is not documented in README.md"
    for opt in _long_options(COMMANDS[name]):
        assert f"`{opt}" in README, f"option {opt} of `{name}` is not documented in README.md"


def _documented(field: str, doc: str) -> bool:
    """``field`` named in code (`` `field` ``) or as a key of an example (``field:`` / ``"field":``)."""
    return re.search(rf"`{field}`|(?<![\w-]){field}:|\"{field}\":", doc) is not None


def _event_types() -> dict[str, type]:
    """Each ``type`` an event of events.jsonl can have, with its record class (``capture.models.Event``)."""
    return {
        kind: cls
        for cls in typing.get_args(recording.Event)
        for kind in typing.get_args(typing.get_type_hints(cls)["type"])
    }


def _event_row(kind: str) -> str:
    """The row of the events table of docs/recording-format.md whose first cell names ``kind``."""
    for line in RECORDING_FORMAT.splitlines():
        cells = line.split("|")
        if len(cells) > 2 and f"`{kind}`" in cells[1]:
            return line
    raise AssertionError(f"event type `{kind}` has no row in the events table of docs/recording-format.md")


@pytest.mark.parametrize("kind", sorted(_event_types()))
def test_event_type_and_its_fields_are_in_the_recording_format(kind: str) -> None:
    row = _event_row(kind)
    for field in dataclasses.fields(_event_types()[kind]):
        if field.name not in ("type", "t"):  # every event has them, said once above the table
            assert f"`{field.name}`" in row, (
                f"field `{field.name}` of event `{kind}` is not in its row of docs/recording-format.md"
            )


RECORDING_RECORDS = (
    recording.Meta,
    recording.Monitor,
    recording.WindowInfo,
    recording.FrameRef,
    recording.Element,
    recording.Accessibility,
)


@pytest.mark.parametrize(
    ("record", "field"),
    [(r.__name__, f.name) for r in RECORDING_RECORDS for f in dataclasses.fields(r)],
)
def test_recording_field_is_in_the_recording_format(record: str, field: str) -> None:
    assert _documented(field, RECORDING_FORMAT), (
        f"{record} field `{field}` is not in docs/recording-format.md"
    )
