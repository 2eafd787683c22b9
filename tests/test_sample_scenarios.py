"""The sample scenarios performed for real (Acme CRM in Chromium, mousepad) while the real recorder runs, then
turned into guides by the real generator (tesseract): the recording (presses, frames, typing, titles) and the
exact steps are checked. Also the recorded fixtures made from the same scenarios."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from capture import load_recording
from generator.guide.store import load_guide
from generator.pipeline.generate import generate
from generator.sample import RECORDINGS
from generator.sample.check import score
from generator.sample.driver import (
    ACME,
    Chromium,
    locate_text,
    presses,
    problems,
    record_scenario,
    typed,
    window_titles,
)
from generator.sample.driver import TextLine as Line
from generator.sample.scenarios import SCENARIOS, STAGES, Press, Scenario, TypeText
from generator.sample.xsession import VirtualDisplay
from tests.conftest import chromium_binary, need


def marks(scenario: Scenario) -> list[pytest.MarkDecorator]:
    found = [pytest.mark.gui, pytest.mark.ocr]
    if scenario.app == "chromium":
        found.append(pytest.mark.browser)
    return found


def each_scenario() -> list[object]:
    return [pytest.param(s, id=s.id, marks=marks(s)) for s in SCENARIOS]


@pytest.fixture(scope="module")
def chromium(display: VirtualDisplay) -> Iterator[Chromium]:
    """One Chromium for all web scenarios; each scenario opens its start page in it."""
    chromium_binary()
    browser = Chromium(display).start("home.html")
    yield browser
    browser.close()


@pytest.mark.parametrize("scenario", each_scenario())
def test_scenario_performed_for_real_is_recorded(
    scenario: Scenario, display: VirtualDisplay, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if scenario.app == "mousepad":
        need("mousepad")
    need("tesseract")
    browser = request.getfixturevalue("chromium") if scenario.app == "chromium" else None

    recording = load_recording(record_scenario(scenario, display, tmp_path / "rec", browser))

    assert recording.problems == () and recording.complete
    assert (recording.meta.title, recording.meta.stage) == (scenario.title, scenario.stage)
    assert len(presses(recording)) == scenario.presses
    for press in presses(recording):
        assert press.frame is not None and recording.frame_path(press.frame).is_file()
    for text in scenario.typed:
        assert text in typed(recording)
    assert set(scenario.titles) <= window_titles(recording)
    assert problems(recording, scenario) == []

    guide = load_guide(generate(recording.path, tmp_path / "lib") / "guide.yml")
    result = score(scenario.steps, guide)
    assert result.diff == (), "\n".join(result.diff)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_fixture_is_a_complete_recording_of_its_scenario(scenario: Scenario) -> None:
    folder = RECORDINGS / scenario.id
    recording = load_recording(folder)

    assert problems(recording, scenario) == []
    assert (recording.meta.title, recording.meta.stage) == (scenario.title, scenario.stage)
    assert not (folder / ".lock").exists()
    assert [(m.rect.width, m.rect.height) for m in recording.meta.monitors] == [(1280, 800)]
    named = {p.frame.file for p in presses(recording) if p.frame is not None}
    assert named == {f.name for f in (folder / "frames").iterdir()}, "every stored frame is a press's frame"


def test_fixtures_hold_no_machine_paths() -> None:
    for path in RECORDINGS.glob("*/*.json*"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"/(tmp|home|root|work|Users)/", text), path


def test_scenarios_cover_what_the_generator_must_handle() -> None:
    steps = [step for scenario in SCENARIOS for step in scenario.steps]
    actions = {step.action for step in steps}
    assert len(SCENARIOS) >= 6 and len(steps) >= 45
    assert {"click", "double_click", "right_click", "type", "key", "hotkey", "scroll"} <= actions
    assert len({s.id for s in SCENARIOS}) == len(SCENARIOS)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s.id) and s.stage in STAGES for s in SCENARIOS)
    assert [s.app for s in SCENARIOS].count("mousepad") >= 1
    assert ("type", "Password", None) in {(s.action, s.target, s.value) for s in steps}


def test_a_typing_correction_is_expected_as_the_corrected_text() -> None:
    corrected = []
    for scenario in SCENARIOS:
        actions = scenario.actions
        for before, after in itertools.pairwise(actions):
            if isinstance(before, TypeText) and after == Press("BackSpace"):
                corrected.append((scenario, before.text[:-1]))
    assert corrected, "some scenario corrects a typo with BackSpace"
    for scenario, text in corrected:
        assert text in {step.value for step in scenario.steps}
        assert any(c.isupper() for c in text), "the corrected text is typed with shift"


def test_acme_pages_are_local_titled_and_use_dejavu_sans() -> None:
    pages = sorted(ACME.glob("*.html"))
    assert len(pages) >= 8
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert re.search(r"<title>Acme CRM - [A-Z][^<]+</title>", html), page.name
        assert 'href="acme.css"' in html and 'src="acme.js"' in html, page.name
    for source in [*pages, ACME / "acme.css", ACME / "acme.js"]:
        assert not re.search(r"https?://|//cdn|@import|@font-face", source.read_text(encoding="utf-8")), (
            source
        )
    assert '"DejaVu Sans", sans-serif' in (ACME / "acme.css").read_text(encoding="utf-8")


def test_ocr_text_is_found_by_whole_line_first() -> None:
    def line(words: str, x: int, y: int) -> Line:
        return Line(
            tuple(words.lower().split()), tuple((x + 50 * i, y, 40, 10) for i in range(len(words.split())))
        )

    lines = [line("Save in folder", 0, 0), line("Save", 500, 300), line("File Edit Search", 0, 400)]
    assert locate_text(lines, "Save") == (520, 305)
    assert locate_text(lines, "Edit") == (70, 405)
    assert locate_text(lines, "Save As...") is None
