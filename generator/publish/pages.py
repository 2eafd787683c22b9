"""The pages of the SOP site: where each page is and the links between them (paths relative to the project's
``docs/``), the model of the site computed once per build, and the typed contexts of the stage pages, the
coverage page and the guide pages for the templates, with their rendering. The home page with the
value-stream map is in home_page.py, the maturity page in maturity_page.py."""

from __future__ import annotations

import datetime
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from generator.guide.model import Guide, LibrarySettings, ValueStream
from generator.library.review import is_overdue, review_due
from generator.library.scan import Entry
from generator.maturity.levels import NextStep, StageMaturity
from generator.maturity.observed import ScreenTime, screen_time
from generator.publish.controlled import ControlRow
from generator.publish.flow import StageFlow, stage_flows
from generator.publish.metrics import (
    StageMetrics,
    Status,
    StreamCoverage,
    coverage,
    overall_coverage,
    stage_metrics,
)
from generator.render.environment import environment
from generator.render.guide_page import SiteLinks, guide_markdown
from generator.runs.summary import summarize

HOME = "index.md"
COVERAGE = "coverage.md"
MATURITY = "maturity.md"
TEMPLATES = {
    "home": ("home.md.j2", "map.html.j2", "figures.j2"),
    "stage": ("stage.md.j2", "maturity.j2", "figures.j2"),
    "coverage": ("coverage.md.j2",),
    "maturity": ("maturity.md.j2", "maturity.j2"),
    "guide": ("guide.md.j2",),
}


def stage_page(stage_id: str) -> str:
    return f"stages/{stage_id}.md"


def guide_page(slug: str) -> str:
    return f"guides/{slug}/index.md"


def version_page(slug: str, version: str) -> str:
    """The page of an earlier version of a guide (from git, see generator/publish/history.py)."""
    return f"guides/{slug}/v/{version}/index.md"


def link(source: str, target: str) -> str:
    """The relative Markdown link from page ``source`` to page or file ``target`` (both docs-relative)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def html_url(source: str, target: str) -> str:
    """The address of page ``target`` as the built site has it (``use_directory_urls: false``), from
    ``source``: for raw HTML, whose links the engine does not rewrite."""
    return link(source, target).removesuffix(".md") + ".html"


@dataclass(frozen=True, slots=True)
class GuideRow:
    slug: str
    title: str
    url: str
    stage: str | None
    steps: int
    screen: ScreenTime | None  # observed: the median of the guide's runs, else of its recordings
    version: str
    updated: str | None
    due: str | None
    overdue: bool
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProcessRow:
    """An expected process of a stage and the SOPs that document it (none: still to record)."""

    name: str
    guides: tuple[PageLink, ...]


@dataclass(frozen=True, slots=True)
class PageLink:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class StageContext:
    id: str
    name: str
    stream: str
    description: str | None
    owner: str | None
    status: Status
    flow: StageFlow  # the declared process and wait times, lead time, efficiency, the hand-off before
    screen: ScreenTime | None
    maturity: StageMaturity
    processes: tuple[ProcessRow, ...]  # the expected processes; () when the stage has no list
    guides: tuple[GuideRow, ...]
    to_confirm: tuple[GuideRow, ...]
    previous: PageLink | None
    next: PageLink | None
    map_url: str
    coverage_url: str
    maturity_url: str
    drafts: tuple[ControlRow, ...] = ()  # the stage's guides whose current version awaits approval

    @property
    def next_steps(self) -> tuple[NextStep, ...]:
        return self.maturity.next_steps


@dataclass(frozen=True, slots=True)
class CoverageContext:
    streams: tuple[StreamCoverage, ...]
    overall: StreamCoverage
    unassigned: tuple[GuideRow, ...]
    unknown_stage: tuple[GuideRow, ...]
    to_confirm: tuple[GuideRow, ...]
    overdue: tuple[GuideRow, ...]
    review_every_s: float
    map_url: str
    missing: tuple[tuple[PageLink, tuple[str, ...]], ...]  # stages not complete: the processes to record
    # (none named: the stage has no expected list and no SOP)
    maturity_url: str
    drafts: tuple[ControlRow, ...] = ()  # guides whose current version awaits approval
    retired: tuple[ControlRow, ...] = ()


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the pages are made of, computed once per build."""

    vs: ValueStream
    settings: LibrarySettings
    entries: tuple[Entry, ...]
    metrics: tuple[StageMetrics, ...]
    today: datetime.date
    pending: tuple[ControlRow, ...] = ()  # drafts awaiting approval (generator/publish/controlled.py)
    retired: tuple[ControlRow, ...] = ()  # retired guides, kept in the library


def site_model(
    vs: ValueStream, settings: LibrarySettings, entries: Sequence[Entry], today: datetime.date
) -> Site:
    return Site(vs, settings, tuple(entries), stage_metrics(vs, entries, settings, today), today)


