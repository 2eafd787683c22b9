"""The changes a person makes to a guide in ``vsop edit``, as pure functions on a Guide.

A change is a JSON object ``{"op": NAME, ...}`` (the keys of each op are in ``_KEYS``). :func:`apply` checks
the whole request first and returns a new Guide; a bad request raises :class:`EditError` (the editor answers
400 with its message) and changes nothing. Every change to a step is marked in ``Step.edited`` so that
``vsop update`` keeps it; deleting and merging set ``dropped`` instead of removing the step.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from generator.errors import EditError, GuideError, ImageError, ValueStreamError
from generator.guide.model import Box, EditedField, Guide, NoteKind, Step, ValueStream
from generator.guide.schema import NOTE_KINDS
from generator.images.edits import inside
from generator.images.files import image_size
from generator.valuestream.store import check_stage

MAX_TEXT = 5000  # characters of a step text, note, purpose or prerequisite
MAX_TITLE = 200
MIN_SIDE = 4  # pixels: a smaller box is a slip of the mouse
DELETED = "deleted by a person"


@dataclass(frozen=True, slots=True)
class Context:
    """What a change may need besides the guide: its folder (image sizes) and its library's value stream."""

    folder: Path
    valuestream: Callable[[], ValueStream]


def apply(guide: Guide, request: object, ctx: Context) -> Guide:
    """The guide with the change ``request`` made; ``guide`` itself is left as it is."""
    if not isinstance(request, dict):
        raise EditError(f"request: expected a JSON object with an op, found {_show(request)}")
    name = request.get("op")
    if name not in _OPS:
        raise EditError(f"op: expected one of {', '.join(sorted(OPS))}, found {_show(name)}")
    allowed = {"op", *_KEYS[name]}
    unknown = sorted(str(k) for k in request if k not in allowed)
    if unknown:
        raise EditError(f"{name}: unknown key(s) {', '.join(unknown)}; expected {', '.join(sorted(allowed))}")
    changed = copy.deepcopy(guide)
    _OPS[name](changed, request, ctx)
    return changed


# Guide fields --------------------------------------------------------------------------------------------


def _guide(guide: Guide, req: dict[str, Any], ctx: Context) -> None:
    if not any(k in req for k in ("title", "purpose", "prerequisites")):
        raise EditError("guide: expected at least one of title, purpose, prerequisites")
    if "title" in req:
        title = _string(req, "title", MAX_TITLE).strip()
        if not title or "\n" in title:
            raise EditError(f"title: expected one line of text, found {_show(req['title'])}")
        guide.title = title
    if "purpose" in req:
        purpose = None if req["purpose"] is None else _string(req, "purpose", MAX_TEXT).strip()
        guide.purpose = purpose or None
    if "prerequisites" in req:
        items = req["prerequisites"]
        if not isinstance(items, list) or not all(isinstance(i, str) and len(i) <= MAX_TEXT for i in items):
            raise EditError(f"prerequisites: expected a list of texts, found {_show(items)}")
        guide.prerequisites = [i.strip() for i in items if i.strip()]


def _stage(guide: Guide, req: dict[str, Any], ctx: Context) -> None:
    if "stage" not in req:
        raise EditError("stage: expected a stage id of the value stream, or null for none")
    stage = req["stage"]
    if stage is None:
        guide.stage, guide.stage_source = None, None
    elif isinstance(stage, str):
        try:
            guide.stage = check_stage(ctx.valuestream(), stage, "stage").id
        except (GuideError, ValueStreamError) as exc:
            raise EditError(str(exc)) from None
        guide.stage_source = "manual"
    else:
        raise EditError(f"stage: expected a stage id or null, found {_show(stage)}")
    guide.stage_evidence = []


# Step texts ----------------------------------------------------------------------------------------------


def _text(guide: Guide, req: dict[str, Any], ctx: Context) -> None:
    step = _step(guide, req)
    text = _string(req, "text", MAX_TEXT).strip()
    if not text:
        raise EditError("text: expected the step's instruction, found nothing (delete the step instead)")
    step.text = text
    _mark(step, "text")


def _note(guide: Guide, req: dict[str, Any], ctx: Context) -> None:
    step = _step(guide, req)
    note = None if req.get("note") is None else _string(req, "note", MAX_TEXT).strip()
    kind = req.get("kind", "note")
    if kind not in NOTE_KINDS:
        raise EditError(f"kind: expected one of {', '.join(sorted(NOTE_KINDS))}, found {_show(kind)}")
    step.note = note or None
    step.note_kind = cast(NoteKind, kind) if note else "note"
    _mark(step, "note")


# Steps: delete, restore, merge, move ---------------------------------------------------------------------


def _delete(guide: Guide, req: dict[str, Any], ctx: Context) -> None:
    step = _shown(guide, req, "step")
    step.dropped = DELETED
    _mark(step, "dropped")


def _restore(guide: Guide, req: dict[str, Any], ctx: Context) -> None:
    step = _step(guide, req)
    if step.dropped is None:
        raise EditError(f"step: {step.id} is shown already; only a hidden step can be restored")
    step.dropped = None
    step.edited = [e for e in step.edited if e != "dropped"]


