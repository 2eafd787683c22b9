"""`vsop export`: the HTML file (self-contained, escaped), portable Markdown with its images, and the PDF;
for real in headless Chromium (Playwright on the system's Chromium) on a guide generated from a recording."""

from __future__ import annotations

import base64
import os
import re
import shutil
import stat
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PIL import Image
from pypdf.generic import ContentStream

from capture.errors import BackendUnavailableError
from generator.cli import main
from generator.errors import ExportError
from generator.export.formats import export, export_html
from generator.export.pdf import print_pdf
from generator.export.portable import portable
from generator.guide.model import Guide, Revision, Step
from generator.guide.store import load_guide, save_guide
from generator.pipeline.generate import Options, generate
from generator.render.step_text import step_text
from tests.conftest import CHROMIUM_FLAGS, chromium_binary, need

EVIL = "<img src=x onerror=alert(1)>"
NOTE = 'Raw <script>alert(1)</script> ok. ![x](images/s-1.png){ onerror="alert(2)" } [a](javascript:alert(3))'
POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


def make_step(
    step_id: str, action: Any, target: str | None, value: str | None, window: str, **kw: Any
) -> Step:
    step = Step(id=step_id, action=action, target=target, value=value, window=window, text="", **kw)
    step.text = step_text(step)
    return step


@pytest.fixture
def handmade(tmp_path: Path) -> Path:
    """A guide folder: four shown steps (three with an image), a dropped one, a note, hostile titles."""
    folder = tmp_path / "lib" / "guides" / "hand-made"
    (folder / "images").mkdir(parents=True)
    for n, colour in enumerate(("red", "green", "blue", "gray"), 1):
        Image.new("RGB", (320, 180), colour).save(folder / "images" / f"s-{n}.png")
    steps = [
        make_step("s-1", "click", "Save", None, EVIL, image="images/s-1.png", note=NOTE),
        make_step("s-2", "type", "Company name", "Acme <b>Corp</b> ++x++", EVIL, image="images/s-2.png"),
        make_step("s-3", "hotkey", None, "ctrl+s", "Editor"),
        make_step("s-4", "click", "Nothing", None, "Editor", image="images/s-4.png", dropped="no change"),
        make_step("s-5", "click", "Close", None, "Editor", image="images/s-3.png"),
    ]
    guide = Guide(
        id="hand-made",
        title=f"Hand made {EVIL}",
        stage="customer-inquiry",
        version="1.2.0",
        purpose=None,
        recorded={},
        steps=steps,
        revisions=[Revision("1.2.0", "2026-11-22", f"Fixed {EVIL}", author="Ann")],
    )
    save_guide(guide, folder / "guide.yml")
    return folder


def html_of(folder: Path) -> str:
    return export_html(load_guide(folder / "guide.yml"), folder)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


# HTML ----------------------------------------------------------------------------------------------------


def test_html_embeds_every_step_image_as_a_data_uri(handmade: Path) -> None:
    tags = parse(html_of(handmade)).tags
    sources = [attrs["src"] or "" for tag, attrs in tags if tag == "img"]
    prefix = "data:image/png;base64,"
    assert len(sources) == 4  # three step images and the one in the note; the dropped step is not shown
    assert all(s.startswith(prefix) for s in sources)
    assert base64.b64decode(sources[0].removeprefix(prefix)) == (handmade / "images/s-1.png").read_bytes()


def test_html_references_nothing_outside_the_file(handmade: Path) -> None:
    page = html_of(handmade)
    assert not re.search(r"https?:|//[a-z]", page, re.IGNORECASE)
    tags = parse(page).tags
    assert {tag for tag, _ in tags}.isdisjoint({"script", "link", "iframe", "object", "embed", "base"})
    for tag, attrs in tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "href"):
                assert (value or "").startswith(("data:image/", "#")), (tag, name, value)


