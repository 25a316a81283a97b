"""Run report pages on a Dask ``distributed`` cluster (``jamsos monthly --scheduler ADDRESS``).

The cluster runs the very same pure per-page function as the local process pool,
:func:`jamsos_lib.reports.tasks.run_page_task`, through ``client.map``; results are
gathered as they complete; the caller (``run_period``) builds the index and the manifest
locally, under the same lock and atomic-write rules. Workers must have jamsos installed,
the ``jamsos`` kernel registered, and see the same data, notebooks and output folders at
the same paths (a shared disk). Start workers with ONE thread each (``dask worker
tcp://host:8786 --nthreads 1``): each worker keeps one warm kernel, and kernels are not
shared between threads.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Iterator

from jamsos_lib.errors import JamsosError
from jamsos_lib.errors import mask_nik
from jamsos_lib.reports.runner import PageJob, PageResult

log = logging.getLogger(__name__)


def connect(address: str, timeout: float = 30):
    """A ``distributed.Client`` for ``address`` (``tcp://host:8786``) or a clear error."""
    from distributed import Client

    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise JamsosError(
            f"cannot reach the Dask scheduler at {address}: {exc}. "
            "Start it with 'dask scheduler' and at least one 'dask worker ADDRESS --nthreads 1'."
        ) from None


def _failed(job: PageJob, exc: BaseException, duration: float = 0.0) -> PageResult:
    return PageResult(
        label=job.label or Path(job.html_path).name,
        status="failed",
        html_path=None,
        notebook_path=None,
        duration_s=round(duration, 3),
        error_type=type(exc).__name__,
        error_message=mask_nik(str(exc))[:300],
        parameters=dict(job.parameters),
    )


def run_on_cluster(jobs: list[PageJob], address, options, info: dict | None = None) -> Iterator[tuple[int, PageResult]]:
    """Yield ``(job index, result)`` as pages finish on the cluster at ``address``.

    ``address`` may also be a ``distributed.Client`` or a ``LocalCluster`` (tests). A page
    that fails is not retried (``retries=0``: a page error, or a kernel the page kills,
    would happen again; the worker survives both and reports the page as failed). A
    worker lost in the middle of a page is Dask's business: the scheduler runs the page
    on another worker, up to ``distributed.scheduler.allowed-failures`` times, then the
    page fails here (``KilledWorker``). ``info`` (a dict) gets ``workers``: how many
    workers the cluster had when the pages were submitted.
    """
    from distributed import Client, as_completed
    from distributed.deploy import Cluster

    from jamsos_lib.reports.tasks import longest_first, run_page_task

    own = False
    if isinstance(address, Client):
        client = address
    elif isinstance(address, Cluster):
        client, own = Client(address), True
    else:
        client, own = connect(str(address)), True
    try:
        if info is not None:
            info["workers"] = len(client.nthreads())
        t0 = time.perf_counter()
        # the scheduler runs a map's tasks in submission order: province overviews first, as locally
        order = longest_first(jobs, list(range(len(jobs))))
        futures = client.map(
            run_page_task,
            [jobs[i] for i in order],
            options=options,
            pure=False,
            retries=0,
            key=[f"jamsos-page-{i}-{Path(jobs[i].html_path).stem}-{time.time_ns()}" for i in order],
        )
        index = {f.key: i for f, i in zip(futures, order)}
        for fut in as_completed(futures):
            i = index[fut.key]
            try:
                result = fut.result()
            except Exception as exc:  # noqa: BLE001 - a worker died or the task could not run
                result = _failed(jobs[i], exc, time.perf_counter() - t0)
            fut.release()
            yield i, result
    finally:
        if own:
            client.close()
