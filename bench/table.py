"""The table every benchmark prints: one row a metric, what was measured, the target and whether it is met."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Row:
    metric: str
    measured: str
    target: str
    ok: bool | None  # None: reported, no target


def markdown(table: Sequence[Row]) -> str:
    marks = {True: "yes", False: "**NO**", None: ""}
    lines = ["| metric | measured | target | ok? |", "|---|---|---|---|"]
    lines += [f"| {row.metric} | {row.measured} | {row.target} | {marks[row.ok]} |" for row in table]
    return "\n".join(lines)
