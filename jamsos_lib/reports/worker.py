"""Entry point of a batch worker process; imports nothing heavy at module level.

Worker processes are forked from a fork server that was started once, maybe long before
this batch, with the environment of that moment, and that imported
:data:`jamsos_lib.reports.startup.PRELOAD` (:mod:`jamsos_lib.reports.preload`). :func:`init`
first gives the worker the batch's own environment (the private Jupyter runtime folder,
``JAMSOS_REGISTRY``, ``JAMSOS_ROOT``, ...), exactly as a freshly spawned process would have
it; the pages' modules (whose ``paths`` read that environment at import) come after. No
data travels this way: each page gets its data folder and month tables as parameters.
The worker's own set-up (a watch on the batch process) lives here, so this module imports
nothing of the batch.
"""

from __future__ import annotations

import os
import threading
import time

#: What the fork server imports before it forks any worker.
FORKSERVER_PRELOAD = ["jamsos_lib.reports.preload"]


def init(env: dict[str, str], batch_pid: int) -> None:
    os.environ.clear()
    os.environ.update(env)
    _worker_init(batch_pid)


def _worker_init(batch_pid: int) -> None:
    # a worker process must not outlive the batch (kill -9 of the batch included): its
    # parent may be the fork server (which lives as long as its workers), so it watches
    # the batch's own process, and stops its kernel before it goes
    threading.Thread(target=_watch_batch, args=(batch_pid,), name="jamsos-watch", daemon=True).start()
    from multiprocessing.util import Finalize

    from jamsos_lib.reports import kernels

    Finalize(None, kernels.shutdown_all, exitpriority=100)


def _watch_batch(batch_pid: int, every_s: float = 0.5) -> None:
    """Stop this worker, and its kernel, as soon as the batch process is gone."""
    while True:
        time.sleep(every_s)
        try:
            os.kill(batch_pid, 0)
        except ProcessLookupError:
            break
        except PermissionError:  # alive, another user's (cannot happen for our own parent)
            continue
    try:
        from jamsos_lib.reports import kernels

        kernels.shutdown_all()
    finally:
        os._exit(1)
