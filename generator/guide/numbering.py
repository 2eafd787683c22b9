"""Document numbers from the library's ``number_pattern`` (vsop.yml: ``SOP-{stream}-{n:03}``): ``{n}``
counts up among the numbers with the same other parts, ``{stream}`` and ``{stage}`` are ids. Pure logic: the
numbers already given come from the caller (generator/library/numbers.py)."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

FIELDS = ("n", "stream", "stage")
NO_STAGE = "general"  # {stream} and {stage} of a guide without a stage
_N_SPEC = re.compile(r"0?\d*d?")  # {n}, {n:03}, {n:3d}


def pattern_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a number pattern, or None."""
    hint = "text with {n} such as SOP-{stream}-{n:03} ({n} counts; {stream} and {stage} are ids)"
    if not isinstance(value, str) or not value.strip():
        return f"expected {hint}, found {value!r}"
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError as exc:
        return f"expected {hint}, found {value!r} ({exc})"
    names = [name for _text, name, _spec, _conv in parts if name is not None]
    unknown = [name for name in names if name not in FIELDS]
    if unknown:
        return f"expected {hint}, found {value!r}: unknown field {{{unknown[0]}}}"
    if names.count("n") != 1:
        return f"expected {hint}, found {value!r}: {{n}} must be there once"
    specs = [(name, spec, conv) for _t, name, spec, conv in parts if name is not None]
    if any(
        conv or (name == "n" and not _N_SPEC.fullmatch(spec or "")) or (name != "n" and spec)
        for name, spec, conv in specs
    ):
        return f"expected {hint}, found {value!r}: only {{n}} takes a width ({{n:03}})"
    return None


def format_number(pattern: str, n: int, stream: str | None, stage: str | None) -> str:
    return pattern.format(n=n, stream=stream or NO_STAGE, stage=stage or NO_STAGE)


def next_number(pattern: str, stream: str | None, stage: str | None, used: Iterable[str]) -> str:
    """The number after the highest one of ``used`` that ``pattern`` makes with these stream and stage."""
    shape = _matcher(pattern, stream or NO_STAGE, stage or NO_STAGE)
    counts = [int(m.group("n")) for m in map(shape.fullmatch, used) if m is not None]
    return format_number(pattern, max(counts, default=0) + 1, stream, stage)


def _matcher(pattern: str, stream: str, stage: str) -> re.Pattern[str]:
    regex = []
    for text, name, _spec, _conv in string.Formatter().parse(pattern):
        regex.append(re.escape(text))
        if name == "n":
            regex.append(r"(?P<n>\d+)")
        elif name is not None:
            regex.append(re.escape(stream if name == "stream" else stage))
    return re.compile("".join(regex))
