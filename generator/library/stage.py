"""A guide's stage (``vsop stage``): linked to a stage of its library's value stream by hand, or its automatic
link confirmed. guide.yml is rewritten under the library's lock (generator/library/rewrite.py), guide.md
rendered again beside it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generator.errors import GuideError
from generator.guide.model import Guide, ValueStream
from generator.guide.store import load_guide
from generator.library.layout import library_of
from generator.library.rewrite import rewrite_guide
from generator.valuestream.store import check_stage, load_valuestream


def guide_valuestream(guide_file: Path) -> ValueStream:
    return load_valuestream(library_of(guide_file))


def assign_stage(guide_file: Path, stage_id: str) -> Guide:
    """Link the guide to ``stage_id`` (checked against its library's value stream) as a manual choice."""
    load_guide(guide_file)  # an invalid guide is reported before the value stream
    check_stage(guide_valuestream(guide_file), stage_id, f"{guide_file}: stage")

    def link(guide: Guide) -> Guide:
        return replace(guide, stage=stage_id, stage_source="manual", stage_evidence=[])

    return rewrite_guide(guide_file, link).guide


def confirm_stage(guide_file: Path) -> Guide:
    """Make the guide's automatic link a manual one, keeping its stage; a manual link stays as it is."""
    valuestream = guide_valuestream(guide_file)

    def confirm(guide: Guide) -> Guide:
        if guide.stage is None:
            raise GuideError(
                f"{guide_file}: the guide has no stage to confirm; give one: vsop stage GUIDE STAGE"
            )
        check_stage(valuestream, guide.stage, f"{guide_file}: stage")
        if guide.stage_source == "manual":
            return guide
        return replace(guide, stage_source="manual", stage_evidence=[])

    return rewrite_guide(guide_file, confirm).guide
