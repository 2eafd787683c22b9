"""The SOP site without a browser: metrics, incremental rendering, bad guides, escaping in the built HTML of
both engines, and `vsop serve` answering with live changes."""

from __future__ import annotations

import datetime
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import SiteError
from generator.guide.model import Guide, LibrarySettings, Revision
from generator.guide.store import load_guide, save_guide
from generator.library.control import approve_guide
from generator.library.review import is_overdue
from generator.library.scan import Entry
from generator.maturity.observed import ScreenTime, screen_time
from generator.publish import build_site
from generator.publish.flow import stage_flows, totals
from generator.publish.metrics import coverage, overall_coverage, stage_metrics
from generator.publish.project import write_project
from tests.sitelib import HOSTILE, SETTINGS, VALUESTREAM, add_guide, hostile_library

TODAY = datetime.date(2026, 11, 22)


def _guide(stage: str | None = "inquiry", durations: tuple[float | None, ...] = (), **kw: object) -> Guide:
    revisions = [Revision(f"1.{i}.0", "2026-06-01", "r", duration_s=d) for i, d in enumerate(durations)]
    return Guide("g", "G", stage, "1.0.0", None, {"duration_s": 30.0}, [], revisions, **kw)  # type: ignore[arg-type]


def test_time_at_the_screen_without_runs_is_the_median_of_the_recordings() -> None:
    assert screen_time(_guide(durations=(10.0, 50.0, 20.0)), ()) == ScreenTime(20.0, recordings=3)
    assert screen_time(_guide(durations=(10.0, None, 20.0)), ()) == ScreenTime(15.0, recordings=2)
    assert screen_time(_guide(durations=(None,)), ()) == ScreenTime(30.0, recordings=1)
    assert screen_time(Guide("g", "G", None, "1.0.0", None, {}, []), ()) is None


def test_review_is_due_after_the_last_review_or_revision() -> None:
    settings = LibrarySettings()
    assert not is_overdue(_guide(durations=(1.0,)), settings, TODAY)  # revised 2026-06-01
    assert is_overdue(_guide(durations=(1.0,), review_every="90d"), settings, TODAY)
    assert not is_overdue(
        _guide(durations=(1.0,), review_every="90d", reviewed="2026-10-01"), settings, TODAY
    )
    assert is_overdue(_guide(durations=(1.0,)), LibrarySettings(review_every=30 * 86400.0), TODAY)
    assert not is_overdue(_guide(), settings, TODAY)  # no date at all: nothing to measure from


def test_stage_metrics_screen_time_and_coverage() -> None:
    guides = [
        _guide("inquiry", (60.0,)),
        _guide("inquiry", (30.0, 90.0)),
        _guide("delivery", (120.0,), review_every="30d"),
        _guide(None, (500.0,)),
    ]
    entries = [Entry(Path(f"guides/g{i}"), g, "") for i, g in enumerate(guides)]
    metrics = stage_metrics(VALUESTREAM, entries, SETTINGS, TODAY)
    assert [m.stage.id for m in metrics] == ["inquiry", "proposal", "delivery"]
    assert [m.status for m in metrics] == ["sop", "none", "overdue"]
    assert [m.screen for m in metrics] == [
        ScreenTime(120.0, recordings=3, guides=2),
        None,
        ScreenTime(120.0, recordings=1),
    ]
    sales, fulfillment = (coverage(s, metrics) for s in VALUESTREAM.streams)
    assert (sales.documented, sales.total, sales.percent) == (1, 2, 50.0)
    assert (fulfillment.documented, fulfillment.total, fulfillment.percent) == (1, 1, 100.0)
    assert overall_coverage(metrics).percent == pytest.approx(200 / 3)
    # the site library declares no process_time: lead time and efficiency are unknown, not 0
    all_streams = totals("All", stage_flows(VALUESTREAM))
    assert all_streams.lead_s is None and all_streams.efficiency is None
    assert all_streams.no_process == tuple(s.name for s in VALUESTREAM.stages)