def _row(site: Site, entry: Entry, source: str) -> GuideRow:
    guide = entry.guide
    due = review_due(guide, site.settings)
    return GuideRow(
        slug=entry.slug,
        title=guide.title,
        url=link(source, guide_page(entry.slug)),
        stage=guide.stage,
        steps=sum(1 for s in guide.steps if s.dropped is None),
        screen=screen_time(guide, entry.runs),
        version=guide.version,
        updated=_updated(guide),
        due=due.isoformat() if due else None,
        overdue=is_overdue(guide, site.settings, site.today),
        evidence=tuple(guide.stage_evidence),
    )


def _updated(guide: Guide) -> str | None:
    dates = sorted(r.date for r in guide.revisions if r.date)
    return dates[-1] if dates else None


def known_stage(site: Site, entry: Entry) -> bool:
    """Whether ``entry``'s guide names a stage of the value stream."""
    return entry.guide.stage is not None and site.vs.stage(entry.guide.stage) is not None


def stage_context(site: Site, index: int) -> StageContext:
    metrics = site.metrics[index]
    stage = metrics.stage
    source = stage_page(stage.id)
    mine = [e for e in site.entries if e.guide.stage == stage.id]
    stream = next(s.name for s in site.vs.streams if s.id == stage.stream)

    def neighbour(i: int) -> PageLink | None:
        if not 0 <= i < len(site.metrics):
            return None
        other = site.metrics[i].stage
        return PageLink(other.name, link(source, stage_page(other.id)))

    return StageContext(
        id=stage.id,
        name=stage.name,
        stream=stream,
        description=stage.description,
        owner=stage.owner,
        status=metrics.status,
        flow=stage_flows(site.vs)[index],
        screen=metrics.screen,
        maturity=metrics.maturity,
        processes=process_rows(site, metrics.maturity, source),
        guides=tuple(_row(site, e, source) for e in mine),
        to_confirm=tuple(_row(site, e, source) for e in mine if e.guide.stage_source == "auto"),
        previous=neighbour(index - 1),
        next=neighbour(index + 1),
        map_url=link(source, HOME),
        coverage_url=link(source, COVERAGE),
        maturity_url=link(source, MATURITY),
        drafts=tuple(row for row in site.pending if row.stage == stage.id),
    )


def process_rows(site: Site, maturity: StageMaturity, source: str) -> tuple[ProcessRow, ...]:
    """The stage's expected processes, each with links to the SOPs documenting it (from page ``source``)."""
    titles = {e.slug: e.guide.title for e in site.entries}
    return tuple(
        ProcessRow(p.process.name, tuple(PageLink(titles[g], link(source, guide_page(g))) for g in p.guides))
        for p in maturity.processes
    )


def coverage_context(site: Site) -> CoverageContext:
    rows = [(e, _row(site, e, COVERAGE)) for e in site.entries]
    return CoverageContext(
        streams=tuple(coverage(stream, site.metrics) for stream in site.vs.streams),
        overall=overall_coverage(site.metrics),
        unassigned=tuple(r for e, r in rows if e.guide.stage is None),
        unknown_stage=tuple(r for e, r in rows if e.guide.stage is not None and not known_stage(site, e)),
        to_confirm=tuple(r for e, r in rows if e.guide.stage_source == "auto" and known_stage(site, e)),
        overdue=tuple(r for _e, r in rows if r.overdue),
        review_every_s=site.settings.review_every,
        map_url=link(COVERAGE, HOME),
        missing=tuple(
            (
                PageLink(m.stage.name, link(COVERAGE, stage_page(m.stage.id))),
                tuple(p.process.name for p in m.maturity.processes if not p.documented),
            )
            for m in site.metrics
            if m.maturity.completeness.documented < m.maturity.completeness.expected
        ),
        maturity_url=link(COVERAGE, MATURITY),
        drafts=site.pending,
        retired=site.retired,
    )


def guide_links(site: Site, entry: Entry, files: frozenset[str], edit_url: str | None = None) -> SiteLinks:
    source = guide_page(entry.slug)
    stage = site.vs.stage(entry.guide.stage) if entry.guide.stage else None
    return SiteLinks(
        map_url=link(source, HOME),
        stage_name=stage.name if stage else None,
        stage_url=link(source, stage_page(stage.id)) if stage else None,
        files=files,
        edit_url=edit_url,
        runs=summarize(entry.runs),
    )


def render_stage(ctx: StageContext) -> str:
    return environment().get_template("stage.md.j2").render(stage=ctx)


def render_coverage(ctx: CoverageContext) -> str:
    return environment().get_template("coverage.md.j2").render(cov=ctx)


def render_guide(entry: Entry, links: SiteLinks) -> str:
    return guide_markdown(entry.guide, site=links)


def template_sources(kind: str) -> str:
    """The sources of the templates a kind of page is made from (part of each page's key)."""
    env = environment()
    assert env.loader is not None
    return "\0".join(env.loader.get_source(env, name)[0] for name in TEMPLATES[kind])
