"""guide.yml: the source of truth of one guide (docs/guide-format.md), read and written by its schema
(generator/guide/schema.py). Loading validates everything and reports each problem with its line; saving is
atomic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from capture.files import atomic_write_text
from generator.errors import GuideError
from generator.guide.model import Guide
from generator.guide.schema import SCHEMA, Flow, read_record, write_record
from generator.guide.yamlcheck import Checker, parse


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def dump_guide(guide: Guide) -> str:
    data = {"schema": SCHEMA, **write_record(guide)}
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


def save_guide(guide: Guide, path: Path) -> None:
    atomic_write_text(path, dump_guide(guide))


def load_guide(path: Path) -> Guide:
    """Read and validate ``path``; every problem is reported at once as ``file:line: what``."""
    try:
        text, data = parse(path, GuideError)
    except FileNotFoundError:
        raise GuideError(f"{path}: no such guide file") from None
    checker = Checker(path, text)
    guide = _guide(checker, data)
    if checker.problems:
        raise GuideError("\n".join(checker.problems))
    assert guide is not None
    return guide


def _guide(checker: Checker, data: Any) -> Guide | None:
    if not isinstance(data, dict):
        checker.fail((), "expected a mapping with schema, id, title, steps... (see docs/guide-format.md)")
        return None
    schema = data.get("schema")
    if schema != SCHEMA:
        checker.fail(("schema",), f"expected {SCHEMA}, found {schema!r} (this vsop reads schema {SCHEMA})")
    fields = {key: value for key, value in data.items() if key != "schema"}
    guide: Guide = read_record(checker, Guide, fields, ())
    ids = [s.id for s in guide.steps]
    for i, step_id in enumerate(ids):
        if step_id is not None and step_id in ids[:i]:
            checker.fail(("steps", i, "id"), f"duplicate step id {step_id!r}; each step needs its own id")
    return guide
