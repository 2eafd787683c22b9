"""Which version of each guide the site publishes (document control, generator/guide/control.py).

By default the site is for the people who do the work: each guide's latest approved version, with its
document-control block; a guide whose current version is a draft shows its approved version from git (when
the library is a git repository and has it), else it is listed as a draft awaiting approval, not published.
A guide never approved is listed as a draft; a retired one under "Retired SOPs". Earlier approved versions are
published as superseded. With ``drafts`` (``vsop build --drafts``, ``vsop serve``: for authors) every guide
that is not retired is published as it is, a draft with a "Draft, not approved" banner.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.guide.control import ControlView, approval_of, approvals, current_approval
from generator.guide.model import Guide, LibrarySettings, ValueStream
from generator.library.control import control_of
from generator.library.scan import Entry
from generator.publish import history
from generator.render.guide_page import DocControl, PageState, SiteLinks


@dataclass(frozen=True, slots=True)
class ControlRow:
    """A guide not published as an SOP: a draft awaiting approval, or a retired guide."""

    slug: str
    title: str
    stage: str | None
    number: str | None
    version: str
    effective: str | None  # the approved version the site shows meanwhile, if any
    retired_on: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Selection:
    entries: tuple[Entry, ...]  # what the site publishes (an approved version from git where needed)
    blocks: dict[str, DocControl]  # guide id -> the document-control block of its page
    superseded: dict[str, tuple[history.Earlier, ...]]  # guide id -> its superseded approved versions
    pending: tuple[ControlRow, ...]  # drafts awaiting approval (published or not)
    retired: tuple[ControlRow, ...]
    views: dict[str, ControlView]  # guide id -> its document control, as guide.yml has it now
    current: dict[str, Guide]  # guide id -> the guide as guide.yml has it now
    library: Path

    def links(self, links: SiteLinks, slug: str, control: DocControl | None = None) -> SiteLinks:
        """``links`` of the guide's main page (or of an earlier version's page, with its ``control``) with
        the document-control block and the guide's approvals."""
        approved = tuple((a.version, a.by, a.date) for a in approvals(self.current[slug]))
        return dataclasses.replace(links, control=control or self.blocks.get(slug), approvals=approved)

    def earlier_links(self, links: SiteLinks, slug: str, old: Guide) -> SiteLinks:
        """``links`` of the page of an earlier version: superseded when it was approved."""
        current, view = self.current[slug], self.views[slug]
        if approval_of(current, old.version) is None:
            return links
        in_force = view.effective is not None and view.effective.version == old.version
        state: PageState = "approved" if in_force else "superseded"
        return self.links(links, slug, block(view, old, current, state))


def select(
    library: Path, entries: Sequence[Entry], settings: LibrarySettings, vs: ValueStream, drafts: bool
) -> Selection:
    views = {e.slug: control_of(e.guide, settings, vs) for e in entries}
    active = [e for e in entries if views[e.slug].status != "retired"]
    retired = tuple(
        _row(e.guide, views[e.slug], e.slug) for e in entries if views[e.slug].status == "retired"
    )
    pending = tuple(_row(e.guide, views[e.slug], e.slug) for e in active if views[e.slug].status == "draft")
    approved = history.approved_versions(library, active)
    superseded = {
        e.slug: tuple(approved[(e.slug, v)] for v in views[e.slug].superseded if (e.slug, v) in approved)
        for e in active
    }
    published: list[Entry] = []
    blocks: dict[str, DocControl] = {}
    for entry in active:
        view = views[entry.slug]
        shown = entry if drafts or view.status == "approved" else _effective(entry, view, approved)
        if shown is None:
            continue
        published.append(shown)
        blocks[entry.slug] = block(view, shown.guide, entry.guide)
    current = {e.slug: e.guide for e in entries}
    return Selection(tuple(published), blocks, superseded, pending, retired, views, current, library)


def _effective(
    entry: Entry, view: ControlView, approved: dict[tuple[str, str], history.Earlier]
) -> Entry | None:
    """The entry of the guide's approved version from git, or None when git does not have it."""
    if view.effective is None:
        return None
    old = approved.get((entry.slug, view.effective.version))
    if old is None:
        return None
    return Entry(old.folder, old.guide, old.commit, entry.runs)


def block(view: ControlView, shown: Guide, current: Guide, state: PageState | None = None) -> DocControl:
    """The document-control block of a page showing ``shown`` (the current version or an earlier one) of the
    guide whose guide.yml is now ``current``."""
    mine = current_approval(current) if shown is current else approval_of(current, shown.version)
    if state is None:
        approved = mine is not None and (shown is not current or view.status == "approved")
        state = "approved" if approved else "draft"
        if shown is not current and view.effective is not None and shown.version != view.effective.version:
            state = "superseded"
    return DocControl(
        number=view.number,
        owner=view.owner,
        version=shown.version,
        state=state,
        approver=mine.by if mine and state != "draft" else None,
        effective=mine.date if mine and state != "draft" else None,
        next_review=view.next_review.isoformat() if view.next_review else None,
        effective_version=view.effective.version if view.effective else None,
    )


def superseded_block(view: ControlView, old: Guide, current: Guide) -> DocControl:
    return block(view, old, current, "superseded")


def _row(guide: Guide, view: ControlView, slug: str) -> ControlRow:
    return ControlRow(
        slug=slug,
        title=guide.title,
        stage=guide.stage,
        number=view.number,
        version=guide.version,
        effective=view.effective.version if view.effective and view.status == "draft" else None,
        retired_on=view.retired_on.isoformat() if view.retired_on else None,
        reason=view.retired_reason,
    )
