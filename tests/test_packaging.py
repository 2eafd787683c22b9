"""A built wheel carries what an installed vsop reads at run time: the templates and site files (which live
at the top of the source tree), the default value stream and the sample recordings of the demo."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_templates_site_and_sample_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("vsop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("templates", "site"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file():
                assert f"generator/_shipped/{folder}/{path.relative_to(ROOT / folder).as_posix()}" in names
    assert "generator/valuestream/data/valuestream.yml" in names
    recordings = ROOT / "generator" / "sample" / "recordings"
    for path in recordings.rglob("*"):
        if path.is_file():
            assert path.relative_to(ROOT).as_posix() in names
