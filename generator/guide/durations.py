"""Durations as people write them in YAML files ("2d", "4h", "1h30m", "90s", "2w") and as pages show them."""

from __future__ import annotations

import re

UNITS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhms])")
_WHOLE = re.compile(r"\s*(?:\d+(?:\.\d+)?\s*[wdhms]\s*)+")
FORMAT_HINT = "a duration such as 2d, 4h, 1h30m, 45m or 90s (w, d, h, m, s)"


def parse_duration(text: object) -> float:
    """Seconds in ``text``; a bare number counts as seconds. Raises ValueError with what was expected."""
    if isinstance(text, (int, float)) and not isinstance(text, bool) and text >= 0:
        return float(text)
    if not isinstance(text, str) or not _WHOLE.fullmatch(text.lower()):
        raise ValueError(f"expected {FORMAT_HINT}, found {text!r}")
    return float(sum(float(n) * UNITS[u] for n, u in _PART.findall(text.lower())))


def format_duration(seconds: float) -> str:
    """A short reading of ``seconds``: "45 s", "3 min 20 s", "4 h", "2 d 4 h" (two largest units at most)."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    names = (("d", 86400), ("h", 3600), ("min", 60), ("s", 1))
    parts: list[str] = []
    rest = round(seconds)
    for name, size in names:
        if rest >= size:
            parts.append(f"{rest // size} {name}")
            rest %= size
        if parts and (len(parts) == 2 or rest == 0):
            break
    return " ".join(parts)
