"""The Maturity page of the SOP site (``maturity.md``): every stage with its level, the evidence (expected
processes and their SOPs, each SOP's review date and recent runs, the declared automation and optimization)
and the concrete next steps; with the rules and their numbers from vsop.yml."""

from __future__ import annotations

from dataclasses import dataclass

from generator.guide.model import MaturityRules
from generator.maturity.levels import LEVELS, SopEvidence, StageMaturity
from generator.publish.pages import (
    HOME,
    MATURITY,
    PageLink,
    ProcessRow,
    Site,
    guide_page,
    link,
    process_rows,
    stage_page,
)
from generator.render.environment import environment


@dataclass(frozen=True, slots=True)
class SopRow:
    title: str
    url: str
    evidence: SopEvidence


@dataclass(frozen=True, slots=True)
class MaturityRow:
    stage: PageLink
    stream: str
    maturity: StageMaturity
    processes: tuple[ProcessRow, ...]
    sops: tuple[SopRow, ...]


@dataclass(frozen=True, slots=True)
class MaturityContext:
    rows: tuple[MaturityRow, ...]
    levels: dict[int, str]
    counts: dict[int, int]  # level -> stages at it
    rules: MaturityRules
    map_url: str


def maturity_context(site: Site) -> MaturityContext:
    streams = {s.id: s.name for s in site.vs.streams}
    rows = tuple(
        MaturityRow(
            stage=PageLink(m.stage.name, link(MATURITY, stage_page(m.stage.id))),
            stream=streams[m.stage.stream],
            maturity=m.maturity,
            processes=process_rows(site, m.maturity, MATURITY),
            sops=tuple(SopRow(s.title, link(MATURITY, guide_page(s.id)), s) for s in m.maturity.sops),
        )
        for m in site.metrics
    )
    counts = {level: sum(1 for r in rows if r.maturity.level == level) for level in LEVELS}
    return MaturityContext(rows, LEVELS, counts, site.settings.maturity, link(MATURITY, HOME))


def render_maturity(ctx: MaturityContext) -> str:
    return environment().get_template("maturity.md.j2").render(mat=ctx)
