"""The guide page (``templates/guide.md.j2``): a :class:`~generator.guide.model.Guide` becomes the Markdown
of guide.md and of the guide's page on the SOP site. Shown steps are grouped by window into sections and
numbered; the context is typed (:class:`GuideContext`) and holds only what the template shows. Writes no
file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from generator.guide.model import Change, Guide, NoteKind, Step
from generator.images.annotate import full_image_name
from generator.images.edits import has_image_edits
from generator.render.environment import environment
from generator.render.step_text import plain_text, text_or_none
from generator.runs.summary import RunsSummary


@dataclass(frozen=True, slots=True)
class StepView:
    """One shown step of the guide page; ``number`` counts shown steps only, from 1."""

    number: int
    text: str
    alt: str
    note: str | None
    image: str | None
    full_image: str | None
    note_kind: NoteKind = "note"  # the admonition the note is shown in
    change: Change | None = None  # new or changed in the latest version (vsop update)
    was: str | None = None  # a changed step's text in the previous version (Markdown)


@dataclass(frozen=True, slots=True)
class SectionView:
    window: str | None
    steps: tuple[StepView, ...]


@dataclass(frozen=True, slots=True)
class RevisionView:
    version: str
    date: str
    author: str | None
    summary: str
    url: str | None = None  # on the SOP site: the page of this earlier version, when git has it
    approved: str | None = None  # on the SOP site: who approved this version and when


@dataclass(frozen=True, slots=True)
class ChangesView:
    """What the latest version changed (when ``vsop update`` made it)."""

    version: str
    summary: str
    removed: tuple[str, ...]  # texts of the removed steps (Markdown, as step texts are)


@dataclass(frozen=True, slots=True)
class SiteLinks:
    """Where a guide page sits in the SOP site: links back to its stage and the map, and the files of the
    guide folder (an image links to its full frame when that is among them, else to itself)."""

    map_url: str
    stage_name: str | None = None
    stage_url: str | None = None
    files: frozenset[str] = frozenset()
    history: tuple[tuple[str, str], ...] = ()  # (version, url) of the pages of earlier versions
    current: tuple[str, str] | None = None  # on an earlier version's page: (version, url) of the current one
    edit_url: str | None = None  # served by vsop serve: the address that opens the guide's editor
    runs: RunsSummary | None = None  # the guide's run records (vsop check), summarized
    control: DocControl | None = None  # the document-control block (generator/publish/controlled.py)
    approvals: tuple[tuple[str, str, str], ...] = ()  # (version, by, date) of each approval, oldest first


# What a page shows of its guide: the approved version in force, a draft (vsop build --drafts, vsop serve),
# or an earlier approved version that a later one superseded.
PageState = Literal["approved", "draft", "superseded"]


@dataclass(frozen=True, slots=True)
class DocControl:
    """The document-control block at the top of a guide's page on the site."""

    number: str | None
    owner: str | None
    version: str
    state: PageState
    approver: str | None
    effective: str | None  # the day the shown version was approved
    next_review: str | None
    effective_version: str | None  # the approved version in force (on a draft's page: the one to use)


@dataclass(frozen=True, slots=True)
class TroubleView:
    """A step of the guide that runs skipped or did differently (out of order, another value)."""

    number: int
    text: str  # Markdown, the step's text
    skipped: int
    differently: int


@dataclass(frozen=True, slots=True)
class RunsView:
    """The observed runs of the guide (its run records): how many, how long, how closely they followed it."""

    count: int
    median_s: float
    p90_s: float
    conformance: float  # 0..1, the runs' average
    last: str  # the date of the latest run, ISO
    troubles: tuple[TroubleView, ...]  # most often first


@dataclass(frozen=True, slots=True)
class GuideContext:
    """What ``templates/guide.md.j2`` may use. Title, stage, window titles and revisions are plain text;
    purpose, prerequisites, notes and step texts are Markdown (from vsop's templates or a person)."""

    title: str
    purpose: str | None
    stage: str | None
    version: str
    prerequisites: tuple[str, ...]
    sections: tuple[SectionView, ...]
    revisions: tuple[RevisionView, ...]
    site: SiteLinks | None = None
    changes: ChangesView | None = None
    runs: RunsView | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """Consecutive steps done in one window; the guide page gives each its own heading."""

    window: str | None
    steps: tuple[Step, ...]


