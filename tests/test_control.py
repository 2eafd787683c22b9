"""Document control (issue 15): `vsop approve`, `vsop retire`, `vsop status --fail-on`, document numbers, and
the site that publishes approved versions (drafts with `--drafts`), on the real new-lead recordings of the
sample app in a git library; the site in headless Chromium."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.errors import ValueStreamError
from generator.guide.control import control_view, fingerprint
from generator.guide.model import Approval, Control, Retirement
from generator.guide.numbering import next_number, pattern_problem
from generator.guide.store import load_guide, save_guide
from generator.library.control import guide_control
from generator.library.layout import GUIDE_FILE
from generator.library.numbers import given_numbers
from generator.publish import build_site
from generator.sample.scenarios import NEW_LEAD, NEW_LEAD_V2
from generator.valuestream.store import load_settings
from tests.conftest import CHROMIUM_FLAGS, chromium_binary, need
from tests.sitelib import VALUESTREAM_YML, add_guide, serve_folder
from tests.test_update import git, make_v1

GUIDE = "record-a-new-lead"
PAGE = f"guides/{GUIDE}/index.html"
NONE = "\u2013"  # a cell with nothing to show


def nameless_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No git user.name anywhere: neither the user's nor the system's configuration."""
    empty = tmp_path / "gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def small_library(tmp_path: Path) -> Path:
    library = tmp_path / "lib"
    add_guide(library, "one", "Guide one", "inquiry", approved=False)
    add_guide(library, "two", "Guide two", "delivery", approved=False)
    (library / "valuestream.yml").write_text(VALUESTREAM_YML)
    (library / "vsop.yml").write_text("number_pattern: SOP-{stream}-{n:03}\n")
    return library


# The model -------------------------------------------------------------------------------------------------


def test_status_follows_the_approvals_and_an_edit_makes_a_draft(tmp_path: Path) -> None:
    folder = add_guide(tmp_path / "lib", "g", "G", "inquiry", approved=False)
    guide = load_guide(folder / GUIDE_FILE)
    assert control_view(guide, "Owner").status == "draft" and control_view(guide, "Owner").owner == "Owner"
    approval = Approval(guide.version, "Dana", "2026-02-01", fingerprint(guide))
    guide.control = Control(number="SOP-001", approvals=[approval])
    view = control_view(guide, "Owner")
    assert (view.status, view.approver, str(view.approved_on), view.number) == (
        "approved",
        "Dana",
        "2026-02-01",
        "SOP-001",
    )
    edited = dataclasses.replace(guide, steps=[dataclasses.replace(guide.steps[0], text="Click **X**.")])
    assert control_view(edited).status == "draft"
    assert control_view(edited).effective == approval  # the approved content stays the one in force
    newer = dataclasses.replace(guide, version="2.0.0")
    assert control_view(newer).status == "draft" and control_view(newer).approver is None
    retired = dataclasses.replace(
        guide, control=dataclasses.replace(guide.control, retired=Retirement("2026-05-01", "Old"))
    )
    assert control_view(retired).status == "retired" and control_view(retired).retired_reason == "Old"
    save_guide(guide, folder / GUIDE_FILE)  # the control block is written and read back as it was
    assert load_guide(folder / GUIDE_FILE).control == guide.control


def test_numbers_follow_the_pattern_and_are_never_given_twice(tmp_path: Path) -> None:
    assert (
        next_number("SOP-{stream}-{n:03}", "sales", "inquiry", ["SOP-sales-002", "SOP-ops-009"])
        == "SOP-sales-003"
    )
    assert next_number("QM-{n}", None, None, []) == "QM-1"
    assert pattern_problem("SOP-{x}-{n}") is not None and pattern_problem("SOP") is not None
    library = small_library(tmp_path)
    assert main(["approve", "one", "--library", str(library), "--by", "Dana", "--date", "2026-02-01"]) == 0
    assert load_guide(library / "guides/one/guide.yml").control.number == "SOP-sales-001"  # type: ignore[union-attr]
    shutil.rmtree(library / "guides" / "one")  # deleted: its number is still taken
    add_guide(library, "three", "Guide three", "proposal", approved=False)
    assert main(["approve", "three", "--library", str(library), "--by", "Dana"]) == 0
    assert load_guide(library / "guides/three/guide.yml").control.number == "SOP-sales-002"  # type: ignore[union-attr]
    assert main(["approve", "two", "--library", str(library), "--by", "Dana"]) == 0
    assert given_numbers(library) == {
        "SOP-sales-001": "one",
        "SOP-sales-002": "three",
        "SOP-fulfillment-001": "two",
    }


