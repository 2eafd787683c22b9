"""What several ``vsop`` commands share, declared once: the library (an argument or ``--library``), GUIDE and
how it is resolved to a guide.yml, RECORDING, a table or Markdown, the site engine, and the progress bar of
long work."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from generator.library.layout import resolve_guide
from generator.library.swap import recover_named
from generator.publish.engine import ENGINES

Decorator = Callable[[Callable[..., None]], Callable[..., None]]

GUIDES_HELP = "Library of GUIDE ids."


def library_argument(*, exists: bool = True) -> Decorator:
    """LIBRARY, the folder of a library (one that must exist, unless ``exists`` is False: ``vsop init``)."""
    return click.argument("library", type=click.Path(exists=exists, file_okay=False, path_type=Path))


def library_option(*, help: str, required: bool = False, default: Path | None = None) -> Decorator:
    """``--library`` / ``-l``, the folder of a library; a ``default`` is shown in the help."""
    folder = click.Path(file_okay=False, path_type=Path)
    if default is None:  # not default=None: click (8.3+) takes that for a value, which satisfies required
        return click.option("--library", "-l", type=folder, required=required, help=help)
    return click.option("--library", "-l", type=folder, default=default, show_default=True, help=help)


guide_argument = click.argument("guide")
"""GUIDE: a guide folder, its guide.yml, or a guide id with ``--library`` (see :func:`guide_library`)."""


def guide_library(help: str = GUIDES_HELP) -> Decorator:
    """``--library`` for a command with a GUIDE argument, and the resolution of GUIDE: the command is called
    with ``guide`` as the path of its guide.yml (:func:`~generator.library.layout.resolve_guide`), without
    ``library``; a GUIDE that names no guide is a :class:`~generator.errors.GuideError`."""

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(command)
        def resolved(guide: str, library: Path | None, **params: object) -> None:
            recover_named(guide, library)
            command(guide=resolve_guide(guide, library), **params)

        return library_option(help=help)(resolved)

    return decorate


recording_argument = click.argument(
    "recording", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
"""RECORDING: the folder of a recording (docs/recording-format.md), which must exist."""


def format_option(terminal: str) -> Decorator:
    """``--format``: ``terminal`` (the default: a table in the terminal) or ``md`` (Markdown), as ``fmt``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice((terminal, "md")),
        default=terminal,
        show_default=True,
        help="A table in the terminal, or Markdown.",
    )


def engine_option(help: str = "Static site engine: MkDocs with Material, or Zensical.") -> Decorator:
    """``--engine``: the static site builder (:data:`~generator.publish.engine.ENGINES`)."""
    return click.option(
        "--engine", type=click.Choice(ENGINES), default="mkdocs", show_default=True, help=help
    )


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback ``(stage, done, total)`` drawn with rich on stderr (hidden when not a terminal)."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield report
