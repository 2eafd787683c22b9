"""LIB/valuestream.yml and LIB/vsop.yml: the default, validation with lines, durations, unknown stages."""

from __future__ import annotations

from pathlib import Path

import pytest

from capture.errors import VsopError
from generator.errors import ValueStreamError
from generator.guide.model import ExpectedProcess, LibrarySettings, MaturityRules
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
    assert "id, name, description, owner, process_time, wait_time, processes, automation" in found[0]
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
        f"{path}:4: theme: unknown key 'theme'; expected one of site_name, description, review_every, "
        "maturity, number_pattern (check the spelling)",
        f"{path}:1: site_name: expected a name (text shown on the site), found ''",
        f"{path}:3: review_every: expected a duration such as 2d, 4h, 1h30m, 45m or 90s (w, d, h, m, s), "
        "found 'yearly'",
        f"{path}:2: description: expected str or null, found ['a']",
    ]


TIMED = """\
streams:
  - id: sales
    name: Sales
    stages:
      - id: lead
        name: Lead
        owner: Sales rep
        process_time: 45m
        wait_time: 4h
        processes:
          - Record a new lead
          - name: Qualify lead
            match: {guides: [qualify], titles: ["Qualif*"]}
        automation: Web-form leads reach the CRM by themselves.
        optimization: Response times are reviewed monthly.
"""


def test_process_time_expected_processes_automation_and_optimization_are_read(tmp_path: Path) -> None:
    lead = check_stage(load_valuestream(write(tmp_path, TIMED)), "lead", "test")
    assert (lead.process_time, lead.wait_time) == (2700.0, 4 * 3600.0)
    assert lead.processes == (
        ExpectedProcess("Record a new lead"),
        ExpectedProcess("Qualify lead", ("qualify",), ("Qualif*",)),
    )
    assert lead.automation == "Web-form leads reach the CRM by themselves."
    assert lead.optimization == "Response times are reviewed monthly."
    old = check_stage(load_valuestream(write(tmp_path, VALID)), "lead", "test")  # written before them: valid
    assert (old.process_time, old.processes, old.automation, old.optimization) == (None, (), None, None)


def test_bad_times_and_processes_naming_nothing_are_reported_with_their_lines(tmp_path: Path) -> None:
    text = TIMED.replace("process_time: 45m", "process_time: 45x").replace("wait_time: 4h", "wait_time: -2h")
    text = text.replace('match: {guides: [qualify], titles: ["Qualif*"]}', "match: {guides: []}")
    text = text.replace("- Record a new lead", "- ''\n          - Qualify lead")
    text = text.replace("automation: Web-form leads reach the CRM by themselves.", "automation: '  '")
    path = tmp_path / "valuestream.yml"
    found = problems(tmp_path, text)
    assert found == [
        f"{path}:9: streams[0].stages[0].wait_time: expected a duration such as 2d, 4h, 1h30m, 45m or 90s "
        "(w, d, h, m, s), found '-2h': a time cannot be negative",
        f"{path}:8: streams[0].stages[0].process_time: expected a duration such as 2d, 4h, 1h30m, 45m or 90s "
        "(w, d, h, m, s), found '45x': unknown unit 'x'",
        f"{path}:11: streams[0].stages[0].processes[0]: expected a process name (Pack order) or "
        "{name, match}, found ''",
        f"{path}:14: streams[0].stages[0].processes[2].match: names no guide: give guide ids "
        '(guides: [pack-order]) or title patterns (titles: ["Pack*"]), '
        "or leave match out to match by the name",
        f"{path}:13: streams[0].stages[0].processes[2]: duplicate process 'Qualify lead', first at line 12",
        f"{path}:15: streams[0].stages[0].automation: expected a sentence saying what is in place "
        "(or no key), found '  '",
    ]


@pytest.mark.parametrize(
    ("processes", "expected"),
    [
        ("[]", ":10: streams[0].stages[0].processes: expected a list of process names"),
        ("[{name: ''}]", ":10: streams[0].stages[0].processes[0].name: expected a name"),
        ("[{name: X, match: [x]}]", ":10: streams[0].stages[0].processes[0].match: expected a mapping"),
        ("[{name: X, match: {ids: [x]}}]", "processes[0].match.ids: unknown key 'ids'"),
        ("[7]", ":10: streams[0].stages[0].processes[0]: expected a process name"),
    ],
)
def test_expected_processes_are_checked(tmp_path: Path, processes: str, expected: str) -> None:
    start = TIMED.index("        processes:")
    end = TIMED.index("        automation:")
    found = "\n".join(problems(tmp_path, TIMED[:start] + f"        processes: {processes}\n" + TIMED[end:]))
    assert expected in found, found


def test_the_maturity_settings_are_read_and_checked(tmp_path: Path) -> None:
    write(tmp_path, "maturity:\n  runs: 5\n  recent: 20\n  conformance: 95%\n  spread: 2\n", "vsop.yml")
    assert load_settings(tmp_path).maturity == MaturityRules(5, 20, 0.95, 2.0)
    write(tmp_path, "maturity:\n  conformance: 0.8\n", "vsop.yml")
    assert load_settings(tmp_path).maturity == MaturityRules(conformance=0.8)
    write(
        tmp_path,
        "maturity:\n  runs: 0\n  recent: two\n  conformance: 120%\n  spread: 0.5\n  p90: 1\n",
        "vsop.yml",
    )
    with pytest.raises(ValueStreamError) as info:
        load_settings(tmp_path)
    path = tmp_path / "vsop.yml"
    assert str(info.value).splitlines() == [
        f"{path}:6: maturity.p90: unknown key 'p90'; expected one of runs, recent, conformance, spread "
        "(check the spelling)",
        f"{path}:2: maturity.runs: expected a whole number, 1 or more, found 0",
        f"{path}:3: maturity.recent: expected a whole number, 1 or more, found 'two'",
        f"{path}:4: maturity.conformance: expected a share such as 0.9 or 90%, found '120%'",
        f"{path}:5: maturity.spread: expected a ratio such as 1.5, 1 or more, found 0.5",
    ]


def test_a_bad_value_stream_stops_the_build_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli import main

    lib = write(tmp_path, TIMED.replace("process_time: 45m", "process_time: 45 minutes"))
    (lib / "guides").mkdir()
    assert main(["build", str(lib), "--out", str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err
    assert f"{lib / 'valuestream.yml'}:8: streams[0].stages[0].process_time:" in err
    assert "unknown unit 'minutes'" in err
    assert not (tmp_path / "site").exists() and not (lib / ".vsop-cache").exists()
