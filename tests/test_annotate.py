"""Annotated step images: highlight, crop, redaction, size; on a real 1920x1080 Chromium screenshot of a
form-heavy business page and on synthetic frames."""

from __future__ import annotations

import hashlib
import io
import random
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat

from capture.models import Rect
from generator.guide.model import Redaction
from generator.images.annotate import (
    ACCENT,
    ACCENT_INDEX,
    Marks,
    Patch,
    annotate,
    crop_box,
    draw_frame,
    finish,
    full_image_name,
    prepare,
    to_palette,
    view_box,
    views_within,
)
from tests.conftest import CHROMIUM_FLAGS, chromium_binary

SAVE = Rect(300, 900, 120, 32)  # the "Save lead" button, placed absolutely on the page
EMAIL = Rect(1300, 904, 260, 24)  # an e-mail address to redact
MAX_STEP_IMAGE = 150_000


def business_page() -> str:
    """A dense CRM screen: toolbar, navigation, a two-column form, a striped grid, a chart."""
    chips = [("Open", "#e3f0ff"), ("Shipped", "#e6f6ea"), ("Overdue", "#fde8e8"), ("Draft", "#f1f1f1")]
    rows = "".join(
        f"<tr><td><input type=checkbox></td><td>ORD-{10290 + i}</td>"
        f"<td>2024-{1 + i % 12:02}-{1 + i % 28:02}</td>"
        f"<td>Customer {i} GmbH &amp; Co. KG</td><td>{['Berlin', 'Hamburg', 'München', 'Köln'][i % 4]}</td>"
        f"<td>{3 + i} pcs</td><td>€ {1234 + i * 17:,}.50</td><td>{(i * 7) % 30} d</td>"
        f"<td><span class=chip style='background:{chips[i % 4][1]}'>{chips[i % 4][0]}</span></td>"
        f"<td>{['M. Schmidt', 'A. Weber', 'J. Doe'][i % 3]}</td></tr>"
        for i in range(30)
    )
    fields = "".join(
        f"<label>{label}<input value='{value}'></label>"
        for label, value in [
            ("Company name", "Acme Corp"), ("Contact", "Jane Doe"), ("Street", "Hauptstraße 12"),
            ("City", "Berlin"), ("Postcode", "10115"), ("Country", "Germany"), ("VAT ID", "DE123456789"),
            ("Lead source", "Trade fair"), ("Owner", "M. Schmidt"), ("Industry", "Manufacturing"),
            ("Employees", "250-499"), ("Revenue", "€ 48,000,000"), ("Rating", "Warm"), ("Region", "DACH"),
        ]
    )  # fmt: skip
    nav = "".join(
        f"<a>{name}</a>"
        for name in ("Sales", "Leads", "Accounts", "Contacts", "Orders", "Quotes", "Invoices", "Purchasing",
                     "Suppliers", "Products", "Warehouse", "Stock", "Reports", "Settings")
    )  # fmt: skip
    bars = "".join(
        f"<rect x='{i * 22}' y='{100 - (i * 37) % 90}' width='16' height='{(i * 37) % 90}' fill='#4a7bd0'/>"
        for i in range(12)
    )
    return f"""<!doctype html><html><head><meta charset=utf-8><title>Acme CRM - New Lead</title><style>
body{{margin:0;font:13px sans-serif;color:#222;background:#eef1f5}}
header{{background:linear-gradient(#2a4d7a,#1b3556);color:#fff;padding:10px 16px;font-size:17px}}
.tools{{background:#fff;border-bottom:1px solid #ccd;padding:6px 16px}}
button{{background:#2d6cdf;color:#fff;border:0;padding:6px 12px;border-radius:3px;margin-right:6px}}
nav{{float:left;width:200px;background:#fff;border-right:1px solid #ccd;height:980px}}
nav a{{display:block;padding:6px 10px;color:#1b3556;border-bottom:1px solid #f0f0f0}}
main{{margin-left:212px;padding:10px;display:grid;grid-template-columns:540px 1fr;gap:10px}}
.card{{background:#fff;border:1px solid #d5d9e0;border-radius:4px;padding:10px}}
.form{{display:grid;grid-template-columns:1fr 1fr;gap:2px 12px}} label{{color:#555;font-size:12px}}
input{{display:block;width:92%;padding:4px;border:1px solid #b9c0ca;border-radius:3px;font-size:13px}}
table{{border-collapse:collapse;width:100%;font-size:12px}} th{{background:#f3f5f8;text-align:left}}
td,th{{padding:4px 6px;border-bottom:1px solid #e8eaee}} tr:nth-child(even) td{{background:#fafbfc}}
.chip{{padding:1px 6px;border-radius:8px}} .at{{position:absolute;box-sizing:border-box;margin:0}}
</style></head><body><header>Acme CRM &nbsp; &rsaquo; Sales &rsaquo; Leads &rsaquo; New lead</header>
<div class=tools><button>New</button><button>Save</button><button>Delete</button><button>Export</button>
Search: <input style='display:inline;width:300px'></div><nav>{nav}</nav><main>
<div class=card><h3>New lead</h3><div class=form>{fields}</div><h3>Pipeline</h3>
<svg width=270 height=100>{bars}</svg></div><div class=card><h3>Recent orders</h3><table><tr><th></th>
<th>Order</th><th>Date</th><th>Customer</th><th>City</th><th>Qty</th><th>Total</th><th>Age</th><th>Status</th><th>Owner</th></tr>{rows}
</table></div></main>
<button class=at style='left:{SAVE.left}px;top:{SAVE.top}px;width:{SAVE.width}px;height:{SAVE.height}px'>
Save lead</button><div class=at style='left:{EMAIL.left}px;top:{EMAIL.top}px;font-size:18px;color:#111'>
jane.doe@acme.example</div></body></html>"""


