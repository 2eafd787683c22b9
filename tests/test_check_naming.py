"""`vsop check` names a run's steps without reading what their images would show (``recording_steps``
reads only what names them): every step must come out as ``generate`` makes it from the same recording,
its target, value, secret flag and how it was named. Here on the runs of the new-lead process
(tests/fixtures/recordings/new-lead-*), made guides with full frames; the shipped sample recordings are
compared in tests/test_generate.py and the corpus recorded on Xvfb in tests/test_corpus.py, with
:func:`assert_named_alike`."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from generator.guide.model import Step
from generator.guide.store import load_guide
from generator.library.layout import GUIDE_FILE, Library
from generator.library.scaffold import init_library
from generator.pipeline.generate import Options, generate, recording_steps
from generator.sample.scenarios import RUNS, Scenario
from tests.conftest import need

pytestmark = pytest.mark.ocr
FIXTURES = Path(__file__).parent / "fixtures" / "recordings"


def names(steps: Sequence[Step]) -> list[tuple[object, ...]]:
    """Each step as a check compares it and as it was named: all but its id and image."""
    return [
        (
            s.action,
            s.target,
            s.value,
            s.secret,
            s.text,
            s.source,
            s.role,
            s.confidence,
            s.conf,
            tuple(s.box) if s.box is not None else None,
            s.window,
            s.dropped,
        )
        for s in steps
    ]


def assert_named_alike(recording: Path, guide: Path, library: Path, options: Options | None = None) -> None:
    """The steps ``recording_steps`` gives ``recording`` (OCR cache of ``library``) are the steps of the
    guide folder ``guide`` that ``generate`` made of it."""
    made = recording_steps(recording, library, options or Options())
    assert made.steps, recording.name
    assert names(made.steps) == names(load_guide(guide / GUIDE_FILE).steps), recording.name


def with_cache_of(library: Path, target: Path) -> Path:
    """A new library at ``target`` holding a copy of ``library``'s OCR cache (a check reads the screens
    ``library`` read: the warm cache), so that what it writes or forgets leaves ``library`` as it was."""
    init_library(target)
    source = Library(library).cache / "ocr"
    if source.is_dir():
        shutil.copytree(source, Library(target).cache / "ocr", dirs_exist_ok=True)
    return target


@pytest.mark.parametrize("scenario", RUNS, ids=[s.id for s in RUNS])
def test_runs_are_named_as_generate_names_them_with_full_frames(scenario: Scenario, tmp_path: Path) -> None:
    need("tesseract")
    recording = FIXTURES / scenario.id
    library = tmp_path / "lib"
    init_library(library)
    options = Options(title="Run", full_frames=True)
    assert_named_alike(recording, generate(recording, library, options), library, options)
