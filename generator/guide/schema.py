"""The guide.yml schema, declared once: the fields of :class:`~generator.guide.model.Guide`, ``Step`` and
``Revision``, each with its annotation, its default and its ``yml(...)`` metadata (a refinement of the type,
whether it is always written, whether it is a person's edit).

Takes those records; gives each one's :class:`Field` tuple (:func:`fields_of`) and the reading and writing of
a record by it. ``store.py`` loads and saves guide.yml with these; tests hold the editor (``edit/ops.py``) and
the field tables of docs/guide-format.md to them (tests/test_guide_schema.py).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Literal, Protocol, Union, cast, get_args, get_origin

import yaml

from generator.guide.durations import FORMAT_HINT, parse_date, parse_duration
from generator.guide.model import (
    YML,
    Approval,
    Change,
    Control,
    EditedField,
    Guide,
    NoteKind,
    Retirement,
    Revision,
    Step,
    Yml,
    YmlKind,
)
from generator.guide.paths import ID_RULE, is_id, relative_parts
from generator.guide.yamlcheck import Checker, Where

SCHEMA = 1  # the version of the format: the first key of every guide.yml
NUMBER_LIMIT = 1e9  # numbers are seconds, counts and confidences: NaN, infinity or 1e308 is a typing error
BOX_LIMIT = 100_000  # pixels: wider than any screen
IMAGE_SUFFIXES = ("png", "jpg", "jpeg", "gif", "webp")  # of a step's image, in the guide's images/ folder
RECORDS: dict[str, type] = {  # as the docs name them
    "guide": Guide,
    "step": Step,
    "revision": Revision,
    "control": Control,
    "approval": Approval,
    "retirement": Retirement,
}
NOTE_KINDS = frozenset(get_args(NoteKind))
EDITED_FIELDS = frozenset(get_args(EditedField))
CHANGES = frozenset(get_args(Change))


class _Failed:
    """What a reader returns after it reported a problem."""


FAILED: Final = _Failed()
_REQUIRED: Final = dataclasses.MISSING


class Flow(list[Any]):
    """A list written on one line (``box: [x, y, w, h]``)."""


# Kinds: what one YAML value may be --------------------------------------------------------------------------


class Kind(Protocol):
    """How a YAML value of one kind is checked and read, how it is written, and how the docs name it."""

    @property
    def doc(self) -> str:
        """The type as the field tables of docs/guide-format.md name it."""

    @property
    def plural(self) -> str:
        """The same, after "list of"."""

    @property
    def expected(self) -> str:
        """What an error says was expected."""

    def read(self, check: Checker, value: Any, where: Where, nullable: bool) -> Any:
        """``value`` (not None) as the record holds it, or FAILED after reporting a problem to ``check``."""

    def write(self, value: Any) -> Any:
        """``value`` (not None) as guide.yml holds it."""


def fail(kind: Kind, check: Checker, where: Where, value: Any, nullable: bool) -> _Failed:
    check.fail(where, f"expected {kind.expected}{' or null' if nullable else ''}, found {value!r}")
    return FAILED


class _AsIs:
    """Written as it is read."""

    __slots__ = ()

    def write(self, value: Any) -> Any:
        return value


@dataclass(frozen=True, slots=True)
class Scalar(_AsIs):
    """A value of one of ``types`` (a bool is not a number); ``convert`` makes it the record's type."""

    types: tuple[type, ...]
    doc: str
    plural: str
    convert: Callable[[Any], Any] | None = None
    numbers: bool = False  # a number is read as text (a typed 42 stays "42")
    limit: float | None = None  # a number must be finite and at most this far from 0

    @property
    def expected(self) -> str:
        return " or ".join(t.__name__ for t in self.types)

    def read(self, check: Checker, value: Any, where: Where, nullable: bool) -> Any:
        if self.numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, self.types) or (isinstance(value, bool) and bool not in self.types):
            return fail(self, check, where, value, nullable)
        if self.limit is not None and isinstance(value, (int, float)) and not abs(value) <= self.limit:  # NaN
            check.fail(where, f"expected a {self.doc} from {-self.limit:g} to {self.limit:g}, found {value}")
            return FAILED
        return self.convert(value) if self.convert else value


@dataclass(frozen=True, slots=True)
class Loose(_AsIs):
    """Any value, read as text; a missing one is empty text (a revision's version and date)."""

    doc: str = "text"
    plural: str = "texts"
    expected: str = "text"

    def read(self, check: Checker, value: Any, where: Where, nullable: bool) -> Any:
        return str(value)


@dataclass(frozen=True, slots=True)
class Checked(_AsIs):
    """Text that ``valid`` accepts (YAML may read it as a number or a date: it is kept as text)."""

    doc: str
    plural: str
    expected: str
    valid: Callable[[Any], bool]

    def read(self, check: Checker, value: Any, where: Where, nullable: bool) -> Any:
        return str(value) if self.valid(value) else fail(self, check, where, value, nullable)


