"""``vsop export --format docx``: the guide as a Word document a quality manager can file.

A document-control block (number, title, version, status, owner, approver, effective date, next review),
the purpose and prerequisites, the numbered steps (each kept on one page with its note and image, the image
scaled to the page), notes as shaded call-outs by kind, keys as key caps, and the revision history as a
table. The texts are the guide's own Markdown, read as the site reads it (generator/export/htmltree.py).

An organisation's Word template, ``LIB/templates/reference.docx``, gives the styles, page, header and footer,
as pandoc's reference documents do: its body is left out; a style it lacks is made (word_style.py). The
header says "DRAFT" on a guide whose current version is not approved.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section, _Header
from docx.shared import Cm, Inches, Length, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from capture.files import atomic_write
from generator.errors import ExportError, GuideError
from generator.export.htmltree import MarkdownTree
from generator.export.word_markup import Box, Pictures, Writer, prefix, xml_text
from generator.export.word_style import (
    CALLOUT,
    IMAGE,
    MARK,
    STEP,
    Container,
    StyleIds,
    ensure_styles,
    grid,
    shade_cell,
)
from generator.guide.control import ControlView, approval_of
from generator.guide.model import Guide, Step
from generator.images.edits import published_images
from generator.library.control import guide_control
from generator.library.layout import library_of
from generator.render.guide_page import sections_by_window
from generator.render.step_text import plain_text, text_or_none

TEMPLATE = Path("templates") / "reference.docx"  # in a library
NOTE_LABEL = {"note": "Note", "tip": "Tip", "warning": "Warning"}
STATUS = {"draft": "Draft, not approved", "approved": "Approved", "retired": "Retired"}
MARK_TEXT = {"draft": "DRAFT \u2013 not approved", "retired": "RETIRED \u2013 not for use"}
ROOM_FOR_TEXT = Pt(200)  # of a page's height, kept free of a step's image for its text and note
NONE = "\u2014"
DROPPED = frozenset({"stylesWithEffects", "thumbnail"})  # relationship types, last part
PAPER = {"a4": (Mm(210), Mm(297)), "letter": (Inches(8.5), Inches(11))}


@dataclass(frozen=True, slots=True)
class WordGuide:
    """What the Word document is made of: the guide, its folder (images) and its document control."""

    guide: Guide
    folder: Path
    control: ControlView
    template: Path | None = None
    paper: str = "a4"  # without a template: "a4" or "letter"


def word_guide(guide_file: Path, guide: Guide, paper: str = "a4") -> WordGuide:
    """The guide loaded from ``guide_file``, with its document control and its library's template."""
    try:
        template: Path | None = library_of(guide_file) / TEMPLATE
    except GuideError:
        template = None  # a guide outside a library: vsop's styles
    if template is not None and not template.is_file():
        template = None
    return WordGuide(guide, guide_file.parent, guide_control(guide_file), template, paper)


def write_docx(source: WordGuide, target: Path) -> None:
    """The Word document of ``source`` at ``target``, replaced atomically (a temp file, then a rename)."""
    document = _open(source.template)
    if source.template is None:
        _page(document.sections[-1], source.paper)
    _slim(document, builtin=source.template is None)
    _build(document, source)
    atomic_write(target, document.save)


def _open(template: Path | None) -> Document:
    if template is None:
        return docx.Document()
    try:
        document = docx.Document(str(template))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExportError(
            f"{template}: not a Word document ({exc}); save the template from Word as .docx "
            "(Word Document, not a template .dotx), or remove it to export with vsop's styles"
        ) from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # the template's text is an example; its page setup stays
            body.remove(child)
    return document


def _slim(document: Document, builtin: bool) -> None:
    """Leave out what the document does not need: Word 2010's copy of the styles, the template's thumbnail
    (a picture of the template, not of the guide) and, from python-docx's own template, its bibliography."""
    dropped = DROPPED | {"customXml"} if builtin else DROPPED
    for rels in (document.part.rels, document.part.package.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype.rsplit("/", 1)[-1] in dropped]:
            del rels[rid]


