"""A Markdown snippet of the guide (as :mod:`generator.export.htmltree` reads it) written into a Word
document: paragraphs, lists and code blocks with bold, italic, code and key-cap runs; images scaled to
fit the page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from docx.image.exceptions import UnrecognizedImageError
from docx.shared import Emu, Length
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from PIL import Image, UnidentifiedImageError

from generator.errors import ExportError
from generator.export.htmltree import Node
from generator.export.images import guide_image
from generator.export.word_style import CALLOUT, CODE, CODE_CHAR, KEY, LIST, Container, StyleIds

EMU_PER_PX = 9525  # at 96 dpi, the size a screenshot shows at 100 % on most screens
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\r\n]+")  # not \s: a no-break space stays
_BLOCKS = frozenset({"p", "ul", "ol", "pre", "blockquote", "div", "table", "hr", "h1", "h2", "h3", "h4"})
_LINKS = ("http:", "https:", "mailto:")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML file cannot hold (control characters, lone surrogates)."""
    return _NOT_XML.sub("", text)


@dataclass(frozen=True, slots=True)
class Look:
    bold: bool = False
    italic: bool = False
    code: bool = False
    key: bool = False
    strike: bool = False


@dataclass(frozen=True, slots=True)
class Box:
    """The largest size an image may take: the text width, and a height that leaves room on the page for
    the step's text and note above it."""

    width: Length
    height: Length


def fit(size: tuple[int, int], box: Box) -> tuple[Emu, Emu]:
    """An image of ``size`` pixels at 96 dpi, scaled down (never up) to fit ``box``, its ratio kept."""
    width, height = size[0] * EMU_PER_PX, size[1] * EMU_PER_PX
    scale = min(1.0, box.width / max(1, width), box.height / max(1, height))
    return Emu(int(width * scale)), Emu(int(height * scale))


@dataclass(frozen=True, slots=True)
class Pictures:
    """The images of one guide folder, as an export shows them: a file of the guide, checked whole (see
    :func:`~generator.export.images.guide_image`), as a person edited it (``published``)."""

    folder: Path
    published: Mapping[str, bytes]
    box: Box

    def add(self, run: Run, src: str, alt: str = "") -> None:
        """The image ``src`` (relative to the guide folder) in ``run``, scaled to the page; ``alt`` is its
        description for screen readers."""
        path = guide_image(self.folder, src)
        data = self.published.get(path.relative_to(self.folder.resolve()).as_posix()) or path.read_bytes()
        try:
            with Image.open(io.BytesIO(data)) as image:
                size = image.size
            width, height = fit(size, self.box)
            shape = run.add_picture(io.BytesIO(data), width=width, height=height)
        except (UnrecognizedImageError, UnidentifiedImageError, OSError) as exc:  # Word: PNG, JPEG, GIF...
            raise ExportError(f"{path}: cannot be put into a Word document ({exc}); save it as PNG") from exc
        shape._inline.docPr.set("descr", xml_text(alt))
        for side in ("distT", "distB", "distL", "distR"):  # LibreOffice's default is 0.32 cm around it
            shape._inline.set(side, "0")


