"""What the corpus measures: steps right with the accessibility tree and with OCR only, and secrets written.

``ocr_only`` copies a recording without what the accessibility tree said (every event's ``element``, the
meta's ``accessibility``), as a recorder on a desktop without the tree would have written it. ``score_all``
makes a guide of each recording and scores it against its scenario (``generator.sample.check.score``).
``leaks`` reads every file under a folder, bytes as they are (and the text of PDF files), for the secrets.
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from capture import load_recording
from capture.format import FRAMES_DIR, LOCK_FILE
from capture.models import CaptureEvent, Event, KeyEvent, MouseButtonEvent
from capture.writer import RecordingWriter
from generator.guide.store import load_guide
from generator.library.layout import GUIDE_FILE
from generator.pipeline.generate import generate
from generator.sample.check import Score, score
from generator.sample.corpus.scenarios import toolkit
from generator.sample.scenarios import Scenario


@dataclass(frozen=True, slots=True)
class Scored:
    scenario: Scenario
    guide: Path
    score: Score

    @property
    def toolkit(self) -> str:
        return toolkit(self.scenario)


@dataclass(frozen=True, slots=True)
class Leak:
    path: Path
    secret: str
    form: str  # how it was written: as typed, HTML-escaped, JSON-escaped, in a PDF's text


def ocr_only(recording: Path, out: Path) -> Path:
    """A copy of ``recording`` at ``out`` without the accessibility tree's data, written by capture's own
    writer; returns ``out``."""
    source = load_recording(recording)
    writer = RecordingWriter(out, replace(source.meta, accessibility=None))
    writer.open()
    for event in source.events:
        writer.append(_without_element(event))
    for frame in (recording / FRAMES_DIR).iterdir():
        shutil.copy2(frame, out / FRAMES_DIR / frame.name)
    writer.close(source.meta.ended or "")
    (out / LOCK_FILE).unlink(missing_ok=True)
    return out


def _without_element(event: Event) -> Event:
    if isinstance(event, MouseButtonEvent | KeyEvent | CaptureEvent) and event.element is not None:
        return replace(event, element=None)
    return event


def score_all(recordings: Path, library: Path, scenarios: Sequence[Scenario]) -> list[Scored]:
    """A guide of ``recordings/<id>`` for each scenario, made in ``library``, scored against its steps."""
    found = []
    for scenario in scenarios:
        guide = generate(recordings / scenario.id, library)
        found.append(Scored(scenario, guide, score(scenario.steps, load_guide(guide / GUIDE_FILE))))
    return found


def share(scored: Iterable[Scored]) -> tuple[int, int]:
    """Steps right, and steps counted (expected, or generated where more were made)."""
    items = list(scored)
    right = sum(s.score.right for s in items)
    counted = sum(max(s.score.expected, s.score.generated) for s in items)
    return right, counted


def forms(secret: str) -> dict[str, str]:
    """The ways a secret could be written into a file: as typed, escaped for HTML, escaped for JSON."""
    return {
        "typed": secret,
        "html": html.escape(secret),
        "json": json.dumps(secret)[1:-1],
        "json-ascii": json.dumps(secret).replace("&", "\\u0026").replace("<", "\\u003c")[1:-1],
    }


def leaks(folder: Path, secrets: Iterable[str]) -> list[Leak]:
    """Every file under ``folder`` (hidden ones too: the OCR cache) that holds one of ``secrets``."""
    wanted = [(s, name, text.encode()) for s in set(secrets) for name, text in forms(s).items()]
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found += [Leak(path, s, name) for s, name, raw in wanted if raw in data]
        if path.suffix == ".pdf":
            text = pdf_text(path)
            found += [Leak(path, s, "pdf text") for s in set(secrets) if s in text]
    return found


def pdf_text(path: Path) -> str:
    """The text of a PDF's pages (compressed in the file, so not found by reading its bytes)."""
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
