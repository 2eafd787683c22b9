"""OCR and labels on real screenshots: small UI pages rendered by headless Chromium, read by the real
tesseract. Elements are placed absolutely, so the points to click are known."""

from __future__ import annotations

import random
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from capture import load_recording
from capture.errors import BackendUnavailableError, VsopError
from capture.models import MouseButtonEvent, Rect
from generator.guide.model import Label, Word
from generator.pipeline.label import Kind, crop_around, find_label, is_secret_label, looks_masked
from generator.pipeline.ocr import Crop, Ocr
from generator.sample import RECORDINGS
from generator.sample.check import normal
from generator.sample.scenarios import SCENARIOS, Click, ClickText, Scenario, TypeText
from tests.conftest import CHROMIUM_FLAGS, chromium_binary, need

SIZE = (1280, 800)
STYLE = """<style>
body { margin: 0; font-family: "DejaVu Sans"; }
div { position: absolute; box-sizing: border-box; white-space: nowrap; }
.c { text-align: center; }
.field { background: #fff; border: 1px solid #9ca3af; border-radius: 4px; height: 32px; line-height: 30px;
         padding: 0 8px; font-size: 14px; }
.label { font-size: 14px; color: #374151; }
</style>"""

# A CRM form: a dark navigation bar, labels left of and above fields, buttons, a menu, 12 px text, icons.
CRM = """
<div style="left:0;top:0;width:1280px;height:56px;background:#1f2937"></div>
<div style="left:20px;top:0;line-height:56px;color:#fff;font-size:18px;font-weight:bold">Acme CRM</div>
<div class="c" style="left:160px;width:90px;top:0;line-height:56px;color:#e5e7eb;font-size:15px">Leads</div>
<div class="c" style="left:250px;width:90px;top:0;line-height:56px;color:#e5e7eb;font-size:15px">Orders</div>
<div class="c" style="left:340px;width:110px;top:0;line-height:56px;color:#e5e7eb;font-size:15px">
  Customers</div>
<div class="label" style="left:40px;top:100px;line-height:32px">Company name</div>
<div class="field" style="left:200px;top:100px;width:300px"></div>
<div class="label" style="left:40px;top:150px;line-height:32px">Email:</div>
<div class="field" style="left:200px;top:150px;width:300px;color:#9ca3af">name@example.com</div>
<div class="label" style="left:40px;top:200px;line-height:32px">Password *</div>
<div class="field" style="left:200px;top:200px;width:300px;font-size:18px">
  &#8226;&#8226;&#8226;&#8226;&#8226;&#8226;&#8226;&#8226;</div>
<div class="label" style="left:40px;top:258px">Contact person</div>
<div class="field" style="left:40px;top:282px;width:300px"></div>
<div class="label" style="left:380px;top:258px">Phone number</div>
<div class="field" style="left:380px;top:282px;width:200px"></div>
<div class="c" style="left:40px;top:350px;width:120px;height:40px;line-height:40px;border-radius:6px;
  background:#2563eb;color:#fff;font-size:15px">Save lead</div>
<div class="c" style="left:176px;top:350px;width:100px;height:40px;line-height:38px;border-radius:6px;
  background:#fff;color:#374151;border:1px solid #d1d5db;font-size:15px">Cancel</div>
<div style="left:40px;top:408px;font-size:12px;color:#6b7280">Last saved 5 minutes ago by Jane Doe</div>
<div style="left:900px;top:120px;width:180px;height:140px;border:1px solid #d1d5db;background:#fff;
  box-shadow:0 4px 12px rgba(0,0,0,.15)"></div>
<div style="left:915px;top:121px;line-height:34px;font-size:14px">Edit</div>
<div style="left:915px;top:155px;line-height:34px;font-size:14px">Duplicate</div>
<div style="left:915px;top:189px;line-height:34px;font-size:14px">Archive</div>
<div style="left:915px;top:223px;line-height:34px;font-size:14px;color:#dc2626">Delete</div>
<div class="c" style="left:700px;top:500px;width:40px;height:40px;line-height:40px;font-size:22px">
  &#10005;</div>
<div class="c" style="left:780px;top:500px;width:40px;height:40px;line-height:40px;font-size:22px;
  background:#e5e7eb;border-radius:6px">&#9881;</div>
"""

