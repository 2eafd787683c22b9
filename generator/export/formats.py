"""``vsop export``: one guide as a single file to mail or attach to a ticket (html), as Markdown with an
images folder to paste into another wiki (md), printed (pdf, through headless Chromium), or as a Word
document to file (docx, generator/export/word.py).

The page is the guide's own Markdown (templates/guide.md.j2) converted with the extensions of the site, so
an export reads like the site. Raw HTML in the Markdown is shown as text, event-handler attributes and
``javascript:`` links are dropped and images must be files of the guide: an export carries no script and
fetches nothing.
"""

from __future__ import annotations

import base64
import datetime
import os
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal, get_args
from urllib.parse import urlsplit

import markdown  # type: ignore[import-untyped]
from markdown.extensions import Extension  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]
from markupsafe import Markup

from capture import __version__
from capture.files import atomic_write_text, temp_path
from generator.errors import ExportError
from generator.export.images import guide_image
from generator.export.pdf import print_pdf
from generator.export.portable import portable, relink_images
from generator.guide.model import Guide
from generator.guide.store import load_guide
from generator.images.edits import published_images
from generator.library.layout import IMAGES_DIR, replacing, resolve_guide
from generator.render.environment import environment
from generator.render.filters import url
from generator.render.guide_page import guide_markdown
from generator.render.safety import SafeMarkdown

Format = Literal["html", "md", "pdf", "docx"]
Paper = Literal["a4", "letter"]
FORMATS: tuple[Format, ...] = get_args(Format)
PAPERS: tuple[Paper, ...] = get_args(Paper)
EXTENSIONS = ["admonition", "attr_list", "tables", "toc", "pymdownx.keys"]  # the site's, less raw HTML
_PAPER_SIZE: dict[Paper, str] = {"a4": "A4", "letter": "letter"}
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
EXPORT_MARK = ".vsop-export"  # in the images folder of an md export: an export made it and may replace it
_MARK_TEXT = "Made by vsop export; the next export of the guide to the same name replaces this folder.\n"


@dataclass(frozen=True, slots=True)
class ExportPage:
    """What ``templates/export.html.j2`` may use; ``body`` is the guide page as HTML, images embedded."""

    title: str
    body: Markup
    paper_size: str  # a CSS @page size
    made: str  # ISO date of the export
    vsop_version: str


def export(
    guide: str | Path,
    fmt: Format,
    out: Path | None = None,
    paper: Paper = "a4",
    library: Path | None = None,
) -> Path:
    """Export the guide named by ``guide`` (as :func:`resolve_guide` reads it); returns the written file.

    ``out`` defaults to ``<guide id>.<format>`` in the current folder; a folder puts that name inside it.
    An existing export is replaced (exports are derived), atomically.
    """
    guide_file = resolve_guide(guide, library)
    loaded = load_guide(guide_file)
    target = _target(out, loaded.id, fmt)
    if fmt == "html":
        atomic_write_text(target, export_html(loaded, guide_file.parent, paper))
    elif fmt == "md":
        write_markdown(loaded, guide_file.parent, target)
    elif fmt == "docx":
        from generator.export.word import word_guide, write_docx  # python-docx, lxml: only when asked for

        write_docx(word_guide(guide_file, loaded, paper), target)
    else:
        write_pdf(loaded, guide_file.parent, target, paper)
    return target


def _target(out: Path | None, guide_id: str, fmt: Format) -> Path:
    name = f"{guide_id}.{fmt}"
    target = Path(name) if out is None else out / name if out.is_dir() else out
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.absolute()


# HTML ----------------------------------------------------------------------------------------------------


def export_html(guide: Guide, folder: Path, paper: Paper = "a4", made: datetime.date | None = None) -> str:
    """The guide as one self-contained HTML page; ``folder`` holds its images."""
    published = published_images(guide, folder)
    embed = SafeHtml(lambda src: data_uri(folder, src, published))
    converter = markdown.Markdown(extensions=[*EXTENSIONS, embed, _Steps()], output_format="html")
    body = converter.convert(guide_markdown(guide, enlarge=False))
    page = ExportPage(
        title=guide.title,
        body=Markup(body),  # Python-Markdown escaped it: raw HTML is off
        paper_size=_PAPER_SIZE[paper],
        made=(made or datetime.date.today()).isoformat(),
        vsop_version=__version__,
    )
    return environment().get_template("export.html.j2").render(page=page)


class SafeHtml(Extension):  # type: ignore[misc]
    """Raw HTML off (shown as text), each image's ``src`` replaced by ``image_src(src)`` (which raises for an
    image it refuses), and the HTML cleaned by nh3 (generator/render/safety.py: no script, event-handler
    attribute or ``javascript:`` link; an image may be a ``data:`` URI)."""

    def __init__(self, image_src: Callable[[str], str]) -> None:
        super().__init__()
        self.image_src = image_src

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Inline(md, self.image_src), "vsop-inline", 4)  # after attr_list (8)
        SafeMarkdown(data_images=True).extendMarkdown(md)


