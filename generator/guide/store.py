"""guide.yml: the source of truth of one guide (docs/guide-format.md). Loading validates everything and
reports each problem with its line; saving is atomic."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any, cast, get_args

import yaml

from capture.files import atomic_write_text
from generator.errors import GuideError
from generator.guide.durations import parse_duration
from generator.guide.model import (
    Action,
    Box,
    Change,
    EditedField,
    Guide,
    NoteKind,
    Revision,
    StageSource,
    Step,
)
from generator.guide.yamlcheck import Checker, parse

SCHEMA = 1
GUIDE_FILE = "guide.yml"
ACTIONS = frozenset(get_args(Action))
_STEP_DEFAULTS: dict[str, Any] = {
    "note": None,
    "secret": False,
    "dropped": None,
    "conf": None,
    "count": 1,
    "note_kind": "note",
    "blur": [],
    "crop": None,
    "edited": [],
    "change": None,
    "was": None,
}
NOTE_KINDS = frozenset(get_args(NoteKind))
EDITED_FIELDS = frozenset(get_args(EditedField))
CHANGES = frozenset(get_args(Change))
_ALWAYS = ("id", "action", "target", "value", "window", "text", "note", "image", "box", "at")


class _Dumper(yaml.SafeDumper):
    pass


class _Flow(list[Any]):
    """A list written on one line (``box: [x, y, w, h]``)."""


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def dump_guide(guide: Guide) -> str:
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "id": guide.id,
        "title": guide.title,
        "stage": guide.stage,
        **_optional(guide),
        "version": guide.version,
        "purpose": guide.purpose,
        "prerequisites": list(guide.prerequisites),
        "recorded": dict(guide.recorded),
        "steps": [_step_data(s) for s in guide.steps],
        "revisions": [_revision_data(r) for r in guide.revisions],
    }
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


def _optional(guide: Guide) -> dict[str, Any]:
    """Guide fields written only when set (docs/guide-format.md)."""
    data: dict[str, Any] = {
        "stage_source": guide.stage_source,
        "stage_evidence": list(guide.stage_evidence) or None,
        "reviewed": guide.reviewed,
        "review_every": guide.review_every,
    }
    return {k: v for k, v in data.items() if v is not None}


def _revision_data(revision: Revision) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(revision).items() if v is not None and v != []}


def _step_data(step: Step) -> dict[str, Any]:
    data = {name: getattr(step, name) for name in _ALWAYS}
    if step.box is not None:
        data["box"] = _Flow(step.box)
    for name, default in _STEP_DEFAULTS.items():
        value = getattr(step, name)
        if value != default:
            data[name] = value
    if step.blur:
        data["blur"] = [_Flow(b) for b in step.blur]
    if step.crop is not None:
        data["crop"] = _Flow(step.crop)
    if step.edited:
        data["edited"] = _Flow(step.edited)
    return data


def save_guide(guide: Guide, path: Path) -> None:
    atomic_write_text(path, dump_guide(guide))


def load_guide(path: Path) -> Guide:
    """Read and validate ``path``; every problem is reported at once as ``file:line: what``."""
    try:
        text, data = parse(path, GuideError)
    except FileNotFoundError:
        raise GuideError(f"{path}: no such guide file") from None
    checker = _Checker(path, text)
    guide = checker.guide(data)
    if checker.problems:
        raise GuideError("\n".join(checker.problems))
    assert guide is not None
    return guide


class _Checker(Checker):
    """Validates guide.yml against the schema."""

    def guide(self, data: Any) -> Guide | None:
        if not isinstance(data, dict):
            self.fail((), "expected a mapping with schema, id, title, steps... (see docs/guide-format.md)")
            return None
        schema = data.get("schema")
        if schema != SCHEMA:
            self.fail(("schema",), f"expected {SCHEMA}, found {schema!r} (this vsop reads schema {SCHEMA})")
        steps = self.get(data, (), "steps", list, optional=True) or []
        revisions = self.get(data, (), "revisions", list, optional=True) or []
        guide = Guide(
            id=self.get(data, (), "id", str, False) or "",
            title=self.get(data, (), "title", str, False) or "",
            stage=self.get(data, (), "stage", str, True),
            version=self.version(data),
            purpose=self.get(data, (), "purpose", str, True),
            recorded=self.get(data, (), "recorded", dict, True) or {},
            steps=[s for i, item in enumerate(steps) if (s := self.step(item, ("steps", i))) is not None],
            revisions=[r for i, item in enumerate(revisions) if (r := self.revision(item, ("revisions", i)))],
            prerequisites=[str(p) for p in self.get(data, (), "prerequisites", list, True) or []],
            stage_source=self.stage_source(data),
            stage_evidence=[str(e) for e in self.get(data, (), "stage_evidence", list, True) or []],
            reviewed=self.date(data, (), "reviewed"),
            review_every=self.duration(data, (), "review_every"),
        )
        ids = [s.id for s in guide.steps]
        for i, step_id in enumerate(ids):
            if step_id in ids[:i]:
                self.fail(("steps", i, "id"), f"duplicate step id {step_id!r}; each step needs its own id")
        return guide

    def stage_source(self, data: dict[str, Any]) -> StageSource | None:
        source = data.get("stage_source")
        if source not in (None, "manual", "auto"):
            self.fail(("stage_source",), f"expected manual, auto or null, found {source!r}")
            return None
        return cast(StageSource | None, source)

    def date(self, data: dict[str, Any], where: tuple[object, ...], key: str) -> str | None:
        """An ISO date (YAML reads ``2026-11-22`` as a date; a quoted one is text and is checked too)."""
        value = data.get(key)
        if value is None:
            return None
        text = str(value)
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            self.fail((*where, key), f"expected a date like 2026-11-22, found {value!r}")
            return None
        return text

    def duration(self, data: dict[str, Any], where: tuple[object, ...], key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            parse_duration(value)
        except ValueError as exc:
            self.fail((*where, key), str(exc))
            return None
        return str(value)

    def version(self, data: dict[str, Any]) -> str:
        version = str(data.get("version", ""))
        parts = version.split(".")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            self.fail(("version",), f"expected a version like 1.2.0, found {data.get('version')!r}")
        return version

    def step(self, item: Any, where: tuple[object, ...]) -> Step | None:
        if not isinstance(item, dict):
            self.fail(where, f"expected a step mapping (id, action, text...), found {item!r}")
            return None
        action = item.get("action")
        if action not in ACTIONS:
            self.fail((*where, "action"), f"expected one of {', '.join(sorted(ACTIONS))}, found {action!r}")
        box = self.box(item.get("box"), (*where, "box"))
        blur = self.get(item, where, "blur", list, True) or []
        note_kind = item.get("note_kind", "note")
        if note_kind not in NOTE_KINDS:
            self.fail(
                (*where, "note_kind"), f"expected one of {', '.join(sorted(NOTE_KINDS))}, found {note_kind!r}"
            )
            note_kind = "note"
        edited = self.get(item, where, "edited", list, True) or []
        for i, name in enumerate(edited):
            if name not in EDITED_FIELDS:
                self.fail(
                    (*where, "edited", i),
                    f"expected one of {', '.join(sorted(EDITED_FIELDS))}, found {name!r}",
                )
        change = item.get("change")
        if change is not None and change not in CHANGES:
            self.fail(
                (*where, "change"), f"expected one of {', '.join(sorted(CHANGES))} or null, found {change!r}"
            )
            change = None
        return Step(
            id=self.get(item, where, "id", str, False) or "",
            action=cast(Action, action if action in ACTIONS else "click"),  # a bad one is reported above
            target=self.text(item, where, "target"),
            value=self.text(item, where, "value"),
            window=self.get(item, where, "window", str, True),
            text=self.get(item, where, "text", str, False) or "",
            note=self.get(item, where, "note", str, True),
            image=self.image(item, where),
            box=box,
            at=float(self.get(item, where, "at", (int, float), True) or 0.0),
            secret=bool(self.get(item, where, "secret", bool, True)),
            dropped=self.get(item, where, "dropped", str, True),
            conf=self.get(item, where, "conf", (int, float), True),
            count=self.get(item, where, "count", int, True) or 1,
            note_kind=cast(NoteKind, note_kind),
            blur=[b for i, v in enumerate(blur) if (b := self.box(v, (*where, "blur", i))) is not None],
            crop=self.box(item.get("crop"), (*where, "crop")),
            edited=[cast(EditedField, e) for e in edited if e in EDITED_FIELDS],
            change=cast(Change | None, change),
            was=self.get(item, where, "was", str, True),
        )

    def box(self, value: Any, where: tuple[object, ...]) -> Box | None:
        """``[x, y, width, height]`` in integers (width and height above 0), or None."""
        if value is None:
            return None
        if (
            not (isinstance(value, list) and len(value) == 4 and all(type(v) is int for v in value))
            or min(value[2:]) <= 0
        ):
            self.fail(where, f"expected [x, y, width, height] in integers or null, found {value!r}")
            return None
        return (value[0], value[1], value[2], value[3])

    def text(self, item: dict[str, Any], where: tuple[object, ...], key: str) -> str | None:
        value = item.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # a typed number such as 42 stays text
        result: str | None = self.get(item, where, key, str, True)
        return result

    def image(self, item: dict[str, Any], where: tuple[object, ...]) -> str | None:
        image: str | None = self.get(item, where, "image", str, True)
        if image is not None and (image.startswith(("/", "\\")) or ".." in Path(image).parts or ":" in image):
            self.fail((*where, "image"), f"expected a path inside the guide folder, found {image!r}")
            return None
        return image

    def revision(self, item: Any, where: tuple[object, ...]) -> Revision | None:
        if not isinstance(item, dict):
            self.fail(where, f"expected a revision mapping (version, date, summary), found {item!r}")
            return None
        date = item.get("date")
        return Revision(
            version=str(item.get("version", "")),
            date=str(date) if date is not None else "",
            summary=self.get(item, where, "summary", str, False) or "",
            author=self.get(item, where, "author", str, True),
            duration_s=self.get(item, where, "duration_s", (int, float), True),
            removed=[str(r) for r in self.get(item, where, "removed", list, True) or []],
        )
