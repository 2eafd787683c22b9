"""``vsop stage``: link a guide to a stage of its library's value stream by hand, or confirm an automatic
link. guide.yml is rewritten atomically and guide.md rendered again beside it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from capture.files import atomic_write_text
from generator.errors import GuideError
from generator.guide.model import Guide, ValueStream
from generator.guide.store import load_guide, save_guide
from generator.images.annotate import full_image_name
from generator.library.layout import GUIDES_DIR, resolve_guide
from generator.render.guide_page import guide_markdown
from generator.valuestream.store import check_stage, load_valuestream


def library_of(guide_file: Path) -> Path:
    """The library a guide belongs to: the folder above ``guides/<id>/guide.yml``."""
    folder = guide_file.resolve().parent
    if folder.parent.name != GUIDES_DIR:
        raise GuideError(f"{guide_file}: not inside a library (expected LIB/{GUIDES_DIR}/<id>/guide.yml)")
    return folder.parent.parent


def guide_valuestream(guide_file: Path) -> ValueStream:
    return load_valuestream(library_of(guide_file))


def assign_stage(guide_file: Path, stage_id: str) -> Guide:
    """Link the guide to ``stage_id`` (checked against its library's value stream) as a manual choice."""
    guide = load_guide(guide_file)
    check_stage(guide_valuestream(guide_file), stage_id, f"{guide_file}: stage")
    return save_guide_and_page(
        guide_file, replace(guide, stage=stage_id, stage_source="manual", stage_evidence=[])
    )


def confirm_stage(guide_file: Path) -> Guide:
    """Make the guide's automatic link a manual one, keeping its stage; a manual link stays as it is."""
    guide = load_guide(guide_file)
    if guide.stage is None:
        raise GuideError(f"{guide_file}: the guide has no stage to confirm; give one: vsop stage GUIDE STAGE")
    check_stage(guide_valuestream(guide_file), guide.stage, f"{guide_file}: stage")
    if guide.stage_source == "manual":
        return guide
    return save_guide_and_page(guide_file, replace(guide, stage_source="manual", stage_evidence=[]))


def save_guide_and_page(guide_file: Path, guide: Guide) -> Guide:
    """Rewrite guide.yml atomically and render guide.md again beside it (with full frames if it has them)."""
    save_guide(guide, guide_file)
    folder = guide_file.parent
    enlarge = any(s.image and (folder / full_image_name(s.image)).is_file() for s in guide.steps)
    atomic_write_text(folder / "guide.md", guide_markdown(guide, enlarge=enlarge))
    return guide


def describe(guide: Guide) -> list[str]:
    """What ``vsop stage GUIDE`` prints: the stage, how it was chosen and why."""
    if guide.stage is None:
        return [f"{guide.id}: no stage (set one: vsop stage GUIDE STAGE)"]
    source = guide.stage_source or "manual"
    lines = [f"{guide.id}: stage {guide.stage} ({source})"]
    lines += [f"  {line}" for line in guide.stage_evidence]
    if source == "auto":
        lines.append("  linked automatically: confirm it with --confirm, or choose: vsop stage GUIDE STAGE")
    return lines


@click.command("stage")
@click.argument("guide")
@click.argument("stage", required=False)
@click.option("--confirm", is_flag=True, help="Confirm the guide's automatic stage link (it becomes manual).")
@click.option(
    "--library", "-l", type=click.Path(file_okay=False, path_type=Path), help="Library of GUIDE ids."
)
def stage_command(guide: str, stage: str | None, confirm: bool, library: Path | None) -> None:
    """Show the value-stream stage of GUIDE, set it to STAGE, or --confirm an automatic link."""
    if stage is not None and confirm:
        raise click.UsageError("give either STAGE or --confirm, not both")
    path = resolve_guide(guide, library)
    if stage is not None:
        result = assign_stage(path, stage)
    elif confirm:
        result = confirm_stage(path)
    else:
        result = load_guide(path)
    click.echo("\n".join(describe(result)))
