"""`vsop export --format docx`: the Word document read back with python-docx (control block, steps, images,
notes, keys, revision table, header), an organisation's reference.docx, bad input; and for real, the
document rendered by LibreOffice (headless soffice) to PDF and checked page by page."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from docx.document import Document
from docx.shared import Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph
from PIL import Image
from pypdf.generic import ContentStream

from generator.cli import main
from generator.errors import ExportError
from generator.export.formats import export
from generator.export.word_markup import EMU_PER_PX
from generator.guide.model import Guide, Revision, Step
from generator.guide.store import load_guide, save_guide
from generator.library.control import approve_guide, retire_guide
from generator.pipeline.generate import Options, generate
from generator.render.step_text import plain_text, step_text
from tests.conftest import need
from tests.test_export import image_draws

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOTE = "Raw <script>alert(1)</script> stays text. Press ++ctrl+shift+n++ for a new tab.\n\n- one\n- two"


def make_step(step_id: str, action: Any, target: str | None, value: str | None, **kw: Any) -> Step:
    step = Step(
        id=step_id, action=action, target=target, value=value, window=kw.pop("window", "CRM"), text=""
    )
    step.text = step_text(step)
    for name, val in kw.items():
        setattr(step, name, val)
    return step


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A library with one guide: purpose, prerequisites, five shown steps (a note of each kind, a shortcut,
    a portrait screenshot taller than any page, one without an image), a dropped step, two revisions."""
    folder = tmp_path / "lib" / "guides" / "hand-made"
    (folder / "images").mkdir(parents=True)
    sizes = {"s-1": (1280, 720), "s-2": (400, 225), "s-3": (600, 3000), "s-5": (640, 360)}
    for n, (name, size) in enumerate(sizes.items()):
        Image.new("RGB", size, ("red", "green", "blue", "gray")[n]).save(folder / "images" / f"{name}.png")
    steps = [
        make_step("s-1", "click", "Save <b>now</b>", None, image="images/s-1.png", note=NOTE),
        make_step("s-2", "type", "Company", "Acme <i>Corp</i>", image="images/s-2.png", note_kind="tip",
                  note="Use the **legal** name."),
        make_step("s-3", "hotkey", None, "ctrl+s", window="Editor <x>", image="images/s-3.png",
                  note_kind="warning", note="Unsaved work is lost."),
        make_step("s-4", "click", "Nothing", None, window="Editor <x>", dropped="no change"),
        make_step("s-5", "click", "Close", None, window="Editor <x>", image="images/s-5.png"),
        make_step("s-6", "key", None, "enter", window="Editor <x>"),
    ]  # fmt: skip
    guide = Guide(
        id="hand-made",
        title="Enter a <b>lead</b>",
        stage="customer-inquiry",
        version="1.1.0",
        purpose="Record a new lead so **sales** can call back.",
        recorded={},
        steps=steps,
        revisions=[
            Revision("1.0.0", "2026-11-20", "First version", author="Ann"),
            Revision("1.1.0", "2026-11-22", "Fixed <img src=x onerror=alert(1)>", author="Bob"),
        ],
        prerequisites=["A CRM account with *sales* rights", "The lead's phone number"],
    )
    save_guide(guide, folder / "guide.yml")
    return tmp_path / "lib"


def guide_folder(library: Path) -> Path:
    return library / "guides" / "hand-made"


def text_of(paragraphs: list[Paragraph]) -> list[str]:
    return [p.text for p in paragraphs]


def header_text(document: Document) -> str:
    return "\n".join(p.text for p in document.sections[0].header.paragraphs)


def step_paragraphs(document: Document) -> list[Paragraph]:
    return [p for p in document.paragraphs if p.style is not None and p.style.name == "SOP Step"]


def control_block(document: Document) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}


