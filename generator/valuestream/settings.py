"""A library's settings (``LIB/vsop.yml``, docs/valuestream-format.md): site name and description, the review
interval and the numbers of the maturity rules, validated completely. Without the file, the defaults apply."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from generator.errors import ValueStreamError
from generator.guide.model import LibrarySettings, MaturityRules
from generator.guide.numbering import pattern_problem
from generator.guide.yamlcheck import Where, parse
from generator.valuestream.fields import FieldChecker

SETTINGS_FILE = "vsop.yml"
_SETTINGS_KEYS = ("site_name", "description", "review_every", "maturity", "number_pattern")
_MATURITY_KEYS = ("runs", "recent", "conformance", "spread")


def load_settings(library: Path) -> LibrarySettings:
    """``LIB/vsop.yml``; each missing setting (or the whole file) has its default."""
    path = library / SETTINGS_FILE
    if not os.path.lexists(path):  # there in any other form (a FIFO, a link to /dev/zero): refused by parse
        return LibrarySettings()
    text, data = parse(path, ValueStreamError)
    checker = _Settings(path, text)
    settings = checker.settings({} if data is None else data)
    checker.raise_problems()
    return settings


class _Settings(FieldChecker):
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
            maturity=self.maturity(data.get("maturity"), ("maturity",)),
            number_pattern=self.pattern(data, default.number_pattern),
        )

    def pattern(self, data: dict[str, Any], default: str) -> str:
        """``number_pattern``: text with ``{n}`` (``{n:03}``) and at most ``{stream}`` and ``{stage}``."""
        value = data.get("number_pattern", default)
        problem = pattern_problem(value)
        if problem:
            self.fail(("number_pattern",), problem)
            return default
        return str(value)

    def maturity(self, data: Any, where: Where) -> MaturityRules:
        default = MaturityRules()
        if data is None:
            return default
        if not isinstance(data, dict):
            self.fail(where, f"expected a mapping with {', '.join(_MATURITY_KEYS)}, found {data!r}")
            return default
        self.unknown_keys(data, where, _MATURITY_KEYS)
        return MaturityRules(
            runs=self.count(data, where, "runs", default.runs),
            recent=self.count(data, where, "recent", default.recent),
            conformance=self.share(data, where, "conformance", default.conformance),
            spread=self.number(data, where, "spread", default.spread),
        )

    def count(self, data: dict[str, Any], where: Where, key: str, default: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail((*where, key), f"expected a whole number, 1 or more, found {value!r}")
            return default
        return value

    def share(self, data: dict[str, Any], where: Where, key: str, default: float) -> float:
        """0.9, 90% or 90 %: a share between 0 and 1."""
        value = data.get(key, default)
        if isinstance(value, str) and value.strip().endswith("%"):
            with contextlib.suppress(ValueError):
                value = float(value.strip()[:-1]) / 100
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            self.fail((*where, key), f"expected a share such as 0.9 or 90%, found {data.get(key)!r}")
            return default
        return float(value)

    def number(self, data: dict[str, Any], where: Where, key: str, default: float) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 1:
            self.fail((*where, key), f"expected a ratio such as 1.5, 1 or more, found {value!r}")
            return default
        return float(value)
