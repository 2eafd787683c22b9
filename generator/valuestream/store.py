"""A library's value stream (``LIB/valuestream.yml``), validated completely (docs/valuestream-format.md);
without the file, the built-in default applies. The settings (``LIB/vsop.yml``) are read by ``settings``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from generator.errors import ValueStreamError
from generator.guide.model import ExpectedProcess, MatchRules, Stage, Stream, ValueStream
from generator.guide.yamlcheck import Where, field_name, parse
from generator.valuestream.fields import FieldChecker
from generator.valuestream.settings import SETTINGS_FILE, load_settings

__all__ = [
    "DEFAULT_VALUESTREAM",
    "SETTINGS_FILE",
    "VALUESTREAM_FILE",
    "check_stage",
    "load_settings",
    "load_valuestream",
]

VALUESTREAM_FILE = "valuestream.yml"
DEFAULT_VALUESTREAM = Path(__file__).parent / "data" / VALUESTREAM_FILE
_STREAM_KEYS = ("id", "name", "stages")
_STAGE_KEYS = (
    "id",
    "name",
    "description",
    "owner",
    "process_time",
    "wait_time",
    "processes",
    "automation",
    "optimization",
    "match",
)
_MATCH_KEYS = ("apps", "titles", "keywords")
_PROCESS_KEYS = ("name", "match")
_PROCESS_MATCH_KEYS = ("guides", "titles")


def load_valuestream(library: Path) -> ValueStream:
    """``LIB/valuestream.yml``, or the built-in default when the library has none."""
    path = library / VALUESTREAM_FILE
    if not os.path.lexists(path):  # there in any other form (a FIFO, a link to /dev/zero): refused by parse
        return _read_valuestream(DEFAULT_VALUESTREAM, None)
    return _read_valuestream(path, path)


def check_stage(vs: ValueStream, stage_id: str, where: str) -> Stage:
    """The stage ``stage_id``; an unknown id raises an error that lists the valid ids in flow order."""
    stage = vs.stage(stage_id)
    if stage is not None:
        return stage
    source = vs.source if vs.source is not None else "the default value stream (no valuestream.yml)"
    flow = "; ".join(f"{s.name}: {', '.join(st.id for st in s.stages)}" for s in vs.streams)
    raise ValueStreamError(
        f"{where}: unknown stage {stage_id!r}; the stages of {source} in flow order are {flow} "
        f"(choose one of them, or add the stage to {VALUESTREAM_FILE})"
    )


def _read_valuestream(path: Path, source: Path | None) -> ValueStream:
    text, data = parse(path, ValueStreamError)
    checker = _Checker(path, text)
    streams = checker.valuestream(data)
    checker.raise_problems()
    return ValueStream(streams, source)


class _Checker(FieldChecker):
    """Validates valuestream.yml."""

    def valuestream(self, data: Any) -> tuple[Stream, ...]:
        if not isinstance(data, dict) or not isinstance(data.get("streams"), list) or not data["streams"]:
            self.fail(
                ("streams",) if isinstance(data, dict) else (),
                "expected a non-empty list of streams, each {id, name, stages} (docs/valuestream-format.md)",
            )
            return ()
        self.unknown_keys(data, (), ("streams",))
        items = enumerate(data["streams"])
        streams = tuple(s for i, item in items if (s := self.stream(item, ("streams", i))) is not None)
        self.unique_ids(streams)
        return streams

    def unique_ids(self, streams: tuple[Stream, ...]) -> None:
        stream_ids: dict[str, Where] = {}
        stage_ids: dict[str, Where] = {}
        for i, stream in enumerate(streams):
            self.unique(stream_ids, stream.id, ("streams", i, "id"), "stream")
            for j, stage in enumerate(stream.stages):
                self.unique(stage_ids, stage.id, ("streams", i, "stages", j, "id"), "stage")

    def unique(self, seen: dict[str, Where], value: str, where: Where, kind: str) -> None:
        if not value:
            return
        if value in seen:
            first = f"line {self.line(seen[value])} ({field_name(seen[value])})"
            self.fail(where, f"duplicate {kind} id {value!r}, first at {first}; give each {kind} its own id")
        else:
            seen[value] = where

    def stream(self, item: Any, where: Where) -> Stream | None:
        if not isinstance(item, dict):
            self.fail(where, f"expected a stream mapping {{id, name, stages}}, found {item!r}")
            return None
        self.unknown_keys(item, where, _STREAM_KEYS)
        stages = self.get(item, where, "stages", list, False) or []
        if not stages and "stages" in item and isinstance(item["stages"], list):
            self.fail((*where, "stages"), "expected at least one stage {id, name}, found an empty list")
        stream_id = self.ident(item, where)
        found = (self.stage(s, (*where, "stages", j), stream_id) for j, s in enumerate(stages))
        return Stream(stream_id, self.name(item, where), tuple(s for s in found if s is not None))

    def stage(self, item: Any, where: Where, stream_id: str) -> Stage | None:
        if not isinstance(item, dict):
            self.fail(where, f"expected a stage mapping {{id, name, ...}}, found {item!r}")
            return None
        self.unknown_keys(item, where, _STAGE_KEYS)
        return Stage(
            id=self.ident(item, where),
            name=self.name(item, where),
            stream=stream_id,
            description=self.get(item, where, "description", str, True),
            owner=self.get(item, where, "owner", str, True),
            wait_time=self.duration(item, where, "wait_time"),
            match=self.match(item.get("match"), (*where, "match")),
            process_time=self.duration(item, where, "process_time"),
            processes=self.processes(item.get("processes"), (*where, "processes")),
            automation=self.text(item, where, "automation"),
            optimization=self.text(item, where, "optimization"),
        )

    def match(self, data: Any, where: Where) -> MatchRules:
        if data is None:
            return MatchRules()
        if not isinstance(data, dict):
            self.fail(where, f"expected a mapping with apps, titles and/or keywords, found {data!r}")
            return MatchRules()
        self.unknown_keys(data, where, _MATCH_KEYS)
        apps, titles, keywords = (self.texts(data, where, key) for key in _MATCH_KEYS)
        return MatchRules(apps, titles, keywords)

    def processes(self, data: Any, where: Where) -> tuple[ExpectedProcess, ...]:
        if data is None:
            return ()
        if not isinstance(data, list) or not data:
            self.fail(where, f"expected a list of process names (or {{name, match}}), found {data!r}")
            return ()
        found = [(i, p) for i, item in enumerate(data) if (p := self.process(item, (*where, i))) is not None]
        seen: dict[str, int] = {}
        for i, process in found:
            first = seen.setdefault(process.name.casefold(), i)
            if first != i:
                line = self.line((*where, first))
                self.fail((*where, i), f"duplicate process {process.name!r}, first at line {line}")
        return tuple(p for _i, p in found)

    def process(self, item: Any, where: Where) -> ExpectedProcess | None:
        if not isinstance(item, dict):
            if not isinstance(item, str) or not item.strip():
                self.fail(where, f"expected a process name (Pack order) or {{name, match}}, found {item!r}")
                return None
            return ExpectedProcess(item.strip())
        self.unknown_keys(item, where, _PROCESS_KEYS)
        name = self.name(item, where)
        rules = item.get("match")
        if rules is None:
            return ExpectedProcess(name) if name else None
        if not isinstance(rules, dict):
            self.fail((*where, "match"), f"expected a mapping with guides and/or titles, found {rules!r}")
            return None
        self.unknown_keys(rules, (*where, "match"), _PROCESS_MATCH_KEYS)
        guides, titles = (self.texts(rules, (*where, "match"), key) for key in _PROCESS_MATCH_KEYS)
        if not guides and not titles:
            self.fail(
                (*where, "match"),
                "names no guide: give guide ids (guides: [pack-order]) or title patterns "
                '(titles: ["Pack*"]), or leave match out to match by the name',
            )
        return ExpectedProcess(name, guides, titles) if name else None