# A dark-mode settings page with a light toolbar and masked API key.
DARK = """
<div style="left:0;top:0;width:220px;height:800px;background:#0b1220"></div>
<div style="left:24px;top:70px;line-height:24px;font-size:14px;color:#9ca3af">Dashboard</div>
<div style="left:24px;top:110px;line-height:24px;font-size:14px;color:#9ca3af">Inbox</div>
<div style="left:24px;top:150px;line-height:24px;font-size:14px;color:#9ca3af">Settings</div>
<div style="left:24px;top:190px;line-height:24px;font-size:14px;color:#9ca3af">Sign out</div>
<div style="left:220px;top:0;width:1060px;height:44px;background:#e5e7eb"></div>
<div style="left:240px;top:0;line-height:44px;font-size:12px;color:#111">File</div>
<div style="left:290px;top:0;line-height:44px;font-size:12px;color:#111">View</div>
<div style="left:260px;top:76px;line-height:30px;font-size:20px;color:#fff">Account settings</div>
<div style="left:260px;top:130px;line-height:30px;font-size:13px;color:#d1d5db">Display name</div>
<div class="field" style="left:400px;top:130px;width:280px;background:#1f2937;border-color:#374151"></div>
<div style="left:260px;top:180px;line-height:30px;font-size:13px;color:#d1d5db">API key</div>
<div class="field" style="left:400px;top:180px;width:280px;background:#1f2937;border-color:#374151;
  color:#e5e7eb">**************</div>
<div style="left:260px;top:230px;line-height:30px;font-size:13px;color:#d1d5db">Time zone</div>
<div class="field" style="left:400px;top:230px;width:280px;background:#1f2937;border-color:#374151;
  color:#e5e7eb">Europe/Berlin</div>
<div class="c" style="left:260px;top:370px;width:140px;height:36px;line-height:36px;border-radius:6px;
  background:#10b981;color:#052e16;font-size:14px">Update profile</div>
<div class="c" style="left:416px;top:370px;width:100px;height:36px;line-height:36px;border-radius:6px;
  background:#374151;color:#f9fafb;font-size:14px">Discard</div>
"""

WORD_LINES = (
    "Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliett Kilo Lima Mike November Oscar Papa",
    "Quebec Romeo Sierra Tango Uniform Victor Whiskey Xray Yankee Zulu January February March April May",
    "June July August September October November December Monday Tuesday",
)
WORDS = [word for line in WORD_LINES for word in line.split()]