def test_a_bad_number_pattern_is_reported_with_its_line(tmp_path: Path) -> None:
    library = small_library(tmp_path)
    (library / "vsop.yml").write_text("site_name: X\nnumber_pattern: SOP-{team}\n")
    with pytest.raises(ValueStreamError, match=r"vsop.yml:2: number_pattern: .*unknown field \{team\}"):
        load_settings(library)


# Bad input -------------------------------------------------------------------------------------------------


def test_approve_without_a_name_a_bad_date_or_an_unknown_guide_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    library = small_library(tmp_path)
    before = (library / "guides/one/guide.yml").read_bytes()
    nameless_git(monkeypatch, tmp_path)
    assert main(["approve", "one", "--library", str(library)]) == 1
    assert "no approver: give one with --by NAME" in capsys.readouterr().err
    assert main(["approve", "one", "--library", str(library), "--by", "  "]) == 1
    assert "no approver" in capsys.readouterr().err
    assert main(["approve", "one", "--library", str(library), "--by", "Dana", "--date", "2026-02-30"]) == 2
    assert "expected a date like 2026-11-22, found '2026-02-30'" in capsys.readouterr().err
    assert main(["approve", "nope", "--library", str(library), "--by", "Dana"]) == 1
    assert "no guide with id 'nope'; guides here: one, two" in capsys.readouterr().err
    assert main(["retire", "one", "--library", str(library)]) == 2  # --reason is required
    assert main(["retire", "one", "--library", str(library), "--reason", " "]) == 1
    assert "no reason" in capsys.readouterr().err
    assert (library / "guides/one/guide.yml").read_bytes() == before  # nothing was written
    assert not (library / "numbers.yml").exists()


def test_approving_twice_a_retired_guide_or_back_in_time_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = small_library(tmp_path)
    lib = ["--library", str(library), "--by", "Dana"]
    assert main(["approve", "one", *lib, "--date", "2026-03-01"]) == 0
    assert main(["approve", "one", *lib]) == 1
    assert "version 1.0.0 was approved by Dana on 2026-03-01 already" in capsys.readouterr().err
    guide_file = library / "guides/one/guide.yml"
    guide = load_guide(guide_file)
    guide.title = "Guide one, edited"  # an edit: a draft again
    save_guide(guide, guide_file)
    assert guide_control(guide_file).status == "draft"
    assert main(["approve", "one", *lib, "--date", "2026-02-01"]) == 1
    assert "before the latest approval" in capsys.readouterr().err
    assert (
        main(["retire", "one", "--library", str(library), "--reason", "Replaced", "--date", "2026-04-01"])
        == 0
    )
    assert main(["approve", "one", *lib]) == 1
    assert "retired on 2026-04-01 (Replaced)" in capsys.readouterr().err


