"""Every figure of a month, one value everywhere (issue 13, point 1): a whole month rendered
by the batch (``jamsos monthly`` on the small report data set: 38 kab/kota pages, the
province page, the index) shows, page by page, the rows of the month tables
(``reports/<period>/_tables``) formatted with ``present.fmt``, and ``jamsos coverage|gap|
subsidy --format csv`` gives the same rows, whether it reads the stored tables or computes
them in memory.

Pages are parsed by their stable markup: the headline cards' ``data-figure`` values, the
headline detail (``data-note``), table cells by ``data-label``, index rows by ``data-region``.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

import report_fixture
from jamsos_lib import cli
from jamsos_lib.compute import month
from jamsos_lib.present import fmt
from jamsos_lib.present.labels import Labels
from jamsos_lib.present.tables import short_name
from jamsos_lib.regions import load_registry

pytestmark = pytest.mark.slow

PERIOD = report_fixture.PERIOD
L = Labels("id")


class Month:
    def __init__(self, data: Path, reports: Path):
        self.data, self.reports, self.folder = data, reports, reports / PERIOD
        self.tables = month.read(self.folder / month.TABLES_DIR)

    def soup(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.folder / name).read_text(encoding="utf-8"), "html.parser")

    def row(self, table: str, code: str) -> pd.Series:
        (row,) = [r for _, r in self.tables.region(table, code).iterrows()]
        return row


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Month:
    """The month rendered once through the real batch (two workers)."""
    root = tmp_path_factory.mktemp("agree")
    data = report_fixture.build(root / "processed")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "jamsos_lib",
            "monthly",
            "--period",
            PERIOD,
            "--data",
            str(data),
            "--out",
            str(root / "reports"),
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return Month(data, root / "reports")


KABKOTA = load_registry().kabkota_codes("35")


def _page(code: str) -> str:
    return f"{code}-{load_registry().region(code).slug}.html"


# -- what a row of the tables reads like on a page (present.fmt) --------------------------
def gap_text(row, surplus: bool = False) -> str:
    """The gap in points; a region at its target says so (the index with its surplus)."""
    if row["status"] == "achieved":
        return L["target_reached"] + (f" (+{fmt.number(row['surplus_pp'], 'id', 1)} pp)" if surplus else "")
    return f"{fmt.number(row['gap_pp'], 'id', 1)} pp"


def headline_expected(tables: month.MonthTables, code: str) -> dict[str, str]:
    gap = tables.region("gap", code).iloc[0]
    expected = {
        "coverage_pct": fmt.percent(gap["coverage_pct"], "id", 2),
        "target_pct": fmt.percent(gap["target_pct"], "id", 2),
        "gap_pp": gap_text(gap),
        "status_label": gap["status_label"],
    }
    if gap["status"] != "achieved":
        expected.update(
            gap_persons=fmt.number(gap["gap_persons"], "id"),
            needed_per_month=fmt.number(gap["needed_per_month"], "id"),
            close_cost_rp=fmt.rupiah_short(gap["close_cost_rp"], "id"),
        )
    return expected


def headline_shown(soup: BeautifulSoup) -> dict[str, str]:
    decision = soup.select_one("section.jamsos-decision")
    return {el["data-figure"]: el.get_text(strip=True) for el in decision.select("[data-figure]")}


def denominator_shown(soup: BeautifulSoup) -> str:
    note = soup.select_one('section.jamsos-decision [data-note="coverage_pct"]').get_text(" ", strip=True)
    return re.search(r"penyebut: ([\d.]+)", note).group(1)


# -- pages --------------------------------------------------------------------------------
def test_the_whole_month_was_rendered(run):
    pages = sorted(p.name for p in run.folder.glob("*.html"))
    assert len(pages) == 38 + 2 and "index.html" in pages and "provinsi-35.html" in pages
    assert set(run.tables["gap"]["region_code"]) == {*KABKOTA, "35"}


@pytest.mark.parametrize("code", KABKOTA)
def test_each_region_page_shows_its_rows(run, code):
    soup = run.soup(_page(code))
    cov = run.row("coverage", code)
    expected = headline_expected(run.tables, code)
    shown = headline_shown(soup)
    assert {k: shown.get(k) for k in expected} == expected
    assert denominator_shown(soup) == fmt.number(cov["denominator"], "id")
    rank = L["rank_text"].format(rank=int(cov["rank"]), total=38)
    assert rank in soup.select_one("section.jamsos-decision").get_text(" ", strip=True)


def test_the_province_page_shows_the_province_row_and_every_kabkota_row(run):
    soup = run.soup("provinsi-35.html")
    expected = headline_expected(run.tables, "35")
    shown = headline_shown(soup)
    assert {k: shown.get(k) for k in expected} == expected
    assert denominator_shown(soup) == fmt.number(run.row("coverage", "35")["denominator"], "id")
    # the full table, in two parts: the decision columns ranked with short names ("1. Kota Batu"),
    # then participants and denominator in a details block; cells by their column label
    cov_rows = run.tables["coverage"].set_index("region_code")
    by_short = {
        (f"{int(r['rank'])}. " if not pd.isna(r["rank"]) else "") + short_name(r["region_name"]): code
        for code, r in cov_rows.iterrows()
    }

    def rows_of(header: str):
        (table,) = [
            t for t in soup.select("table") if header in [th.get_text(strip=True) for th in t.select("thead th")]
        ]
        return [
            {td["data-label"]: td.get_text(strip=True) for td in tr.select("td")} for tr in table.select("tbody tr")
        ]

    seen = set()
    for rank, cells in enumerate(rows_of(L["region_short"]), start=1):
        code = by_short[cells[L["region_short"]]]
        cov, gap = run.row("coverage", code), run.row("gap", code)
        assert {k: cells[k] for k in (L["coverage"], L["target"], L["gap_pp"], L["status"])} == {
            L["coverage"]: fmt.percent(cov["coverage_pct"], "id"),
            L["target"]: fmt.percent(gap["target_pct"], "id"),
            L["gap_pp"]: gap_text(gap),
            L["status"]: gap["status_label"],
        }, code
        if code != "35":
            assert int(cov["rank"]) == rank, code  # ranked, the province row last
        seen.add(code)
    for cells in rows_of(L["participants"]):
        code = by_short[cells[L["region"]]]
        cov = run.row("coverage", code)
        assert (cells[L["participants"]], cells[L["denominator"].capitalize()]) == (
            fmt.number(cov["participants"], "id"),
            fmt.number(cov["denominator"], "id"),
        ), code
    assert seen >= set(KABKOTA)


def test_the_index_shows_every_region_row(run):
    soup = run.soup("index.html")
    rows = {
        tr["data-region"]: {td["data-figure"]: td.get_text(strip=True) for td in tr.select("td[data-figure]")}
        for tr in soup.select("tr[data-region]")
    }
    assert set(rows) == set(KABKOTA)
    for code, shown in rows.items():
        gap = run.row("gap", code)
        assert shown == {
            "coverage_pct": fmt.percent(gap["coverage_pct"], "id"),
            "target_pct": fmt.percent(gap["target_pct"], "id"),
            "gap_pp": gap_text(gap, surplus=True),
            "gap_persons": fmt.number(gap["gap_persons"], "id"),
            "close_cost_rp": fmt.rupiah_short(gap["close_cost_rp"], "id"),
            "status": gap["status_label"],
        }, code


# -- the table commands -------------------------------------------------------------------
def _csv(capsys, *argv) -> pd.DataFrame:
    assert cli.main([*argv, "--period", PERIOD, "--format", "csv"]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"region_code": str})


@pytest.fixture
def reports_at(run, monkeypatch):
    """The table commands look for month tables in the batch's reports folder."""
    monkeypatch.setattr("jamsos_lib.paths.REPORTS", run.reports)
    return run


