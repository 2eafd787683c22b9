"""No work lost (issue 13, items 8-11, 15 and 17): an editor's saves while `vsop update` runs, a command
killed at every step of the update swap, two `vsop generate` of one title at once, misspelt keys in
guide.yml, the page keys of a second build in a new process, and what `vsop generate` and `vsop status` tell
a person."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from generator.cli import main
from generator.edit import EditorServer, start_editor
from generator.edit.session import Session
from generator.errors import GuideError
from generator.guide.model import Guide, Revision, Step
from generator.guide.store import load_guide
from generator.library.layout import GuideFolder
from generator.library.lock import guides_locked
from generator.library.rewrite import rewrite_guide
from generator.library.scaffold import init_library
from generator.pipeline.generate import Options, generate
from generator.rerecord.update import UpdateOptions, update_guide
from tests.conftest import need

REPO = Path(__file__).resolve().parents[1]
SHORT = "delete-order"  # the shortest shipped recording: three steps
SHORT_ID = "delete-a-duplicate-order"
DAY = "2026-06-01"  # no guide of small_library is due for review yet
ONE_STAGE = "streams:\n  - {id: ops, name: Ops, stages: [{id: run, name: Run}]}\n"


def small_library(root: Path, count: int) -> Path:
    """A library of ``count`` guides g-1, g-2... made without OCR: three steps each, each with an image."""
    init_library(root)
    for n in range(1, count + 1):
        folder = GuideFolder(root / "guides" / f"g-{n}")
        folder.images.mkdir(parents=True)
        steps = []
        for i in range(1, 4):
            Image.new("RGB", (64, 48), (20 * n, 60 * i, 90)).save(folder.images / f"s-{i}.png")
            steps.append(
                Step(
                    id=f"s-{i}",
                    action="click",
                    target=f"Button {i}",
                    value=None,
                    window="Acme CRM",
                    text=f"Click **Button {i}**.",
                    image=f"images/s-{i}.png",
                )
            )
        revision = Revision("1.0.0", "2026-01-01", "First version")
        guide = Guide(f"g-{n}", f"Guide {n}", None, "1.0.0", None, {}, steps, [revision])
        folder.write(guide)
    return root


def hidden(library: Path) -> list[str]:
    return sorted(p.name for p in (library / "guides").iterdir() if p.name.startswith("."))


def whole(folder: Path) -> Guide:
    """The guide in ``folder``, checked to be whole: it loads, and every image it shows is there."""
    guide = load_guide(folder / "guide.yml")
    assert (folder / "guide.md").is_file()
    assert all((folder / s.image).is_file() for s in guide.steps if s.image and s.dropped is None)
    return guide


def listed_guides(status: str) -> list[str]:
    """The ids in what `vsop status` prints (not in a terminal): id, stage, version... a line each."""
    return re.findall(r"^([a-z0-9-]+)\t[^\t]*\t\d+\.\d+\.\d+\t", status, re.MULTILINE)


def vsop(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=REPO, env=env)


# 11. A misspelt key -------------------------------------------------------------------------------------


def test_a_misspelt_key_is_refused_with_its_line_and_the_closest_known_key(
    tmp_path: Path, recordings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = small_library(tmp_path / "lib", 1)
    folder = library / "guides" / "g-1"
    guide_file = folder / "guide.yml"
    lines = guide_file.read_text(encoding="utf-8").splitlines()
    step = lines.index("- id: s-2") + 1
    lines.insert(step, "  txt: Click the second button.")
    lines.insert(2, "purpse: Remove an order entered twice.")
    lines.append("  sumary: by hand")
    guide_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = guide_file.read_bytes()
    with pytest.raises(GuideError) as info:
        load_guide(guide_file)
    found = str(info.value)
    assert f"{guide_file}:3: purpse: unknown key 'purpse'" in found and "(did you mean 'purpose'?)" in found
    assert f"{guide_file}:{step + 2}: steps[1].txt: unknown key 'txt'" in found
    assert "(did you mean 'text'?)" in found
    assert "revisions[0].sumary: unknown key 'sumary'" in found and "(did you mean 'summary'?)" in found
    # No command drops the keys: each refuses the guide, with the same lines, and writes nothing.
    for command in (
        ["review", str(folder)],
        ["stage", str(folder), "customer-inquiry"],
        ["stage", str(folder), "--confirm"],
        ["update", str(folder), str(recordings / SHORT)],
    ):
        assert main(command) == 1, command
        assert "(did you mean 'text'?)" in capsys.readouterr().err, command
    with pytest.raises(GuideError, match="did you mean 'purpose'"):
        Session(guide_file)  # vsop edit does not start
    assert main(["status", str(library), "--date", DAY]) == 1
    assert "unknown key 'txt'" in capsys.readouterr().err
    assert guide_file.read_bytes() == before


# 15. A stable page key ----------------------------------------------------------------------------------


def test_a_second_build_in_a_new_process_renders_no_page(tmp_path: Path) -> None:
    library = small_library(tmp_path / "lib", 3)
    renders = []
    for seed in ("1", "2"):  # a set of the same names is in another order in each of these two processes
        done = vsop("build", str(library), "--drafts", env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        found = re.search(r"3 guides, (\d+) pages rendered, (\d+) unchanged", done.stderr)
        assert found, done.stderr
        renders.append((int(found[1]), int(found[2])))
    (first, _none), (again, unchanged) = renders
    assert first >= 3 and again == 0 and unchanged == first


# 9. A kill at every step of the update swap -------------------------------------------------------------

KILLER = r"""
import os, shutil, signal, sys
calls, kill_at = 0, int(sys.argv[1])

