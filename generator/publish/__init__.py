"""The published SOP site: guides rendered through the templates into a MkDocs project, organised by the
value stream, then built by MkDocs-Material or Zensical (``vsop build``) or previewed (``vsop serve``).

Takes a library (its guides scanned by ``generator.library.scan``); gives a static site. metrics.py measures
each stage (status, maturity, time at the screen, documentation completeness), flow.py reads the declared
process and wait times as a flow (lead time, efficiency, hand-offs), pages.py and maturity_page.py give the
pages' typed contexts, project.py writes the MkDocs project incrementally, build.py and serve.py run the
engine, launcher.py starts a guide's editor from the "Edit this guide" link of a served page.
"""

from generator.publish.build import BuildResult, Engine, build_site
from generator.publish.serve import serve_site

__all__ = ["BuildResult", "Engine", "build_site", "serve_site"]
