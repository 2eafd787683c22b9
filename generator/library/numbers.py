"""The document numbers a library has given (``LIB/numbers.yml``, kept in git with the guides): a number is
given once and never again, even when its guide is retired or its folder deleted. Each entry is
``number: guide id``; the file is written atomically, under the library's lock (generator/library/lock.py)."""

from __future__ import annotations

from pathlib import Path

import yaml

from capture.files import atomic_write_text
from generator.errors import GuideError
from generator.guide.model import Guide
from generator.guide.numbering import next_number
from generator.library.layout import Library
from generator.library.lock import guides_locked
from generator.library.scan import scan_library

NUMBERS_FILE = "numbers.yml"
_HEADER = "# Document numbers vsop has given (vsop approve), each with its guide; never given again.\n"


def given_numbers(library: Path) -> dict[str, str]:
    """``numbers.yml`` as number -> guide id; an unreadable file is a GuideError (a lost list could give a
    number twice)."""
    path = library / NUMBERS_FILE
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise GuideError(
            f"{path}: not valid YAML ({exc}); fix it, it lists every document number given"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise GuideError(f"{path}: expected a mapping of document numbers to guide ids (SOP-001: new-lead)")
    return data


def assign_number(library: Path, guide: Guide, stream: str | None, pattern: str) -> str:
    """The next number of ``pattern`` for ``guide``, recorded in ``numbers.yml`` before it is returned."""
    with guides_locked(library):
        given = given_numbers(library)
        in_guides = [e.guide.control.number for e in scan_library(library).entries if e.guide.control]
        used = [*given, *(n for n in in_guides if n)]
        number = next_number(pattern, stream, guide.stage, used)
        given[number] = guide.id
        text = _HEADER + yaml.safe_dump(given, sort_keys=False, allow_unicode=True)
        atomic_write_text(Library(library).root / NUMBERS_FILE, text)
        return number
