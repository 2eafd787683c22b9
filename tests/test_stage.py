"""``vsop stage``: assign a guide to a stage, confirm an automatic link, show the link; unknown stages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.guide.model import Guide, Revision, Step
from generator.guide.store import load_guide, save_guide
from generator.library.scaffold import init_library
from generator.render.guide_page import guide_markdown

EVIDENCE = ['keyword "order" in title "Shop - Orders"']


@pytest.fixture
def guide_dir(tmp_path: Path) -> Path:
    """A library with one guide linked automatically to order-acceptance."""
    folder = tmp_path / "lib" / "guides" / "place-an-order"
    folder.mkdir(parents=True)
    guide = Guide(
        id="place-an-order",
        title="Place an order",
        stage="order-acceptance",
        version="1.0.0",
        purpose=None,
        recorded={},
        steps=[Step("s-0001", "click", "Place order", None, "Shop - Orders", "Click **Place order**.")],
        revisions=[Revision("1.0.0", "2026-11-22", "Recorded")],
        stage_source="auto",
        stage_evidence=list(EVIDENCE),
    )
    save_guide(guide, folder / "guide.yml")
    (folder / "guide.md").write_text(guide_markdown(guide), encoding="utf-8")
    return folder


def test_assign_a_stage(guide_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stage", str(guide_dir), "proposal"]) == 0
    guide = load_guide(guide_dir / "guide.yml")
    assert (guide.stage, guide.stage_source, guide.stage_evidence) == ("proposal", "manual", [])
    assert capsys.readouterr().out == "place-an-order: stage proposal (manual)\n"
    page = (guide_dir / "guide.md").read_text(encoding="utf-8")
    assert page == guide_markdown(guide, enlarge=False) and "proposal" in page
    assert sorted(p.name for p in guide_dir.iterdir()) == ["guide.md", "guide.yml"]  # no temp file left


def test_confirm_an_automatic_link_by_id(guide_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library = guide_dir.parent.parent
    assert main(["stage", "place-an-order", "--library", str(library)]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("place-an-order: stage order-acceptance (auto)\n")
    assert f"  {EVIDENCE[0]}\n" in shown and "--confirm" in shown
    assert main(["stage", "place-an-order", "--confirm", "--library", str(library)]) == 0
    guide = load_guide(guide_dir / "guide.yml")
    assert (guide.stage, guide.stage_source, guide.stage_evidence) == ("order-acceptance", "manual", [])
    assert capsys.readouterr().out == "place-an-order: stage order-acceptance (manual)\n"


def test_unknown_stage_lists_the_ids_and_changes_nothing(
    guide_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {p.name: p.read_bytes() for p in guide_dir.iterdir()}
    assert main(["stage", str(guide_dir / "guide.yml"), "shipping"]) == 1
    err = capsys.readouterr().err
    assert "unknown stage 'shipping'" in err
    sales = "customer-inquiry, needs-assessment, solution-design, proposal, contract, order-acceptance"
    assert f"Sales: {sales}; Fulfillment: project-initiation," in err
    assert "Fulfillment: project-initiation," in err and "customer-delivery" in err
    assert {p.name: p.read_bytes() for p in guide_dir.iterdir()} == before


def test_the_library_value_stream_decides(guide_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library = guide_dir.parent.parent
    (library / "valuestream.yml").write_text(
        "streams:\n  - id: ops\n    name: Ops\n    stages:\n      - {id: run, name: Run}\n", encoding="utf-8"
    )
    assert main(["stage", str(guide_dir), "proposal"]) == 1
    assert "the stages of" in capsys.readouterr().err
    assert main(["stage", str(guide_dir), "--confirm"]) == 1  # order-acceptance is not a stage here
    assert main(["stage", str(guide_dir), "run"]) == 0
    assert load_guide(guide_dir / "guide.yml").stage == "run"


def test_confirm_needs_a_stage_and_not_both(guide_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stage", str(guide_dir), "proposal", "--confirm"]) == 2
    assert "either STAGE or --confirm" in capsys.readouterr().err
    text = (guide_dir / "guide.yml").read_text(encoding="utf-8")
    (guide_dir / "guide.yml").write_text(
        text.replace("stage: order-acceptance", "stage: null"), encoding="utf-8"
    )
    assert main(["stage", str(guide_dir)]) == 0
    assert "no stage" in capsys.readouterr().out
    assert main(["stage", str(guide_dir), "--confirm"]) == 1
    assert "no stage to confirm" in capsys.readouterr().err


def test_generate_checks_a_given_stage_before_reading_screens(
    tmp_path: Path, recordings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = tmp_path / "lib"
    init_library(library)
    recording = recordings / "sign-in"
    assert main(["generate", str(recording), "--library", str(library), "--stage", "nope"]) == 1
    assert "--stage: unknown stage 'nope'" in capsys.readouterr().err
    copy = tmp_path / "rec"
    shutil.copytree(recording, copy)
    meta = json.loads((copy / "meta.json").read_text(encoding="utf-8"))
    (copy / "meta.json").write_text(json.dumps({**meta, "stage": "sales"}), encoding="utf-8")
    assert main(["generate", str(copy), "--library", str(library)]) == 1
    assert "meta.json: stage (choose another with --stage): unknown stage 'sales'" in capsys.readouterr().err
    assert not any((library / "guides").iterdir())
    assert not (library / ".vsop-cache").exists()
