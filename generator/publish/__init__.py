"""The published SOP site: guides rendered through the templates into a MkDocs project, organised by the
value stream, then built by MkDocs-Material or Zensical (``vsop build``) or previewed (``vsop serve``).

Takes a library (its guides scanned by ``generator.library.scan``); gives a static site. metrics.py measures
each stage (status, maturity, time at the screen, documentation completeness), flow.py reads the declared
process and wait times as a flow (lead time, efficiency, hand-offs), pages.py (with the site's paths and
model), home_page.py and maturity_page.py give the pages' typed contexts, project.py writes the MkDocs project
incrementally, build.py and serve.py run the engine, launcher.py starts a guide's editor from the "Edit this
guide" link of a served page.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.publish.build import BuildResult, build_site
    from generator.publish.engine import Engine
    from generator.publish.serve import serve_site

__all__ = ["BuildResult", "Engine", "build_site", "serve_site"]

_WHERE = {"BuildResult": "build", "build_site": "build", "Engine": "engine", "serve_site": "serve"}


def __getattr__(name: str) -> object:
    """The names above, imported on first use (PEP 562): importing one module of the package (engine.py, for
    the ``--engine`` option of the CLI) does not import the site's builder, its server and the editor."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