@dataclass(frozen=True, slots=True)
class OneOf(_AsIs):
    values: tuple[str, ...]

    @property
    def doc(self) -> str:
        return f"one of {', '.join(self.values)}"

    @property
    def plural(self) -> str:
        return f"names from {', '.join(self.values)}"

    @property
    def expected(self) -> str:
        return f"one of {', '.join(sorted(self.values))}"

    def read(self, check: Checker, value: Any, where: Where, nullable: bool) -> Any:
        return value if value in self.values else fail(self, check, where, value, nullable)


@dataclass(frozen=True, slots=True)
class BoxKind:
    """``[x, y, width, height]`` in integers, width and height above 0."""

    doc: str = "[x, y, width, height]"
    plural: str = "boxes [x, y, width, height]"
    expected: str = f"[x, y, width, height] in integers up to {BOX_LIMIT}, width and height above 0"

    def read(self, check: Checker, value: Any, where: Where, nullable: bool) -> Any:
        if not (isinstance(value, list) and len(value) == 4 and all(type(v) is int for v in value)):
            return fail(self, check, where, value, nullable)
        if min(value[2:]) <= 0 or max(abs(v) for v in value) > BOX_LIMIT:
            return fail(self, check, where, value, nullable)
        return (value[0], value[1], value[2], value[3])

    def write(self, value: Any) -> Any:
        return Flow(value)


@dataclass(frozen=True, slots=True)
class ListOf:
    """A list; an item that fails is reported and left out. Lists of names are written on one line."""

    item: Kind
    expected: str = "list"

    @property
    def doc(self) -> str:
        return f"list of {self.item.plural}"

    @property
    def plural(self) -> str:
        return f"lists of {self.item.plural}"

    def read(self, check: Checker, value: Any, where: Where, nullable: bool) -> Any:
        if not isinstance(value, list):
            return fail(self, check, where, value, nullable)
        items = []
        for i, item in enumerate(value):
            if item is None:
                fail(self.item, check, (*where, i), item, False)
            elif (read := self.item.read(check, item, (*where, i), False)) is not FAILED:
                items.append(read)
        return items

    def write(self, value: Any) -> Any:
        items = [self.item.write(v) for v in value]
        return Flow(items) if isinstance(self.item, OneOf) else items


@dataclass(frozen=True, slots=True)
class Mapping:
    """A mapping kept as YAML read it (``recorded``)."""

    doc: str = "mapping"
    plural: str = "mappings"
    expected: str = "dict"

    def read(self, check: Checker, value: Any, where: Where, nullable: bool) -> Any:
        return value if isinstance(value, dict) else fail(self, check, where, value, nullable)

    def write(self, value: Any) -> Any:
        return dict(value)


@dataclass(frozen=True, slots=True)
class Record:
    """A mapping read into the dataclass ``record`` field by field."""

    record: type

    @property
    def doc(self) -> str:
        return _record_name(self.record)

    @property
    def plural(self) -> str:
        return f"{_record_name(self.record)}s"

    @property
    def expected(self) -> str:
        names = [f.name for f in fields_of(self.record) if not f.has_default and not f.optional]
        return f"a {_record_name(self.record)} mapping ({', '.join(names[:3])}{'...' if names[3:] else ''})"

    def read(self, check: Checker, value: Any, where: Where, nullable: bool) -> Any:
        if not isinstance(value, dict):
            return fail(self, check, where, value, nullable)
        return read_record(check, self.record, value, where)

    def write(self, value: Any) -> Any:
        return write_record(value)


def _record_name(record: type) -> str:
    return next((name for name, r in RECORDS.items() if r is record), record.__name__.lower())


def _version(value: Any) -> bool:
    return re.fullmatch(r"\d+\.\d+\.\d+", str(value)) is not None


def _date(value: Any) -> bool:
    """YAML reads ``2026-11-22`` as a date; a quoted one is text and is checked too (years 1900 to 2999)."""
    try:
        parse_date(value)
    except ValueError:
        return False
    return True


def _duration(value: Any) -> bool:
    try:
        parse_duration(value)
    except ValueError:
        return False
    return True


def _inside(value: Any) -> bool:
    """A relative path to an image file in the guide's images folder (never guide.yml nor another file of
    the guide, which would be published as an image)."""
    parts = relative_parts(value) if isinstance(value, str) else None
    return parts is not None and len(parts) > 1 and parts[0] == "images" and _is_image_name(parts[-1])


def _is_image_name(name: str) -> bool:
    return "." in name and name.rsplit(".", 1)[1].lower() in IMAGE_SUFFIXES


TEXT = Scalar((str,), "text", "texts")
TYPED = Scalar((str,), "text", "texts", numbers=True)
BOOL = Scalar((bool,), "true or false", "true or false")
INT = Scalar((int,), "integer", "integers", limit=NUMBER_LIMIT)
NUMBER = Scalar((int, float), "number", "numbers", convert=float, limit=NUMBER_LIMIT)
BOX = BoxKind()
MAPPING = Mapping()
REFINED: dict[YmlKind, Kind] = {
    "version": Checked("version like 1.2.0", "versions", "a version like 1.2.0", _version),
    "date": Checked("date like 2026-11-22", "dates", "a date like 2026-11-22", _date),
    "duration": Checked("duration like 180d", "durations", FORMAT_HINT, _duration),
    "path": Checked(
        "image in images/", "images in images/", f"an image in images/ ({', '.join(IMAGE_SUFFIXES)})", _inside
    ),
    "id": Checked("id like sales-order", "ids", f"an id of {ID_RULE}", is_id),
    "typed": TYPED,
    "loose": Loose(),
}