def fill(paragraph: Paragraph) -> str | None:
    """The shading of a paragraph, its own or its style's."""
    for ppr in (paragraph._p.pPr, paragraph.style.element.pPr if paragraph.style is not None else None):
        shd = ppr.find(f"{W}shd") if ppr is not None else None
        if shd is not None:
            return str(shd.get(f"{W}fill"))
    return None


# The document, read back ----------------------------------------------------------------------------------


def test_docx_has_control_block_steps_notes_keys_and_revisions(library: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    out = export(guide_folder(library), "docx", tmp_path / "out")
    assert out == tmp_path / "out" / "hand-made.docx"
    document = docx.Document(str(out))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == "Enter a <b>lead</b>"
    control = control_block(document)
    assert list(control) == [
        "Document number", "Title", "Version", "Status", "Owner", "Approved by", "Effective date",
        "Next review",
    ]  # fmt: skip
    assert control["Version"] == "1.1.0" and control["Status"] == "Draft, not approved"
    assert control["Approved by"] == "\u2014" and control["Title"] == "Enter a <b>lead</b>"
    assert control["Next review"] != "\u2014"  # the latest revision's date and the review interval
    headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Purpose", "Before you start", "Steps", "In CRM", "In Editor <x>", "Revision history"]
    assert "Record a new lead so sales can call back." in text_of(paragraphs)
    assert [p.text for p in paragraphs if p.style.name == "SOP List"][:2] == [
        "\u2022\tA CRM account with sales rights",
        "\u2022\tThe lead's phone number",
    ]
    steps = step_paragraphs(document)
    assert [s.text.split("\t")[0] for s in steps] == [
        "1.",
        "2.",
        "3.",
        "4.",
        "5.",
    ]  # the dropped one left out
    assert steps[0].text == "1.\tClick Save <b>now</b>."  # screen text stays text
    assert steps[1].text == "2.\tType Acme <i>Corp</i> in Company."
    assert "Nothing" not in "\n".join(text_of(paragraphs))


def test_docx_keys_are_key_caps_and_notes_shaded_callouts_by_kind(library: Path, tmp_path: Path) -> None:
    document = docx.Document(str(export(guide_folder(library), "docx", tmp_path)))
    keys = [r.text.strip("\u00a0") for p in document.paragraphs for r in p.runs if r.style.name == "SOP Key"]
    assert keys == ["Ctrl", "Shift", "N", "Ctrl", "S", "Enter"]  # the note's shortcut, steps 3 and 5
    key_style = document.styles["SOP Key"].element
    assert key_style.find(f"{W}rPr/{W}bdr") is not None and key_style.find(f"{W}rPr/{W}shd") is not None
    first = {p.style.name: p for p in reversed(document.paragraphs)}
    note, tip, warning = first["SOP Note"], first["SOP Tip"], first["SOP Warning"]
    assert note.text.startswith("Note: Raw <script>alert(1)</script> stays text. Press")
    assert tip.text == "Tip: Use the legal name."
    assert warning.text == "Warning: Unsaved work is lost."
    fills = {fill(p) for p in (note, tip, warning)}
    assert len(fills) == 3 and None not in fills  # three kinds, three shadings
    bullets = [
        p.text for p in document.paragraphs if p.style.name == "SOP Note" and p.text.startswith("\u2022")
    ]
    assert bullets == ["\u2022\tone", "\u2022\ttwo"]  # the note's list, in the call-out


def test_docx_images_scaled_to_the_page_and_each_step_kept_together(library: Path, tmp_path: Path) -> None:
    document = docx.Document(str(export(guide_folder(library), "docx", tmp_path)))
    section = document.sections[0]
    assert section.page_width and section.left_margin and section.right_margin and section.page_height
    text_width = section.page_width - section.left_margin - section.right_margin
    text_height = section.page_height - section.top_margin - section.bottom_margin  # type: ignore[operator]
    shapes = list(document.inline_shapes)
    assert len(shapes) == 4
    for shape in shapes:
        assert shape.width <= text_width and shape.height <= text_height
    widths = [shape.width for shape in shapes]
    assert widths[1] == 400 * EMU_PER_PX  # small enough: shown at its size, not blown up
    assert widths[0] < 1280 * EMU_PER_PX  # wider than the text: scaled down, ratio kept
    assert abs(shapes[0].height / shapes[0].width - 720 / 1280) < 0.01
    assert shapes[2].height < text_height and abs(shapes[2].width / shapes[2].height - 600 / 3000) < 0.01
    descriptions = [s._inline.docPr.get("descr") for s in shapes]
    assert descriptions[0] == "Step 1: Click Save <b>now</b>"
    # each step: its paragraphs kept together and with the next, the last (its image) ends the chain
    body = [p for p in document.paragraphs if p.style.name.startswith("SOP ") and p.style.name != "SOP List"]
    chains: list[list[Paragraph]] = []
    for paragraph in body:
        if paragraph.style.name == "SOP Step":
            chains.append([])
        if chains:
            chains[-1].append(paragraph)
    assert [len(c) for c in chains] == [5, 3, 3, 2, 1]  # text, note (and its list), image
    for chain in chains:
        assert all(p.paragraph_format.keep_together for p in chain)
        assert [bool(p.paragraph_format.keep_with_next) for p in chain] == [True] * (len(chain) - 1) + [False]


def test_docx_revision_table_and_draft_header(library: Path, tmp_path: Path) -> None:
    document = docx.Document(str(export(guide_folder(library), "docx", tmp_path)))
    table = document.tables[1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [
        ["Version", "Date", "Author", "Summary", "Approved"],
        ["1.0.0", "2026-11-20", "Ann", "First version", "\u2014"],
        ["1.1.0", "2026-11-22", "Bob", "Fixed <img src=x onerror=alert(1)>", "\u2014"],
    ]
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None  # repeated on each page
    header = header_text(document)
    assert "DRAFT" in header and "Enter a <b>lead</b>" in header and "Version 1.1.0" in header
    footer = document.sections[0].footer._element
    assert [f.get(f"{W}instr") for f in footer.iter(f"{W}fldSimple")] == ["PAGE", "NUMPAGES"]


def test_approved_guide_exports_as_approved(library: Path, tmp_path: Path) -> None:
    approved = approve_guide(
        guide_folder(library) / "guide.yml", "Carla Quality", datetime.date(2026, 11, 25)
    )
    document = docx.Document(str(export(guide_folder(library), "docx", tmp_path)))
    control = control_block(document)
    assert control["Document number"] == approved.number and approved.number
    assert control["Status"] == "Approved"
    assert control["Approved by"] == "Carla Quality" and control["Effective date"] == "2026-11-25"
    header = header_text(document)
    assert "DRAFT" not in header and approved.number in header and "Approved" in header
    assert [c.text for c in document.tables[1].rows[2].cells][-1] == "Carla Quality, 2026-11-25"


def test_retired_guide_and_letter_paper(library: Path, tmp_path: Path) -> None:
    guide_file = guide_folder(library) / "guide.yml"
    approve_guide(guide_file, "Carla Quality", datetime.date(2026, 11, 25))
    retire_guide(guide_file, "Replaced by the web form", datetime.date(2026, 11, 30))
    out = tmp_path / "guide.docx"
    argv = ["export", str(guide_folder(library)), "--format", "docx", "--paper", "letter", "-o", str(out)]
    assert main(argv) == 0
    document = docx.Document(str(out))
    assert "RETIRED" in header_text(document)
    status = control_block(document)["Status"]
    assert status == "Retired on 2026-11-30: Replaced by the web form"
    section = document.sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))


