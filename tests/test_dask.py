"""``--scheduler``: the same per-page function on a Dask distributed cluster (LocalCluster here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jamsos_lib.reports.batch import EXIT_PAGES_FAILED, run_period
from jamsos_lib.reports.runner import PageJob

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
PERIOD = "2025-06"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    # processes, one thread each: every worker keeps one warm kernel
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


def test_pages_run_on_the_cluster_with_failure_isolation_and_a_local_manifest(tmp_path, cluster):
    codes = ["3501", "3599", "3502", "3503"]
    jobs = [
        PageJob(
            str(FIXTURES / ("failing.ipynb" if c == "3599" else "page.ipynb")),
            {"region_code": c},
            str(tmp_path / PERIOD / f"{c}.html"),
            label=f"{c}.html",
        )
        for c in codes
    ]
    from distributed import Client, get_task_stream

    with Client(cluster) as observer, get_task_stream(observer) as stream:  # what the scheduler ran, where
        result = run_period(
            jobs,
            period=PERIOD,
            out_dir=tmp_path,
            scheduler=cluster,
            progress=False,
            workers=5,
            index=lambda results: "<html>%d</html>" % sum(r.ok for r in results),
        )
    assert [r.status for r in result.results] == ["ok", "failed", "ok", "ok", "ok"]
    assert result.exit_status == EXIT_PAGES_FAILED
    folder = tmp_path / PERIOD
    assert sorted(p.name for p in folder.glob("*.html")) == ["3501.html", "3502.html", "3503.html", "index.html"]
    assert (folder / "index.html").read_text() == "<html>3</html>"  # built locally, after the pages
    # 2 + 3 + ... + 7, the fixture's six months for region 3502
    assert "<strong>Region 3502</strong>, period 2025-06, total 27" in (folder / "3502.html").read_text()
    assert (folder / "_failed" / "3599.ipynb").exists()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["scheduler"] == cluster.scheduler_address
    # the summary and the manifest give the cluster's workers, not the number asked for (5)
    assert manifest["workers"] == result.workers == 2
    assert f"(2 workers, scheduler {cluster.scheduler_address})" in result.summary().splitlines()[0]
    assert manifest["pages"]["3599.html"]["error_type"] == "ValueError"
    assert [p for p in folder.rglob("*") if ".tmp" in p.name] == []
    # the pages really ran as tasks on the cluster's workers, one task per page
    page_tasks = [t for t in stream.data if str(t["key"]).startswith("jamsos-page-")]
    assert sorted(str(t["key"]).split("-")[3] for t in page_tasks) == sorted(codes)
    assert {t["worker"] for t in page_tasks} <= set(cluster.scheduler_info["workers"])


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    from jamsos_lib.errors import JamsosError
    from jamsos_lib.reports.dask_backend import connect

    with pytest.raises(JamsosError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1"):
        connect("tcp://127.0.0.1:1", timeout=2)


def test_cluster_gets_province_overviews_before_region_pages(tmp_path, cluster):
    """As the local pool: the scheduler runs a map's tasks in submission order, so the slow
    overview pages are submitted first; results still come back under their job index."""
    import shutil

    from distributed import Client

    from jamsos_lib.reports.batch import REGION_NOTEBOOK, RunOptions
    from jamsos_lib.reports.dask_backend import run_on_cluster

    region_nb = tmp_path / f"{REGION_NOTEBOOK}.ipynb"  # the fixture page under the region notebook's name
    shutil.copy(FIXTURES / "page.ipynb", region_nb)
    paths = {"3501": region_nb, "3500": FIXTURES / "page.ipynb", "3502": region_nb}
    jobs = [
        PageJob(str(nb), {"region_code": c}, str(tmp_path / f"{c}.html"), label=f"{c}.html") for c, nb in paths.items()
    ]
    submitted = []
    with Client(cluster) as client:
        real_map = client.map

        def spy(fn, pages, **kw):
            submitted.extend(j.parameters["region_code"] for j in pages)
            return real_map(fn, pages, **kw)

        client.map = spy
        results = dict(run_on_cluster(jobs, client, RunOptions()))
    assert submitted == ["3500", "3501", "3502"]
    assert {i: r.parameters["region_code"] for i, r in results.items()} == {0: "3501", 1: "3500", 2: "3502"}
    assert all(r.ok for r in results.values())