def _compared(frame: pd.DataFrame, table: pd.DataFrame, columns) -> None:
    mine = table.set_index("region_code").loc[frame["region_code"], list(columns)].reset_index(drop=True)
    mine = pd.read_csv(io.StringIO(mine.to_csv(index=False)))  # as csv text reads back
    pd.testing.assert_frame_equal(frame[list(columns)].reset_index(drop=True), mine, check_dtype=False)


COVERAGE = ["participants", "denominator", "coverage_pct", "rank", "status"]
GAP = [
    "coverage_pct",
    "target_pct",
    "gap_pp",
    "gap_persons",
    "needed_per_month",
    "close_cost_rp",
    "status",
    "status_label",
]


def test_coverage_and_gap_csv_are_the_month_tables(reports_at, capsys, monkeypatch):
    def not_computed(*args, **kwargs):
        raise AssertionError("the stored month tables are of this data: they are read, not computed")

    monkeypatch.setattr(month, "compute", not_computed)
    cov = _csv(capsys, "coverage", "--data", str(reports_at.data))
    gap = _csv(capsys, "gap", "--data", str(reports_at.data))
    assert list(cov["region_code"]) == list(reports_at.tables["coverage"]["region_code"])
    _compared(cov, reports_at.tables["coverage"], COVERAGE)
    _compared(gap, reports_at.tables["gap"], GAP)
    # and formatted as the pages format them
    for r in gap.itertuples():
        assert fmt.percent(r.coverage_pct, "id", 2) == fmt.percent(
            reports_at.row("gap", r.region_code)["coverage_pct"], "id", 2
        )


