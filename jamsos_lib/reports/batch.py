"""The monthly batch: plan the pages of a period, run them in parallel, index, manifest.

Behaviour a scheduler (cron) can trust:

* pages run in ``workers`` separate processes, at most one per core and one per page
  (:func:`capped_workers`; a larger request is capped with a warning), or on a Dask cluster
  (see :mod:`jamsos_lib.reports.dask_backend`); each worker keeps one warm kernel
  (:mod:`jamsos_lib.reports.kernels`) unless ``fresh_kernels`` is asked for;
* the kernels' connection files live in a private runtime folder removed at the end
  (:mod:`jamsos_lib.reports.runtime`; a killed run's is removed by the next);
* a failed page does not stop the others; it has no HTML, its executed notebook is kept
  in ``_failed/``;
* one run per period at a time: a lock file ``<out>/<period>/.lock`` (``filelock``); a
  second run for the same period stops at once with :class:`LockHeld` (exit status 2);
* every file is written atomically (temp file + ``os.replace``), so a crash or
  ``kill -9`` never leaves a partial page under a final name; other periods' folders are
  never touched; temp files a killed run left behind are removed by the next run;
* a full re-run removes pages of regions no longer planned;
* incremental: only the pages whose fingerprint (:mod:`jamsos_lib.reports.fingerprint`:
  code, templates, notebook cells, parameters, reference data and what the page shows of
  the month tables) differs from the one the last manifest of the month recorded, or whose
  HTML is missing or no longer has the recorded sha256, are rendered; the index is written
  when a page is, or when its own fingerprint changed; ``force`` renders all. Nothing to
  render: 0 pages, exit status 0, the summary says so. A failed page records no
  fingerprint, so the next run renders it again. ``jamsos monthly`` first checks the run
  key (:mod:`jamsos_lib.reports.runkey`): when no input changed and every page is as the
  last run wrote it, it says so before reading anything; the manifest records ``run``;
* ``manifest.json``: inputs (processed manifest + hashes of the data files and
  notebooks), package versions, per-page status/duration/error, period, start/end,
  workers and scheduler; ``forced``, ``rendered`` and ``unchanged`` (counts), and per
  page ``reason``, ``rendered``, ``fingerprint``, ``fingerprint_parts`` and ``html_sha256``.

Exit status of the commands built on :func:`run_period`: 0 all pages ok, 3 some pages
failed (the others are complete and indexed), 2 bad input or lock held, 1 internal error.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import platform
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from filelock import FileLock, Timeout

from jamsos_lib import atomic, paths
from jamsos_lib.digests import data_files
from jamsos_lib.errors import JamsosError, mask_nik
from jamsos_lib.reports.runkey import nothing_changed
from jamsos_lib.reports.runkey import now as _now
from jamsos_lib.reports.runtime import private_runtime_dir
from jamsos_lib.reports.startup import batch_allocator
from jamsos_lib.reports.tasks import (  # noqa: F401 - RunOptions and run_page_task are part of this module's API
    REGION_NOTEBOOK,
    RunOptions,
    longest_first,
    run_page_task,
    warm_up_task,
)
from jamsos_lib.paths import MONTH_INDEX as INDEX, MONTH_LOCK as LOCK, MONTH_MANIFEST as MANIFEST
from jamsos_lib.reports.runner import (
    DEFAULT_EXECUTION_TIMEOUT,
    EXECUTED_DIR,
    FAILED_DIR,
    PageJob,
    PageResult,
)

if TYPE_CHECKING:  # the batch's main process imports pandas only when it reads the data
    import pandas as pd

    from jamsos_lib.reports.fingerprint import Decision, MonthFingerprints

log = logging.getLogger(__name__)

EXIT_PAGES_FAILED = 3
PROVINCE_NOTEBOOK = "province_overview"
VERSIONED_PACKAGES = (
    "jamsos",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "pandas",
    "matplotlib",
    "distributed",
)


class LockHeld(JamsosError):
    """Another run holds the lock of this period (the CLI exits with status 2)."""


@dataclass
class BatchResult:
    period: str | None
    out_dir: str | None
    results: list[PageResult]
    workers: int
    scheduler: str | None
    started: str
    finished: str
    duration_s: float
    index_path: str | None = None
    manifest_path: str | None = None
    extra: dict = field(default_factory=dict)
    #: pages (and the index) not rendered because nothing they show changed (:mod:`.fingerprint`)
    unchanged: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[PageResult]:
        return [r for r in self.results if not r.ok]

    @property
    def exit_status(self) -> int:
        return EXIT_PAGES_FAILED if self.failed else 0

    def summary(self) -> str:
        n, bad, kept = len(self.results), len(self.failed), len(self.unchanged)
        if not n and kept:
            return nothing_changed(kept)
        lines = [
            f"{n - bad} of {n} pages ok, {bad} failed, {self.duration_s:.1f}s"
            f" ({self.workers} worker{'s' if self.workers != 1 else ''}"
            f"{', scheduler ' + self.scheduler if self.scheduler else ''})"
            + (f"; {kept} unchanged, not rendered" if kept else "")
        ]
        for r in self.failed:
            where = f" (cell {r.cell_index})" if r.cell_index is not None else ""
            lines.append(
                f"  FAILED {r.label}: {r.error_type}{where}: {(r.error_message or '').splitlines()[0] if r.error_message else ''}"
            )
        return "\n".join(lines)


# -- running a list of pages --------------------------------------------------------------


class Progress:
    """A tqdm bar on a terminal; plain log lines otherwise (cron), each with its ISO time in
    WIB: ``2025-07-05T06:01:12+07:00 [12/40] ok name 1.4s``. ``total`` counts every page the
    summary counts (the index included)."""

    def __init__(self, total: int, stream=None, bar: bool | None = None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        use_bar = self.stream.isatty() if bar is None else bar
        self.bar = None
        if use_bar and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="page", file=self.stream, dynamic_ncols=True)

    def __call__(self, result: PageResult) -> None:
        self.done += 1
        name = Path(result.html_path).name if result.html_path else result.label
        line = f"[{self.done}/{self.total}] {result.status} {name} {result.duration_s:.1f}s"
        if not result.ok:
            line += (
                f" {result.error_type}: {(result.error_message or '').splitlines()[0] if result.error_message else ''}"
            )
        if self.bar is not None:
            self.bar.set_postfix_str(name, refresh=False)
            self.bar.update(1)
            if not result.ok:
                self.bar.write(line)
        else:
            from jamsos_lib.clock import stamp

            print(f"{stamp()} {line}", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_batch(
    jobs: list[PageJob],
    workers: int | None = None,
    scheduler: str | None = None,
    *,
    options: RunOptions | None = None,
    on_result: Callable[[PageResult], None] | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> BatchResult:
    """Run every job; results in job order. A failed page never stops the others.

    ``workers`` local processes (default: the number of cores; 1 runs in this process; never
    more than there are jobs), or the Dask cluster at ``scheduler`` (the result then says how
    many workers the cluster had). ``pool``: a pool from :func:`start_pool` to run the local
    processes on (shut down here).
    """
    options = options or RunOptions()
    workers = min(max(1, int(workers or max_workers())), max(1, len(jobs)))
    t0, started = time.perf_counter(), _now()
    results: dict[int, PageResult] = {}

    def done(i: int, r: PageResult) -> None:
        results[i] = r
        if on_result:
            on_result(r)

    if pool is not None and (not jobs or scheduler is not None):
        pool.shutdown(cancel_futures=True)
        pool = None
    if not jobs:
        pass
    elif scheduler is not None:
        from jamsos_lib.reports.dask_backend import run_on_cluster

        cluster: dict = {}
        for i, r in run_on_cluster(jobs, scheduler, options, info=cluster):
            done(i, r)
        workers = cluster.get("workers", workers)
    elif pool is None and (workers == 1 or len(jobs) == 1):
        try:
            for i, job in enumerate(jobs):
                done(i, run_page_task(job, options))
        finally:
            from jamsos_lib.reports import kernels

            kernels.shutdown_all()
    else:
        pending = list(range(len(jobs)))
        for attempt in range(2):
            broken = _run_in_pool(
                jobs,
                pending,
                workers,
                options,
                done if attempt else _keep_broken(done, results),
                pool=None if attempt else pool,
            )
            # a worker process that dies (out of memory, killed) breaks the whole pool: the
            # pages it took down with it get one more chance in a new pool
            pending = [i for i in broken]
            if not pending:
                break
            for i in pending:
                results.pop(i, None)
            log.warning("a worker process died; running %d page(s) again in a new pool", len(pending))
        for i in pending:
            if i not in results:
                done(i, _crashed(jobs[i], BrokenProcessPool("the worker process died twice on this page")))
    return BatchResult(
        period=None,
        out_dir=None,
        results=[results[i] for i in range(len(jobs))],
        workers=workers,
        scheduler=scheduler_name(scheduler),
        started=started,
        finished=_now(),
        duration_s=round(time.perf_counter() - t0, 3),
    )


def max_workers() -> int:
    """The most local worker processes a batch runs: the cores this process may use.

    A page keeps its worker's core busy (the kernel computes and draws, the worker exports);
    a worker beyond the cores only adds a kernel (~360 MB, see ``bench/README.md``) and
    contention. ``--workers`` above this is capped with a warning (:func:`capped_workers`).
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def capped_workers(requested: int | None, pages: int | None = None) -> int:
    """The local workers to start for ``requested`` (None: one per core): at most
    :func:`max_workers` and at most ``pages`` (when known); a warning says when it caps."""
    cap = max_workers()
    if requested is None:
        return min(cap, pages) if pages else cap
    workers = min(int(requested), cap)
    if requested > cap:
        log.warning(
            "--workers %d is more than the %d core%s this machine gives the batch; using %d",
            requested,
            cap,
            "s" if cap != 1 else "",
            cap,
        )
    if pages is not None and 0 < pages < workers:
        log.info(
            "%d page%s to render: using %d worker%s", pages, "s" if pages != 1 else "", pages, "s" if pages != 1 else ""
        )
        workers = pages
    return max(1, workers)


