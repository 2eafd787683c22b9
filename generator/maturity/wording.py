"""The maturity's next steps in words, from the same template the site uses (templates/maturity.j2)."""

from __future__ import annotations

from generator.maturity.levels import NextStep
from generator.render.environment import environment

WORDING = "maturity.j2"


def next_step_text(step: NextStep, markdown: bool = False) -> str:
    """The step in words ("record Quality check", "2 runs more of Pack order"); Markdown for a page."""
    module = environment().get_template(WORDING).module
    return str(module.next_step(step, markdown)).strip()  # type: ignore[attr-defined]
