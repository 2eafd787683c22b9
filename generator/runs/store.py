"""Run records: ``LIB/guides/<id>/runs/<timestamp>-<who>.yml``, plain YAML files that live in git beside the
guide (docs/runs-format.md). Loading validates every record and reports each problem as ``file:line: what``;
writing is atomic (a temp file, then a rename)."""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from capture.files import atomic_write_text
from generator.errors import RunError
from generator.guide.yamlcheck import Checker, Where, parse
from generator.runs.models import DEVIATION_KINDS, Deviation, Run

RUNS_DIR = "runs"
SCHEMA = 1
_KEYS = (
    "schema",
    "guide",
    "guide_version",
    "date",
    "who",
    "duration_s",
    "conformance",
    "steps",
    "deviations",
    "times",
)
_REQUIRED = {
    "guide": "text, the guide's id",
    "date": "a date and time",
    "who": "text, who performed the run",
    "duration_s": "seconds",
    "conformance": "a number between 0 and 1",
}
_DEVIATION_KEYS = ("kind", "step", "text", "seconds", "expected_s")
_NUMBER = (int, float)


def runs_dir(guide_dir: Path) -> Path:
    return guide_dir / RUNS_DIR


def load_runs(guide_dir: Path) -> tuple[Run, ...]:
    """The run records of the guide in ``guide_dir``, oldest first; none when it has no ``runs/`` folder.

    Every record is validated; the problems of all of them are reported at once in one :class:`RunError`.
    """
    folder = runs_dir(guide_dir)
    if not folder.is_dir():
        return ()
    runs: list[tuple[Run, Path]] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.yml")):
        try:
            runs.append((load_run(path), path))
        except RunError as exc:
            problems.append(str(exc))
    if problems:
        raise RunError("\n".join(problems))
    # in the order they were written: by date, then "<stem>.yml" before "<stem>-2.yml"
    runs.sort(key=lambda pair: (pair[0].date, len(pair[1].name), pair[1].name))
    return tuple(run for run, _ in runs)


def load_run(path: Path) -> Run:
    """One run record, validated: each problem reported as ``file:line: field: expected ..., found ...``."""
    text, data = parse(path, RunError)
    checker = _Checker(path, text)
    run = checker.run(data)
    if checker.problems or run is None:
        raise RunError("\n".join(checker.problems))
    return run


def write_run(guide_dir: Path, run: Run) -> Path:
    """Write ``run`` as a new record in the guide's ``runs/`` folder (atomically) and return its path."""
    folder = runs_dir(guide_dir)
    folder.mkdir(exist_ok=True)
    stem = f"{run.date.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}-{_slug(run.who)}"
    path = folder / f"{stem}.yml"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.yml"
    atomic_write_text(path, dump_run(run))
    return path


def dump_run(run: Run) -> str:
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "guide": run.guide_id,
        "guide_version": run.guide_version,
        "date": run.date.isoformat(timespec="seconds"),
        "who": run.who,
        "duration_s": round(run.duration_s, 3),
        "conformance": round(run.conformance, 4),
        "steps": run.steps,
        "deviations": [_deviation_data(d) for d in run.deviations],
        "times": {step: round(s, 3) for step, s in run.times},
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def _deviation_data(d: Deviation) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": d.kind, "step": d.step, "text": d.text}
    if d.seconds is not None:
        data["seconds"] = round(d.seconds, 3)
    if d.expected_s is not None:
        data["expected_s"] = round(d.expected_s, 3)
    return data


def _iso(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _slug(who: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", who.lower()).strip("-")[:40].strip("-") or "someone"


class _Checker(Checker):
    """Validates one run record."""

    def run(self, data: Any) -> Run | None:
        if not isinstance(data, dict):
            self.fail((), "expected a mapping with schema, guide, date, who... (see docs/runs-format.md)")
            return None
        self.unknown_keys(data, (), _KEYS)
        if data.get("schema") != SCHEMA:
            self.fail(
                ("schema",), f"expected {SCHEMA}, found {data.get('schema')!r} (this vsop reads {SCHEMA})"
            )
        for key, what in _REQUIRED.items():
            if data.get(key) is None:
                self.fail((key,), f"missing: expected {what} (see docs/runs-format.md)")
        if any(data.get(key) is None for key in _REQUIRED):
            return None
        guide = self.get(data, (), "guide", str, False)
        version = self.get(data, (), "guide_version", str, True)
        who = self.get(data, (), "who", str, False)
        date = self._date(data.get("date"))
        duration = self._number(data, (), "duration_s", 0.0, None)
        conformance = self._number(data, (), "conformance", 0.0, 1.0)
        steps = self.get(data, (), "steps", int, True)
        if steps is not None and steps < 0:
            self.fail(("steps",), f"expected a count of steps (0 or more), found {steps}")
        deviations = self._deviations(data.get("deviations"))
        times = self._times(data.get("times"))
        if self.problems:
            return None
        assert guide is not None and who is not None and date is not None
        assert duration is not None and conformance is not None
        return Run(guide, date, who, duration, conformance, deviations, version, steps or 0, times)

    def _date(self, value: object) -> datetime | None:
        date = value if isinstance(value, datetime) else _iso(value)
        if date is None:
            self.fail(("date",), f"expected a date and time like 2026-05-01T10:22:03+00:00, found {value!r}")
            return None
        return date if date.tzinfo is not None else date.replace(tzinfo=timezone.utc)

    def _number(
        self, data: dict[str, Any], where: Where, key: str, low: float, high: float | None
    ) -> float | None:
        value = self.get(data, where, key, _NUMBER, False)
        if value is None:
            return None
        if not math.isfinite(value) or value < low or (high is not None and value > high):
            bounds = f"between {low:g} and {high:g}" if high is not None else f"{low:g} or more"
            self.fail((*where, key), f"expected a number {bounds}, found {value!r}")
            return None
        return float(value)

    def _deviations(self, value: object) -> tuple[Deviation, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(("deviations",), f"expected a list of deviations, found {value!r}")
            return ()
        found: list[Deviation] = []
        for i, item in enumerate(value):
            where: Where = ("deviations", i)
            if not isinstance(item, dict):
                self.fail(where, f"expected a mapping {{kind, step, text}}, found {item!r}")
                continue
            self.unknown_keys(item, where, _DEVIATION_KEYS)
            kind = self.get(item, where, "kind", str, False)
            if kind is not None and kind not in DEVIATION_KINDS:
                self.fail((*where, "kind"), f"expected one of {', '.join(DEVIATION_KINDS)}, found {kind!r}")
                kind = None
            step = self.get(item, where, "step", str, False)
            text = self.get(item, where, "text", str, True)
            seconds = self._optional_seconds(item, where, "seconds")
            expected = self._optional_seconds(item, where, "expected_s")
            if kind is not None and step is not None:
                found.append(Deviation(kind, step, text or "", seconds, expected))
        return tuple(found)

    def _optional_seconds(self, data: dict[str, Any], where: Where, key: str) -> float | None:
        return None if data.get(key) is None else self._number(data, where, key, 0.0, None)

    def _times(self, value: object) -> tuple[tuple[str, float], ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.fail(("times",), f"expected a mapping of step id to seconds, found {value!r}")
            return ()
        times: list[tuple[str, float]] = []
        for step in value:
            if not isinstance(step, str):
                self.fail(("times", step), f"expected a step id (text), found {step!r}")
                continue
            seconds = self._number(value, ("times",), step, 0.0, None)
            if seconds is not None:
                times.append((str(step), seconds))
        return tuple(times)
