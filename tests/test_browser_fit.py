"""Tables that fit (issue 14): in Chromium, offline, at 390 px (phone) and 1366 px (desktop),
no column that carries a decision (coverage, target, gap, status, cost, coverage after) is
hidden in any table of any page: each of its cells is shown, has a size, and lies inside the
window and inside the table's own scroll box (a cell behind a sideways scroll is hidden).
Also: a notebook's outputs read the same in JupyterLab as on the page (cards as boxes, one
heading per section), from nbconvert's own "lab" HTML without the jamsos template.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jamsos_lib.present.labels import Labels
from test_browser import ARTIFACTS, browser, open_offline  # noqa: F401  (browser: the shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ("3513-kabupaten-probolinggo.html", "3574-kota-probolinggo.html", "provinsi-35.html", "index.html")
#: decision columns each page shows in a table (region pages: the scenario table)
EXPECTED = {
    "3513-kabupaten-probolinggo.html": {"Biaya", "Cakupan sesudah"},
    "3574-kota-probolinggo.html": {"Biaya", "Cakupan sesudah"},
    "provinsi-35.html": {"Cakupan", "Target", "Selisih (poin persen)", "Status"},
    "index.html": {"Cakupan", "Target", "Status"},
}
#: the label keys of the columns an official decides on
DECISION_KEYS = (
    "coverage",
    "coverage_pct",
    "target",
    "target_pct",
    "gap",
    "gap_pp",
    "gap_persons",
    "status",
    "cost",
    "coverage_after",
    "close_cost",
)

CELLS = """(decision) => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  for (const [t, table] of [...document.querySelectorAll('table')].entries()) {
    const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
    const wanted = heads.map((h, i) => decision.includes(h) ? i : -1).filter(i => i >= 0);
    const box = (table.closest('.table-wrap') || table.parentElement).getBoundingClientRect();
    for (const tr of table.querySelectorAll('tbody tr')) {
      const tds = [...tr.children].filter(c => c.tagName === 'TD');
      if (tds.length !== heads.length) continue;  // a group row (several provinces) has one cell
      for (const i of wanted) {
        const td = tds[i], r = td.getBoundingClientRect();
        const shown = td.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
        const inside = r.width > 0 && r.height > 0 && r.left >= -0.5 && r.right <= vw + 0.5
          && r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
        out.push({table: t, header: heads[i], text: td.textContent.trim(), ok: shown && inside,
                  left: r.left, right: r.right, box: [box.left, box.right], vw});
      }
    }
  }
  return out;
}"""


def decision_headers(lang: str = "id") -> list[str]:
    labels = Labels(lang)
    return sorted({labels[k] for k in DECISION_KEYS if k in labels})


def test_decision_headers_are_the_page_s_own_labels():
    assert {"Cakupan", "Target", "Status", "Biaya", "Cakupan sesudah", "Selisih (poin persen)"} <= set(
        decision_headers()
    )


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("name", PAGES)
def test_no_decision_column_is_hidden(browser, pages, name, width):  # noqa: F811
    context, page, blocked, failed, errors = open_offline(browser, pages.folder / name, width=width, height=844)
    try:
        cells = page.evaluate(CELLS, decision_headers())
        assert cells, "a page with tables has decision columns"
        hidden = [c for c in cells if not c["ok"]]
        assert hidden == [], hidden[:3]
        # the check saw the decision columns each page is about
        assert EXPECTED[name] <= {c["header"] for c in cells}
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert blocked == [] and failed == [] and errors == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"fit-{Path(name).stem}-{width}.png"), full_page=True)
    finally:
        context.close()


def test_the_check_sees_a_column_behind_a_sideways_scroll(browser, tmp_path):  # noqa: F811
    """The old markup (a plain wide table in a scroll box) fails the check at 390 px."""
    heads = "".join(f"<th>{h}</th>" for h in ["Kabupaten/Kota", *["Peserta aktif"] * 8, "Target", "Status"])
    cells = "".join(f"<td>{v}</td>" for v in ["Kabupaten Probolinggo", *["1.234.567"] * 8, "40,0%", "Tertinggal"])
    (tmp_path / "old.html").write_text(
        '<meta name="viewport" content="width=device-width"><div style="overflow-x:auto">'
        f"<table><thead><tr>{heads}</tr></thead><tbody><tr>{cells}</tr></tbody></table></div>"
    )
    context, page, *_ = open_offline(browser, tmp_path / "old.html", width=390)
    try:
        cells = page.evaluate(CELLS, decision_headers())
        assert [c["header"] for c in cells if not c["ok"]] == ["Target", "Status"]
    finally:
        context.close()


@pytest.mark.parametrize("name", ["3513-kabupaten-probolinggo", "provinsi-35"])
def test_jupyterlab_shows_the_cards_as_boxes_and_each_heading_once(browser, pages, tmp_path, name):  # noqa: F811
    """nbconvert's "lab" template (JupyterLab's own HTML and CSS, no jamsos stylesheet) of the
    executed notebook: the headline cards are separate boxes with a background, each card's
    value on its own line under its label, the banner framed, and no heading twice (the
    notebook's markdown and the outputs' HTML headings)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(pages.folder / "_executed" / f"{name}.ipynb", as_version=4)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert "jamsos.css" not in body and "main.jamsos-page" not in body  # not the page's template
    (tmp_path / "lab.html").write_text(body, encoding="utf-8")
    context, page, *_ = open_offline(browser, tmp_path / "lab.html", width=1366)
    try:
        cards = page.eval_on_selector_all(
            ".jamsos-headline .card",
            """els => els.map(c => {
            const box = r => { const b = r.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
            return {card: box(c), label: box(c.querySelector('.card-label')), value: box(c.querySelector('.card-value')),
                    background: getComputedStyle(c).backgroundColor}; })""",
        )
        assert len(cards) >= 4
        for c in cards:
            assert c["background"] not in ("rgba(0, 0, 0, 0)", "transparent")
            assert c["value"][1] >= c["label"][3] - 1  # "Cakupan" above "33,08%", not "Cakupan33,08%"
        for i, a in enumerate(cards):
            for b in cards[i + 1 :]:
                x = min(a["card"][2], b["card"][2]) - max(a["card"][0], b["card"][0])
                y = min(a["card"][3], b["card"][3]) - max(a["card"][1], b["card"][1])
                assert x <= 0.5 or y <= 0.5, (a["card"], b["card"])  # distinct boxes
        border = page.eval_on_selector(".jamsos-banner", "e => getComputedStyle(e).borderTopWidth")
        assert border == "3px"
        headings = page.eval_on_selector_all("h1, h2, h3", "els => els.map(e => e.textContent.trim())")
        headings = [h.rstrip("¶").strip() for h in headings]
        assert headings and len(headings) == len(set(headings)), headings
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"lab-{name}.png"), full_page=False)
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_the_index_keeps_status_in_view_with_december_costs(browser, pages, tmp_path, width):  # noqa: F811
    """In December every cost reads like "Rp 797,6 miliar (12 bulan)" (no month of the target
    year left): the longest cost text must not push Status behind a sideways scroll."""
    import re

    html = (pages.folder / "index.html").read_text(encoding="utf-8")
    html, n = re.subn(
        r'(<td[^>]*data-figure="close_cost_rp"[^>]*>)[^<]*(</td>)', r"\1Rp 797,6 miliar (12 bulan)\2", html
    )
    assert n >= 38
    (tmp_path / "index.html").write_text(html, encoding="utf-8")
    context, page, *_ = open_offline(browser, tmp_path / "index.html", width=width, height=844)
    try:
        cells = page.evaluate(CELLS, decision_headers())
        assert {"Status", "Biaya menutup selisih"} <= {c["header"] for c in cells}
        assert [c for c in cells if not c["ok"]] == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
