"""What must not be published from a screenshot: e-mail addresses, phone numbers, payment card numbers and
IBANs, found in the words OCR read.

OCR often splits one number into several words, so the words of a line are joined with spaces; a line is
first cut where two words are far apart (the columns of a table), so numbers of different cells never join.
Cards must pass the Luhn check and IBANs the mod-97 check. Phone numbers have no checksum: a number counts
when it is written the way phone numbers are (``+49 30 1234 5678``, ``(030) 1234 5678``, ``030 1234567``,
``555-123-4567``) and is not a date; erring towards redacting is the cheaper mistake.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from capture.models import Rect
from generator.guide.model import Redaction, Word

GAP = 1.5  # words further apart than this many line heights are in different runs (table columns)
WINDOW = 80  # characters of the longest number found: an IBAN of 34 characters spaced one by one is 67

# starts only where a run of local-part characters starts: a long run without "@" is read once, not once
# per character (which made a typed value of 100,000 characters take 20 s)
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
IBAN_RUN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}[A-Za-z0-9]*(?: [A-Za-z0-9]+)*")
CARD_RUN = re.compile(r"(?<![\w])\d+(?:[ -]\d+)*")
PHONE_RUN = re.compile(r"(?<![\w.,/-])[+(]?\d[\d ()./-]*\d\)?")
DATE = re.compile(  # 2024-01-15, 15.01.2024, 01/15/24; not 06.12.34.56.78 (more digits follow)
    r"\d{4}([./-])\d{1,2}\1\d{1,2}(?![./-]?\d)|\d{1,2}([./-])\d{1,2}\2(?:\d{4}|\d{2})(?![./-]?\d)"
)

Span = tuple[int, int]
BLANK = "\x00"  # stands in for text already matched: no pattern matches it or joins across it


@dataclass(frozen=True, slots=True)
class _Run:
    """Words of one line close enough to be one phrase, joined by single spaces."""

    text: str
    words: tuple[tuple[int, int, Word], ...]  # start and end of each word in ``text``

    def box(self, span: Span) -> Rect:
        i = bisect.bisect_right(self.words, span[0], key=lambda word: word[1])  # the first word ending after
        boxes = []
        while i < len(self.words) and self.words[i][0] < span[1]:
            boxes.append(self.words[i][2].box)
            i += 1
        left, top = min(b.left for b in boxes), min(b.top for b in boxes)
        right = max(b.left + b.width for b in boxes)
        bottom = max(b.top + b.height for b in boxes)
        return Rect(left, top, right - left, bottom - top)


def find_sensitive(words: Sequence[Word]) -> list[Redaction]:
    """Boxes (the union of the words of each match) of e-mails, IBANs, card and phone numbers.

    Kinds are tried in that order; each match is blanked out before the next kind looks, so the digits of
    an IBAN are not found again as a phone number and a phone number can end right before a card number.
    """
    found: list[Redaction] = []
    for run in _runs(words):
        text = run.text
        for reason, finder in FINDERS:
            spans = list(finder(text))
            found += [Redaction(run.box(span), reason) for span in spans]
            text = _blanked(text, spans)
    return found


def _blanked(text: str, spans: Sequence[Span]) -> str:
    """``text`` with the (ordered, disjoint) ``spans`` blanked out, in one pass."""
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], BLANK * (end - start)]
        last = end
    return "".join([*parts, text[last:]])


def _runs(words: Sequence[Word]) -> Iterator[_Run]:
    lines: dict[int, list[Word]] = {}
    for word in words:
        if word.text.strip():
            lines.setdefault(word.line, []).append(word)
    for line in lines.values():
        line.sort(key=lambda w: w.box.left)
        height = statistics.median(w.box.height for w in line)
        group = [line[0]]
        for prev, word in itertools.pairwise(line):
            if word.box.left - (prev.box.left + prev.box.width) > GAP * height:
                yield _join(group)
                group = []
            group.append(word)
        yield _join(group)


def _join(words: list[Word]) -> _Run:
    spans: list[tuple[int, int, Word]] = []
    offset = 0
    for word in words:
        text = word.text.strip()
        spans.append((offset, offset + len(text), word))
        offset += len(text) + 1
    return _Run(" ".join(w.text.strip() for w in words), tuple(spans))


@dataclass(frozen=True, slots=True)
class Size:
    """How many ``counted`` characters a number of one kind holds: from ``low`` to ``high`` (what its check
    accepts at most and at least)."""

    counted: re.Pattern[str]
    low: int
    high: int


IBAN_SIZE = Size(re.compile(r"[A-Za-z0-9]"), 15, 34)
CARD_SIZE = Size(re.compile(r"\d"), 13, 19)
PHONE_SIZE = Size(re.compile(r"\d"), 8, 15)


def _windows(
    text: str, run: re.Pattern[str], sep: str, valid: Callable[[str], bool], size: Size
) -> Iterator[Span]:
    """Within each match of ``run``, the longest stretches of whole ``sep``-separated tokens that are
    ``valid``, left to right (so a number followed by another number on the line is still found). Only the
    stretches of a ``size`` that ``valid`` could accept are tried, so a long run is read in linear time."""
    for match in run.finditer(text):
        tokens = [(m.start() + match.start(), m.end() + match.start()) for m in re.finditer(sep, match[0])]
        ends = [end for _start, end in tokens]
        counts = (len(size.counted.findall(text, start, end)) for start, end in tokens)
        total = list(itertools.accumulate(counts, initial=0))  # counted characters of tokens[:k]
        i = 0
        while i < len(tokens):  # the stretch tokens[i:j], the longest first
            shortest = bisect.bisect_left(total, total[i] + size.low, lo=i + 1)
            longest = min(
                bisect.bisect_right(total, total[i] + size.high, lo=i + 1) - 1,
                bisect.bisect_right(ends, tokens[i][0] + WINDOW, lo=i),
            )
            for j in range(longest, shortest - 1, -1):
                span = (tokens[i][0], tokens[j - 1][1])
                if valid(text[span[0] : span[1]]):
                    yield span
                    i = j
                    break
            else:
                i += 1


def emails(text: str) -> Iterator[Span]:
    return (m.span() for m in EMAIL.finditer(text))


def ibans(text: str) -> Iterator[Span]:
    return _windows(text, IBAN_RUN, r"\S+", is_iban, IBAN_SIZE)


def cards(text: str) -> Iterator[Span]:
    return _windows(text, CARD_RUN, r"\d+", is_card, CARD_SIZE)


def phones(text: str) -> Iterator[Span]:
    return _windows(text, PHONE_RUN, r"\S+", is_phone, PHONE_SIZE)


FINDERS: tuple[tuple[str, Callable[[str], Iterator[Span]]], ...] = (
    ("email", emails),
    ("iban", ibans),
    ("card", cards),
    ("phone", phones),
)


def is_iban(text: str) -> bool:
    """Country code, check digits, 11 to 30 letters or digits; spaces allowed; the mod-97 check passes."""
    compact = text.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def is_card(text: str) -> bool:
    """13 to 19 digits, in one block or in groups led by four digits (4-4-4-4, 4-6-5...), Luhn-valid."""
    groups = re.split(r"[ -]", text)
    if len(groups) > 1 and (len(groups[0]) != 4 or not all(3 <= len(g) <= 6 for g in groups[1:])):
        return False
    digits = "".join(groups)
    return 13 <= len(digits) <= 19 and luhn(digits)


def luhn(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_phone(text: str) -> bool:
    """8 to 15 digits written like a phone number: international (+), area code in parentheses, a national
    number with a leading 0 (with separators, or 10-12 digits), or the North American 555-123-4567; not a
    date."""
    digits = re.sub(r"\D", "", text)
    if not 8 <= len(digits) <= 15 or DATE.match(text):
        return False
    if text.startswith("+") or re.match(r"\(\d{2,5}\)", text):
        return True
    if text.startswith("0"):
        return bool(re.search(r"[ ()./-]", text)) or 10 <= len(digits) <= 12
    return bool(re.fullmatch(r"\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}", text))


def typed_pieces(values: Sequence[str]) -> frozenset[str]:
    """Pieces of typed text that are personal data (an e-mail, a phone, card or IBAN number), to find again
    on later screens where OCR reads them only in part: the e-mail itself and its local part, and every group
    of 3 or more digits of a number."""
    pieces: set[str] = set()
    for value in values:
        for start, end in emails(value):
            address = value[start:end]
            pieces |= {address.casefold(), address.split("@")[0].casefold()}
        for _reason, finder in FINDERS[1:]:
            for start, end in finder(value):
                pieces |= {group for group in re.findall(r"\d+", value[start:end]) if len(group) >= 3}
    return frozenset(pieces)


def find_typed(words: Sequence[Word], pieces: frozenset[str]) -> list[Redaction]:
    """Boxes of the words that show a piece of personal data the person typed."""
    found = []
    for word in words:
        text, digits = word.text.casefold(), re.sub(r"\D", "", word.text)
        if any((p in digits) if p.isdigit() else (p in text) for p in pieces):
            found.append(Redaction(word.box, "typed"))
    return found


def told_personal(texts: Iterable[str | None], pieces: frozenset[str] = frozenset()) -> str | None:
    """The kind of personal data (``email``, ``iban``, ``card``, ``phone``, or ``typed`` for a piece the
    person typed) that one of ``texts`` holds, None when none does: what the accessibility tree said an
    element shows (its value, name, label...), read before OCR and whatever OCR makes of its pixels."""
    for text in texts:
        if not text:
            continue
        for reason, finder in FINDERS:
            if next(iter(finder(text)), None) is not None:
                return reason
        folded, digits = text.casefold(), re.sub(r"\D", "", text)
        if any((p in digits) if p.isdigit() else (p in folded) for p in pieces):
            return "typed"
    return None
