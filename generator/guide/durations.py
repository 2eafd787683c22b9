"""Durations as people write them in YAML files ("2d", "4h", "1h30m", "45min", "90s", "2w") and as pages
show them ("45 min", "3 d", "2 d 4 h": never seconds beside days)."""

from __future__ import annotations

import datetime
import re

UNITS = {"w": 7 * 86400, "d": 86400, "h": 3600, "min": 60, "m": 60, "s": 1}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(min|[wdhms])")
_WHOLE = re.compile(r"\s*(?:\d+(?:\.\d+)?\s*(?:min|[wdhms])\s*)+")
_UNIT = re.compile(r"\d(?:\.\d+)?\s*([^\d\s.]+)")
# the dates a guide may hold: a review date plus the longest duration is still a date
EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)
MAX_DURATION = 100 * 365 * 86400  # seconds; any longer time is a typing error
FORMAT_HINT = "a duration such as 2d, 4h, 1h30m, 45m or 90s (w, d, h, m, s)"
_SHOWN = (("d", 86400), ("h", 3600), ("min", 60), ("s", 1))


def parse_duration(text: object) -> float:
    """Seconds in ``text``; a bare number counts as seconds. Raises ValueError saying what is wrong."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if text < 0:
            raise ValueError(f"expected {FORMAT_HINT}, found {text!r}: a time cannot be negative")
        return _bounded(float(text), text)
    if not isinstance(text, str) or not _WHOLE.fullmatch(text.lower()):
        raise ValueError(f"expected {FORMAT_HINT}, found {text!r}{_why(text)}")
    return _bounded(float(sum(float(n) * UNITS[u] for n, u in _PART.findall(text.lower()))), text)


def _bounded(seconds: float, text: object) -> float:
    """``seconds`` when it is a number of at most ``MAX_DURATION`` (NaN, infinity and a time of centuries
    make no review date nor lead time)."""
    if not seconds <= MAX_DURATION:  # NaN too
        raise ValueError(f"expected {FORMAT_HINT} of at most 100 years, found {text!r}")
    return seconds


def _why(text: object) -> str:
    if not isinstance(text, str):
        return ""
    if text.strip().startswith("-"):
        return ": a time cannot be negative"
    unknown = [u for u in _UNIT.findall(text.lower()) if u not in UNITS]
    return f": unknown unit {unknown[0]!r}" if unknown else ""


def format_duration(seconds: float) -> str:
    """A short reading of ``seconds`` in its largest unit and the next one: "45 s", "3 min 20 s", "4 h",
    "2 d 4 h", "3 d" (2 d 0 h 12 s is "2 d": a unit two steps smaller is never shown)."""
    if round(seconds) < 60:
        return f"{seconds:.0f} s"
    rounded = seconds
    for _ in range(2):  # rounded to the smaller unit shown, 59 min 59.6 s becomes 1 h
        first = next(i for i, (_name, size) in enumerate(_SHOWN) if rounded >= size)
        big, small = _SHOWN[first], _SHOWN[min(first + 1, len(_SHOWN) - 1)]
        rounded = round(seconds / small[1]) * small[1]
    whole, rest = divmod(int(rounded) // small[1], big[1] // small[1])
    return f"{whole} {big[0]}" + (f" {rest} {small[0]}" if rest else "")


def parse_date(text: object) -> datetime.date:
    """The date ``2026-11-22`` (or a date YAML read) between ``EARLIEST`` and ``LATEST``; ValueError saying
    what is wrong otherwise."""
    try:
        day = datetime.date.fromisoformat(str(text))
    except ValueError:
        raise ValueError(f"expected a date like 2026-11-22, found {text!r}") from None
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"expected a date between {EARLIEST} and {LATEST}, found {text!r}")
    return day
