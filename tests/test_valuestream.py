"""LIB/valuestream.yml and LIB/vsop.yml: the default, validation with lines, durations, unknown stages."""

from __future__ import annotations

from pathlib import Path

import pytest

from capture.errors import VsopError
from generator.errors import ValueStreamError
from generator.guide.model import LibrarySettings
from generator.sample.scenarios import STAGES
from generator.valuestream.store import DEFAULT_VALUESTREAM, check_stage, load_settings, load_valuestream

VALID = """\
streams:
  - id: sales
    name: Sales
    stages:
      - id: lead
        name: Lead
        description: A new lead.
        owner: Sales rep
        wait_time: 1h30m
        match:
          apps: [Acme CRM]
          titles: ["*Lead*"]
          keywords: [new lead]
      - id: offer
        name: Offer
  - id: delivery
    name: Delivery
    stages:
      - id: ship
        name: Ship
        wait_time: 2d
"""


def write(tmp_path: Path, text: str, name: str = "valuestream.yml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ValueStreamError) as info:
        load_valuestream(write(tmp_path, text))
    return str(info.value).splitlines()


def test_the_default_loads_with_both_streams_in_flow_order(tmp_path: Path) -> None:
    vs = load_valuestream(tmp_path)
    assert vs.source is None
    assert [s.id for s in vs.streams] == ["sales", "fulfillment"]
    assert [s.id for s in vs.stages] == list(STAGES)
    assert vs.stages[0].name == "Customer inquiry"
    for stage in vs.stages:
        assert stage.description and stage.owner and stage.wait_time and stage.match.keywords, stage.id
    assert "acme" not in DEFAULT_VALUESTREAM.read_text(encoding="utf-8").lower()


def test_a_library_file_is_read_with_every_field(tmp_path: Path) -> None:
    vs = load_valuestream(write(tmp_path, VALID))
    assert vs.source == tmp_path / "valuestream.yml"
    lead = check_stage(vs, "lead", "test")
    assert (lead.stream, lead.owner, lead.wait_time) == ("sales", "Sales rep", 5400.0)
    assert lead.match.apps == ("Acme CRM",) and lead.match.titles == ("*Lead*",)
    assert vs.stage("ship") is not None and vs.stage("ship").wait_time == 2 * 86400  # type: ignore[union-attr]
    assert vs.stage("offer").match.keywords == ()  # type: ignore[union-attr]


def test_every_problem_is_reported_at_once_with_its_line(tmp_path: Path) -> None:
    text = VALID.replace("wait_time: 1h30m", "wait_time: soon").replace("name: Offer", "name: ''")
    text = text.replace("- id: ship", "- id: Ship_It").replace("description: A new lead.", "descripton: x")
    found = problems(tmp_path, text)
    path = tmp_path / "valuestream.yml"
    assert f"{path}:9: streams[0].stages[0].wait_time: expected a duration such as 2d" in found[1]
    assert "found 'soon'" in found[1]
    assert found[0].startswith(f"{path}:7: streams[0].stages[0].descripton: unknown key 'descripton'")
    assert "id, name, description, owner, wait_time, match" in found[0]
    assert any(p.startswith(f"{path}:15: streams[1].stages[0].name") for p in found) is False
    assert f"{path}:15: streams[0].stages[1].name: expected a name" in "\n".join(found)
    assert f"{path}:19: streams[1].stages[0].id: expected an id of a-z, 0-9 and dashes" in "\n".join(found)
    assert len(found) == 4


def test_duplicate_stage_ids_across_streams_name_both_lines(tmp_path: Path) -> None:
    found = problems(tmp_path, VALID.replace("- id: ship", "- id: lead"))
    assert found == [
        f"{tmp_path / 'valuestream.yml'}:19: streams[1].stages[0].id: duplicate stage id 'lead', "
        "first at line 5 (streams[0].stages[0].id); give each stage its own id"
    ]


def test_duplicate_stream_ids(tmp_path: Path) -> None:
    found = problems(tmp_path, VALID.replace("- id: delivery", "- id: sales"))
    assert len(found) == 1 and ":16: streams[1].id: duplicate stream id 'sales', first at line 2" in found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ":1: document: expected a non-empty list of streams"),
        ("streams: []\n", ":1: streams: expected a non-empty list of streams"),
        ("- a\n", ":1: document: expected a non-empty list of streams"),
        (
            "streams:\n  - id: s\n    name: S\n    stages: []\n",
            ":4: streams[0].stages: expected at least one",
        ),
        ("streams:\n  - id: s\n    stages: [{id: a, name: A}]\n", ":2: streams[0].name: expected a name"),
        ("streams:\n  - 42\n", ":2: streams[0]: expected a stream mapping"),
        ("streams:\n  - {id: s, name: S, stages: x}\n", ":2: streams[0].stages: expected list, found 'x'"),
        (
            "streams:\n  - {id: s, name: S, stages: [7]}\n",
            ":2: streams[0].stages[0]: expected a stage mapping",
        ),
        ("streams: [{id: s, name: S, stages: [{id: a, name: A}]}]\nextra: 1\n", ":2: extra: unknown key"),
        (
            "streams: [{id: s, name: S, stages: [{id: a, name: A, owner: 3}]}]\n",
            ":1: streams[0].stages[0].owner",
        ),
    ],
)
def test_structure_errors(tmp_path: Path, text: str, expected: str) -> None:
    found = problems(tmp_path, text)
    assert expected in found[0], found


