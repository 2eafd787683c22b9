"""The one way a guide is changed in place (``vsop stage``, ``vsop review``, each save of ``vsop edit``):
guide.yml read, changed and written back with guide.md while holding the library's lock, so that no other
vsop command writes between the reading and the writing (``vsop update`` holds it too while it puts the
next version in place). A change made meanwhile by another program is refused, not written over."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.guide.model import Guide
from generator.guide.store import dump_guide, load_guide
from generator.library.layout import GuideFolder
from generator.library.lock import lock_root
from generator.library.swap import writing


@dataclass(frozen=True, slots=True)
class Rewritten:
    before: str  # guide.yml as it was read
    after: str  # guide.yml as the change made it (the same text: nothing was written but guide.md)
    guide: Guide


def rewrite_guide(guide_file: Path, change: Callable[[Guide], Guide]) -> Rewritten:
    """guide.yml read, passed to ``change`` and written back as it returns it (guide.md made again), all
    under the library's lock; an error from ``change`` writes nothing."""
    folder = GuideFolder.of(guide_file)
    with writing(lock_root(folder.path)):
        guide = load_guide(guide_file)  # an invalid or missing guide.yml is a GuideError with its lines
        before = guide_file.read_text(encoding="utf-8")
        changed = change(guide)
        after = dump_guide(changed)
        if after != before:
            folder.write(changed, expected=before)
        else:
            folder.write_page(changed)
        return Rewritten(before, after, changed)