def test_rebuilding_after_one_change_renders_only_what_depends_on_it(tmp_path: Path) -> None:
    lib = hostile_library(tmp_path / "lib")
    first = write_project(lib, VALUESTREAM, SETTINGS, today=TODAY)
    docs = first.path / "docs"
    assert "guides/two/index.md" in first.rendered and not first.reused
    assert [f.path.parent.name for f in first.failures] == ["bad"]
    assert not (docs / "guides" / "bad").exists()
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*.md")}

    again = write_project(lib, VALUESTREAM, SETTINGS, today=TODAY)
    assert again.rendered == ()
    assert {p: p.stat().st_mtime_ns for p in docs.rglob("*.md")} == before

    guide_file = lib / "guides" / "two" / "guide.yml"
    guide = load_guide(guide_file)
    guide.title = "Second guide, changed"
    save_guide(guide, guide_file)
    approve_guide(guide_file, "Test approver")  # the changed guide is a draft until approved again
    image = lib / "guides" / "one" / "images" / "s-1.png"
    image.write_bytes((lib / "guides" / "one" / "images" / "s-0.png").read_bytes())
    changed = write_project(lib, VALUESTREAM, SETTINGS, today=TODAY)
    assert "guides/two/index.md" in changed.rendered
    assert {"guides/one/index.md", "guides/three/index.md", "guides/four/index.md"} <= set(changed.reused)
    for page in ("one", "three", "four"):
        path = docs / "guides" / page / "index.md"
        assert path.stat().st_mtime_ns == before[path]
    assert "Second guide, changed" in (docs / "guides" / "two" / "index.md").read_text()
    assert (docs / "guides" / "one" / "images" / "s-1.png").read_bytes() == image.read_bytes()

    for path in (lib / "guides" / "three").rglob("*"):
        if path.is_file():
            path.unlink()
    gone = write_project(lib, VALUESTREAM, SETTINGS, today=TODAY)
    assert "guides/three/index.md" in gone.removed and "guides/three/images/s-0.png" in gone.removed
    assert not (docs / "guides" / "three").exists()
    assert "guides/three/index.md" not in (first.path / "mkdocs.yml").read_text()


