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
import sys
from contextlib import contextmanager

#: Third-party modules every worker needs, imported once by the fork server rather than by
#: each worker (~0.4 s per worker): the page runner's and the HTML exporter's. Not pandas (nor
#: babel): a worker runs papermill and exports HTML, and never holds a table or formats a
#: number (~40 MB less in the fork server and in each worker it forks). Nothing of jamsos_lib,
#: whose module-level settings (``paths``) come from the environment of the batch, which a
#: worker only gets after the fork.
PRELOAD = ["papermill", "nbclient", "nbformat", "nbconvert", "jupyter_client"]

#: Optional modules a third-party import picks up when installed, which the batch's workers
#: and pooled kernels never use and which cost much to import; marked absent in the fork
#: server (:func:`preload`) and in the pooled kernels' warm-up only (JupyterLab, an analyst's
#: own kernel and the test suite keep them):
#:
#: * ``rfc3987_syntax``: jsonschema (imported by nbformat) adds an "iri" format checker when it
#:   is installed (JupyterLab's jupyter_events installs it), and importing it compiles 38
#:   grammars (~0,65 s of the fork server's ~1,2 s, before any worker or kernel can start;
#:   python-jsonschema/jsonschema#1428). nbformat's schemas use no "format": notebooks are
#:   validated exactly as before.
#: * ``hypothesis``: pandera imports it, when installed (the test extra), at its first
#:   validation, for its data-synthesis strategies (~0,13 s a kernel); validation does not use it.
NOT_NEEDED = ("rfc3987_syntax", "hypothesis")

#: What the workers (the fork server and the processes it forks) leave out besides
#: :data:`NOT_NEEDED`; the kernels, which read the month tables, keep it:
#:
#: * ``pyarrow``: papermill imports ``pyarrow.fs`` when installed, for its ``hdfs://``
#:   handler (``papermill.iorw``); the batch reads and writes local files only. With pandas
#:   (which imports it too) it made up ~80 MB of each worker (bench/README.md, issue 13).
NOT_NEEDED_BY_WORKERS = NOT_NEEDED + ("pyarrow",)


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


def release_memory() -> None:
    """Free what the process no longer references and give the freed heap back to the system.

    For the batch's command once the month tables are written: it read the data set and
    computed the tables inside :func:`paused_gc` (so they were frozen), and only waits for the
    pages afterwards. Frozen objects are collected again (``gc.unfreeze``, then ``collect``
    and ``freeze``: what is left stays out of later collections), and glibc's
    ``malloc_trim`` returns the free memory at the top of each heap; elsewhere (musl, macOS)
    that step is skipped.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def leave_out_not_needed(names: tuple[str, ...] = NOT_NEEDED) -> None:
    """Mark ``names`` absent in this process (an import of one raises ImportError, which the
    modules that look for them catch). Only for the batch's own processes: the fork server
    (:mod:`jamsos_lib.reports.preload`, :data:`NOT_NEEDED_BY_WORKERS`) and the pooled
    kernels' warm-up (:data:`NOT_NEEDED`)."""
    for name in names:
        sys.modules.setdefault(name, None)


def preload(modules: list[str] | None = None) -> None:
    """Import ``modules`` (default :data:`PRELOAD`) with the collector paused; a missing one is skipped."""
    with paused_gc():
        for name in PRELOAD if modules is None else modules:
            try:
                importlib.import_module(name)
            except ImportError:
                pass


#: Apache Arrow's allocator in the batch's processes and kernels (read when pyarrow starts):
#: the system one. Arrow's default (mimalloc) keeps what it freed after reading Parquet for
#: its own reuse, ~40 MB a kernel for the country's month tables that the kernel never uses
#: again (measured: bench/README.md, issue 13). A value the user set is kept.
ARROW_ALLOCATOR = ("ARROW_DEFAULT_MEMORY_POOL", "system")


@contextmanager
def batch_allocator():
    """Within the block, processes started from this one (workers, kernels), and this one if
    it has not imported pyarrow yet, use :data:`ARROW_ALLOCATOR`; the environment is as
    before afterwards."""
    from jamsos_lib.reports.runtime import environment_variable

    name, value = ARROW_ALLOCATOR
    with environment_variable(name, value, keep_users=True):
        yield
