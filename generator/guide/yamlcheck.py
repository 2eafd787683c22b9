"""Validating YAML files while knowing the line of every value: each problem is reported as
``file:line: field: expected ..., found ...``, all of them at once (guide.yml, valuestream.yml, vsop.yml)."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml

from capture.errors import VsopError
from capture.files import read_regular

Where = tuple[object, ...]  # a path into the document: ("streams", 0, "stages", 2, "wait_time")


# libyaml where PyYAML was built with it (the wheels are): parsing is most of the time of a large site build.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


MAX_BYTES = 2 << 20  # a guide.yml of thousands of steps is a few hundred KB
MAX_NODES = 1_000_000  # values in a document, each alias counted as the value it repeats
MAX_DEPTH = 32  # levels of nesting; guide.yml has 4, valuestream.yml 6
_MESSAGE_MAX = 800  # characters of one problem's message


def parse(path: Path, error: type[VsopError]) -> tuple[str, Any]:
    """The text and the data of the YAML file ``path``; unreadable input raises ``error``: a file that is not
    a regular one (a FIFO, /dev/zero) or larger than ``MAX_BYTES``, and aliases that repeat values more than
    ``MAX_NODES`` times in all (an alias bomb) or refer to themselves, and values nested more than
    ``MAX_DEPTH`` deep."""
    raw = read_regular(path, MAX_BYTES, error, "a YAML file of vsop")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text ({exc.reason})") from exc
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None and "&" in text:  # no anchor, no alias: nothing to expand
            _check_expansion(node, path, error)
        elif node is not None:
            _check_depth(node, path, error)
        return text, None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise error(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    except ValueError as exc:  # a value YAML parses but cannot make, such as the date 2026-13-01
        raise error(f"{path}: a value YAML cannot read ({exc}); fix it, or quote it if it is text") from exc
    finally:
        loader.dispose()


def _check_expansion(root: yaml.Node, path: Path, error: type[VsopError]) -> None:
    """Refuse a document whose aliases expand to more than ``MAX_NODES`` values or into themselves; counted
    once per node (iteratively, children before parents), never by expanding."""
    size: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, done = stack.pop()
        children = _children(node)
        if done:
            open_nodes.discard(id(node))
            size[id(node)] = min(MAX_NODES + 1, 1 + sum(size[id(c)] for c in children))
            if size[id(node)] > MAX_NODES:
                raise error(
                    f"{path}:{node.start_mark.line + 1}: aliases (*name) repeat values here more than "
                    f"{MAX_NODES:,} times (an alias bomb); write the values out, or use fewer aliases"
                )
            continue
        if id(node) in size:
            continue
        open_nodes.add(id(node))
        if len(open_nodes) > MAX_DEPTH:
            raise _too_deep(node, path, error)
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                raise error(
                    f"{path}:{child.start_mark.line + 1}: an alias refers to a value that contains it (a "
                    "recursive alias); write the value out instead"
                )
            if id(child) not in size:
                stack.append((child, False))


def _check_depth(root: yaml.Node, path: Path, error: type[VsopError]) -> None:
    """Refuse a document nested more than ``MAX_DEPTH`` deep (what is read is also shown and written
    again, by functions that recurse); iteratively, looking only at collections."""
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(node, path, error)
        inner = [n for n in _children(node) if not isinstance(n, yaml.ScalarNode)]
        stack.extend((n, depth + 1) for n in inner)


def _too_deep(node: yaml.Node, path: Path, error: type[VsopError]) -> VsopError:
    return error(
        f"{path}:{node.start_mark.line + 1}: values nested more than {MAX_DEPTH} deep; no vsop file nests "
        "more than a few levels (check the brackets and the indentation)"
    )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _index(root: yaml.Node) -> dict[Where, int]:
    """The line of every value by its path, walked without recursion; ``key: value`` is on the key's line. A
    node an alias repeats is indexed where it is written only: a problem in a copy is reported on the line of
    the alias (its nearest parent)."""
    lines: dict[Where, int] = {}
    keys: dict[Where, int] = {}
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Where]] = [(root, ())]
    while stack:
        node, where = stack.pop()
        lines[where] = node.start_mark.line + 1
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                path = (*where, key.value if isinstance(key, yaml.ScalarNode) else "?")
                keys[path] = key.start_mark.line + 1
                stack.append((value, path))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*where, i)) for i, item in enumerate(node.value))
    lines.update(keys)
    return lines


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
            node = yaml.compose(self.source, Loader=_Loader)
            self._lines = {} if node is None else _index(node)
        return self._lines

    def line(self, where: Where) -> int:
        """The line of ``where``, or of its nearest parent that is in the file (1 in an empty file)."""
        lines = self.lines
        known = (where[:n] for n in range(len(where), -1, -1) if where[:n] in lines)
        return lines[next(known)] if lines else 1

    def fail(self, where: Where, message: str) -> None:
        if len(message) > _MESSAGE_MAX:  # a huge value found where it does not belong: its start and end
            message = f"{message[: _MESSAGE_MAX // 2]} ... {message[-_MESSAGE_MAX // 4 :]}"
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
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f"did you mean {close[0]!r}?" if close else "check the spelling"
                self.fail(
                    (*where, str(key)),
                    f"unknown key {key!r}; expected one of {', '.join(known)} ({hint})",
                )
