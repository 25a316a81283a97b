"""The month's figures computed once (``jamsos_lib.compute.month``): the tables ``jamsos report``
writes beside the pages, their provenance, and the same figures on the pages and in
``jamsos coverage|gap|subsidy --format csv``. Uses the pages rendered once per session
(``pages`` fixture, ``tests/report_fixture.py``: Kab. and Kota Probolinggo, the province page)."""

from __future__ import annotations

import hashlib
import io
import json

import nbformat
import pandas as pd
import pytest

from jamsos_lib import cli
from jamsos_lib.compute import month
from jamsos_lib.errors import JamsosError
from jamsos_lib.present import fmt

REGION_PAGES = {"3513": "3513-kabupaten-probolinggo.html", "3574": "3574-kota-probolinggo.html"}


@pytest.fixture(scope="module")
def tables(pages):
    return month.read(pages.folder / month.TABLES_DIR)


def cli_csv(capsys, *argv) -> pd.DataFrame:
    assert cli.main(list(argv)) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"region_code": str})


def test_the_tables_cover_the_month_and_name_their_inputs(pages, tables):
    assert tables.period == "2025-06"
    # every kab/kota of Jawa Timur and the province, once
    assert len(tables["coverage"]) == 39 and tables["coverage"]["region_code"].is_unique
    assert set(tables["gap"]["region_code"]) == set(tables["coverage"]["region_code"])
    assert tables["panel"]["period"].nunique() == 24  # 2023-07 .. 2025-06
    prov = tables.provenance
    assert prov["parameters"]["denominator"] == "eligible" and prov["parameters"]["provinces"] == ["35"]
    for name in ("participants.parquet", "manifest.json"):
        assert prov["inputs"][name] == hashlib.sha256((pages.data_dir / name).read_bytes()).hexdigest()
    assert prov["processed_manifest_sha256"] == prov["inputs"]["manifest.json"]
    assert prov["code"]["package_version"]


def test_pages_were_given_the_tables_as_a_parameter(pages):
    nb = nbformat.read(pages.folder / "_executed" / "3513-kabupaten-probolinggo.ipynb", as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert f'tables_dir = "{pages.folder / month.TABLES_DIR}"' in injected.source


def test_cli_tables_are_the_month_tables(pages, tables, capsys):
    data = ["--data", str(pages.data_dir), "--period", "2025-06", "--format", "csv"]
    cov = cli_csv(capsys, "coverage", *data).set_index("region_code")
    mine = tables["coverage"].set_index("region_code")
    assert list(cov.index) == list(mine.index)
    for col in ("participants", "denominator"):
        assert cov[col].tolist() == mine[col].astype(int).tolist()
    assert cov["coverage_pct"].tolist() == pytest.approx(mine["coverage_pct"].astype(float).tolist(), abs=1e-9)
    gap = cli_csv(capsys, "gap", *data).set_index("region_code")
    mine = tables["gap"].set_index("region_code")
    kab = mine.index[mine["gap_persons"].notna()]
    assert len(kab) > 30
    assert gap.loc[kab, "gap_persons"].tolist() == mine.loc[kab, "gap_persons"].astype(int).tolist()
    assert gap.loc[kab, "target_pct"].tolist() == pytest.approx(mine.loc[kab, "target_pct"].astype(float).tolist())


def test_subsidy_close_gap_is_the_pages_close_gap_row(pages, tables, capsys):
    frame = cli_csv(
        capsys,
        "subsidy",
        "--data",
        str(pages.data_dir),
        "--period",
        "2025-06",
        "--region",
        "3513",
        "--close-gap",
        "--format",
        "csv",
    )
    mine = tables.region("scenarios", "3513").set_index("scenario")
    for r in frame.itertuples(index=False):
        assert (r.persons, r.months, r.cost_rp) == (
            int(mine.loc[r.scenario, "persons"]),
            int(mine.loc[r.scenario, "months"]),
            int(mine.loc[r.scenario, "cost_rp"]),
        )
    # 3513 misses its 40% target in June 2025: 6 months left, and the 12-month figure beside it
    assert list(frame["scenario"]) == ["close_gap", "close_gap_12m"]
    assert frame["cost_rp"].iloc[1] == 2 * frame["cost_rp"].iloc[0]


@pytest.mark.parametrize("code", list(REGION_PAGES))
def test_the_region_pages_show_the_rows_of_the_tables(pages, tables, code):
    page = pages.page(REGION_PAGES[code])
    gap = tables.region("gap", code).iloc[0]
    cov = tables.region("coverage", code).iloc[0]
    shown = [
        fmt.percent(gap["coverage_pct"], "id", 2),
        fmt.percent(gap["target_pct"], "id", 2),
        fmt.number(gap["gap_persons"], "id"),
        f"{int(cov['rank'])}",
    ]
    shown += [fmt.rupiah_short(v, "id") for v in tables.region("scenarios", code)["cost_rp"]]
    for text in shown:
        assert text in page, text


def test_the_province_page_shows_the_province_row(pages, tables):
    page = pages.page("provinsi-35.html")
    row = tables.region("gap", "35").iloc[0]
    assert fmt.percent(row["coverage_pct"], "id", 2) in page
    for r in tables["coverage"].head(5).itertuples(index=False):  # and the kab/kota rows of its table (1 decimal)
        assert f"{r.region_name}" in page and fmt.percent(r.coverage_pct, "id") in page


def test_a_damaged_table_is_refused_with_one_line(tables, tmp_path):
    folder = month.write(tables, tmp_path / month.TABLES_DIR)
    assert month.read(folder)["gap"].equals(tables["gap"])
    broken = tables["coverage"].drop(columns="coverage_pct")
    broken.to_parquet(folder / "coverage.parquet", index=False)
    with pytest.raises(JamsosError, match="coverage.parquet: not a valid 'coverage' month table"):
        month.read(folder)
    (folder / month.PROVENANCE).unlink()
    with pytest.raises(JamsosError, match="no month tables"):
        month.read(folder)


def test_the_sidecar_is_plain_json(pages):
    prov = json.loads((pages.folder / month.TABLES_DIR / month.PROVENANCE).read_text(encoding="utf-8"))
    assert sorted(prov["tables"]) == sorted(month.SCHEMAS)
