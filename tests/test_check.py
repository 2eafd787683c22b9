"""`vsop check` on real recordings: the new-lead guide (made from the shipped recording of the sample
scenario) checked against runs of the same process recorded for real on Xvfb by the driver
(tests/fixtures/recordings/new-lead-*: performed again as written, the newsletter step skipped, an extra
click, 8 s pauses, another contact name and two fields swapped); the run records written; the guide page's
observed runs on the built site; a run record edited into an invalid state. The first tests record three
runs live on Xvfb, one each (side by side under pytest-xdist), and check them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from capture import load_recording
from generator.cli import main
from generator.guide.store import load_guide
from generator.library.layout import GUIDE_FILE
from generator.library.scaffold import init_library
from generator.pipeline.generate import Options, generate
from generator.publish import build_site
from generator.runs.models import Run
from generator.runs.store import load_run, load_runs
from generator.sample.driver.completeness import problems
from generator.sample.scenarios import (
    NEW_LEAD,
    NEW_LEAD_AGAIN,
    NEW_LEAD_DIFFERENTLY,
    NEW_LEAD_EXTRA,
    NEW_LEAD_SKIPPED,
    NEW_LEAD_SLOWER,
    RUNS,
    Scenario,
)
from tests.conftest import chromium_binary, need
from tests.once import made_once

pytestmark = pytest.mark.ocr
FIXTURES = Path(__file__).parent / "fixtures" / "recordings"
WHO = "Pat Example"
# run -> (exit code with --min 0.9, conformance, deviations as (kind, number of the guide step)); an extra
# step is numbered by the guide step done before it
EXPECTED: dict[str, tuple[int, float, list[tuple[str, int]]]] = {
    NEW_LEAD_AGAIN.id: (0, 1.0, []),
    NEW_LEAD_SKIPPED.id: (0, 0.9, [("skipped", 8)]),
    NEW_LEAD_EXTRA.id: (0, 10 / 11, [("extra", 5)]),
    NEW_LEAD_SLOWER.id: (0, 1.0, [("slow", 6), ("slow", 9)]),
    NEW_LEAD_DIFFERENTLY.id: (1, 0.8, [("wrong_value", 3), ("out_of_order", 5)]),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def make_guide(library: Path, recording: Path) -> Path:
    need("tesseract")
    init_library(library)
    return generate(recording, library, Options(title="Record a new lead", stage=NEW_LEAD.stage))


def deviations(folder: Path, run: Run) -> list[tuple[str, int]]:
    numbers = {s.id: n for n, s in enumerate(load_guide(folder / GUIDE_FILE).steps, start=1)}
    return [(d.kind, numbers[d.step]) for d in run.deviations]


@pytest.fixture(scope="session")
def new_lead_library(tmp_path_factory: pytest.TempPathFactory, recordings: Path) -> Path:
    """A library with the new-lead guide alone, made once per test run for every worker: a test copies it
    (``copied_guide``) and never changes it in place."""
    return made_once(
        tmp_path_factory, "new-lead-library", lambda lib: make_guide(lib, recordings / NEW_LEAD.id)
    )


def copied_guide(library: Path, target: Path) -> Path:
    """``library`` copied to ``target``; returns its one guide's folder, the copy's own to check runs in."""
    shutil.copytree(library, target)
    (folder,) = (target / "guides").iterdir()
    return folder


@pytest.fixture(scope="module")
def checked(
    tmp_path_factory: pytest.TempPathFactory, new_lead_library: Path
) -> tuple[Path, dict[str, tuple[int, Path]]]:
    """The guide checked against each run in turn with ``vsop check``: run id -> (exit code, its record)."""
    folder = copied_guide(new_lead_library, tmp_path_factory.mktemp("checked") / "lib")
    found: dict[str, tuple[int, Path]] = {}
    for scenario in RUNS:
        before = set((folder / "runs").glob("*.yml"))
        code = main(["check", str(folder), str(FIXTURES / scenario.id), "--who", WHO])
        (record,) = set((folder / "runs").glob("*.yml")) - before
        found[scenario.id] = code, record
    return folder, found


# The runs recorded live: run -> the deviations the check must find. Beyond them, only NOISE: step 7 is found
# on the screen by the driver's OCR, as long as the machine's load makes it take.
LIVE: dict[str, list[tuple[str, int]]] = {
    NEW_LEAD_SKIPPED.id: [("skipped", 8)],
    NEW_LEAD_EXTRA.id: [("extra", 5)],
    NEW_LEAD_SLOWER.id: [("slow", 6), ("slow", 9)],  # the 8 s pauses
}
NOISE = {("slow", 7)}
LIVE_RUNS = [NEW_LEAD_SKIPPED, NEW_LEAD_EXTRA, NEW_LEAD_SLOWER]


# First in the module: under pytest-xdist (--dist loadgroup) each worker takes one run as its first unit of
# work, and the runs are recorded side by side, each on its own display, before the quick tests.
@pytest.mark.gui
@pytest.mark.browser
@pytest.mark.parametrize("scenario", LIVE_RUNS, ids=[s.id for s in LIVE_RUNS])
def test_a_run_recorded_live_on_xvfb_is_checked_the_same(
    scenario: Scenario, new_lead_library: Path, tmp_path: Path
) -> None:
    """A run performed for real (xdotool in Chromium on Xvfb) while the real recorder runs, then checked."""
    need("Xvfb", "openbox", "xdotool")
    chromium_binary()
    from generator.sample.driver import record_fixtures

    record_fixtures(tmp_path / "rec", [scenario], stored=lambda scenario, path: None)
    folder = copied_guide(new_lead_library, tmp_path / "lib")
    code = main(["check", str(folder), str(tmp_path / "rec" / scenario.id), "--who", WHO, "--min", "0"])
    assert code == 0
    (run,) = load_runs(folder)
    found = deviations(folder, run)
    expected = LIVE[scenario.id]
    assert [d for d in found if d[0] != "slow"] == [d for d in expected if d[0] != "slow"], found
    assert set(expected) <= set(found), found
    assert set(found) - set(expected) <= NOISE, found


@pytest.mark.parametrize("scenario", RUNS, ids=[s.id for s in RUNS])
def test_each_run_fixture_is_a_complete_recording_of_its_scenario(scenario: Scenario) -> None:
    recording = load_recording(FIXTURES / scenario.id)
    assert problems(recording, scenario) == []
    assert (recording.meta.title, recording.meta.stage) == (scenario.title, scenario.stage)
    for path in (FIXTURES / scenario.id).glob("*.json*"):
        assert not re.search(r"/(tmp|home|root|work|Users)/", path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("run_id", list(EXPECTED))
def test_check_reports_exactly_the_deviations_of_each_run(
    checked: tuple[Path, dict[str, tuple[int, Path]]], run_id: str
) -> None:
    folder, found = checked
    code, path = found[run_id]
    run = load_run(path)
    exit_code, conformance, expected = EXPECTED[run_id]
    assert deviations(folder, run) == expected
    assert run.conformance == pytest.approx(conformance, abs=1e-4)
    assert code == exit_code
    assert (run.guide_id, run.guide_version, run.who, run.steps) == (folder.name, "1.0.0", WHO, 10)
    # "-2" after the name for a second record in the same second
    assert re.fullmatch(r"\d{8}T\d{6}Z-pat-example(-\d+)?\.yml", path.name)
    assert path.parent == folder / "runs"
    assert 5 < run.duration_s < (45 if run_id == NEW_LEAD_SLOWER.id else 30)
    if run_id == NEW_LEAD_SLOWER.id:
        assert all(d.seconds is not None and d.seconds >= 8 for d in run.deviations)  # the 8 s pauses
        assert all(d.expected_s is not None and d.expected_s < 3 for d in run.deviations)
    if run_id == NEW_LEAD_EXTRA.id:
        assert run.deviations[0].text == "Click Jordan Smith"
    if run_id == NEW_LEAD_DIFFERENTLY.id:
        assert [d.text for d in run.deviations] == ["Type the text in Contact name", "Type the text in Phone"]


def test_run_records_hold_no_typed_value_and_no_screenshot(
    checked: tuple[Path, dict[str, tuple[int, Path]]],
) -> None:
    folder, found = checked
    typed = {text for scenario in RUNS for text in scenario.typed} | {"Acme Corp", "0100", "jane.doe"}
    for _code, path in found.values():
        text = path.read_text(encoding="utf-8")
        assert not [t for t in typed if t in text], path
        assert ".png" not in text and "image" not in text
    assert len(load_runs(folder)) == len(RUNS)


def test_dry_run_writes_nothing_and_exit_codes_follow_min(
    checked: tuple[Path, dict[str, tuple[int, Path]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, _found = checked
    folder = tmp_path / "lib" / "guides" / source.name
    shutil.copytree(source.parent.parent, tmp_path / "lib")
    before = snapshot(folder)
    skipped = str(FIXTURES / NEW_LEAD_SKIPPED.id)
    assert main(["check", str(folder), skipped, "--dry-run", "--min", "0.95", "--format", "md"]) == 1
    out, err = capsys.readouterr()
    assert "Conformance 90 %: 9 of 10 steps followed, 1 skipped." in out
    assert "| 8 |  | skipped |  |  | Click Subscribe to newsletter |" in out and "Run record" not in out
    assert f"{skipped}: conformance 90% is below the minimum 95% (--min)" in err
    assert main(["check", folder.name, skipped, "--library", str(tmp_path / "lib"), "--dry-run"]) == 0
    assert "conformance 90% (9 of 10 steps followed, 1 skipped)" in capsys.readouterr().out
    assert snapshot(folder) == before
    assert main(["check", str(folder), skipped, "--min", "1.5"]) == 2  # a usage error
    assert snapshot(folder) == before


def test_who_is_the_git_user_of_the_library(
    checked: tuple[Path, dict[str, tuple[int, Path]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    need("git")
    source, _found = checked
    shutil.copytree(source.parent.parent, tmp_path / "lib")
    folder = tmp_path / "lib" / "guides" / source.name
    shutil.rmtree(folder / "runs")
    subprocess.run(["git", "-C", str(tmp_path / "lib"), "init", "-q"], check=True)
    subprocess.run(["git", "-C", str(tmp_path / "lib"), "config", "user.name", "Sam Git"], check=True)
    assert main(["check", str(folder), str(FIXTURES / NEW_LEAD_AGAIN.id), "--format", "md"]) == 0
    assert "run by Sam Git" in capsys.readouterr().out
    (record,) = (folder / "runs").glob("*-sam-git.yml")
    assert load_run(record).who == "Sam Git"


def test_an_invalid_run_record_is_an_error_with_its_line_and_nothing_is_written(
    checked: tuple[Path, dict[str, tuple[int, Path]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, found = checked
    shutil.copytree(source.parent.parent, tmp_path / "lib")
    folder = tmp_path / "lib" / "guides" / source.name
    record = folder / "runs" / found[NEW_LEAD_SKIPPED.id][1].name
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("conformance: 0.9", "conformance: ninety"), encoding="utf-8")
    line = text.splitlines().index("conformance: 0.9") + 1
    before = snapshot(folder)
    assert main(["check", str(folder), str(FIXTURES / NEW_LEAD_AGAIN.id)]) == 1
    err = capsys.readouterr().err
    assert f"{record}:{line}: conformance: expected int or float, found 'ninety'" in err
    assert snapshot(folder) == before  # no run record, no temporary file
    result = build_site(tmp_path / "lib", tmp_path / "site")
    assert [f"{record}:{line}: conformance" in f.message for f in result.failures] == [True]


def test_the_guide_page_of_the_site_shows_the_observed_runs(
    checked: tuple[Path, dict[str, tuple[int, Path]]], tmp_path: Path
) -> None:
    folder, _found = checked
    result = build_site(folder.parent.parent, tmp_path / "site", drafts=True)  # a guide never approved
    assert result.ok, result.failures
    page = (result.out / "guides" / folder.name / "index.html").read_text(encoding="utf-8")
    text = " ".join(page.split())
    assert "Observed runs" in text and "5 runs of this process checked against the guide" in text
    assert "92 %" in text  # (1 + 0.9 + 10/11 + 1 + 0.8) / 5
    cells = re.findall(
        r"<td><strong>(\d+)\.</strong>.*?</td> <td[^>]*>(\d+) of 5</td> <td[^>]*>(\d+) of 5", text
    )
    assert cells == [("8", "1", "0"), ("3", "0", "1"), ("5", "0", "1")]  # skipped, done differently