def _crashed(job: PageJob, exc: BaseException) -> PageResult:
    return PageResult(
        label=job.label or Path(job.html_path).name,
        status="failed",
        html_path=None,
        notebook_path=None,
        duration_s=0.0,
        error_type=type(exc).__name__,
        error_message=mask_nik(str(exc))[:300],
        parameters=dict(job.parameters),
    )


def _keep_broken(done, results):
    """First round: results of pages lost to a broken pool are not reported yet."""

    def inner(i, r):
        if r.error_type == "BrokenProcessPool":
            return
        done(i, r)

    return inner


def _mp_context():
    """Worker processes come from a fork server where the platform has one (Linux, macOS):
    a clean process started once, which imports ``startup.PRELOAD`` and forks each worker
    from there (~0.4 s of imports per worker saved; the command's own threads and state are
    never forked; :func:`jamsos_lib.reports.worker.init` gives each worker the batch's
    environment). Elsewhere: spawn, a fresh interpreter per worker."""
    from jamsos_lib.reports import worker

    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(worker.FORKSERVER_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


class _Pool(ProcessPoolExecutor):
    """A process pool that may still be starting its workers in a background thread
    (:func:`start_pool`): submitting from another thread, or shutting down, first waits
    for that start, so the warm-up tasks stay first in the queue."""

    _starter: threading.Thread | None = None

    def _wait_started(self) -> None:
        starter = self._starter
        if starter is not None and starter is not threading.current_thread():
            starter.join()

    def submit(self, fn, /, *args, **kwargs):
        self._wait_started()
        return super().submit(fn, *args, **kwargs)

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._wait_started()
        super().shutdown(wait=wait, cancel_futures=cancel_futures)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    from jamsos_lib.reports import worker

    return _Pool(
        max_workers=workers, mp_context=_mp_context(), initializer=worker.init, initargs=(dict(os.environ), os.getpid())
    )


def start_pool(workers: int, options: RunOptions, notebook_path: Path) -> ProcessPoolExecutor:
    """A local process pool whose workers start and warm their kernels at once.

    The command calls this before it reads the data and plans the pages, so that the
    workers' start (fork server, process fork, kernel start, imports, reading the tables:
    ~3 s) runs while the main process does its own start; :func:`run_batch` then runs the
    pages on this pool. One warm-up task per worker: a task takes seconds, so each idle
    worker takes one; a worker that got none warms up on its first page, as without this.

    The warm-up tasks are submitted from a background thread: the first submission waits
    for the fork server to import :data:`~jamsos_lib.reports.startup.PRELOAD` (~0.4 s), and
    the command reads the data meanwhile instead of waiting.
    """
    pool = _new_pool(workers)

    def submit_warm_ups() -> None:
        try:
            for _ in range(workers):
                pool.submit(warm_up_task, options, notebook_path)
        except Exception as exc:  # noqa: BLE001 - a broken pool fails the pages' own submissions
            log.debug("could not start the workers: %s", exc)

    pool._starter = threading.Thread(target=submit_warm_ups, name="jamsos-pool-start", daemon=True)
    pool._starter.start()
    return pool


def _run_in_pool(jobs, indices, workers, options, done, pool: ProcessPoolExecutor | None = None) -> list[int]:
    """Run ``jobs[indices]`` in ``pool`` or a new process pool (:func:`_new_pool`; shut down at
    the end); return the indices lost to a broken pool."""
    broken: list[int] = []
    with pool or _new_pool(min(workers, len(indices))) as pool:
        futures = {pool.submit(run_page_task, jobs[i], options): i for i in longest_first(jobs, indices)}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                r = fut.result()
            except BrokenProcessPool as exc:
                broken.append(i)
                r = _crashed(jobs[i], exc)
            except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be unpickled
                r = _crashed(jobs[i], exc)
            done(i, r)
    return sorted(broken)


# -- a period: lock, clean-up, index, manifest ------------------------------------------------


def scheduler_name(scheduler) -> str | None:
    """``tcp://host:8786`` for an address, a Client or a LocalCluster; None for local processes."""
    if scheduler is None:
        return None
    for attr in ("scheduler_address",):
        if hasattr(scheduler, attr):
            return str(getattr(scheduler, attr))
    return str(scheduler)


def period_dir(out_dir: str | Path, period: str) -> Path:
    return Path(out_dir) / period


def remove_temp_files(folder: Path) -> list[Path]:
    """Delete temp files a killed run left (``.name.XXXX.tmp``, ``.name.XXXX.tmp.ipynb``, temp dirs)."""
    removed = []
    for sub in (folder, folder / EXECUTED_DIR, folder / FAILED_DIR):
        if not sub.is_dir():
            continue
        for f in sub.iterdir():
            if f.name.startswith(".") and (f.name.endswith(".tmp") or f.name.endswith(".tmp.ipynb")):
                if f.is_dir():
                    import shutil

                    shutil.rmtree(f, ignore_errors=True)
                else:
                    f.unlink(missing_ok=True)
                removed.append(f)
    return removed


def remove_stale_pages(folder: Path, keep_stems: set[str]) -> list[Path]:
    """Delete pages (and their audit notebooks) of this period that were not planned this time."""
    removed = []
    for pattern, sub in (("*.html", folder), ("*.ipynb", folder / EXECUTED_DIR), ("*.ipynb", folder / FAILED_DIR)):
        if not sub.is_dir():
            continue
        for f in sub.glob(pattern):
            if f.stem not in keep_stems and f.name != INDEX:
                f.unlink(missing_ok=True)
                removed.append(f)
    return removed


def package_versions() -> dict:
    out = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def describe_inputs(data_dir: str | Path | None, notebooks: Iterable[Path]) -> dict:
    """Processed manifest + sha256 of every processed file and every notebook used."""
    import json

    inputs: dict = {"data_dir": None, "processed_manifest": None, "data_files": {}, "notebooks": {}}
    if data_dir is not None:
        data_dir = Path(data_dir).resolve()
        inputs["data_dir"] = str(data_dir)
        manifest = data_dir / "manifest.json"
        if manifest.exists():
            inputs["processed_manifest"] = json.loads(manifest.read_text(encoding="utf-8"))
        inputs["data_files"] = data_files(data_dir)
    for nb in sorted(set(Path(n).resolve() for n in notebooks)):
        inputs["notebooks"][nb.name] = atomic.sha256_file(nb)
    return inputs


def run_period(
    jobs: list[PageJob],
    *,
    period: str,
    out_dir: str | Path,
    workers: int | None = None,
    scheduler: str | None = None,
    options: RunOptions | None = None,
    data_dir: str | Path | None = None,
    full: bool = True,
    index: Callable[[list[PageResult]], str] | None = None,
    progress: bool | None = None,
    extra: dict | None = None,
    pool: ProcessPoolExecutor | None = None,
    fingerprints: MonthFingerprints | None = None,
    force: bool = False,
) -> BatchResult:
    """Run the pages of one period under the period's lock and write index and manifest.

    ``full``: the jobs are the whole period (a monthly run): pages not planned are
    removed and the manifest lists exactly these pages. Otherwise (``jamsos report`` for
    some regions) other pages stay and the manifest keeps their earlier entries.
    ``index``: builds ``index.html`` from the page results, after the pages. ``pool``: see
    :func:`run_batch`.

    ``fingerprints`` (:mod:`jamsos_lib.reports.fingerprint`): a page whose fingerprint equals
    the one the last manifest recorded, and whose HTML still has the recorded sha256, is not
    rendered (``force``: every page is). The index is written when a page was rendered or
    its own fingerprint changed. Without ``fingerprints`` every page is rendered.
    """
    from jamsos_lib.reports import fingerprint as fp

    folder = period_dir(out_dir, period)
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / LOCK))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise LockHeld(
            f"another jamsos run is writing the reports of {period} (lock {folder / LOCK} is held); "
            "nothing was changed. Wait for it to finish, then run again."
        ) from None
    try:
        leftovers = remove_temp_files(folder)
        if leftovers:
            log.info("removed %d temp file(s) left by an interrupted run", len(leftovers))
        manifest_path = folder / MANIFEST
        last = _manifest(manifest_path)
        old = _pages_of(last)
        prints = fingerprints.pages if fingerprints is not None else {}
        decisions = {j.label: fp.decide(prints.get(j.label), old.get(j.label), j.html_path, force=force) for j in jobs}
        to_run = [j for j in jobs if decisions[j.label].render]
        kept = {
            j.label: {**old[j.label], "reason": decisions[j.label].reason, "rendered": False}
            for j in jobs
            if not decisions[j.label].render
        }
        index_now = None if to_run or index is None else _index_decision(fingerprints, old, kept, full, folder, force)
        bar = Progress(len(to_run) + (index is not None and (bool(to_run) or index_now[1].render)), bar=progress)
        try:
            result = run_batch(to_run, workers, scheduler, options=options, on_result=bar, pool=pool)
            result.period, result.out_dir = period, str(folder)
            result.extra = dict(extra or {})
            result.unchanged = list(kept)
            if full:
                keep = {Path(j.html_path).stem for j in jobs}
                stale = remove_stale_pages(folder, keep)
                if stale:
                    log.info("removed %d stale file(s) of regions not planned this time", len(stale))
            done = {r.label: r for r in result.results}
            pages = {}
            for j in jobs:
                if j.label in kept:
                    pages[j.label] = kept[j.label]
                else:
                    r = done[j.label]
                    pages[j.label] = {
                        **_page_entry(r, folder),
                        **fp.entry(prints.get(j.label), decisions[j.label], r.html_path, r.ok),
                    }
            if index is not None:
                index_fp, decision = index_now or _index_decision(fingerprints, old, pages, full, folder, force)
                if to_run and not decision.render:
                    decision = fp.Decision(True, "pages rendered")
                if decision.render:
                    idx = _write_index(index, result, folder)
                    result.results.append(idx)
                    bar(idx)
                    pages[INDEX] = {**_page_entry(idx, folder), **fp.entry(index_fp, decision, idx.html_path, idx.ok)}
                else:
                    pages[INDEX] = {**old[INDEX], "reason": decision.reason, "rendered": False}
                    result.unchanged.append(INDEX)
                    result.index_path = str(folder / INDEX)
        finally:
            bar.close()
        result.finished = _now()
        run = (extra or {}).get("run")
        if not full:
            pages = {**old, **pages}
            # the month's run key stays only when these pages were made from the same inputs
            same = isinstance(last.get("run"), dict) and run is not None and last["run"].get("key") == run.get("key")
            run = last["run"] if same else None
        manifest = {
            "period": period,
            "started": result.started,
            "finished": result.finished,
            "duration_s": result.duration_s,
            "workers": result.workers,
            "scheduler": scheduler_name(scheduler),
            "fresh_kernels": bool(options and options.fresh_kernels),
            "complete_run": full,
            "status": "ok" if not result.failed else "some pages failed",
            "inputs": describe_inputs(data_dir, {j.notebook_path for j in jobs}),
            "versions": package_versions(),
            "forced": bool(force),
            "rendered": len(result.results),
            "unchanged": len(result.unchanged),
            "pages": pages,
            **(extra or {}),
            "run": run,
        }
        atomic.write_json(manifest_path, manifest)
        result.manifest_path = str(manifest_path)
        return result
    finally:
        lock.release()