def grid_position(i: int) -> tuple[int, int]:
    return 40 + (i % 5) * 240, 40 + (i // 5) * 80


GRID = "".join(
    f'<div style="left:{x}px;top:{y}px;font-size:15px;color:{"#fff" if i % 3 == 0 else "#111"};'
    f'background:{"#334155" if i % 3 == 0 else "#fff"};padding:6px 10px">{w}</div>'
    for i, w in enumerate(WORDS)
    for x, y in [grid_position(i)]
)


@dataclass(frozen=True)
class Case:
    page: str
    point: tuple[int, int]
    kind: Kind
    text: str | None
    where: str = "under"

    def __str__(self) -> str:
        return f"{self.page}-{self.kind}-{self.text}-{self.point[0]},{self.point[1]}"


CASES = [
    Case("crm", (205, 28), "pointer", "Leads"),
    Case("crm", (295, 28), "pointer", "Orders"),
    Case("crm", (395, 28), "pointer", "Customers"),
    Case("crm", (60, 28), "pointer", "Acme CRM"),
    Case("crm", (100, 370), "pointer", "Save lead"),
    Case("crm", (52, 357), "pointer", "Save lead"),  # in the button's padding
    Case("crm", (226, 370), "pointer", "Cancel"),
    Case("crm", (185, 384), "pointer", "Cancel"),  # in the button's padding
    Case("crm", (930, 138), "pointer", "Edit"),
    Case("crm", (1000, 172), "pointer", "Duplicate"),
    Case("crm", (935, 206), "pointer", "Archive"),
    Case("crm", (940, 240), "pointer", "Delete"),
    Case("crm", (60, 415), "pointer", "Last saved 5 minutes ago by Jane Doe"),
    Case("crm", (350, 116), "field", "Company name", "left"),
    Case("crm", (300, 166), "field", "Email", "left"),  # on the placeholder
    Case("crm", (450, 166), "field", "Email", "left"),
    Case("crm", (350, 216), "field", "Password", "left"),
    Case("crm", (190, 298), "field", "Contact person", "above"),
    Case("crm", (480, 298), "field", "Phone number", "above"),
    Case("crm", (720, 520), "pointer", None),  # a close icon
    Case("crm", (800, 520), "pointer", None),  # a gear icon on a grey button
    Case("crm", (700, 650), "pointer", None),  # empty page
    Case("crm", (700, 650), "field", None),
    Case("dark", (45, 82), "pointer", "Dashboard"),
    Case("dark", (40, 122), "pointer", "Inbox"),
    Case("dark", (40, 162), "pointer", "Settings"),
    Case("dark", (40, 202), "pointer", "Sign out"),
    Case("dark", (250, 22), "pointer", "File"),
    Case("dark", (300, 22), "pointer", "View"),
    Case("dark", (300, 91), "pointer", "Account settings"),
    Case("dark", (330, 388), "pointer", "Update profile"),
    Case("dark", (466, 388), "pointer", "Discard"),
    Case("dark", (540, 145), "field", "Display name", "left"),
    Case("dark", (600, 195), "field", "API key", "left"),  # masked by asterisks
    Case("dark", (600, 245), "field", "Time zone", "left"),  # a value in the field
]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    need("tesseract")
    browser = chromium_binary()
    folder = tmp_path_factory.mktemp("pages")
    backgrounds = {"crm": "#f5f6f8", "dark": "#111827", "grid": "#fff"}
    bodies = {"crm": CRM, "dark": DARK, "grid": GRID}
    shots = {}
    for name, body in bodies.items():
        html = folder / f"{name}.html"
        html.write_text(
            f'<!doctype html><meta charset="utf-8">{STYLE}<body style="background:{backgrounds[name]}">{body}'
        )
        shots[name] = folder / f"{name}.png"
        argv = [
            browser,
            "--headless",
            *CHROMIUM_FLAGS,
            "--hide-scrollbars",
            f"--user-data-dir={folder / 'profile'}",
        ]
        argv += [f"--screenshot={shots[name]}", f"--window-size={SIZE[0]},{SIZE[1]}", html.as_uri()]
        subprocess.run(argv, check=True, capture_output=True, timeout=120)
    return shots


@pytest.fixture(scope="module")
def read(pages: dict[str, Path]) -> dict[Case, list[Word]]:
    """The words around every case, read in one batch."""
    crops = [Crop(pages[c.page], crop_around(c.point, SIZE, c.kind)) for c in CASES]
    return dict(zip(CASES, Ocr().read(crops), strict=True))


def label_of(case: Case, words: list[Word]) -> Label | None:
    return find_label(words, case.point, case.kind)


@pytest.mark.ocr
@pytest.mark.browser
@pytest.mark.parametrize("case", CASES, ids=str)
def test_label_on_a_real_screenshot(case: Case, read: dict[Case, list[Word]]) -> None:
    label = label_of(case, read[case])
    if case.text is None:
        assert label is None
        return
    assert label is not None, f"nothing found; words: {[w.text for w in read[case]]}"
    assert (label.text, label.kind) == (case.text, case.where)
    assert label.conf >= 60


@pytest.mark.ocr
@pytest.mark.browser
def test_word_boxes_are_in_frame_pixels(read: dict[Case, list[Word]]) -> None:
    label = label_of(CASES[0], read[CASES[0]])  # "Leads", centred in the nav item at x 160..250, y 0..56
    assert label is not None
    box = label.box
    assert 160 < box.left < box.left + box.width < 250
    assert 0 < box.top < box.top + box.height < 56
    assert abs(box.left + box.width / 2 - 205) <= 3


@pytest.mark.ocr
@pytest.mark.browser
def test_masked_fields_are_told(read: dict[Case, list[Word]]) -> None:
    password, api_key, company = (
        next(c for c in CASES if c.text == t) for t in ("Password", "API key", "Company name")
    )
    for case in (password, api_key):
        label = label_of(case, read[case])
        assert label is not None and is_secret_label(label.text)
    bullets = [w for w in read[password] if w.box.left >= 200 and abs(w.box.top - 216) < 20]
    assert looks_masked(bullets), [w.text for w in bullets]
    assert not looks_masked([w for w in read[company] if w.box.left >= 200])


@pytest.mark.ocr
@pytest.mark.browser
def test_words_of_one_crop_have_line_ids(read: dict[Case, list[Word]]) -> None:
    words = read[CASES[12]]  # the 12 px line of text, with the buttons above it
    saved = [w for w in words if w.text in ("Last", "saved", "minutes", "Doe")]
    assert len({w.line for w in saved}) == 1
    assert any(w.line != saved[0].line for w in words if w.text in ("Save", "Cancel"))


def grid_crops(frame: Path) -> list[tuple[str, Crop]]:
    crops = []
    for i, text in enumerate(WORDS):
        x, y = grid_position(i)
        crops.append((text, Crop(frame, Rect(x - 20, y - 12, 200, 56))))
    random.Random(7).shuffle(crops)
    return crops


@pytest.mark.ocr
@pytest.mark.browser
def test_many_crops_in_parallel_batches_come_back_in_order(pages: dict[str, Path]) -> None:
    crops = grid_crops(pages["grid"])
    ocr = Ocr(workers=3)
    results = ocr.read([crop for _, crop in crops])
    assert ocr.runs == 3
    assert [" ".join(w.text for w in words) for words in results] == [text for text, _ in crops]


@pytest.mark.ocr
@pytest.mark.browser
def test_cache_makes_a_second_read_run_no_tesseract(pages: dict[str, Path], tmp_path: Path) -> None:
    crops = [crop for _, crop in grid_crops(pages["grid"])[:8]]
    first = Ocr(cache_dir=tmp_path / "cache", workers=2)
    words = first.read(crops)
    assert first.runs == 2
    assert len(list((tmp_path / "cache").glob("*/*.json"))) == 8

    again = Ocr(cache_dir=tmp_path / "cache", workers=2)
    assert again.read(crops) == words
    assert again.runs == 0

    damaged = next((tmp_path / "cache").glob("*/*.json"))
    damaged.write_text("[[1, 2", encoding="utf-8")
    third = Ocr(cache_dir=tmp_path / "cache")
    assert third.read(crops) == words
    assert third.runs == 1


@pytest.mark.ocr
def test_same_crop_twice_is_read_once_and_empty_crops_not_at_all(tmp_path: Path) -> None:
    need("tesseract")
    frame = tmp_path / "frame.png"
    with Image.new("L", (200, 100), 255) as image:
        image.save(frame)
    ocr = Ocr()
    crop = Crop(frame, Rect(0, 0, 200, 100))
    assert ocr.read([crop, crop, Crop(frame, Rect(500, 500, 50, 50))]) == [[], [], []]
    assert ocr.runs == 1


class _Held(Ocr):
    """An Ocr whose tesseract runs wait for ``go``: a read is held while another one starts."""

    def __init__(self, go: threading.Event, started: threading.Event) -> None:
        super().__init__(workers=1)
        self.go, self.started = go, started
        self.pages: list[int] = []  # crops each tesseract run was given

    def _recognize(self, jobs: list[Any], workers: int) -> Any:
        self.pages.append(len(jobs))
        self.started.set()
        assert self.go.wait(60)
        return super()._recognize(jobs, workers)


@pytest.mark.ocr
def test_reads_at_once_read_a_crop_once() -> None:
    """A crop one read is reading, another read at the same time waits for rather than reads again (the
    pieces of one part of a recording are read while the next part's are found)."""
    need("tesseract")
    frame = RECORDINGS / "new-lead" / "frames" / "000008.png"
    crops = [Crop(frame, Rect(0, 100, 640, 200)), Crop(frame, Rect(0, 300, 640, 200))]
    go, started = threading.Event(), threading.Event()
    ocr = _Held(go, started)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(ocr.read, crops)
        assert started.wait(60)  # the first read has taken its crops: the second finds them being read
        second = pool.submit(ocr.read, [crops[1], Crop(frame, Rect(0, 500, 640, 200))])
        go.set()
        words, more = first.result(), second.result()
    assert ocr.runs == 2 and ocr.pages == [2, 1]  # the second read's tesseract reads its own crop only
    assert words[1] == more[0] and words[1] and more[1]
    assert Ocr().read(crops) == words


def expected_labels(scenario: Scenario) -> list[tuple[Kind, str | None]]:
    """(kind, label) for each mouse press of a scenario: a click followed by typing is into a field."""
    steps = iter(s for s in scenario.steps if s.action in ("click", "type", "double_click", "right_click"))
    found: list[tuple[Kind, str | None]] = []
    actions = scenario.actions
    for i, action in enumerate(actions):
        kind: Kind = "field" if i + 1 < len(actions) and isinstance(actions[i + 1], TypeText) else "pointer"
        if isinstance(action, Click | ClickText):
            presses = 2 if isinstance(action, Click) and action.double else 1
            found += [(kind, next(steps).target)] * presses
        elif isinstance(action, TypeText) and not (i and isinstance(actions[i - 1], Click | ClickText)):
            next(steps)  # typing without a click before it
    return found


@pytest.mark.ocr
def test_labels_on_recorded_frames_of_the_sample_app() -> None:
    """The frames the real recorder grabbed from Acme CRM in Chromium and from mousepad on Xvfb."""
    need("tesseract")
    crops, wanted = [], []
    for scenario in SCENARIOS:
        recording = load_recording(RECORDINGS / scenario.id)
        presses = [e for e in recording.events if isinstance(e, MouseButtonEvent) and e.type == "mouse_press"]
        expected = expected_labels(scenario)
        assert len(presses) == len(expected), scenario.id
        for press, (kind, target) in zip(presses, expected, strict=True):
            assert press.frame is not None
            monitor = recording.meta.monitors[press.frame.monitor - 1]
            point = (press.x - monitor.rect.left, press.y - monitor.rect.top)
            size = (monitor.rect.width, monitor.rect.height)
            crops.append(Crop(recording.frame_path(press.frame), crop_around(point, size, kind)))
            wanted.append((scenario.id, point, kind, target))
    wrong = []
    for words, (scenario_id, point, kind, target) in zip(Ocr().read(crops), wanted, strict=True):
        label = find_label(words, point, kind)
        if normal(label.text if label else None) != normal(target):
            wrong.append(f"{scenario_id}: {target!r} read as {label.text if label else None!r}")
    assert len(wrong) <= 0.1 * len(wanted), wrong


def test_nothing_to_read_needs_no_tesseract() -> None:
    assert Ocr().read([]) == []


@pytest.fixture
def fake_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A tesseract that knows its version and fails at OCR with the message in ``error.txt``."""
    import pytesseract  # type: ignore[import-untyped]

    script = tmp_path / "tesseract"
    script.write_text(
        '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "tesseract 5.3.0"; exit 0; fi\n'
        f'cat "{tmp_path / "error.txt"}" >&2\nexit 1\n'
    )
    script.chmod(0o755)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(script))
    with Image.new("L", (80, 40), 255) as image:
        image.save(tmp_path / "frame.png")
    yield tmp_path


def test_missing_tesseract_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-tesseract"))
    with pytest.raises(BackendUnavailableError, match="apt-get install tesseract-ocr"):
        Ocr().read([Crop(tmp_path / "frame.png", Rect(0, 0, 10, 10))])


def test_failing_tesseract_is_an_error(fake_tesseract: Path) -> None:
    (fake_tesseract / "error.txt").write_text("Error during processing.")
    with pytest.raises(VsopError, match=r"tesseract failed \(exit 1\): Error during processing"):
        Ocr().read([Crop(fake_tesseract / "frame.png", Rect(0, 0, 80, 40))])


def test_missing_language_data_says_how_to_install_it(fake_tesseract: Path) -> None:
    (fake_tesseract / "error.txt").write_text("Failed loading language 'eng'")
    with pytest.raises(BackendUnavailableError, match="apt-get install tesseract-ocr-eng"):
        Ocr().read([Crop(fake_tesseract / "frame.png", Rect(0, 0, 80, 40))])


def test_unreadable_frame_is_an_error(fake_tesseract: Path) -> None:
    with pytest.raises(VsopError, match=r"missing\.png: cannot read the frame"):
        Ocr().read([Crop(fake_tesseract / "missing.png", Rect(0, 0, 80, 40))])


def test_square_filter_equals_pillows_rank_filters() -> None:
    from PIL import Image, ImageChops, ImageFilter

    from generator.pipeline.ocr import square_filter

    image = Image.effect_noise((97, 61), 90).convert("L")
    assert (
        ImageChops.difference(
            square_filter(image, 5, ImageChops.darker), image.filter(ImageFilter.MinFilter(5))
        )
        .crop((2, 2, 95, 59))
        .getbbox()
        is None
    )
    assert (
        ImageChops.difference(
            square_filter(image, 7, ImageChops.lighter), image.filter(ImageFilter.MaxFilter(7))
        )
        .crop((3, 3, 94, 58))
        .getbbox()
        is None
    )
