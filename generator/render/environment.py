"""The one Jinja Environment of vsop and where its templates are: ``templates/`` (pages, sentences, exports,
the editor) and ``site/`` (the SOP site's ``mkdocs.yml`` template and assets).

Markdown templates (``*.md.j2``) are not autoescaped: every text that comes from the screen or the keyboard
goes through a filter of generator/render/filters.py (``md`` for prose, ``code`` for a typed value, ``keys``
for a key or a combo), and a person's Markdown through ``prose`` (generator/render/safety.py). HTML, SVG and
XML templates are autoescaped.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from generator.guide.durations import format_duration
from generator.render.filters import cell, code, keys, md, url, yaml_str
from generator.render.safety import prose


def shipped(name: str) -> Path:
    """The top-level folder ``name`` (templates, site) of a source checkout or an editable install, else
    the copy that a built wheel carries inside the package (setup.py)."""
    package = Path(__file__).resolve().parents[1]
    source = package.parent / name
    return source if source.is_dir() else package / "_shipped" / name


TEMPLATES = shipped("templates")
SITE_TEMPLATES = shipped("site")  # the SOP site's mkdocs.yml template and assets


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja Environment of vsop, strict about undefined names; built once and never changed after,
    so the threads of ``vsop serve`` (rendering, editor requests) share it safely."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES, SITE_TEMPLATES]),
        undefined=jinja2.StrictUndefined,
        autoescape=lambda name: name is not None and name.endswith((".html.j2", ".svg.j2", ".xml.j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md, code=code, keys=keys, url=url, yaml=yaml_str, duration=format_duration, cell=cell, prose=prose
    )
    return env
