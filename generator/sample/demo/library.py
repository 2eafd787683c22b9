"""The demo library: ``init_library``, then one guide per sample recording, each on its scenario's stage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from generator.errors import GuideError
from generator.library.layout import GUIDES_DIR, GuideFolder, Library, slugify
from generator.sample import RECORDINGS
from generator.sample.scenarios import SCENARIOS, Scenario, by_id
from generator.valuestream.store import SETTINGS_FILE, VALUESTREAM_FILE

Progress = Callable[[str, int, int], None]
DEFAULT_FOLDER = Path("vsop-demo")
RECORDINGS_DIR = "recordings"  # where --live stores its recordings in the library
LIBRARY_MARKS = (VALUESTREAM_FILE, SETTINGS_FILE, GUIDES_DIR)
GENERATING = "Generating guides"


def demo_scenarios(ids: Sequence[str] = ()) -> list[Scenario]:
    """The scenarios named by ``ids`` (all of them when none), in the order of the value stream."""
    try:
        return [by_id(i) for i in ids] if ids else list(SCENARIOS)
    except KeyError as exc:
        raise GuideError(str(exc.args[0])) from None


def guide_folder(library: Path, scenario: Scenario) -> Path:
    """The guide the demo makes of ``scenario``: its id is its title's slug."""
    return Library(library).guide_folder(slugify(scenario.title)).path


def check_folder(library: Path) -> None:
    """A new or empty folder, or a vsop library; anything else is refused rather than written into."""
    if not library.exists():
        return
    if not library.is_dir():
        raise GuideError(f"{library}: not a folder; give the demo library a new folder with --library DIR")
    if any(library.iterdir()) and not any((library / mark).exists() for mark in LIBRARY_MARKS):
        raise GuideError(
            f"{library}: the folder is not empty and is not a vsop library (it has none of "
            f"{', '.join(LIBRARY_MARKS)}); the demo writes only into a new or empty folder or a library: "
            f"give one with --library DIR"
        )


def make_demo_library(
    library: Path,
    live: bool = False,
    progress: Progress | None = None,
    scenarios: Sequence[str] = (),
) -> list[Path]:
    """Make ``library`` a vsop library with one guide per sample recording; return the guide folders.

    Guides already there are kept, so a second run is quick. With ``live``, every scenario is first performed
    and recorded for real on a private X display into ``library/recordings/``, and its guide made anew from
    that recording. ``scenarios`` limits the demo to these scenario ids.
    """
    report = progress or (lambda stage, done, total: None)
    chosen = demo_scenarios(scenarios)
    check_folder(library)
    if live:
        from generator.sample.demo.live import record_live, require_tools

        require_tools(chosen)  # before anything is written
    from generator.library.scaffold import init_library

    init_library(library)
    source = RECORDINGS
    if live:
        source = library / RECORDINGS_DIR
        record_live(source, chosen, report)
    folders = []
    report(GENERATING, 0, len(chosen))
    for done, scenario in enumerate(chosen, start=1):
        folders.append(_guide(library, source / scenario.id, scenario, replace=live, progress=report))
        report(GENERATING, done, len(chosen))
    _approve(folders)
    return folders


DEMO_APPROVER = "vsop demo"  # approves the sample guides, so that the demo site publishes them as SOPs


def _approve(folders: Sequence[Path]) -> None:
    """Approve each sample guide whose current version is a draft (docs/guide-format.md, document control)."""
    from generator.guide.control import current_approval
    from generator.guide.store import load_guide
    from generator.library.control import approve_guide

    for folder in folders:
        guide_file = GuideFolder(folder).guide_file
        if current_approval(load_guide(guide_file)) is None:
            approve_guide(guide_file, DEMO_APPROVER)


def _guide(library: Path, recording: Path, scenario: Scenario, replace: bool, progress: Progress) -> Path:
    from generator.pipeline.generate import Options, generate

    folder = guide_folder(library, scenario)
    if GuideFolder(folder).guide_file.is_file() and not replace:
        return folder
    options = Options(title=scenario.title, stage=scenario.stage)
    return generate(recording, library, options, progress, replace=True)  # a failure keeps the old guide
