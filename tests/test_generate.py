"""`vsop generate` on real recordings of the sample scenarios (real tesseract), and on bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import markdown
import pytest
from PIL import Image

from capture import load_recording
from capture.errors import RecordingError
from capture.models import Rect
from generator.cli import main
from generator.guide.store import load_guide
from generator.images import annotate
from generator.images.files import open_image
from generator.pipeline import ocr, secrets
from generator.pipeline.generate import Options, generate
from generator.pipeline.ocr import Crop, Ocr
from generator.sample import RECORDINGS
from generator.sample.check import score
from generator.sample.scenarios import SCENARIOS, by_id
from tests.conftest import copied_sample_library, need
from tests.test_check_naming import assert_named_alike

RECORDED = [s.id for s in SCENARIOS if (RECORDINGS / s.id).is_dir()]

pytestmark = pytest.mark.ocr


@pytest.fixture(autouse=True)
def _tesseract() -> None:
    need("tesseract")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, sample_library: Path) -> Path:
    """One library with a guide per recorded scenario (generated once per run, conftest's
    ``sample_library``; the OCR cache is shared), this module's copy."""
    return copied_sample_library(sample_library, tmp_path_factory.mktemp("lib") / "lib")


def test_there_are_enough_recorded_scenarios() -> None:
    assert len(RECORDED) >= 5
    assert sum(len(by_id(s).steps) for s in RECORDED) >= 40


@pytest.mark.parametrize("scenario_id", RECORDED)
def test_generated_steps_are_exactly_the_scenarios_steps(library: Path, scenario_id: str) -> None:
    guide = load_guide(library / "guides" / scenario_id / "guide.yml")
    result = score(by_id(scenario_id).steps, guide)
    assert result.diff == (), "\n".join(result.diff)


@pytest.mark.parametrize("scenario_id", RECORDED)
def test_a_check_names_the_steps_as_generate_did(library: Path, scenario_id: str) -> None:
    assert_named_alike(RECORDINGS / scenario_id, library / "guides" / scenario_id, library)


def test_every_step_has_an_image_within_budget(library: Path) -> None:
    for guide_file in library.glob("guides/*/guide.yml"):
        guide = load_guide(guide_file)
        for step in guide.steps:
            if step.dropped is None and step.action in ("click", "double_click", "right_click", "drag"):
                assert step.image is not None, f"{guide.id} {step.id} has no image"
            if step.image:
                image = guide_file.parent / step.image
                assert image.stat().st_size <= 150_000
                with Image.open(image) as picture:
                    assert picture.width <= 1280 and picture.height <= 800


def test_recordings_without_elements_are_named_by_ocr_or_by_place(library: Path) -> None:
    """The sample recordings hold no accessibility data: each named step says OCR named it, how sure that
    is, and keyboard steps name nothing."""
    sources: dict[str | None, int] = {}
    for guide_file in library.glob("guides/*/guide.yml"):
        for step in load_guide(guide_file).steps:
            sources[step.source] = sources.get(step.source, 0) + 1
            assert step.role is None and step.ancestors == []
            if step.source == "ocr":
                assert step.target and step.conf and step.confidence == round(step.confidence, 2)
                assert 0.5 < step.confidence < 1
            elif step.source == "place":
                assert step.target is None and step.confidence in (0.1, 0.2)
            else:
                assert (
                    step.action in ("key", "hotkey", "scroll", "switch_window", "capture")
                    and not step.confidence
                )
    assert sources["ocr"] >= 40 and "accessibility" not in sources


def test_password_is_written_nowhere(library: Path) -> None:
    password = b"Winter-2025!"
    typed = "".join(
        e.char or "" for e in load_recording(RECORDINGS / "sign-in").events if e.type == "key_press"
    )
    assert password.decode() in typed, "the recording really holds the secret"
    for path in library.rglob("*"):
        if path.is_file():
            assert password not in path.read_bytes(), path
            assert b"Winter" not in path.read_bytes(), path
    guide = load_guide(library / "guides" / "sign-in" / "guide.yml")
    secret = next(s for s in guide.steps if s.secret)
    assert secret.value is None and secret.text == "Enter your password in **Password**."


def test_guide_page_and_cli_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["generate", str(RECORDINGS / "new-lead"), "--library", str(tmp_path), "--title", "Lead"]) == 0
    )
    out = capsys.readouterr().out
    assert out == f"{tmp_path / 'guides' / 'lead'}\n"
    page = (tmp_path / "guides" / "lead" / "guide.md").read_text()
    assert page.startswith("# Lead\n") and "Type `Acme Corp` in **Company name**." in page
    assert not [p for p in (tmp_path / "guides").iterdir() if p.name.startswith(".")], (
        "no staging folder left"
    )


