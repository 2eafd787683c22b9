"""``vsop generate``: a recording becomes a guide folder (guide.yml, guide.md, images/) in a library.

segment -> OCR crops of every step in one batch -> labels and secrets -> redactions -> annotated images ->
step sentences -> guide.yml, written into a temp folder and renamed into place. The guide's stage is the one
given (``--stage`` or the recording's), checked against the library's value stream, or else the stage whose
match rules fit the recording's windows and the steps' targets (``generator/valuestream/match.py``).
"""

from __future__ import annotations

import functools
import logging
import os
import secrets
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from PIL import Image

from capture import load_recording
from capture.models import FrameRef, Recording, Rect, WindowInfo
from generator.errors import GuideError, ImageError
from generator.guide.model import (
    POINTER_ACTIONS,
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
from generator.images.annotate import (
    Drawn,
    Marks,
    Patch,
    Prepared,
    draw_frame,
    finish,
    prepare,
    view_box,
    views_within,
    write_png,
)
from generator.images.files import verify_image
from generator.images.heap import bound_heaps
from generator.library.layout import IMAGES_DIR, GuideFolder, Library, slugify, unique_slug
from generator.library.swap import staging, swap_in, writing
from generator.pipeline.label import (
    Kind,
    crop_around,
    field_candidates,
    find_label,
    looks_masked,
)
from generator.pipeline.naming import (
    MENU_ITEM_ROLES,
    Name,
    absent_item,
    checks_shown_text,
    cross_checked,
    element_box,
    from_element,
    from_label,
    from_place,
    shown_text,
    shown_unseen,
)
from generator.pipeline.ocr import Crop, Ocr
from generator.pipeline.pieces import Area, read_areas
from generator.pipeline.pixels import field_box
from generator.pipeline.redact import find_sensitive, find_typed, told_personal, typed_pieces
from generator.pipeline.secrets import (
    Field,
    Frames,
    Withheld,
    is_secret,
    masked_field,
    secret_pieces,
    withhold_personal,
)
from generator.pipeline.segment import segment
from generator.render.step_text import Region, region_of, step_text
from generator.valuestream.match import Window, match_stage
from generator.valuestream.store import check_stage, load_valuestream

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
LABELLED = frozenset({"click", "double_click", "right_click", "drag", "type", "capture"})
KEYBOARD = frozenset({"type", "key", "hotkey"})  # steps shown with the frame grabbed at their first key
REDACT_SCALE = 1  # the published region is large; personal data is read well enough without upscaling
REDACT_MARGIN = (4, 4)  # px beyond the published view's sides and top and bottom (see _beyond)


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
    point: tuple[int, int] | None  # None for a keyboard step, and typing into an unknown field
    end: tuple[int, int] | None
    element: Rect | None = None  # the bounds of the draft's element, in frame pixels


@dataclass(frozen=True, slots=True)
class _Crops:
    """What OCR reads for a step: around its point (None for a pointer step its element names) and around
    the end of its drag."""

    start: Crop | None
    end: Crop | None

    def all(self) -> list[Crop]:
        return [crop for crop in (self.start, self.end) if crop is not None]


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
    label: Label | None = None  # what OCR read around the point
    end_label: Label | None = None
    name: Name | None = None  # what the step is named by: its element, the label OCR read, or its place
    secret: bool = False
    redactions: tuple[Redaction, ...] = ()
    field: Rect | None = None  # typing: the box of the field typed into, in frame pixels
    personal: Withheld | None = None  # typing: the value without its personal data


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
    with _Drawing(options.full_frames) as drawing:
        work = _labelled(recording, library, options, report, drawing)
        title = options.title or recording.meta.title or _default_title(work)
        with staging(library, slugify(title)) as filled:
            link = given or _matched_stage(valuestream, recording, work)
            made = _recorded(recording, work, filled, drawing, report, set())
            with writing(library):  # the id is chosen and taken at once: two generates never take the same
                slug = slugify(title) if replace else unique_slug(library, title)
                GuideFolder(filled).write(_guide(slug, title, link, made, library))
                target = Library(library).guide_folder(slug).path
                swap_in(filled, target, replace)
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
    with _Drawing(options.full_frames) as drawing:
        work = _labelled(recording, library, options, report, drawing)
        folder.mkdir(parents=True, exist_ok=True)
        return _recorded(recording, work, folder, drawing, report, set(taken))


def recording_steps(
    recording_path: Path, library: Path, options: Options = Options(), progress: Progress | None = None
) -> Recorded:
    """The steps of a recording as :func:`recorded_steps` names them, without drawing their images (``vsop
    check`` compares them only): ``folder`` is the recording's, and no step has an ``image``. Nothing is
    redacted, so OCR reads only what names the steps (:func:`_naming_area`), not what their images show."""
    report = progress or (lambda stage, done, total: None)
    recording = load_recording(recording_path)
    work = _labelled(recording, library, options, report, naming_only=True)
    ids: set[str] = set()
    steps = tuple(_step(item, _new_id(ids)) for item in work)
    return Recorded(recording, steps, recording_path, _end(work))


def _labelled(
    recording: Recording,
    library: Path,
    options: Options,
    report: Progress,
    drawing: _Drawing | None = None,
    naming_only: bool = False,
) -> list[_Work]:
    drafts = segment(recording)
    if not any(d.dropped is None for d in drafts):
        raise GuideError(f"{recording.path}: no steps found (nothing was clicked, typed or captured)")
    work = [_Work(d, _shot(recording, d)) for d in drafts]
    bound_heaps()  # before the threads that decode frames start (generator/images/heap.py)
    # each frame decoded once, for the pixel checks, OCR and the images alike
    frames = Frames(recording, drawing.decoded if drawing is not None else None)
    if drawing is not None:
        drawing.want(work, frames)
    ocr = Ocr(cache_dir=Library(library).cache / "ocr", frames=frames.image)
    with ThreadPoolExecutor(1) as aside:  # the fields' pixels are checked while OCR reads
        fields = aside.submit(_fields, recording, work, frames)
        _label(work, ocr, frames, options, report, drawing, fields, naming_only)
    ocr.forget(secret_pieces(item.draft.value for item in work if item.secret))
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
    names = [item.name.text for item in work if item.name is not None and item.name.text]
    ends = [item.end_label.text for item in work if item.end_label is not None]
    found = match_stage(valuestream, _windows(recording), names + ends)
    if found is None:
        return _Link()
    stage, evidence = found
    return _Link(stage.id, "auto", tuple(evidence))


def _windows(recording: Recording) -> list[Window]:
    infos = (getattr(event, "window", None) for event in recording.events)  # moves and pauses have none
    return [(info.title, info.app) for info in infos if isinstance(info, WindowInfo)]


def _shot(recording: Recording, draft: Draft) -> _Shot | None:
    frame, point = draft.frame, draft.point
    if frame is None or (point is None and draft.action not in KEYBOARD):
        return None
    path = recording.frame_path(frame)
    try:
        size = verify_image(path)  # every chunk checked without decoding: a truncated frame is caught here
    except (OSError, ImageError) as exc:
        log.warning("%s; the step keeps its text, without a screenshot", exc)
        return None
    bounds = draft.element.bounds if draft.element is not None else None
    return _Shot(
        path,
        size,
        _local(recording, frame, point) if point is not None else None,
        _local(recording, frame, draft.end) if draft.end else None,
        _local_rect(recording, frame, bounds) if bounds is not None else None,
    )


def _local(recording: Recording, frame: FrameRef, point: tuple[int, int]) -> tuple[int, int]:
    monitor = next((m for m in recording.meta.monitors if m.index == frame.monitor), None)
    if monitor is None:
        return point
    return (
        round((point[0] - monitor.rect.left) * monitor.scale),
        round((point[1] - monitor.rect.top) * monitor.scale),
    )


def _local_rect(recording: Recording, frame: FrameRef, rect: Rect) -> Rect:
    """``rect`` (virtual-screen pixels) in the pixels of ``frame``."""
    left, top = _local(recording, frame, (rect.left, rect.top))
    right, bottom = _local(recording, frame, (rect.left + rect.width, rect.top + rect.height))
    return Rect(left, top, right - left, bottom - top)


def _fields(recording: Recording, work: list[_Work], frames: Frames) -> None:
    """For every typing step: the box of its field (its element's bounds, else the field's edges found in
    the frame around the click) and whether what was typed is secret by what the element and the frames
    show (what was typed masked there, then or later; ``generator/pipeline/secrets.py``). Labels come with
    OCR."""
    for item in work:
        if item.draft.action != "type":
            continue
        shot = item.shot
        if shot is not None:
            look = frames.look(shot.path) if shot.element is None and shot.point is not None else None
            item.field = shot.element or (field_box(look.grey, shot.point) if look and shot.point else None)
        told = is_secret(Field(item.draft.element), no_text=recording.meta.no_text)
        point = shot.point if shot is not None else None
        item.secret = item.secret or told or masked_field(frames, item.draft, item.field, point)


def _label(
    work: list[_Work],
    ocr: Ocr,
    frames: Frames,
    options: Options,
    report: Progress,
    drawing: _Drawing | None,
    fields: Future[None],
    naming_only: bool = False,
) -> None:
    """Name the steps (``generator/pipeline/naming.py``): by their element where it has a usable name, else
    by what OCR reads around their points, checked against the words around them (:func:`_naming_area`);
    and, to redact, read what each published image will show, those words among it. One OCR pass reads both
    (:func:`_read`); ``naming_only`` reads only what names the steps, and redacts nothing.
    ``drawing`` begins the images known before OCR, and draws those of each frame as soon as their names and
    redactions settle; ``fields`` is :func:`_fields` at work, which the labels wait for."""
    for item in work:
        item.name = _element_name(item)
    shots = [item for item in work if item.shot is not None]
    crops = {id(item): _label_crops(item) for item in shots}
    for item in work:
        if id(item) not in crops or crops[id(item)].start is None:
            item.name = _named(item)  # no label to read: its name, and so its published view, are known now
    for group in _by_frame(shots):
        if drawing is not None and all(crops[id(item)].start is None for item in group):
            drawing.prepare(group)
    naming = {id(item): _naming_area(item) for item in shots}
    seen, words = _read(ocr, shots, crops, options, report, naming if naming_only else None)
    fields.result()  # the boxes of the fields typed into, and which hold secrets (_fields)
    for item in shots:
        _read_label(item, crops[id(item)], words, frames)
    for item in work:
        item.name = _named(item)
    if not options.redact:
        for group in _by_frame(shots):
            if drawing is not None:
                drawing.start(group)
        return
    for item in work:
        if item.draft.action == "type" and item.draft.value and not item.secret:
            item.personal = withhold_personal(item.draft.value)
    if naming_only:
        for item in shots:
            item.name = _checked_by_view(item, _within(seen[id(item)], naming[id(item)]), frames)
        return
    values = [w.draft.value for w in work if w.draft.action == "type"]
    typed = typed_pieces([v for v in values if v]) | secret_pieces(w.draft.value for w in work if w.secret)
    for group in _by_frame(shots):
        for item in group:
            start = crops[id(item)].start
            found = seen[id(item)] + (words[start] if start is not None else [])
            told = _told(item, typed)
            item.redactions = tuple(dict.fromkeys(told + find_sensitive(found) + find_typed(found, typed)))
            item.name = _checked_by_view(item, _within(seen[id(item)], naming[id(item)]), frames)
        if drawing is not None:
            drawing.start(group)


def _read(
    ocr: Ocr,
    shots: list[_Work],
    crops: dict[int, _Crops],
    options: Options,
    report: Progress,
    naming: dict[int, Area | None] | None = None,
) -> tuple[dict[int, list[Word]], dict[Crop, list[Word]]]:
    """The words of what each step's image will show (none without redaction) and of its label crops, in
    one OCR pass: a step still to be named by OCR is read wherever its image may end up showing. Given
    ``naming``, only the areas there are read for the steps (an empty list for a step without one)."""
    stage = "Reading screens"
    labels = list(dict.fromkeys(crop for item in shots for crop in crops[id(item)].all()))
    if not options.redact:
        return {}, _ocr(ocr, labels, stage, report)
    if naming is not None:
        named = [item for item in shots if naming[id(item)] is not None]
        areas = [area for item in named if (area := naming[id(item)]) is not None]
        report(stage, 0, len(areas))
        read, around = read_areas(ocr, areas, REDACT_SCALE, functools.partial(report, stage), also=labels)
        found = {id(item): words for item, words in zip(named, read, strict=True)}
        return {id(item): found.get(id(item), []) for item in shots}, dict(zip(labels, around, strict=True))
    areas = [_read_area(item, crops[id(item)], options.full_frames) for item in shots]
    report(stage, 0, len(areas))
    views, around = read_areas(ocr, areas, REDACT_SCALE, functools.partial(report, stage), also=labels)
    seen = {id(item): words for item, words in zip(shots, views, strict=True)}
    return seen, dict(zip(labels, around, strict=True))


def _by_frame(shots: Sequence[_Work]) -> Iterator[list[_Work]]:
    """The steps in runs that show one frame (the steps of a frame are next to each other, but for a screen
    seen again later: that frame then makes two runs)."""
    run: list[_Work] = []
    for item in shots:
        if run and _frame_of(run[-1]) != _frame_of(item):
            yield run
            run = []
        run.append(item)
    if run:
        yield run


def _frame_of(item: _Work) -> Path:
    assert item.shot is not None
    return item.shot.path


def _told(item: _Work, typed: frozenset[str]) -> list[Redaction]:
    """The step's element blurred whole when what the accessibility tree says it shows (its value, name,
    label...) holds personal data: found before OCR, and whatever OCR makes of its pixels."""
    element, shot = item.draft.element, item.shot
    if element is None or element.secret or shot is None:
        return []
    box = element_box(shot.element, shot.size, None)[0]
    texts = (element.value, element.name, element.label, element.description, element.placeholder)
    kind = told_personal(texts, typed) if box is not None else None
    return [Redaction(box, kind)] if box is not None and kind is not None else []


def _ocr(ocr: Ocr, crops: list[Crop], stage: str, report: Progress) -> dict[Crop, list[Word]]:
    unique = list(dict.fromkeys(crops))
    report(stage, 0, len(unique))
    results = dict(zip(unique, ocr.read(unique), strict=True))
    report(stage, len(unique), len(unique))
    return results


def _label_crops(item: _Work) -> _Crops:
    """A step its element names needs no OCR for its label (its secrets come from the element and the
    pixels of its field, see :func:`_fields`)."""
    shot = item.shot
    assert shot is not None
    action = item.draft.action
    kind: Kind = "field" if action == "type" else "pointer"
    named = item.name is not None
    point = shot.point
    start = (
        None
        if named or action not in LABELLED or point is None
        else Crop(shot.path, crop_around(point, shot.size, kind))
    )
    end = Crop(shot.path, crop_around(shot.end, shot.size, "pointer")) if shot.end is not None else None
    return _Crops(start, end)


def _read_label(item: _Work, crops: _Crops, words: dict[Crop, list[Word]], frames: Frames) -> None:
    """The label OCR read around the step's point (a pointer step's look at its frame's pixels tells two
    buttons side by side apart) and, for a field, whether any of its label candidates names a secret."""
    shot = item.shot
    assert shot is not None
    field = item.draft.action == "type"
    if crops.start is not None and shot.point is not None:
        around = words[crops.start]
        item.label = find_label(
            around, shot.point, "field" if field else "pointer", field=item.field, look=frames.look(shot.path)
        )
        if field:
            near = [w for w in around if _near(w.box, shot.point, 200)]
            names = field_candidates(around, item.field) if item.field is not None else []
            names += [item.label.text] if item.label is not None else []
            seen = Field(item.draft.element, tuple(names), masked=looks_masked(near))
            item.secret = item.secret or is_secret(seen)
    if crops.end is not None and shot.end is not None:
        item.end_label = find_label(words[crops.end], shot.end, "pointer")


def _element_name(item: _Work) -> Name | None:
    """The step named by its element, its box from the element's bounds (None: no usable element)."""
    draft, shot = item.draft, item.shot
    if draft.element is None or draft.action not in LABELLED:
        return None
    box, astray = None, False
    if shot is not None:
        point = (
            shot.point if draft.action in POINTER_ACTIONS else None
        )  # a field may be focused from its label
        box, astray = element_box(shot.element, shot.size, point)
    typed = draft.value if draft.action == "type" else None
    return from_element(draft.element, box, typed, astray, clicked=draft.action in POINTER_ACTIONS)


def _named(item: _Work) -> Name | None:
    """The step's name: its element's (checked against the label OCR read for a field), else the label OCR
    read, else its place. A keyboard step names nothing; its focused element is its highlight."""
    action = item.draft.action
    if action not in LABELLED:
        shot = item.shot
        if shot is None or shot.element is None:
            return None
        return Name(None, element_box(shot.element, shot.size, None)[0], None, None)
    if item.name is not None:
        return cross_checked(item.name, item.label.text if item.label is not None else None)
    if item.label is not None:
        return from_label(item.label)
    if action == "capture":
        return None  # "Check the screen." says all there is
    return from_place(_region(item) is not None)


def _checked_by_view(item: _Work, words: list[Word], frames: Frames) -> Name | None:
    """A step named by its element, checked against the ``words`` OCR read in its :func:`_naming_area`: a
    field against its label, a button, link, tab or menu item against the text in its box."""
    name, shot = item.name, item.shot
    if name is None or name.source != "accessibility" or shot is None:
        return name
    if item.draft.action == "type":
        if shot.point is None:
            return name
        label = find_label(words, shot.point, "field", field=item.field, look=frames.look(shot.path))
        return cross_checked(name, label.text if label is not None else None)
    if name.box is None:
        return name
    element = item.draft.element
    if element is not None and item.draft.action in POINTER_ACTIONS:
        seen = shown_text(words, name.box)
        if absent_item(name, seen) and shot.point is not None:
            label = find_label(words, shot.point, "pointer")
            return from_label(label) if label is not None else from_place(_region(item) is not None)
        unseen = shown_unseen(name, element, seen)
        if unseen is not None:
            return unseen
    if not checks_shown_text(name.role):
        return name
    return cross_checked(name, shown_text(words, name.box))


def _naming_area(item: _Work) -> Area | None:
    """Where a step named by its element is checked (:func:`_checked_by_view`), within its published view:
    for a field, the region its label is read in when OCR names it (``crop_around``); else its box, and for
    a menu item the region around the click as well (its label is looked for there when its box shows no
    text). None when nothing is checked. The same with or without full frames, and whether the images are
    drawn or not (``vsop check`` reads only these areas)."""
    name, shot = item.name, item.shot
    if name is None or name.source != "accessibility" or shot is None:
        return None
    action = item.draft.action
    if action == "type":
        if shot.point is None:
            return None
        region = crop_around(shot.point, shot.size, "field")
    elif name.box is None:
        return None
    elif action in POINTER_ACTIONS and name.role in MENU_ITEM_ROLES and shot.point is not None:
        region = _union(name.box, crop_around(shot.point, shot.size, "pointer"))
    else:
        region = name.box
    inside = _intersection(region, _view_area(item, False)[1])
    return None if inside is None else (shot.path, inside)


def _within(words: list[Word], area: Area | None) -> list[Word]:
    """The words whose middle lies in ``area`` (its edges included)."""
    if area is None:
        return []
    box = area[1]
    return [
        w
        for w in words
        if box.left <= w.box.left + w.box.width / 2 <= box.left + box.width
        and box.top <= w.box.top + w.box.height / 2 <= box.top + box.height
    ]


def _union(a: Rect, b: Rect) -> Rect:
    left, top = min(a.left, b.left), min(a.top, b.top)
    right, bottom = max(a.left + a.width, b.left + b.width), max(a.top + a.height, b.top + b.height)
    return Rect(left, top, right - left, bottom - top)


def _intersection(a: Rect, b: Rect) -> Rect | None:
    left, top = max(a.left, b.left), max(a.top, b.top)
    right, bottom = min(a.left + a.width, b.left + b.width), min(a.top + a.height, b.top + b.height)
    return Rect(left, top, right - left, bottom - top) if right > left and bottom > top else None


def _read_area(item: _Work, crops: _Crops, full_frame: bool) -> Area:
    """What to read to redact the step's image: what it shows, or before its name is known (its label is
    read in the same pass) all that it may show (``generator/images/annotate.py``)."""
    shot = item.shot
    assert shot is not None
    if full_frame or crops.start is None:
        return _view_area(item, full_frame)
    within = crops.start.box
    view = views_within(shot.size, shot.point, within, shot.end)
    return shot.path, _beyond(view, shot.size)


def _view_area(item: _Work, full_frame: bool) -> Area:
    """What the step's published image shows: its frame and the region of it (``generator/images``)."""
    shot = item.shot
    assert shot is not None
    if full_frame:
        return shot.path, Rect(0, 0, *shot.size)
    box = item.name.box if item.name is not None else None
    view = view_box(shot.size, shot.point, box, shot.end)
    return shot.path, _beyond(view, shot.size)


def _beyond(view: Rect, size: tuple[int, int]) -> Rect:
    """The published view and a margin around it as wide as a blur reaches beyond its text: a piece of
    text the view's edge cuts through is read whole anyway (``generator/pipeline/pieces.py``)."""
    left, top = max(0, view.left - REDACT_MARGIN[0]), max(0, view.top - REDACT_MARGIN[1])
    right = min(size[0], view.left + view.width + REDACT_MARGIN[0])
    bottom = min(size[1], view.top + view.height + REDACT_MARGIN[1])
    return Rect(left, top, right - left, bottom - top)


def _near(box: Rect, point: tuple[int, int], px: int) -> bool:
    return abs(box.left + box.width / 2 - point[0]) <= px and abs(box.top + box.height / 2 - point[1]) <= 40


def _default_title(work: Sequence[_Work]) -> str:
    for item in work:
        window = item.draft.window
        if window is not None and window.title:
            return f"Work in {window.title}"
    return "Recorded procedure"


def _recorded(
    recording: Recording, work: list[_Work], folder: Path, drawing: _Drawing, report: Progress, ids: set[str]
) -> Recorded:
    steps = [_step(item, _new_id(ids)) for item in work]
    images = GuideFolder(folder).images
    images.mkdir()
    shots = [(step, item) for step, item in zip(steps, work, strict=True) if item.shot is not None]
    report("Drawing screenshots", 0, len(shots))
    for done, (step, item) in enumerate(shots, 1):
        drawn = drawing.result(item)
        write_png(drawn.step, images / f"{step.id}.png")
        if drawn.full is not None:
            write_png(drawn.full, images / f"{step.id}-full.png")
        step.image = f"{IMAGES_DIR}/{step.id}.png"
        report("Drawing screenshots", done, len(shots))
    return Recorded(recording, tuple(steps), folder, _end(work))


class _Drawing:
    """The step images, drawn in threads: for a step whose image is known before OCR (its element names
    it), its crop of the frame is reduced to a palette while OCR runs (:meth:`prepare`); once the steps of a
    frame are settled (:meth:`start`, while the next ones are, and while the guide is written), their
    redactions are blurred and their highlights drawn, or the whole image is drawn, the frame blurred once
    for all its steps. A frame is decoded once for OCR, the pixel checks and the images: the part of it the
    images may show is kept then (:meth:`want`). Kept as PNG bytes until the guide's folder is there
    (``generator/images/annotate.py``); at most EARLY images wait prepared, so memory stays bounded."""

    EARLY = 64
    KEPT_BYTES = 160 * 2**20  # decoded pixels kept for the images at most (Pillow holds RGB in 4 bytes)

    def __init__(self, full_frames: bool) -> None:
        self.full_frames = full_frames
        self._pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2)
        self._prepared: dict[int, tuple[Future[list[Prepared]], int, Marks]] = {}
        self._drawn: dict[int, tuple[Future[list[Drawn]], int]] = {}
        self._lock = threading.Lock()
        self._frames: Frames | None = None
        self._wanted: dict[Path, Rect] = {}  # what the images may show of each frame not decoded yet
        self._kept: dict[Path, Patch] = {}
        self._kept_bytes = 0

    def __enter__(self) -> _Drawing:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def want(self, work: Sequence[_Work], frames: Frames) -> None:
        """Keep, when ``frames`` decodes a frame for OCR and the pixel checks (:meth:`decoded`), the part of
        it that the images of ``work`` may show: what redaction reads for them (:func:`_read_area`), as far
        as it is known before OCR. An image that shows more (its name changed when its view was checked)
        decodes its frame again."""
        self._frames = frames
        if self.full_frames:
            return
        for item in work:
            if item.shot is None:
                continue
            probe = _Work(item.draft, item.shot, name=_element_name(item))
            crops = _label_crops(probe)
            if crops.start is None:
                probe.name = _named(probe)
            path, area = _read_area(probe, crops, False)
            known = self._wanted.get(path)
            self._wanted[path] = area if known is None else _union(known, area)

    def decoded(self, path: Path, image: Image.Image) -> None:
        """``frames`` decoded the frame ``path`` (:meth:`want`): the part of it the images need is kept,
        up to KEPT_BYTES of pixels; the images take it (:meth:`_patch`)."""
        with self._lock:
            area = self._wanted.get(path)
            if area is None:
                return
            cost = 4 * area.width * area.height
            if self._kept_bytes + cost > self.KEPT_BYTES:
                del self._wanted[path]
                return
            self._kept_bytes += cost
        part = image.crop((area.left, area.top, area.left + area.width, area.top + area.height))
        patch = Patch(part if part.mode == "RGB" else part.convert("RGB"), area.left, area.top, image.size)
        with self._lock:  # wanted until kept: an image that asks meanwhile waits for it (_patch)
            self._kept[path] = patch
            del self._wanted[path]

    def _patch(self, path: Path) -> Patch | None:
        """The part of the frame ``path`` kept for the images, decoded now for OCR too when it is not yet."""
        with self._lock:
            waiting = path in self._wanted
        if waiting and self._frames is not None:
            self._frames.grey(path)
        with self._lock:
            patch = self._kept.pop(path, None)
            if patch is not None:
                self._kept_bytes -= 4 * patch.image.width * patch.image.height
        return patch

    def _prepare(self, frame: Path, marks: Sequence[Marks]) -> list[Prepared]:
        return prepare(frame, marks, self._patch(frame))

    def _draw(self, frame: Path, marks: Sequence[Marks], redactions: Sequence[Redaction]) -> list[Drawn]:
        return draw_frame(frame, marks, redactions, self.full_frames, self._patch(frame))

    def prepare(self, items: Sequence[_Work]) -> None:
        """Begin the images of ``items``, steps that show one frame, whose highlights are known."""
        if self.full_frames or len(self._prepared) + len(items) > self.EARLY:
            return
        marks = [_marks(item) for item in items]
        future = self._pool.submit(self._prepare, _frame_of(items[0]), marks)
        self._prepared.update((id(item), (future, i, marks[i])) for i, item in enumerate(items))

    def start(self, items: Sequence[_Work]) -> None:
        """Draw the images of ``items``, steps that show one frame, now settled."""
        marks = [_marks(item) for item in items]
        redactions = [r for item in items for r in item.redactions]
        begun = [self._prepared.pop(id(item), None) for item in items]
        if all(b is not None and b[2] == m for b, m in zip(begun, marks, strict=True)):
            future = self._pool.submit(_finished, begun, marks, redactions)
        else:  # not begun, or its highlight moved when the view was checked
            future = self._pool.submit(self._draw, _frame_of(items[0]), marks, redactions)
        self._drawn.update((id(item), (future, i)) for i, item in enumerate(items))

    def result(self, item: _Work) -> Drawn:
        future, index = self._drawn[id(item)]
        return future.result()[index]


