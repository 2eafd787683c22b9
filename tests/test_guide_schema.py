"""The guide.yml schema is declared once (generator/guide/schema.py over generator/guide/model.py): the field
tables of docs/guide-format.md, the writer and the editor's changes are held to it."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.edit.ops import OPS, Context, apply
from generator.guide.model import Guide, Revision, Step
from generator.guide.schema import EDITED_FIELDS, RECORDS, Field, fields_of
from generator.guide.store import dump_guide, load_guide
from generator.valuestream.store import load_valuestream
from tests.test_edit import make_guide

GUIDE_FORMAT = Path(__file__).resolve().parents[1] / "docs" / "guide-format.md"
SCHEMA_ROW = ("integer", "required", "")  # the ``schema: 1`` key, before the guide's own fields


def doc_tables() -> dict[str, dict[str, tuple[str, str, str]]]:
    """The rows of the field tables of docs/guide-format.md: record -> field -> (type, default, edit)."""
    tables: dict[str, dict[str, tuple[str, str, str]]] = {}
    rows: dict[str, tuple[str, str, str]] | None = None
    for line in GUIDE_FORMAT.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if cells and cells[0].endswith(" field") and cells[1:4] == ["type", "default", "edit"]:
            rows = tables.setdefault(cells[0].removesuffix(" field"), {})
        elif cells and rows is not None and cells[0].startswith("`"):
            assert cells[0] not in rows, f"{cells[0]} has two rows in one table of {GUIDE_FORMAT.name}"
            rows[cells[0].strip("`")] = (cells[1], cells[2], cells[3])
        elif not cells:
            rows = None
    return tables


def schema_rows(record: type) -> dict[str, tuple[str, str, str]]:
    return {f.name: (f.doc_type, f.doc_default, "yes" if f.human else "") for f in fields_of(record)}


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_the_field_table_of_the_docs_is_the_schema(name: str) -> None:
    documented = doc_tables().get(name)
    assert documented is not None, f"docs/guide-format.md has no table of {name} fields"
    expected = schema_rows(RECORDS[name])
    if name == "guide":
        expected = {"schema": SCHEMA_ROW, **expected}
    assert sorted(set(documented) - set(expected)) == [], f"documented {name} fields the schema lacks"
    assert sorted(set(expected) - set(documented)) == [], f"{name} fields missing in docs/guide-format.md"
    for field, row in expected.items():
        assert documented[field] == row, f"{name} field {field}: the docs say {documented[field]}, not {row}"
    assert list(documented) == list(expected), f"the {name} table lists its fields in another order"


def test_every_annotation_has_a_kind() -> None:
    for record in RECORDS.values():
        names = [f.name for f in fields_of(record)]
        assert names == [f.name for f in dataclasses.fields(record)]
        assert all(f.kind.doc for f in fields_of(record))


def minimal_guide() -> Guide:
    step = Step("s-1", "click", None, None, None, "Click.")
    return Guide("g", "G", None, "1.0.0", None, steps=[step], revisions=[Revision("1.0.0", "2026-1-1", "R")])


def written_keys(fields: tuple[Field, ...]) -> list[str]:
    return [f.name for f in fields if f.written_always]


def test_the_writer_writes_a_default_only_where_the_schema_says_always() -> None:
    data = yaml.safe_load(dump_guide(minimal_guide()))
    assert list(data) == ["schema", *written_keys(fields_of(Guide))]
    assert list(data["steps"][0]) == written_keys(fields_of(Step))
    assert list(data["revisions"][0]) == written_keys(fields_of(Revision))


def test_the_fields_a_person_marks_edited_are_human_edits() -> None:
    human = {f.name for f in fields_of(Step) if f.human}
    assert set(EDITED_FIELDS) <= human


REQUESTS: dict[str, dict[str, Any]] = {
    "guide": {"title": "New", "purpose": "Why", "prerequisites": ["An account"]},
    "stage": {"stage": "customer-inquiry"},
    "text": {"step": "s-2", "text": "Click **Save**."},
    "note": {"step": "s-2", "note": "Careful.", "kind": "warning"},
    "delete": {"step": "s-2"},
    "restore": {"step": "s-5"},
    "merge": {"step": "s-1", "with": "s-2"},
    "move": {"step": "s-3", "by": -1},
    "box": {"step": "s-2", "box": [10, 10, 50, 20]},
    "blur": {"step": "s-2", "boxes": [[0, 0, 30, 30]]},
    "crop": {"step": "s-2", "box": [0, 0, 200, 100]},
}


def changed_fields(before: Any, after: Any) -> set[str]:
    return {f.name for f in fields_of(type(before)) if getattr(before, f.name) != getattr(after, f.name)}


@pytest.mark.parametrize("op", OPS)
def test_the_editor_changes_only_human_edits(tmp_path: Path, op: str) -> None:
    """Each change of ``vsop edit`` sets fields the schema marks as a person's edits (and may clear others
    to their default, as choosing a stage clears the evidence of an automatic link)."""
    guide_file = make_guide(tmp_path / "lib")
    before = load_guide(guide_file)
    ctx = Context(guide_file.parent, lambda: load_valuestream(tmp_path / "lib"))
    after = apply(before, {"op": op, **REQUESTS[op]}, ctx)
    assert after != before, f"the request for {op} changed nothing; it tests nothing"
    human = {f.name for f in fields_of(Guide) if f.human} | {"steps"}
    defaults = {f.name: f.fresh_default() for f in fields_of(Guide)}
    for name in changed_fields(before, after) - human:
        assert getattr(after, name) == defaults[name], f"{op} changed the guide's {name}"
    steps = {s.id: s for s in before.steps}
    assert sorted(steps) == sorted(s.id for s in after.steps), f"{op} added or removed a step"
    step_human = {f.name for f in fields_of(Step) if f.human}
    for step in after.steps:
        assert changed_fields(steps[step.id], step) <= step_human, f"{op} changed {step.id} beyond edits"
