"""Automatic linking of a recording to a value-stream stage by the stages' ``match`` rules
(docs/valuestream-format.md, "Automatic linking").

Each rule of a stage that matches scores once: an app name or a title pattern 3 points, a keyword phrase of
several words 2, a one-word keyword 1. The stage with the most points wins; equal points go to the stage
whose rules matched more window titles, apps and texts; a tie after that links nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from generator.guide.model import Stage, ValueStream

Window = tuple[str | None, str | None]  # (title, app)
APP_POINTS = 3
TITLE_POINTS = 3
PHRASE_POINTS = 2
WORD_POINTS = 1
_WORD = re.compile(r"[^\W_]+")


@dataclass(slots=True)
class _Score:
    stage: Stage
    points: int = 0
    hits: int = 0  # titles, apps and texts that some rule matched, counted per rule
    evidence: list[str] = field(default_factory=list)

    def add(self, points: int, hits: int, evidence: str) -> None:
        self.points += points
        self.hits += hits
        self.evidence.append(evidence)

    @property
    def rank(self) -> tuple[int, int]:
        return self.points, self.hits


def match_stage(
    vs: ValueStream, windows: Sequence[Window], texts: Sequence[str]
) -> tuple[Stage, list[str]] | None:
    """The stage whose rules match the recording's windows (title, app) and on-screen texts best, with
    readable evidence; None when nothing matches or two stages tie."""
    titles = _unique(title for title, _ in windows)
    apps = _unique(app for _, app in windows)
    shown = _unique(texts)
    scores = sorted(
        (s for stage in vs.stages if (s := _score(stage, titles, apps, shown)).points > 0),
        key=lambda s: s.rank,
        reverse=True,
    )
    if not scores or (len(scores) > 1 and scores[1].rank == scores[0].rank):
        return None
    return scores[0].stage, scores[0].evidence


def _unique(texts: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(t.strip() for t in texts if t and t.strip()))


def _score(stage: Stage, titles: list[str], apps: list[str], texts: list[str]) -> _Score:
    score = _Score(stage)
    rules = stage.match
    for app in rules.apps:
        found = [a for a in apps if a.casefold() == app.casefold()]
        if found:
            score.add(APP_POINTS, len(found), f'app "{found[0]}" is "{app}"')
    for pattern in rules.titles:
        found = [t for t in titles if fnmatchcase(t.casefold(), pattern.casefold())]
        if found:
            score.add(TITLE_POINTS, len(found), f'title "{found[0]}" matches "{pattern}"')
    for keyword in rules.keywords:
        _keyword(score, keyword, titles, texts)
    return score


def _keyword(score: _Score, keyword: str, titles: list[str], texts: list[str]) -> None:
    words = _words(keyword)
    if not words:
        return
    in_titles = [t for t in titles if contains_phrase(_words(t), words)]
    on_screen = [t for t in texts if contains_phrase(_words(t), words)]
    if not in_titles and not on_screen:
        return
    points = PHRASE_POINTS if len(words) > 1 else WORD_POINTS
    where = f'in title "{in_titles[0]}"' if in_titles else f'on screen: "{on_screen[0]}"'
    score.add(points, len(in_titles) + len(on_screen), f'keyword "{keyword}" {where}')


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def contains_phrase(words: Sequence[str], phrase: Sequence[str]) -> bool:
    """``phrase`` (lowercase words) occurs in ``words`` as whole words; its last word may be plural
    (order: orders; delivery: deliveries; process: processes)."""
    n = len(phrase)
    last = _plurals(phrase[-1])
    return any(
        list(words[i : i + n - 1]) == list(phrase[:-1]) and words[i + n - 1] in last
        for i in range(len(words) - n + 1)
    )


def _plurals(word: str) -> set[str]:
    forms = {word, f"{word}s", f"{word}es"}
    if len(word) > 1 and word.endswith("y"):
        forms.add(f"{word[:-1]}ies")
    return forms
