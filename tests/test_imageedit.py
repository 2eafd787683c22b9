"""A person's image edits: blur only inside its boxes, crop to its size, the highlight moved; the image file
itself is never written; the site and the exports publish the edited image."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from PIL import Image, ImageChops

from capture.models import Rect
from generator.export.formats import export_html, write_markdown
from generator.guide.model import Guide, LibrarySettings, Step
from generator.guide.store import load_guide, save_guide
from generator.images.annotate import ACCENT, ACCENT_INDEX, highlight, save_png, to_palette
from generator.images.edits import edited_image, edited_png, has_image_edits, published_images
from generator.images.files import image_size
from generator.publish.project import write_project
from generator.render.guide_page import guide_markdown
from generator.valuestream.store import load_valuestream


def screenshot(path: Path) -> Path:
    """A UI-like palette image as vsop generate writes it, with the machine's highlight at (40, 30)."""
    rgb = Image.new("RGB", (320, 200), (240, 242, 245))
    for y in range(0, 200, 20):
        rgb.paste((30 + y, 60, 200 - y // 2), (10, y + 4, 300, y + 12))  # lines of "text"
    image = to_palette(rgb)
    highlight(image, None, Rect(40, 30, 60, 16), None)
    save_png(image, path)
    return path


def step(**kw: object) -> Step:
    return Step(
        id="s-1",
        action="click",
        target="Save",
        value=None,
        window="App",
        text="Click **Save**.",
        image="images/s-1.png",
        **kw,
    )  # type: ignore[arg-type]


def rgb_of(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def test_blur_changes_pixels_only_inside_its_box(tmp_path: Path) -> None:
    path = screenshot(tmp_path / "s.png")
    before = path.read_bytes()
    box = (100, 60, 120, 50)
    out = rgb_of(edited_png(path, step(blur=[box])))
    original = rgb_of(path.read_bytes())
    changed = ImageChops.difference(out, original).getbbox()
    assert changed is not None
    left, top, right, bottom = changed
    assert box[0] <= left and box[1] <= top and right <= box[0] + box[2] and bottom <= box[1] + box[3]
    assert path.read_bytes() == before


def test_crop_keeps_that_part_of_the_image(tmp_path: Path) -> None:
    path = screenshot(tmp_path / "s.png")
    out = rgb_of(edited_png(path, step(crop=(20, 10, 150, 90))))
    assert out.size == (150, 90)
    original = rgb_of(path.read_bytes()).crop((20, 10, 170, 100))
    assert ImageChops.difference(out, original).getbbox() is None


def test_a_moved_highlight_replaces_the_machines(tmp_path: Path) -> None:
    path = screenshot(tmp_path / "s.png")
    with Image.open(path) as source:
        edited = edited_image(source, step(box=(150, 120, 80, 30), edited=["box"]))
    assert edited.mode == "P"
    pixels = edited.convert("RGB")
    accent = [(x, y) for x in range(320) for y in range(200) if pixels.getpixel((x, y)) == ACCENT]
    xs, ys = [p[0] for p in accent], [p[1] for p in accent]
    assert accent and min(xs) >= 140 and min(ys) >= 110  # the old outline around (40, 30) is gone
    assert edited.getpalette()[ACCENT_INDEX * 3 : ACCENT_INDEX * 3 + 3] == list(ACCENT)  # type: ignore[index]


def test_a_removed_highlight_leaves_no_accent(tmp_path: Path) -> None:
    path = screenshot(tmp_path / "s.png")
    pixels = rgb_of(edited_png(path, step(box=None, edited=["box"])))
    assert all(pixels.getpixel((x, y)) != ACCENT for x in range(320) for y in range(200))


def test_no_edits_no_edited_image() -> None:
    assert not has_image_edits(step(edited=["text", "note"]))
    assert has_image_edits(step(blur=[(0, 0, 5, 5)])) and has_image_edits(step(crop=(0, 0, 5, 5)))


def edited_guide(tmp_path: Path) -> Path:
    folder = tmp_path / "lib" / "guides" / "g"
    screenshot(folder / "images" / "s-1.png")
    screenshot(folder / "images" / "s-1-full.png")
    guide = Guide(
        id="g",
        title="G",
        stage=None,
        version="1.0.0",
        purpose=None,
        recorded={},
        steps=[step(crop=(0, 0, 100, 50), blur=[(0, 0, 40, 20)], edited=["blur", "crop"])],
    )
    save_guide(guide, folder / "guide.yml")
    return folder


def test_exports_embed_the_edited_image(tmp_path: Path) -> None:
    folder = edited_guide(tmp_path)
    guide = load_guide(folder / "guide.yml")
    published = published_images(guide, folder)["images/s-1.png"]
    page = export_html(guide, folder)
    sources = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert [base64.b64decode(s) for s in sources] == [published]
    (tmp_path / "out").mkdir()
    write_markdown(guide, folder, tmp_path / "out" / "g.md")
    assert (tmp_path / "out" / "g-images" / "s-1.png").read_bytes() == published


def test_the_site_publishes_the_edited_image_without_its_full_frame(tmp_path: Path) -> None:
    folder = edited_guide(tmp_path)
    original = (folder / "images" / "s-1.png").read_bytes()
    lib = tmp_path / "lib"
    result = write_project(lib, load_valuestream(lib), LibrarySettings(), drafts=True)  # never approved
    docs = result.path / "docs" / "guides" / "g"
    assert image_size(docs / "images" / "s-1.png") == (100, 50)
    assert not (docs / "images" / "s-1-full.png").exists()
    assert "s-1-full.png" not in guide_markdown(load_guide(folder / "guide.yml"), enlarge=True)
    assert (folder / "images" / "s-1.png").read_bytes() == original
    guide = load_guide(folder / "guide.yml")
    guide.steps[0].crop = None
    guide.steps[0].blur = []
    save_guide(guide, folder / "guide.yml")
    write_project(lib, load_valuestream(lib), LibrarySettings(), drafts=True)  # undone: the original again
    assert (docs / "images" / "s-1.png").read_bytes() == original
    assert (docs / "images" / "s-1-full.png").is_file()