def _manifest(path: Path) -> dict:
    """The last manifest of the period (empty if missing or unreadable)."""
    import json

    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _pages_of(manifest: dict) -> dict[str, dict]:
    """The page entries of a manifest."""
    pages = manifest.get("pages", {})
    return pages if isinstance(pages, dict) else {}


def _index_decision(
    fingerprints: MonthFingerprints | None, old: dict, pages: dict, full: bool, folder: Path, force: bool
) -> tuple[dict | None, Decision]:
    """The index's fingerprint (over the statuses of the pages it lists) and whether to write it."""
    from jamsos_lib.reports import fingerprint as fp

    if fingerprints is None:
        return None, fp.decide(None, None, folder / INDEX, force=force)
    listed = pages if full else {**old, **pages}
    index_fp = fingerprints.index({k: v.get("status") for k, v in listed.items() if k != INDEX})
    return index_fp, fp.decide(index_fp, old.get(INDEX), folder / INDEX, force=force)


def _write_index(index: Callable[[list[PageResult]], str], result: BatchResult, folder: Path) -> PageResult:
    """Build and write ``index.html``; its own result (a failed index is reported as a failed page)."""
    t = time.perf_counter()
    try:
        html = index(result.results)
        atomic.write_text(folder / INDEX, html)
        result.index_path = str(folder / INDEX)
        return PageResult(
            label=INDEX,
            status="ok",
            html_path=result.index_path,
            notebook_path=None,
            duration_s=round(time.perf_counter() - t, 3),
            html_bytes=len(html.encode("utf-8")),
        )
    except Exception as exc:  # noqa: BLE001 - the pages are fine; report the index as a failed page
        return PageResult(
            label=INDEX,
            status="failed",
            html_path=None,
            notebook_path=None,
            duration_s=round(time.perf_counter() - t, 3),
            error_type=type(exc).__name__,
            error_message=mask_nik(str(exc))[:300],
        )


