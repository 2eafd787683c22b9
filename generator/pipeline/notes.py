"""Notes a person added while recording (``note`` events, e.g. the tray's Add note) become the note of the
step that was current then: the last step shown in the guide that began at or before the note. A note made
before the first step belongs to the first step; several notes on one step are joined as paragraphs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from capture.models import Event, NoteEvent
from generator.guide.model import Draft


def attach_notes(drafts: Sequence[Draft], events: Sequence[Event]) -> list[Draft]:
    shown = [i for i, draft in enumerate(drafts) if draft.dropped is None]
    notes: dict[int, list[str]] = {}
    for event in events:
        if not isinstance(event, NoteEvent) or not event.text.strip() or not shown:
            continue
        before = [i for i in shown if drafts[i].t <= event.t]
        notes.setdefault(before[-1] if before else shown[0], []).append(event.text.strip())
    return [
        replace(draft, note="\n\n".join(notes[i])) if i in notes else draft for i, draft in enumerate(drafts)
    ]
