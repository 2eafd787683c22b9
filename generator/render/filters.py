"""Jinja filters that put text from screens, keyboards and people into Markdown (and YAML) safely: ``md``
(prose), ``code`` (a typed value), ``keys`` (a key or a combo, pymdownx.keys), ``url`` (a link target),
``cell`` (Markdown in one table cell) and ``yaml`` (a YAML string). Registered in
:func:`generator.render.environment.environment`."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

from generator.render.safety import prose

# Characters every Python-Markdown escapes with a backslash (its default ESCAPED_CHARS, plus `+` which
# pymdownx.keys adds); the others become character references, which work whatever extensions are on.
_BACKSLASHED = frozenset("\\`*_{}[]()#+!")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;", "^": "&#94;"}
_MARK = re.compile(r"={2,}")  # pymdownx.mark's ==mark==; a single = does nothing anywhere
_LIST_START = re.compile(r"^(\d+)(?=\.(?:\s|$))|^(?=-(?:[\s-]|$))")  # "1. x", "- x": a list; "---": a rule


def md(text: str) -> str:
    """Text shown as itself in Markdown: one line, HTML and Markdown specials neutralised."""
    _require_str(text, "md")
    flat = " ".join(text.split())
    escaped = "".join("\\" + c if c in _BACKSLASHED else _ENTITIES.get(c, c) for c in flat)
    escaped = _MARK.sub(lambda m: "&#61;" * len(m[0]), escaped)
    return _LIST_START.sub(lambda m: (m.group(1) or "") + "\\", escaped, count=1)


def code(text: str) -> str:
    """An inline code span that survives backticks in ``text`` (a longer fence, padded with spaces).

    Markdown shows HTML inside a code span as text and pymdownx.keys does not look inside it; line breaks
    become spaces because a code span cannot cross lines.
    """
    _require_str(text, "code")
    flat = " ".join(text.splitlines())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {flat} {fence}" if longest or not flat.strip() else f"{fence}{flat}{fence}"


_KEY_NAMES = {
    **dict.fromkeys(("ctrl", "ctrl_l", "ctrl_r", "control"), "ctrl"),
    **dict.fromkeys(("alt", "alt_l", "alt_r", "option"), "alt"),
    **dict.fromkeys(("alt_gr", "altgr"), "altgr"),
    **dict.fromkeys(("shift", "shift_l", "shift_r"), "shift"),
    **dict.fromkeys(("cmd", "cmd_l", "cmd_r", "command"), "cmd"),  # pynput's name for the Super/Windows key
    **dict.fromkeys(("win", "windows"), "windows"),
    **{name: name for name in ("super", "meta")},
    **dict.fromkeys(("enter", "return"), "enter"),
    **dict.fromkeys(("esc", "escape"), "esc"),
    **dict.fromkeys(("delete", "del"), "delete"),
    **dict.fromkeys(("insert", "ins"), "insert"),
    **{name: name for name in ("tab", "backspace", "space", "home", "end", "menu", "clear")},
    **{f"page_{d}": f"page-{d}" for d in ("up", "down")},
    **{d: f"arrow-{d}" for d in ("up", "down", "left", "right")},
    **{f"{k}_lock": f"{k}-lock" for k in ("caps", "num", "scroll")},
    "print_screen": "print-screen",
    "pause": "break",
    "media_play_pause": "media-play-pause",
    "media_next": "media-next-track",
    "media_previous": "media-prev-track",
    **{f"media_volume_{v}": f"volume-{v}" for v in ("up", "down", "mute")},
    **{f"f{n}": f"f{n}" for n in range(1, 25)},
}
_CHAR_NAMES = {
    " ": "space", "+": "plus", "-": "minus", "=": "equal", ",": "comma", ".": "period", "/": "slash",
    "\\": "backslash", ";": "semicolon", "'": "single-quote", '"': "double-quote", "`": "grave",
    "[": "bracket-left", "]": "bracket-right", "{": "brace-left", "}": "brace-right", "|": "bar",
    ":": "colon", "!": "exclam", "?": "question", "~": "tilde", "_": "underscore", "<": "less",
    ">": "greater",
}  # fmt: skip


def keys(combo: str) -> str:
    """A key (``enter``, ``page_down``, ``a``) or a combo (``ctrl+shift+s``) in pymdownx.keys syntax."""
    _require_str(combo, "keys")
    return "++" + "+".join(_key_name(k) for k in _split_combo(combo.strip())) + "++"


def _split_combo(combo: str) -> list[str]:
    if len(combo) <= 1:
        return [combo]
    if combo.endswith("++"):
        return [*combo[:-2].split("+"), "+"]
    return combo.split("+")


def _key_name(key: str) -> str:
    if len(key) == 1 and key.isascii() and key.isalnum():
        return key.lower()
    if len(key) == 1:
        return _CHAR_NAMES.get(key) or _quoted(key)
    return _KEY_NAMES.get(key.lower().replace("-", "_")) or _quoted(key)


def _quoted(text: str) -> str:
    r"""A pymdownx.keys free-text key ``"..."``: it splits on ``+`` and unescapes ``\x`` and entities."""
    body = html.escape(text, quote=False)
    return '"' + re.sub(r'([\\"+])', r"\\\1", body) + '"'


def url(path: str) -> str:
    """A relative path as a Markdown link target (spaces and parentheses would end it)."""
    _require_str(path, "url")
    return quote(path, safe="/")


def _require_str(value: object, name: str) -> None:
    if not isinstance(value, str):
        raise TypeError(
            f"filter {name}: expected a string, got {value!r} (guard optional values in the template)"
        )


# a code span opens with a whole run of backticks (not the end of one, unless escaped: trying every start
# inside a run of 1,000 backticks took seconds) and closes with the next run of the same length
_CODE_SPAN = re.compile(r"(?<!(?<!\\)`)(`++).+?(?<!`)\1(?!`)")


def cell(text: str) -> str:
    """Markdown (a person's or vsop's) kept as Markdown in one table cell: one line, ``|`` and raw HTML
    shown as text outside code spans (inside them Markdown shows everything as text anyway)."""
    _require_str(text, "cell")
    flat = prose(" ".join(text.split()))
    parts, end = [], 0
    for span in _CODE_SPAN.finditer(flat):
        parts += [_cell_text(flat[end : span.start()]), span[0]]
        end = span.end()
    return "".join([*parts, _cell_text(flat[end:])])


def _cell_text(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("|", "&#124;")


def yaml_str(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML), for ``*.yml.j2`` templates."""
    _require_str(text, "yaml")
    return json.dumps(text)
