"""The editor's page (``templates/editor/editor.html.j2``): the guide as it will be published, with the
fields and buttons of each change. Markdown (step texts, notes, purpose) is shown as HTML the safe way of the
exports: raw HTML shows as text, no event handlers, no ``javascript:`` links, images only from the guide."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import markdown  # type: ignore[import-untyped]
from markupsafe import Markup

from generator.errors import ImageError
from generator.export.formats import EXTENSIONS, SafeHtml
from generator.guide.control import ControlView, control_view
from generator.guide.model import Box, Guide, Step, ValueStream, needs_review
from generator.guide.paths import inside, is_own_file
from generator.images.files import image_size
from generator.render.environment import environment

TEMPLATE = "editor/editor.html.j2"


@dataclass(frozen=True, slots=True)
class StepCard:
    """One step on the page; ``number`` counts shown steps (None: hidden); boxes in image pixels."""

    id: str
    number: int | None
    text: str  # the Markdown source
    html: Markup  # as published
    window: str | None
    note: str | None
    note_kind: str
    note_html: Markup | None
    image: str | None  # URL of the published image
    original: str | None  # URL of the image file as vsop generate wrote it
    size: tuple[int, int] | None
    box: str  # "x,y,w,h" of a highlight a person drew, else ""
    blur: str  # "x,y,w,h;x,y,w,h"
    crop: str
    dropped: str | None
    edited: tuple[str, ...]
    next_id: str | None  # the next shown step, which "merge" joins into this one
    first: bool
    last: bool
    source: str | None = None  # where the step's name came from: accessibility, ocr or place
    confidence: float | None = None  # how sure that name is, 0..1
    review: bool = False  # unsure: listed first for a person to check


@dataclass(frozen=True, slots=True)
class StageOption:
    id: str
    label: str
    selected: bool


@dataclass(frozen=True, slots=True)
class EditorPage:
    token: str
    guide_file: str
    title: str
    purpose: str
    purpose_html: Markup
    prerequisites: str  # one per line
    version: str
    stage: str | None
    stages: tuple[StageOption, ...]  # empty when the guide is not in a library
    steps: tuple[StepCard, ...]
    hidden: tuple[StepCard, ...]
    can_undo: bool
    review: tuple[StepCard, ...] = ()  # shown steps whose names are unsure, least sure first
    control: ControlView | None = None  # document control: shown, never changed here (vsop approve)


def render_page(
    guide: Guide, guide_file: Path, token: str, can_undo: bool, valuestream: ValueStream | None
) -> str:
    folder = guide_file.parent
    to_html = _Converter(folder, token)
    shown = [s for s in guide.steps if s.dropped is None]
    cards = tuple(_card(step, i + 1, shown, folder, token, to_html) for i, step in enumerate(shown))
    hidden = tuple(
        _card(s, None, shown, folder, token, to_html) for s in guide.steps if s.dropped is not None
    )
    page = EditorPage(
        token=token,
        guide_file=str(guide_file),
        title=guide.title,
        purpose=guide.purpose or "",
        purpose_html=to_html(guide.purpose or ""),
        prerequisites="\n".join(guide.prerequisites),
        version=guide.version,
        stage=guide.stage,
        stages=_stages(valuestream, guide.stage),
        steps=cards,
        hidden=hidden,
        can_undo=can_undo,
        control=control_view(guide),
        review=tuple(
            sorted((c for c in cards if c.review), key=lambda c: (c.confidence or 0.0, c.number or 0))
        ),
    )
    return environment().get_template(TEMPLATE).render(page=page)


def _card(
    step: Step, number: int | None, shown: list[Step], folder: Path, token: str, to_html: _Converter
) -> StepCard:
    at = shown.index(step) if step in shown else -1
    size = _size(folder, step.image)
    image = original = None
    if step.image and size is not None:
        version = hashlib.sha256(repr((step.blur, step.crop, step.box, step.edited)).encode()).hexdigest()[
            :12
        ]
        image = f"/published/{quote(step.id, safe='')}.png?token={token}&v={version}"
        original = f"/file/{quote(step.image)}?token={token}"
    return StepCard(
        id=step.id,
        number=number,
        text=step.text,
        html=to_html(step.text),
        window=step.window,
        note=step.note,
        note_kind=step.note_kind,
        note_html=to_html(step.note) if step.note else None,
        image=image,
        original=original,
        size=size,
        box=_boxes([step.box] if "box" in step.edited and step.box else []),
        blur=_boxes(step.blur),
        crop=_boxes([step.crop] if step.crop else []),
        dropped=step.dropped,
        edited=tuple(step.edited),
        next_id=shown[at + 1].id if 0 <= at < len(shown) - 1 else None,
        first=at == 0,
        last=at == len(shown) - 1,
        source=step.source,
        confidence=step.confidence,
        review=needs_review(step),
    )


def _size(folder: Path, image: str | None) -> tuple[int, int] | None:
    if image is None:
        return None
    try:
        return image_size(folder / image)
    except (OSError, ImageError):
        return None


def _boxes(boxes: list[Box]) -> str:
    return ";".join(",".join(str(v) for v in box) for box in boxes)


def _stages(valuestream: ValueStream | None, current: str | None) -> tuple[StageOption, ...]:
    if valuestream is None:
        return ()
    return tuple(
        StageOption(stage.id, f"{stream.name}: {stage.name}", stage.id == current)
        for stream in valuestream.streams
        for stage in stream.stages
    )


class _Converter:
    """Markdown to safe HTML; images of the guide folder are served by the editor, others are dropped."""

    def __init__(self, folder: Path, token: str) -> None:
        self.folder = folder.resolve()
        self.token = token
        self.md = markdown.Markdown(extensions=[*EXTENSIONS, SafeHtml(self._src)], output_format="html")

    def __call__(self, text: str) -> Markup:
        return Markup(self.md.reset().convert(text))  # raw HTML is off: see SafeHtml

    def _src(self, src: str) -> str:
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not is_own_file(self.folder, unquote(parts.path)):
            return ""
        path = inside(self.folder, unquote(parts.path))
        return f"/file/{quote(path.relative_to(self.folder).as_posix())}?token={self.token}"
