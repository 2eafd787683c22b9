"""A secret typed into a field that masks it is written nowhere, whatever glyph masks it and whatever the
field's label says; values typed into plain fields are kept, a value of one repeated character too.

For real: Xvfb + openbox, the real ``vsop record``, xdotool's keys and clicks, then ``vsop generate`` with
real tesseract, ``vsop build`` and ``vsop export``. The applications: a Tk window whose ``Entry(show="*")``
shows asterisks (Tk has no accessibility tree on Linux: no password role) under "Approval code", and a page
in Chromium whose ``input type=text`` is masked with CSS ``-webkit-text-security: square`` (the tree calls
it a plain entry) under "Member number". Neither label names a secret: only the pixels tell.
"""

from __future__ import annotations

import json
import selectors
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from capture.models import KeyEvent, MouseButtonEvent
from generator.cli import main
from generator.guide.model import Step
from generator.guide.store import load_guide
from generator.sample.corpus.measure import leaks
from generator.sample.xsession import App, RecorderProcess, VirtualDisplay, Xdo, at_home, end, wait_until
from tests.conftest import need, need_tkinter

pytestmark = [pytest.mark.gui, pytest.mark.ocr]

APPS = Path(__file__).parent / "apps"
SECRETS = ("k7Qm-29xZ", "58302716")  # characters that differ: a run of identical glyphs cannot show them
NOTE = "Dock 7 pallet"
# what is typed into each field, by its label; the secrets first
TK = (("Approval code", SECRETS[0]), ("Seats", "1111"), ("Note", NOTE))
WEB = (("Member number", SECRETS[0]), ("Badge number", SECRETS[1]), ("Seats", "aaaa"), ("Note", NOTE))
Start = Callable[..., RecorderProcess]
Typing = tuple[tuple[str, str], ...]


@pytest.fixture(autouse=True)
def _tools() -> None:
    need("tesseract")


@pytest.fixture
def tk_form(display: VirtualDisplay, tmp_path: Path) -> Iterator[dict[str, tuple[int, int]]]:
    """The Tk window, at home in the test's folder: the screen point of each field and of its button."""
    need_tkinter()
    env = at_home(display.env, tmp_path / "tk-home")
    proc = subprocess.Popen(
        [sys.executable, str(APPS / "masked_tk.py")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            assert selector.select(30), "the Tk window did not show in 30 s"
        centres = json.loads(proc.stdout.readline())
        xdo = Xdo(display)
        window = xdo.find_window("--name", "vsop masked tk")
        xdo.activate(window)
        left, top, _, _ = xdo.geometry(window)
        yield {name: (left + x, top + y) for name, (x, y) in centres.items()}
    finally:
        end(proc)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture
def masked_page(chromium_page: Callable[[Path, str], App]) -> dict[str, tuple[int, int]]:
    """The page in Chromium (its top left corner at 100,100): the screen point of each field and button."""
    chromium_page(APPS / "masked.html", "vsop masked test")
    fields = ("Member number", "Badge number", "Seats", "Note")
    return {name: (450, 156 + 60 * i) for i, name in enumerate(fields)} | {"Save member": (380, 396)}


def fill(
    xdo: Xdo, rec: RecorderProcess, points: dict[str, tuple[int, int]], typing: Typing, button: str
) -> None:
    """Click each field and type its value, as a person would, then the button; until all of it is
    recorded."""
    for name, value in typing:
        xdo.glide(*points[name])
        xdo.click()
        xdo.type(value)
    xdo.glide(*points[button])
    xdo.click()
    typed = sum(len(value) for _, value in typing)
    wait_until(lambda: len(presses(rec)) > len(typing) and len(keys(rec)) >= typed, 30, "the clicks and keys")
    rec.stop()


def presses(rec: RecorderProcess) -> list[MouseButtonEvent]:
    return [e for e in rec.events() if isinstance(e, MouseButtonEvent) and e.type == "mouse_press"]


def keys(rec: RecorderProcess) -> list[KeyEvent]:
    return [e for e in rec.events() if isinstance(e, KeyEvent) and e.type == "key_press" and e.char]


def typed_steps(library: Path) -> tuple[Path, list[Step]]:
    [guide] = library.glob("guides/*/guide.yml")
    return guide.parent, [s for s in load_guide(guide).steps if s.action == "type"]


def published_everywhere(library: Path, guide: Path, out: Path) -> None:
    """The library's site (its search index too) and the guide's exports, made as a person makes them."""
    assert main(["build", str(library), "--drafts"]) == 0
    assert (library / "site" / "search" / "search_index.json").is_file()
    out.mkdir()
    for fmt in ("md", "html"):
        assert main(["export", str(guide), "--format", fmt, "--out", str(out / f"export.{fmt}")]) == 0


def assert_withheld_and_kept(tmp_path: Path, library: Path, typing: Typing) -> None:
    """The secrets are in the recording (they were really typed) and in no file that vsop wrote; the plain
    values, the one of a repeated character too, are in the guide."""
    typed = "".join(e.char or "" for e in keys_of(tmp_path / "rec"))
    assert all(value in typed for _, value in typing), typed
    folder, steps = typed_steps(library)
    found = [(s.target, s.value, s.secret) for s in steps]
    expected = [(None, True) if value in SECRETS else (value, False) for _, value in typing]
    assert [(value, secret) for _, value, secret in found] == expected, found
    published_everywhere(library, folder, tmp_path / "exports")
    assert (library / ".vsop-cache" / "ocr").is_dir()
    assert leaks(library, SECRETS) == []  # guide.yml, guide.md, images, the OCR cache, the site
    assert leaks(tmp_path / "exports", SECRETS) == []
    page = (folder / "guide.md").read_text()
    assert all(f"`{value}`" in page for _, value in typing if value not in SECRETS)


def keys_of(recording: Path) -> list[KeyEvent]:
    from capture import load_recording

    return [e for e in load_recording(recording).events if isinstance(e, KeyEvent) and e.type == "key_press"]


def test_asterisks_of_a_tk_field_withhold_what_was_typed(
    recorder: Start, xdo: Xdo, tk_form: dict[str, tuple[int, int]], tmp_path: Path
) -> None:
    rec = recorder(out=tmp_path / "rec")
    fill(xdo, rec, tk_form, TK, "Save")
    library = tmp_path / "lib"
    assert main(["generate", str(rec.out), "--library", str(library), "--title", "Masked Tk"]) == 0
    assert_withheld_and_kept(tmp_path, library, TK)


@pytest.mark.browser
def test_css_masked_squares_and_circles_on_a_web_page_withhold_what_was_typed(
    recorder: Start, xdo: Xdo, masked_page: dict[str, tuple[int, int]], tmp_path: Path
) -> None:
    rec = recorder(out=tmp_path / "rec")
    fill(xdo, rec, masked_page, WEB, "Save member")
    library = tmp_path / "lib"
    assert main(["generate", str(rec.out), "--library", str(library), "--title", "Masked web"]) == 0
    assert_withheld_and_kept(tmp_path, library, WEB)
