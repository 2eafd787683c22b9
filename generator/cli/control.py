"""Document control: ``vsop approve`` (the current version of a guide, by a named person) and ``vsop retire``
(a guide out of use, kept in the library). Each parses, calls generator/library/control.py, and prints."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import click

from generator.cli.options import guide_argument, guide_library
from generator.guide.durations import parse_date
from generator.library.control import approve_guide, retire_guide
from generator.library.layout import library_of
from generator.library.review import Status


def _day(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--date") from None


_DATE = click.option("--date", "day", metavar="YYYY-MM-DD", help="The date to use instead of today.")


@click.command("approve")
@guide_argument
@click.option("--by", metavar="NAME", help="Who approves (default: git config user.name in the library).")
@_DATE
@guide_library()
def approve_command(guide: Path, by: str | None, day: str | None) -> None:
    """Approve the current version of GUIDE: it becomes the published, effective version."""
    from generator.rerecord.update import git_user

    when = _day(day)
    done = approve_guide(guide, by if by is not None else git_user(library_of(guide)), when)
    a = done.approval
    click.echo(f"{done.guide.id}: {done.number} version {a.version} approved by {a.by}, effective {a.date}")


@click.command("retire")
@guide_argument
@click.option("--reason", required=True, help="Why the guide is taken out of use (shown on the site).")
@_DATE
@guide_library()
def retire_command(guide: Path, reason: str, day: str | None) -> None:
    """Take GUIDE out of use: off the active pages, listed under "Retired SOPs", kept in the library."""
    result = retire_guide(guide, reason, _day(day))
    retired = result.control.retired if result.control else None
    assert retired is not None
    click.echo(f"{result.id}: retired on {retired.date} ({retired.reason})")


GATES = ("draft", "overdue")  # what ``vsop status --fail-on`` can fail on


def fail_on_option(command: Callable[..., None]) -> Callable[..., None]:
    """``--fail-on draft,overdue``: what makes ``vsop status`` exit 1 (a company's SOP repository gates its
    CI on it); invalid guides always do."""
    return click.option(
        "--fail-on",
        default="overdue",
        show_default=True,
        metavar="draft,overdue",
        callback=_gates,
        help="Exit 1 when any guide is a draft awaiting approval (draft) or overdue for review (overdue).",
    )(command)


def _gates(_ctx: click.Context, _param: click.Parameter, value: str) -> frozenset[str]:
    names = {n.strip() for n in value.split(",") if n.strip()}
    unknown = sorted(names - set(GATES))
    if unknown:
        raise click.BadParameter(
            f"unknown {unknown[0]!r}; expected a comma-separated list of {', '.join(GATES)}"
        )
    return frozenset(names)


def control_lines(status: Status) -> list[str]:
    """The drafts awaiting approval and the retired guides, one a line (``vsop status``)."""
    lines = [f"draft awaiting approval: {g.id} {g.version} (vsop approve {g.id})" for g in status.drafts]
    return lines + [f"retired: {g.id} {g.number or '(no number)'}" for g in status.retired]


def gate_problems(status: Status, gates: frozenset[str]) -> list[str]:
    """Why ``vsop status`` fails: each overdue guide and each draft, as ``gates`` asks, and invalid guides."""
    problems = [f"overdue for review: {g.id} (due {g.due})" for g in status.overdue if "overdue" in gates]
    problems += [f"draft awaiting approval: {g.id} {g.version}" for g in status.drafts if "draft" in gates]
    return problems + [f"invalid: {f.message}" for f in status.failures]