def _finished(
    begun: Sequence[tuple[Future[list[Prepared]], int, Marks] | None],
    marks: Sequence[Marks],
    redactions: Sequence[Redaction],
) -> list[Drawn]:
    drawn = []
    for started, mark in zip(begun, marks, strict=True):
        assert started is not None
        future, index, _ = started
        drawn.append(Drawn(finish(future.result()[index], mark, redactions)))
    return drawn


def _marks(item: _Work) -> Marks:
    shot = _frame_shot(item)
    return Marks(shot.point, _box(item), shot.end)


def _frame_shot(item: _Work) -> _Shot:
    assert item.shot is not None
    return item.shot


def _box(item: _Work) -> Rect | None:
    return item.name.box if item.name is not None else None


def _end(work: Sequence[_Work]) -> float:
    """Seconds from the start of the recording to the last event of the last step."""
    return round(max((w.draft.t + w.draft.duration for w in work), default=0.0), 1)


def _guide(slug: str, title: str, link: _Link, made: Recorded, library: Path) -> Guide:
    return Guide(
        id=slug,
        title=title,
        stage=link.stage,
        version="1.0.0",
        purpose=None,
        recorded=recorded_field(made, library),
        steps=list(made.steps),
        revisions=[Revision("1.0.0", date.today().isoformat(), "Recorded", duration_s=made.duration_s)],
        stage_source=link.source,
        stage_evidence=list(link.evidence),
    )


