"""A real browser opens the pages the way an official's phone would: Debian's Chromium,
driven by Playwright, network off, at 390 × 844. Pages are rendered through the real CLI
(``jamsos report``) on the small processed fixture.

Skips only on a developer machine without ``/usr/bin/chromium``; under CI (``CI`` set)
a missing Chromium is a failure (``.ci/run`` installs it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
WIDTH, HEIGHT = 390, 844

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian chromium not installed (apt-get install chromium); CI installs it", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api") if not os.environ.get("CI") else \
    __import__("playwright.sync_api", fromlist=["sync_playwright"])


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists(), "chromium is required under CI"
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def open_offline(browser, path: Path):
    """Open ``path`` with every non-file/data request aborted; return page and the logs."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1,
                                  is_mobile=True, has_touch=True, offline=True)
    blocked, failed, errors = [], [], []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(path.resolve().as_uri(), wait_until="load")
    return context, page, blocked, failed, errors


@pytest.mark.parametrize("name", ["3513-kabupaten-probolinggo.html", "provinsi-35.html", "index.html"])
def test_page_works_offline_at_phone_width(browser, pages, name):
    context, page, blocked, failed, errors = open_offline(browser, pages.folder / name)
    try:
        assert blocked == [] and failed == [] and errors == []
        images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
        assert all(complete and width > 0 for complete, width in images)
        if name != "index.html":
            assert len(images) >= 3
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        assert page.evaluate("document.body.scrollWidth") <= WIDTH
        assert page.locator(".jamsos-banner").first.is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{Path(name).stem}-390.png"), full_page=True)
    finally:
        context.close()


def test_index_links_open_the_region_page(browser, pages):
    context, page, blocked, failed, errors = open_offline(browser, pages.folder / "index.html")
    try:
        page.click('a[href="3574-kota-probolinggo.html"]')
        page.wait_for_load_state("load")
        assert page.url.endswith("3574-kota-probolinggo.html")
        assert "Kota Probolinggo" in page.title()
        assert blocked == [] and failed == [] and errors == []
    finally:
        context.close()