@pytest.fixture(scope="module")
def screenshot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("screen")
    page = folder / "page.html"
    page.write_text(business_page(), encoding="utf-8")
    shot = folder / "screen.png"
    argv = [
        chromium_binary(),
        "--headless",
        *CHROMIUM_FLAGS,
        f"--user-data-dir={folder / 'profile'}",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=1920,1080",
        f"--screenshot={shot}",
        page.as_uri(),
    ]
    subprocess.run(argv, check=True, capture_output=True, timeout=120)
    with Image.open(shot) as image:
        assert image.size == (1920, 1080)
    yield shot


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rgb(path: Path) -> Image.Image:
    with Image.open(path) as image:
        converted: Image.Image = image.convert("RGB")
    return converted


def is_accent(image: Image.Image, xy: tuple[int, int]) -> bool:
    return bool(image.getpixel(xy) == ACCENT)


def spread(image: Image.Image, rect: Rect) -> float:
    """Standard deviation of the grey levels in ``rect``: text on a plain background has a lot."""
    region = image.crop((rect.left, rect.top, rect.left + rect.width, rect.top + rect.height)).convert("L")
    return float(ImageStat.Stat(region).stddev[0])


@pytest.mark.browser
def test_step_image_on_a_real_screen(screenshot: Path, tmp_path: Path) -> None:
    before = digest(screenshot)
    out, full = tmp_path / "images" / "s-0001.png", tmp_path / "images" / "s-0001-full.png"
    point = (SAVE.left + 60, SAVE.top + 16)
    annotate(screenshot, point, SAVE, None, [Redaction(EMAIL, "email")], out, full)

    assert digest(screenshot) == before
    assert out.stat().st_size <= MAX_STEP_IMAGE, out.stat().st_size
    assert full.stat().st_size <= 2 * MAX_STEP_IMAGE, full.stat().st_size
    assert sorted(p.name for p in out.parent.iterdir()) == ["s-0001-full.png", "s-0001.png"]

    view = view_box((1920, 1080), point, SAVE, None)
    step = rgb(out)
    assert step.size == (view.width, view.height) == (960, 540)
    assert view.left <= SAVE.left - 40 and SAVE.left + SAVE.width + 40 <= view.left + view.width
    assert view.top <= SAVE.top - 40 and SAVE.top + SAVE.height + 40 <= view.top + view.height
    left, top = SAVE.left - view.left - 4, SAVE.top - view.top - 4  # the outline, 4 px outside the box
    right, bottom = left + SAVE.width + 8, top + SAVE.height + 8
    middle_x, middle_y = (left + right) // 2, (top + bottom) // 2
    for xy in [(middle_x, top + 1), (middle_x, bottom - 1), (left + 1, middle_y), (right - 1, middle_y)]:
        assert is_accent(step, xy), xy
    assert not is_accent(step, (middle_x, middle_y))