def test_status_lists_drafts_and_retired_and_gates_ci(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = small_library(tmp_path)
    assert main(["approve", "one", "--library", str(library), "--by", "Dana", "--date", "2026-02-01"]) == 0
    capsys.readouterr()
    assert main(["status", str(library), "--date", "2026-02-02"]) == 0  # default: overdue only
    out = capsys.readouterr().out
    assert "draft awaiting approval: two 1.0.0 (vsop approve two)" in out and "approval: one" not in out
    assert main(["status", str(library), "--date", "2026-02-02", "--fail-on", "draft,overdue"]) == 1
    assert "draft awaiting approval: two 1.0.0" in capsys.readouterr().err
    assert main(["retire", "two", "--library", str(library), "--reason", "Old CRM"]) == 0
    capsys.readouterr()
    assert main(["status", str(library), "--date", "2026-02-02", "--fail-on", "draft"]) == 0
    assert "retired: two (no number)" in capsys.readouterr().out
    assert main(["status", str(library), "--fail-on", "drafts"]) == 2
    assert "unknown 'drafts'" in capsys.readouterr().err


# The whole cycle on real guides, and the site ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Sites:
    """The sites of the new-lead library at each point of its cycle, and what vsop printed."""

    library: Path
    draft_in_force: Path  # 1.0.0 approved, 2.0.0 made by vsop update: the default site
    draft_shown: Path  # the same with --drafts
    both_approved: Path  # 2.0.0 approved too
    retired: Path


def built(library: Path, out: Path, drafts: bool = False) -> Path:
    result = build_site(library, out, drafts=drafts)
    assert result.ok, result.failures
    return result.out


def commit(library: Path, message: str) -> None:
    git(library, "add", "-A", "guides", "numbers.yml", "vsop.yml")
    git(library, "commit", "-q", "-m", message)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, recordings: Path) -> Sites:
    library = tmp_path_factory.mktemp("lib")
    folder = make_v1(library, recordings / NEW_LEAD.id)
    (library / "vsop.yml").write_text("site_name: Acme SOPs\nnumber_pattern: SOP-{stream}-{n:03}\n")
    never = built(library, tmp_path_factory.mktemp("never") / "site")
    assert not (never / PAGE).exists()  # never approved: not published
    assert main(["approve", GUIDE, "--library", str(library), "--date", "2026-03-01"]) == 0  # git's name
    commit(library, "Approve 1.0.0")
    assert main(["update", str(folder), str(recordings / NEW_LEAD_V2.id)]) == 0
    guide = load_guide(folder / GUIDE_FILE)
    assert guide.version == "2.0.0" and guide_control(folder / GUIDE_FILE).status == "draft"
    assert guide.control is not None and guide.control.number == "SOP-sales-001"  # kept by the update
    commit(library, "Record a new lead 2.0.0")
    draft_in_force = built(library, tmp_path_factory.mktemp("a") / "site")
    draft_shown = built(library, tmp_path_factory.mktemp("b") / "site", drafts=True)
    args = ["--library", str(library), "--by", "Dana Approver", "--date", "2026-04-01"]
    assert main(["approve", GUIDE, *args]) == 0
    commit(library, "Approve 2.0.0")
    both_approved = built(library, tmp_path_factory.mktemp("c") / "site")
    reason = ["--reason", "Replaced by the web form", "--date", "2026-05-01"]
    assert main(["retire", GUIDE, "--library", str(library), *reason]) == 0
    retired = built(library, tmp_path_factory.mktemp("d") / "site")
    return Sites(library, draft_in_force, draft_shown, both_approved, retired)


def test_the_cycle_is_recorded_in_guide_yml(sites: Sites) -> None:
    guide = load_guide(sites.library / "guides" / GUIDE / GUIDE_FILE)
    assert guide.control is not None
    approvals = [(a.version, a.by, a.date) for a in guide.control.approvals]
    assert approvals == [("1.0.0", "Pat Example", "2026-03-01"), ("2.0.0", "Dana Approver", "2026-04-01")]
    assert guide.control.retired == Retirement("2026-05-01", "Replaced by the web form")
    assert [s.note for s in guide.steps if s.note]  # the person's note survived the update too


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    need(chromium_binary())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=shutil.which(chromium_binary()), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def control_table(page: object) -> dict[str, str]:
    rows = page.locator(".vsop-control tr").all_inner_texts()
    return dict(tuple(cell.strip() for cell in row.split("\t", 1)) for row in rows)  # type: ignore[misc]


@contextmanager
def opened(browser: object, site: Path, path: str) -> Iterator[tuple[Any, list[str]]]:
    """The page ``path`` of ``site`` in Chromium, and the addresses that failed to load."""
    failed: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    with serve_folder(site) as url:
        page.goto(url + path, wait_until="networkidle")
        page.wait_for_selector("article")
        yield page, failed
    context.close()


