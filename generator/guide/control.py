"""Document control of one guide, as a quality system reads it (ISO 9001 7.5): its number, owner, status,
who approved the version in force and when, and the versions it superseded.

Takes a :class:`~generator.guide.model.Guide` (its ``control:`` block, docs/guide-format.md); gives a
:class:`ControlView` that the site, the exports and ``vsop status`` show. A version has no approval until
``vsop approve`` gives it one, so a version made by ``vsop generate``, ``vsop update`` or an edit is a draft
with nothing to reset.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Literal

from generator.guide.durations import parse_date
from generator.guide.model import Approval, Control, Guide
from generator.guide.schema import write_record

ControlStatus = Literal["draft", "approved", "retired"]


@dataclass(frozen=True, slots=True)
class ControlView:
    """What a document-control block shows. ``approver`` and ``approved_on`` are those of the current
    version (None while it is a draft); ``effective`` is the latest approved version, the one in force
    (the current one when approved, an earlier one while the current one is a draft, None when never
    approved); ``superseded`` the approved versions before it, oldest first."""

    number: str | None
    title: str
    version: str
    status: ControlStatus
    owner: str | None
    approver: str | None
    approved_on: datetime.date | None  # the effective date of the current version
    next_review: datetime.date | None
    superseded: tuple[str, ...]
    effective: Approval | None = None
    retired_on: datetime.date | None = None
    retired_reason: str | None = None

    @property
    def draft(self) -> bool:
        return self.status == "draft"


def control_view(
    guide: Guide, stage_owner: str | None = None, *, next_review: datetime.date | None = None
) -> ControlView:
    """The document control of ``guide``; ``stage_owner`` is the owner of its stage (valuestream.yml),
    ``next_review`` its next review date (generator/library/review.py; the library's ``guide_control``
    gives both)."""
    control = guide.control or Control()
    current = current_approval(guide)
    effective = latest_approval(guide)
    retired = control.retired
    return ControlView(
        number=control.number,
        title=guide.title,
        version=guide.version,
        status="retired" if retired else "approved" if current else "draft",
        owner=control.owner or stage_owner,
        approver=current.by if current else None,
        approved_on=_day(current.date) if current else None,
        next_review=next_review,
        superseded=superseded(guide),
        effective=effective,
        retired_on=_day(retired.date) if retired else None,
        retired_reason=retired.reason if retired else None,
    )


def approvals(guide: Guide) -> list[Approval]:
    return list(guide.control.approvals) if guide.control else []


def current_approval(guide: Guide) -> Approval | None:
    """The approval of the guide as it is: the latest approval, when it is of the current version and of
    its content (no edit since)."""
    latest = latest_approval(guide)
    return latest if latest is not None and approves(latest, guide) else None


def approves(approval: Approval, guide: Guide) -> bool:
    """Whether ``approval`` is of ``guide`` as it is: its version, and its content when it has one."""
    same = approval.content is None or approval.content == fingerprint(guide)
    return approval.version == guide.version and same


def fingerprint(guide: Guide) -> str:
    """What an approval is of: the title, purpose, prerequisites and steps (not the stage, the review dates,
    the revisions nor the control block), hashed; 16 hex digits."""
    content = (
        guide.version,
        guide.title,
        guide.purpose,
        guide.prerequisites,
        [write_record(s) for s in guide.steps],
    )
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def latest_approval(guide: Guide) -> Approval | None:
    found = approvals(guide)
    return found[-1] if found else None


def superseded(guide: Guide) -> tuple[str, ...]:
    """The approved versions before the latest approved one, oldest first, each once."""
    found = approvals(guide)
    latest = found[-1].version if found else None
    seen: list[str] = []
    for approval in found[:-1]:
        if approval.version != latest and approval.version not in seen:
            seen.append(approval.version)
    return tuple(seen)


def approval_of(guide: Guide, version: str) -> Approval | None:
    """The latest approval of ``version``."""
    return next((a for a in reversed(approvals(guide)) if a.version == version), None)


def _day(text: str) -> datetime.date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None
