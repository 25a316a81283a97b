"""The exploration notebooks (``notebooks/explore/``) run top to bottom for an analyst:
they load the processed tables as DataFrames, draw seaborn charts, and agree with the
library's own tables. The batch never renders them; this test runs them with papermill."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

import report_fixture
from jamsos_lib.compute import coverage

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
EXPLORE = ROOT / "notebooks" / "explore"
NOTEBOOKS = sorted(EXPLORE.glob("*.ipynb"))


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    return report_fixture.build(tmp_path_factory.mktemp("explore") / "processed")


@pytest.fixture(scope="module")
def reconciliation(processed, tmp_path_factory):
    """A reconciliation of small synthetic lists against the fixture data, written outside it."""
    lists = tmp_path_factory.mktemp("lists")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "reconcile" / "make_lists.py"), "--rows", "2000", "--out", str(lists)],
        check=True,
        capture_output=True,
    )
    out = tmp_path_factory.mktemp("recon") / "reconciliation"
    env = {**os.environ, "JAMSOS_PSEUDONYM_KEY": "k" * 64}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "jamsos_lib",
            "reconcile",
            "--participants",
            *map(str, sorted(lists.glob("peserta_*.csv"))),
            "--recipients",
            *map(str, sorted(lists.glob("penerima_*.csv"))),
            "--data",
            str(processed),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def _run(name: str, tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    out = tmp_path / name
    papermill.execute_notebook(
        str(EXPLORE / name), str(out), parameters=parameters, kernel_name="jamsos", cwd=str(EXPLORE), progress_bar=False
    )
    return nbformat.read(out, as_version=4)


def _outputs(book, mime: str) -> list[str]:
    return [
        o["data"][mime]
        for c in book.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if mime in o.get("data", {})
    ]


def test_there_are_exploration_notebooks_with_parameters_and_no_outputs_committed():
    assert [p.name for p in NOTEBOOKS] == ["01_cakupan.ipynb", "02_target_dan_subsidi.ipynb", "03_rekonsiliasi.ipynb"]
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        tagged = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1 and "data_dir" in tagged[0].source, path.name
        assert all(
            not c.get("outputs") and c.get("execution_count") is None for c in book.cells if c.cell_type == "code"
        ), path.name
        # markdown that tells the analyst what to change is visible (not hidden)
        assert any("bisa diubah" in c.source for c in book.cells if c.cell_type == "markdown"), path.name


def test_coverage_notebook_shows_the_coverage_table_and_seaborn_charts(processed, tmp_path):
    book = _run("01_cakupan.ipynb", tmp_path, data_dir=str(processed), region_code="3503", period="2025-06")
    tables = _outputs(book, "text/html")
    assert len(tables) >= 3 and all('class="dataframe' in t for t in tables)
    assert len(_outputs(book, "image/png")) == 3
    # the top-10 table is the library's coverage table, highest coverage first
    expected = coverage.coverage_table(__import__("jamsos_lib.store", fromlist=["load"]).load(processed), "2025-06")
    top = expected[expected["level"] == "kabkota"].sort_values("coverage_pct", ascending=False).iloc[0]
    assert top["region_name"] in tables[0]
    # Kab. Trenggalek's segment counts in June 2025 (index 2 in code order, month 24):
    # PU = 30.000 + 700 * 2 + 40 * 24 = 32.360; BPU = 8.000 + 1.400 + 15 * 24 = 9.760
    assert "32360" in tables[1] and "9760" in tables[1]


def test_target_and_subsidy_notebook_prices_the_scenarios(processed, tmp_path):
    book = _run(
        "02_target_dan_subsidi.ipynb",
        tmp_path,
        data_dir=str(processed),
        region_code="3503",
        period="2025-06",
        persons=1000,
        months=6,
        budget_rp=100_800_000,
    )
    scenarios = _outputs(book, "text/html")[-1]
    # 1.000 persons x 6 months x Rp 16.800 = Rp 100.800.000; the same budget buys 1.000 persons
    assert scenarios.count("100800000") >= 2 and "16800" in scenarios
    assert len(_outputs(book, "image/png")) == 1


def test_reconciliation_notebook_reads_a_reconciliation_written_outside_the_data(processed, reconciliation, tmp_path):
    book = _run("03_rekonsiliasi.ipynb", tmp_path, data_dir=str(processed), reconciliation_dir=str(reconciliation))
    text = json.dumps(book)
    assert "peserta_1.csv" in text and 'class=\\"dataframe' in text
    assert len(_outputs(book, "image/png")) == 1
