"""The corpus (generator/sample/corpus/): web pages in Chromium, zenity's GTK 3 dialogs, a Qt window and a Tk
window, performed for real with xdotool while ``vsop record`` runs on a private Xvfb display with its
accessibility bus; recorded once per test session. Each guide's steps are scored against the scenario's
expected (action, target, value) list: with the accessibility tree, and again with the tree's data removed
(OCR only). The secrets typed into password and PIN fields appear in no file of the library, the site, the
exports or the OCR cache. A hung or absent accessibility service leaves a recording named by OCR, and says
why."""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from capture import load_recording
from capture.models import KeyEvent, MouseButtonEvent
from generator.cli import main
from generator.guide.store import load_guide
from generator.library.layout import GUIDE_FILE
from generator.pipeline.generate import generate
from generator.sample.check import score
from generator.sample.corpus.measure import Scored, leaks, ocr_only, score_all, share
from generator.sample.corpus.record import record_corpus
from generator.sample.corpus.scenarios import CORPUS, RENAME, SECRETS, secret_of, toolkit
from generator.sample.driver import perform, typed, wait_written
from generator.sample.driver.apps import session
from generator.sample.scenarios import Scenario
from generator.sample.xsession import RecorderProcess, VirtualDisplay
from tests.conftest import chromium_binary, missing_tool, need, need_tkinter
from tests.once import made_once, rotated, split
from tests.test_check_naming import assert_named_alike, with_cache_of

pytestmark = [pytest.mark.gui, pytest.mark.ocr, pytest.mark.browser]

TREELESS = "tk"  # the toolkit that exposes no accessibility tree on Linux
WITH_TREE = 0.98
OCR_ONLY = 0.90
SIZE = (1280, 800)


def need_corpus_tools() -> None:
    need("Xvfb", "openbox", "xdotool", "tesseract", "zenity", "dbus-daemon")
    chromium_binary()
    try:
        import PySide6  # noqa: F401
    except ImportError:
        missing_tool("PySide6 is missing (pip install -e '.[test]')")
    need_tkinter()


@pytest.fixture(scope="session")
def corpus_display() -> Iterator[VirtualDisplay]:
    """A 1280x800 display with its session bus and accessibility bus (the corpus's windows fit it)."""
    need_corpus_tools()
    with VirtualDisplay(*SIZE) as display:
        yield display


