"""Wording and the guide page: the one Jinja Environment of vsop (filters in generator/render/filters.py),
typed contexts.

Templates live in the top-level ``templates/`` folder; they receive frozen dataclasses and never call back
into code. Output is Markdown for Python-Markdown with pymdownx (MkDocs-Material), so HTML autoescaping is off
and every text that comes from the screen or the keyboard goes through a filter: ``md`` (prose), ``code``
(a typed value) or ``keys`` (a key or a combo).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal, Protocol, get_args

import jinja2
import markdown  # type: ignore[import-untyped]

from capture.models import Rect
from generator.guide.durations import format_duration
from generator.guide.model import Action, Change, Guide, NoteKind, Step
from generator.images.annotate import full_image_name
from generator.images.edits import has_image_edits
from generator.render.filters import cell, code, keys, md, url, yaml_str


def shipped(name: str) -> Path:
    """The top-level folder ``name`` (templates, site) of a source checkout or an editable install, else
    the copy that a built wheel carries inside the package (setup.py)."""
    package = Path(__file__).resolve().parents[1]
    source = package.parent / name
    return source if source.is_dir() else package / "_shipped" / name


TEMPLATES = shipped("templates")
SITE_TEMPLATES = shipped("site")  # the SOP site's mkdocs.yml template and assets
ACTIONS = frozenset(get_args(Action))

Vertical = Literal["top", "middle", "bottom"]
Horizontal = Literal["left", "center", "right"]
SecretKind = Literal["password", "pin", "code", "secret"]


@dataclass(frozen=True, slots=True)
class Region:
    """Where a point lies in a window, in thirds: the fallback when OCR found no label to name."""

    vertical: Vertical
    horizontal: Horizontal


@dataclass(frozen=True, slots=True)
class StepContext:
    """What ``templates/step.md.j2`` may use. Empty strings are None; ``secret`` is None unless secret."""

    action: Action
    target: str | None
    value: str | None
    window: str | None
    count: int = 1
    secret: SecretKind | None = None
    region: Region | None = None
    end_target: str | None = None  # drag: the label where the drag ends
    end_region: Region | None = None


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


@dataclass(frozen=True, slots=True)
class Section:
    """Consecutive steps done in one window; the guide page gives each its own heading."""

    window: str | None
    steps: tuple[Step, ...]


class StepLike(Protocol):
    """What :func:`step_text` reads of a step (a :class:`~generator.guide.model.Step` has all of it)."""

    @property
    def action(self) -> Action: ...
    @property
    def target(self) -> str | None: ...
    @property
    def value(self) -> str | None: ...
    @property
    def window(self) -> str | None: ...
    @property
    def count(self) -> int: ...
    @property
    def secret(self) -> bool: ...


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja Environment of vsop, strict about undefined names. Markdown templates (``*.md.j2``)
    escape with the filters above; HTML templates (``*.html.j2``) are autoescaped."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES, SITE_TEMPLATES]),
        undefined=jinja2.StrictUndefined,
        autoescape=lambda name: name is not None and name.endswith((".html.j2", ".svg.j2", ".xml.j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md, code=code, keys=keys, url=url, yaml=yaml_str, duration=format_duration, cell=cell
    )
    return env


# Step sentences ------------------------------------------------------------------------------------------

_PASSWORD = re.compile(r"pass(word|wort|phrase|code)?\b|mot de passe|contrase|kennwort", re.IGNORECASE)
_PIN = re.compile(r"\bpin\b", re.IGNORECASE)
_CODE = re.compile(r"\b(cvv|cvc|cvv2|otp|tan)\b|code", re.IGNORECASE)


def secret_kind(target: str | None) -> SecretKind:
    """Which secret a field holds, judged by its label, so the sentence can say "your password"."""
    if target and _PASSWORD.search(target):
        return "password"
    if target and _PIN.search(target):
        return "pin"
    if target and _CODE.search(target):
        return "code"
    return "secret"


def region_of(point: tuple[int, int], rect: Rect) -> Region:
    """The third of ``rect`` (vertically and horizontally) that ``point`` falls in; outside points clamp."""
    x, y = point
    col = min(2, max(0, (x - rect.left) * 3 // max(1, rect.width)))
    row = min(2, max(0, (y - rect.top) * 3 // max(1, rect.height)))
    horizontal: tuple[Horizontal, ...] = ("left", "center", "right")
    vertical: tuple[Vertical, ...] = ("top", "middle", "bottom")
    return Region(vertical[row], horizontal[col])


def step_context(
    step: StepLike,
    end_target: str | None = None,
    region: Region | None = None,
    end_region: Region | None = None,
) -> StepContext:
    return StepContext(
        action=step.action,
        target=_text_or_none(step.target),
        value=None if step.secret else _text_or_none(step.value, strip=False),
        window=_text_or_none(step.window),
        count=step.count,
        secret=secret_kind(step.target) if step.secret else None,
        region=region,
        end_target=_text_or_none(end_target),
        end_region=end_region,
    )


def step_text(
    step: StepLike,
    end_target: str | None = None,
    region: Region | None = None,
    end_region: Region | None = None,
) -> str:
    """The sentence of one step ("Click **Save lead**.") from ``templates/step.md.j2``.

    ``end_target`` (the label where a drag ended) and ``end_region`` say where a drag went; ``region`` (see
    :func:`region_of`) names where an unlabelled pointer step was. A secret value is never shown.
    """
    if step.action not in ACTIONS:
        raise ValueError(f"step action {step.action!r}: expected one of {', '.join(sorted(ACTIONS))}")
    ctx = step_context(step, end_target, region, end_region)
    return environment().get_template("step.md.j2").render(s=ctx).strip()


def _text_or_none(text: str | None, *, strip: bool = True) -> str | None:
    if text is None or not text.strip():
        return None
    return text.strip() if strip else text


# The guide page ------------------------------------------------------------------------------------------


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
        purpose=_text_or_none(guide.purpose),
        stage=_text_or_none(guide.stage),
        version=guide.version,
        prerequisites=tuple(p.strip() for p in guide.prerequisites if p.strip()),
        sections=_section_views(chosen, enlarge, site),
        revisions=_revision_views(guide, site),
        site=site,
        changes=_changes(guide),
    )
    return environment().get_template("guide.md.j2").render(guide=ctx)


def _revision_views(guide: Guide, site: SiteLinks | None) -> tuple[RevisionView, ...]:
    urls = dict(site.history) if site is not None else {}
    return tuple(
        RevisionView(r.version, r.date, r.author, r.summary, urls.get(r.version)) for r in guide.revisions
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
        views.append(SectionView(_text_or_none(section.window), tuple(steps)))
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
        note=_text_or_none(step.note),
        note_kind=step.note_kind,
        change=step.change,
        was=_text_or_none(step.was),
        image=image,
        full_image=full,
    )


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


@functools.cache
def _sentence_converter() -> markdown.Markdown:
    """One converter reused for every sentence: building one costs more than converting a sentence."""
    return markdown.Markdown(extensions=["pymdownx.keys"])


def plain_text(markdown_text: str) -> str:
    """What a Markdown sentence reads as, without markup ("Click Save lead.", "Press Ctrl+S.").

    Rendered with Python-Markdown rather than stripped by pattern so an edited step text is read the way
    the site will show it.
    """
    parser = _TextOnly()
    parser.feed(_sentence_converter().reset().convert(markdown_text))
    parser.close()
    return " ".join("".join(parser.parts).split())