@dataclass(frozen=True, slots=True)
class Writer:
    """Writes trees into paragraphs of a container (the document, a cell)."""

    pictures: Pictures
    styles: StyleIds

    def blocks(self, into: Container, node: Node, style: str | None = None) -> list[Paragraph]:
        """The blocks of ``node`` as paragraphs of ``style`` (lists and code in their own styles)."""
        made: list[Paragraph] = []
        inline: list[Node | str] = []

        def flush() -> None:
            if any(not isinstance(c, str) or c.strip() for c in inline):
                paragraph = self.styles.paragraph(into, style)
                self.runs(paragraph, inline)
                made.append(paragraph)
            inline.clear()

        for child in node.children:
            if isinstance(child, Node) and child.tag in _BLOCKS | {"li"}:
                flush()
                made.extend(self._block(into, child, style))
            else:
                inline.append(child)
        flush()
        return made

    def _block(self, into: Container, node: Node, style: str | None) -> list[Paragraph]:
        if node.tag in ("ul", "ol"):
            return self._list(into, node, style if style is not None and style in CALLOUT.values() else LIST)
        if node.tag == "pre":
            paragraph = self.styles.paragraph(into, CODE)
            for n, line in enumerate(node.text().rstrip("\n").split("\n")):
                if n:
                    paragraph.add_run().add_break()
                paragraph.add_run(xml_text(line))
            return [paragraph]
        if node.tag == "table":
            rows = _descendants(node, "tr")
            return [self._text(into, " | ".join(c.text().strip() for c in _cells(r)), style) for r in rows]
        if node.tag == "hr":
            return []
        if node.tag in ("h1", "h2", "h3", "h4"):
            paragraph = self.styles.paragraph(into, style)
            self.runs(paragraph, node.children, Look(bold=True))
            return [paragraph]
        if node.tag == "p":
            paragraph = self.styles.paragraph(into, style)
            self.runs(paragraph, node.children)
            return [paragraph]
        return self.blocks(into, node, style)  # blockquote, div, li outside a list

    def _text(self, into: Container, text: str, style: str | None) -> Paragraph:
        paragraph = self.styles.paragraph(into, style)
        paragraph.add_run(xml_text(text))
        return paragraph

    def _list(self, into: Container, node: Node, style: str) -> list[Paragraph]:
        """Each item a paragraph of ``style`` (a call-out's list stays in the call-out), its bullet or
        number first."""
        made: list[Paragraph] = []
        start = node.attrs.get("start", "")
        number = int(start) if start.isdigit() else 1
        for item in (c for c in node.children if isinstance(c, Node) and c.tag == "li"):
            marker = f"{number}.\t" if node.tag == "ol" else "\u2022\t"
            number += 1
            first = len(made)
            made.extend(self.blocks(into, item, style))
            if len(made) == first:
                made.append(self.styles.paragraph(into, style))
            prefix(made[first], marker)
        return made

    def runs(self, paragraph: Paragraph, nodes: list[Node | str], look: Look = Look()) -> None:
        """Inline content: text, emphasis, code, keys, links, line breaks and images."""
        for node in nodes:
            if isinstance(node, str):
                text = node if look.code else _SPACES.sub(" ", node)
                if text:
                    self._styled(paragraph.add_run(xml_text(text)), look)
            elif node.tag in ("strong", "b"):
                self.runs(paragraph, node.children, replace(look, bold=True))
            elif node.tag in ("em", "i"):
                self.runs(paragraph, node.children, replace(look, italic=True))
            elif node.tag in ("del", "s"):
                self.runs(paragraph, node.children, replace(look, strike=True))
            elif node.tag == "code":
                self.runs(paragraph, node.children, replace(look, code=True))
            elif node.tag == "kbd":
                self.runs(paragraph, [f"\u00a0{node.text()}\u00a0"], replace(look, key=True))
            elif node.tag == "br":
                paragraph.add_run().add_break()
            elif node.tag == "img":
                self.pictures.add(paragraph.add_run(), node.attrs.get("src", ""), node.attrs.get("alt", ""))
            elif node.tag == "a":
                self._link(paragraph, node, look)
            else:
                self.runs(paragraph, node.children, look)  # span (keys), mark, sub, sup...

    def _link(self, paragraph: Paragraph, node: Node, look: Look) -> None:
        """A link's text, and its address after it when that is a web or mail address: paper has no links."""
        self.runs(paragraph, node.children, look)
        href = node.attrs.get("href", "")
        if href.lower().startswith(_LINKS) and href not in node.text():
            self._styled(paragraph.add_run(xml_text(f" ({href})")), look)

    def _styled(self, run: Run, look: Look) -> None:
        if look.key:
            self.styles.run(run, KEY)
        elif look.code:
            self.styles.run(run, CODE_CHAR)
        if look.bold:
            run.bold = True
        if look.italic:
            run.italic = True
        if look.strike:
            run.font.strike = True


def prefix(paragraph: Paragraph, text: str) -> Run:
    """A run of ``text`` (a bullet, a step number) before the paragraph's first run."""
    run = paragraph.add_run(text)
    properties = paragraph._p.pPr
    if properties is not None:
        properties.addnext(run._r)
    else:
        paragraph._p.insert(0, run._r)
    return run


def _cells(row: Node) -> list[Node]:
    return [c for c in row.children if isinstance(c, Node)]


def _descendants(node: Node, tag: str) -> list[Node]:
    found: list[Node] = []
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                found.append(child)
            else:
                found.extend(_descendants(child, tag))
    return found