def test_html_shows_screen_text_and_raw_html_as_text(handmade: Path) -> None:
    parsed = parse(html_of(handmade))
    text = "".join(parsed.text)
    assert f"In {EVIL}" in text  # the window title, as a heading
    assert f"Hand made {EVIL}" in text  # the title, in <title> and <h1>
    assert f"Fixed {EVIL}" in text  # the revision summary
    assert "Acme <b>Corp</b> ++x++" in text  # a typed value, in a code span
    assert "<script>alert(1)</script>" in text  # a person's raw HTML in a note
    assert not [t for t, _ in parsed.tags if t in ("script", "b")]
    assert [attrs for t, attrs in parsed.tags if t == "a"] == [{}]  # the javascript: link lost its href


def test_html_keeps_each_step_in_one_block_with_keys_as_kbd(handmade: Path) -> None:
    page = html_of(handmade)
    blocks = re.findall(r'<section class="step">(.*?)</section>', page, re.DOTALL)
    assert [b.count("<img ") for b in blocks] == [2, 1, 0, 1]  # step 1 has its note's image too
    assert [re.search(r"<strong>(\d+)\.</strong>", b)[1] for b in blocks] == ["1", "2", "3", "4"]  # type: ignore[index]
    assert '<div class="admonition note">' in blocks[0]
    assert '<kbd class="key-control">Ctrl</kbd>' in blocks[2]
    assert "break-inside: avoid" in page and "@page { size: A4;" in page
    assert "Made with vsop" in page


def test_html_refuses_a_missing_or_outside_image(handmade: Path) -> None:
    (handmade / "images/s-2.png").unlink()
    with pytest.raises(ExportError, match=r"s-2\.png: image of the guide is missing"):
        html_of(handmade)
    guide = load_guide(handmade / "guide.yml")
    guide.steps[0].note = "![remote](https://example.com/x.png)"
    with pytest.raises(ExportError, match="not a file of the guide"):
        export_html(guide, handmade)


# Markdown ------------------------------------------------------------------------------------------------


def test_markdown_export_writes_the_page_and_its_images(handmade: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    out = export(handmade, "md", tmp_path / "out")  # a folder: <id>.md inside it
    assert out == tmp_path / "out" / "hand-made.md"
    text = out.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)
    assert links == ["hand-made-images/s-1.png"] * 2 + [
        "hand-made-images/s-2.png",
        "hand-made-images/s-3.png",
    ]
    assert sorted(p.name for p in (out.parent / "hand-made-images").iterdir()) == [
        ".vsop-export",  # an export made this folder: the next one may replace it
        "s-1.png",
        "s-2.png",
        "s-3.png",
    ]
    assert all((out.parent / link).is_file() for link in links)
    assert "Press <kbd>Ctrl</kbd>+<kbd>S</kbd>." in text
    assert "> **Note**\n>\n> Raw &lt;script>alert(1)&lt;/script> ok." in text  # raw HTML as text
    outside_code = re.sub(r"`[^`]*`", "", text)
    assert "++" not in outside_code.replace("\\+\\+", "") and "!!!" not in text
    assert "`Acme <b>Corp</b> ++x++`" in text  # code spans are left alone


def test_markdown_export_replaces_a_previous_export(handmade: Path, tmp_path: Path) -> None:
    out = tmp_path / "guide.md"
    export(handmade, "md", out)
    (tmp_path / "guide-images" / "stale.png").write_bytes(b"old")
    export(handmade, "md", out)
    assert not (tmp_path / "guide-images" / "stale.png").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guide-images", "guide.md", "lib"]  # no temp left


def test_portable_markdown_rewrites_only_pymdownx_syntax() -> None:
    text = (
        'Press ++ctrl+alt+delete++, ++"My\\+Key"++, not \\+\\+x\\+\\+ or `++y++`.'
        '\n\n!!! warning "Careful"\n\n    Two\n    lines\n\nAfter.'
    )
    assert portable(text) == (
        "Press <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd>, <kbd>My+Key</kbd>,"
        " not \\+\\+x\\+\\+ or `++y++`."
        "\n\n> **Careful**\n>\n> Two\n> lines\n\nAfter."
    )


# The command and the printer -----------------------------------------------------------------------------


