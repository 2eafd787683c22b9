"""Validating YAML files while knowing the line of every value: each problem is reported as
``file:line: field: expected ..., found ...``, all of them at once (guide.yml, valuestream.yml, vsop.yml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from capture.errors import VsopError

Where = tuple[object, ...]  # a path into the document: ("streams", 0, "stages", 2, "wait_time")


# libyaml where PyYAML was built with it (the wheels are): parsing is most of the time of a large site build.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(path: Path, error: type[VsopError]) -> tuple[str, Any]:
    """The text and the data of the YAML file ``path``; unreadable input raises ``error``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text ({exc.reason})") from exc
    try:
        return text, yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise error(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    except ValueError as exc:  # a value YAML parses but cannot make, such as the date 2026-13-01
        raise error(f"{path}: a value YAML cannot read ({exc}); fix it, or quote it if it is text") from exc


def field_name(where: Where) -> str:
    """``streams[0].stages[2].wait_time``; ``document`` for the whole file."""
    name = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in where).replace(".[", "[")
    return name or "document"


class Checker:
    """Collects problems with their lines; subclasses validate one kind of file."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.source = text
        self._lines: dict[Where, int] | None = None  # indexed when the first problem needs a line
        self.problems: list[str] = []

    @property
    def lines(self) -> dict[Where, int]:
        if self._lines is None:
            self._lines = {}
            node = yaml.compose(self.source, Loader=_Loader)
            if node is not None:
                self._index(node, ())
        return self._lines

    def _index(self, node: yaml.Node, where: Where) -> None:
        lines = self.lines
        lines[where] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                path = (*where, key.value)
                self._index(value, path)
                lines[path] = key.start_mark.line + 1  # "key: value" is reported on the key's line
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, (*where, i))

    def line(self, where: Where) -> int:
        """The line of ``where``, or of its nearest parent that is in the file (1 in an empty file)."""
        lines = self.lines
        known = (where[:n] for n in range(len(where), -1, -1) if where[:n] in lines)
        return lines[next(known)] if lines else 1

    def fail(self, where: Where, message: str) -> None:
        self.problems.append(f"{self.path}:{self.line(where)}: {field_name(where)}: {message}")

    def get(self, data: dict[str, Any], where: Where, key: str, kind: Any, optional: bool) -> Any:
        """``data[key]`` when it has the expected type, else a problem (and None)."""
        value = data.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool and bool not in kind):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            self.fail((*where, key), f"expected {expected}{' or null' if optional else ''}, found {value!r}")
            return None
        return value

    def unknown_keys(self, data: dict[str, Any], where: Where, known: tuple[str, ...]) -> None:
        for key in data:
            if key not in known:
                self.fail(
                    (*where, str(key)),
                    f"unknown key {key!r}; expected one of {', '.join(known)} (check the spelling)",
                )