def _page_entry(r: PageResult, folder: Path) -> dict:
    d = asdict(r)
    for key in ("html_path", "notebook_path"):
        if d.get(key):
            try:
                d[key] = str(Path(d[key]).resolve().relative_to(folder.resolve()))
            except ValueError:
                pass
    return d


# -- the month of a province (or of every province in the registry) -------------------------


def province_codes(data) -> list[str]:
    """Provinces of the registry that have participation data (Jawa Timur for the shipped
    data; 38 for a national data set)."""
    have = set(data.participants["region_code"].str[:2])
    return [p for p in data.registry.provinces() if p in have]


def kabkota_codes(data, provinces: list[str]) -> list[str]:
    """The kab/kota pages of a monthly run, by province then code: every kab/kota present in
    the processed data, and every kab/kota the registry lists for those provinces (a region
    without data still gets its page, which says so, rather than silently vanishing)."""
    wanted = set(provinces)
    present = {c for c in data.participants["region_code"].unique() if len(c) == 4 and c[:2] in wanted}
    listed = {c for prov in provinces for c in data.registry.kabkota_codes(prov)}
    order = {prov: i for i, prov in enumerate(provinces)}
    return sorted(present | listed, key=lambda c: (order[c[:2]], c))


def plan_month(
    data,
    period: str,
    out_dir: str | Path,
    regions: list[str] | None = None,
    lang: str = "id",
    *,
    provinces: list[str] | None = None,
    province_pages: list[str] | None = None,
    data_dir: str | Path | None = None,
    tables_dir: str | Path | None = None,
) -> list[PageJob]:
    """The pages of ``period``: kab/kota pages ``<code>-<slug>.html``, then ``provinsi-<pp>.html``.

    Default (a monthly run): every kab/kota of every province with data
    (:func:`kabkota_codes`; Jawa Timur: 38, national: 514), then each province page.
    ``regions`` (codes) plans only these kab/kota pages, and ``province_pages`` only
    these province pages (default: none when ``regions`` is
    given, else every province). ``tables_dir``: the month tables the pages read
    (:func:`write_month_tables`). The index is not a job: :func:`run_period` builds it after
    the pages from the month's ``gap`` table and the page statuses.
    """
    from jamsos_lib.reports import params as report_params

    folder = period_dir(out_dir, period)
    provinces = list(provinces) if provinces is not None else province_codes(data)
    if regions is None:
        codes = kabkota_codes(data, provinces)
        pages_for = provinces if province_pages is None else list(province_pages)
    else:
        codes = [str(r) for r in regions]
        pages_for = list(province_pages or [])
    data_arg = str(data_dir) if data_dir else None
    tables_arg = str(tables_dir) if tables_dir else None
    jobs: list[PageJob] = []
    for code in codes:
        region = data.registry.region(code)
        params = _declared_subset(
            report_params,
            REGION_NOTEBOOK,
            region_code=code,
            period=period,
            lang=lang,
            data_dir=data_arg,
            tables_dir=tables_arg,
        )
        name = f"{code}-{region.slug}.html"
        jobs.append(PageJob(REGION_NOTEBOOK, params, str(folder / name), lang, label=name))
    for prov in pages_for:
        params = _declared_subset(
            report_params,
            PROVINCE_NOTEBOOK,
            province_code=prov,
            period=period,
            lang=lang,
            data_dir=data_arg,
            tables_dir=tables_arg,
        )
        name = f"provinsi-{prov}.html"
        jobs.append(PageJob(PROVINCE_NOTEBOOK, params, str(folder / name), lang, label=name))
    return jobs