@pytest.fixture(scope="session")
def corpus(corpus_display: VirtualDisplay, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every corpus scenario recorded for real, once per test run: ``corpus / scenario.id``. The scenarios
    are dealt into one part per xdist worker; a worker that needs the corpus records its own part first,
    then waits for (or records) the others: the parts are recorded side by side, each on its worker's
    display."""
    parts = []
    for i, part in rotated(split(CORPUS)):
        record = functools.partial(record_corpus, corpus_display, scenarios=part)
        parts.append(made_once(tmp_path_factory, f"corpus-part-{i}", record))

    def gather(target: Path) -> None:
        for part in parts:
            for recording in part.iterdir():
                shutil.copytree(recording, target / recording.name, copy_function=os.link)

    return made_once(tmp_path_factory, "corpus", gather)


@pytest.fixture(scope="session")
def ocr_corpus(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same recordings without the accessibility tree's data."""

    def strip(target: Path) -> None:
        for scenario in CORPUS:
            ocr_only(corpus / scenario.id, target / scenario.id)

    return made_once(tmp_path_factory, "corpus-ocr", strip)


def scored_once(recordings: Path, factory: pytest.TempPathFactory, name: str) -> list[Scored]:
    """A library (``name/name``: the exports of each library go to a folder of its name) of a guide per
    corpus recording, made and scored once per test run; the scores are kept beside it (``scored.json``)
    for the workers that did not make it."""

    def make(folder: Path) -> None:
        made = score_all(recordings, folder / name, CORPUS)
        index = {s.scenario.id: str(s.guide.relative_to(folder)) for s in made}
        (folder / "scored.json").write_text(json.dumps(index), encoding="utf-8")

    folder = made_once(factory, name, make)
    index = json.loads((folder / "scored.json").read_text(encoding="utf-8"))
    found = []
    for scenario in CORPUS:
        guide = folder / index[scenario.id]
        found.append(Scored(scenario, guide, score(scenario.steps, load_guide(guide / GUIDE_FILE))))
    return found


@pytest.fixture(scope="session")
def scored_tree(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return scored_once(corpus, tmp_path_factory, "lib-tree")


@pytest.fixture(scope="session")
def scored_ocr(ocr_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return scored_once(ocr_corpus, tmp_path_factory, "lib-ocr")


def report(scored: list[Scored]) -> str:
    lines = []
    for item in scored:
        if item.score.diff:
            lines += [f"{item.scenario.id}:", *(f"  {d}" for d in item.score.diff)]
    return "\n".join(lines)


def test_corpus_spans_eight_screens_four_toolkits_and_a_hundred_steps() -> None:
    screens = {s.start for s in CORPUS if s.start} | {s.command for s in CORPUS if s.command}
    assert len(screens) >= 8
    assert {toolkit(s) for s in CORPUS} == {"web", "gtk", "qt", "tk"}
    assert sum(len(s.steps) for s in CORPUS) >= 100
    assert len({s.id for s in CORPUS}) == len(CORPUS)
    with_secret = [s for s in CORPUS if secret_of(s)]
    assert len(with_secret) >= 4 and {toolkit(s) for s in with_secret} == {"web", "gtk", "qt", "tk"}
    for scenario in with_secret:
        secret_steps = [s for s in scenario.steps if s.action == "type" and s.value is None]
        assert len(secret_steps) == len([a for a in scenario.typed if a in SECRETS.values()])


def test_every_scenario_is_recorded_with_the_elements_acted_on(corpus: Path) -> None:
    """Every element the tree tells of, but Tk's: Tk exposes no accessibility tree on Linux (its steps are
    named by OCR alone, with the tree as without)."""
    presses: dict[str, list[MouseButtonEvent]] = {}
    for scenario in CORPUS:
        recording = load_recording(corpus / scenario.id)
        assert recording.problems == () and recording.complete, scenario.id
        for secret in secret_of(scenario):
            assert secret in typed(recording), f"{scenario.id}: the secret was really typed"
        elements = [e for e in recording.events if getattr(e, "element", None) is not None]
        if toolkit(scenario) == TREELESS:  # nor the tree of an application behind its window
            assert elements == [], f"{scenario.id}: an element recorded in a Tk window"
            continue
        pressed = [e for e in recording.events if isinstance(e, MouseButtonEvent) and e.type == "mouse_press"]
        presses.setdefault(toolkit(scenario), []).extend(pressed)
        assert elements, f"{scenario.id}: no element recorded"
        for event in elements:
            element = getattr(event, "element", None)
            if element is not None and element.secret:
                assert element.value is None, f"{scenario.id}: a secret field's value was read"
    assert set(presses) == {"web", "gtk", "qt"}
    for kit, pressed in presses.items():
        named = [p for p in pressed if p.element is not None and p.element.name]
        assert len(named) >= len(pressed) / 2, f"{kit}: {len(named)} of {len(pressed)} presses named"


def test_steps_are_right_with_the_accessibility_tree(scored_tree: list[Scored]) -> None:
    right, counted = share(scored_tree)
    assert counted >= 100
    assert right / counted >= WITH_TREE, f"{right}/{counted} steps right\n{report(scored_tree)}"


def test_a_check_names_the_steps_as_generate_did(
    corpus: Path, ocr_corpus: Path, scored_tree: list[Scored], scored_ocr: list[Scored], tmp_path: Path
) -> None:
    """``vsop check`` reads only what names the steps: the same steps as the guides made of the recordings."""
    for recordings, scored in ((corpus, scored_tree), (ocr_corpus, scored_ocr)):
        library = with_cache_of(scored[0].guide.parents[1], tmp_path / recordings.name)
        for item in scored:
            assert_named_alike(recordings / item.scenario.id, item.guide, library)


def test_steps_are_right_by_ocr_alone(scored_ocr: list[Scored]) -> None:
    right, counted = share(scored_ocr)
    assert right / counted >= OCR_ONLY, f"{right}/{counted} steps right\n{report(scored_ocr)}"


def test_no_secret_is_written_in_the_library_site_exports_or_cache(
    scored_tree: list[Scored], scored_ocr: list[Scored], tmp_path: Path
) -> None:
    secrets = set(SECRETS.values())
    exports = tmp_path / "exports"
    for scored in (scored_tree, scored_ocr):
        library = scored[0].guide.parents[1]
        assert main(["build", str(library), "--drafts"]) == 0  # never approved: --drafts publishes them all
        for item in scored:
            if not secret_of(item.scenario):
                continue
            for fmt in ("html", "md", "pdf"):
                out = exports / library.name / f"{item.guide.name}.{fmt}"
                assert main(["export", str(item.guide), "--format", fmt, "--out", str(out)]) == 0
        assert (library / ".vsop-cache").is_dir() and (library / "site" / "search").is_dir()
        assert leaks(library, secrets) == []
    assert len(list(exports.rglob("*.pdf"))) >= 2 * 4
    assert leaks(exports, secrets) == []


def record_with_hung_or_absent_tree(
    scenario: Scenario, display: VirtualDisplay, out: Path, hang: bool
) -> tuple[Path, str]:
    """Record ``scenario``; with ``hang``, the display's accessibility bus stopped (SIGSTOP) once the app
    runs, so that every query hangs. The recording and what the recorder said on stderr."""
    with session(scenario, display, None) as app:
        app.activate()
        stopped = accessibility_bus(display) if hang else None
        if stopped is not None:
            os.kill(stopped, signal.SIGSTOP)
        try:
            recorder = RecorderProcess(display, out, "--title", scenario.title)
            try:
                perform(scenario, app, display)
                wait_written(recorder, scenario)
            except BaseException:
                recorder.kill()
                raise
            code, err = recorder.signal(signal.SIGTERM)
        finally:
            if stopped is not None:
                os.kill(stopped, signal.SIGCONT)
    assert code == 0, err
    return out, err


def accessibility_bus(display: VirtualDisplay) -> int:
    """The pid of the accessibility bus's dbus-daemon that this display's session bus started."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            environ = (proc / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        a11y = b"dbus-daemon" in argv[0] and any(b"accessibility.conf" in a for a in argv)
        if a11y and f"DISPLAY={display.name}".encode() in environ:
            return int(proc.name)
    raise AssertionError(f"no accessibility bus found for {display.name}")


@pytest.mark.parametrize("hang", [False, True], ids=["absent", "hung"])
def test_without_an_answering_tree_recording_goes_on_and_ocr_names_the_steps(
    hang: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    need_corpus_tools()
    scenario = RENAME
    if not hang:  # no session bus at all: nowhere to find the accessibility bus
        monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
        monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    with VirtualDisplay(*SIZE, accessibility=hang) as display:
        recording_path, said = record_with_hung_or_absent_tree(scenario, display, tmp_path / "rec", hang)
    recording = load_recording(recording_path)
    assert recording.complete and recording.problems == ()
    assert not any(getattr(e, "element", None) for e in recording.events)
    assert "OCR" in said, said
    guide = load_guide(generate(recording_path, tmp_path / "lib") / GUIDE_FILE)
    assert score(scenario.steps, guide).diff == ()
    assert any(isinstance(e, KeyEvent) for e in recording.events)