def kind_of(annotation: Any) -> Kind:
    """The kind of a field's annotation (without its ``| None``)."""
    origin, args = get_origin(annotation), get_args(annotation)
    simple: dict[Any, Kind] = {str: TEXT, bool: BOOL, int: INT, float: NUMBER}
    if annotation in simple:
        return simple[annotation]
    if origin is Literal:
        return OneOf(tuple(str(a) for a in args))
    if origin is tuple and args == (int, int, int, int):
        return BOX
    if origin is list:
        return ListOf(Loose() if args[0] is str else kind_of(args[0]))  # a prerequisite "- 42" is text
    if origin is dict:
        return MAPPING
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return Record(annotation)
    raise TypeError(f"{annotation}: no guide.yml kind for this annotation; give one with yml(kind=...)")


# Fields -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a guide.yml record."""

    name: str
    kind: Kind
    optional: bool  # null is a value of its own (the annotation has ``| None``)
    default: Any  # _REQUIRED when the field has none
    factory: Callable[[], Any] | None
    always: bool  # written even when it holds its default
    human: bool  # a person's edit (vsop edit, stage or review, or by hand); vsop update keeps it

    @property
    def has_default(self) -> bool:
        return self.factory is not None or self.default is not _REQUIRED

    @property
    def required(self) -> bool:
        return not self.has_default and not self.optional and not isinstance(self.kind, Loose)

    @property
    def nullable(self) -> bool:
        """null (or no value) reads as the default."""
        return self.optional or self.has_default

    def fresh_default(self) -> Any:
        if self.factory is not None:
            return self.factory()
        return None if self.default is _REQUIRED else self.default

    @property
    def doc_type(self) -> str:
        """The type cell of the field's row in docs/guide-format.md."""
        return f"{self.kind.doc}{' or null' if self.optional else ''}"

    @property
    def written_always(self) -> bool:
        """Written even when it holds its default (else only when it differs from it)."""
        return self.always or not self.has_default

    @property
    def doc_default(self) -> str:
        """The default cell of the field's row in docs/guide-format.md: what a missing value reads as."""
        if self.required or isinstance(self.kind, Loose):
            return "required"
        shown = yaml.safe_dump(self.fresh_default(), default_flow_style=True).removesuffix("...\n").strip()
        return f"`{shown}`{', always written' if self.written_always else ''}"


@functools.cache
def fields_of(record: type) -> tuple[Field, ...]:
    """The fields of ``record`` (Guide, Step or Revision) in the order guide.yml is written."""
    hints = typing.get_type_hints(record)
    return tuple(_field(f, hints[f.name]) for f in dataclasses.fields(record))


def _field(f: dataclasses.Field[Any], annotation: Any) -> Field:
    spec: Yml = f.metadata.get(YML, Yml())
    optional = get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)
    if optional:
        (annotation,) = (a for a in get_args(annotation) if a is not type(None))
    factory = None if f.default_factory is dataclasses.MISSING else f.default_factory
    kind = REFINED[spec.kind] if spec.kind else kind_of(annotation)
    return Field(f.name, kind, optional, f.default, factory, spec.always, spec.human)


# Reading and writing a record ---------------------------------------------------------------------------


def read_record(check: Checker, record: type, data: dict[str, Any], where: Where) -> Any:
    """``record`` from the mapping ``data``; each problem is reported to ``check``, a key the record does
    not know too (a misspelt key would be dropped when vsop writes the file again)."""
    fields = fields_of(record)
    check.unknown_keys(data, where, tuple(f.name for f in fields))
    values = {f.name: _read_field(check, f, data.get(f.name), (*where, f.name)) for f in fields}
    return record(**values)


def _read_field(check: Checker, f: Field, value: Any, where: Where) -> Any:
    if value is None:
        if f.nullable:
            return f.fresh_default()
        if isinstance(f.kind, Loose):
            return ""  # a revision without a date or version: shown without one
        fail(f.kind, check, where, value, False)
        return None  # the record is not used: a problem was reported
    read = f.kind.read(check, value, where, f.nullable)
    if read is FAILED:
        return f.fresh_default() if f.nullable else None
    return read


def write_record(record: Any) -> dict[str, Any]:
    """The mapping guide.yml holds for ``record``: a field with a default only when it differs from it (or is
    always written)."""
    data: dict[str, Any] = {}
    for f in fields_of(cast(type, type(record))):
        value = getattr(record, f.name)
        if f.written_always or value != f.fresh_default():
            data[f.name] = None if value is None else f.kind.write(value)
    return data