def _declared_subset(report_params, notebook: str, **candidates) -> dict:
    """The candidate parameters the notebook declares (``None`` values are not passed)."""
    declared = set(report_params.declared_names(notebook))
    return {k: v for k, v in candidates.items() if k in declared and v is not None}


def month_index(
    data, period: str, lang: str, jobs: list[PageJob], folder: Path, gap: pd.DataFrame
) -> Callable[[list[PageResult]], str]:
    """A builder of ``index.html`` from the month's ``gap`` table (:mod:`jamsos_lib.compute.month`)
    and the page statuses.

    A page that failed is listed without a link. Pages not run this time (``jamsos
    report`` for a few regions, pages unchanged since the last run) are linked when their
    HTML exists in ``folder``. With
    several provinces (a national data set) the rows of every province are listed, grouped
    by province, each group headed by a link to its ``provinsi-<pp>.html``.
    """
    # what the index needs of the data, taken now: the command lets the data set go before
    # the pages run (see run_month)
    provinces, registry, illustrative = province_codes(data), data.registry, month_estimated(data)

    def build(results: list[PageResult]) -> str:
        from jamsos_lib.reports.index import build_index, page_name

        status = {r.label: r for r in results}
        rows = []
        for prov in provinces:
            for row in gap[gap["region_code"].str[:2] == prov].to_dict("records"):
                page = page_name(str(row["region_code"]), registry)
                r = status.get(page)
                rows.append({**row, "ok": r.ok if r is not None else ((folder / page).exists() or None)})

        def overview_exists(prov: str) -> bool:
            ran = status.get(f"provinsi-{prov}.html")
            return ran.ok if ran is not None else (folder / f"provinsi-{prov}.html").exists()

        overviews = [p for p in provinces if overview_exists(p)]
        return build_index(
            period,
            rows,
            lang,
            illustrative=bool(illustrative),
            province_code=provinces[0] if provinces else "35",
            registry=registry,
            province_pages=overviews,
        )

    return build