def counted(function):
    def call(*args, **kwargs):
        global calls
        calls += 1
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return function(*args, **kwargs)
    return call

def arm(os_names, shutil_names):
    for name in os_names:
        setattr(os, name, counted(getattr(os, name)))
    for name in shutil_names:
        setattr(shutil, name, counted(getattr(shutil, name)))
"""

# The next version of g-3 made as vsop update makes it (a hidden folder filled, then swapped in holding the
# library's lock); every change to the disk is a point where the process may be killed.
SWAP = r"""
from pathlib import Path
from generator.guide.store import load_guide
from generator.library.layout import GuideFolder
from generator.library.swap import staging, swap_in, writing
library, new_images = Path(sys.argv[2]), Path(sys.argv[3])
target = library / "guides" / "g-3"
arm(("open", "mkdir", "rename", "replace", "unlink", "rmdir"), ("copy2",))
with staging(library, target.name) as filled:
    (filled / "images").mkdir()
    guide = load_guide(target / "guide.yml")
    for step in guide.steps:
        shutil.copy2(new_images / Path(step.image).name, filled / step.image)
    guide.version = "2.0.0"
    GuideFolder(filled).write(guide)
    with writing(library):
        swap_in(filled, target, replace=True)
"""


def test_a_kill_at_any_step_of_the_swap_loses_no_guide(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pristine = small_library(tmp_path / "pristine", 8)
    new_images = tmp_path / "new"
    new_images.mkdir()
    for i in range(1, 4):
        Image.new("RGB", (64, 48), (250, 10 * i, 10)).save(new_images / f"s-{i}.png")
    old = {p.name: p.read_bytes() for p in (pristine / "guides" / "g-3" / "images").iterdir()}
    new = {p.name: p.read_bytes() for p in new_images.iterdir()}
    outcomes = []
    for kill_at in range(1, 200):
        library = tmp_path / f"lib-{kill_at}"
        shutil.copytree(pristine, library)
        done = subprocess.run(
            [sys.executable, "-c", KILLER + SWAP, str(kill_at), str(library), str(new_images)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=REPO,
        )
        assert done.returncode in (0, -9), done.stderr
        assert main(["status", str(library), "--date", DAY]) == 0  # the next command puts things right
        listed = listed_guides(capsys.readouterr().out)
        assert listed == [f"g-{n}" for n in range(1, 9)], kill_at
        assert hidden(library) == [], kill_at
        guide = whole(library / "guides" / "g-3")
        images = {p.name: p.read_bytes() for p in (library / "guides" / "g-3" / "images").iterdir()}
        assert images == (new if guide.version == "2.0.0" else old), kill_at
        outcomes.append(guide.version)
        shutil.rmtree(library)
        if done.returncode == 0:
            break
    assert outcomes[-1] == "2.0.0" and "1.0.0" in outcomes and len(outcomes) > 20, outcomes


def test_leftovers_are_ignored_by_git(tmp_path: Path) -> None:
    need("git")
    init_library(tmp_path)
    subprocess.run(["git", "-C", str(tmp_path), "init", "-q"], check=True)
    for left in ("guides/.g-1.0123abcd.tmp/guide.yml", "guides/g-1/.guide.yml.0123abcd.tmp"):
        assert subprocess.run(["git", "-C", str(tmp_path), "check-ignore", "-q", left]).returncode == 0


UPDATE = r"""
import generator.rerecord.update as update
swap_in = update.swap_in