def test_without_stored_tables_the_same_rows_are_computed(reports_at, capsys, tmp_path, monkeypatch):
    stored = {
        name: _csv(capsys, name, "--data", str(reports_at.data)).to_csv(index=False) for name in ("coverage", "gap")
    }
    monkeypatch.setattr("jamsos_lib.paths.REPORTS", tmp_path)  # no month tables there
    for name, text in stored.items():
        assert _csv(capsys, name, "--data", str(reports_at.data)).to_csv(index=False) == text, name


def test_stale_stored_tables_are_not_read(reports_at, capsys, tmp_path, monkeypatch):
    # the same tables beside processed data that changed since: computed again, from the new data
    data = tmp_path / "processed"
    shutil.copytree(reports_at.data, data)
    participants = pd.read_parquet(data / "participants.parquet")
    participants.loc[(participants["region_code"] == "3513") & (participants["period"] == PERIOD), "participants"] += (
        1000
    )
    participants.to_parquet(data / "participants.parquet", index=False)
    cov = _csv(capsys, "coverage", "--data", str(data)).set_index("region_code")
    stored = reports_at.row("coverage", "3513")
    assert cov.loc["3513", "participants"] == stored["participants"] + 3 * 1000  # PU, BPU, Jakon (UCJ: no PMI)


@pytest.mark.parametrize("code", KABKOTA)
def test_subsidy_close_gap_csv_is_the_pages_cost(reports_at, capsys, code):
    gap = reports_at.row("gap", code)  # (a region at its target: 0 persons, Rp 0)
    frame = _csv(capsys, "subsidy", "--data", str(reports_at.data), "--region", code, "--close-gap")
    first = frame.iloc[0]
    assert (first["scenario"], int(first["persons"]), int(first["cost_rp"])) == (
        "close_gap",
        int(gap["gap_persons"]),
        int(gap["close_cost_rp"]),
    )
    assert fmt.rupiah_short(first["cost_rp"], "id") == headline_shown(reports_at.soup(_page(code)))["close_cost_rp"]


def test_the_scenario_command_reads_the_months_gap_rows(run, tmp_path):
    # `jamsos scenario` after `jamsos monthly`: the page's gap comes from the month tables
    gap = run.tables["gap"].query("level == 'kabkota' and gap_persons > 0").iloc[0]
    code = gap["region_code"]
    out = tmp_path / "reports"
    shutil.copytree(run.reports, out)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "jamsos_lib",
            "scenario",
            "--region",
            code,
            "--period",
            PERIOD,
            "--data",
            str(run.data),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    import nbformat

    (executed,) = (out / "scenarios" / "_executed").glob(f"{code}-*.ipynb")
    injected = [
        c.source
        for c in nbformat.read(executed, as_version=4).cells
        if "injected-parameters" in c.metadata.get("tags", [])
    ]
    assert f'tables_dir = "{(out / PERIOD / month.TABLES_DIR).resolve()}"' in injected[0]
    (html,) = (out / "scenarios").glob(f"{code}-*.html")
    page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").get_text(" ")
    assert int(gap["gap_persons"]) > 1000
    assert fmt.number(gap["gap_persons"], "id") in page  # the close-gap row's persons