@pytest.mark.browser
def test_redaction_on_a_real_screen(screenshot: Path, tmp_path: Path) -> None:
    out, full = tmp_path / "s.png", tmp_path / "s-full.png"
    point = (EMAIL.left + 20, EMAIL.top - 60)
    annotate(screenshot, point, None, None, [Redaction(EMAIL, "email")], out, full)
    original, published = rgb(screenshot), rgb(full)
    assert spread(original, EMAIL) > 40
    assert spread(published, EMAIL) < 0.2 * spread(original, EMAIL)
    view = view_box(original.size, point, None, None)
    in_step = Rect(EMAIL.left - view.left, EMAIL.top - view.top, EMAIL.width, EMAIL.height)
    assert spread(rgb(out), in_step) < 0.2 * spread(original, EMAIL)


# Synthetic frames ----------------------------------------------------------------------------------------


@pytest.fixture
def frame(tmp_path: Path) -> Path:
    """A 1600x900 frame with lines of text on white."""
    image = Image.new("RGB", (1600, 900), "white")
    draw = ImageDraw.Draw(image)
    for y in range(20, 900, 24):
        draw.text((20, y), "jane.doe@acme.example +49 30 1234 5678 " * 6, fill="black", font_size=16)
    path = tmp_path / "frame.png"
    image.save(path)
    return path


def accent_pixels(path: Path) -> list[tuple[int, int]]:
    image = rgb(path)
    return [
        (x, y) for y in range(image.height) for x in range(image.width) if image.getpixel((x, y)) == ACCENT
    ]


