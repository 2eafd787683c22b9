"""How well a generated guide matches a scenario's expected steps: per step action, target and value."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.guide.model import Guide
from generator.pipeline.secrets import withhold_personal
from generator.sample.scenarios import ExpectedStep

Triple = tuple[str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class Score:
    expected: int
    generated: int
    right: int  # steps whose action, target and value all match, in order
    diff: tuple[str, ...]  # readable lines: "- expected", "+ generated"

    @property
    def accuracy(self) -> float:
        return self.right / max(self.expected, self.generated, 1)


def normal(text: str | None) -> str | None:
    """Compare labels as a reader would: case, spacing, a trailing colon and ellipsis style do not matter."""
    if text is None:
        return None
    return re.sub(r"\s+", " ", text.replace("…", "...")).strip().rstrip(":").casefold()


def expected_triples(steps: Sequence[ExpectedStep]) -> list[Triple]:
    """The steps as a guide writes them: personal data typed is withheld (vsop generate without
    ``--no-redact``), so an e-mail typed is expected as no value."""
    return [(s.action, normal(s.target), _written(s)) for s in steps]


def _written(step: ExpectedStep) -> str | None:
    if step.action != "type" or step.value is None:
        return step.value
    return withhold_personal(step.value).value


def generated_triples(guide: Guide) -> list[Triple]:
    return [(s.action, normal(s.target), s.value) for s in guide.steps if s.dropped is None]


def score(expected: Sequence[ExpectedStep], guide: Guide) -> Score:
    want, got = expected_triples(expected), generated_triples(guide)
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    right = sum(block.size for block in matcher.get_matching_blocks())
    lines = difflib.ndiff([str(t) for t in want], [str(t) for t in got])
    diff = tuple(line for line in lines if line[0] in "+-")
    return Score(len(want), len(got), right, diff)
