"""The ``vsop`` group imports a command's module only when that command runs (click's "lazily loading
subcommands" pattern): ``vsop --help``, ``vsop --version`` and a mistyped command import none of them, so none
of the pipeline, the images, the templates or the site engine; ``vsop export`` imports its own module alone.
The group's table gives each command's module and the one line ``vsop --help`` shows for it."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from gettext import gettext as _
from typing import Any

import click


@dataclass(frozen=True, slots=True)
class Lazy:
    """Where a command is (``module``, ``attribute``) and its ``summary``: the first sentence of its help, the
    line ``vsop --help`` shows (tests/test_cli_lazy.py holds it to the command's own help)."""

    module: str
    attribute: str
    summary: str


class LazyGroup(click.Group):
    """A group whose commands are imported from their :class:`Lazy` entry on first use."""

    def __init__(self, *args: Any, lazy: Mapping[str, Lazy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = self.lazy.get(cmd_name)
        if entry is not None and cmd_name not in self.commands:
            command = getattr(importlib.import_module(entry.module), entry.attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{entry.module}.{entry.attribute} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """As click's, with "Did you mean" drawn from every command, loaded or not."""
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            names = self.list_commands(ctx)
            raise click.exceptions.NoSuchCommand(exc.command_name, possibilities=names, ctx=ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their one-line help, as click writes them; a command not loaded yet is shown from
        the table, without importing it."""
        shown = [(name, self._summary(ctx, name)) for name in self.list_commands(ctx)]
        rows = [(name, summary) for name, summary in shown if summary is not None]
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section(_("Commands")):
                formatter.write_dl([(name, summary.get_short_help_str(limit)) for name, summary in rows])

    def _summary(self, ctx: click.Context, name: str) -> click.Command | None:
        """What gives the line of ``name`` in the help: the command when loaded, else a stand-in holding the
        table's summary; None for a hidden command."""
        entry = self.lazy.get(name)
        if entry is not None and name not in self.commands:
            return click.Command(name, help=entry.summary)
        command = super().get_command(ctx, name)
        return None if command is None or command.hidden else command
