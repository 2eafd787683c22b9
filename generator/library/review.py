"""``vsop review`` and ``vsop status``: the review cycle of a library's guides. A guide is due for review
``review_every`` (its own, else the library's) after ``reviewed``, else after its latest revision; the rules
are the site's (``generator/publish/metrics.py``)."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from generator.errors import GuideError
from generator.guide.model import Guide
from generator.guide.store import load_guide
from generator.library.layout import resolve_guide
from generator.library.stage import library_of, save_guide_and_page
from generator.publish.metrics import is_overdue, last_reviewed, review_due
from generator.publish.scan import Failure, scan_library
from generator.valuestream.store import load_settings


@dataclass(frozen=True, slots=True)
class GuideStatus:
    id: str
    title: str
    stage: str | None
    version: str
    reviewed: datetime.date | None  # ``reviewed``, else the latest revision's date
    due: datetime.date | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class Status:
    guides: tuple[GuideStatus, ...]
    failures: tuple[Failure, ...]  # guides whose guide.yml is invalid

    @property
    def overdue(self) -> tuple[GuideStatus, ...]:
        return tuple(g for g in self.guides if g.overdue)


def review_guide(guide_file: Path, day: datetime.date | None = None) -> Guide:
    """Mark the guide reviewed on ``day`` (default today): guide.yml rewritten atomically, guide.md again."""
    guide = load_guide(guide_file)
    library_of(guide_file)  # a guide outside a library is refused before anything is written
    reviewed = dataclasses.replace(guide, reviewed=(day or datetime.date.today()).isoformat())
    return save_guide_and_page(guide_file, reviewed)


def library_status(library: Path, today: datetime.date | None = None) -> Status:
    """Every guide of ``library`` with its review dates, judged on ``today``."""
    settings = load_settings(library)
    day = today or datetime.date.today()
    scan = scan_library(library)
    guides = tuple(
        GuideStatus(
            id=e.slug,
            title=e.guide.title,
            stage=e.guide.stage,
            version=e.guide.version,
            reviewed=last_reviewed(e.guide),
            due=review_due(e.guide, settings),
            overdue=is_overdue(e.guide, settings, day),
        )
        for e in scan.entries
    )
    return Status(guides, scan.failures)


def _date(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date like 2026-11-22, found {value!r}") from None


_DATE = click.option("--date", "day", metavar="YYYY-MM-DD", help="The date to use instead of today.")


@click.command("review")
@click.argument("guide")
@_DATE
@click.option(
    "--library", "-l", type=click.Path(file_okay=False, path_type=Path), help="Library of GUIDE ids."
)
def review_command(guide: str, day: str | None, library: Path | None) -> None:
    """Mark GUIDE as reviewed today (or on --date); prints when the next review is due."""
    path = resolve_guide(guide, library)
    result = review_guide(path, _date(day))
    due = review_due(result, load_settings(library_of(path)))
    click.echo(f"{result.id}: reviewed {result.reviewed}; next review due {due.isoformat() if due else '-'}")


@click.command("status")
@click.argument("library", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_DATE
def status_command(library: Path, day: str | None) -> None:
    """List the guides of LIBRARY with version and review dates; exit 1 when any is overdue for review."""
    status = library_status(library, _date(day))
    grid = Table(title=f"{len(status.guides)} guides in {library}")
    for name in ("guide", "stage", "version", "reviewed", "due", ""):
        grid.add_column(name)
    for g in status.guides:
        dates = [d.isoformat() if d else "-" for d in (g.reviewed, g.due)]
        grid.add_row(
            g.id,
            g.stage or "-",
            g.version,
            *dates,
            "OVERDUE" if g.overdue else "",
            style="red" if g.overdue else None,
        )
    console = Console()
    if console.is_terminal:
        console.print(grid)
    else:  # whole ids and dates for a CI log, one guide a line
        for g in status.guides:
            dates = [d.isoformat() if d else "-" for d in (g.reviewed, g.due)]
            line = [g.id, g.stage or "-", g.version, *dates, *(["OVERDUE"] if g.overdue else [])]
            click.echo("\t".join(line))
    problems = [f"overdue for review: {g.id} (due {g.due})" for g in status.overdue]
    problems += [f"invalid: {f.message}" for f in status.failures]
    if problems:
        raise GuideError(
            f"{len(status.overdue)} guide(s) overdue, {len(status.failures)} invalid:\n  "
            + "\n  ".join(problems)
        )
    console.print("no guide is overdue for review", markup=False)
