"""A new library (``vsop init LIB``) with the default value stream, settings, a .gitignore and ``guides/``.
A file that is already there is kept as it is: re-running init never overwrites what a person wrote."""

from __future__ import annotations

from pathlib import Path

from capture.files import atomic_write_text
from generator.errors import GuideError
from generator.library.layout import CACHE_DIR, GUIDES_DIR
from generator.valuestream.store import DEFAULT_VALUESTREAM, SETTINGS_FILE, VALUESTREAM_FILE

DEFAULT_SETTINGS = DEFAULT_VALUESTREAM.with_name(SETTINGS_FILE)
GITIGNORE = f"""\
# Raw recordings hold every screenshot unredacted: keep them on the recording machine.
recordings/
# The built SOP site and the OCR cache are made again from the guides.
site/
{CACHE_DIR}/
# Half-written files and folders of a vsop command that was stopped (the next command puts them right).
.*.tmp
"""


def scaffold(library: Path) -> dict[Path, str | None]:
    """What init creates: each file with its content, ``None`` for a folder."""
    return {
        library / VALUESTREAM_FILE: DEFAULT_VALUESTREAM.read_text(encoding="utf-8"),
        library / SETTINGS_FILE: DEFAULT_SETTINGS.read_text(encoding="utf-8"),
        library / ".gitignore": GITIGNORE,
        library / GUIDES_DIR: None,
    }


def init_library(library: Path) -> list[Path]:
    """Create what the library lacks of :func:`scaffold`; returns the paths it created."""
    if library.exists() and not library.is_dir():
        raise GuideError(f"{library}: exists and is not a folder; choose another library folder")
    library.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    for path, content in scaffold(library).items():
        if path.exists():
            continue
        if content is None:
            path.mkdir()
        else:
            atomic_write_text(path, content)
        created.append(path)
    return created