def reference_docx(path: Path) -> None:
    """An organisation's template: its own body font, heading colour, note style, header and an example
    body that the export leaves out."""
    template = docx.Document()
    template.styles["Normal"].font.name = "DejaVu Serif"
    template.styles["Heading 1"].font.color.rgb = RGBColor(0x12, 0x34, 0x56)
    note = template.styles.add_style("SOP Note", 1)
    note.font.size = Pt(13)  # type: ignore[attr-defined]
    template.sections[0].header.paragraphs[0].text = "ACME Corp quality manual"
    template.sections[0].footer.paragraphs[0].text = "ACME confidential"
    template.add_paragraph("Example body text of the template")
    path.parent.mkdir(parents=True, exist_ok=True)
    template.save(str(path))


def test_reference_docx_gives_styles_header_and_footer(library: Path, tmp_path: Path) -> None:
    reference_docx(library / "templates" / "reference.docx")
    document = docx.Document(str(export(guide_folder(library), "docx", tmp_path)))
    assert document.styles["Normal"].font.name == "DejaVu Serif"
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0x12, 0x34, 0x56)
    assert document.styles["SOP Note"].font.size == Pt(13)  # the template's own, not vsop's
    assert "SOP Tip" in document.styles  # made where the template has none
    header = header_text(document)
    assert header.startswith("ACME Corp quality manual") and "DRAFT" in header
    assert [p.text for p in document.sections[0].footer.paragraphs] == ["ACME confidential"]
    assert "Example body text of the template" not in [p.text for p in document.paragraphs]
    assert document.paragraphs[0].text == "Enter a <b>lead</b>"