class _Steps(Extension):  # type: ignore[misc]
    """Each step (number, text, note, image) one ``section``."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_StepBlocks(md), "vsop-steps", 3)


class _Inline(Treeprocessor):  # type: ignore[misc]
    def __init__(self, md: markdown.Markdown, image_src: Callable[[str], str]) -> None:
        super().__init__(md)
        self.image_src = image_src

    def run(self, root: ET.Element) -> None:
        for element in root.iter("img"):
            element.set("src", self.image_src(element.get("src", "")))


def data_uri(folder: Path, src: str, published: Mapping[str, bytes] | None = None) -> str:
    """The image ``src`` (relative to the guide ``folder``) as a data: URI; an image in ``published`` (see
    :func:`~generator.images.edits.published_images`) is embedded as a person edited it."""
    image = guide_image(folder, src)
    mime = _MIME.get(image.suffix.lower())
    if mime is None:
        raise ExportError(f"{image}: expected a {', '.join(sorted(_MIME))} image, found {image.suffix!r}")
    data = (published or {}).get(image.relative_to(folder.resolve()).as_posix()) or image.read_bytes()
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


class _StepBlocks(Treeprocessor):  # type: ignore[misc]
    """Wrap each step, from its "**N.**" paragraph to the next step or heading, in ``<section class=step>``
    so the page can keep it in one piece (``break-inside: avoid``)."""

    def run(self, root: ET.Element) -> None:
        children: list[ET.Element] = []
        step: ET.Element | None = None
        for element in list(root):
            if _starts_step(element):
                step = ET.Element("section", {"class": "step"})
                children.append(step)
            elif element.tag not in ("p", "div"):
                step = None
            if step is None:
                children.append(element)
            else:
                step.append(element)
        root[:] = children


def _starts_step(element: ET.Element) -> bool:
    first = element[0] if len(element) else None
    return (
        element.tag == "p"
        and not (element.text or "").strip()
        and first is not None
        and first.tag == "strong"
        and (first.text or "").rstrip(".").isdigit()
    )


# Markdown ------------------------------------------------------------------------------------------------


def write_markdown(guide: Guide, folder: Path, target: Path) -> None:
    """``target`` (portable Markdown, see generator/export/portable.py) and ``<stem>-images/`` beside it
    with every image the page shows; image links point into that folder."""
    images = target.with_name(f"{target.stem}-images")
    _check_images_folder(images)
    copies: dict[str, Path] = {}  # name in the images folder -> file in the guide folder
    published = published_images(guide, folder)

    def relink(src: str) -> str:
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            return src  # a remote image stays remote; the wiki shows it as the site did
        source = guide_image(folder, src)
        name = _exported_name(source.relative_to(folder.resolve()))
        copies[name] = source
        return url(f"{images.name}/{name}")

    text = relink_images(portable(guide_markdown(guide, enlarge=False)), relink)
    with replacing(images) as staging:
        (staging / EXPORT_MARK).write_text(_MARK_TEXT, encoding="utf-8")
        for name, source in copies.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            edited = published.get(source.relative_to(folder.resolve()).as_posix())
            if edited is None:
                shutil.copyfile(source, staging / name)
            else:
                (staging / name).write_bytes(edited)
    atomic_write_text(target, text)


def _check_images_folder(images: Path) -> None:
    """An existing ``images`` folder is replaced only when an earlier export made it (it holds
    :data:`EXPORT_MARK`) or it is empty: a folder of the person's own that has the name is kept."""
    if images.is_symlink() or (images.exists() and not images.is_dir()):
        raise ExportError(f"{images}: expected the images folder of the export, found a file; move it away")
    if images.is_dir() and any(images.iterdir()) and not (images / EXPORT_MARK).is_file():
        raise ExportError(
            f"{images}: this folder was not made by vsop export and would be replaced by the export's "
            "images; move it away, or export to another name with --out"
        )


def _exported_name(image: Path) -> str:
    """``images/s-1.png`` -> ``s-1.png``; an image elsewhere in the guide folder keeps its path."""
    path = PurePosixPath(image.as_posix())
    return str(path.relative_to(IMAGES_DIR)) if path.parts[:1] == (IMAGES_DIR,) else str(path)


# PDF -----------------------------------------------------------------------------------------------------


def write_pdf(guide: Guide, folder: Path, target: Path, paper: Paper = "a4") -> None:
    """The HTML export printed to ``target`` by headless Chromium, on A4 or Letter."""
    with tempfile.TemporaryDirectory(prefix="vsop-export-") as tmp:
        page = Path(tmp) / f"{guide.id}.html"
        page.write_text(export_html(guide, folder, paper), encoding="utf-8")
        printed = temp_path(target)
        try:
            print_pdf(page, printed)
            os.replace(printed, target)
        finally:
            printed.unlink(missing_ok=True)
