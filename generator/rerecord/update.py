"""``vsop update`` and ``vsop diff``: a new recording of a guide's process, compared with the guide and, for
update, made its next version. The new guide folder is put together in a hidden folder beside the guide and
swapped in only when complete (generator/library/swap.py): a failure anywhere leaves the guide as it was, byte
for byte, and a kill at any moment leaves the old version or the new one."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import GuideError
from generator.guide.model import Guide, Step
from generator.guide.paths import inside, refuse_links
from generator.guide.store import load_guide
from generator.images.annotate import full_image_name
from generator.images.similarity import screen_changed
from generator.library.layout import GUIDE_FILE, IMAGES_DIR, PAGE_FILE, GuideFolder, library_of
from generator.library.swap import staging, swap_in, writing
from generator.pipeline.generate import Options, Recorded, recorded_steps
from generator.rerecord.compare import Comparison, compare

Progress = Callable[[str, int, int], None]
MIN_SIMILARITY = 0.5  # below this share of matching steps, the recording is taken for another process


@dataclass(frozen=True, slots=True)
class UpdateOptions:
    version: str | None = None  # --version: the new version instead of the bumped one
    author: str | None = None  # --author: else git's user.name in the library
    force: bool = False  # --force: update even from a recording that looks like another process
    redact: bool = True


def diff_guide(
    guide_file: Path,
    recording: Path,
    options: UpdateOptions = UpdateOptions(),
    progress: Progress | None = None,
) -> Comparison:
    """Compare the guide with a new recording of its process; nothing is written (but the OCR cache)."""
    guide = load_guide(guide_file)
    with tempfile.TemporaryDirectory(prefix="vsop-diff-") as scratch:
        made = _recorded(guide, guide_file.parent, recording, Path(scratch), options, progress)
        return _compare(guide, guide_file.parent, made, options)


def update_guide(
    guide_file: Path,
    recording: Path,
    options: UpdateOptions = UpdateOptions(),
    progress: Progress | None = None,
) -> Comparison:
    """Make the recording the guide's next version (see the module docstring); returns the comparison.

    The recording's steps are made first; then, holding the library's lock (generator/library/lock.py),
    the guide is read again (a change saved meanwhile, by ``vsop edit`` for one, is kept), compared, and
    the new folder put in its place (generator/library/swap.py). A recording whose steps match less than
    :data:`MIN_SIMILARITY` of the guide's is refused unless ``options.force``; an invalid guide.yml is
    reported with its lines. Either way nothing is written.
    """
    guide = load_guide(guide_file)
    folder = guide_file.parent
    refuse_links(folder)  # before the recording's OCR: the update would be refused at the end
    library = library_of(guide_file)
    author = options.author or git_user(library)
    with staging(library, folder.name) as filled:
        made = _recorded(guide, folder, recording, filled / ".recorded", options, progress)
        with writing(library):
            current = load_guide(guide_file)
            result = _compare(current, folder, made, options, author)
            if result.similarity < MIN_SIMILARITY and not options.force:
                raise GuideError(refusal(guide_file, recording, result.similarity))
            _assemble(result, folder, filled)
            swap_in(filled, folder, replace=True)
    return result


def refusal(guide_file: Path, recording: Path, similarity: float) -> str:
    return (
        f"{recording}: does not look like a recording of {guide_file.parent.name}: "
        f"{similarity:.0%} of the steps match, {MIN_SIMILARITY:.0%} expected; "
        "if it is the same process, update anyway with --force"
    )


def _recorded(
    guide: Guide,
    folder: Path,
    recording: Path,
    scratch: Path,
    options: UpdateOptions,
    progress: Progress | None,
) -> Recorded:
    """The recording's steps, their images in ``scratch``; new step ids avoid the guide's."""
    library = library_of(folder / GUIDE_FILE)
    full = GuideFolder(folder).has_full_frames(guide)
    return recorded_steps(
        recording,
        library,
        scratch,
        Options(redact=options.redact, full_frames=full),
        progress,
        {s.id for s in guide.steps},
    )


def _compare(
    guide: Guide, folder: Path, made: Recorded, options: UpdateOptions, author: str | None = None
) -> Comparison:
    scratch = made.folder

    def changed(old: Step, new: Step) -> bool:
        return screen_changed(
            folder / old.image if old.image else None, scratch / new.image if new.image else None
        )

    return compare(guide, made, changed, version=options.version, author=author)


def _assemble(result: Comparison, folder: Path, staging: Path) -> None:
    """The new guide folder in ``staging``: other files of the guide copied, each step's image from the old
    folder (unchanged steps) or from the recording (new and changed ones), guide.yml and guide.md."""
    scratch = staging / ".recorded"
    refuse_links(folder)  # a link would become a copy of what it points to (a private key, say)
    for entry in folder.iterdir():
        if entry.name not in (GUIDE_FILE, PAGE_FILE, IMAGES_DIR):
            if entry.is_dir():
                shutil.copytree(entry, staging / entry.name, symlinks=True)
            else:
                shutil.copy2(entry, staging / entry.name, follow_symlinks=False)
    images = GuideFolder(staging).images
    images.mkdir()
    after = result.after
    for step in after.steps:
        if not step.image:
            continue
        name = Path(step.image).name
        if result.sources.get(step.id) == "old":
            _copy_image(inside(folder, step.image), images / name)
        else:
            recorded = GuideFolder(scratch).images / f"{result.recorded_ids[step.id]}.png"
            step.image = f"{IMAGES_DIR}/{step.id}.png"
            _copy_image(recorded, images / f"{step.id}.png")
    shutil.rmtree(scratch)
    GuideFolder(staging).write(after)


def _copy_image(source: Path, target: Path) -> None:
    shutil.copy2(source, target)
    full = source.with_name(full_image_name(source.name))
    if full.is_file():
        shutil.copy2(full, target.with_name(full_image_name(target.name)))


def git_user(library: Path) -> str | None:
    """``git config user.name`` as the library's repository has it (None without git or a name)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(library), "config", "user.name"], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    name = done.stdout.strip()
    return name if done.returncode == 0 and name else None
