"""Small hand-made libraries for the site tests: guides written as `vsop generate` writes them, with tiny
images, a value stream and settings built in code, and hostile text where a screen could put it; and a plain
file server for a built site."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

from generator.guide.control import fingerprint
from generator.guide.model import (
    Approval,
    Control,
    Guide,
    LibrarySettings,
    Revision,
    Stage,
    Step,
    Stream,
    ValueStream,
)
from generator.guide.store import save_guide
from generator.library.layout import GUIDE_FILE, GUIDES_DIR
from generator.render.step_text import step_text

HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT = "</title><script>alert(2)</script>"

VALUESTREAM = ValueStream(
    (
        Stream(
            "sales",
            f"Sales {HOSTILE}",
            (
                Stage(
                    "inquiry",
                    f"Inquiry {HOSTILE}",
                    "sales",
                    f"Purpose {HOSTILE}",
                    f"Owner {HOSTILE}",
                    4 * 3600,
                ),
                Stage("proposal", "Proposal", "sales", wait_time=86400),
            ),
        ),
        Stream("fulfillment", "Fulfillment", (Stage("delivery", "Delivery", "fulfillment"),)),
    )
)
SETTINGS = LibrarySettings(site_name=f"Acme {HOSTILE}", description=f"About {SCRIPT}")

VALUESTREAM_YML = f"""streams:
  - id: sales
    name: "Sales {HOSTILE}"
    stages:
      - id: inquiry
        name: "Inquiry {HOSTILE}"
        description: "Purpose {HOSTILE}"
        owner: "Owner {HOSTILE}"
        wait_time: 4h
      - id: proposal
        name: Proposal
        wait_time: 1d
  - id: fulfillment
    name: Fulfillment
    stages:
      - id: delivery
        name: Delivery
"""
SETTINGS_YML = f'site_name: "Acme {HOSTILE}"\ndescription: "About {SCRIPT}"\n'


def add_guide(
    library: Path,
    slug: str,
    title: str,
    stage: str | None,
    *,
    steps: int = 2,
    date: str = "2026-01-01",
    durations: tuple[float, ...] = (40.0,),
    source: str | None = None,
    full_frames: bool = False,
    approved: bool = True,
) -> Path:
    """A guide as ``vsop generate`` writes it, then (unless not ``approved``) approved as ``vsop approve``
    does, so that the default site publishes it."""
    folder = library / GUIDES_DIR / slug
    (folder / "images").mkdir(parents=True)
    made: list[Step] = []
    for i in range(steps):
        Image.new("RGB", (40, 30), (i * 40 % 255, 120, 200)).save(folder / "images" / f"s-{i}.png")
        if full_frames:
            Image.new("RGB", (80, 60), (200, 120, 40)).save(folder / "images" / f"s-{i}-full.png")
        step = Step(
            f"s-{i}", "click", f"Save {HOSTILE}", None, f"Window {HOSTILE}", "", image=f"images/s-{i}.png"
        )
        made.append(dataclasses.replace(step, text=step_text(step)))
    revisions = [Revision(f"1.{n}.0", date, "Recorded", duration_s=d) for n, d in enumerate(durations)]
    guide = Guide(
        id=slug,
        title=title,
        stage=stage,
        version=revisions[-1].version,
        purpose=None,
        recorded={"duration_s": 30.0},
        steps=made,
        revisions=revisions,
        stage_source="auto" if source == "auto" else ("manual" if stage else None),
        stage_evidence=[f"title {HOSTILE}"] if source == "auto" else [],
    )
    if approved:
        approval = Approval(guide.version, "Test approver", date, fingerprint(guide))
        guide = dataclasses.replace(guide, control=Control(number=f"SOP-{slug}", approvals=[approval]))
    save_guide(guide, folder / GUIDE_FILE)
    return folder


def hostile_library(library: Path) -> Path:
    """Four valid guides (one per kind of place on the site) and one broken guide.yml."""
    library.mkdir(parents=True, exist_ok=True)
    (library / "valuestream.yml").write_text(VALUESTREAM_YML, encoding="utf-8")
    (library / "vsop.yml").write_text(SETTINGS_YML, encoding="utf-8")
    add_guide(library, "one", f"Guide {HOSTILE}", "inquiry", full_frames=True)
    add_guide(library, "two", "Second guide", "inquiry", source="auto", date="2020-01-01")
    add_guide(library, "three", f"Unassigned {SCRIPT}", None)
    add_guide(library, "four", "Unknown stage", "nope")
    (library / GUIDES_DIR / "bad").mkdir()
    (library / GUIDES_DIR / "bad" / GUIDE_FILE).write_text("schema: 1\nid: [\n", encoding="utf-8")
    return library


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 by a plain file server, as a person would open a built site: its URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def add_runs(folder: Path, durations: tuple[float, ...], conformance: float = 1.0) -> None:
    """Run records of the guide in ``folder`` as `vsop check` keeps them: one a minute from a day ago, after
    the records it has."""
    from datetime import datetime, timedelta, timezone

    from generator.runs.models import Run
    from generator.runs.store import write_run

    kept = len(list((folder / "runs").glob("*.yml")))
    start = datetime.now(timezone.utc) - timedelta(days=1) + timedelta(minutes=kept)
    for i, seconds in enumerate(durations):
        run = Run(folder.name, start + timedelta(minutes=i), f"tester {i}", seconds, conformance)
        write_run(folder, run)
