"""A guide and the steps of a new recording of its process, compared and merged: what ``vsop diff`` shows and
``vsop update`` writes (docs/guide-format.md, "Updates").

Matched steps keep their ids and every human edit (``Step.edited``: text, note, box, blur, crop, a deletion),
their note and its kind; a step that did not change keeps its screenshot too. New steps come in with new ids,
vanished ones go, and the shown steps that are new or changed are marked (``change``) for the new version.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.guide.model import Guide, NameSource, Revision, Step, needs_review
from generator.guide.versions import Bump, bump_kind, next_version
from generator.pipeline.generate import Recorded, recorded_field
from generator.render.environment import environment
from generator.render.step_text import plain_text
from generator.rerecord.align import Alignment, Kind, Pair, What, align

_MACHINE = ("action", "target", "value", "window", "image", "box", "at", "secret", "dropped", "conf", "count")


@dataclass(frozen=True, slots=True)
class Row:
    """One step in the comparison. Numbers count shown steps, as the guide page does: ``old`` in the guide
    as it was, ``new`` as it will be. ``kind`` is as a reader sees it: a noise step that now shows is new."""

    kind: Kind
    old: int | None
    new: int | None
    old_text: str | None
    new_text: str | None
    changed: tuple[What, ...] = ()
    old_target: str | None = None
    new_target: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    source: NameSource | None = None  # where the name of the step as it will be came from
    confidence: float | None = None  # how sure that name is (0..1)
    review: bool = False  # a shown step whose name is unsure: a person should check it first


@dataclass(frozen=True, slots=True)
class Comparison:
    before: Guide
    after: Guide  # the guide as the update writes it
    rows: tuple[Row, ...]  # shown steps only (before or after)
    similarity: float
    bump: Bump
    sources: dict[
        str, str
    ]  # step id -> "old" (keeps its image) or "new" (its image comes from the recording)
    recorded_ids: dict[str, str]  # step id -> the id the recording's step had (its image's name)
    warnings: tuple[str, ...]

    def count(self, *kinds: Kind) -> int:
        return sum(1 for r in self.rows if r.kind in kinds)

    @property
    def to_review(self) -> tuple[Row, ...]:
        """The rows whose step's name is unsure, least sure first: what a person checks first."""
        return tuple(
            sorted((r for r in self.rows if r.review), key=lambda r: (r.confidence or 0.0, r.new or 0))
        )


@dataclass(frozen=True, slots=True)
class SummaryContext:
    """What ``templates/revision.md.j2`` may use."""

    rows: tuple[Row, ...]


def compare(
    guide: Guide,
    made: Recorded,
    screen_changed: Callable[[Step, Step], bool],
    *,
    version: str | None = None,
    author: str | None = None,
    today: datetime.date | None = None,
) -> Comparison:
    """Align ``guide`` with the recording's steps and merge them into the next version of the guide."""
    new_steps = list(made.steps)
    # Aligned in the order they were recorded (a person may have moved steps since), merged, then put back
    # in the person's order.
    order = sorted(range(len(guide.steps)), key=lambda i: guide.steps[i].at)
    recorded = [guide.steps[i] for i in order]
    alignment = align(recorded, new_steps, lambda i, j: screen_changed(recorded[i], new_steps[j]))
    merged, sources, recorded_ids, warnings = _merge(recorded, new_steps, alignment)
    placed = _person_order(alignment, order)
    rows = _rows(guide.steps, order, merged, placed, new_steps, alignment)
    steps = [merged[k] for k in placed]
    kind = bump_kind(
        sum(r.kind == "added" for r in rows),
        sum(r.kind == "removed" for r in rows),
        sum(r.kind == "changed" for r in rows),
    )
    number = next_version(guide.version, kind, version)
    for step in steps:
        if step.dropped is not None:
            step.change = step.was = None
    revision = Revision(
        version=number,
        date=(today or datetime.date.today()).isoformat(),
        summary=summary(rows),
        author=author,
        duration_s=made.duration_s,
        removed=[r.old_text for r in rows if r.kind == "removed" and r.old_text],
    )
    after = dataclasses.replace(
        guide,
        version=number,
        steps=steps,
        recorded=recorded_field(made),
        revisions=[*guide.revisions, revision],
    )
    return Comparison(guide, after, rows, alignment.similarity, kind, sources, recorded_ids, warnings)


def summary(rows: Sequence[Row]) -> str:
    """The revision's summary, plain text ('Step 10: "Save lead" is now "Create lead"; new step 4: ...')."""
    plain = tuple(
        dataclasses.replace(
            r,
            old_text=plain_text(r.old_text) if r.old_text else None,
            new_text=plain_text(r.new_text) if r.new_text else None,
        )
        for r in rows
    )
    text = " ".join(environment().get_template("revision.md.j2").render(s=SummaryContext(plain)).split())
    return text[:1].upper() + text[1:]


