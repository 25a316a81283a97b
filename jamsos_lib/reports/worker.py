"""Entry point of a batch worker process; imports nothing heavy at module level.

Worker processes are forked from a fork server that was started once, maybe long before
this batch, with the environment of that moment, and that imported
:data:`jamsos_lib.reports.startup.PRELOAD` (:mod:`jamsos_lib.reports.preload`). :func:`init`
first gives the worker the batch's own environment (``JAMSOS_PROCESSED``,
``JAMSOS_REGISTRY``, ``JAMSOS_ROOT``, ...), exactly as a freshly spawned process would have
it, and only then imports the batch module (whose ``paths`` read that environment at import).
"""

from __future__ import annotations

import os

#: What the fork server imports before it forks any worker.
FORKSERVER_PRELOAD = ["jamsos_lib.reports.preload"]


def init(env: dict[str, str], batch_pid: int) -> None:
    os.environ.clear()
    os.environ.update(env)
    from jamsos_lib.reports.batch import _worker_init

    _worker_init(batch_pid)
