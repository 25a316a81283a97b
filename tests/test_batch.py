"""The monthly batch: failure isolation, exit status, manifest, lock, clean re-runs, kill -9.

Most tests use the fixture notebooks (tests/fixtures/notebooks) through run_period; the
kill test runs the real ``jamsos monthly`` on the report fixture data (tests/report_fixture.py).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from jamsos_lib import cli
from jamsos_lib.errors import JamsosError
from jamsos_lib.reports.batch import EXIT_PAGES_FAILED, LockHeld, Progress, RunOptions, run_period
from jamsos_lib.reports.runner import PageJob, PageResult

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
PERIOD = "2025-06"
VENV_BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


def jobs_for(out: Path, codes, failing=("3599",)) -> list[PageJob]:
    jobs = []
    for code in codes:
        nb = "failing" if code in failing else "page"
        jobs.append(
            PageJob(
                str(FIXTURES / f"{nb}.ipynb"),
                {"region_code": code},
                str(out / PERIOD / f"{code}.html"),
                label=f"{code}.html",
            )
        )
    return jobs


def index_of(results: list[PageResult]) -> str:
    return "<html>" + " ".join(f"{r.label}={r.status}" for r in results) + "</html>"


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if ".tmp" in p.name]


def test_failed_page_does_not_stop_the_others_and_exit_status_is_3(tmp_path):
    jobs = jobs_for(tmp_path, ["3501", "3599", "3502", "3503"])
    result = run_period(jobs, period=PERIOD, out_dir=tmp_path, workers=2, index=index_of, progress=False)
    assert [r.status for r in result.results] == ["ok", "failed", "ok", "ok", "ok"]  # last: index.html
    assert result.exit_status == EXIT_PAGES_FAILED
    folder = tmp_path / PERIOD
    assert sorted(p.name for p in folder.glob("*.html")) == ["3501.html", "3502.html", "3503.html", "index.html"]
    assert (folder / "_failed" / "3599.ipynb").exists()
    assert sorted(p.name for p in (folder / "_executed").glob("*.ipynb")) == ["3501.ipynb", "3502.ipynb", "3503.ipynb"]
    assert (folder / "index.html").read_text() == (
        "<html>3501.html=ok 3599.html=failed 3502.html=ok 3503.html=ok</html>"
    )
    assert temp_files(folder) == []

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["period"] == PERIOD and manifest["workers"] == 2 and manifest["scheduler"] is None
    assert manifest["status"] == "some pages failed"
    assert set(manifest["versions"]) >= {"jamsos", "papermill", "nbconvert", "pandas", "python"}
    assert set(manifest["inputs"]["notebooks"]) == {"page.ipynb", "failing.ipynb"}
    pages = manifest["pages"]
    assert list(pages) == ["3501.html", "3599.html", "3502.html", "3503.html", "index.html"]
    assert pages["3501.html"]["status"] == "ok" and pages["3501.html"]["html_path"] == "3501.html"
    assert pages["3501.html"]["notebook_path"] == "_executed/3501.ipynb"
    bad = pages["3599.html"]
    assert (bad["status"], bad["error_type"], bad["cell_index"]) == ("failed", "ValueError", 3)
    assert "3513014501900001" not in (folder / "manifest.json").read_text()
    assert manifest["started"] <= manifest["finished"]


def test_all_ok_is_exit_status_0_and_rerun_replaces_outputs_and_removes_stale_pages(tmp_path):
    first = run_period(
        jobs_for(tmp_path, ["3501", "3502", "3503"]), period=PERIOD, out_dir=tmp_path, workers=1, progress=False
    )
    assert first.exit_status == 0
    folder = tmp_path / PERIOD
    other_month = tmp_path / "2025-05" / "3501.html"
    other_month.parent.mkdir()
    other_month.write_text("<html>May</html>")
    old = (folder / "3501.html").stat().st_mtime_ns
    (folder / ".3501.html.abc123.tmp").write_text("<html>half")  # what a killed run leaves
    second = run_period(
        jobs_for(tmp_path, ["3501", "3502"]), period=PERIOD, out_dir=tmp_path, workers=1, progress=False
    )
    assert second.exit_status == 0
    assert sorted(p.name for p in folder.glob("*.html")) == ["3501.html", "3502.html"]
    assert sorted(p.name for p in (folder / "_executed").glob("*")) == ["3501.ipynb", "3502.ipynb"]
    assert (folder / "3501.html").stat().st_mtime_ns > old
    assert temp_files(folder) == []
    assert list(json.loads((folder / "manifest.json").read_text())["pages"]) == ["3501.html", "3502.html"]
    assert other_month.read_text() == "<html>May</html>"  # another period is never touched


def test_a_page_that_fails_on_rerun_loses_its_old_html(tmp_path):
    first = run_period(
        jobs_for(tmp_path, ["3501"], failing=()),
        period=PERIOD,
        out_dir=tmp_path,
        workers=1,
        progress=False,
        options=RunOptions(fresh_kernels=True),
    )
    assert first.exit_status == 0 and (tmp_path / PERIOD / "3501.html").exists()
    # the failing notebook raises for region 3599: same page name, now failing
    job = PageJob(
        str(FIXTURES / "failing.ipynb"),
        {"region_code": "3599"},
        str(tmp_path / PERIOD / "3501.html"),
        label="3501.html",
    )
    result = run_period([job], period=PERIOD, out_dir=tmp_path, workers=1, progress=False)
    assert result.exit_status == EXIT_PAGES_FAILED
    assert not (tmp_path / PERIOD / "3501.html").exists()
    assert not (tmp_path / PERIOD / "_executed" / "3501.ipynb").exists()


def test_second_run_for_the_same_period_stops_with_lock_held(tmp_path):
    folder = tmp_path / PERIOD
    folder.mkdir()
    (folder / "3501.html").write_text("<html>kept</html>")
    with FileLock(str(folder / ".lock")):
        with pytest.raises(LockHeld, match="another jamsos run") as err:
            run_period(jobs_for(tmp_path, ["3501"]), period=PERIOD, out_dir=tmp_path, workers=1, progress=False)
    assert isinstance(err.value, JamsosError)  # the CLI maps it to exit status 2
    assert (folder / "3501.html").read_text() == "<html>kept</html>"
    assert not (folder / "manifest.json").exists()


def test_plain_progress_lines_for_cron(capsys):
    import io

    stream = io.StringIO()
    p = Progress(2, stream=stream, bar=False)
    p(PageResult("3513-kabupaten-probolinggo.html", "ok", "/x/3513-kabupaten-probolinggo.html", None, 1.44))
    p(PageResult("3501.html", "failed", None, None, 0.5, error_type="ValueError", error_message="bad\nmore"))
    lines = stream.getvalue().splitlines()
    # each line starts with its ISO time in WIB (cron logs have no other clock)
    iso = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00 "
    assert len(lines) == 2 and all(re.match(iso, line) for line in lines), lines
    assert [line.split(" ", 1)[1] for line in lines] == [
        "[1/2] ok 3513-kabupaten-probolinggo.html 1.4s",
        "[2/2] failed 3501.html 0.5s ValueError: bad",
    ]


# -- the real command ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_data(tmp_path_factory):
    sys.path.insert(0, str(Path(__file__).parent))
    import report_fixture

    return report_fixture.build(tmp_path_factory.mktemp("processed"))


def monthly(data: Path, out: Path, *extra: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [str(VENV_BIN / "jamsos"), "monthly", "--data", str(data), "--out", str(out), "--workers", "2", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        **kw,
    )


def test_lock_held_exits_2_from_the_cli(tmp_path, report_data, capsys):
    folder = tmp_path / PERIOD
    folder.mkdir()
    with FileLock(str(folder / ".lock")):
        status = cli.main(["monthly", "--data", str(report_data), "--out", str(tmp_path), "--period", PERIOD])
    assert status == 2
    assert "another jamsos run is writing the reports of 2025-06" in capsys.readouterr().err
    assert list(folder.glob("*.html")) == []


def test_kill_9_mid_batch_leaves_no_partial_page_and_a_rerun_completes(tmp_path, report_data):
    out = tmp_path / "reports"
    folder = out / PERIOD
    proc = monthly(report_data, out)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        done = list(folder.glob("*.html")) if folder.exists() else []
        if len(done) >= 3 or proc.poll() is not None:
            break
        time.sleep(0.2)
    assert proc.poll() is None, "the batch finished before it could be killed:\n" + proc.stdout.read()
    os.killpg(proc.pid, signal.SIGKILL)  # the whole job, as cron/systemd would on a timeout
    proc.wait()
    pages = list(folder.glob("*.html"))
    assert 3 <= len(pages) < 39
    for page in pages:  # only complete pages under final names
        text = page.read_text(encoding="utf-8")
        assert text.rstrip().endswith("</html>"), page
    # what the kill left half-written is only ever a hidden temp file (".NAME.RANDOM.tmp"),
    # never a visible file a browser or the index could pick up; the re-run removes them
    assert all(p.name.startswith(".") for p in folder.rglob("*") if ".tmp" in p.name)
    assert not (folder / "index.html").exists()

    rerun = monthly(report_data, out)
    output, _ = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, output
    names = {p.name for p in folder.glob("*.html")}
    assert len(names) == 38 + 1 + 1 and {"index.html", "provinsi-35.html", "3513-kabupaten-probolinggo.html"} <= names
    assert [p for p in folder.rglob("*") if ".tmp" in p.name] == []
    assert f"index: {folder / 'index.html'}" in output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "ok" and len(manifest["pages"]) == 40


@pytest.mark.parametrize(
    "regions, provinces",
    [(None, None), (None, ["35"]), (None, []), (["3501"], None), (["3501", "3502"], ["35"]), ([], ["35"])],
)
def test_workers_warm_up_for_exactly_the_notebooks_the_plan_uses(report_data, tmp_path, regions, provinces):
    # run_month starts the workers' kernels (with the planned notebooks' imports) before it
    # has read the data: what it expects must match what plan_month then plans
    from jamsos_lib import store
    from jamsos_lib.reports.batch import planned_notebooks, plan_month

    data = store.load(report_data)
    jobs = plan_month(data, "2025-06", tmp_path, regions=regions, province_pages=provinces)
    planned = {job.notebook_name for job in jobs}
    expected = set(planned_notebooks(regions, provinces))
    assert planned == expected or (regions == [] and planned < expected)  # no region page: a harmless extra


def test_a_pool_started_early_runs_the_pages_on_its_warm_kernels(tmp_path, monkeypatch):
    from jamsos_lib.reports import batch
    from jamsos_lib.reports.batch import run_batch, start_pool

    options = RunOptions(cwd=str(FIXTURES))
    jobs = jobs_for(tmp_path, ["3501", "3502", "3503"], failing=())
    pool = start_pool(2, options, jobs[0].notebook_path)
    # the pages must go to this pool, whose workers started their kernels (warm-up tasks), not a new one
    real_submit, ran_on = pool.submit, []

    def submit(fn, *args, **kw):
        future = real_submit(fn, *args, **kw)
        if fn is batch.run_page_task:
            ran_on.append(future)
        return future

    monkeypatch.setattr(pool, "submit", submit)
    result = run_batch(jobs, 2, options=options, pool=pool)
    assert [r.status for r in result.results] == ["ok"] * 3
    assert len(ran_on) == 3 and all(f.result().status == "ok" for f in ran_on)
    with pytest.raises(RuntimeError):  # run_batch shut the pool down
        real_submit(print)


def test_kill_9_of_the_batch_alone_takes_its_workers_and_kernels_with_it(tmp_path, report_data):
    # only the batch process is killed (not its process group): every worker and kernel it
    # started, and the fork server, must notice and stop by themselves
    import psutil

    proc = monthly(report_data, tmp_path / "reports")
    batch = psutil.Process(proc.pid)
    deadline = time.monotonic() + 240
    kernels: list[psutil.Process] = []
    while time.monotonic() < deadline and proc.poll() is None:
        family = batch.children(recursive=True)
        kernels = [p for p in family if "ipykernel_launcher" in " ".join(p.cmdline())]
        if len(kernels) >= 2:
            break
        time.sleep(0.2)
    assert len(kernels) >= 2, "the batch ended before its kernels were up"
    family = batch.children(recursive=True)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(family, timeout=20)
    assert not alive, [" ".join(p.cmdline())[:120] for p in alive]


def test_workers_have_the_environment_of_their_own_batch(monkeypatch):
    # the fork server outlives a batch; a later batch's workers must still get that batch's
    # environment (the private Jupyter runtime folder, JAMSOS_REGISTRY, ...), as freshly spawned ones would
    import functools

    from jamsos_lib.reports.batch import _new_pool

    monkeypatch.setenv("JAMSOS_TEST_MARK", "first")
    with _new_pool(1) as pool:
        assert pool.submit(functools.partial(os.getenv, "JAMSOS_TEST_MARK")).result() == "first"
    monkeypatch.setenv("JAMSOS_TEST_MARK", "second")
    monkeypatch.setenv("JAMSOS_REGISTRY", "/nowhere/registry.csv")
    with _new_pool(1) as pool:
        assert pool.submit(functools.partial(os.getenv, "JAMSOS_TEST_MARK")).result() == "second"
        assert pool.submit(functools.partial(os.getenv, "JAMSOS_REGISTRY")).result() == "/nowhere/registry.csv"


def test_workers_are_capped_at_the_cores_and_the_pages_with_a_message(monkeypatch, caplog):
    from jamsos_lib.reports import batch

    monkeypatch.setattr(batch, "max_workers", lambda: 4)
    with caplog.at_level("INFO", logger="jamsos_lib.reports.batch"):
        assert batch.capped_workers(1000) == 4
    assert caplog.messages == ["--workers 1000 is more than the 4 cores this machine gives the batch; using 4"]
    caplog.clear()
    with caplog.at_level("INFO", logger="jamsos_lib.reports.batch"):
        assert batch.capped_workers(1000, pages=3) == 3
        assert batch.capped_workers(2, pages=40) == 2 and batch.capped_workers(None) == 4
        assert batch.capped_workers(None, pages=1) == 1
    assert caplog.messages == [
        "--workers 1000 is more than the 4 cores this machine gives the batch; using 4",
        "3 pages to render: using 3 workers",
    ]


def test_workers_1000_from_the_cli_is_capped_with_a_warning(tmp_path, report_data):
    proc = subprocess.run(
        [
            str(VENV_BIN / "jamsos"),
            "report",
            "--data",
            str(report_data),
            "--out",
            str(tmp_path),
            "--region",
            "3513",
            "--region",
            "3574",
            "--workers",
            "1000",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    from jamsos_lib.reports.batch import max_workers

    cap = max_workers()
    assert (
        f"--workers 1000 is more than the {cap} core{'s' if cap != 1 else ''} this machine gives the batch; "
        f"using {cap}" in proc.stderr
    )
    used = min(cap, 2)  # two pages
    manifest = json.loads((tmp_path / PERIOD / "manifest.json").read_text())
    assert manifest["workers"] == used
    assert "3 of 3 pages ok" in proc.stdout  # two region pages and the index
    assert f"({used} worker{'s' if used != 1 else ''})" in proc.stdout


KILL_FIRST_WARM_UP = """
import os, signal, sys
if "ipykernel_launcher" in " ".join(sys.orig_argv):  # only in kernels, and only once
    import importlib.abc

    class _KillOnWarmUp(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "jamsos_lib":  # a kernel imports jamsos_lib only in its warm-up
                try:
                    fd = os.open(os.environ["JAMSOS_TEST_DIE_ONCE"], os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                except FileExistsError:
                    return None
                os.write(fd, str(os.getpid()).encode())
                os.close(fd)
                os.kill(os.getpid(), signal.SIGKILL)
            return None

    sys.meta_path.insert(0, _KillOnWarmUp())
"""


def test_a_kernel_killed_during_its_warm_up_does_not_stall_the_batch(tmp_path, report_data):
    # as the OOM killer would: the first kernel to warm up dies in the middle of its imports
    import psutil

    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(KILL_FIRST_WARM_UP)
    marker = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(hooks), "JAMSOS_TEST_DIE_ONCE": str(marker)}
    proc = subprocess.run(
        [
            str(VENV_BIN / "jamsos"),
            "report",
            "--data",
            str(report_data),
            "--out",
            str(tmp_path),
            "--region",
            "3513",
            "--region",
            "3574",
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=170,
    )  # a safety bound only: before the fix the batch waited 180 s for the dead kernel
    assert marker.exists(), "no kernel was killed: the test did not test anything"
    assert not psutil.pid_exists(int(marker.read_text()))
    assert proc.returncode == 0, proc.stdout + proc.stderr  # its worker started a new kernel for its page
    manifest = json.loads((tmp_path / PERIOD / "manifest.json").read_text())
    assert [
        manifest["pages"][p]["status"]
        for p in ("3513-kabupaten-probolinggo.html", "3574-kota-probolinggo.html", "index.html")
    ] == ["ok", "ok", "ok"]