def month_estimated(data) -> bool:
    """Whether any input figure of the month's rows is an estimate (the index's note), as the pages."""
    return bool(
        any(
            (t["status"] == "illustrative").any()
            for t in (data.participants, data.workers, data.eligibility, data.targets)
        )
    )


def run_month(
    period: str | None = None,
    *,
    data_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    regions: list[str] | None = None,
    lang: str = "id",
    workers: int | None = None,
    scheduler: str | None = None,
    fresh_kernels: bool = False,
    provinces: list[str] | None = None,
    execution_timeout: float = DEFAULT_EXECUTION_TIMEOUT,
    progress: bool | None = None,
    force: bool = False,
    run_key: str | None = None,
) -> BatchResult:
    """``jamsos monthly`` (``regions=None``) and ``jamsos report`` (some regions / ``provinces`` pages):
    plan, fingerprint, run, index, manifest. See :func:`plan_month` and :func:`run_period`.

    Only the pages whose fingerprint (:mod:`jamsos_lib.reports.fingerprint`) changed since the
    last run of the month are rendered; ``force``: all of them.

    With local worker processes, the workers start their kernels first (:func:`start_pool`),
    while this process reads the data and plans the pages. (A run with nothing to render
    never gets here: ``jamsos monthly`` stops earlier when its run key is unchanged,
    :mod:`jamsos_lib.reports.runkey`, and hands that key over as ``run_key``.)
    """
    from jamsos_lib.reports.params import notebook_imports, notebook_path

    folder = (Path(data_dir) if data_dir else paths.PROCESSED).resolve()
    notebooks = planned_notebooks(regions, provinces)
    out_dir = Path(out_dir or paths.REPORTS)
    key = run_key
    if key is None:
        try:
            key = month_run_key(folder, out_dir, lang, notebooks)  # before anything is read (runkey)
        except OSError:  # no such data folder: reading the data says so
            key = None
    asked = period
    options = RunOptions(
        fresh_kernels=fresh_kernels,
        execution_timeout=execution_timeout,
        cwd=str(paths.NOTEBOOKS.resolve()),
        warm_modules=tuple(notebook_imports(*[notebook_path(n) for n in notebooks])),
    )
    n_pages = None if regions is None else len(regions) + len(provinces or [])
    if scheduler is None:
        workers = capped_workers(workers, n_pages)
    # the kernels' connection files (HMAC keys) go to a private folder removed at the end; set
    # before the workers start, which take this process's environment
    runtime = contextlib.ExitStack()
    runtime.enter_context(private_runtime_dir())
    runtime.enter_context(batch_allocator())
    pool = None
    try:
        if scheduler is None and not fresh_kernels and workers > 1:
            pool = start_pool(workers, options, notebook_path(notebooks[0]))
        from jamsos_lib.reports.startup import paused_gc, release_memory

        with paused_gc():  # imports and tables that live as long as the command
            from jamsos_lib import store

            data = store.load(folder)
        period = data.check_period(period)
        tables, tables_dir = write_month_tables(data, period, out_dir, reuse=not force)
        jobs = plan_month(
            data,
            period,
            out_dir,
            regions=regions,
            lang=lang,
            province_pages=provinces,
            data_dir=str(folder),
            tables_dir=tables_dir,
        )
        full = regions is None and provinces is None
        index = month_index(data, period, lang, jobs, period_dir(out_dir, period), tables["gap"])
        prints = month_fingerprints(jobs, tables, data, lang, period)
        latest = asked is None or period == data.check_period(None)
        processed = data.folder
        del data, tables  # the pages read the tables from disk: give the memory back while they run
        release_memory()
        return run_period(
            jobs,
            period=period,
            out_dir=out_dir,
            workers=workers,
            scheduler=scheduler,
            options=options,
            data_dir=processed,
            full=full,
            index=index,
            progress=progress,
            extra={
                "lang": lang,
                "run": key and {"key": key, "latest": latest},
            },
            pool=pool,
            fingerprints=prints,
            force=force,
        )
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)  # when run_period did not get as far as using it
        runtime.close()  # after the workers, and their kernels, are gone