def test_ring_around_a_point_without_box(frame: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.png"
    annotate(frame, (800, 450), None, None, [], out)
    view = view_box((1600, 900), (800, 450), None, None)
    ring = accent_pixels(out)
    xs, ys = [x + view.left for x, _ in ring], [y + view.top for _, y in ring]
    assert (min(xs), max(xs), min(ys), max(ys)) == (782, 818, 432, 468)


def test_ring_beside_a_label_box(frame: Path, tmp_path: Path) -> None:
    """A field's label is beside the field: the label is outlined and the click point gets its ring."""
    out = tmp_path / "s.png"
    label = Rect(600, 400, 100, 20)
    annotate(frame, (800, 410), label, None, [], out)
    view = view_box((1600, 900), (800, 410), label, None)
    image = rgb(out)
    assert is_accent(image, (800 - view.left, 410 - 18 - view.top + 1))  # top of the ring
    assert is_accent(image, (650 - view.left, 400 - 4 - view.top + 1))  # top of the outline


def test_drag_arrow(frame: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.png"
    annotate(frame, (300, 300), None, (700, 500), [], out)
    view = view_box((1600, 900), (300, 300), None, (700, 500))
    assert view.left <= 300 - 18 and view.left + view.width >= 700 + 18
    image = rgb(out)
    assert is_accent(image, (500 - view.left, 400 - view.top))  # middle of the shaft
    assert is_accent(image, (696 - view.left, 498 - view.top))  # the head, just before the end


def test_small_frame_is_kept_whole(tmp_path: Path) -> None:
    small = tmp_path / "small.png"
    Image.new("RGB", (640, 400), "#336699").save(small)
    out, full = tmp_path / "s.png", tmp_path / "s-full.png"
    annotate(small, (10, 10), None, None, [], out, full)
    with Image.open(out) as a, Image.open(full) as b:
        assert a.size == b.size == (640, 400)
        assert a.mode == "P"


def test_redaction_collapses_the_text(frame: Path, tmp_path: Path) -> None:
    box = Rect(20, 500, 400, 20)
    full = tmp_path / "s-full.png"
    annotate(frame, (900, 100), None, None, [Redaction(box, "email")], tmp_path / "s.png", full)
    before, after = spread(rgb(frame), box), spread(rgb(full), box)
    assert before > 60 and after < 0.2 * before, (before, after)
    outside = Rect(20, 600, 400, 20)
    assert spread(rgb(full), outside) > 0.8 * spread(rgb(frame), outside)


def test_redaction_outside_the_frame_is_clipped(frame: Path, tmp_path: Path) -> None:
    annotate(frame, None, None, None, [Redaction(Rect(1500, 850, 400, 400), "card")], tmp_path / "s.png")
    annotate(frame, None, None, None, [Redaction(Rect(5000, 5000, 10, 10), "card")], tmp_path / "t.png")


def test_the_source_frame_is_never_replaced(frame: Path) -> None:
    before = digest(frame)
    with pytest.raises(ValueError, match="source frame"):
        annotate(frame, (10, 10), None, None, [], frame)
    assert digest(frame) == before


def test_rgba_frames(tmp_path: Path) -> None:
    path = tmp_path / "rgba.png"
    Image.new("RGBA", (1200, 800), (10, 20, 30, 255)).save(path)
    annotate(path, (600, 400), Rect(580, 390, 40, 20), None, [], tmp_path / "s.png")
    assert accent_pixels(tmp_path / "s.png")


@pytest.mark.parametrize(
    ("size", "target", "expected"),
    [
        ((1920, 1080), (900, 500, 1000, 530), (470, 245, 1430, 785)),  # centred
        ((1920, 1080), (0, 0, 40, 20), (0, 0, 960, 540)),  # clamped to the top left
        ((1920, 1080), (1900, 1060, 1920, 1080), (960, 540, 1920, 1080)),  # clamped to the bottom right
        ((1920, 1080), (100, 100, 1300, 200), (52, 0, 1348, 540)),  # wider than the crop: grown
        ((800, 600), (10, 10, 20, 20), (0, 0, 800, 540)),  # narrower frame: its whole width
        ((1920, 1080), None, (0, 0, 1920, 1080)),  # nothing to show: the whole frame
    ],
)
def test_crop_box(
    size: tuple[int, int], target: tuple[int, int, int, int] | None, expected: tuple[int, int, int, int]
) -> None:
    assert crop_box(size, target) == expected


def test_full_image_name() -> None:
    assert full_image_name("images/s-3f9a.png") == "images/s-3f9a-full.png"
    assert full_image_name("images.v2/s") == "images.v2/s-full"


def test_steps_on_one_frame_are_drawn_as_each_alone(frame: Path, tmp_path: Path) -> None:
    """One decoding, one blurring and one palette of the whole frame serve every step shown on it."""
    marks = [Marks((300, 300), Rect(280, 290, 60, 20), None), Marks((1200, 700), None, (1400, 800))]
    redactions = [Redaction(Rect(20, 500, 400, 20), "email")]
    drawn = draw_frame(frame, marks, redactions, full=True)
    assert len(drawn) == 2
    for i, (mark, images) in enumerate(zip(marks, drawn, strict=True)):
        out, full = tmp_path / f"{i}.png", tmp_path / f"{i}-full.png"
        annotate(frame, mark.point, mark.box, mark.end, redactions, out, full)
        assert images.step == out.read_bytes() and images.full == full.read_bytes()
    assert draw_frame(frame, marks, redactions, full=False)[1].full is None


def test_views_within_hold_every_view_a_box_there_gives() -> None:
    size, point, end = (1920, 1080), (700, 300), None
    within = Rect(400, 230, 600, 140)  # a label crop around the point
    reach = views_within(size, point, within, end)
    rng = random.Random(7)
    for _ in range(300):
        left, top = rng.randrange(within.left, 1000), rng.randrange(within.top, 370)
        box = Rect(left, top, rng.randrange(1, 1001 - left), rng.randrange(1, 371 - top))
        view = view_box(size, point, box, end)
        assert reach.left <= view.left and view.left + view.width <= reach.left + reach.width, (box, view)
        assert reach.top <= view.top and view.top + view.height <= reach.top + reach.height, (box, view)
    assert reach.width < size[0] and reach.height < size[1]


def test_an_image_begun_before_its_redactions_are_known_is_the_same_or_blurred(
    frame: Path, tmp_path: Path
) -> None:
    """The crop reduced to a palette while OCR runs (prepare), redactions blurred and the highlight drawn
    once they are known (finish): the same image as drawn at once, but for the blur."""
    mark = Marks((300, 510), Rect(280, 500, 60, 20), None)
    (begun,) = prepare(frame, [mark])
    assert finish(begun, mark, []) == draw_frame(frame, [mark], [], full=False)[0].step
    email = Rect(20, 500, 200, 20)
    out = tmp_path / "s.png"
    out.write_bytes(finish(begun, mark, [Redaction(email, "email")]))
    view = view_box((1600, 900), mark.point, mark.box, None)
    moved = Rect(email.left - view.left, email.top - view.top, email.width, email.height)
    before, after = spread(rgb(frame).crop(view_crop(view)), moved), spread(rgb(out), moved)
    assert before > 60 and after < 0.2 * before, (before, after)
    outside = Rect(moved.left, moved.top + 100, moved.width, moved.height)
    assert spread(rgb(out), outside) > 0.8 * spread(rgb(frame).crop(view_crop(view)), outside)
    assert accent_pixels(out)


def view_crop(view: Rect) -> tuple[int, int, int, int]:
    return view.left, view.top, view.left + view.width, view.top + view.height


def patch_of(frame: Path, box: tuple[int, int, int, int], paint: bool = False) -> Patch:
    """The part ``box`` of ``frame``, decoded (painted red when ``paint``: an image drawn from the patch then
    shows red where it shows the frame)."""
    with Image.open(frame) as image:
        part = image.convert("RGB").crop(box)
    if paint:
        part.paste((255, 0, 0), (0, 0, *part.size))
    return Patch(part, box[0], box[1], (1600, 900))


def test_a_patch_of_the_frame_decoded_already_is_drawn_as_the_frame(frame: Path) -> None:
    """The part of a frame decoded for OCR saves decoding it again: the images drawn from it are those drawn
    from the frame, as long as it holds all they show and all that their redactions blur; else the frame is
    decoded (and the patch ignored)."""
    marks = [Marks((800, 450), Rect(780, 440, 60, 20), None)]
    view = view_crop(view_box((1600, 900), (800, 450), Rect(780, 440, 60, 20), None))
    assert view == (330, 180, 1290, 720)
    around = (view[0] - 10, view[1] - 10, view[2] + 10, view[3] + 10)
    for redactions in ([], [Redaction(Rect(400, 500, 200, 20), "email")]):
        whole = draw_frame(frame, marks, redactions, full=False)
        assert draw_frame(frame, marks, redactions, False, patch_of(frame, around)) == whole
    begun = [p.image.tobytes() for p in prepare(frame, marks, patch_of(frame, around))]
    assert begun == [p.image.tobytes() for p in prepare(frame, marks)]
    used = draw_frame(frame, marks, [], False, patch_of(frame, view, paint=True))[0].step
    with Image.open(io.BytesIO(used)) as image:
        assert image.convert("RGB").getpixel((500, 10)) == (255, 0, 0)
    across = [Redaction(Rect(view[0] - 30, 600, 60, 20), "email")]  # its blur reaches past the patch
    for short, redactions in (((view[0] + 1, *view[1:]), []), (view, across)):
        drawn = draw_frame(frame, marks, redactions, False, patch_of(frame, short, paint=True))
        assert drawn == draw_frame(frame, marks, redactions, full=False)
    narrow = patch_of(frame, (*view[:2], view[2] - 1, view[3]), paint=True)
    assert prepare(frame, marks, narrow)[0].image.tobytes() == prepare(frame, marks)[0].image.tobytes()


def test_a_ui_screenshot_keeps_its_flat_colours_exact_in_its_palette(frame: Path) -> None:
    """Quantised from its distinct rows and columns only: each colour that covers a good part of a screenshot
    keeps its exact value, nearly every pixel too (as quantising the whole image does), and the accent's
    entry is left to the highlight."""
    with Image.open(frame) as image:
        source = image.convert("RGB").crop((100, 100, 1060, 640))
    draw = ImageDraw.Draw(source)
    for i, colour in enumerate(["#f3f4f6", "#ffffff", "#2563eb", "#fafbfc", "#111827"]):
        draw.rectangle((20 + 150 * i, 300, 160 + 150 * i, 500), fill=colour)
        draw.text((30 + 150 * i, 320), "Save lead", fill="#6b7280", font_size=18)  # anti-aliased
    colours = source.getcolors(1 << 20) or []
    assert len(colours) > 255
    image = to_palette(source)
    assert image.mode == "P" and image.size == source.size
    assert ACCENT_INDEX not in {index for _, index in image.getcolors(256) or []}
    assert (image.getpalette() or [])[3 * ACCENT_INDEX : 3 * ACCENT_INDEX + 3] == list(ACCENT)
    out = image.convert("RGB")
    kept = {colour: count for count, colour in out.getcolors(1 << 20) or []}
    flat = [(count, colour) for count, colour in colours if count >= source.width * source.height // 200]
    assert len(flat) >= 5 and all(kept.get(colour, 0) >= count for count, colour in flat)
    error = ImageChops.difference(source, out)
    exact = {colour: count for count, colour in error.getcolors(1 << 20) or []}.get((0, 0, 0), 0)
    assert exact >= 0.95 * source.width * source.height  # the anti-aliased text's shades: the rest
    assert sum(ImageStat.Stat(error).mean) / 3 < 0.1  # grey levels off, on the mean