def test_a_guide_with_a_missing_image_is_left_out(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    add_guide(lib, "fine", "Fine", "inquiry")
    add_guide(lib, "holed", "Holed", "inquiry")
    (lib / "guides" / "holed" / "images" / "s-1.png").unlink()
    result = write_project(lib, VALUESTREAM, SETTINGS, today=TODAY)
    assert [f.path for f in result.failures] == [lib / "guides" / "holed" / "guide.yml"]
    assert "step s-1: image images/s-1.png is missing" in result.failures[0].message
    assert result.guides == 1


class _Elements(HTMLParser):
    """Every element with its attributes, the text of the page, and the code of its inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = ""

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append(data)
        elif self._in not in ("title", "style"):
            self.text.append(data)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_hostile_text_is_text_on_every_page_and_bad_guides_are_listed(
    tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = hostile_library(tmp_path / "lib")
    out = tmp_path / "site"
    code = main(["build", str(lib), "--out", str(out), "--engine", engine])
    assert code == 1
    err = capsys.readouterr().err
    assert "1 guide(s) left out" in err and str(lib / "guides" / "bad" / "guide.yml") in err
    pages = sorted(out.rglob("*.html"))
    names = {p.relative_to(out).as_posix() for p in pages}
    assert {"index.html", "coverage.html", "stages/inquiry.html", "guides/one/index.html"} <= names
    for page in pages:
        parsed = _Elements()
        parsed.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parsed.elements:
            assert "onerror" not in attrs, f"{page}: <{tag} {attrs}>"
            assert not (tag == "script" and "alert" in (attrs.get("src") or "")), page
        assert not any("alert(" in code for code in parsed.scripts), f"{page}: a script from a name"
        text = "".join(parsed.text)
        assert "alert(2)" not in text or "</title><script>alert(2)</script>" in text
        if page.name != "404.html":
            assert HOSTILE in text, f"{page}: the hostile name is not shown as text"
    home = _Elements()
    home.feed((out / "index.html").read_text(encoding="utf-8"))
    assert f"Inquiry {HOSTILE}" in "".join(home.text)


def _text_of(path: Path) -> str:
    parsed = _Elements()
    parsed.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parsed.text).split())


def test_pages_show_the_map_stages_coverage_and_breadcrumbs(tmp_path: Path) -> None:
    lib = hostile_library(tmp_path / "lib")
    result = build_site(lib, tmp_path / "site")
    out = result.out
    home = _text_of(out / "index.html")
    assert "Sales" in home and "Fulfillment" in home
    assert "wait 4 h Inquiry" in home and "work not declared 2 SOPs at the screen 1 min 20 s" in home
    assert "wait 1 d Proposal Level 1 Ad hoc work not declared 0 SOPs not observed yet" in home
    assert "review overdue" in home and "Process cycle efficiency needs the lead time" in home
    assert "0.00 %" not in home and "Lead time declare process_time for" in home
    stage = _text_of(out / "stages" / "inquiry.html")
    assert f"Owner {HOSTILE}" in stage and f"Purpose {HOSTILE}" in stage
    assert "Second guide (review overdue) 2 40 s (median of 1 recording) 1.0.0 2020-01-01" in stage
    assert "review Second guide : overdue since 2020-12-31" in stage
    assert "vsop stage guides/<id> --confirm" in stage and "Next stage: Proposal" in stage
    cov = _text_of(out / "coverage.html")
    assert "33 % of the expected processes are documented (1 of 3)" in cov
    assert "Unknown stage ( four ): stage nope" in cov.replace("(four)", "( four )")
    guide = (out / "guides" / "one" / "index.html").read_text()
    assert 'href="../../stages/inquiry.html"' in guide and 'href="../../index.html"' in guide
    assert '<a href="images/s-0-full.png"><img' in guide  # click to enlarge: the full frame
    assert "Edit this guide" not in guide and "/edit/" not in guide  # only vsop serve links to the editor
    two = (out / "guides" / "two" / "index.html").read_text()
    assert '<a href="images/s-0.png"><img' in two  # no full frame: the image itself
    config = (result.project.path / "mkdocs.yml").read_text()
    assert "font: false" in config and "strict: true" in config and "http" not in config


def test_the_output_folder_may_not_hold_the_library(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    add_guide(lib, "fine", "Fine", "inquiry")
    for out in (lib, tmp_path, lib / "guides" / "site"):
        with pytest.raises(SiteError, match="choose another --out"):
            build_site(lib, out)


def test_a_strict_engine_failure_is_an_error(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    add_guide(lib, "fine", "Fine", "inquiry")
    guide = load_guide(lib / "guides" / "fine" / "guide.yml")
    guide.purpose = "See [the other guide](../missing/index.md)."
    save_guide(guide, lib / "guides" / "fine" / "guide.yml")
    with pytest.raises(SiteError, match=r"missing/index\.md"):
        build_site(lib, tmp_path / "site", drafts=True)  # the edit made the guide a draft


# vsop serve ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Callable[[Path, str], str]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(library: Path, engine: str) -> str:
        port = free_port()
        argv = [sys.executable, "-m", "generator.cli", "serve", str(library), "--port", str(port)]
        with (tmp_path / f"serve-{engine}.log").open("wb") as log:
            argv += ["--engine", engine]
            proc = subprocess.Popen(argv, stdout=log, stderr=log, start_new_session=True)
        started.append(proc)
        return f"http://127.0.0.1:{port}/"

    yield start
    for proc in started:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_serve_answers_and_shows_a_changed_title(
    tmp_path: Path, engine: str, serving: Callable[[Path, str], str]
) -> None:
    lib = tmp_path / "lib"
    add_guide(lib, "fine", "First title", "inquiry")
    base = serving(lib, engine)
    page = base + "guides/fine/index.html"
    wait_for(lambda: "First title" in (fetch(page) or ""), 60, f"{page} to be served")
    guide_file = lib / "guides" / "fine" / "guide.yml"
    guide = load_guide(guide_file)
    guide.title = "Second title"
    save_guide(guide, guide_file)
    wait_for(lambda: "Second title" in (fetch(page) or ""), 60, "the changed title to be served")
