"""Portable Markdown for pasting into another wiki: the guide page without pymdownx syntax.

Keys (``++ctrl+s++``) become ``<kbd>Ctrl</kbd>+<kbd>S</kbd>`` with the names the site shows; admonitions
(``!!! note``) become block quotes headed by their title. Code spans are left as they are.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from html.parser import HTMLParser

import markdown  # type: ignore[import-untyped]
from pymdownx.keys import RE_EARLY_KBD  # type: ignore[import-untyped]

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_KEYS = re.compile(RE_EARLY_KBD)
_IMAGE = re.compile(r"(!\[(?:\\.|[^\]\\])*\]\()([^)\s]+)")
_ADMONITION = re.compile(r'^(?:!!!|\?\?\?\+?) *([\w-]+)(?: +"(.*)")? *$')


def portable(text: str) -> str:
    """``text`` (Markdown for Python-Markdown with pymdownx) as Markdown most wikis read the same way."""
    return _keys_to_kbd(_admonitions_to_quotes(text))


def _admonitions_to_quotes(text: str) -> str:
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = _ADMONITION.match(lines[i])
        if match is None:
            out.append(lines[i])
            i += 1
            continue
        kind, title = match.groups()
        heading = title if title is not None else kind.replace("-", " ").capitalize()
        body, i = _indented_block(lines, i + 1)
        out.append(f"> **{heading}**" if heading else ">")
        if body:
            out.append(">")
        out.extend(f"> {line}".rstrip() for line in body)
    return "\n".join(out)


def _indented_block(lines: list[str], start: int) -> tuple[list[str], int]:
    """The lines indented by four spaces (blank lines inside kept) from ``start``, dedented."""
    end = start
    last = start  # one past the last indented line with text
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith("    ")):
        end += 1
        if lines[end - 1].strip():
            last = end
    body = [line[4:] for line in lines[start:last]]
    while body and not body[0].strip():
        body.pop(0)
    return body, last


def relink_images(text: str, relink: Callable[[str], str]) -> str:
    """``text`` with the target of every image link ``![alt](target)`` replaced by ``relink(target)``."""
    return _outside_code(text, lambda part: _IMAGE.sub(lambda m: m[1] + relink(m[2]), part))


def _keys_to_kbd(text: str) -> str:
    return _outside_code(text, lambda part: _KEYS.sub(_kbd, part))


def _outside_code(text: str, change: Callable[[str], str]) -> str:
    """``text`` with ``change`` applied to the parts outside code spans."""
    parts: list[str] = []
    pos = 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(change(text[pos : span.start()]))
        parts.append(span[0])
        pos = span.end()
    parts.append(change(text[pos:]))
    return "".join(parts)


def _kbd(match: re.Match[str]) -> str:
    names = () if match["escapes"] else _key_names(match[0])
    if not names:
        return match[0]  # an escape, or text pymdownx does not read as keys either
    return "+".join(f"<kbd>{html.escape(name, quote=False)}</kbd>" for name in names)


@functools.cache
def _key_names(keys: str) -> tuple[str, ...]:
    """The names pymdownx.keys shows for ``++...++`` (``++ctrl+s++`` -> ``("Ctrl", "S")``)."""
    parser = _KbdText()
    parser.feed(markdown.markdown(keys, extensions=["pymdownx.keys"]))
    parser.close()
    return tuple(parser.names)


class _KbdText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.names: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "kbd":
            self._inside = True
            self.names.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "kbd":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.names[-1] += data