def test_match_rules_are_checked(tmp_path: Path) -> None:
    text = VALID.replace("keywords: [new lead]", "keywords: [new lead, '', 3]\n          words: [x]")
    text = text.replace("apps: [Acme CRM]", "apps: Acme CRM")
    found = "\n".join(problems(tmp_path, text))
    assert ":11: streams[0].stages[0].match.apps: expected list or null, found 'Acme CRM'" in found
    assert ":13: streams[0].stages[0].match.keywords[1]: expected a non-empty text, found ''" in found
    assert ":13: streams[0].stages[0].match.keywords[2]: expected a non-empty text, found 3" in found
    assert (
        ":14: streams[0].stages[0].match.words: unknown key 'words'; expected one of apps, titles, keywords"
        in found
    )


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    found = problems(tmp_path, "streams:\n  - id: [unclosed\n")
    assert found[0].startswith(f"{tmp_path / 'valuestream.yml'}:3: not valid YAML")


def test_unknown_stage_lists_the_valid_ids_in_flow_order(tmp_path: Path) -> None:
    vs = load_valuestream(write(tmp_path, VALID))
    with pytest.raises(VsopError) as info:
        check_stage(vs, "shipping", "--stage")
    message = str(info.value)
    assert message.startswith("--stage: unknown stage 'shipping'")
    assert "Sales: lead, offer; Delivery: ship" in message
    assert str(tmp_path / "valuestream.yml") in message


def test_settings_default_and_from_file(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == LibrarySettings()
    write(tmp_path, "site_name: Our SOPs\ndescription: How we work\nreview_every: 26w\n", "vsop.yml")
    assert load_settings(tmp_path) == LibrarySettings("Our SOPs", "How we work", 26 * 7 * 86400.0)
    write(tmp_path, "# only comments\n", "vsop.yml")
    assert load_settings(tmp_path) == LibrarySettings()


def test_settings_are_validated(tmp_path: Path) -> None:
    write(tmp_path, "site_name: ''\ndescription: [a]\nreview_every: yearly\ntheme: dark\n", "vsop.yml")
    with pytest.raises(ValueStreamError) as info:
        load_settings(tmp_path)
    found = str(info.value).splitlines()
    path = tmp_path / "vsop.yml"
    assert found == [
        f"{path}:4: theme: unknown key 'theme'; expected one of site_name, description, review_every "
        "(check the spelling)",
        f"{path}:1: site_name: expected a name (text shown on the site), found ''",
        f"{path}:3: review_every: expected a duration such as 2d, 4h, 1h30m, 45m or 90s (w, d, h, m, s), "
        "found 'yearly'",
        f"{path}:2: description: expected str or null, found ['a']",
    ]
