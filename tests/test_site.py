"""The SOP site in a real browser: a library generated from the real recordings of the sample scenarios
(real tesseract), built with each engine, served on 127.0.0.1 and driven by headless Chromium (Playwright)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.guide.store import load_guide
from generator.library.control import approve_guide
from generator.publish import build_site
from generator.sample.scenarios import SCENARIOS
from generator.valuestream.store import load_valuestream
from tests.conftest import CHROMIUM_FLAGS, chromium_binary, copied_sample_library, need
from tests.sitelib import serve_folder

pytestmark = [pytest.mark.browser, pytest.mark.ocr]
ARTIFACTS = Path(os.environ.get("VSOP_ARTIFACTS") or Path(__file__).parent.parent / "artifacts") / "site"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, sample_library: Path) -> Path:
    """One guide per recorded sample scenario (generated once per run, conftest's ``sample_library``), this
    module's copy with every guide approved (the published site shows approved versions only)."""
    lib = copied_sample_library(sample_library, tmp_path_factory.mktemp("lib") / "lib")
    for scenario in SCENARIOS:
        if (lib / "guides" / scenario.id).is_dir():
            approve_guide(lib / "guides" / scenario.id / "guide.yml", "Test approver")
    return lib


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def site(
    request: pytest.FixtureRequest, library: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The library built with each engine and served by a plain file server: its base URL."""
    out = tmp_path_factory.mktemp(f"site-{request.param}")
    result = build_site(library, out / "site", request.param)
    assert result.ok, result.failures
    with serve_folder(result.out) as url:
        yield url


def test_the_library_covers_sales_and_fulfillment(library: Path) -> None:
    vs = load_valuestream(library)
    stages = {load_guide(p).stage for p in library.glob("guides/*/guide.yml")}
    streams = {s.stream for s in vs.stages if s.id in stages}
    assert len(list(library.glob("guides/*/guide.yml"))) >= 5
    assert streams == {"sales", "fulfillment"}


def test_map_stage_guide_images_search_and_no_outside_request(
    site: str, library: Path, request: pytest.FixtureRequest
) -> None:
    need(chromium_binary())
    from playwright.sync_api import sync_playwright

    engine = request.node.callspec.params["site"]
    vs = load_valuestream(library)
    guide = load_guide(library / "guides" / "new-lead" / "guide.yml")
    requested: list[str] = []
    failed: list[str] = []
    dialogs: list[str] = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which(chromium_binary()), args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith(site) else route.abort(),
        )
        page = context.new_page()
        page.on("request", lambda r: requested.append(r.url))
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        page.goto(site + "index.html", wait_until="networkidle")
        for stage in vs.stages:
            box = page.locator(f'[data-stage="{stage.id}"] a')
            assert box.count() == 1 and box.is_visible(), stage.id
            assert stage.name in box.inner_text()
        page.screenshot(path=ARTIFACTS / f"{engine}-home.png", full_page=True)

        page.locator('[data-stage="customer-inquiry"] a').click()
        page.wait_for_url("**/stages/customer-inquiry.html")
        assert page.locator("h1").first.inner_text().startswith("Customer inquiry")
        page.locator("article a", has_text=guide.title).first.click()
        page.wait_for_url("**/guides/new-lead/index.html")
        page.wait_for_load_state("networkidle")
        images = page.eval_on_selector_all(
            "article img", "imgs => imgs.map(i => [i.src, i.complete && i.naturalWidth > 0])"
        )
        shown = [s for s in guide.steps if s.dropped is None and s.image]
        assert len(images) == len(shown) > 0
        assert all(ok for _src, ok in images), images
        assert page.locator("a", has_text="Customer inquiry").count() >= 1  # the breadcrumb
        page.screenshot(path=ARTIFACTS / f"{engine}-guide.png", full_page=True)

        word = next(s.target for s in shown if s.target and len(s.target.split()[0]) > 3).split()[0]
        page.goto(site + "index.html", wait_until="networkidle")
        page.keyboard.press("Control+k" if engine == "zensical" else "s")
        page.keyboard.type(word)
        hit = page.locator(
            '.md-search-result a[href*="guides/new-lead/"], [role=listbox] a[href*="guides/new-lead/"]'
        ).first
        hit.wait_for(state="attached", timeout=15_000)
        browser.close()

    outside = [u for u in requested if not u.startswith(site)]
    assert outside == [], outside
    assert failed == [], failed
    assert dialogs == []
