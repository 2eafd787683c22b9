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
from generator.images.annotate import annotate, view_box
from generator.library.layout import IMAGES_DIR, GuideFolder, Library, replacing, slugify, unique_slug
from generator.pipeline.label import (
    Kind,
    crop_around,
    field_candidates,
    find_label,
    looks_masked,
)
from generator.pipeline.naming import (
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
from generator.pipeline.pixels import FrameLook, field_box
from generator.pipeline.redact import find_sensitive, find_typed, typed_pieces
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
REDACT_MARGIN = (120, 8)  # px read beyond the published view's sides and top and bottom (see _beyond)


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
    look: FrameLook | None = None  # what the pixels of the step's frame say about its text (typing, clicks)
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
    _fields(recording, work)
    ocr = Ocr(cache_dir=Library(library).cache / "ocr")
    _label(work, ocr, options, report)
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
        with Image.open(path) as image:
            size = image.size
            image.verify()  # checks every chunk without decoding: a truncated frame is caught here
    except (OSError, SyntaxError, UnidentifiedImageError) as exc:
        log.warning("%s: unreadable frame (%s); the step keeps its text, without a screenshot", path, exc)
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


def _fields(recording: Recording, work: list[_Work]) -> None:
    """For every typing step: the box of its field (its element's bounds, else the field's edges found in
    the frame around the click) and whether what was typed is secret by what the element and the frames
    show (masking dots there, then or later; ``generator/pipeline/secrets.py``). Labels come with OCR."""
    frames = Frames(recording)
    for item in work:
        if item.draft.action in POINTER_ACTIONS and item.shot is not None and item.shot.point is not None:
            item.look = frames.look(item.shot.path)  # tells two buttons side by side apart
        if item.draft.action != "type":
            continue
        shot = item.shot
        if shot is not None:
            item.look = frames.look(shot.path)
            found = field_box(item.look.grey, shot.point) if item.look and shot.point else None
            item.field = shot.element or found
        field = Field(item.draft.element, masked=masked_field(frames, item.draft, item.field))
        item.secret = item.secret or is_secret(field, no_text=recording.meta.no_text)


def _label(work: list[_Work], ocr: Ocr, options: Options, report: Progress) -> None:
    """Name the steps (``generator/pipeline/naming.py``): by their element where it has a usable name; OCR
    around the points of the other steps in one batch. Then, to redact, OCR what each published image will
    show (it depends on the name's box) in a second batch, against which the elements' names are checked."""
    for item in work:
        item.name = _element_name(item)
    shots = [item for item in work if item.shot is not None]
    crops = {id(item): _label_crops(item) for item in shots}
    words = _ocr(ocr, [crop for item in shots for crop in crops[id(item)].all()], "Reading screens", report)
    for item in shots:
        _read_label(item, crops[id(item)], words)
    for item in work:
        item.name = _named(item)
    if not options.redact:
        return
    views = {id(item): _view_crop(item, options.full_frames) for item in shots}
    seen = _ocr(ocr, list(views.values()), "Looking for personal data", report)
    for item in work:
        if item.draft.action == "type" and item.draft.value and not item.secret:
            item.personal = withhold_personal(item.draft.value)
    values = [w.draft.value for w in work if w.draft.action == "type"]
    typed = typed_pieces([v for v in values if v]) | secret_pieces(w.draft.value for w in work if w.secret)
    for item in shots:
        start = crops[id(item)].start
        found = seen[views[id(item)]] + (words[start] if start is not None else [])
        item.redactions = tuple(dict.fromkeys(find_sensitive(found) + find_typed(found, typed)))
        item.name = _checked_by_view(item, seen[views[id(item)]])


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


def _read_label(item: _Work, crops: _Crops, words: dict[Crop, list[Word]]) -> None:
    shot = item.shot
    assert shot is not None
    field = item.draft.action == "type"
    if crops.start is not None and shot.point is not None:
        around = words[crops.start]
        item.label = find_label(
            around, shot.point, "field" if field else "pointer", field=item.field, look=item.look
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


def _checked_by_view(item: _Work, words: list[Word]) -> Name | None:
    """A step named by its element, checked against what OCR read on the published view: a field against
    its label, a button, link, tab or menu item against the text in its box."""
    name, shot = item.name, item.shot
    if name is None or name.source != "accessibility" or shot is None:
        return name
    if item.draft.action == "type":
        if shot.point is None:
            return name
        label = find_label(words, shot.point, "field", field=item.field, look=item.look)
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


def _view_crop(item: _Work, full_frame: bool) -> Crop:
    shot = item.shot
    assert shot is not None
    if full_frame:
        return Crop(shot.path, Rect(0, 0, *shot.size), scale=REDACT_SCALE)
    box = item.name.box if item.name is not None else None
    view = view_box(shot.size, shot.point, box, shot.end)
    return Crop(shot.path, _beyond(view, shot.size), scale=REDACT_SCALE)


def _beyond(view: Rect, size: tuple[int, int]) -> Rect:
    """The published view and a margin around it: personal data the view's edge cuts through is read whole
    there (a part alone matches no pattern), so its blur reaches into the view."""
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
        box = item.name.box if item.name is not None else None
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