@pytest.mark.browser
@pytest.mark.ocr
def test_the_default_site_shows_the_approved_version_while_the_new_one_is_a_draft(
    sites: Sites, browser: object
) -> None:
    with opened(browser, sites.draft_in_force, PAGE) as (page, failed):
        table = control_table(page)
        text = page.locator("article").inner_text()
    assert table["Document"] == "SOP-sales-001" and table["Version"] == "1.0.0"
    assert (table["Status"], table["Approved by"], table["Effective"]) == (
        "Approved",
        "Pat Example",
        "2026-03-01",
    )
    assert table["Next review"] != NONE and table["Owner"]
    assert "Draft, not approved" not in text
    assert "Subscribe to newsletter" in text and "Job title" not in text  # the content of 1.0.0
    assert failed == []
    with opened(browser, sites.draft_in_force, "coverage.html") as (cov, _):
        drafts = cov.locator("article").inner_text().split("Drafts awaiting approval", 1)[1]
    assert (
        f"Record a new lead ({GUIDE}), version 2.0.0, SOP-sales-001: version 1.0.0 stays in force" in drafts
    )


@pytest.mark.browser
@pytest.mark.ocr
def test_the_drafts_site_shows_the_draft_under_its_banner(sites: Sites, browser: object) -> None:
    with opened(browser, sites.draft_shown, PAGE) as (page, failed):
        banner = page.locator(".admonition.danger")
        assert banner.count() == 1 and "Draft, not approved" in banner.inner_text()
        assert "The approved version in force is 1.0.0" in banner.inner_text()
        table = control_table(page)
        text = page.locator("article").inner_text()
        history = page.locator("table", has_text="Summary").inner_text()
    assert (table["Version"], table["Status"], table["Approved by"]) == ("2.0.0", "Draft, not approved", NONE)
    assert "Job title" in text
    assert "Pat Example, 2026-03-01" in history  # who approved which version, in the revision history
    assert failed == []


@pytest.mark.browser
@pytest.mark.ocr
def test_an_approved_update_supersedes_the_earlier_version(sites: Sites, browser: object) -> None:
    with opened(browser, sites.both_approved, PAGE) as (page, failed):
        table = control_table(page)
        assert page.locator(".admonition.danger").count() == 0
    assert (table["Version"], table["Status"], table["Approved by"], table["Effective"]) == (
        "2.0.0",
        "Approved",
        "Dana Approver",
        "2026-04-01",
    )
    with opened(browser, sites.both_approved, f"guides/{GUIDE}/v/1.0.0/index.html") as (old, old_failed):
        warning = old.locator(".admonition.warning", has_text="Superseded").inner_text()
        table = control_table(old)
        images = old.eval_on_selector_all("article img", "imgs => imgs.map(i => i.naturalWidth > 0)")
    assert "superseded by version 2.0.0" in warning
    assert (table["Status"], table["Approved by"], table["Version"]) == ("Superseded", "Pat Example", "1.0.0")
    assert images and all(images)
    assert failed == [] and old_failed == []


@pytest.mark.browser
@pytest.mark.ocr
def test_a_retired_guide_is_off_the_active_pages_and_listed_as_retired(sites: Sites, browser: object) -> None:
    assert not (sites.retired / PAGE).exists()
    assert (sites.library / "guides" / GUIDE / GUIDE_FILE).is_file()  # kept in the library
    stage = (sites.retired / "stages" / f"{NEW_LEAD.stage}.html").read_text()
    assert "Record a new lead" not in stage
    with opened(browser, sites.retired, "coverage.html") as (page, failed):
        retired = page.locator("article").inner_text().split("Retired SOPs", 1)[1]
    expected = f"Record a new lead ({GUIDE}), SOP-sales-001: retired on 2026-05-01, Replaced by the web form"
    assert expected in retired and failed == []


def test_the_editor_shows_the_status_and_cannot_approve(tmp_path: Path) -> None:
    from generator.edit.ops import OPS
    from generator.edit.page import render_page

    folder = add_guide(tmp_path / "lib", "g", "G", "inquiry")
    html = render_page(load_guide(folder / GUIDE_FILE), folder / GUIDE_FILE, "t", False, None)
    assert "Approved as SOP-g by Test approver on 2026-01-01" in html
    assert not any("approv" in op for op in OPS)
