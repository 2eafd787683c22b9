"""``vsop generate``: a recording becomes a guide folder (guide.yml, guide.md, images/) in a library.

segment -> OCR crops of every step in one batch -> labels and secrets -> redactions -> annotated images ->
step sentences -> guide.yml, written into a temp folder and renamed into place. The guide's stage is the one
given (``--stage`` or the recording's), checked against the library's value stream, or else the stage whose
match rules fit the recording's windows and the steps' targets (``generator/valuestream/match.py``).
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from capture import load_recording
from capture.models import FrameRef, Recording, Rect, WindowInfo
from generator.errors import GuideError
from generator.guide.model import (
    Draft,
    Guide,
    Label,
    Redaction,
    Revision,
    StageSource,
    Step,
    ValueStream,
    Word,
)
from generator.images.annotate import annotate, view_box
from generator.library.layout import IMAGES_DIR, GuideFolder, Library, replacing, slugify, unique_slug
from generator.pipeline.label import Kind, crop_around, find_label, is_secret_label, looks_masked
from generator.pipeline.ocr import Crop, Ocr
from generator.pipeline.redact import find_sensitive, find_typed, typed_pieces
from generator.pipeline.segment import segment
from generator.render.step_text import Region, region_of, step_text
from generator.valuestream.match import Window, match_stage
from generator.valuestream.store import check_stage, load_valuestream

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
LABELLED = frozenset({"click", "double_click", "right_click", "drag", "type", "capture"})
REDACT_SCALE = 1  # the published region is large; personal data is read well enough without upscaling


@dataclass(frozen=True, slots=True)
class Options:
    title: str | None = None
    stage: str | None = None
    redact: bool = True
    full_frames: bool = False  # also publish each whole screen (click to enlarge); redaction then OCRs it all


@dataclass(frozen=True, slots=True)
class _Shot:
    """Where a draft's point lies on its frame, in frame pixels."""

    path: Path
    size: tuple[int, int]
    point: tuple[int, int]
    end: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class _Link:
    """The guide's stage, how it was chosen (given: manual; matched: auto) and why."""

    stage: str | None = None
    source: StageSource | None = None
    evidence: tuple[str, ...] = ()


@dataclass(slots=True)
class _Work:
    draft: Draft
    shot: _Shot | None
    label: Label | None = None
    end_label: Label | None = None
    secret: bool = False
    redactions: tuple[Redaction, ...] = ()


@dataclass(frozen=True, slots=True)
class Recorded:
    """A recording turned into steps, their images drawn into ``folder/images/<step id>.png``: what a guide
    is made of, before it is a guide (``vsop update`` aligns these with a guide's steps)."""

    recording: Recording
    steps: tuple[Step, ...]
    folder: Path
    duration_s: float  # from the first event of the first step to the last event of the last one


def generate(
    recording_path: Path,
    library: Path,
    options: Options = Options(),
    progress: Progress | None = None,
    replace: bool = False,
) -> Path:
    """Write a new guide for the recording into ``library``; returns the guide folder. The guide appears
    whole or not at all; with ``replace`` it takes the place of the guide of the same title (the demo), which
    a failure leaves as it was."""
    report = progress or (lambda stage, done, total: None)
    recording = load_recording(recording_path)
    valuestream = load_valuestream(library)
    given = _given_stage(valuestream, recording, options)  # checked before the long work
    work = _labelled(recording, library, options, report)
    title = options.title or recording.meta.title or _default_title(work)
    slug = slugify(title) if replace else unique_slug(library, title)
    target = Library(library).guide_folder(slug).path
    target.parent.mkdir(parents=True, exist_ok=True)
    with replacing(target, replace) as staging:
        link = given or _matched_stage(valuestream, recording, work)
        made = _recorded(recording, work, staging, options.full_frames, report, set())
        GuideFolder(staging).write(_guide(slug, title, link, made))
    return target


def recorded_steps(
    recording_path: Path,
    library: Path,
    folder: Path,
    options: Options = Options(),
    progress: Progress | None = None,
    taken: Collection[str] = (),
) -> Recorded:
    """The steps of a recording with their images in ``folder/images/`` (created), as :func:`generate`
    makes them, without making a guide; new step ids avoid ``taken``. ``options.title`` and ``stage`` are
    not used."""
    report = progress or (lambda stage, done, total: None)
    recording = load_recording(recording_path)
    work = _labelled(recording, library, options, report)
    folder.mkdir(parents=True, exist_ok=True)
    return _recorded(recording, work, folder, options.full_frames, report, set(taken))


