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
#: where the screenshots and PDFs of a test run go (not committed): ``$JAMSOS_ARTIFACTS``, else tests/artifacts/
ARTIFACTS = Path(os.environ.get("JAMSOS_ARTIFACTS") or Path(__file__).parent / "artifacts")
WIDTH, HEIGHT = 390, 844

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian chromium not installed (apt-get install chromium); CI installs it", allow_module_level=True)

sync_api = (
    pytest.importorskip("playwright.sync_api")
    if not os.environ.get("CI")
    else __import__("playwright.sync_api", fromlist=["sync_playwright"])
)


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists(), "chromium is required under CI"
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def open_offline(browser, path: Path, width: int = WIDTH, height: int = HEIGHT):
    """Open ``path`` with every non-file/data request aborted; return page and the logs."""
    phone = width <= 500
    context = browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=1,
        is_mobile=phone,
        has_touch=phone,
        offline=True,
    )
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
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
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


@pytest.mark.parametrize("width", [390, 1366])
def test_province_page_shows_the_map_of_all_38(browser, pages, width):
    context, page, blocked, failed, errors = open_offline(browser, pages.folder / "provinsi-35.html", width=width)
    try:
        assert blocked == [] and failed == [] and errors == []
        shown = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.alt, e.naturalWidth, e.getBoundingClientRect().width])"
        )
        maps = [s for s in shown if s[0].startswith("Peta Jawa Timur:")]
        assert [alt.split(",")[0] for alt, _n, _w in maps] == [
            "Peta Jawa Timur: cakupan 38 kabupaten/kota",
            "Peta Jawa Timur: status 38 kabupaten/kota terhadap target: 1 tercapai",
        ]
        # every chart says what it shows: no two images share an alt text
        assert len({alt for alt, _n, _w in maps}) == len(maps)
        for _alt, natural, drawn in maps:
            assert drawn <= width - 20
            if width == 390:  # shown at 366 of 528 px: 8,5 pt map text is >= 9 CSS px
                assert drawn / natural >= 366 / 528 - 0.01
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"provinsi-35-map-{width}.png"), full_page=True)
    finally:
        context.close()


def test_region_page_map_outlines_the_region(browser, pages):
    import re

    context, page, *_logs = open_offline(browser, pages.folder / "3513-kabupaten-probolinggo.html", width=1366)
    try:
        alts = page.eval_on_selector_all("img", "els => els.map(e => e.alt)")
        (alt,) = [a for a in alts if a.startswith("Peta Jawa Timur")]
        value = re.search(r"Kab\. Probolinggo ditandai oranye: (\d+,\d\d)%\.$", alt).group(1)
        # the same figure as the headline's, as precise (33,08% in both)
        shown = page.inner_text('.jamsos-decision [data-figure="coverage_pct"]')
        assert shown.strip().rstrip("%") == value
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "3513-kabupaten-probolinggo-1366.png"), full_page=True)
    finally:
        context.close()


def _pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF: its ``/Type /Page`` objects (not ``/Pages``)."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def test_pdf_page_counter_counts_pages_not_the_page_tree():
    pdf = b"<< /Type /Pages /Count 2 >> << /Type /Page /Parent 1 0 R >> << /Type/Page >>"
    assert _pdf_pages(pdf) == 2


#: A4 less the print stylesheet's margins (10 mm + 11 mm), in CSS px (96 a inch)
A4_CONTENT_HEIGHT_PX = (297 - 21) / 25.4 * 96


@pytest.mark.parametrize("name", ["3513-kabupaten-probolinggo.html", "3574-kota-probolinggo.html", "provinsi-35.html"])
def test_region_page_prints_on_at_most_four_a4_sheets_without_cut_tables_or_charts(browser, pages, name):
    context, page, blocked, failed, errors = open_offline(browser, pages.folder / name, width=1366)
    try:
        pdf = page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF")
        assert 1 <= _pdf_pages(pdf) <= 4
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"{Path(name).stem}.pdf").write_bytes(pdf)
        # in print, every table and chart is kept whole (break-inside: avoid) and is shorter than
        # a sheet (so it can be); nothing scrolls or sticks
        page.emulate_media(media="print")
        boxes = page.eval_on_selector_all(
            "table, img, .jamsos-headline",
            """els => els.map(e => {
            const s = getComputedStyle(e);
            return [e.tagName, s.breakInside, e.getBoundingClientRect().height]; })""",
        )
        assert len([b for b in boxes if b[0] == "IMG"]) >= 4 and any(b[0] == "TABLE" for b in boxes)
        for tag, brk, height in boxes:
            assert brk == "avoid", tag
            assert height <= A4_CONTENT_HEIGHT_PX, (tag, height)
        scrolling = page.evaluate("""() => [...document.querySelectorAll('*')].filter(e => {
            const s = getComputedStyle(e);
            return ['auto', 'scroll'].includes(s.overflowX) || ['auto', 'scroll'].includes(s.overflowY)
                || ['sticky', 'fixed'].includes(s.position); }).map(e => e.tagName + '.' + e.className)""")
        assert scrolling == []
        assert blocked == [] and failed == [] and errors == []
    finally:
        context.close()


#: the decision's figures on the first screen: coverage, target (of its year), gap, cost, status
DECISION = ("coverage_pct", "target_pct", "gap_pp", "close_cost_rp", "status_label")


@pytest.mark.parametrize("name", ["3513-kabupaten-probolinggo.html", "3574-kota-probolinggo.html", "provinsi-35.html"])
def test_the_decision_is_on_the_first_phone_screen(browser, pages, name):
    context, page, blocked, failed, errors = open_offline(browser, pages.folder / name)
    try:
        assert blocked == [] and failed == [] and errors == []
        found = page.eval_on_selector_all(
            ".jamsos-decision [data-figure]",
            """els => els.map(e => {
            const card = e.closest('.card') || e; const r = card.getBoundingClientRect();
            return [e.dataset.figure, e.textContent, card.innerText, r.top + window.scrollY,
                    r.bottom + window.scrollY, r.left, r.right]; })""",
        )
        cards = {key: (value, text, top, bottom, left, right) for key, value, text, top, bottom, left, right in found}
        assert set(DECISION) <= set(cards)
        for key in DECISION:
            value, text, top, bottom, left, right = cards[key]
            assert value.strip() and value.strip() != "–", key
            assert 0 <= top and bottom <= HEIGHT, (key, top, bottom)  # within the first 844 px
            assert 0 <= left and right <= WIDTH, (key, left, right)
        assert "2025" in cards["target_pct"][1]  # the target's year
        assert cards["close_cost_rp"][0].startswith("Rp ") and "bulan" in cards["close_cost_rp"][1]
        assert "dari pekerja yang memenuhi syarat" in cards["coverage_pct"][1]  # the denominator's name
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{Path(name).stem}-first-screen-390.png"))
    finally:
        context.close()
