"""Entry point of a batch worker process; imports nothing from jamsos_lib at module level.

Worker processes are forked from a fork server that was started once, maybe long before
this batch, with the environment of that moment. :func:`init` first gives the worker the
batch's own environment (``JAMSOS_PROCESSED``, ``JAMSOS_REGISTRY``, ``JAMSOS_ROOT``, ...),
exactly as a freshly spawned process would have it, and only then imports the batch
module (whose ``paths`` read that environment at import).
"""

from __future__ import annotations

import os

#: Third-party modules every worker needs, imported once by the fork server rather than by
#: each worker (~0.9 s per worker): the page runner's and the HTML exporter's (pandas and babel for
#: its number formats). Nothing of
#: jamsos_lib, whose module-level settings come from the environment.
PRELOAD = ["papermill", "nbclient", "nbformat", "nbconvert", "jupyter_client", "pandas", "babel.numbers", "babel.dates"]


def init(env: dict[str, str], batch_pid: int) -> None:
    os.environ.clear()
    os.environ.update(env)
    from jamsos_lib.reports.batch import _worker_init

    _worker_init(batch_pid)
