"""`vsop` starts fast: the group imports a command's module only when that command runs
(generator/cli/lazy.py), so `import generator.cli`, `vsop --help` and a mistyped command import none of the
pipeline, the images, the templates or the site engine; and the help the group shows from its table is each
command's own."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import click
import pytest

from generator.cli import COMMANDS, cli
from generator.cli.lazy import LazyGroup

HEAVY = ("PIL", "jinja2", "markdown", "mkdocs", "nh3", "docx", "watchdog")


def run_python(code: str) -> tuple[int, str, str, list[str]]:
    """Run ``code`` in a fresh interpreter after ``from generator.cli import main``; its exit status, stdout,
    stderr, and the top-level packages and generator.cli modules it had imported by then."""
    script = textwrap.dedent(
        """
        import json, sys
        from generator.cli import main
        code = 0
        try:
            {code}
        finally:
            tops = {{m.split(".")[0] for m in sys.modules}}
            loaded = sorted(tops | {{m for m in sys.modules if m.startswith("generator.cli.")}})
            print("\\n" + json.dumps(loaded))
        sys.exit(code)
        """
    ).format(code=code)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    out, _, loaded = done.stdout.rstrip("\n").rpartition("\n")
    return done.returncode, out, done.stderr, json.loads(loaded)


def heavy(loaded: list[str]) -> list[str]:
    return [name for name in HEAVY if name in loaded]


def test_importing_the_cli_imports_no_command() -> None:
    code, _, err, loaded = run_python("pass")
    assert code == 0, err
    assert heavy(loaded) == []
    assert [m for m in loaded if m.startswith("generator.cli.")] == ["generator.cli.lazy"]


def test_the_help_lists_every_command_without_importing_one() -> None:
    code, out, err, loaded = run_python('code = main(["--help"])')
    assert code == 0, err
    assert heavy(loaded) == []
    assert [m for m in loaded if m.startswith("generator.cli.")] == ["generator.cli.lazy"]
    rows = out.partition("Commands:\n")[2].splitlines()
    assert [row.split()[0] for row in rows if row.strip()] == sorted(COMMANDS)
    assert "Record screenshots and input events until stopped" in out


def test_a_command_imports_its_own_module_only() -> None:
    code, out, err, loaded = run_python('code = main(["export", "--help"])')
    assert code == 0, err
    assert "--format [html|md|pdf|docx]" in out
    commands = {m for m in loaded if m.startswith("generator.cli.")}
    assert commands <= {
        "generator.cli.lazy",
        "generator.cli.options",
        "generator.cli.guides",
        "generator.cli.control",
    }
    assert "watchdog" not in loaded  # the site's server belongs to vsop serve


def test_a_mistyped_command_is_refused_with_a_suggestion_and_imports_nothing() -> None:
    code, _, err, loaded = run_python('code = main(["exprot"])')
    assert code == 2
    assert "No such command 'exprot'" in err and "Did you mean 'export'?" in err
    assert heavy(loaded) == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_in_the_table_resolves_and_its_summary_is_its_own_help(name: str) -> None:
    ctx = click.Context(cli)
    command = cli.get_command(ctx, name)
    assert isinstance(command, click.Command) and command.name == name
    stand_in = click.Command(name, help=COMMANDS[name].summary)
    for limit in (40, 45, 60, 78, 200):
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), (
            f"the summary of {name!r} in generator/cli/__init__.py's COMMANDS is not the first sentence "
            "of its help: copy it from the command's docstring"
        )


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_table_shows_what_the_loaded_commands_would(width: int) -> None:
    def listing(group: click.Group) -> str:
        text = group.get_help(click.Context(group, info_name="vsop", terminal_width=width))
        return text.partition("Commands:")[2]

    fresh = LazyGroup("vsop", lazy=COMMANDS)  # nothing loaded: the table speaks
    for name in COMMANDS:
        cli.get_command(click.Context(cli), name)
    assert listing(fresh) == listing(cli) != ""
