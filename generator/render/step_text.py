"""The wording of a step: the Markdown sentence of one step ("Click **Save lead**.", from
``templates/step.md.j2``) and, back, what such a sentence reads as without markup (:func:`plain_text`).

Takes a step (anything with the fields of :class:`StepLike`); gives text. The sentence's context is a typed
:class:`StepContext`: the template never sees a secret value, and an unlabelled pointer step is named by the
:class:`Region` of its window it was in.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal, Protocol, get_args

import markdown  # type: ignore[import-untyped]

from capture.models import Rect
from generator.guide.model import Action
from generator.render.environment import environment

ACTIONS = frozenset(get_args(Action))

Vertical = Literal["top", "middle", "bottom"]
Horizontal = Literal["left", "center", "right"]
SecretKind = Literal["password", "pin", "code", "secret"]
PersonalKind = Literal["email", "phone", "card", "iban"]  # personal data a typed value was, shown by its kind


@dataclass(frozen=True, slots=True)
class Region:
    """Where a point lies in a window, in thirds: the fallback when OCR found no label to name."""

    vertical: Vertical
    horizontal: Horizontal


@dataclass(frozen=True, slots=True)
class StepContext:
    """What ``templates/step.md.j2`` may use. Empty strings are None; ``secret`` is None unless secret."""

    action: Action
    target: str | None
    value: str | None
    window: str | None
    count: int = 1
    secret: SecretKind | None = None
    personal: PersonalKind | None = None  # a value that was personal data: the sentence names its kind
    region: Region | None = None
    end_target: str | None = None  # drag: the label where the drag ends
    end_region: Region | None = None


class StepLike(Protocol):
    """What :func:`step_text` reads of a step (a :class:`~generator.guide.model.Step` has all of it)."""

    @property
    def action(self) -> Action: ...
    @property
    def target(self) -> str | None: ...
    @property
    def value(self) -> str | None: ...
    @property
    def window(self) -> str | None: ...
    @property
    def count(self) -> int: ...
    @property
    def secret(self) -> bool: ...


_PASSWORD = re.compile(r"pass(word|wort|phrase)?\b|mot de passe|contrase|kennwort|wachtwoord|senha", re.I)
_PIN = re.compile(r"\bpin\b|geheimzahl", re.IGNORECASE)
_CODE = re.compile(r"\b(cvv|cvc|cvv2|csc|otp|tan)\b|code", re.IGNORECASE)


def secret_kind(target: str | None) -> SecretKind:
    """Which secret a field holds, judged by its label, so the sentence can say "your password"."""
    if target and _PASSWORD.search(target):
        return "password"
    if target and _PIN.search(target):
        return "pin"
    if target and _CODE.search(target):
        return "code"
    return "secret"


def region_of(point: tuple[int, int], rect: Rect) -> Region:
    """The third of ``rect`` (vertically and horizontally) that ``point`` falls in; outside points clamp."""
    x, y = point
    col = min(2, max(0, (x - rect.left) * 3 // max(1, rect.width)))
    row = min(2, max(0, (y - rect.top) * 3 // max(1, rect.height)))
    horizontal: tuple[Horizontal, ...] = ("left", "center", "right")
    vertical: tuple[Vertical, ...] = ("top", "middle", "bottom")
    return Region(vertical[row], horizontal[col])


def step_context(
    step: StepLike,
    end_target: str | None = None,
    region: Region | None = None,
    end_region: Region | None = None,
    personal: PersonalKind | None = None,
) -> StepContext:
    return StepContext(
        action=step.action,
        target=text_or_none(step.target),
        value=None if step.secret else text_or_none(step.value, strip=False),
        window=text_or_none(step.window),
        count=step.count,
        secret=secret_kind(step.target) if step.secret else None,
        personal=None if step.secret else personal,
        region=region,
        end_target=text_or_none(end_target),
        end_region=end_region,
    )


def step_text(
    step: StepLike,
    end_target: str | None = None,
    region: Region | None = None,
    end_region: Region | None = None,
    personal: PersonalKind | None = None,
) -> str:
    """The sentence of one step ("Click **Save lead**.") from ``templates/step.md.j2``.

    ``end_target`` (the label where a drag ended) and ``end_region`` say where a drag went; ``region`` (see
    :func:`region_of`) names where an unlabelled pointer step was; ``personal`` names the kind of personal
    data a typed value was, in its place. A secret value is never shown.
    """
    if step.action not in ACTIONS:
        raise ValueError(f"step action {step.action!r}: expected one of {', '.join(sorted(ACTIONS))}")
    ctx = step_context(step, end_target, region, end_region, personal)
    return environment().get_template("step.md.j2").render(s=ctx).strip()


def text_or_none(text: str | None, *, strip: bool = True) -> str | None:
    """``text`` (stripped unless ``strip`` is false), or None when it is missing or blank: templates test
    for None only."""
    if text is None or not text.strip():
        return None
    return text.strip() if strip else text


# What a sentence reads as --------------------------------------------------------------------------------


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_per_thread = threading.local()  # holds each thread's converter once the thread has read a sentence


def _sentence_converter() -> markdown.Markdown:
    """This thread's converter, reused for every sentence it reads: building one costs more than converting a
    sentence. A converter keeps state from one conversion to the next, so no two threads share one (``vsop
    serve`` renders pages on one thread while the editors it started save guides on others)."""
    converter = getattr(_per_thread, "converter", None)
    if converter is None:
        converter = _per_thread.converter = markdown.Markdown(extensions=["pymdownx.keys"])
    return converter


def plain_text(markdown_text: str) -> str:
    """What a Markdown sentence reads as, without markup ("Click Save lead.", "Press Ctrl+S.").

    Rendered with Python-Markdown rather than stripped by pattern so an edited step text is read the way
    the site will show it.
    """
    parser = _TextOnly()
    parser.feed(_sentence_converter().reset().convert(markdown_text))
    parser.close()
    return " ".join("".join(parser.parts).split())