def recorded_field(made: Recorded, library: Path | None = None) -> dict[str, object]:
    """The guide's ``recorded`` field: which recording its steps come from, when it started, how long. The
    recording is named by its path relative to ``library`` when it lies inside it, else by its folder's
    name: never by an absolute path, which would carry the user's name into git and the site's source."""
    path = made.recording.path.absolute()
    inside = library is not None and path.is_relative_to(library.absolute())
    return {
        "recording": path.relative_to(library.absolute()).as_posix() if inside and library else path.name,
        "started": made.recording.meta.started,
        "duration_s": made.duration_s,
    }


def _step(item: _Work, step_id: str) -> Step:
    draft, name = item.draft, item.name or Name(None, None, None, None)
    value = None if item.secret else item.personal.value if item.personal is not None else draft.value
    box = name.box
    step = Step(
        id=step_id,
        action=draft.action,
        target=name.text,
        value=value,
        window=draft.window.title if draft.window is not None else None,
        text="",
        box=(box.left, box.top, box.width, box.height) if box is not None else None,
        at=round(draft.t, 2),
        secret=item.secret,
        dropped=draft.dropped,
        conf=name.conf,
        source=name.source,
        confidence=name.confidence,
        role=name.role,
        ancestors=list(name.ancestors),
        count=draft.count,
        note=draft.note,
    )
    personal = item.personal.kind if item.personal is not None else None
    end_target = item.end_label.text if item.end_label else None
    return replace(step, text=step_text(step, end_target, _region(item), personal=personal))


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