# Bad input -------------------------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_missing_image_is_an_error_and_nothing_is_written(library: Path, tmp_path: Path) -> None:
    (guide_folder(library) / "images" / "s-3.png").unlink()
    (tmp_path / "out").mkdir()
    with pytest.raises(ExportError, match=r"s-3\.png: image of the guide is missing"):
        export(guide_folder(library), "docx", tmp_path / "out")
    assert leftovers(tmp_path / "out") == []


def test_bad_guide_template_and_target_exit_nonzero_without_a_file(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["export", "hand-made", "--library", str(library), "--format", "docx", "--out"]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main([*argv, str(blocker / "x.docx")]) != 0  # unwritable: its folder is a file
    assert "a-file" in capsys.readouterr().err

    (library / "templates").mkdir()
    (library / "templates" / "reference.docx").write_text("not a zip")
    (tmp_path / "out").mkdir()
    assert main([*argv, str(tmp_path / "out")]) == 1
    assert "reference.docx: not a Word document" in capsys.readouterr().err
    (library / "templates" / "reference.docx").unlink()

    guide_file = guide_folder(library) / "guide.yml"
    guide_file.write_text(guide_file.read_text().replace("version: 1.1.0", "version: [1]", 1))
    assert main([*argv, str(tmp_path / "out")]) == 1
    assert "guide.yml" in capsys.readouterr().err
    assert leftovers(tmp_path / "out") == []


def test_export_replaces_an_earlier_docx_atomically(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "guide.docx"
    out.write_bytes(b"old")
    assert main(["export", str(guide_folder(library)), "--format", "docx", "--out", str(out)]) == 0
    assert zipfile.is_zipfile(out)
    assert leftovers(tmp_path) == ["guide.docx", "lib"]


# For real: LibreOffice renders the document ---------------------------------------------------------------


def soffice_pdf(document: Path, tmp_path: Path) -> Path:
    """``document`` converted to PDF by headless LibreOffice, with its own profile and HOME."""
    need("soffice")
    home = tmp_path / "soffice-home"
    home.mkdir()
    out = tmp_path / "soffice-out"
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    argv = [
        str(shutil.which("soffice")), f"-env:UserInstallation={(home / 'profile').as_uri()}", "--headless",
        "--norestore", "--convert-to", "pdf", "--outdir", str(out), str(document),
    ]  # fmt: skip
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=180, check=False)
    pdf = out / f"{document.stem}.pdf"
    assert done.returncode == 0 and pdf.is_file(), (done.returncode, done.stdout, done.stderr)
    return pdf


def pages(pdf: Path) -> list[tuple[str, int]]:
    """Each page's text and how many images it draws."""
    reader = pypdf.PdfReader(pdf)
    return [
        (page.extract_text() or "", image_draws(reader, page.get_contents(), page["/Resources"]))
        for page in reader.pages
    ]


def image_boxes(pdf: Path) -> list[tuple[float, float, float, float]]:
    """Where each image is drawn (x, y, width, height in points): LibreOffice places each with its own
    ``cm`` just before ``Do``."""
    reader = pypdf.PdfReader(pdf)
    boxes = []
    for page in reader.pages:
        matrix: list[float] = []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"cm":
                matrix = [float(v) for v in operands]
            elif operator == b"Do" and page["/Resources"]["/XObject"][operands[0]]["/Subtype"] == "/Image":
                boxes.append((matrix[4], matrix[5], matrix[0], matrix[3]))
    return boxes


def steps_on(text: str) -> list[int]:
    """The step numbers that start on a page (a line "N. ..." of the step text)."""
    return [int(n) for n in re.findall(r"^\s*(\d+)\.\s+\S", text, re.MULTILINE)]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory, recordings: Path) -> Path:
    """The guide of the new-lead recording (10 steps, real tesseract), generated once."""
    need("tesseract")
    return generate(recordings / "new-lead", tmp_path_factory.mktemp("lib"), Options(title="New lead"))


