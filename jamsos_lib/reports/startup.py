"""Start-up of the batch's processes: heavy imports with the garbage collector paused.

A process that imports pandas, papermill, nbconvert, matplotlib and jamsos_lib creates
hundreds of thousands of long-lived objects; with the cyclic garbage collector running,
it walks the growing heap again and again while they are created (~20 % of an import's
time, measured on the warm-up of a kernel: 1,70 s -> 1,38 s of CPU). :func:`paused_gc`
pauses it for such a block, then collects once and *freezes* what is left: modules and
tables that live as long as the process are never walked again (``gc.freeze``), which
the per-page collections of a long batch also profit from.

The batch's processes use it where they import or read what they keep: the fork server
imports :data:`PRELOAD` (``jamsos_lib.reports.preload``), the command reads the processed
data, and the kernels' warm-up does the same in its own code (:mod:`jamsos_lib.reports.kernels`).
"""

from __future__ import annotations

import gc
import importlib
from contextlib import contextmanager

#: Third-party modules every worker needs, imported once by the fork server rather than by
#: each worker (~0.9 s per worker): the page runner's and the HTML exporter's (pandas and babel
#: for its number formats). Nothing of jamsos_lib, whose module-level settings (``paths``)
#: come from the environment of the batch, which a worker only gets after the fork.
PRELOAD = ["papermill", "nbclient", "nbformat", "nbconvert", "jupyter_client", "pandas", "babel.numbers", "babel.dates"]


@contextmanager
def paused_gc():
    """Run the block with the cyclic garbage collector paused; then collect once and freeze.

    Nested use is fine (the collector stays paused until the outermost block ends).
    Exceptions pass through, and the collector is running again afterwards either way.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect()
            gc.freeze()


def preload(modules: list[str] | None = None) -> None:
    """Import ``modules`` (default :data:`PRELOAD`) with the collector paused; a missing one is skipped."""
    with paused_gc():
        for name in PRELOAD if modules is None else modules:
            try:
                importlib.import_module(name)
            except ImportError:
                pass