def _labelled(recording: Recording, library: Path, options: Options, report: Progress) -> list[_Work]:
    drafts = segment(recording)
    if not any(d.dropped is None for d in drafts):
        raise GuideError(f"{recording.path}: no steps found (nothing was clicked, typed or captured)")
    work = [_Work(d, _shot(recording, d)) for d in drafts]
    _label(work, Ocr(cache_dir=Library(library).cache / "ocr"), options, report)
    return work


def _given_stage(valuestream: ValueStream, recording: Recording, options: Options) -> _Link | None:
    if options.stage:
        return _Link(check_stage(valuestream, options.stage, "--stage").id, "manual")
    if recording.meta.stage:
        where = f"{recording.path / 'meta.json'}: stage (choose another with --stage)"
        return _Link(check_stage(valuestream, recording.meta.stage, where).id, "manual")
    return None


def _matched_stage(valuestream: ValueStream, recording: Recording, work: Sequence[_Work]) -> _Link:
    """The stage whose match rules fit the windows of the recording and the targets OCR read."""
    labels = [label for item in work for label in (item.label, item.end_label) if label is not None]
    found = match_stage(valuestream, _windows(recording), [label.text for label in labels])
    if found is None:
        return _Link()
    stage, evidence = found
    return _Link(stage.id, "auto", tuple(evidence))


def _windows(recording: Recording) -> list[Window]:
    infos = (getattr(event, "window", None) for event in recording.events)  # moves and pauses have none
    return [(info.title, info.app) for info in infos if isinstance(info, WindowInfo)]


def _shot(recording: Recording, draft: Draft) -> _Shot | None:
    frame, point = draft.frame, draft.point
    if frame is None or point is None or draft.action not in LABELLED:
        return None
    path = recording.frame_path(frame)
    try:
        with Image.open(path) as image:
            size = image.size
            image.verify()  # checks every chunk without decoding: a truncated frame is caught here
    except (OSError, SyntaxError, UnidentifiedImageError) as exc:
        log.warning("%s: unreadable frame (%s); the step keeps its text, without a screenshot", path, exc)
        return None
    return _Shot(
        path,
        size,
        _local(recording, frame, point),
        _local(recording, frame, draft.end) if draft.end else None,
    )


def _local(recording: Recording, frame: FrameRef, point: tuple[int, int]) -> tuple[int, int]:
    monitor = next((m for m in recording.meta.monitors if m.index == frame.monitor), None)
    if monitor is None:
        return point
    return (
        round((point[0] - monitor.rect.left) * monitor.scale),
        round((point[1] - monitor.rect.top) * monitor.scale),
    )


def _label(work: list[_Work], ocr: Ocr, options: Options, report: Progress) -> None:
    """OCR around every step's point in one batch and read labels and secrets; then, to redact, OCR what
    each published image will show (it depends on the label's box) in a second batch."""
    shots = [item for item in work if item.shot is not None]
    crops = [crop for item in shots for crop in _label_crops(item)]
    words = _ocr(ocr, crops, "Reading screens", report)
    for item in shots:
        _read_label(item, words)
    if not options.redact:
        return
    views = {id(item): _view_crop(item, options.full_frames) for item in shots}
    seen = _ocr(ocr, list(views.values()), "Looking for personal data", report)
    typed = typed_pieces([w.draft.value for w in work if w.draft.action == "type" and w.draft.value])
    for item in shots:
        found = seen[views[id(item)]] + words[_label_crops(item)[0]]
        item.redactions = tuple(dict.fromkeys(find_sensitive(found) + find_typed(found, typed)))


def _ocr(ocr: Ocr, crops: list[Crop], stage: str, report: Progress) -> dict[Crop, list[Word]]:
    unique = list(dict.fromkeys(crops))
    report(stage, 0, len(unique))
    results = dict(zip(unique, ocr.read(unique), strict=True))
    report(stage, len(unique), len(unique))
    return results


def _label_crops(item: _Work) -> list[Crop]:
    shot = item.shot
    assert shot is not None
    kind: Kind = "field" if item.draft.action == "type" else "pointer"
    crops = [Crop(shot.path, crop_around(shot.point, shot.size, kind))]
    if shot.end is not None:
        crops.append(Crop(shot.path, crop_around(shot.end, shot.size, "pointer")))
    return crops


