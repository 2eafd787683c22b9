"""``vsop check``: a recording of someone performing a guide's process, checked against the guide
(:mod:`.conformance`), and kept as a run record beside the guide (:mod:`generator.runs.store`) unless it is a
dry run. The earlier run records are read (and validated) before anything is written."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from generator.guide.store import load_guide
from generator.library.layout import GuideFolder, library_of
from generator.library.lock import lock_root
from generator.library.swap import writing
from generator.pipeline.generate import Options, recording_steps
from generator.rerecord.conformance import RunCheck, check_steps
from generator.rerecord.update import git_user
from generator.runs.store import load_runs, write_run

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class CheckOptions:
    who: str | None = None  # --who: else git's user.name in the library, else the user of the system
    dry_run: bool = False  # --dry-run: write no run record
    date: datetime | None = None  # when the run was checked (default: now)


@dataclass(frozen=True, slots=True)
class Checked:
    check: RunCheck
    record: Path | None  # the run record written; None in a dry run


def check_recording(
    guide_file: Path,
    recording: Path,
    options: CheckOptions = CheckOptions(),
    progress: Progress | None = None,
) -> Checked:
    """Check ``recording`` against the guide ``guide_file`` and, unless a dry run, write its run record."""
    guide = load_guide(guide_file)
    folder = guide_file.parent
    earlier = load_runs(folder)
    library = library_of(guide_file)
    options_ = Options(full_frames=GuideFolder(folder).has_full_frames(guide))
    made = recording_steps(recording, library, options_, progress)
    who = options.who or git_user(library) or _system_user()
    date = options.date or datetime.now(timezone.utc).replace(microsecond=0)
    check = check_steps(guide, made.steps, made.duration_s, earlier, who, date)
    if options.dry_run:
        return Checked(check, None)
    with writing(lock_root(folder)):  # an update swapping the folder meanwhile would drop the record
        return Checked(check, write_run(folder, check.run))


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment nor the password database
        return "someone"
