"""``jamsos monthly``: every report page of a month, the province overview and the index.

Incremental: a page whose inputs (its data, the notebook, its parameters, the code and
templates, the reference data) are unchanged since the last run of the month, and whose
HTML file is still as that run wrote it, is not rendered again; nothing changed: 0 pages
rendered, exit 0. ``--force`` renders every page. ``manifest.json`` says per page why it was
or was not rendered (``reason``).

Exit status (for cron and other schedulers): 0 every page ok; 3 some pages failed (the
others are complete, the index marks the failed ones, ``manifest.json`` has the errors);
2 bad input, unknown period, no processed data, or another run holds the period's lock;
1 internal error.
"""

from __future__ import annotations

import os
import sys

from jamsos_lib.commands import _common
from jamsos_lib.errors import JamsosError


def register(sub) -> None:
    p = sub.add_parser(
        "monthly",
        help="render all report pages of a month, the province overview and the index",
        description=__doc__.split("\n\n", 1)[1],
    )
    p.add_argument("--period", help="month YYYY-MM (default: the latest in the processed data)")
    p.add_argument("--out", type=_common.folder_arg, help="reports folder (default: reports/); pages go to OUT/PERIOD/")
    p.add_argument(
        "--workers",
        type=_common.whole_number_arg(1, 10**6, "a number of workers"),
        default=None,
        help=f"local worker processes (default: number of cores, {os.cpu_count()}; more than the "
        "cores or the pages is capped, with a warning)",
    )
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="run the pages on a Dask distributed cluster, e.g. tcp://host:8786"
    )
    p.add_argument("--lang", choices=("id", "en"), default="id", help="report language (default: id)")
    p.add_argument("--data", help="processed data folder (default: data/processed)")
    p.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a new kernel for every page instead of reusing a warm kernel per worker",
    )
    p.add_argument("--timeout", type=float, default=600, help="seconds a notebook cell may run (default: 600)")
    p.add_argument(
        "--force", action="store_true", help="render every page, also those unchanged since the last run of the month"
    )
    p.set_defaults(func=run)


def run(args) -> int:
    key = None
    if not args.force:
        done, key = _nothing_changed(args)
        if done:
            return 0
    from jamsos_lib.reports.batch import run_month

    result = run_month(
        args.period,
        data_dir=args.data,
        out_dir=args.out,
        lang=args.lang,
        workers=args.workers,
        scheduler=args.scheduler,
        fresh_kernels=args.fresh_kernels,
        execution_timeout=args.timeout,
        force=args.force,
        run_key=key,
    )
    print(f"jamsos monthly {result.period}: {result.summary()}")
    print(f"manifest: {result.manifest_path}")
    if result.index_path:  # the last line: where to open the reports
        print(f"index: {result.index_path}")
    sys.stdout.flush()
    return result.exit_status


def _nothing_changed(args) -> tuple[bool, str | None]:
    """The no-change path (:mod:`jamsos_lib.reports.runkey`): when the run key is that of the
    month's last complete, successful run and every page is still as it wrote it, say so and
    stop, before importing pandas and the rest of the batch. Returns whether it stopped, and
    the run key (None when it could not be made), which the run then records."""
    import time
    from pathlib import Path

    from jamsos_lib import paths
    from jamsos_lib.reports import batch, runkey

    t0, started = time.perf_counter(), runkey.now()
    data = (Path(args.data) if args.data else paths.PROCESSED).resolve()
    out = Path(args.out or paths.REPORTS)
    try:
        key = batch.month_run_key(data, out, args.lang, batch.planned_notebooks(None, None))
    except (OSError, JamsosError):  # no processed data, a notebook missing: the batch says what is wrong
        return False, None
    found = runkey.unchanged_run(key, out, args.period)
    if found is None:
        return False, key
    folder, manifest = found
    written = runkey.record_unchanged(folder, manifest, started, t0)
    if written is None:
        return False, key
    print(f"jamsos monthly {written['period']}: {runkey.nothing_changed(written['unchanged'])}")
    print(f"manifest: {folder / runkey.MANIFEST}")
    print(f"index: {folder / runkey.INDEX}")
    sys.stdout.flush()
    return True, key