@pytest.mark.ocr
def test_libreoffice_renders_every_step_whole_with_its_image(recorded: Path, tmp_path: Path) -> None:
    out = export(recorded, "docx", tmp_path / "new-lead.docx")
    guide = load_guide(recorded / "guide.yml")
    shown = [s for s in guide.steps if s.dropped is None]
    assert len(shown) == 10 and all(s.image for s in shown)
    images = sum((recorded / s.image).stat().st_size for s in shown if s.image)
    assert out.stat().st_size <= 1.2 * images, (out.stat().st_size, images)  # the README's target

    found = pages(soffice_pdf(out, tmp_path))
    assert len(found) > 1
    text = "\n".join(t for t, _ in found)
    assert "New lead" in text and "DRAFT" in text and "Revision history" in text
    assert sum(draws for _, draws in found) == 10  # a split image would be drawn twice
    margin, (width, height) = 2 / 2.54 * 72, (595.3, 841.9)  # 2 cm on A4
    for x, y, w, h in image_boxes(tmp_path / "soffice-out" / "new-lead.pdf"):
        assert margin - 1 < x and x + w < width - margin + 1 and margin - 1 < y and y + h < height - margin
    started = [n for t, _ in found for n in steps_on(t)]
    assert started == list(range(1, 11)), started
    for page_text, draws in found:
        assert len(steps_on(page_text)) == draws, page_text  # each step's image on the page of its text
    words = " ".join(" ".join(plain_text(s.text).split()[:2]) for s in shown)
    for word in words.split():
        assert word in " ".join(text.split()), word


def test_libreoffice_scales_a_tall_image_to_one_page(library: Path, tmp_path: Path) -> None:
    reference_docx(library / "templates" / "reference.docx")
    found = pages(soffice_pdf(export(guide_folder(library), "docx", tmp_path / "guide.docx"), tmp_path))
    assert sum(draws for _, draws in found) == 4
    started = [n for t, _ in found for n in steps_on(t)]
    assert started[:5] == [1, 2, 3, 4, 5], started
    assert all(t.startswith("ACME Corp quality manual") or "ACME Corp quality manual" in t for t, _ in found)
    assert all("DRAFT" in t for t, _ in found)
    for page_text, draws in found:
        images_of_steps = [n for n in steps_on(page_text) if n != 5]  # step 5 (Enter) has no image
        assert len(images_of_steps) == draws, page_text