def armed_swap_in(*args, **kwargs):
    arm(("rename",), ("rmtree",))  # the two renames of the swap and the deletion of the old folder
    return swap_in(*args, **kwargs)

update.swap_in = armed_swap_in
from generator.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.fixture(scope="module")
def short_library(tmp_path_factory: pytest.TempPathFactory, recordings: Path) -> Path:
    """A library with the guide of the short recording (its OCR cached), and seven guides beside it."""
    need("tesseract")
    library = small_library(tmp_path_factory.mktemp("short") / "lib", 7)
    generate(recordings / SHORT, library, Options())
    return library


@pytest.mark.ocr
def test_vsop_update_killed_between_its_renames_leaves_the_guide(
    tmp_path: Path, short_library: Path, recordings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    versions = []
    for kill_at in range(1, 10):
        library = tmp_path / f"lib-{kill_at}"
        shutil.copytree(short_library, library)
        folder = library / "guides" / SHORT_ID
        command = [str(kill_at), "update", str(folder), str(recordings / SHORT)]
        done = subprocess.run(
            [sys.executable, "-c", KILLER + UPDATE, *command], capture_output=True, text=True, cwd=REPO
        )
        assert done.returncode in (0, -9), done.stderr
        assert main(["status", str(library), "--date", DAY]) == 0
        listed = listed_guides(capsys.readouterr().out)
        assert listed == sorted([SHORT_ID, *(f"g-{n}" for n in range(1, 8))]), kill_at
        assert hidden(library) == []
        versions.append(whole(folder).version)
        if done.returncode == 0:
            break
    # killed before the first rename, between the two, before deleting the old folder; then not at all
    assert versions[:2] == ["1.0.0", "1.0.0"] and versions[2:] == ["1.0.1"] * (len(versions) - 2), versions


# 8. vsop update while vsop edit saves --------------------------------------------------------------------


@pytest.mark.ocr
def test_an_edit_saved_while_update_records_is_in_the_new_version(
    tmp_path: Path, short_library: Path, recordings: Path
) -> None:
    library = tmp_path / "lib"
    shutil.copytree(short_library, library)
    guide_file = library / "guides" / SHORT_ID / "guide.yml"
    session = Session(guide_file)
    step = load_guide(guide_file).steps[1].id
    saved: list[str] = []

    def edit_while_drawing(stage: str, done: int, total: int) -> None:
        if stage == "Drawing screenshots" and not saved:  # update's long work, before it takes the lock
            session.change({"op": "note", "step": step, "note": "Check the order number first."})
            saved.append(step)

    update_guide(guide_file, recordings / SHORT, UpdateOptions(), edit_while_drawing)
    assert saved
    guide = whole(guide_file.parent)
    assert guide.version == "1.0.1"
    assert guide.steps[1].note == "Check the order number first." and guide.steps[1].edited == ["note"]


def post(server: EditorServer, change: object) -> tuple[int, dict[str, object]]:
    token = urlsplit(server.url).query.removeprefix("token=")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    try:
        body = json.dumps(change).encode()
        headers = {"Content-Type": "application/json", "X-Vsop-Token": token}
        headers["Host"] = f"127.0.0.1:{server.port}"
        connection.request("POST", "/api/change", body, headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


@pytest.fixture
def editing(tmp_path: Path, short_library: Path) -> Iterator[EditorServer]:
    library = tmp_path / "lib"
    shutil.copytree(short_library, library)
    server = start_editor(library / "guides" / SHORT_ID / "guide.yml", open_browser=False)
    yield server
    server.close()


@pytest.mark.ocr
def test_vsop_update_while_the_editor_saves_loses_nothing(
    editing: EditorServer, recordings: Path, tmp_path: Path
) -> None:
    guide_file = editing.session.guide_file
    steps = [s.id for s in load_guide(guide_file).steps]
    command = ["update", str(guide_file.parent), str(recordings / SHORT)]
    with (tmp_path / "update.err").open("w") as err:
        update = subprocess.Popen(
            [sys.executable, "-m", "generator.cli", *command],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            cwd=REPO,
        )
    printed: list[str] = []
    updated = threading.Event()  # update prints its headline once the new version is in place

    def read() -> None:
        assert update.stdout is not None
        with update.stdout:
            for line in update.stdout:
                printed.append(line)
                updated.set()

    reader = threading.Thread(target=read)
    reader.start()
    last: dict[str, str] = {}  # step -> the last note the editor said it saved
    n = 0
    while not updated.is_set() and update.poll() is None:  # every save before the update ends is kept
        n += 1
        step = steps[n % len(steps)]
        status, answer = post(editing, {"op": "note", "step": step, "note": f"Edit {n}."})
        if status == 200:
            last[step] = f"Edit {n}."
        else:
            assert status == 409 and answer["error"], answer  # a conflict the page shows; nothing is saved
    assert update.wait(120) == 0, (tmp_path / "update.err").read_text()
    reader.join(10)
    assert "version 1.0.0 -> 1.0.1" in "".join(printed)
    assert len(last) == len(steps)  # saves before the update took its lock, and while it waited for it
    guide = whole(guide_file.parent)
    assert guide.version == "1.0.1"
    assert {s.id: s.note for s in guide.steps} == last
    status, answer = post(editing, {"op": "note", "step": steps[0], "note": "After the update."})
    assert status == 200 and load_guide(guide_file).steps[0].note == "After the update."
    assert load_guide(guide_file).version == "1.0.1"


def test_a_change_written_by_another_program_meanwhile_is_a_conflict(tmp_path: Path) -> None:
    guide_file = small_library(tmp_path / "lib", 1) / "guides" / "g-1" / "guide.yml"
    text = guide_file.read_text(encoding="utf-8")
    by_hand = text.replace("version: 1.0.0", "version: 1.0.0  # by hand")

    def changed_meanwhile(guide: Guide) -> Guide:
        guide_file.write_text(by_hand, encoding="utf-8")  # another program, between reading and writing
        guide.title = "Another title"
        return guide

    with pytest.raises(GuideError, match="changed by another program while vsop was changing it"):
        rewrite_guide(guide_file, changed_meanwhile)
    assert guide_file.read_text(encoding="utf-8") == by_hand


def test_a_writer_waits_for_the_lock(tmp_path: Path) -> None:
    library = small_library(tmp_path / "lib", 1)
    guide_file = library / "guides" / "g-1" / "guide.yml"
    reviewed = threading.Event()
    with guides_locked(library):
        review = threading.Thread(target=lambda: (main(["review", str(guide_file.parent)]), reviewed.set()))
        review.start()
        assert not reviewed.wait(0.5)  # the review waits while another command writes
        assert load_guide(guide_file).reviewed is None
    review.join(30)
    assert reviewed.is_set() and load_guide(guide_file).reviewed is not None


# 10 and 17. Two generates of one title at once; what generate says ---------------------------------------


@pytest.mark.ocr
def test_two_generates_of_one_title_at_once_both_make_a_guide(tmp_path: Path, recordings: Path) -> None:
    need("tesseract")
    library = tmp_path / "lib"
    init_library(library)
    (library / "valuestream.yml").write_text(ONE_STAGE, encoding="utf-8")  # no rule links the recording
    recording = tmp_path / "rec"
    shutil.copytree(recordings / SHORT, recording)
    meta = json.loads((recording / "meta.json").read_text(encoding="utf-8"))
    del meta["stage"]
    (recording / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    command = [sys.executable, "-m", "generator.cli", "generate", str(recording), "--library", str(library)]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    made = sorted(Path(out.strip()).name for out, _err in outputs)
    assert made == [SHORT_ID, f"{SHORT_ID}-2"]
    assert [whole(library / "guides" / name).id for name in made] == made
    assert hidden(library) == []
    said = "".join(err for _out, err in outputs)
    original = library / "guides" / SHORT_ID
    assert f"note: {SHORT_ID}-2 is a new guide: {SHORT_ID} has the same title" in said
    assert f"vsop update {original} {recording}" in said
    assert said.count("note: linked to no stage of the value stream") == 2
    assert f"vsop stage {SHORT_ID} STAGE --library {library} (stages: run)" in said


def test_status_says_how_to_link_a_guide_linked_to_no_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = small_library(tmp_path / "lib", 2)
    assert main(["stage", str(library / "guides" / "g-2"), "customer-inquiry"]) == 0
    capsys.readouterr()
    assert main(["status", str(library), "--date", DAY]) == 0
    said = capsys.readouterr().err
    assert "note: linked to no stage of the value stream: g-1; link one with vsop stage g-1 STAGE" in said
    assert f"--library {library} (stages: customer-inquiry, needs-assessment," in said
    assert "g-2" not in said
