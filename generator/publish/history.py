"""Earlier versions of the guides, from git: when the library is (in) a git repository, the last commit of
each earlier version of a guide's guide.yml, and its images, are read with ``git cat-file`` into
``LIB/.vsop-cache/history/<commit>/<id>/`` (once: a commit never changes) so that the site can publish each
as its own page. Without git, or for a version never committed, there is nothing: vsop keeps no other store.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from capture.files import atomic_write
from generator.errors import GuideError
from generator.guide.control import approvals, approves
from generator.guide.model import Guide
from generator.guide.store import load_guide
from generator.images.annotate import full_image_name
from generator.library.layout import CACHE_DIR, GUIDE_FILE, GUIDES_DIR
from generator.library.scan import Entry

HISTORY_DIR = Path(CACHE_DIR) / "history"


@dataclass(frozen=True, slots=True)
class Earlier:
    """One earlier version of a guide as git has it; ``folder`` holds its guide.yml and images."""

    slug: str
    version: str
    commit: str
    guide: Guide
    folder: Path


def earlier_versions(library: Path, entries: Sequence[Entry]) -> dict[str, tuple[Earlier, ...]]:
    """Guide id -> its earlier committed versions, newest first (the current version left out)."""
    current = {e.slug: e.guide.version for e in entries}
    commits = _guide_commits(library, set(current))
    if not commits:
        return {}
    cache = library / HISTORY_DIR
    _extract(library, cache, [(c, f"{GUIDES_DIR}/{slug}/{GUIDE_FILE}") for c, slug in commits])
    found: dict[str, dict[str, Earlier]] = {}
    for commit, slug in commits:
        folder = cache / commit / slug
        try:
            guide = load_guide(folder / GUIDE_FILE)
        except GuideError:
            continue  # a version committed broken is not published
        versions = found.setdefault(slug, {})
        if guide.version != current[slug] and guide.version not in versions:
            versions[guide.version] = Earlier(slug, guide.version, commit, guide, folder)
    wanted = [
        (e.commit, f"{GUIDES_DIR}/{e.slug}/{name}")
        for versions in found.values()
        for e in versions.values()
        for name in published_images(e.guide)
    ]
    _extract(library, cache, wanted)
    return {slug: tuple(versions.values()) for slug, versions in found.items() if versions}


def approved_versions(library: Path, entries: Sequence[Entry]) -> dict[tuple[str, str], Earlier]:
    """(guide id, version) -> the newest commit of that version whose content its approval is of (the
    guide's current ``control.approvals``, generator/guide/control.py), for every approved version git has."""
    wanted = {e.slug: approvals(e.guide) for e in entries if approvals(e.guide)}
    commits = _guide_commits(library, set(wanted))
    if not commits:
        return {}
    cache = library / HISTORY_DIR
    _extract(library, cache, [(c, f"{GUIDES_DIR}/{slug}/{GUIDE_FILE}") for c, slug in commits])
    found: dict[tuple[str, str], Earlier] = {}
    for commit, slug in commits:
        folder = cache / commit / slug
        try:
            guide = load_guide(folder / GUIDE_FILE)
        except GuideError:
            continue
        for approval in wanted[slug]:
            key = (slug, approval.version)
            if key not in found and approves(approval, guide):
                found[key] = Earlier(slug, guide.version, commit, guide, folder)
    images = [
        (e.commit, f"{GUIDES_DIR}/{e.slug}/{n}") for e in found.values() for n in published_images(e.guide)
    ]
    _extract(library, cache, images)
    return found


def published_images(guide: Guide) -> list[str]:
    """The images a page of ``guide`` may show: each shown step's image and its full frame."""
    shown = [s.image for s in guide.steps if s.dropped is None and s.image]
    return [name for image in shown for name in (image, full_image_name(image))]


def _git(library: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(library), *args], input=stdin, capture_output=True, check=False
        )
    except OSError:
        return None  # no git here
    return done.stdout if done.returncode == 0 else None


def _guide_commits(library: Path, slugs: set[str]) -> list[tuple[str, str]]:
    """(commit, guide id) of every commit that changed a guide.yml of these guides, newest first."""
    out = _git(library, "log", "--relative", "--format=%x01%H", "--name-only", "--", GUIDES_DIR)
    if not out:
        return []
    pairs: list[tuple[str, str]] = []
    for chunk in out.decode("utf-8", "replace").split("\x01")[1:]:
        commit, *names = chunk.split("\n")
        for name in names:
            parts = name.strip().split("/")
            if len(parts) == 3 and parts[0] == GUIDES_DIR and parts[2] == GUIDE_FILE and parts[1] in slugs:
                pairs.append((commit.strip(), parts[1]))
    return pairs


def _extract(library: Path, cache: Path, wanted: Sequence[tuple[str, str]]) -> None:
    """Write each ``commit:path`` blob to ``cache/commit/<path without guides/>`` unless it is there; one git
    process for all of them. A path the commit lacks is skipped (the page then reports the missing image)."""
    todo = [(c, p) for c, p in wanted if not (cache / c / p.split("/", 1)[1]).exists()]
    if not todo:
        return
    out = _git(library, "cat-file", "--batch", stdin="".join(f"{c}:./{p}\n" for c, p in todo).encode())
    if out is None:
        return
    position = 0
    for commit, path in todo:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3:  # "<name> missing"
            continue
        size = int(header[2])
        target = cache / commit / path.split("/", 1)[1]
        target.parent.mkdir(parents=True, exist_ok=True)
        _write(target, out[position : position + size])
        position += size + 1


def _write(target: Path, blob: bytes) -> None:
    def write(fh: BinaryIO) -> None:
        fh.write(blob)

    atomic_write(target, write)
