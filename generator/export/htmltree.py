"""A person's Markdown as a small tree for exports that are not HTML (Word): converted the way the site and
the HTML export convert it, then read back.

The Markdown goes through :func:`~generator.render.safety.prose` (raw HTML shown as text), Python-Markdown
with the site's ``pymdownx.keys`` (``++ctrl+s++`` becomes ``kbd`` elements), raw HTML off, and
:class:`~generator.render.safety.SafeMarkdown` (nh3); the cleaned HTML is parsed into :class:`Node`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown  # type: ignore[import-untyped]

from generator.render.safety import SafeMarkdown, prose

VOID = frozenset({"br", "hr", "img"})


@dataclass(slots=True)
class Node:
    """An element: its tag, attributes and children (elements and text, in order)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """All the text inside, markup left out."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> frozenset[str]:
        return frozenset(self.attrs.get("class", "").split())


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("body")
        self.open: list[Node] = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parse_html(html: str) -> Node:
    """``html`` (a fragment) as a tree under a ``body`` node."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


class MarkdownTree:
    """Converts Markdown snippets (purpose, prerequisites, step texts, notes) with one reused converter."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["pymdownx.keys", "attr_list", SafeMarkdown()])
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")

    def convert(self, text: str) -> Node:
        """The blocks of ``text`` (paragraphs, lists...) under a ``body`` node."""
        return parse_html(self._md.reset().convert(prose(text)))