def _read_label(item: _Work, words: dict[Crop, list[Word]]) -> None:
    shot = item.shot
    assert shot is not None
    crops = _label_crops(item)
    field = item.draft.action == "type"
    around = words[crops[0]]
    item.label = find_label(around, shot.point, "field" if field else "pointer")
    if shot.end is not None:
        item.end_label = find_label(words[crops[1]], shot.end, "pointer")
    if field:
        near = [w for w in around if _near(w.box, shot.point, 200)]
        item.secret = (item.label is not None and is_secret_label(item.label.text)) or looks_masked(near)


def _view_crop(item: _Work, full_frame: bool) -> Crop:
    shot = item.shot
    assert shot is not None
    if full_frame:
        return Crop(shot.path, Rect(0, 0, *shot.size), scale=REDACT_SCALE)
    box = item.label.box if item.label is not None else None
    return Crop(shot.path, view_box(shot.size, shot.point, box, shot.end), scale=REDACT_SCALE)


def _near(box: Rect, point: tuple[int, int], px: int) -> bool:
    return abs(box.left + box.width / 2 - point[0]) <= px and abs(box.top + box.height / 2 - point[1]) <= 40


def _default_title(work: Sequence[_Work]) -> str:
    for item in work:
        window = item.draft.window
        if window is not None and window.title:
            return f"Work in {window.title}"
    return "Recorded procedure"


def _recorded(
    recording: Recording, work: list[_Work], folder: Path, full_frames: bool, report: Progress, ids: set[str]
) -> Recorded:
    steps = [_step(item, _new_id(ids)) for item in work]
    images = GuideFolder(folder).images
    images.mkdir()
    shots = [(step, item) for step, item in zip(steps, work, strict=True) if item.shot is not None]
    done = 0
    report("Drawing screenshots", 0, len(shots))

    def draw(pair: tuple[Step, _Work]) -> None:
        step, item = pair
        shot = item.shot
        assert shot is not None
        box = item.label.box if item.label is not None else None
        out = images / f"{step.id}.png"
        full = images / f"{step.id}-full.png" if full_frames else None
        annotate(shot.path, shot.point, box, shot.end, item.redactions, out, full)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for _ in pool.map(draw, shots):
            done += 1
            report("Drawing screenshots", done, len(shots))
    for step, _item in shots:
        step.image = f"{IMAGES_DIR}/{step.id}.png"
    last = max((w.draft.t + w.draft.duration for w in work), default=0.0)
    return Recorded(recording, tuple(steps), folder, round(last, 1))


def _guide(slug: str, title: str, link: _Link, made: Recorded) -> Guide:
    return Guide(
        id=slug,
        title=title,
        stage=link.stage,
        version="1.0.0",
        purpose=None,
        recorded=recorded_field(made),
        steps=list(made.steps),
        revisions=[Revision("1.0.0", date.today().isoformat(), "Recorded", duration_s=made.duration_s)],
        stage_source=link.source,
        stage_evidence=list(link.evidence),
    )


def recorded_field(made: Recorded) -> dict[str, object]:
    """The guide's ``recorded`` field: which recording its steps come from, when it started, how long."""
    return {
        "recording": str(made.recording.path),
        "started": made.recording.meta.started,
        "duration_s": made.duration_s,
    }


def _step(item: _Work, step_id: str) -> Step:
    draft, label = item.draft, item.label
    value = None if item.secret else draft.value
    step = Step(
        id=step_id,
        action=draft.action,
        target=label.text if label is not None else None,
        value=value,
        window=draft.window.title if draft.window is not None else None,
        text="",
        box=(label.box.left, label.box.top, label.box.width, label.box.height) if label is not None else None,
        at=round(draft.t, 2),
        secret=item.secret,
        dropped=draft.dropped,
        conf=round(label.conf, 1) if label is not None else None,
        count=draft.count,
        note=draft.note,
    )
    return replace(step, text=step_text(step, item.end_label.text if item.end_label else None, _region(item)))


def _region(item: _Work) -> Region | None:
    """Where in its window the step's point is, for a step whose target OCR could not read."""
    window, point = item.draft.window, item.draft.point
    if window is None or window.rect is None or point is None:
        return None
    return region_of(point, window.rect)


def _new_id(taken: set[str]) -> str:
    while (step_id := f"s-{secrets.token_hex(2)}") in taken:
        pass
    taken.add(step_id)
    return step_id