def _build(document: Document, source: WordGuide) -> None:
    styles = ensure_styles(document)
    guide, control = source.guide, source.control
    section = document.sections[-1]
    pictures = Pictures(source.folder, published_images(guide, source.folder), _image_box(section))
    writer, tree = Writer(pictures, styles), MarkdownTree()
    _headers(section, control, styles)
    _footer(section, control)
    document.core_properties.title = xml_text(guide.title)
    document.core_properties.subject = control.number or ""
    document.core_properties.version = guide.version
    styles.paragraph(document, "Title", xml_text(guide.title))
    _control_block(document, control)
    purpose = text_or_none(guide.purpose)
    if purpose:
        styles.paragraph(document, "Heading 1", "Purpose")
        writer.blocks(document, tree.convert(purpose))
    prerequisites = [p.strip() for p in guide.prerequisites if p.strip()]
    if prerequisites:
        styles.paragraph(document, "Heading 1", "Before you start")
        items = "\n".join("- " + p.replace("\n", "\n  ") for p in prerequisites)
        writer.blocks(document, tree.convert(items))
    styles.paragraph(document, "Heading 1", "Steps")
    _steps(document, guide, writer, tree)
    if guide.revisions:
        styles.paragraph(document, "Heading 1", "Revision history")
        _revisions(document, guide)


def _page(section: Section, paper: str) -> None:
    """The paper size of an export without a template (python-docx's own is Letter), 2 cm margins."""
    section.page_width, section.page_height = PAPER[paper]
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2)
    section.header_distance = section.footer_distance = Cm(1)


