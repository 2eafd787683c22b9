"""Guide versions (MAJOR.MINOR.PATCH) and how ``vsop update`` bumps them: major when steps were added or
removed, minor when a step changed (a renamed target, another value, a new screenshot), patch when the new
recording shows the guide is still right."""

from __future__ import annotations

from typing import Literal

from generator.errors import GuideError

Bump = Literal["major", "minor", "patch"]


def parse_version(text: str, where: str = "version") -> tuple[int, int, int]:
    parts = text.strip().split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise GuideError(f"{where}: expected a version like 1.2.0, found {text!r}")
    return int(parts[0]), int(parts[1]), int(parts[2])


def bump(version: str, kind: Bump) -> str:
    major, minor, patch = parse_version(version)
    if kind == "major":
        return f"{major + 1}.0.0"
    if kind == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def bump_kind(added: int, removed: int, changed: int) -> Bump:
    """How much the version moves for the shown steps added, removed and changed."""
    if added or removed:
        return "major"
    return "minor" if changed else "patch"


def next_version(current: str, kind: Bump, given: str | None = None) -> str:
    """``given`` (``--version``), checked to be above ``current``; else ``current`` bumped by ``kind``."""
    if given is None:
        return bump(current, kind)
    if parse_version(given, "--version") <= parse_version(current, "the guide's version"):
        raise GuideError(f"--version {given}: expected a version above the guide's {current}")
    return given.strip()
