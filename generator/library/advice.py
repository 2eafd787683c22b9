"""What a person should know after ``vsop generate`` made a guide, and what ``vsop status`` adds under its
list: a new guide made beside one of the same title (``<id>-2``), with how to make the recording that
guide's next version instead; a guide linked to no stage, with how to link it."""

from __future__ import annotations

from pathlib import Path

from generator.errors import ValueStreamError
from generator.guide.store import load_guide
from generator.library.layout import GuideFolder, Library, slugify
from generator.valuestream.store import load_valuestream


def after_generate(folder: Path, recording: Path) -> list[str]:
    """Notes on the guide that ``vsop generate`` just made in ``folder`` from ``recording``."""
    guide = load_guide(GuideFolder(folder).guide_file)
    library = folder.parent.parent
    notes: list[str] = []
    same = Library(library).guide_folder(slugify(guide.title))
    if same.path != folder and same.guide_file.is_file():
        notes.append(
            f"{folder.name} is a new guide: {same.id} has the same title. If the recording is a new version "
            f"of {same.id}'s process, delete {folder} and update that guide instead: "
            f"vsop update {same.path} {recording}"
        )
    if guide.stage is None:
        notes.append(unlinked([guide.id], library))
    return notes


def unlinked(guide_ids: list[str], library: Path) -> str:
    """How to link the guides ``guide_ids`` of ``library``, linked to no stage, to one."""
    try:
        stages = ", ".join(s.id for s in load_valuestream(library).stages)
    except ValueStreamError:
        stages = f"see {library / 'valuestream.yml'}"
    example = guide_ids[0] if len(guide_ids) == 1 else "GUIDE"
    return (
        f"linked to no stage of the value stream: {', '.join(guide_ids)}; link one with "
        f"vsop stage {example} STAGE --library {library} (stages: {stages or 'none yet'}), or give the "
        "stage's match rules in valuestream.yml the recording's app or window titles, so the next "
        "guide is linked by itself"
    )
