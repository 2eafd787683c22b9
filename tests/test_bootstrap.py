"""scripts/bootstrap.sh installs vsop into .venv again only when what decides the install changed: the
contents of pyproject.toml and setup.py, or the extras asked for (runtime, test), or a venv without vsop. A
touch or a checkout that changes no content installs nothing. The real script runs with real bash and
sha256sum on a copy of the project, with stand-ins for the two things that would reach out: dpkg-query
(every apt package installed) and the venv's python (records each pip command, as pip would create the vsop
script)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import need

ROOT = Path(__file__).resolve().parents[1]

FAKE_PYTHON = """#!/bin/sh
# pip's stand-in: "-c 'import pip'" succeeds; "-m pip ..." is recorded; "install -e" fails when told to, else
# it leaves the vsop script as pip would
[ "$1" = -m ] || exit 0
echo "$*" >>"$PIP_CALLS"
case "$*" in
    *" install -e "*)
        [ -z "$PIP_FAILS" ] || { echo "pip: told to fail" >&2; exit 1; }
        touch "$(dirname "$0")/vsop" && chmod +x "$(dirname "$0")/vsop" ;;
esac
"""
ALL_INSTALLED = """#!/bin/sh
printf 'install ok installed'
"""


def executable(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the files bootstrap.sh reads, with a venv whose python is pip's stand-in."""
    need("bash", "sha256sum")
    tree = tmp_path / "vsop"
    (tree / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "bootstrap.sh", tree / "scripts")
    for name in ("pyproject.toml", "setup.py"):
        shutil.copy2(ROOT / name, tree)
    executable(tree / ".venv" / "bin" / "python", FAKE_PYTHON)
    executable(tmp_path / "bin" / "dpkg-query", ALL_INSTALLED)
    return tree


def bootstrap(
    project: Path, mode: str, fail: bool = False
) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    """Run bootstrap.sh ``mode`` from elsewhere, as make does; the pip commands it ran, and its result."""
    calls = project.parent / "pip-calls"
    calls.unlink(missing_ok=True)
    env = dict(os.environ)
    env.update(
        PATH=f"{project.parent / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        PIP_CALLS=str(calls),
        PIP_FAILS="1" if fail else "",
    )
    done = subprocess.run(
        ["bash", str(project / "scripts" / "bootstrap.sh"), mode],
        cwd=project.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    installs = (
        [line for line in calls.read_text().splitlines() if " install -e " in line] if calls.exists() else []
    )
    return installs, done


def installed(project: Path, mode: str) -> list[str]:
    installs, done = bootstrap(project, mode)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == f"bootstrap: ready ({mode})"
    return installs


def test_a_touch_installs_nothing_and_a_changed_file_or_mode_installs_again(project: Path) -> None:
    assert installed(project, "runtime") == ["-m pip install -e ."]
    assert installed(project, "runtime") == []
    future = time.time() + 3600
    for name in ("pyproject.toml", "setup.py"):
        os.utime(project / name, (future, future))  # newer than the stamp, as a checkout leaves it
    assert installed(project, "runtime") == []
    assert installed(project, "test") == ["-m pip install -e .[test]"]  # more was asked for
    assert installed(project, "runtime") == []  # the test install has all of the runtime one
    assert installed(project, "test") == []
    with (project / "pyproject.toml").open("a", encoding="utf-8") as toml:
        toml.write("# a dependency changed\n")
    assert installed(project, "test") == ["-m pip install -e .[test]"]
    assert installed(project, "test") == []
    (project / "setup.py").write_text("from setuptools import setup\n\nsetup()\n", encoding="utf-8")
    assert installed(project, "runtime") == ["-m pip install -e ."]  # the test stamp is stale too now
    (project / ".venv" / "bin" / "vsop").unlink()  # pip uninstall vsop
    assert installed(project, "runtime") == ["-m pip install -e ."]


def test_a_failed_install_is_tried_again_on_the_next_run(project: Path) -> None:
    assert installed(project, "test") == ["-m pip install -e .[test]"]
    with (project / "pyproject.toml").open("a", encoding="utf-8") as toml:
        toml.write("# a dependency changed\n")
    installs, done = bootstrap(project, "test", fail=True)
    assert installs == ["-m pip install -e .[test]"]
    assert done.returncode == 1
    assert (
        "bootstrap: error: pip install -e '.[test]' failed; the whole log is in .venv/pip-test.log"
        in done.stderr
    )
    assert installed(project, "test") == ["-m pip install -e .[test]"]
    assert installed(project, "test") == []