def _merge(guide: Guide, req: dict[str, Any], ctx: Context) -> None:
    """The step and the next shown one become one step: the first's screenshot, both texts and notes."""
    first, second = _shown(guide, req, "step"), _shown(guide, req, "with")
    shown = _shown_steps(guide)
    at = shown.index(first)
    if at + 1 >= len(shown) or shown[at + 1] is not second:
        raise EditError(f"with: expected the step shown right after {first.id}, found {second.id}")
    first.text = f"{first.text.rstrip()} {second.text.strip()}"
    _mark(first, "text")
    if second.note:
        first.note = f"{first.note}\n\n{second.note}" if first.note else second.note
        first.note_kind = first.note_kind if first.note_kind != "note" else second.note_kind
        _mark(first, "note")
    second.dropped = f"merged into step {first.id}"
    _mark(second, "dropped")


def _move(guide: Guide, req: dict[str, Any], ctx: Context) -> None:
    """Move a shown step ``by`` places among the shown steps (-1: up one); hidden steps stay in place."""
    step = _shown(guide, req, "step")
    by = req.get("by")
    if type(by) is not int or by == 0:
        raise EditError(f"by: expected a whole number of places other than 0 (-1: up), found {_show(by)}")
    shown = _shown_steps(guide)
    to = shown.index(step) + by
    if not 0 <= to < len(shown):
        raise EditError(f"by: step {step.id} cannot move {by} places among {len(shown)} shown steps")
    anchor = shown[to]
    guide.steps.remove(step)
    where = guide.steps.index(anchor)
    guide.steps.insert(where if by < 0 else where + 1, step)


# Images: highlight, blur, crop ---------------------------------------------------------------------------


def _box(guide: Guide, req: dict[str, Any], ctx: Context) -> None:
    step = _step(guide, req)
    step.box = _image_box(step, req.get("box"), "box", ctx, optional=True)
    _mark(step, "box")


def _blur(guide: Guide, req: dict[str, Any], ctx: Context) -> None:
    step = _step(guide, req)
    boxes = req.get("boxes")
    if not isinstance(boxes, list) or len(boxes) > 100:
        raise EditError(f"boxes: expected a list of [x, y, width, height], found {_show(boxes)}")
    step.blur = [b for i, v in enumerate(boxes) if (b := _image_box(step, v, f"boxes[{i}]", ctx)) is not None]
    _mark(step, "blur")


def _crop(guide: Guide, req: dict[str, Any], ctx: Context) -> None:
    step = _step(guide, req)
    step.crop = _image_box(step, req.get("box"), "box", ctx, optional=True)
    _mark(step, "crop")


def _image_box(step: Step, value: object, where: str, ctx: Context, optional: bool = False) -> Box | None:
    """``[x, y, width, height]`` in whole pixels of the step's image, inside it; null when ``optional``."""
    if value is None and optional:
        return None
    if step.image is None:
        raise EditError(f"step: {step.id} has no screenshot")
    if not (isinstance(value, list) and len(value) == 4 and all(type(v) is int for v in value)):
        raise EditError(f"{where}: expected [x, y, width, height] in whole pixels, found {_show(value)}")
    box = (value[0], value[1], value[2], value[3])
    try:
        size = image_size(ctx.folder / step.image)
    except (OSError, ImageError) as exc:
        raise EditError(f"step: the screenshot {step.image} of {step.id} cannot be read ({exc})") from None
    if not inside(box, size) or min(box[2:]) < MIN_SIDE:
        raise EditError(
            f"{where}: expected a box of at least {MIN_SIDE}x{MIN_SIDE} pixels inside the "
            f"{size[0]}x{size[1]} screenshot, found {list(box)}"
        )
    return box


# Helpers -------------------------------------------------------------------------------------------------


def _step(guide: Guide, req: dict[str, Any], key: str = "step") -> Step:
    step_id = req.get(key)
    found = next((s for s in guide.steps if s.id == step_id), None)
    if found is None:
        raise EditError(f"{key}: expected the id of a step of this guide, found {_show(step_id)}")
    return found


def _shown(guide: Guide, req: dict[str, Any], key: str) -> Step:
    step = _step(guide, req, key)
    if step.dropped is not None:
        raise EditError(f"{key}: step {step.id} is hidden ({step.dropped}); restore it first")
    return step


def _shown_steps(guide: Guide) -> list[Step]:
    return [s for s in guide.steps if s.dropped is None]


def _string(req: dict[str, Any], key: str, limit: int) -> str:
    value = req.get(key)
    if not isinstance(value, str) or len(value) > limit:
        raise EditError(f"{key}: expected a text of at most {limit} characters, found {_show(value)}")
    return value


def _mark(step: Step, name: EditedField) -> None:
    if name not in step.edited:
        step.edited.append(name)


def _show(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 80 else shown[:77] + "..."


_Op = Callable[[Guide, dict[str, Any], Context], None]
_OPS: dict[object, _Op] = {
    "guide": _guide,
    "stage": _stage,
    "text": _text,
    "note": _note,
    "delete": _delete,
    "restore": _restore,
    "merge": _merge,
    "move": _move,
    "box": _box,
    "blur": _blur,
    "crop": _crop,
}
_KEYS: dict[object, tuple[str, ...]] = {
    "guide": ("title", "purpose", "prerequisites"),
    "stage": ("stage",),
    "text": ("step", "text"),
    "note": ("step", "note", "kind"),
    "delete": ("step",),
    "restore": ("step",),
    "merge": ("step", "with"),
    "move": ("step", "by"),
    "box": ("step", "box"),
    "blur": ("step", "boxes"),
    "crop": ("step", "box"),
}
OPS = tuple(str(k) for k in _OPS)
