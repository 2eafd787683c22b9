"""The static site engines, MkDocs with Material and Zensical, and how one is run (``build`` by
generator/publish/build.py, ``serve`` by generator/publish/serve.py). Small on purpose: the ``--engine``
option of the CLI names them without importing the site's builder."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Literal, get_args

from generator.errors import SiteError

Engine = Literal["mkdocs", "zensical"]
ENGINES: tuple[Engine, ...] = get_args(Engine)


def engine_command(engine: Engine, command: str) -> list[str]:
    """The argv that runs ``command`` (build or serve) of ``engine``; says how to install a missing one."""
    if engine == "mkdocs":
        return [sys.executable, "-m", "mkdocs", command]
    if engine == "zensical":
        beside = Path(sys.executable).parent / "zensical"
        found = str(beside) if beside.is_file() else shutil.which("zensical")
        if found is None:
            raise SiteError("zensical not found: pip install 'vsop[zensical]' (or use --engine mkdocs)")
        return [found, command]
    raise SiteError(f"unknown engine {engine!r}: expected one of {', '.join(ENGINES)}")


def engine_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
