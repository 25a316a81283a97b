"""A report notebook run by plain papermill against a month folder gives the batch's page, byte
for byte: the month's tables folder (and, optionally, the processed data folder) are ordinary
notebook parameters; no environment variable carries data to the kernel, and the time the
footer shows is the time the month's tables were computed (``computed_at`` of their
provenance), not the time of rendering.

The batch's pages are those of the ``pages`` fixture (``tests/report_fixture.py``: ``jamsos
report`` on the small report data, warm pooled kernel); here each notebook runs in a fresh
``jamsos`` kernel with ``papermill.execute_notebook`` and is exported with the project's own
export (``reports.runner.export_page`` -> ``reports.html.export_html``)."""

from __future__ import annotations

import json
from datetime import datetime

import papermill
import pytest

import report_fixture
from jamsos_lib import paths
from jamsos_lib.compute import month
from jamsos_lib.present import fmt
from jamsos_lib.reports import params
from jamsos_lib.reports.runner import export_page

pytestmark = pytest.mark.slow


def _plain_papermill(notebook: str, parameters: dict, tmp_path) -> str:
    out = tmp_path / f"{notebook}.ipynb"
    nb = papermill.execute_notebook(
        str(params.NOTEBOOKS[notebook]),
        str(out),
        parameters=parameters,
        kernel_name=paths.KERNEL_NAME,
        progress_bar=False,
        cwd=str(paths.NOTEBOOKS),
        execution_timeout=300,
    )
    return export_page(nb, "id")


@pytest.mark.parametrize(
    "notebook,page,parameters",
    [
        # only the month folder's tables: the data and registry they were computed from come from their provenance
        ("region_report", "3513-kabupaten-probolinggo.html", {"region_code": "3513"}),
        # the processed data folder given as well, as the batch gives it
        ("province_overview", "provinsi-35.html", {"province_code": "35", "data_dir": True}),
    ],
)
def test_plain_papermill_on_the_month_folder_gives_the_batch_page(pages, tmp_path, notebook, page, parameters):
    tables = pages.folder / month.TABLES_DIR
    parameters = {**parameters, "period": report_fixture.PERIOD, "lang": "id", "tables_dir": str(tables)}
    if parameters.get("data_dir"):
        parameters["data_dir"] = str(pages.data_dir)
    batch = pages.page(page)
    html = _plain_papermill(notebook, parameters, tmp_path)
    assert len(html) == len(batch)
    assert html == batch
    # a real page, whose footer shows when the month's tables were computed
    assert "<img" in html and _computed_at(pages) in _footer(html)


def _computed_at(pages) -> str:
    prov = json.loads((pages.folder / month.TABLES_DIR / month.PROVENANCE).read_text(encoding="utf-8"))
    return fmt.generated_time(datetime.fromisoformat(prov["computed_at"]), "id")


def _footer(html: str) -> str:
    return html.split('<footer class="jamsos-provenance">', 1)[1].split("</footer>", 1)[0]


def test_generated_at_is_a_parameter_and_the_only_difference(pages, tmp_path):
    parameters = {
        "region_code": "3574",
        "period": report_fixture.PERIOD,
        "lang": "id",
        "tables_dir": str(pages.folder / month.TABLES_DIR),
        "generated_at": "2031-01-02T03:04:05+07:00",
    }
    html = _plain_papermill("region_report", parameters, tmp_path)
    assert "2 Januari 2031 03.04 WIB" in _footer(html)
    assert html.replace("2 Januari 2031 03.04 WIB", _computed_at(pages)) == pages.page("3574-kota-probolinggo.html")