def copy(fixture: str, tmp_path: Path) -> Path:
    target = tmp_path / fixture
    shutil.copytree(RECORDINGS / fixture, target)
    return target


def test_text_from_the_screen_is_escaped_in_the_page(tmp_path: Path) -> None:
    recording = copy("new-lead", tmp_path)
    events = recording / "events.jsonl"
    evil = "<img src=x onerror=alert(1)>"
    events.write_text(
        events.read_text().replace("Acme CRM - New Lead", evil).replace("Jane Doe", "<script>x</script>")
    )
    folder = generate(recording, tmp_path / "lib", Options(title="Evil"))
    page = (folder / "guide.md").read_text()
    assert evil not in page and "<script>" not in page
    html = markdown.markdown(
        page, extensions=["pymdownx.keys", "admonition", "attr_list", "md_in_html", "tables"]
    )
    assert "<img src=x" not in html and '<img src="x"' not in html and "<script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html, "shown as text"


def test_empty_recording_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recording = copy("sign-in", tmp_path)
    (recording / "events.jsonl").write_text("")
    assert main(["generate", str(recording), "--library", str(tmp_path / "lib")]) == 1
    assert "no steps found" in capsys.readouterr().err
    assert not (tmp_path / "lib" / "guides" / "sign-in").exists()


def test_recording_without_frames_gives_steps_without_images(tmp_path: Path) -> None:
    recording = copy("sign-in", tmp_path)
    shutil.rmtree(recording / "frames")
    guide = load_guide(generate(recording, tmp_path / "lib") / "guide.yml")
    assert [s.action for s in guide.steps] == [s.action for s in by_id("sign-in").steps]
    assert all(s.image is None for s in guide.steps)


def test_truncated_frame_and_killed_recording(tmp_path: Path) -> None:
    recording = copy("new-lead", tmp_path)
    frame = sorted((recording / "frames").iterdir())[1]
    frame.write_bytes(frame.read_bytes()[:500])
    meta = json.loads((recording / "meta.json").read_text())
    meta["ended"] = None
    (recording / "meta.json").write_text(json.dumps(meta))
    with (recording / "events.jsonl").open("ab") as fh:
        fh.write(b'{"type":"mouse_press","t":99.0,"x":1')  # what SIGKILL leaves
    guide = load_guide(generate(recording, tmp_path / "lib") / "guide.yml")
    assert len(guide.steps) >= len(by_id("new-lead").steps)
    assert sum(s.image is None for s in guide.steps) >= 1


def test_generate_refuses_a_non_recording(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match=r"meta\.json"):
        generate(tmp_path, tmp_path / "lib")


def published_text(folder: Path) -> str:
    """All the text tesseract reads in a guide's published images."""
    images = sorted((folder / "images").glob("*.png"))
    sizes = []
    for image in images:
        with Image.open(image) as picture:
            sizes.append(picture.size)
    crops = [Crop(path, Rect(0, 0, *size)) for path, size in zip(images, sizes, strict=True)]
    return " ".join(w.text for words in Ocr().read(crops) for w in words)


def test_personal_data_on_screen_is_blurred_unless_no_redact(tmp_path: Path) -> None:
    redacted = generate(RECORDINGS / "new-lead", tmp_path / "lib", Options(title="Redacted"))
    plain = generate(RECORDINGS / "new-lead", tmp_path / "lib", Options(title="Plain", redact=False))
    assert "jane.doe@acme.example" in published_text(plain), (
        "the e-mail is on screen in the steps after typing"
    )
    assert "jane.doe@acme.example" not in published_text(redacted)
    assert "555" not in published_text(redacted)


def test_each_frame_is_decoded_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pixel checks, OCR and the images share one decoding of each frame: the images keep, as it is
    decoded for OCR, the part of it they may show."""
    opened: list[Path] = []

    def counted(path: Path) -> Image.Image:
        opened.append(path)
        return open_image(path)

    for module in (annotate, ocr, secrets):
        monkeypatch.setattr(module, "open_image", counted)
    guide = load_guide(generate(RECORDINGS / "new-lead", tmp_path / "lib") / "guide.yml")
    assert sum(step.image is not None for step in guide.steps) >= 8
    assert len(opened) == len(set(opened)) >= 8
