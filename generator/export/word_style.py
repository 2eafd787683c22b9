"""The styles and the few formatting properties the Word export needs that python-docx has no API for.

Every style vsop uses is looked up by name and made only when the document (an organisation's reference.docx,
see generator/export/word.py) lacks it, so a template may define ``SOP Note`` or ``Heading 1`` its own way.
Properties are written in the element order of the WordprocessingML schema: Word refuses a file otherwise.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from generator.guide.model import NoteKind

STEP = "SOP Step"
IMAGE = "SOP Image"  # the paragraph of a step's image
LIST = "SOP List"
CODE = "SOP Code"
KEY = "SOP Key"  # a key cap: ++ctrl+s++
CODE_CHAR = "SOP Code Char"
MARK = "SOP Mark"  # the DRAFT / RETIRED line of the header
CALLOUT: dict[NoteKind, str] = {"note": "SOP Note", "tip": "SOP Tip", "warning": "SOP Warning"}
# fill and left rule of each call-out, as the site's admonitions colour them
_CALLOUT_COLOURS: dict[NoteKind, tuple[str, str]] = {
    "note": ("E8F0FE", "448AFF"),
    "tip": ("E6F6F4", "00BFA5"),
    "warning": ("FFF4E5", "FF9100"),
}
MONO = "DejaVu Sans Mono"

# Successors of each property in its parent, in schema order (ECMA-376 part 1, 17.3.1.26, 17.3.2.28, 17.4).
_PPR_AFTER_SHD = (
    "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
_RPR_AFTER_SHD = (
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish",
    "w:oMath",
)  # fmt: skip
_TCPR_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
_TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
_TRPR_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")


def _element(tag: str, **attrs: str) -> BaseOxmlElement:
    element: BaseOxmlElement = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _replace(parent: BaseOxmlElement, element: BaseOxmlElement, successors: tuple[str, ...]) -> None:
    for old in parent.findall(element.tag):
        parent.remove(old)
    parent.insert_element_before(element, *successors)


def _shd(fill: str) -> BaseOxmlElement:
    return _element("w:shd", val="clear", color="auto", fill=fill)


def _border(side: str, colour: str, size: int = 4, space: int = 4) -> BaseOxmlElement:
    return _element(side, val="single", sz=str(size), space=str(space), color=colour)


def shade_paragraph(ppr: BaseOxmlElement, fill: str, rule: str | None = None) -> None:
    """A fill behind the paragraph and, with ``rule``, a thick rule on its left (a call-out)."""
    if rule is not None:
        borders = _element("w:pBdr")
        borders.append(_border("w:left", rule, size=24, space=8))
        _replace(ppr, borders, ("w:shd", *_PPR_AFTER_SHD))
    _replace(ppr, _shd(fill), _PPR_AFTER_SHD)


def key_cap(rpr: BaseOxmlElement) -> None:
    """A thin border and a light fill around the run: a key cap."""
    _replace(rpr, _border("w:bdr", "808080", size=4, space=0), ("w:shd", *_RPR_AFTER_SHD))
    _replace(rpr, _shd("F2F2F2"), _RPR_AFTER_SHD)


def shade_cell(tcpr: BaseOxmlElement, fill: str) -> None:
    _replace(tcpr, _shd(fill), _TCPR_AFTER_SHD)


def grid(table: Table, header: bool) -> None:
    """Thin borders on every cell; no row breaks across a page; with ``header`` the first row repeats on
    every page the table runs over."""
    borders = _element("w:tblBorders")
    for side in ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"):
        borders.append(_border(side, "A0A0A0", space=0))
    _replace(table._tbl.tblPr, borders, _TBLPR_AFTER_BORDERS)
    for n, row in enumerate(table.rows):
        _keep_row(row, header=header and n == 0)


def _keep_row(row: _Row, header: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    _replace(trpr, _element("w:cantSplit"), _TRPR_AFTER_CANT_SPLIT)
    if header:
        _replace(trpr, _element("w:tblHeader"), _TRPR_AFTER_CANT_SPLIT[2:])


@dataclass(frozen=True, slots=True)
class StyleIds:
    """The id of each style by its name, looked up once: python-docx looks a name up in every style of
    the document each time a paragraph gets one (a third of an export's time)."""

    ids: Mapping[str, str]

    def paragraph(self, into: Container, style: str | None = None, text: str = "") -> Paragraph:
        """A new paragraph at the end of ``into`` in ``style`` (None: the default style)."""
        paragraph = into.add_paragraph(text)
        if style is not None:
            paragraph._p.style = self.ids[style]
        return paragraph

    def run(self, run: Run, style: str) -> None:
        run._r.style = self.ids[style]


class Container(Protocol):
    """Where paragraphs are added: the document, a table cell, a header."""

    def add_paragraph(self, text: str = "", style: str | ParagraphStyle | None = None) -> Paragraph: ...


def ensure_styles(document: Document) -> StyleIds:
    """Every style the export uses, made when the document lacks it; the ids of all styles."""
    names = {style.name for style in document.styles}
    for level, size in ((1, 15), (2, 12.5)):
        _paragraph(document, names, f"Heading {level}", functools.partial(_heading, size=size))
    _paragraph(document, names, "Title", functools.partial(_heading, size=22))
    _paragraph(document, names, STEP, _step)
    _paragraph(document, names, IMAGE, _image)
    _paragraph(document, names, LIST, _list)
    _paragraph(document, names, CODE, _code)
    _paragraph(document, names, MARK, _mark)
    for kind, name in CALLOUT.items():
        fill, rule = _CALLOUT_COLOURS[kind]
        _paragraph(document, names, name, functools.partial(_callout, fill=fill, rule=rule))
    _character(document, names, KEY, _key)
    _character(document, names, CODE_CHAR, lambda s: setattr(s.font, "name", MONO))
    return StyleIds({style.name: style.style_id for style in document.styles if style.name})


def _paragraph(
    document: Document, names: set[str | None], name: str, setup: Callable[[ParagraphStyle], None]
) -> None:
    if name not in names:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        assert isinstance(style, ParagraphStyle)
        style.base_style = document.styles["Normal"]
        _visible(style)
        setup(style)


def _character(
    document: Document, names: set[str | None], name: str, setup: Callable[[CharacterStyle], None]
) -> None:
    if name not in names:
        style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        assert isinstance(style, CharacterStyle)
        _visible(style)
        setup(style)


def _visible(style: BaseStyle) -> None:
    style.hidden = False
    style.quick_style = True


def _heading(style: ParagraphStyle, size: float) -> None:
    style.font.bold = True
    style.font.size = Pt(size)
    style.paragraph_format.space_before = Pt(12)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.keep_with_next = True


def _step(style: ParagraphStyle) -> None:
    fmt = style.paragraph_format
    fmt.left_indent, fmt.first_line_indent = Pt(22), Pt(-22)  # the number hangs in the margin of its text
    fmt.space_before, fmt.space_after = Pt(10), Pt(4)


def _image(style: ParagraphStyle) -> None:
    fmt = style.paragraph_format
    fmt.left_indent, fmt.space_before, fmt.space_after = Pt(22), Pt(4), Pt(8)


def _list(style: ParagraphStyle) -> None:
    fmt = style.paragraph_format
    fmt.left_indent, fmt.first_line_indent = Pt(18), Pt(-12)
    fmt.space_after = Pt(2)


def _code(style: ParagraphStyle) -> None:
    style.font.name = MONO
    style.font.size = Pt(9)
    shade_paragraph(style.element.get_or_add_pPr(), "F5F5F5")


def _mark(style: ParagraphStyle) -> None:
    style.font.bold = True
    style.font.size = Pt(14)
    style.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _callout(style: ParagraphStyle, fill: str, rule: str) -> None:
    fmt = style.paragraph_format
    fmt.left_indent, fmt.space_before, fmt.space_after = Pt(22), Pt(2), Pt(4)
    shade_paragraph(style.element.get_or_add_pPr(), fill, rule)


def _key(style: CharacterStyle) -> None:
    style.font.size = Pt(9)
    style.font.bold = True
    key_cap(style.element.get_or_add_rPr())
