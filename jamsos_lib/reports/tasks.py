"""One page in a worker: what every backend (process pool, Dask, plain loop) runs, split
from :mod:`jamsos_lib.reports.batch` so the Dask backend and the batch import it without
importing each other.

* :class:`RunOptions`: how pages run, passed as is to every worker;
* :func:`run_page_task`: one page, on this process's warm kernel unless ``fresh_kernels``;
* :func:`warm_up_task`: start and warm the kernel ahead of the first page;
* :func:`longest_first`: the submission order (province overviews first).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from jamsos_lib import paths
from jamsos_lib.errors import mask_nik
from jamsos_lib.reports.runner import (
    DEFAULT_EXECUTION_TIMEOUT,
    DEFAULT_START_TIMEOUT,
    PageJob,
    PageResult,
    run_page,
)

log = logging.getLogger(__name__)

REGION_NOTEBOOK = "region_report"


@dataclass(frozen=True)
class RunOptions:
    """How pages run; passed as is to every worker process or Dask worker."""

    fresh_kernels: bool = False
    execution_timeout: float = DEFAULT_EXECUTION_TIMEOUT
    start_timeout: float = DEFAULT_START_TIMEOUT
    kernel_name: str = paths.KERNEL_NAME
    #: pages a kernel runs before it is replaced; None: :data:`jamsos_lib.reports.kernels.RECYCLE_EVERY`
    recycle_every: int | None = None
    cwd: str | None = None
    #: modules the warm-up imports; None: those the page's notebook imports
    warm_modules: tuple[str, ...] | None = None


def run_page_task(job: PageJob, options: RunOptions) -> PageResult:
    """The pure per-page function every backend runs (process pool, Dask, plain loop).

    Uses this process's warm kernel unless ``options.fresh_kernels``. Never raises: a
    kernel that cannot start makes this page fail, and the next page tries a new kernel.
    """
    started = time.perf_counter()
    try:
        kernel = None if options.fresh_kernels else _worker_kernel(options, job.notebook_path)
        return run_page(
            job,
            kernel=kernel,
            execution_timeout=options.execution_timeout,
            start_timeout=options.start_timeout,
            kernel_name=options.kernel_name,
        )
    except Exception as exc:  # noqa: BLE001 - isolate to this page
        return PageResult(
            label=job.label or Path(job.html_path).name,
            status="failed",
            html_path=None,
            notebook_path=None,
            duration_s=round(time.perf_counter() - started, 3),
            error_type=type(exc).__name__,
            error_message=mask_nik(str(exc))[:300],
            parameters=dict(job.parameters),
        )


def _worker_kernel(options: RunOptions, notebook_path: Path):
    """This process's pooled kernel for ``options`` (created, not yet started, on first use)."""
    from jamsos_lib.reports.kernels import RECYCLE_EVERY, worker_kernel
    from jamsos_lib.reports.params import notebook_imports

    warm = options.warm_modules
    if warm is None:
        warm = tuple(notebook_imports(notebook_path))
    return worker_kernel(
        options.kernel_name,
        cwd=options.cwd or str(notebook_path.parent),
        recycle_every=RECYCLE_EVERY if options.recycle_every is None else options.recycle_every,
        start_timeout=options.start_timeout,
        warm_modules=warm,
    )


def warm_up_task(options: RunOptions, notebook_path: Path) -> None:
    """Start and warm this worker's kernel ahead of its first page (see :func:`start_pool`).

    Never raises: a kernel that fails to start here is started again by the first page,
    which then reports the error as its own.
    """
    try:
        kernel = _worker_kernel(options, notebook_path)
        if kernel.km is None:
            kernel.start()
    except Exception as exc:  # noqa: BLE001 - the first page retries and reports
        log.debug("kernel warm-up failed: %s", mask_nik(str(exc))[:300])


def longest_first(jobs: list[PageJob], indices: list[int]) -> list[int]:
    """Submission order: pages of other notebooks (province overviews, the slowest pages)
    before the region pages, so no worker is left alone with a long page at the end.
    Results keep the job order."""
    return sorted(indices, key=lambda i: jobs[i].notebook_name == REGION_NOTEBOOK)
