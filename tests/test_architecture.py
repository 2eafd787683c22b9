"""The house as built: the import rules import-linter cannot say (its contracts are in pyproject.toml and
run by `make check`). No module imports itself back through others, and only capture's loader and writer
touch events.jsonl: the rest of the program reads recordings through :mod:`capture.loader`."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Set
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("capture", "generator", "bench")
RECORDING_FORMAT_OWNERS = {"capture/format.py", "capture/loader.py", "capture/writer.py"}
EVENTS_NAMES = {"EVENTS_FILE", "event_from_json"}


def _cycles(imports: Mapping[str, Set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in imports.get(module, ()):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return found


def test_no_module_is_part_of_an_import_cycle() -> None:
    """acyclic_siblings (pyproject.toml) sees cycles between siblings; this sees every one, a package's
    ``__init__`` and its own modules included."""
    graph = grimp.build_graph("capture", "generator")
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    cycles = _cycles(imports)
    assert not cycles, "import cycles (break each by moving the shared thing down a layer):\n" + "\n".join(
        " <-> ".join(cycle) for cycle in cycles
    )


def test_cycle_finder_finds_a_cycle() -> None:
    imports = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(imports) == [["a", "b", "c"]]


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the string constants that are docstrings (prose may name events.jsonl)."""
    owners = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef))]
    return {
        id(owner.body[0].value)
        for owner in owners
        if owner.body
        and isinstance(owner.body[0], ast.Expr)
        and isinstance(owner.body[0].value, ast.Constant)
        and isinstance(owner.body[0].value.value, str)
    }


def _events_uses(path: Path) -> Iterator[int]:
    """Lines of ``path`` that name events.jsonl, EVENTS_FILE or event_from_json in code."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if "events.jsonl" in node.value and id(node) not in docstrings:
                yield node.lineno
        elif _names(node) & EVENTS_NAMES:
            yield node.lineno


def _names(node: ast.AST) -> set[str]:
    """The names a node uses or imports."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.ImportFrom):
        return {alias.name for alias in node.names}
    return set()


def test_only_capture_reads_and_writes_events_jsonl() -> None:
    found = [
        f"{relative}:{line}"
        for source in SOURCES
        for path in sorted((ROOT / source).rglob("*.py"))
        if (relative := path.relative_to(ROOT).as_posix()) not in RECORDING_FORMAT_OWNERS
        for line in sorted(set(_events_uses(path)))
    ]
    assert not found, (
        "events.jsonl is read outside capture's loader (read recordings through capture.loader, which "
        "also follows a recording still being written):\n" + "\n".join(found)
    )


def test_the_events_finder_sees_a_reader(tmp_path: Path) -> None:
    reader = tmp_path / "reader.py"
    reader.write_text(
        '"""Reads events.jsonl (prose is fine)."""\n'
        "from capture.format import EVENTS_FILE\n"
        "path = 'rec/events.jsonl'\n"
        "import capture.format as f\n"
        "event = f.event_from_json({})\n",
        encoding="utf-8",
    )
    assert sorted(set(_events_uses(reader))) == [2, 3, 5]
