"""Every command and option is documented in the README."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_in_the_readme() -> None:
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None
        assert f"vsop {name}" in README, f"command `vsop {name}` is not documented in README.md"
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert f"`{opt}" in README, (
                        f"option {opt} of `vsop {name}` is not documented in README.md"
                    )
