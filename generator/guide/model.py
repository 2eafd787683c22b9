"""Typed records of the generator: a recording becomes Drafts (segmentation), Drafts get Labels (OCR), and
labelled drafts become the Steps of a Guide (the content of guide.yml, see docs/guide-format.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from capture.models import Element, FrameRef, Rect, WindowInfo

Action = Literal[
    "click",
    "double_click",
    "right_click",
    "drag",
    "type",
    "key",
    "hotkey",
    "scroll",
    "switch_window",
    "capture",
]
POINTER_ACTIONS = frozenset({"click", "double_click", "right_click", "drag", "capture"})


@dataclass(frozen=True, slots=True)
class Draft:
    """One step as segmentation sees it: what was done, where, with which screenshot; no label yet.

    ``point`` is in virtual-screen pixels; ``frame`` is the screenshot of the step (for ``type`` the frame of
    the click into the field, when there was one, else the frame grabbed at its first key; for ``key`` and
    ``hotkey`` the frame grabbed at the key); ``dropped`` holds the reason a noise step is not shown.
    """

    action: Action
    t: float
    point: tuple[int, int] | None = None
    end: tuple[int, int] | None = None  # drag end
    value: str | None = None  # typed text, key name or combo ("ctrl+s"), scroll direction ("down")
    count: int = 1  # scroll notches, repeated key presses
    window: WindowInfo | None = None
    frame: FrameRef | None = None
    dropped: str | None = None
    duration: float = 0.0  # seconds from the first to the last event of the step
    note: str | None = None  # what the person noted while recording this step (a note event)
    element: Element | None = None  # what the step acted on, as the accessibility API described it


@dataclass(frozen=True, slots=True)
class Word:
    """A word that OCR read, with its box in frame pixels and the line it belongs to."""

    text: str
    conf: float  # 0..100
    box: Rect
    line: int  # words with the same ``line`` (in one OCR result) are on one text line


@dataclass(frozen=True, slots=True)
class Label:
    """The UI text a step acts on, its box in frame pixels, and how sure OCR was (0..100)."""

    text: str
    conf: float
    box: Rect
    kind: Literal["under", "left", "above"] = "under"  # where the label was found relative to the point


@dataclass(frozen=True, slots=True)
class Redaction:
    """A box in frame pixels to blur in published images, and why (email, phone, card or iban)."""

    box: Rect
    reason: str


# How a field appears in guide.yml beyond its annotation and default; generator/guide/schema.py reads these.
YmlKind = Literal[
    "version",  # a version like 1.2.0
    "date",  # an ISO date like 2026-11-22, kept as text
    "duration",  # a duration like 180d (generator/guide/durations.py), kept as text
    "path",  # a path inside the guide folder
    "id",  # an id: lower-case letters, digits and dashes (generator/guide/paths.py)
    "typed",  # text, where a number (typed 42) is read as text too
    "loose",  # any value, read as text; a missing one is empty text
]


@dataclass(frozen=True, slots=True)
class Yml:
    """A field's place in guide.yml: a refinement of its type, whether it is written even when it holds
    its default, and whether it is a person's edit (vsop edit, stage or review, or by hand; vsop update keeps
    it)."""

    kind: YmlKind | None = None
    always: bool = False
    human: bool = False


YML = "yml"  # the key of a field's Yml in its metadata


def yml(kind: YmlKind | None = None, *, always: bool = False, human: bool = False) -> dict[str, Yml]:
    """The metadata of a dataclass field: ``field(default=None, metadata=yml(human=True))``."""
    return {YML: Yml(kind, always, human)}


# The fields of Step, Revision and Guide are the guide.yml schema (docs/guide-format.md), in written order.


@dataclass(slots=True)
class Step:
    """One step of a guide, as stored in guide.yml."""

    id: str = field(metadata=yml("id"))
    action: Action
    target: str | None = field(metadata=yml("typed"))  # accessible name or OCR label (``source``)
    value: str | None = field(metadata=yml("typed"))  # typed text, key or combo, scroll direction
    window: str | None
    text: str = field(metadata=yml(human=True))
    note: str | None = field(default=None, metadata=yml(always=True, human=True))
    image: str | None = field(default=None, metadata=yml("path", always=True))
    box: tuple[int, int, int, int] | None = field(default=None, metadata=yml(always=True, human=True))
    at: float = field(default=0.0, metadata=yml(always=True))
    secret: bool = False
    dropped: str | None = field(default=None, metadata=yml(human=True))
    conf: float | None = None
    # Where ``target`` came from (the accessibility tree, OCR, or only the place of the step) and how sure
    # that is, 0..1; None on steps that name nothing (keys, shortcuts, scrolling).
    source: NameSource | None = None
    confidence: float | None = None
    role: str | None = None  # the role of the element the step acted on, as the accessibility tree said
    ancestors: list[str] = field(default_factory=list)  # that element's named ancestors, "role: name"
    count: int = 1
    note_kind: NoteKind = field(default="note", metadata=yml(human=True))  # a Material admonition's kind
    blur: list[Box] = field(default_factory=list, metadata=yml(human=True))  # in the pixels of ``image``
    crop: Box | None = field(default=None, metadata=yml(human=True))  # the part of ``image`` a person kept
    # What a person changed; ``vsop update`` keeps it.
    edited: list[EditedField] = field(default_factory=list, metadata=yml(human=True))
    change: Change | None = None  # what ``vsop update`` found for the latest version: a new or changed step
    was: str | None = None  # for a changed step, its text in the previous version


Box = tuple[int, int, int, int]  # x, y, width, height in pixels
# Where a step's target came from: the element's accessible name, OCR of the screenshot, or nothing but the
# place of the step in its window ("the button at the top right of ...").
NameSource = Literal["accessibility", "ocr", "place"]
REVIEW_BELOW = 0.6  # a step whose name is less sure than this is listed first for a person to check


def needs_review(step: Step) -> bool:
    """A shown step whose name is unsure and whose text no person has written: the editor and ``vsop diff``
    list these first."""
    unsure = step.confidence is not None and step.confidence < REVIEW_BELOW
    return unsure and step.dropped is None and "text" not in step.edited


NoteKind = Literal["note", "tip", "warning"]
# Fields of a step that a person edits (vsop edit, or by hand); "dropped" means the person deleted the step.
EditedField = Literal["text", "note", "box", "blur", "crop", "dropped"]
# How a step differs from the previous version of the guide (vsop update; cleared by the next update).
Change = Literal["new", "changed"]


@dataclass(slots=True)
class Revision:
    version: str = field(metadata=yml("loose"))
    date: str = field(metadata=yml("loose"))
    summary: str
    author: str | None = None
    duration_s: float | None = None  # how long the recording of this version took, when it came from one
    removed: list[str] = field(default_factory=list)  # texts of the steps this version removed (vsop update)


@dataclass(slots=True)
class Guide:
    """A guide as guide.yml holds it, its fields in the order written. The keyword-only ones leave the
    positional order as it was: id, title, stage, version, purpose, recorded, steps, revisions."""

    id: str = field(metadata=yml("id"))
    title: str = field(metadata=yml(human=True))
    stage: str | None = field(metadata=yml(human=True))
    # How ``stage`` was chosen; None when there is no stage.
    stage_source: StageSource | None = field(default=None, kw_only=True, metadata=yml(human=True))
    stage_evidence: list[str] = field(default_factory=list, kw_only=True)  # why an automatic link chose it
    # ISO date of the last review; None: the date of the latest revision.
    reviewed: str | None = field(default=None, kw_only=True, metadata=yml("date", human=True))
    # A duration ("180d"); None: the library's default (vsop.yml).
    review_every: str | None = field(default=None, kw_only=True, metadata=yml("duration", human=True))
    # Document control (number, owner, approvals, retirement; generator/guide/control.py); None: a draft
    # never approved, its owner the stage's.
    control: Control | None = field(default=None, kw_only=True, metadata=yml(human=True))
    version: str = field(metadata=yml("version"))
    purpose: str | None = field(metadata=yml(human=True))
    prerequisites: list[str] = field(
        default_factory=list, kw_only=True, metadata=yml(always=True, human=True)
    )
    recorded: dict[str, object] = field(default_factory=dict, metadata=yml(always=True))
    steps: list[Step] = field(default_factory=list, metadata=yml(always=True))
    revisions: list[Revision] = field(default_factory=list, metadata=yml(always=True))


StageSource = Literal["manual", "auto"]


@dataclass(slots=True)
class Approval:
    """``vsop approve``: who approved which version of the guide, and on which day (its effective date)."""

    version: str = field(metadata=yml("version"))
    by: str
    date: str = field(metadata=yml("date"))
    # A fingerprint of what was approved (title, purpose, prerequisites, steps): an edit made since makes
    # the version a draft again; None (written by hand): the version alone counts.
    content: str | None = None


@dataclass(slots=True)
class Retirement:
    """``vsop retire``: the guide is out of use since ``date``; it stays in the library."""

    date: str = field(metadata=yml("date"))
    reason: str


@dataclass(slots=True)
class Control:
    """The document control of a guide (``control:`` in guide.yml). ``number`` is given once, by the first
    ``vsop approve``, from the library's ``number_pattern`` (vsop.yml), and never reused."""

    number: str | None = None
    owner: str | None = field(default=None, metadata=yml(human=True))  # None: the owner of the stage
    approvals: list[Approval] = field(default_factory=list)  # oldest first
    retired: Retirement | None = None


