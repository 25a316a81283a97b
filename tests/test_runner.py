"""run_page: one notebook page executed with papermill, exported, written atomically.

Uses the tiny fixture notebooks in tests/fixtures/notebooks (regenerate them with
make_fixtures.py there): ``page`` (a parameters cell, a table, a chart), ``failing``
(raises for region 3599 with a NIK in the message) and ``slow`` (sleeps).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from jamsos_lib.reports.kernels import PooledKernel
from jamsos_lib.errors import mask_nik
from jamsos_lib.reports.runner import PageJob, audit_paths, check_job_parameters, run_page
from jamsos_lib.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
NIK = "3513014501900001"

pytestmark = pytest.mark.slow


def job(tmp_path, notebook="page", name="3513", **params) -> PageJob:
    return PageJob(
        str(FIXTURES / f"{notebook}.ipynb"), params, str(tmp_path / "2025-06" / f"{name}.html"), label=f"{name}.html"
    )


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if ".tmp" in p.name]


@pytest.fixture(scope="module")
def kernel():
    k = PooledKernel(cwd=FIXTURES, recycle_every=100)
    yield k
    k.shutdown()


def test_fresh_kernel_page_writes_html_and_executed_notebook(tmp_path):
    j = job(tmp_path, region_code="3513", period="2025-06")
    r = run_page(j)
    assert r.status == "ok", r
    html = Path(r.html_path).read_text(encoding="utf-8")
    # 13+14+...+18 = 93, computed by the notebook from the region code
    assert "<strong>Region 3513</strong>, period 2025-06, total 93" in html
    assert "data:image/png;base64," in html
    assert "region_code = " not in html  # no code, no injected parameters
    executed, failed = audit_paths(j.html_path)
    assert Path(r.notebook_path) == executed and executed.exists() and not failed.exists()
    nb = nbformat.read(str(executed), as_version=4)
    assert nb.metadata.papermill.parameters == {"region_code": "3513", "period": "2025-06"}
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    assert leftovers(tmp_path) == []


def test_failed_page_has_no_html_keeps_failed_notebook_and_masks_nik(tmp_path, kernel):
    j = job(tmp_path, "failing", "3599", region_code="3599")
    Path(j.html_path).parent.mkdir(parents=True)
    Path(j.html_path).write_text("<html>last month's good page</html>")  # must not survive a failure
    r = run_page(j, kernel=kernel)
    assert r.status == "failed"
    assert r.error_type == "ValueError"
    # cells: parameters 0, injected parameters 1, assignment 2, the raising cell 3
    assert r.cell_index == 3
    assert "no data for region 3599" in r.error_message
    assert NIK not in r.error_message and NIK not in repr(r)
    assert r.html_path is None and not Path(j.html_path).exists()
    executed, failed = audit_paths(j.html_path)
    assert Path(r.notebook_path) == failed and failed.exists() and not executed.exists()
    assert leftovers(tmp_path) == []


def test_same_failing_notebook_succeeds_for_another_region(tmp_path, kernel):
    r = run_page(job(tmp_path, "failing", "3501", region_code="3501"), kernel=kernel)
    assert r.status == "ok", r


def test_timeout_fails_the_page_and_restarts_the_pooled_kernel(tmp_path, kernel):
    starts = kernel.starts
    r = run_page(job(tmp_path, "slow", "3513", seconds=20.0), kernel=kernel, execution_timeout=1)
    assert r.status == "failed" and r.error_type == "CellTimeoutError"
    assert r.cell_index == 2  # parameters 0, injected 1, the sleeping cell 2
    # no per-cell saves on a warm kernel, yet the cells run before the timeout are kept
    partial = nbformat.read(r.notebook_path, as_version=4)
    assert Path(r.notebook_path) == audit_paths(r.html_path or tmp_path / "2025-06" / "3513.html")[1]
    started = [i for i, c in enumerate(partial.cells) if c.metadata.get("papermill", {}).get("start_time")]
    assert started == [0, 1, 2]
    ok = run_page(job(tmp_path, "page", "3513b", region_code="3513"), kernel=kernel)
    assert ok.status == "ok" and kernel.starts == starts + 1
    executed = nbformat.read(ok.notebook_path, as_version=4)
    assert all(c.metadata.papermill.status == "completed" for c in executed.cells if c.cell_type == "code")
    assert any(c.get("outputs") for c in executed.cells if c.cell_type == "code")


def test_undeclared_parameter_is_rejected_before_any_kernel(tmp_path):
    r = run_page(job(tmp_path, region_code="3513", colour="red"))
    assert r.status == "failed" and r.error_type == "InputError"
    assert "colour" in r.error_message and "lang, period, region_code" in r.error_message
    assert not (tmp_path / "2025-06" / "_failed").exists()


def test_non_json_and_non_identifier_parameters_are_rejected(tmp_path):
    with pytest.raises(InputError) as err:
        check_job_parameters(job(tmp_path, region_code=Path("3513"), **{"x = 1\nimport os\ny": 2}))
    text = str(err.value)
    assert "convert PosixPath to str" in text
    assert "Python identifier" in text
    assert len(err.value.problems) == 2


def test_mask_nik_hides_long_digit_runs_only():
    assert mask_nik(f"row 12: NIK {NIK} bad") == "row 12: NIK (number hidden) bad"
    # a number joined to the NIK by separators goes with it (the run is what counts)
    assert mask_nik(f"row 12: {NIK} bad") == "row (number hidden) bad"
    assert mask_nik("35.13.01 450190 0001 x") == "(number hidden) x"
    assert mask_nik("region 3513 period 2025-06") == "region 3513 period 2025-06"
