"""`vsop edit` in a real browser: headless Chromium (Playwright on Debian's chromium) drives the editor of a
guide generated from a real recording (real tesseract): reword, delete, merge, reorder, a warning, a blur box,
a crop and undo, guide.yml checked after each; then the built site, the untouched screenshots, and a
`vsop update` with the same recording that keeps every edit."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops

from generator.edit import EditorServer, start_editor
from generator.edit.ops import DELETED
from generator.edit.session import Session
from generator.guide.model import Guide, Step
from generator.guide.store import load_guide
from generator.images.edits import edited_png
from generator.library.control import approve_guide
from generator.pipeline.generate import Options, generate
from generator.publish import build_site
from generator.rerecord.update import update_guide
from tests.conftest import CHROMIUM_FLAGS, chromium_binary, need
from tests.test_edit import EVIL

pytestmark = [pytest.mark.browser, pytest.mark.ocr]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, recordings: Path) -> Path:
    """The new-lead guide, generated once for the module; each test edits its own copy."""
    need("tesseract")
    lib = tmp_path_factory.mktemp("lib")
    return generate(recordings / "new-lead", lib, Options(title="new-lead")).parent.parent


@pytest.fixture
def library(generated: Path, tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    shutil.copytree(generated, lib, symlinks=True)
    return lib


@pytest.fixture
def editor(library: Path) -> Iterator[EditorServer]:
    server = start_editor(library / "guides" / "new-lead" / "guide.yml", open_browser=False)
    yield server
    server.close()


def shown(guide: Guide) -> list[Step]:
    return [s for s in guide.steps if s.dropped is None]


def by_id(guide: Guide, step_id: str) -> Step:
    return next(s for s in guide.steps if s.id == step_id)


def test_edit_a_generated_guide_in_chromium(editor: EditorServer, library: Path, recordings: Path) -> None:
    need(chromium_binary())
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    guide_file = editor.session.guide_file
    folder = guide_file.parent
    images = {p: p.read_bytes() for p in (folder / "images").iterdir()}
    start = load_guide(guide_file)
    steps = [s.id for s in shown(start)]
    assert len(steps) >= 6 and all(by_id(start, s).image for s in steps[:2])
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which(chromium_binary()), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("dialog", lambda d: (problems.append(f"dialog {d.message}"), d.dismiss()))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.goto(editor.url, wait_until="networkidle")
        done = [0]

        def act(action: Callable[[], Any]) -> Guide:
            """Do one change in the page; wait until the page has saved it and shown it again."""
            action()
            done[0] += 1
            try:
                page.locator(f"body[data-changes='{done[0]}']").wait_for(state="attached", timeout=15_000)
            except PlaywrightError:
                raise AssertionError(page.locator("#status").inner_text()) from None
            status = page.locator("#status").inner_text()
            assert status == "Saved.", status
            return load_guide(guide_file)

        def step(step_id: str, selector: str) -> Any:
            return page.locator(f"#step-{step_id} {selector}")

        # reword the first step; hostile text shows as text, then undo puts it back
        hostile = act(lambda: (step(steps[0], ".text-source").fill(EVIL), page.keyboard.press("Tab")))
        assert by_id(hostile, steps[0]).text == EVIL
        assert step(steps[0], ".text").inner_text().endswith(EVIL)
        guide = act(lambda: page.locator("#undo").click())
        assert (
            by_id(guide, steps[0]).text == by_id(start, steps[0]).text and by_id(guide, steps[0]).edited == []
        )
        guide = act(
            lambda: (
                step(steps[0], ".text-source").fill("Click **New lead**, top right."),
                page.keyboard.press("Tab"),
            )
        )
        assert by_id(guide, steps[0]).text == "Click **New lead**, top right."
        assert by_id(guide, steps[0]).edited == ["text"]
        assert step(steps[0], ".text strong").last.inner_text() == "New lead"

        # delete one, merge two, reorder
        guide = act(lambda: step(steps[2], "button[data-op=delete]").click())
        assert by_id(guide, steps[2]).dropped == DELETED and by_id(guide, steps[2]).edited == ["dropped"]
        assert page.locator(f"#step-{steps[2]}").count() == 0
        guide = act(lambda: step(steps[3], "button[data-op=merge]").click())
        merged = by_id(guide, steps[3])
        assert merged.text == f"{by_id(start, steps[3]).text} {by_id(start, steps[4]).text}"
        assert merged.image == by_id(start, steps[3]).image and merged.edited == ["text"]
        assert by_id(guide, steps[4]).dropped == f"merged into step {steps[3]}"
        guide = act(lambda: step(steps[1], "button[data-by='-1']").click())
        assert [s.id for s in shown(guide)][:2] == [steps[1], steps[0]]

        # a warning on the second step
        def warn() -> None:
            step(steps[1], ".note-edit summary").click()
            step(steps[1], ".note-kind").select_option("warning")
            step(steps[1], ".note-text").fill("Check the *company name* before saving.")
            step(steps[1], "button[data-op=note]").click()

        guide = act(warn)
        assert by_id(guide, steps[1]).note == "Check the *company name* before saving."
        assert by_id(guide, steps[1]).note_kind == "warning" and by_id(guide, steps[1]).edited == ["note"]
        assert step(steps[1], ".admonition.warning em").inner_text() == "company name"

        # a blur box and a crop, drawn with the mouse on the screenshots
        def draw(step_id: str, tool: str, fractions: tuple[float, float, float, float]) -> None:
            step(step_id, f"button[data-tool={tool}]").click()
            image = step(step_id, ".original")
            image.wait_for(state="visible")
            image.evaluate("i => i.scrollIntoView({block: 'center'})")  # clear of the sticky bar
            box = image.bounding_box()
            assert box is not None
            x0, y0, x1, y1 = fractions
            page.mouse.move(box["x"] + x0 * box["width"], box["y"] + y0 * box["height"])
            page.mouse.down()
            page.mouse.move(box["x"] + x1 * box["width"], box["y"] + y1 * box["height"], steps=5)
            page.mouse.up()

        with Image.open(folder / by_id(start, steps[0]).image) as first:  # type: ignore[operator]
            width, height = first.size
        guide = act(lambda: draw(steps[0], "blur", (0.1, 0.1, 0.4, 0.3)))
        (blur,) = by_id(guide, steps[0]).blur
        assert _near(blur, (0.1 * width, 0.1 * height, 0.3 * width, 0.2 * height))
        assert by_id(guide, steps[0]).edited == ["text", "blur"]
        guide = act(lambda: draw(steps[1], "crop", (0.05, 0.05, 0.55, 0.55)))
        crop = by_id(guide, steps[1]).crop
        assert crop is not None and _near(crop, (0.05 * width, 0.05 * height, 0.5 * width, 0.5 * height))
        published = step(steps[1], ".published")
        assert published.evaluate("i => i.decode().then(() => i.naturalWidth)") == crop[2]

        # the first step moved back up: `vsop update` keeps edits of steps in their recorded order
        guide = act(lambda: step(steps[0], "button[data-by='-1']").click())
        assert [s.id for s in shown(guide)][:2] == steps[:2]
        browser.close()
    assert problems == []

    # the original screenshots are untouched; the site shows the edited guide
    assert {p: p.read_bytes() for p in (folder / "images").iterdir()} == images
    _check_site(library, guide, by_id(guide, steps[0]), by_id(guide, steps[1]))
    _check_update(guide_file, recordings / "new-lead", guide)


def _near(box: tuple[int, int, int, int], want: tuple[float, float, float, float], slack: float = 4) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(box, want, strict=True))


def _check_site(library: Path, guide: Guide, blurred: Step, cropped: Step) -> None:
    approve_guide(library / "guides" / "new-lead" / "guide.yml", "Test approver")  # edited: approved again
    result = build_site(library, library / "site", "mkdocs")
    assert result.ok, result.failures
    page = (result.out / "guides" / "new-lead" / "index.html").read_text(encoding="utf-8")
    steps = shown(guide)
    assert "New lead</strong>, top right." in page
    assert 'class="admonition warning"' in page and "<em>company name</em>" in page
    assert page.count('class="admonition-title"') == 1
    for step in steps:
        assert step.image and step.image in page
    built = result.out / "guides" / "new-lead"
    folder = library / "guides" / "new-lead"
    assert blurred.blur and cropped.crop
    assert (built / blurred.image).read_bytes() == edited_png(folder / blurred.image, blurred)  # type: ignore[operator]
    with Image.open(built / cropped.image) as image:  # type: ignore[operator]
        assert image.size == cropped.crop[2:]
    with Image.open(built / blurred.image) as after, Image.open(folder / blurred.image) as before:  # type: ignore[operator]
        changed = ImageChops.difference(after.convert("RGB"), before.convert("RGB")).getbbox()
    x, y, w, h = blurred.blur[0]
    assert changed is not None and x <= changed[0] and y <= changed[1]
    assert changed[2] <= x + w and changed[3] <= y + h


def _check_update(guide_file: Path, recording: Path, edited: Guide) -> None:
    """A second recording of the same process: every edit of the person stays."""
    for _ in range(2):
        update_guide(guide_file, recording)
        after = load_guide(guide_file)
        for step in edited.steps:
            kept = by_id(after, step.id)
            assert kept.edited == step.edited, step.id
            for name in ("text", "note", "note_kind", "blur", "crop", "dropped"):
                assert getattr(kept, name) == getattr(step, name), (step.id, name)
        assert [s.id for s in shown(after)] == [s.id for s in shown(edited)]


def test_update_keeps_a_reordered_step(library: Path, recordings: Path) -> None:
    guide_file = library / "guides" / "new-lead" / "guide.yml"
    session = Session(guide_file)
    first, second = (s.id for s in shown(load_guide(guide_file))[:2])
    session.change({"op": "text", "step": second, "text": "Fill in the company first."})
    session.change({"op": "move", "step": second, "by": -1})
    update_guide(guide_file, recordings / "new-lead")
    after = load_guide(guide_file)
    assert [s.id for s in shown(after)][:2] == [second, first]
    assert by_id(after, second).text == "Fill in the company first."