# The value stream (LIB/valuestream.yml, see docs/valuestream-format.md) ------------------------------------


@dataclass(frozen=True, slots=True)
class MatchRules:
    """What links a recording to a stage automatically; all matching is case-insensitive."""

    apps: tuple[str, ...] = ()  # application names (the window's app/class), compared whole
    titles: tuple[str, ...] = ()  # shell-style patterns on window titles ("Acme CRM - *Lead*")
    keywords: tuple[str, ...] = ()  # words or phrases in window titles or on-screen text


@dataclass(frozen=True, slots=True)
class ExpectedProcess:
    """A process a stage is expected to have documented. Without rules, a guide of the stage whose title or id
    contains the name's words documents it; with rules, a guide named in ``guides`` or whose title matches a
    pattern of ``titles`` does."""

    name: str
    guides: tuple[str, ...] = ()  # guide ids
    titles: tuple[str, ...] = ()  # shell-style patterns on guide titles ("Pack*order*")


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    name: str
    stream: str  # id of the stream the stage belongs to
    description: str | None = None
    owner: str | None = None
    wait_time: float | None = None  # seconds of typical queue time before the stage
    match: MatchRules = MatchRules()
    process_time: float | None = None  # seconds of work the stage takes, as its owner declares it
    processes: tuple[ExpectedProcess, ...] = ()  # what the stage is expected to have documented
    automation: str | None = None  # what hand-off or check of the stage is automated (maturity level 4)
    optimization: str | None = None  # how the stage is measured and improved (maturity level 5)


