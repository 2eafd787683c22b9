"""The home page of the SOP site (``index.md``): the value-stream map, a row of stage boxes for each stream
in flow order, with the totals of the flow and of documentation coverage. The same stream views make the
site's nav (generator/publish/project.py)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.guide.model import Stage
from generator.maturity.levels import LEVELS
from generator.maturity.observed import ScreenTime
from generator.publish.flow import FlowTotals, StageFlow, stage_flows, stream_totals, totals
from generator.publish.metrics import StageMetrics, Status, StreamCoverage, overall_coverage
from generator.publish.pages import (
    COVERAGE,
    HOME,
    MATURITY,
    Site,
    guide_page,
    html_url,
    known_stage,
    link,
    stage_page,
)
from generator.render.environment import environment
from generator.valuestream.processes import Completeness


@dataclass(frozen=True, slots=True)
class StageView:
    """A stage as the site shows it, as a box of the map on the home page and as an entry of the site's nav:
    the stage of valuestream.yml (name, owner, declared times) with what the library's guides say of it."""

    stage: Stage
    page: str  # the stage's page, docs-relative (the nav's entry)
    url: str  # the address of the stage's page from the home page, as the built site has it (the map is HTML)
    status: Status
    screen: ScreenTime | None  # observed, shown apart from the declared times
    guides: tuple[str, ...]  # the pages of the stage's guides, docs-relative, in the library's order
    flow: StageFlow  # the declared times and the hand-off before the stage
    level: int  # maturity, 1..5
    completeness: Completeness

    @property
    def sops(self) -> int:
        return len(self.guides)

    @property
    def level_name(self) -> str:
        return LEVELS[self.level]


@dataclass(frozen=True, slots=True)
class StreamView:
    """A stream with its stages in flow order: a row of the map, a section of the nav."""

    name: str
    stages: tuple[StageView, ...]
    totals: FlowTotals


@dataclass(frozen=True, slots=True)
class HomeContext:
    title: str
    description: str | None
    streams: tuple[StreamView, ...]
    overall: FlowTotals
    completeness: StreamCoverage
    levels: dict[int, str]
    guides: int
    to_confirm: int
    coverage_url: str
    maturity_url: str


def stream_views(site: Site) -> tuple[StreamView, ...]:
    """The streams of the value stream in flow order, as the map and the nav show them."""
    guides: dict[str, list[str]] = {}
    for entry in site.entries:
        if entry.guide.stage is not None:
            guides.setdefault(entry.guide.stage, []).append(guide_page(entry.slug))
    flows = stage_flows(site.vs)
    views = [
        _stage_view(m, f, tuple(guides.get(m.stage.id, ()))) for m, f in zip(site.metrics, flows, strict=True)
    ]
    sums = stream_totals(site.vs, flows)
    return tuple(
        StreamView(stream.name, tuple(v for v in views if v.stage.stream == stream.id), total)
        for stream, total in zip(site.vs.streams, sums, strict=True)
    )


def _stage_view(metrics: StageMetrics, flow: StageFlow, guides: tuple[str, ...]) -> StageView:
    page = stage_page(metrics.stage.id)
    return StageView(
        stage=metrics.stage,
        page=page,
        url=html_url(HOME, page),
        status=metrics.status,
        screen=metrics.screen,
        guides=guides,
        flow=flow,
        level=metrics.maturity.level,
        completeness=metrics.maturity.completeness,
    )


def home_context(site: Site) -> HomeContext:
    return HomeContext(
        title=site.settings.site_name,
        description=site.settings.description,
        streams=stream_views(site),
        overall=totals("All streams", stage_flows(site.vs)),
        completeness=overall_coverage(site.metrics),
        levels=LEVELS,
        guides=len(site.entries),
        to_confirm=sum(1 for e in site.entries if e.guide.stage_source == "auto" and known_stage(site, e)),
        coverage_url=link(HOME, COVERAGE),
        maturity_url=link(HOME, MATURITY),
    )


def render_home(ctx: HomeContext) -> str:
    return environment().get_template("home.md.j2").render(home=ctx)