def sections_by_window(steps: Sequence[Step]) -> list[Section]:
    """Shown steps grouped by window: a new section wherever the window changes (a step with no window
    stays in the current section). Dropped steps are left out."""
    sections: list[Section] = []
    for step in steps:
        if step.dropped is not None:
            continue
        if sections and step.window in (None, sections[-1].window):
            sections[-1] = Section(sections[-1].window, (*sections[-1].steps, step))
        else:
            sections.append(Section(step.window, (step,)))
    return sections


def guide_markdown(
    guide: Guide,
    sections: Sequence[Section] | None = None,
    *,
    enlarge: bool = True,
    site: SiteLinks | None = None,
) -> str:
    """The guide page (``templates/guide.md.j2``). ``sections`` defaults to :func:`sections_by_window`;
    with ``enlarge`` each image links to its full frame (``<image>-full.png``, see annotate). On the SOP site
    (``site``) the page has a breadcrumb to its stage and the map, and an image without a full frame links
    to itself."""
    chosen = sections_by_window(guide.steps) if sections is None else sections
    ctx = GuideContext(
        title=guide.title,
        purpose=text_or_none(guide.purpose),
        stage=text_or_none(guide.stage),
        version=guide.version,
        prerequisites=tuple(p.strip() for p in guide.prerequisites if p.strip()),
        sections=_section_views(chosen, enlarge, site),
        revisions=_revision_views(guide, site),
        site=site,
        changes=_changes(guide),
        runs=_runs(guide, site.runs) if site is not None and site.runs is not None else None,
    )
    return environment().get_template("guide.md.j2").render(guide=ctx)


def _runs(guide: Guide, summary: RunsSummary) -> RunsView:
    """The summary with the guide's step numbers and texts; a step the guide no longer has is left out."""
    shown = [s for s in guide.steps if s.dropped is None]
    steps = {s.id: (n, s.text.strip()) for n, s in enumerate(shown, start=1)}
    troubles = tuple(
        TroubleView(*steps[t.step], t.skipped, t.differently) for t in summary.troubles if t.step in steps
    )
    last = summary.last.date().isoformat()
    return RunsView(summary.count, summary.median_s, summary.p90_s, summary.conformance, last, troubles)


def _revision_views(guide: Guide, site: SiteLinks | None) -> tuple[RevisionView, ...]:
    urls = dict(site.history) if site is not None else {}
    approved = {v: f"{by}, {day}" for v, by, day in site.approvals} if site is not None else {}
    return tuple(
        RevisionView(r.version, r.date, r.author, r.summary, urls.get(r.version), approved.get(r.version))
        for r in guide.revisions
    )


def _changes(guide: Guide) -> ChangesView | None:
    """What the latest version changed, when ``vsop update`` made it (it marks steps, lists removed ones)."""
    latest = guide.revisions[-1] if guide.revisions else None
    if latest is None or not (latest.removed or any(s.change for s in guide.steps)):
        return None
    return ChangesView(latest.version, latest.summary, tuple(r for r in latest.removed if r.strip()))


def _section_views(
    sections: Sequence[Section], enlarge: bool, site: SiteLinks | None
) -> tuple[SectionView, ...]:
    views: list[SectionView] = []
    number = 0
    for section in sections:
        steps: list[StepView] = []
        for step in section.steps:
            number += 1
            steps.append(_step_view(number, step, enlarge, site))
        views.append(SectionView(text_or_none(section.window), tuple(steps)))
    return tuple(views)


def _step_view(number: int, step: Step, enlarge: bool, site: SiteLinks | None) -> StepView:
    image = step.image or None
    # an edited image is published alone: the full frame shows what a blur hides and a crop leaves out
    full = full_image_name(image) if image and enlarge and not has_image_edits(step) else None
    if image and site is not None:
        full = full if full in site.files else image
    return StepView(
        number=number,
        text=step.text.strip(),
        alt=plain_text(step.text).removesuffix("."),
        note=text_or_none(step.note),
        note_kind=step.note_kind,
        change=step.change,
        was=text_or_none(step.was),
        image=image,
        full_image=full,
    )
