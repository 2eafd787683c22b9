"""Markdown that people and screens wrote, made safe once for every output: the site, the exports, the editor.

Two steps, each in one place:

- :func:`prose` (the ``prose`` filter of the Markdown templates): a person's Markdown (a purpose, a
  prerequisite, a step's text, a note, also a note added from the tray) stays Markdown, but raw HTML in it is
  shown as text (``<script>`` reads "<script>"), outside code spans, where Markdown shows it as text anyway.
  guide.md, the md export and every page get it, whatever renders them later.
- :class:`SafeMarkdown` (a Python-Markdown extension: ``generator.render.safety`` in the site's mkdocs.yml,
  and in the export's and the editor's converters): the HTML that Markdown made is cleaned by nh3 (the
  ammonia sanitiser) against the allow-list below, so no ``<script>``, event-handler attribute, ``style``
  beyond two properties, or ``javascript:`` / ``data:`` link reaches a page, whatever the Markdown was.
"""

from __future__ import annotations

import re
from typing import Any

import markdown  # type: ignore[import-untyped]
import nh3
from markdown.extensions import Extension  # type: ignore[import-untyped]
from markdown.postprocessors import Postprocessor  # type: ignore[import-untyped]

# What Markdown, its extensions on the site (admonition, attr_list, tables, toc, pymdownx.keys) and vsop's
# own HTML (the value-stream map, the export's step sections) are made of; anything else is dropped.
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "s", "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
})  # fmt: skip
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "role", "tabindex", "aria-label", "aria-hidden"},
    "a": {"href", "target", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start"},
    "th": {"align", "style"},
    "td": {"align", "style"},
    "span": {"style"},  # the map's lead-time bar: its width
}
DATA = frozenset({"data-"})  # data-* attributes: the map's data-stage, data-level...
STYLES = frozenset({"text-align", "width"})
SCHEMES = frozenset({"http", "https", "mailto"})  # and relative links; never javascript:, vbscript:, data:

# A backslash escape, a code span (as Python-Markdown finds them: a run of backticks closed by the same run),
# or a "<" outside both. A span opens only with a whole run (not after an unescaped backtick): trying every
# start inside a run of 1,000 backticks took seconds.
_TOKEN = re.compile(r"\\[\s\S]|(?<!(?<!\\)`)(`++)[\s\S]+?(?<!`)\1(?!`)|<")
_BLANK_LINE = re.compile(r"(\n[ \t]*\n)")


def prose(text: str) -> str:
    """A person's Markdown, with raw HTML (tags, comments, ``<...>`` links) shown as text outside code
    spans; everything else, links and emphasis included, kept as written."""
    if not isinstance(text, str):
        raise TypeError(
            f"filter prose: expected a string, got {text!r} (guard optional values in the template)"
        )
    blocks = _BLANK_LINE.split(text)  # a code span never crosses a blank line
    return "".join(_TOKEN.sub(_escape_lt, block) for block in blocks)


def _escape_lt(match: re.Match[str]) -> str:
    return "&lt;" if match[0] == "<" else match[0]


def clean_html(html: str, *, data_images: bool = False) -> str:
    """``html`` with only the allowed tags, attributes, styles and link schemes; with ``data_images`` an
    image may be a ``data:`` URI (the HTML export embeds its images so), a link still may not."""
    schemes = SCHEMES | {"data"} if data_images else SCHEMES
    return nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_no_data_links,
        generic_attribute_prefixes=set(DATA),
        url_schemes=set(schemes),
        filter_style_properties=set(STYLES),
        link_rel=None,
        strip_comments=True,
    )


def _no_data_links(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src") and value.lstrip().lower().startswith("data:"):
        return value if (tag, attribute) == ("img", "src") else None
    return value


class SafeMarkdown(Extension):  # type: ignore[misc]
    """Cleans the HTML a Markdown conversion made (:func:`clean_html`), after every other step."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"data_images": [False, "allow data: URIs as image sources (the HTML export)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.postprocessors.register(_Clean(md, bool(self.getConfig("data_images"))), "vsop-clean", 1)


class _Clean(Postprocessor):  # type: ignore[misc]
    def __init__(self, md: markdown.Markdown, data_images: bool) -> None:
        super().__init__(md)
        self.data_images = data_images

    def run(self, text: str) -> str:
        return clean_html(text, data_images=self.data_images)


def makeExtension(**kwargs: Any) -> SafeMarkdown:
    """What Python-Markdown calls for ``generator.render.safety`` in a list of extensions (mkdocs.yml)."""
    return SafeMarkdown(**kwargs)
