"""The commands of a new recording of a guide's process: ``vsop diff`` (compare, write nothing) and ``vsop
update`` (the guide's next version), with the comparison shown as a table in the terminal or as Markdown
(templates/diff.md.j2). The work is :mod:`generator.rerecord.update`'s."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from generator.cli.options import (
    format_option,
    guide_argument,
    guide_library,
    progress_bar,
    recording_argument,
)
from generator.render.environment import environment
from generator.render.step_text import plain_text
from generator.rerecord.compare import Comparison, Row
from generator.rerecord.update import MIN_SIMILARITY, UpdateOptions, diff_guide, refusal, update_guide

_STYLE = {"same": "dim", "changed": "yellow", "added": "green", "removed": "red"}
_WHAT = {"target": "renamed", "value": "other value", "window": "other window", "screen": "new screenshot"}


@click.command("diff")
@guide_argument
@recording_argument
@format_option("text")
@guide_library()
def diff_command(guide: Path, recording: Path, fmt: str) -> None:
    """Compare GUIDE with RECORDING, a new recording of its process, without writing anything."""
    with progress_bar() as report:
        result = diff_guide(guide, recording, progress=report)
    if fmt == "md":
        click.echo(markdown(result), nl=False)
        return
    console = Console()
    console.print(table(result))
    console.print(headline(result), markup=False)
    if result.to_review:
        console.print(check_first(result), markup=False)
    console.print(f"summary: {plain_text(result.after.revisions[-1].summary)}", markup=False)
    if result.similarity < MIN_SIMILARITY:
        console.print(refusal(guide, recording, result.similarity), markup=False)


@click.command("update")
@guide_argument
@recording_argument
@click.option("--version", "version", help="The new version (default: bumped; must be above the current).")
@click.option("--author", help="Author of the revision (default: git config user.name of the library).")
@click.option("--force", is_flag=True, help="Update even if RECORDING looks like another process.")
@guide_library()
def update_command(
    guide: Path, recording: Path, version: str | None, author: str | None, force: bool
) -> None:
    """Make RECORDING, a new recording of GUIDE's process, the guide's next version; prints what changed."""
    with progress_bar() as report:
        result = update_guide(guide, recording, UpdateOptions(version, author, force), progress=report)
    click.echo(headline(result))
    click.echo(f"summary: {plain_text(result.after.revisions[-1].summary)}")
    for warning in result.warnings:
        click.echo(f"check: {warning}", err=True)
    click.echo(str(guide.parent))


def changes(row: Row) -> str:
    """What changed in a row, in words ("renamed, new screenshot"; "new step"; "removed")."""
    if row.kind == "added":
        return "new step"
    if row.kind == "removed":
        return "removed"
    return ", ".join(_WHAT[w] for w in row.changed) or "same"


def table(result: Comparison) -> Table:
    """The comparison for a terminal: old and new step numbers, what changed, the step; coloured by kind."""
    grid = Table(title=f"{result.before.title}: {result.before.version} -> {result.after.version}")
    for name in ("old", "new", "change", "named by", "step"):
        grid.add_column(name, justify="right" if name in ("old", "new") else "left")
    for row in result.rows:
        text = plain_text(row.new_text or row.old_text or "")
        if row.kind == "changed" and row.old_text and row.old_text != row.new_text:
            text = f"{plain_text(row.old_text)} -> {text}"
        old, new = (str(n) if n else "" for n in (row.old, row.new))
        style = "bold magenta" if row.review else _STYLE[row.kind]
        grid.add_row(old, new, changes(row), named_by(row), text, style=style)
    return grid


def named_by(row: Row) -> str:
    """Where the step's name came from and how sure it is ("ocr 45%, check"); empty for unnamed kinds."""
    if row.source is None or row.confidence is None:
        return ""
    return f"{row.source} {row.confidence:.0%}{', check' if row.review else ''}"


def check_first(result: Comparison) -> str:
    """The new steps whose names are unsure, least sure first."""
    items = ", ".join(f"step {r.new} ({named_by(r).removesuffix(', check')})" for r in result.to_review)
    return f"check first (unsure names): {items}"


def markdown(result: Comparison) -> str:
    """The comparison as Markdown (``vsop diff --format md``), for a review or a pull request."""
    return (
        environment()
        .get_template("diff.md.j2")
        .render(c=result, changes=[changes(r) for r in result.rows], named=[named_by(r) for r in result.rows])
    )


def headline(result: Comparison) -> str:
    """One line: similarity, counts of changed, new and removed steps, and the version bump."""
    return (
        f"similarity {result.similarity:.0%}; {result.count('changed')} changed, "
        f"{result.count('added')} new, {result.count('removed')} removed: "
        f"version {result.before.version} -> {result.after.version} ({result.bump})"
    )