@dataclass(frozen=True, slots=True)
class Stream:
    id: str
    name: str
    stages: tuple[Stage, ...]


@dataclass(frozen=True, slots=True)
class ValueStream:
    """Streams in flow order (e.g. Sales then Fulfillment), each an ordered tuple of stages."""

    streams: tuple[Stream, ...]
    source: Path | None = None  # the valuestream.yml it was read from; None for the built-in default

    @property
    def stages(self) -> tuple[Stage, ...]:
        return tuple(stage for stream in self.streams for stage in stream.stages)

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)


@dataclass(frozen=True, slots=True)
class MaturityRules:
    """The numbers of the maturity rules (``maturity:`` in vsop.yml, docs/valuestream-format.md)."""

    runs: int = 3  # recent runs an SOP needs before it can count as standardized
    recent: int = 10  # how many of an SOP's latest runs are judged
    conformance: float = 0.9  # their average conformance, at least (0..1)
    spread: float = 1.5  # their 90th-percentile duration / median duration, at most


@dataclass(frozen=True, slots=True)
class LibrarySettings:
    """LIB/vsop.yml: the site's name and the library-wide defaults."""

    site_name: str = "Standard operating procedures"
    description: str | None = None
    review_every: float = 365 * 86400.0  # seconds; a guide's own ``review_every`` wins
    maturity: MaturityRules = MaturityRules()
    number_pattern: str = "SOP-{n:03}"  # of document numbers (generator/library/numbers.py)