def _merge(
    old: Sequence[Step], new: Sequence[Step], alignment: Alignment
) -> tuple[list[Step], dict[str, str], dict[str, str], tuple[str, ...]]:
    taken = {s.id for s in old}
    steps: list[Step] = []
    sources: dict[str, str] = {}
    recorded_ids: dict[str, str] = {}
    warnings: list[str] = []
    for pair in alignment.pairs:
        if pair.new is None:
            continue
        fresh = new[pair.new]
        if pair.old is None:
            step = dataclasses.replace(fresh, id=_fresh_id(fresh.id, taken), change="new", was=None)
            sources[step.id] = "new"
        elif pair.kind == "same":
            kept = old[pair.old]  # the element's identity as last recorded, for the next alignment
            role, ancestors = (fresh.role, fresh.ancestors) if fresh.role else (kept.role, kept.ancestors)
            step = dataclasses.replace(
                kept, at=fresh.at, change=None, was=None, role=role, ancestors=list(ancestors)
            )
            sources[step.id] = "old"
        else:
            step = _changed(old[pair.old], fresh, pair)
            sources[step.id] = "new"
            warnings += _check_edits(old[pair.old], pair)
        recorded_ids[step.id] = fresh.id
        steps.append(step)
    return steps, sources, recorded_ids, tuple(warnings)


def _person_order(alignment: Alignment, order: Sequence[int]) -> list[int]:
    """The merged steps (indices in alignment order) in the order the person gave the guide's steps:
    ``order[i]`` is where the i-th recorded step stands in the guide; a new step follows the step it follows
    in the recording."""
    where: list[int | None] = [
        order[pair.old] if pair.old is not None else None for pair in alignment.pairs if pair.new is not None
    ]
    placed = [k for _at, k in sorted((at, k) for k, at in enumerate(where) if at is not None)]
    for k, at in enumerate(where):
        if at is None:
            placed.insert(placed.index(k - 1) + 1 if k else 0, k)
    return placed


def _changed(before: Step, fresh: Step, pair: Pair) -> Step:
    """The recording's step under the guide's id, with the person's edits of the guide's step."""
    edited = set(before.edited)
    step = dataclasses.replace(
        fresh,
        id=before.id,
        text=before.text if "text" in edited else fresh.text,
        note=before.note,
        note_kind=before.note_kind,
        blur=list(before.blur),
        crop=before.crop,
        edited=list(before.edited),
        box=before.box if "box" in edited else fresh.box,
        dropped=before.dropped if "dropped" in edited else fresh.dropped,
        change="changed",
    )
    step.was = before.text if before.text != step.text else None
    return step


def _check_edits(before: Step, pair: Pair) -> list[str]:
    """What a person should look at again: their edits were made for the step as it was."""
    found = []
    if "text" in before.edited and {"target", "value"} & set(pair.changed):
        found.append(f"step {before.id}: its text was written by a person for the old step: check it")
    drawn = [name for name in ("box", "blur", "crop") if name in before.edited]
    if drawn:
        found.append(
            f"step {before.id}: the {', '.join(drawn)} a person drew were made on the old screenshot: "
            "check them"
        )
    return found


def _fresh_id(wanted: str, taken: set[str]) -> str:
    """The recording's id unless the guide has it already (then the next free one)."""
    step_id, n = wanted, 0
    while step_id in taken:
        n += 1
        step_id = f"{wanted}{n}"
    taken.add(step_id)
    return step_id


def _rows(
    guide_steps: Sequence[Step],
    order: Sequence[int],
    merged: Sequence[Step],
    placed: Sequence[int],
    new: Sequence[Step],
    alignment: Alignment,
) -> tuple[Row, ...]:
    """The comparison in the recording's order; step numbers are those of the pages, before and after."""
    old = [guide_steps[i] for i in order]
    on_page_before = _numbers(guide_steps)
    old_numbers = {i: on_page_before[at] for i, at in enumerate(order) if at in on_page_before}
    on_page_after = _numbers([merged[k] for k in placed])
    new_numbers = {k: on_page_after[at] for at, k in enumerate(placed) if at in on_page_after}
    merged_at = {}
    k = 0
    for index, pair in enumerate(alignment.pairs):
        if pair.new is not None:
            merged_at[index] = k
            k += 1
    rows = []
    for index, pair in enumerate(alignment.pairs):
        before = old[pair.old] if pair.old is not None else None
        after = merged[merged_at[index]] if index in merged_at else None
        shown_before = before is not None and before.dropped is None
        shown_after = after is not None and after.dropped is None
        if not shown_before and not shown_after:
            continue
        if shown_before and shown_after:
            kind: Kind = "same" if pair.kind == "same" else "changed"
        else:
            kind = "added" if shown_after else "removed"
        fresh = new[pair.new] if pair.new is not None else None
        rows.append(
            Row(
                kind=kind,
                old=old_numbers.get(pair.old) if shown_before and pair.old is not None else None,
                new=new_numbers.get(merged_at[index]) if shown_after else None,
                old_text=_sentence(before) if shown_before and before else None,
                new_text=_sentence(after) if shown_after and after else None,
                changed=pair.changed if kind == "changed" else (),
                old_target=before.target if before else None,
                new_target=fresh.target if fresh else None,
                old_value=None if before is None or before.secret else before.value,
                new_value=None if fresh is None or fresh.secret else fresh.value,
                source=after.source if shown_after and after else None,
                confidence=after.confidence if shown_after and after else None,
                review=shown_after and after is not None and needs_review(after),
            )
        )
    return tuple(rows)


def _numbers(steps: Sequence[Step]) -> dict[int, int]:
    """Index of each shown step -> its number on the page (from 1)."""
    shown = [i for i, s in enumerate(steps) if s.dropped is None]
    return {index: number for number, index in enumerate(shown, start=1)}


def _sentence(step: Step) -> str:
    return step.text.strip().removesuffix(".")


def describe(row: Row) -> str:
    """One row as plain text (``vsop diff`` in a terminal)."""
    return plain_text(row.new_text or row.old_text or "")
