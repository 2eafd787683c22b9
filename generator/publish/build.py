"""``vsop build``: render the library into its MkDocs project, then build the static site with MkDocs or
Zensical, strictly (a broken link or a missing image fails the build)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import SiteError
from generator.library.scan import Failure
from generator.publish.engine import Engine, engine_command, engine_env
from generator.publish.project import BUILT, CONFIG, ProjectResult, write_project

SITE_DIR = "site"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class BuildResult:
    out: Path
    engine: Engine
    project: ProjectResult
    seconds: float

    @property
    def failures(self) -> tuple[Failure, ...]:
        """Guides left out of the site because their guide.yml or images are invalid."""
        return self.project.failures

    @property
    def ok(self) -> bool:
        return not self.failures


def build_site(
    library: Path,
    out: Path | None = None,
    engine: Engine = "mkdocs",
    progress: Progress | None = None,
    drafts: bool = False,
) -> BuildResult:
    """Build the SOP site of ``library`` into ``out`` (default ``LIB/site``): the approved versions, or with
    ``drafts`` every guide as it is (generator/publish/controlled.py). Invalid guides are left out and listed
    in the result's ``failures``; an engine failure raises :class:`SiteError`."""
    from generator.valuestream.store import load_settings, load_valuestream

    start = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    target = check_out(library, out)
    vs, settings = load_valuestream(library), load_settings(library)
    project = write_project(library, vs, settings, progress=report, drafts=drafts)
    report(f"Building with {engine}", 0, 1)
    run_engine(project.path, engine, target)
    report(f"Building with {engine}", 1, 1)
    return BuildResult(target, engine, project, time.perf_counter() - start)


def check_out(library: Path, out: Path | None) -> Path:
    """The output folder, made absolute; refused where the engine's clean-up would delete the library."""
    if not library.is_dir():
        raise SiteError(f"{library}: no such library folder (create one with vsop init {library})")
    target = (out or library / SITE_DIR).resolve()
    lib = library.resolve()
    if target == lib or lib.is_relative_to(target) or target.is_relative_to(lib / "guides"):
        raise SiteError(
            f"{target}: the site cannot be built here, the engine empties its output folder and this "
            f"holds the library; choose another --out (default {library / SITE_DIR})"
        )
    return target


def run_engine(project: Path, engine: Engine, out: Path) -> None:
    """Build ``project/mkdocs.yml`` strictly into ``out``; the engine's own words are the error when it
    fails. Zensical builds only inside its project, so its output is then linked (or copied) to ``out``."""
    argv = [*engine_command(engine, "build"), "--strict", "-f", str(project / CONFIG)]
    if engine == "mkdocs":
        argv += ["-d", str(out)]
    result = subprocess.run(argv, capture_output=True, text=True, env=engine_env(), check=False)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0 or (engine == "zensical" and _zensical_problems(output)):
        lines = [line for line in output.splitlines() if line.strip() and "│" not in line]
        raise SiteError(f"{engine} could not build {project / CONFIG}:\n" + "\n".join(lines[-30:]))
    if engine == "zensical":
        _mirror(project / BUILT, out)


def _mirror(built: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(built, out, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _zensical_problems(output: str) -> bool:
    return "No issues found" not in output and ("warning" in output.lower() or "error" in output.lower())
