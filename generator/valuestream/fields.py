"""The checks of single fields that valuestream.yml and vsop.yml share: ids, names, texts, durations. Every
problem is collected with its line (generator/guide/yamlcheck.py) and raised all at once."""

from __future__ import annotations

from typing import Any

from generator.errors import ValueStreamError
from generator.guide.durations import parse_duration
from generator.guide.paths import ID
from generator.guide.yamlcheck import Checker, Where


class FieldChecker(Checker):
    def raise_problems(self) -> None:
        if self.problems:
            raise ValueStreamError("\n".join(self.problems))

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

    def text(self, item: dict[str, Any], where: Where, key: str) -> str | None:
        """Optional free text; an empty one is a problem (leave the key out instead)."""
        value = self.get(item, where, key, str, True)
        if value is not None and not value.strip():
            self.fail(
                (*where, key), f"expected a sentence saying what is in place (or no key), found {value!r}"
            )
        return value.strip() if value and value.strip() else None

    def texts(self, data: dict[str, Any], where: Where, key: str) -> tuple[str, ...]:
        values = self.get(data, where, key, list, True) or []
        for i, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                self.fail((*where, key, i), f"expected a non-empty text, found {value!r}")
        return tuple(v.strip() for v in values if isinstance(v, str) and v.strip())

    def duration(self, item: dict[str, Any], where: Where, key: str) -> float | None:
        value = item.get(key)
        if value is None:
            return None
        try:
            return parse_duration(value)
        except ValueError as exc:
            self.fail((*where, key), str(exc))
            return None
