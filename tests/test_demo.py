"""`vsop demo`: the sample library from the shipped recordings (real tesseract), its site, a re-run, a folder
it must not touch, the live re-recording on Xvfb, and serving until Ctrl+C."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.cli import main
from generator.guide.store import load_guide
from generator.library.layout import GUIDE_FILE, GUIDES_DIR, slugify
from generator.sample.check import score
from generator.sample.demo import make_demo_library
from generator.sample.scenarios import SCENARIOS, Scenario, by_id
from generator.valuestream.store import load_valuestream
from tests.conftest import chromium_binary, need

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """``vsop demo --no-serve`` run once: the library and the site folder it printed."""
    need("tesseract")
    library = tmp_path_factory.mktemp("demo") / "vsop-demo"
    site = _run_demo(["--library", str(library)])
    return library, site


def _run_demo(args: list[str]) -> Path:
    """``vsop demo --no-serve ARGS`` through ``main``; the site folder it printed last."""
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["demo", "--no-serve", *args])
    assert code == 0, out.getvalue()
    return Path(out.getvalue().strip().splitlines()[-1])


def _guide_files(library: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in sorted((library / GUIDES_DIR).rglob("*")) if p.is_file()}


def _assert_guide(library: Path, scenario: Scenario) -> None:
    folder = library / GUIDES_DIR / slugify(scenario.title)
    guide = load_guide(folder / GUIDE_FILE)
    assert (guide.id, guide.title, guide.stage) == (folder.name, scenario.title, scenario.stage)
    assert len([s for s in guide.steps if s.dropped is None]) == len(scenario.steps), scenario.id
    result = score(scenario.steps, guide)
    assert result.diff == (), "\n".join(result.diff)
    assert all((folder / s.image).is_file() for s in guide.steps if s.image)


@pytest.mark.ocr
def test_demo_makes_a_guide_of_every_sample_recording_and_builds_the_site(
    demo_library: tuple[Path, Path],
) -> None:
    library, site = demo_library
    guides = sorted(p.parent.name for p in (library / GUIDES_DIR).glob(f"*/{GUIDE_FILE}"))
    assert guides == sorted(slugify(s.title) for s in SCENARIOS)
    assert len(guides) >= 5
    for scenario in SCENARIOS:
        _assert_guide(library, scenario)
    covered = {s.stage for s in SCENARIOS}
    for stream in load_valuestream(library).streams:
        assert covered & {stage.id for stage in stream.stages}, f"no demo guide in {stream.name}"
    assert (library / "valuestream.yml").is_file()
    assert (site / "index.html").is_file()


@pytest.mark.ocr
def test_a_second_run_is_quick_and_keeps_every_guide(demo_library: tuple[Path, Path]) -> None:
    library, _site = demo_library
    before = _guide_files(library)
    valuestream = (library / "valuestream.yml").read_bytes()
    started = time.monotonic()
    folders = make_demo_library(library)
    elapsed = time.monotonic() - started
    assert elapsed < 2.0, f"the second run took {elapsed:.1f} s: it should keep the guides, not remake them"
    assert [f.name for f in folders] == [slugify(s.title) for s in SCENARIOS]
    assert _guide_files(library) == before
    assert (library / "valuestream.yml").read_bytes() == valuestream
    site = _run_demo(["--library", str(library)])  # the whole command too
    assert _guide_files(library) == before
    assert (site / "index.html").is_file()


def test_a_folder_that_is_not_a_library_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "thesis.txt").write_text("mine", encoding="utf-8")
    assert main(["demo", "--no-serve", "--library", str(tmp_path)]) != 0
    err = capsys.readouterr().err
    assert "not a vsop library" in err and str(tmp_path) in err and "--library" in err
    assert [p.name for p in tmp_path.iterdir()] == ["thesis.txt"]
    afile = tmp_path / "thesis.txt"
    assert main(["demo", "--no-serve", "--library", str(afile)]) != 0
    assert afile.read_text(encoding="utf-8") == "mine"


def test_an_unknown_scenario_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--no-serve", "--library", str(tmp_path / "lib"), "--scenario", "nope"]) != 0
    assert "sign-in" in capsys.readouterr().err
    assert not (tmp_path / "lib").exists()


def test_live_without_its_tools_says_what_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "xdotool" else which(name))
    assert main(["demo", "--live", "--no-serve", "--library", str(tmp_path / "lib")]) == 4
    assert "apt-get install xdotool" in capsys.readouterr().err
    assert not (tmp_path / "lib").exists()


@pytest.mark.gui
@pytest.mark.ocr
@pytest.mark.browser
def test_live_records_the_scenarios_again_and_makes_their_guides(tmp_path: Path) -> None:
    need("Xvfb", "openbox", "xdotool", "tesseract", "mousepad")
    chromium_binary()
    library = tmp_path / "live"
    chosen = [by_id("sign-in"), by_id("delivery-note")]  # both apps: Chromium and mousepad
    args = ["--library", str(library), "--live"]
    site = _run_demo([*args, *(a for s in chosen for a in ("--scenario", s.id))])
    for scenario in chosen:
        assert (library / "recordings" / scenario.id / "meta.json").is_file()
        _assert_guide(library, scenario)
        guide = load_guide(library / GUIDES_DIR / slugify(scenario.title) / GUIDE_FILE)
        assert guide.recorded["recording"] == f"recordings/{scenario.id}"  # relative to the library
    made = sorted(p.name for p in (library / GUIDES_DIR).iterdir())
    assert made == sorted(slugify(s.title) for s in chosen)
    assert (site / "index.html").is_file()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            status: int = response.status
            return status
    except (urllib.error.URLError, OSError):
        return None


@pytest.mark.ocr
def test_demo_serves_the_site_until_ctrl_c(demo_library: tuple[Path, Path], tmp_path: Path) -> None:
    library = tmp_path / "served"
    shutil.copytree(demo_library[0], library)  # warm: guides there already
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "generator.cli", "demo", "--library", str(library), "--port", str(port)]
    proc = subprocess.Popen(argv, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        status = None
        while status != 200 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.5)
            status = _get(f"http://127.0.0.1:{port}/")
        assert status == 200, f"no answer on port {port}: exit code {proc.poll()}"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert f"http://127.0.0.1:{port}/" in out.decode()
    assert _get(f"http://127.0.0.1:{port}/") is None