def month_fingerprints(jobs: list[PageJob], tables, data, lang: str, period: str) -> MonthFingerprints:
    """The fingerprints of the planned pages and of the index (:mod:`jamsos_lib.reports.fingerprint`)."""
    from jamsos_lib.reports import fingerprint as fp

    versions = {k: v for k, v in package_versions().items() if k != "distributed"}  # distributed only runs pages
    prints = fp.month_fingerprints(
        jobs,
        tables.tables,
        data,
        versions=versions,
        package_dir=paths.PACKAGE_DIR,
        templates_dir=paths.TEMPLATES,
        reference_dir=paths.REFERENCE,
        estimated=month_estimated(data),
    )
    prints.index_parameters = {"lang": lang, "period": period}
    return prints


def month_run_key(data_dir: Path, out_dir: Path, lang: str, notebooks: list[str]) -> str:
    """The run key of a month run with these inputs (:mod:`jamsos_lib.reports.runkey`)."""
    from jamsos_lib.paths import registry_files
    from jamsos_lib.reports import runkey
    from jamsos_lib.reports.params import notebook_path

    return runkey.run_key(
        data_dir,
        out_dir=out_dir,
        lang=lang,
        notebooks=[notebook_path(n) for n in notebooks],
        package_dir=paths.PACKAGE_DIR,
        registry_files=registry_files(),
    )


def write_month_tables(data, period: str, out_dir: str | Path, *, reuse: bool = True):
    """The month's figures, computed once, in ``<out>/<period>/_tables/``
    (:mod:`jamsos_lib.compute.month`): ``(tables, folder)``. ``reuse``: the tables stored there
    when their provenance is of this very data, parameters and code
    (:func:`~jamsos_lib.compute.month.stored`), else computed and written."""
    from jamsos_lib.compute import month

    folder = period_dir(out_dir, period) / month.TABLES_DIR
    tables = month.stored(data, period, folder) if reuse else None
    if tables is None:
        tables = month.compute(data, period)
        month.write(tables, folder)
    return tables, folder


def planned_notebooks(regions, provinces) -> list[str]:
    """The notebooks :func:`plan_month` will use for these arguments (known before the data is read)."""
    if regions is None:
        return [REGION_NOTEBOOK, PROVINCE_NOTEBOOK] if provinces is None or provinces else [REGION_NOTEBOOK]
    return [REGION_NOTEBOOK] + ([PROVINCE_NOTEBOOK] if provinces else [])