def _image_box(section: Section) -> Box:
    """The text width less the step indent, and the text height less room for a step's text."""
    width = _length(section.page_width) - _length(section.left_margin) - _length(section.right_margin)
    height = _length(section.page_height) - _length(section.top_margin) - _length(section.bottom_margin)
    return Box(Length(width - Pt(22)), Length(max(height // 2, height - ROOM_FOR_TEXT)))


def _length(value: Length | None) -> int:
    if value is None:
        raise ExportError("the Word template has no page size or margins; set them in Word and save it")
    return int(value)


# Header, footer and the control block ---------------------------------------------------------------------


def _headers(section: Section, control: ControlView, styles: StyleIds) -> None:
    """The template's header (or none), then the draft or retired mark and the document's identity, on
    every page (the first and even pages too, when the template gives them their own header)."""
    headers = [section.header]
    if section.different_first_page_header_footer:
        headers.append(section.first_page_header)
    if section.even_page_header.is_linked_to_previous is False:
        headers.append(section.even_page_header)
    for header in headers:
        header.is_linked_to_previous = False
        _header(header, control, styles)


def _header(header: _Header, control: ControlView, styles: StyleIds) -> None:
    mark = MARK_TEXT.get(control.status)
    ours = [p for p in header.paragraphs if not p.text.strip()]
    if mark is not None:
        target = ours.pop(0) if ours else header.add_paragraph()
        target._p.style = styles.ids[MARK]
        target.add_run(mark)
    identity = ours.pop(0) if ours else header.add_paragraph()
    parts = [control.number, control.title, f"Version {control.version}", STATUS[control.status]]
    identity.add_run(xml_text(" \u00b7 ".join(p for p in parts if p)))


def _footer(section: Section, control: ControlView) -> None:
    """Page numbers (``Page 2 of 6``) when the template's footer has no text of its own."""
    footer = section.footer
    footer.is_linked_to_previous = False
    if any(p.text.strip() for p in footer.paragraphs):
        return
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.add_run(xml_text(f"{control.number or control.title} \u00b7 Page "))
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")


def _field(paragraph: Paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def control_rows(control: ControlView) -> list[tuple[str, str]]:
    """The rows of the document-control block, as label and value."""
    status = STATUS[control.status]
    if control.status == "draft" and control.effective is not None:
        status += f" (version {control.effective.version}, approved {control.effective.date}, is in force)"
    if control.status == "retired":
        status += f" on {_day(control.retired_on)}: {control.retired_reason or NONE}"
    rows = [
        ("Document number", control.number or "not yet numbered (given at the first approval)"),
        ("Title", control.title),
        ("Version", control.version),
        ("Status", status),
        ("Owner", control.owner or NONE),
        ("Approved by", control.approver or NONE),
        ("Effective date", _day(control.approved_on)),
        ("Next review", _day(control.next_review)),
    ]
    if control.superseded:
        rows.append(("Supersedes versions", ", ".join(control.superseded)))
    return rows


def _day(day: datetime.date | None) -> str:
    return day.isoformat() if day is not None else NONE


def _control_block(document: Document, control: ControlView) -> None:
    rows = control_rows(control)
    table = document.add_table(rows=len(rows), cols=2)
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, xml_text(value)
        row.cells[0].paragraphs[0].runs[0].bold = True
        shade_cell(row.cells[0]._tc.get_or_add_tcPr(), "EDEDED")
    _widths(table, (Pt(130), Pt(320)))
    grid(table, header=False)


def _widths(table: Table, widths: Sequence[Length]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        for cell in column.cells:
            cell.width = width


# Steps and revisions --------------------------------------------------------------------------------------


def _steps(document: Document, guide: Guide, writer: Writer, tree: MarkdownTree) -> None:
    number = 0
    for section in sections_by_window(guide.steps):
        window = text_or_none(section.window)
        if window is not None:
            heading = writer.styles.paragraph(document, "Heading 2", "In ")
            heading.add_run(xml_text(window)).italic = True
        for step in section.steps:
            number += 1
            _step(document, number, step, writer, tree)


def _step(into: Container, number: int, step: Step, writer: Writer, tree: MarkdownTree) -> None:
    """The step's text, its note and its image, kept together on one page: each paragraph is kept with the
    next and none is split (keep-with-next, keep-lines-together)."""
    paragraphs = _written(into, writer, tree, step.text, STEP)
    prefix(paragraphs[0], f"{number}.\t").bold = True
    note = text_or_none(step.note)
    if note is not None:
        callout = _written(into, writer, tree, note, CALLOUT[step.note_kind])
        prefix(callout[0], f"{NOTE_LABEL[step.note_kind]}: ").bold = True
        paragraphs += callout
    if step.image:
        picture = writer.styles.paragraph(into, IMAGE)
        alt = f"Step {number}: {plain_text(step.text).removesuffix('.')}"
        writer.pictures.add(picture.add_run(), step.image, alt)
        paragraphs.append(picture)
    for paragraph in paragraphs:
        paragraph.paragraph_format.keep_together = True
        paragraph.paragraph_format.keep_with_next = paragraph is not paragraphs[-1]


def _written(into: Container, writer: Writer, tree: MarkdownTree, text: str, style: str) -> list[Paragraph]:
    """The paragraphs of ``text`` (Markdown) in ``style``; at least one."""
    return writer.blocks(into, tree.convert(text.strip()), style) or [writer.styles.paragraph(into, style)]


def _revisions(document: Document, guide: Guide) -> None:
    head = ("Version", "Date", "Author", "Summary", "Approved")
    table = document.add_table(rows=1, cols=len(head))
    for cell, label in zip(table.rows[0].cells, head, strict=True):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
        shade_cell(cell._tc.get_or_add_tcPr(), "EDEDED")
    for revision in guide.revisions:
        approval = approval_of(guide, revision.version)
        approved = f"{approval.by}, {approval.date}" if approval is not None else NONE
        values = (revision.version, revision.date, revision.author or "", revision.summary, approved)
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = xml_text(value)
    _widths(table, (Pt(55), Pt(70), Pt(80), Pt(155), Pt(90)))
    grid(table, header=True)
