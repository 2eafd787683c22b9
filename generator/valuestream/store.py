"""A library's value stream (``LIB/valuestream.yml``) and settings (``LIB/vsop.yml``), validated completely
(docs/valuestream-format.md). Without the files, the built-in defaults apply."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.errors import ValueStreamError
from generator.guide.durations import parse_duration
from generator.guide.model import LibrarySettings, MatchRules, Stage, Stream, ValueStream
from generator.guide.yamlcheck import Checker, Where, field_name, parse

VALUESTREAM_FILE = "valuestream.yml"
SETTINGS_FILE = "vsop.yml"
DEFAULT_VALUESTREAM = Path(__file__).parent / "data" / VALUESTREAM_FILE
ID = re.compile(r"[a-z0-9-]+")
_STREAM_KEYS = ("id", "name", "stages")
_STAGE_KEYS = ("id", "name", "description", "owner", "wait_time", "match")
_MATCH_KEYS = ("apps", "titles", "keywords")
_SETTINGS_KEYS = ("site_name", "description", "review_every")


def load_valuestream(library: Path) -> ValueStream:
    """``LIB/valuestream.yml``, or the built-in default when the library has none."""
    path = library / VALUESTREAM_FILE
    if not path.is_file():
        return _read_valuestream(DEFAULT_VALUESTREAM, None)
    return _read_valuestream(path, path)


def load_settings(library: Path) -> LibrarySettings:
    """``LIB/vsop.yml``; each missing setting (or the whole file) has its default."""
    path = library / SETTINGS_FILE
    if not path.is_file():
        return LibrarySettings()
    text, data = parse(path, ValueStreamError)
    checker = _Checker(path, text)
    settings = checker.settings({} if data is None else data)
    checker.raise_problems()
    return settings


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


class _Checker(Checker):
    """Validates valuestream.yml and vsop.yml."""

    def raise_problems(self) -> None:
        if self.problems:
            raise ValueStreamError("\n".join(self.problems))

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
        )

    def ident(self, item: dict[str, Any], where: Where) -> str:
        value = item.get("id")
        if not isinstance(value, str) or not ID.fullmatch(value):
            self.fail((*where, "id"), f"expected an id of a-z, 0-9 and dashes (sales-order), found {value!r}")
            return ""
        return value

    def name(self, item: dict[str, Any], where: Where, key: str = "name") -> str:
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail((*where, key), f"expected a name (text shown on the site), found {value!r}")
            return ""
        return value.strip()

    def duration(self, item: dict[str, Any], where: Where, key: str) -> float | None:
        value = item.get(key)
        if value is None:
            return None
        try:
            return parse_duration(value)
        except ValueError as exc:
            self.fail((*where, key), str(exc))
            return None

    def match(self, data: Any, where: Where) -> MatchRules:
        if data is None:
            return MatchRules()
        if not isinstance(data, dict):
            self.fail(where, f"expected a mapping with apps, titles and/or keywords, found {data!r}")
            return MatchRules()
        self.unknown_keys(data, where, _MATCH_KEYS)
        apps, titles, keywords = (self.texts(data, where, key) for key in _MATCH_KEYS)
        return MatchRules(apps, titles, keywords)

    def texts(self, data: dict[str, Any], where: Where, key: str) -> tuple[str, ...]:
        values = self.get(data, where, key, list, True) or []
        for i, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                self.fail((*where, key, i), f"expected a non-empty text, found {value!r}")
        return tuple(v.strip() for v in values if isinstance(v, str) and v.strip())

    def settings(self, data: Any) -> LibrarySettings:
        if not isinstance(data, dict):
            self.fail((), f"expected a mapping with {', '.join(_SETTINGS_KEYS)}, found {data!r}")
            return LibrarySettings()
        self.unknown_keys(data, (), _SETTINGS_KEYS)
        default = LibrarySettings()
        site_name = self.name({"site_name": default.site_name, **data}, (), "site_name")
        review_every = self.duration(data, (), "review_every")
        return LibrarySettings(
            site_name=site_name or default.site_name,
            description=self.get(data, (), "description", str, True),
            review_every=default.review_every if review_every is None else review_every,
        )
