"""Document control in a library (``vsop approve``, ``vsop retire``): the guide's ``control:`` block changed
under the library's lock (generator/library/rewrite.py), and each guide's :class:`ControlView` with its
stage's owner and its next review date, as the site, the exports and ``vsop status`` show it."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from pathlib import Path

from generator.errors import GuideError
from generator.guide.control import ControlView, control_view, current_approval, fingerprint, latest_approval
from generator.guide.durations import parse_date
from generator.guide.model import Approval, Control, Guide, LibrarySettings, Retirement, ValueStream
from generator.guide.store import load_guide
from generator.library.layout import library_of
from generator.library.numbers import assign_number
from generator.library.review import review_due
from generator.library.rewrite import rewrite_guide
from generator.valuestream.store import load_settings, load_valuestream


@dataclass(frozen=True, slots=True)
class Approved:
    guide: Guide
    approval: Approval
    number: str


def guide_control(guide_file: Path) -> ControlView:
    """The document control of the guide at ``guide_file``, with its library's owners and review rules (a
    guide outside a library: no stage owner, the default review interval)."""
    guide = load_guide(guide_file)
    try:
        library = library_of(guide_file)
    except GuideError:
        return control_of(guide, LibrarySettings(), None)
    return control_of(guide, load_settings(library), load_valuestream(library))


def control_of(guide: Guide, settings: LibrarySettings, valuestream: ValueStream | None) -> ControlView:
    stage = valuestream.stage(guide.stage) if valuestream and guide.stage else None
    owner = stage.owner if stage else None
    return control_view(guide, owner, next_review=review_due(guide, settings))


def approve_guide(guide_file: Path, by: str | None, day: datetime.date | None = None) -> Approved:
    """Approve the guide's current version as ``by`` on ``day`` (default today); the first approval gives
    the guide its document number. Refused without a name, for a retired guide, for a version approved
    already and for a day before the latest approval."""
    name = (by or "").strip()
    if not name:
        raise GuideError(
            f"{guide_file}: no approver: give one with --by NAME (or set git config user.name in the library)"
        )
    library = library_of(guide_file)
    settings = load_settings(library)
    valuestream = load_valuestream(library)
    date = (day or datetime.date.today()).isoformat()

    def approve(guide: Guide) -> Guide:
        _refuse_approval(guide_file, guide, date)
        control = guide.control or Control()
        number = control.number
        if number is None:
            stage = valuestream.stage(guide.stage) if guide.stage else None
            number = assign_number(library, guide, stage.stream if stage else None, settings.number_pattern)
        approval = Approval(guide.version, name, date, fingerprint(guide))
        approvals = [*control.approvals, approval]
        return dataclasses.replace(
            guide, control=dataclasses.replace(control, number=number, approvals=approvals)
        )

    guide = rewrite_guide(guide_file, approve).guide
    assert guide.control is not None and guide.control.number is not None
    return Approved(guide, guide.control.approvals[-1], guide.control.number)


def _refuse_approval(guide_file: Path, guide: Guide, date: str) -> None:
    control = guide.control or Control()
    if control.retired is not None:
        raise GuideError(
            f"{guide_file}: the guide was retired on {control.retired.date} ({control.retired.reason}); "
            "a retired guide is not approved"
        )
    done = current_approval(guide)
    latest = latest_approval(guide)
    if done is not None:
        raise GuideError(
            f"{guide_file}: version {guide.version} was approved by {done.by} on {done.date} already; "
            "a new version (vsop update, an edit) can be approved"
        )
    if latest is not None and _day(latest.date) > parse_date(date):
        raise GuideError(
            f"{guide_file}: --date {date} is before the latest approval ({latest.version} on {latest.date}); "
            "approvals are kept in order: give a later date"
        )


def retire_guide(guide_file: Path, reason: str, day: datetime.date | None = None) -> Guide:
    """Take the guide out of use on ``day`` (default today) for ``reason``; it stays in the library."""
    why = reason.strip()
    if not why:
        raise GuideError(f"{guide_file}: no reason: say why the guide is retired with --reason TEXT")
    library_of(guide_file)
    date = (day or datetime.date.today()).isoformat()

    def retire(guide: Guide) -> Guide:
        control = guide.control or Control()
        if control.retired is not None:
            raise GuideError(
                f"{guide_file}: the guide was retired on {control.retired.date} already "
                f"({control.retired.reason})"
            )
        return dataclasses.replace(guide, control=dataclasses.replace(control, retired=Retirement(date, why)))

    return rewrite_guide(guide_file, retire).guide


def _day(text: str) -> datetime.date:
    try:
        return parse_date(text)
    except ValueError:
        return datetime.date.min