def test_command_writes_to_the_current_folder_by_default(
    handmade: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", "hand-made", "--library", str(tmp_path / "lib"), "--format", "html"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "hand-made.html")
    assert (tmp_path / "hand-made.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["export", "nope", "--library", str(tmp_path / "lib"), "--format", "html"]) == 1
    assert "no guide with id 'nope'; guides here: hand-made" in capsys.readouterr().err


def test_pdf_without_chromium_says_how_to_install_it(
    handmade: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["export", str(handmade), "--format", "pdf", "--out", str(tmp_path / "x.pdf")]) == 4
    assert "apt-get install chromium" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*.tmp"))


def fake_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "chromium"
    fake.write_text(f"#!/bin/sh\n{script}\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def test_pdf_printer_reports_stderr_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_chromium(tmp_path, monkeypatch, "echo 'cannot open display' >&2; exit 3")
    with pytest.raises(ExportError, match=r"(?s)exit code 3\).*cannot open display"):
        print_pdf(tmp_path / "page.html", tmp_path / "out.pdf")


def test_pdf_printer_kills_chromium_and_its_children_on_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "child.pid"
    fake_chromium(tmp_path, monkeypatch, f"sleep 60 & echo $! > {pid_file}; wait")
    with pytest.raises(ExportError, match="did not print the PDF within 1 s"):
        print_pdf(tmp_path / "page.html", tmp_path / "out.pdf", timeout=1)
    assert not alive(int(pid_file.read_text()))


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a killed child can stay a zombie until its new parent reaps it)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.05)
    return True


def test_missing_chromium_is_a_backend_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackendUnavailableError, match="chromium, chromium-browser, google-chrome"):
        print_pdf(tmp_path / "page.html", tmp_path / "out.pdf")


# For real: a guide generated from a recording, in headless Chromium ------------------------------------


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory, recordings: Path) -> Path:
    """The guide of the new-lead recording (10 steps, real tesseract), generated once."""
    need("tesseract")
    return generate(recordings / "new-lead", tmp_path_factory.mktemp("lib"), Options(title="New lead"))


def browser_path() -> str:
    path = shutil.which(chromium_binary())
    assert path is not None
    return path


@pytest.mark.ocr
@pytest.mark.browser
def test_html_export_opens_offline_in_chromium(recorded: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_file = export(recorded, "html", tmp_path)
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=browser_path(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri(), wait_until="load")
            widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete && i.naturalWidth)")
            blocks = page.eval_on_selector_all("section.step", "s => s.length")
            overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        finally:
            browser.close()
    assert len(widths) == 10 and all(w and w > 0 for w in widths), widths
    assert blocks == 10
    assert not overflow  # screenshots fit the page width
    assert requests and all(u.startswith(("data:", "file:")) for u in requests), requests


def image_draws(reader: pypdf.PdfReader, content: Any, resources: Any) -> int:
    """Images drawn by a content stream, following form XObjects."""
    xobjects = resources.get("/XObject", {}) if resources else {}
    count = 0
    for operands, operator in ContentStream(content, reader).operations:
        if operator == b"Do":
            xobject = xobjects[operands[0]].get_object()
            if xobject["/Subtype"] == "/Image":
                count += 1
            elif xobject["/Subtype"] == "/Form":
                count += image_draws(reader, xobject, xobject.get("/Resources", resources))
    return count


@pytest.mark.ocr
@pytest.mark.browser
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pdf_export_is_printable_with_no_screenshot_split(recorded: Path, tmp_path: Path, paper: Any) -> None:
    chromium_binary()
    out = export(recorded, "pdf", tmp_path / "guide.pdf", paper=paper)
    assert out.read_bytes()[:5] == b"%PDF-"
    reader = pypdf.PdfReader(out)
    width, height = POINTS[paper]
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - width) < 2 and abs(float(page.mediabox.height) - height) < 2
    draws = [image_draws(reader, page.get_contents(), page["/Resources"]) for page in reader.pages]
    assert sum(draws) == 10, draws  # a screenshot split over two pages would be drawn twice
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guide.pdf"]
