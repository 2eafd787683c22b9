"""The one decision on what a typed value may show: whether it is secret (then it is never written,
anywhere), and which personal data it holds (then the step text names its kind instead).

A typed value is secret when any of these says so, whatever else says otherwise:
- the recording was made with ``--no-text``;
- the element typed into is a password or protected field (its role or states);
- any name the field goes by matches the secret words: every label candidate OCR read around the field, and
  the element's name, label relation, description and placeholder;
- the field showed what was typed masked, whatever glyph masks it (:func:`masked_field`): in the field's box
  on a later frame, on the line that was clicked, a run of identical glyphs (``generator/pipeline/glyphs.py``:
  compared by their pixels, evenly spaced, nothing else written right beside them), one per character typed
  or at least MIN_DOTS of them, where the characters typed were not all the same (typing "1111" into a plain
  field shows four identical glyphs too: such a value is withheld only by the other rules); or round masking
  dots (``masking_dots``) in the box on the step's frame or a later one, unless only dots were typed. For a
  field whose place is unknown, the run or the dots must be new on the next frame.

Personal data is what image redaction finds (``generator/pipeline/redact.py``): e-mail addresses, phone,
card and IBAN numbers.
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

from capture.models import Element, FrameRef, Recording, Rect
from generator.errors import ImageError
from generator.guide.model import Draft
from generator.images.files import open_image
from generator.pipeline.glyphs import GlyphRun, new_glyphs, repeated_glyphs
from generator.pipeline.pixels import MIN_DOTS, FrameLook, Grey, clip, masking_dots
from generator.pipeline.redact import FINDERS
from generator.render.step_text import PersonalKind

log = logging.getLogger(__name__)
LATER_FRAMES = 3  # frames after a typing run's start in which its field is looked at for what masks the value
INSET = 4  # px inside a field's box: its border and focus ring (which change as it gains and loses the focus)
CARET = 3  # px: a caret is this wide at most
LINE_REACH = 12  # px (frame): a field's text line lies this near to where the field was clicked, at least
DOT_LIKE = frozenset(".\u00b7\u2022\u2219\u22c5\u25cf")  # typed characters drawn as masking dots themselves
MIN_SECRET = 3  # characters: a shorter secret is not looked for on screens (it would blur every word)
KEPT_BYTES = 192 * 2**20  # decoded frames kept in memory at most (96 frames of 1920x1080)
Decoded = Callable[[Path, Image.Image], None]  # a frame's path and its pixels, as decoded


SECRET_WORDS = re.compile(
    r"pass\s*(?:-\s*)?(?:word|wort|phrase|code)|\bpasswd\b|\bpwd\b|\bpin\b|\bsecret\b|\btoken\b|"
    r"\bcv[cv]2?\b|\bcsc\b|security\s*code|api[\s_-]*key|access\s*key|private\s*key|\botp\b|one[\s-]*time|"
    r"\b[2m]fa\b|\btan\b|\bpasscode\b|verification\s*code|kennwort|geheimzahl|mot\s+de\s+passe|"
    r"contrase[nñ]a|\bsenha\b|wachtwoord",
    re.IGNORECASE,
)
# How a piece of personal data stands in a value that holds more than it: "Call [phone number] at noon".
PLACEHOLDERS: dict[PersonalKind, str] = {
    "email": "[e-mail address]",
    "phone": "[phone number]",
    "card": "[card number]",
    "iban": "[IBAN]",
}


@dataclass(frozen=True, slots=True)
class Field:
    """What is known of the field a typing run went into."""

    element: Element | None = None
    labels: tuple[str, ...] = ()  # every label candidate OCR read around the field
    masked: bool = False  # masking dots in the field (its box, or anywhere new when its place is unknown)


@dataclass(frozen=True, slots=True)
class Withheld:
    """A typed value as it may be written: ``value`` with each piece of personal data replaced by its
    placeholder (None when the value was nothing but one piece, then named by ``kind``)."""

    value: str | None
    kind: PersonalKind | None = None


def names_secret(text: str | None) -> bool:
    """Whether a label or name says the field holds a secret (password, PIN, token, CVV, API key...)."""
    return text is not None and SECRET_WORDS.search(text) is not None


def element_names(element: Element | None) -> tuple[str, ...]:
    """Every name an element goes by: its name, label relation, description and placeholder."""
    if element is None:
        return ()
    names = (element.name, element.label, element.description, element.placeholder)
    return tuple(n for n in names if n)


def is_secret(field: Field, *, no_text: bool = False) -> bool:
    """Whether what was typed into ``field`` must never be written."""
    if no_text or field.masked or (field.element is not None and field.element.secret):
        return True
    return any(names_secret(name) for name in (*field.labels, *element_names(field.element)))


def _read_grey(path: Path, decoded: Decoded | None = None) -> Grey | None:
    try:
        with open_image(path) as image:
            if decoded is not None:
                decoded(path, image)
            return Grey.of(image)
    except (OSError, ImageError) as exc:
        log.warning("%s", exc)
        return None


def secret_pieces(values: Iterable[str | None]) -> frozenset[str]:
    """Typed secrets to find again on later screens (a field that does not mask them) and blur: each
    value case-folded, as image redaction compares words."""
    return frozenset(v.casefold() for value in values if value and len(v := value.strip()) >= MIN_SECRET)


class Frames:
    """The frames of a recording in grey, and which come after a moment. The frames read last are kept, up
    to KEPT_BYTES of pixels (a 1920x1080 frame is 2 MB): a short recording is read once, a long one again
    where a later pass needs a frame no longer kept, so memory stays bounded whatever the length. Safe to
    use from several threads. ``decoded`` is told of every frame as it is decoded, before it is made grey
    (what the step images need of it is kept then, so that no frame is decoded twice)."""

    def __init__(self, recording: Recording, decoded: Decoded | None = None) -> None:
        self.recording = recording
        self._decoded = decoded
        self._grey: OrderedDict[Path, Grey | None] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._reading: dict[Path, threading.Event] = {}  # frames being decoded, for the threads that wait
        refs = [getattr(e, "frame", None) for e in recording.events]
        self.refs = sorted({f.file: f for f in refs if isinstance(f, FrameRef)}.values(), key=lambda f: f.t)
        self._times = [f.t for f in self.refs]

    def grey(self, path: Path) -> Grey | None:
        """The frame ``path`` in grey (None: unreadable), decoded once however many threads ask at once."""
        with self._lock:
            if path in self._grey:
                self._grey.move_to_end(path)
                return self._grey[path]
            reading = self._reading.get(path)
            mine = reading is None
            if reading is None:
                reading = self._reading[path] = threading.Event()
        if not mine:
            reading.wait()
            return self.grey(path)
        try:
            grey = _read_grey(path, self._decoded)
            self._keep(path, grey)
        finally:
            with self._lock:
                del self._reading[path]
            reading.set()
        return grey

    def _keep(self, path: Path, grey: Grey | None) -> None:
        with self._lock:
            if path in self._grey:
                return
            self._grey[path] = grey
            self._bytes += len(grey.data) if grey is not None else 0
            while self._bytes > KEPT_BYTES and len(self._grey) > 1:
                _, dropped = self._grey.popitem(last=False)
                self._bytes -= len(dropped.data) if dropped is not None else 0

    def image(self, path: Path) -> Image.Image | None:
        """The frame as a grey image (for OCR), from the pixels read once."""
        grey = self.grey(path)
        return None if grey is None else Image.frombytes("L", (grey.width, grey.height), grey.data)

    def look(self, path: Path) -> FrameLook | None:
        grey = self.grey(path)
        return None if grey is None else FrameLook(grey)

    def after(self, t: float, monitor: int | None, limit: int | None = None) -> list[FrameRef]:
        """The frames grabbed after ``t`` on ``monitor`` (None: any), the first ``limit`` of them."""
        found: list[FrameRef] = []
        for i in range(bisect.bisect_right(self._times, t), len(self.refs)):
            frame = self.refs[i]
            if limit is not None and len(found) >= limit:
                break
            if monitor is None or frame.monitor == monitor:
                found.append(frame)
        return found

    def before(self, t: float, monitor: int | None) -> FrameRef | None:
        for i in range(bisect.bisect_right(self._times, t) - 1, -1, -1):
            if monitor is None or self.refs[i].monitor == monitor:
                return self.refs[i]
        return None

    def dots(self, frame: FrameRef, region: Rect | None = None) -> list[Rect]:
        grey = self.grey(self.recording.frame_path(frame))
        return [] if grey is None else masking_dots(grey, region)

    def crop(self, frame: FrameRef, region: Rect) -> Image.Image | None:
        """The grey pixels of ``region`` on ``frame``, as far as it goes (None: unreadable, or outside)."""
        grey = self.grey(self.recording.frame_path(frame))
        if grey is None:
            return None
        area = clip(region, grey)
        if area.width <= 0 or area.height <= 0:
            return None
        rows = (
            grey.row(y, area.left, area.left + area.width) for y in range(area.top, area.top + area.height)
        )
        return Image.frombytes("L", (area.width, area.height), b"".join(rows))

    def pixels(self, frame: FrameRef, region: Rect) -> bytes:
        crop = self.crop(frame, region)
        return b"" if crop is None else crop.tobytes()

    def changed(self, before: FrameRef, after: FrameRef, region: Rect) -> bool:
        """Whether ``region`` differs between two frames by more than a caret (CARET columns at most)."""
        a, b = self.crop(before, region), self.crop(after, region)
        if a is None or b is None or a.size != b.size:
            return True
        box = ImageChops.difference(a, b).getbbox()
        return box is not None and box[2] - box[0] > CARET

    def glyphs(self, frame: FrameRef, region: Rect, least: int) -> list[GlyphRun]:
        grey = self.grey(self.recording.frame_path(frame))
        return [] if grey is None else repeated_glyphs(grey, region, least)

    def new_glyphs(self, before: FrameRef | None, after: FrameRef, least: int) -> list[GlyphRun]:
        grey = self.grey(self.recording.frame_path(after))
        if grey is None:
            return []
        start = self.grey(self.recording.frame_path(before)) if before is not None else None
        return repeated_glyphs(grey, least=least) if start is None else new_glyphs(start, grey, least)


def masked_field(
    frames: Frames, draft: Draft, box: Rect | None, point: tuple[int, int] | None = None
) -> bool:
    """Whether the field typed into showed what was typed masked (:func:`masks`: a run of identical glyphs
    that stands for the value; or masking dots, :func:`generator.pipeline.pixels.masking_dots`): in its
    ``box`` (frame pixels) on any of the next LATER_FRAMES frames, the run on the line of ``point`` (frame
    pixels, where the field was clicked), the dots on the step's own frame too; for a field whose box is
    unknown, new on the next frame (the run in the lines that changed since the frame at the step's
    start)."""
    value = draft.value or ""
    if not value or set(value) <= DOT_LIKE:
        return False  # nothing to withhold; or dots typed, which look like masking dots themselves
    varied = len(set(value)) > 1  # else a run of identical glyphs may be the value itself (masks)
    least = min(MIN_DOTS, len(value))  # the glyphs of a run that masks the value, at least (masks)
    own = draft.frame
    monitor = own.monitor if own is not None else None
    after = frames.after(own.t if own is not None else draft.t, monitor, LATER_FRAMES + 1)
    later = [f for f in after if own is None or f.file != own.file][:LATER_FRAMES]
    if box is not None:
        region = Rect(box.left - 2, box.top - 2, box.width + 4, box.height + 4)
        inside = Rect(box.left + INSET, box.top + INSET, box.width - 2 * INSET, box.height - 2 * INSET)
        seen: set[bytes] = set()  # the field as each frame shows it: the same pixels are looked at once
        read: FrameRef | None = None  # the last frame whose glyphs were read
        for frame in ([own] if own else []) + later:
            shown = frames.pixels(frame, region)
            if shown in seen:
                continue
            seen.add(shown)
            if frames.dots(frame, region):
                return True
            # the step's own frame shows the field before the typing (a placeholder, what it held); a frame
            # whose field shows what the last one read showed (but for its border, a caret) tells nothing new
            if not varied or frame is own or (read is not None and not frames.changed(read, frame, inside)):
                continue
            read = frame
            if masks(value, frames.glyphs(frame, region, least), point):
                return True
        return False
    if not later:
        return False
    start = own or frames.before(draft.t, monitor)
    if varied and masks(value, frames.new_glyphs(start, later[0], least)):
        return True
    known = frames.dots(start) if start is not None else []
    return any(not any(d.overlaps(k) for k in known) for d in frames.dots(later[0]))


def masks(value: str, runs: Iterable[GlyphRun], point: tuple[int, int] | None = None) -> bool:
    """Whether one of ``runs`` of identical glyphs stands for ``value`` masked: one glyph per character
    typed, or at least MIN_DOTS of them (the field held more, or shows only a part), on the line of
    ``point`` when it is known; and the characters typed were not all the same (typing "1111" or "----"
    shows a run of identical glyphs too: such a value is withheld only by the other rules)."""
    if len(set(value)) < 2:
        return False
    return any(
        (run.count >= MIN_DOTS or run.count == len(value)) and (point is None or _on_line(run.box, point))
        for run in runs
    )


def _on_line(box: Rect, point: tuple[int, int]) -> bool:
    """Whether ``point`` lies on the line of ``box``: the field clicked is the one that shows it."""
    reach = max(LINE_REACH, box.height)
    return box.top - reach <= point[1] < box.top + box.height + reach


def withhold_personal(value: str) -> Withheld:
    """``value`` with its personal data (e-mail, IBAN, card, phone, as image redaction finds them) replaced
    by placeholders; a value that is one piece of personal data and nothing else gives its kind."""
    spans: list[tuple[int, int, PersonalKind]] = []
    text = value
    for reason, finder in FINDERS:
        kind: PersonalKind = reason  # type: ignore[assignment]
        for start, end in list(finder(text)):
            spans.append((start, end, kind))
            text = text[:start] + "\0" * (end - start) + text[end:]
    if not spans:
        return Withheld(value)
    if len(spans) == 1 and not value[: spans[0][0]].strip() and not value[spans[0][1] :].strip():
        return Withheld(None, spans[0][2])
    parts, last = [], 0
    for start, end, kind in sorted(spans):
        parts += [value[last:start], PLACEHOLDERS[kind]]
        last = end
    return Withheld("".join([*parts, value[last:]]))
