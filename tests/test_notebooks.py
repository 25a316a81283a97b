"""The report notebooks: thin, committed clean, parameters as the runner expects, and they
run top to bottom under papermill (on the small processed fixture)."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import nbformat
import papermill
import pytest

import report_fixture
from jamsos_lib import paths, store
from jamsos_lib.compute import coverage
from jamsos_lib.present import tables
from jamsos_lib.errors import InputError
from jamsos_lib.reports import params
from jamsos_lib.reports.params import ReportParameterError, check_parameters, region_context

#: What every notebook must declare (name -> papermill's inferred type). The runner passes
#: region_code/province_code, period and lang; the subsidy notebook has its scenario inputs.
EXPECTED = {
    "region_report": {
        "region_code": "str",
        "period": "str",
        "lang": "str",
        "denominator": "str",
        "tables_dir": "str",
        "data_dir": "str",
        "generated_at": "str",
    },
    "province_overview": {
        "province_code": "str",
        "period": "str",
        "lang": "str",
        "denominator": "str",
        "tables_dir": "str",
        "data_dir": "str",
        "generated_at": "str",
    },
    "subsidy_scenarios": {
        "region_code": "str",
        "period": "str",
        "lang": "str",
        "denominator": "str",
        "budget_rp": "float",
        "rate_rp": "float",
        "months": "int",
        "target_pct": "float",
        "tables_dir": "str",
        "data_dir": "str",
        "generated_at": "str",
    },
}
#: Calls that mean data wrangling; they belong in jamsos_lib, not in a notebook.
WRANGLING = {
    "merge",
    "join",
    "groupby",
    "pivot",
    "pivot_table",
    "melt",
    "concat",
    "apply",
    "agg",
    "aggregate",
    "query",
    "assign",
    "loc",
    "iloc",
    "sort_values",
    "drop",
    "fillna",
    "dropna",
    "rename",
    "set_index",
    "reset_index",
    "map",
    "transform",
    "stack",
    "unstack",
    "read_csv",
    "read_excel",
    "read_parquet",
    "value_counts",
    "sum",
    "mean",
    "where",
    "mask",
    "filter",
}


def notebook(name: str):
    return nbformat.read(params.NOTEBOOKS[name], as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def parameters_cell(nb):
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "exactly one cell tagged 'parameters'"
    return cells[0]


@pytest.mark.parametrize("name", list(params.NOTEBOOKS))
def test_declared_parameters_are_what_the_runner_expects(name):
    declared = params.declared_parameters(name)
    assert {k: v["inferred_type_name"] for k, v in declared.items()} == EXPECTED[name]
    assert all(v["help"] for v in declared.values()), "every parameter has a help comment"


@pytest.mark.parametrize("name", list(params.NOTEBOOKS))
def test_papermill_sees_every_assignment_in_the_parameters_cell(name):
    # papermill silently skips a line it cannot parse (for example a help comment with "=")
    tree = ast.parse(parameters_cell(notebook(name)).source)
    assigned = [node.target.id for node in tree.body if isinstance(node, ast.AnnAssign)]
    assert len(assigned) == len(tree.body), "only annotated assignments in the parameters cell"
    assert assigned == list(params.declared_parameters(name)) == params.declared_names(name)
    for node in tree.body:  # constants only: nothing derived in the parameters cell
        assert isinstance(node.value, ast.Constant)


@pytest.mark.parametrize("name", list(params.NOTEBOOKS))
def test_the_cell_after_parameters_validates_them(name):
    nb = notebook(name)
    cells = code_cells(nb)
    index = cells.index(parameters_cell(nb))
    tree = ast.parse(cells[index + 1].source)
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert called & {"region_context", "province_context", "subsidy_context"}


@pytest.mark.parametrize("name", list(params.NOTEBOOKS))
def test_notebook_code_is_calls_only(name):
    for cell in code_cells(notebook(name)):
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), (
                f"definition in notebook {name}: {cell.source!r}"
            )
            assert not isinstance(node, (ast.For, ast.While, ast.ListComp, ast.DictComp, ast.GeneratorExp)), (
                f"loop in notebook {name}: {cell.source!r}"
            )
            if isinstance(node, ast.Attribute):
                assert node.attr not in WRANGLING, f"wrangling ({node.attr}) in notebook {name}: {cell.source!r}"
            if isinstance(node, ast.Subscript):  # only wording look-ups: ctx.labels["..."]
                assert ast.unparse(node.value) == "ctx.labels", f"indexing in notebook {name}: {ast.unparse(node)}"


@pytest.mark.parametrize("name", list(params.NOTEBOOKS))
def test_committed_without_outputs_and_with_the_jamsos_kernel(name):
    nb = notebook(name)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == paths.KERNEL_NAME
    for cell in code_cells(nb):
        assert cell.outputs == [] and cell.execution_count is None


def test_check_parameters_returns_codes_and_periods_as_text():
    out = check_parameters("region_report", {"region_code": 3574, "period": "2025-06", "lang": "en"})
    assert out == {"region_code": "3574", "period": "2025-06", "lang": "en"}
    out = check_parameters("subsidy_scenarios", {"region_code": "3503", "budget_rp": 2_092_600_000, "months": 12})
    assert out["budget_rp"] == 2_092_600_000.0 and isinstance(out["budget_rp"], float)


def test_check_parameters_rejects_everything_papermill_would_let_through():
    bad = {
        "regoin_code": "3513",  # unknown: papermill only warns
        "x = 1\nimport os\ny": 2,  # not an identifier: code injection in papermill
        "period": Path("2025-06"),  # not JSON: papermill's last-resort str() is unsafe
        "lang": float("nan"),
        "denominator": 3,
    }
    with pytest.raises(InputError) as err:
        check_parameters("region_report", bad)
    text = str(err.value)
    assert len(err.value.problems) == 6  # the five above and the missing region_code
    assert "regoin_code" in text and "region_code' is required" in text and "identifier" in text
    assert "PosixPath" in text or "Path" in text
    assert "finite" in text


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return store.load(report_fixture.build(tmp_path_factory.mktemp("processed")))


def test_region_context_resolves_the_latest_period_and_labels(data):
    ctx = region_context("3513", "", "en", "bps", data=data)
    assert ctx.period == report_fixture.PERIODS[-1] == "2025-06"
    assert ctx.region.official_name == "Kabupaten Probolinggo"
    assert ctx.labels["coverage"] == "Coverage"


def test_region_context_reports_every_problem_at_once(data):
    with pytest.raises(ReportParameterError) as err:
        region_context("9999", "2025-13", "fr", "all", data=data)
    fields = [p.column for p in err.value.problems]
    assert sorted(fields) == sorted(["region_code", "period", "lang", "denominator"])
    with pytest.raises(ReportParameterError, match="2023-06 .. 2025-06"):
        region_context("3513", "2022-01", data=data)
    with pytest.raises(ReportParameterError, match="kab/kota code"):
        region_context("35", data=data)
    # shown without a traceback in Jupyter
    assert "region_code" in "\n".join(err.value._render_traceback_())


@pytest.mark.slow
@pytest.mark.parametrize(
    "name,parameters",
    [
        ("region_report", {"region_code": "3574"}),
        ("province_overview", {"lang": "en"}),
        ("subsidy_scenarios", {"region_code": "3503", "rate_rp": 17438.0, "months": 10}),
    ],
)
def test_notebook_runs_under_papermill(name, parameters, data, tmp_path):
    out = tmp_path / f"{name}.ipynb"
    parameters = check_parameters(name, {**parameters, "data_dir": str(data.folder)})
    papermill.execute_notebook(
        str(params.NOTEBOOKS[name]),
        str(out),
        parameters=parameters,
        kernel_name=paths.KERNEL_NAME,
        progress_bar=False,
        cwd=str(paths.NOTEBOOKS),
        execution_timeout=300,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)


@pytest.mark.slow
def test_unknown_region_stops_the_notebook_with_a_clear_message(data, tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        papermill.execute_notebook(
            str(params.NOTEBOOKS["region_report"]),
            str(tmp_path / "bad.ipynb"),
            parameters={"region_code": "3599", "data_dir": str(data.folder)},
            kernel_name=paths.KERNEL_NAME,
            progress_bar=False,
            execution_timeout=300,
        )
    assert err.value.ename == "ReportParameterError"
    assert "region_code" in err.value.evalue and "3599" in err.value.evalue


def test_fixture_coverage_worked_by_hand(data):
    # Kab. Probolinggo (3513) is the 13th kab/kota (index 12); June 2025 is month 24.
    # UCJ numerator PU + BPU + JAKON (PMI shown apart):
    # (30.000 + 8.000 + 2.000) + 3 × 700 × 12 + (40 + 15 + 15) × 24 = 66.880
    # eligible = round(0,65 × (200.000 + 9.000 × 12 + 3.000)) = round(0,65 × 311.000) = 202.150
    row = coverage.coverage_table(data, "2025-06").set_index("region_code").loc["3513"]
    assert int(row["participants"]) == 66_880 and int(row["denominator"]) == 202_150
    assert math.isclose(float(row["coverage_pct"]), 66_880 / 202_150 * 100)


def test_folder_parameters_name_a_folder_with_its_data(data, tmp_path):
    ok = check_parameters("region_report", {"region_code": "3513", "data_dir": str(data.folder), "tables_dir": ""})
    assert ok["data_dir"] == str(data.folder) and ok["tables_dir"] == ""
    with pytest.raises(ReportParameterError) as err:
        check_parameters(
            "region_report", {"region_code": "3513", "data_dir": str(tmp_path / "nowhere"), "tables_dir": str(tmp_path)}
        )
    by_column = {p.column: str(p) for p in err.value.problems}
    assert set(by_column) == {"data_dir", "tables_dir"}
    assert "manifest.json missing in" in by_column["data_dir"] and "jamsos clean" in by_column["data_dir"]
    assert "provenance.json missing in" in by_column["tables_dir"] and "jamsos monthly" in by_column["tables_dir"]
    # the notebook's own check says the same, without a traceback
    with pytest.raises(ReportParameterError) as err:
        region_context("3513", data_dir=str(tmp_path / "nowhere"))
    assert [p.column for p in err.value.problems] == ["data_dir"]
    assert "nowhere" in "\n".join(err.value._render_traceback_())


def _swap_in(new: Path, folder: Path, note: str) -> None:
    """What ``jamsos clean`` does to a processed folder: a new one, with its own manifest, replaces it."""
    (new / store.MANIFEST).write_text(f'{{"made_by": "{note}"}}', encoding="utf-8")
    if folder.exists():
        folder.rename(folder.with_name(folder.name + ".old"))
    new.rename(folder)


def test_a_live_kernel_reads_a_rewritten_processed_folder_and_its_tables_again(tmp_path):
    from factories import BPU_RATES, segment_rows, write_processed
    from jamsos_lib.compute import month

    workers = [{"region_code": "3503", "year": 2024, "workers": 100_000}]
    folder, tables = tmp_path / "processed", tmp_path / "reports" / "2025-06" / "_tables"
    write_processed(
        tmp_path / "v1", workers=workers, rates=BPU_RATES, participants=segment_rows("2025-06", "3503", PU=20_000)
    )
    _swap_in(tmp_path / "v1", folder, "v1")
    first = params.open_data(str(folder))
    assert params.open_data(str(folder)) is first  # read once per process while the folder is unchanged
    month.write(month.compute(first, "2025-06", "bps"), tables)
    ctx = region_context("3503", "2025-06", denominator="bps", tables_dir=str(tables))
    assert ctx.data is first and ctx.month["coverage"].set_index("region_code").loc["3503", "participants"] == 20_000

    # `jamsos clean` rewrites the folder while the kernel lives: the next page reads the new data
    write_processed(
        tmp_path / "v2", workers=workers, rates=BPU_RATES, participants=segment_rows("2025-06", "3503", PU=30_000)
    )
    _swap_in(tmp_path / "v2", folder, "v2")
    second = params.open_data(str(folder))
    assert second is not first
    row = coverage.coverage_table(second, "2025-06", "bps").set_index("region_code").loc["3503"]
    assert int(row["participants"]) == 30_000 and math.isclose(float(row["coverage_pct"]), 30.0)
    # the month tables of the old data are refused, naming the parameter, not shown beside the new data
    with pytest.raises(ReportParameterError) as err:
        region_context("3503", "2025-06", denominator="bps", tables_dir=str(tables))
    assert [p.column for p in err.value.problems] == ["tables_dir"] and "jamsos monthly" in str(err.value)
    # tables written again (the next `jamsos monthly`): read again, not the kernel's old copy
    month.write(month.compute(second, "2025-06", "bps"), tables)
    ctx = region_context("3503", "2025-06", denominator="bps", tables_dir=str(tables))
    assert ctx.data is second and ctx.month["coverage"].set_index("region_code").loc["3503", "participants"] == 30_000


def test_generated_at_is_checked_and_used(data):
    with pytest.raises(ReportParameterError) as err:
        region_context("3513", data=data, generated_at="kemarin")
    assert [p.column for p in err.value.problems] == ["generated_at"]
    ctx = region_context("3513", data=data, generated_at="2025-07-05T06:00:12+07:00")
    footer = str(tables.provenance(ctx.data.manifest, ctx.period, ctx.labels, ctx.generated_at).data)
    assert "5 Juli 2025 06.00 WIB" in footer
    assert region_context("3513", data=data).generated_at is None  # no tables, no time given: the time of rendering
