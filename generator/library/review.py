"""The review cycle of a library's guides (``vsop review``, ``vsop status``). A guide is due for review
``review_every`` (its own, else the library's) after ``reviewed``, else after its latest revision; the rules
are the site's too."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from pathlib import Path

from generator.guide.control import ControlStatus, control_view
from generator.guide.durations import parse_date, parse_duration
from generator.guide.model import Guide, LibrarySettings
from generator.library.layout import library_of
from generator.library.rewrite import rewrite_guide
from generator.library.scan import Failure, scan_library
from generator.valuestream.store import load_settings


@dataclass(frozen=True, slots=True)
class GuideStatus:
    id: str
    title: str
    stage: str | None
    version: str
    reviewed: datetime.date | None  # ``reviewed``, else the latest revision's date
    due: datetime.date | None
    overdue: bool  # never for a retired guide
    control: ControlStatus = "draft"  # document control: draft, approved or retired (guide/control.py)
    number: str | None = None  # the document number


@dataclass(frozen=True, slots=True)
class Status:
    guides: tuple[GuideStatus, ...]
    failures: tuple[Failure, ...]  # guides whose guide.yml is invalid

    @property
    def overdue(self) -> tuple[GuideStatus, ...]:
        return tuple(g for g in self.guides if g.overdue)

    @property
    def drafts(self) -> tuple[GuideStatus, ...]:
        """Guides whose current version awaits approval."""
        return tuple(g for g in self.guides if g.control == "draft")

    @property
    def retired(self) -> tuple[GuideStatus, ...]:
        return tuple(g for g in self.guides if g.control == "retired")


def review_guide(guide_file: Path, day: datetime.date | None = None) -> Guide:
    """Mark the guide reviewed on ``day`` (default today): guide.yml rewritten atomically, guide.md again."""
    library_of(guide_file)  # a guide outside a library is refused before anything is written
    date = (day or datetime.date.today()).isoformat()
    return rewrite_guide(guide_file, lambda guide: dataclasses.replace(guide, reviewed=date)).guide


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
            overdue=is_overdue(e.guide, settings, day) and control_view(e.guide).status != "retired",
            control=control_view(e.guide).status,
            number=control_view(e.guide).number,
        )
        for e in scan.entries
    )
    return Status(guides, scan.failures)


def last_reviewed(guide: Guide) -> datetime.date | None:
    """``reviewed``, else the date of the latest revision; None when neither is a date."""
    dates = [guide.reviewed] if guide.reviewed else [r.date for r in guide.revisions]
    parsed = [d for d in map(_date, dates) if d is not None]
    return max(parsed, default=None)


def review_due(guide: Guide, settings: LibrarySettings) -> datetime.date | None:
    last = last_reviewed(guide)
    if last is None:
        return None
    every = parse_duration(guide.review_every) if guide.review_every else settings.review_every
    return last + datetime.timedelta(seconds=every)


def is_overdue(guide: Guide, settings: LibrarySettings, today: datetime.date) -> bool:
    due = review_due(guide, settings)
    return due is not None and due < today


def _date(text: str) -> datetime.date | None:
    """The date ``text`` (years 1900 to 2999, so that a due date can be counted), else None."""
    try:
        return parse_date(text)
    except ValueError:
        return None
