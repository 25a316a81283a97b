"""A warm, reusable Jupyter kernel for running many report pages in one worker process.

Why: starting a kernel, importing pandas/matplotlib/jamsos_lib and shutting the kernel
down costs about 1.8 s per page, more than the page's own work (see
``bench/README.md``). A :class:`PooledKernel` is started once per worker process, imports
once the modules the notebooks import
(:func:`jamsos_lib.reports.params.notebook_imports`; the *warm-up*), and is then reused
page after page. (The data is not read ahead: a page reads the month tables and the
processed data it is given as parameters, and the kernel keeps them for the next page,
:func:`jamsos_lib.reports.params.open_data`.)

Reuse must not change a single byte of a report, so before every page :meth:`reset`:

* ``%reset -f`` empties the user namespace (variables, ``In``/``Out``, ``_``); imported
  modules stay in ``sys.modules``, so a notebook's own ``import pandas`` is instant but
  every name a notebook uses must still be defined by the notebook itself, exactly as in
  a fresh kernel;
* closes every matplotlib figure and restores ``matplotlib.rcParams`` to the snapshot
  taken right after warm-up (a notebook's ``sns.set_theme`` does not leak into the next);
* resets pandas options and the working directory;
* ``gc.freeze()`` after warm-up and after every reset: the imported modules, the processed
  tables and the month tables the pages read are long-lived, so the garbage collector need
  not walk them again; without it the full collection ``%reset`` runs took ~0.15 s per
  page, and the pages' own pandas work paid for repeated walks of the warm heap too.
  Garbage of a page is still collected (by ``%reset``, before the freeze). What was frozen
  and is dropped later (a kept chart of another province's table, an older entry of a
  cache) is garbage the collector no longer looks at: every :data:`FULL_COLLECT_EVERY`
  pages the reset collects the whole heap once (~0.1 s), which bounds it (without it, a
  national month's kernels grew by ~0.5 MB a page, to ~330 MB; bench/README.md, issue 13).

The kernel is restarted after a failed or timed-out page (its state is unknown) and
every ``recycle_every`` pages (bounded memory growth). A kernel that dies while it runs
set-up code (warm-up, reset) is noticed within :data:`ALIVE_POLL_S` seconds (its liveness is
polled while the reply is awaited), not after the reply's timeout; during a page, nbclient
polls it every second (the page fails with ``DeadKernelError``). Connection files go to the
Jupyter runtime folder, a batch's private one (:mod:`jamsos_lib.reports.runtime`). There is exactly ONE kernel client
per kernel, created at start and stopped at shutdown: nbclient is handed that client, so
the ~12 file descriptors and 3 threads per page that nbclient leaks when it creates its
own client for a kernel manager it does not own never appear. Shutdown is immediate
(``now=True``): the kernel holds nothing worth a graceful goodbye.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import shutil
import tempfile
import threading
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from jupyter_core.utils import run_sync
from traitlets import default

from jamsos_lib import paths

log = logging.getLogger(__name__)

#: seconds between two checks that a kernel running set-up code is still alive
ALIVE_POLL_S = 0.5
#: the warm-up (imports) may take this much longer than a start
WARMUP_EXTRA_S = 120
#: every this many resets, the whole heap is collected once, frozen objects included
FULL_COLLECT_EVERY = 50
#: a kernel is replaced by a new one after this many pages: a bound on any growth the full
#: collections do not catch. A national month's kernels stay at ~280 MB over their ~276 pages
#: each (bench/README.md, issue 13), so its run no longer stops both workers for a restart.
RECYCLE_EVERY = 500

_WARMUP = """
def _jamsos_warm_up():
    import gc
    gc.disable()  # imports and tables that live as long as the kernel (see reports.startup)
    try:
        _jamsos_load()
    finally:
        gc.enable()
    gc.collect()
    gc.freeze()
def _jamsos_load():
    import importlib, os, sys, types
    os.chdir({cwd!r})
    from jamsos_lib.reports.startup import leave_out_not_needed
    leave_out_not_needed()
    for name in {modules!r}:
        try:
            importlib.import_module(name)
        except Exception:
            pass
    state = sys.modules.setdefault("_jamsos_pool_state", types.ModuleType("_jamsos_pool_state"))
    try:
        import matplotlib  # so rcParams can be restored even if only a later page imports it
    except ImportError:
        matplotlib = None
    if matplotlib is not None and not hasattr(state, "rc"):
        # the backend is not restored: re-setting it would switch backends between pages
        state.rc = {{k: v for k, v in matplotlib.rcParams.items() if k != "backend"}}
_jamsos_warm_up()
del _jamsos_warm_up, _jamsos_load
"""

_RESET = """
get_ipython().run_line_magic("reset", "-f")
def _jamsos_reset():
    import os, sys, warnings
    os.chdir({cwd!r})
    state = sys.modules.get("_jamsos_pool_state")
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if state is not None and hasattr(state, "rc"):
        import matplotlib
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matplotlib.rcParams.update(state.rc)
    if "pandas" in sys.modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sys.modules["pandas"].reset_option("all")
    import gc
    if state is not None:
        state.resets = getattr(state, "resets", 0) + 1
        if state.resets % {full_every} == 0:  # what was frozen and dropped since (see FULL_COLLECT_EVERY)
            gc.unfreeze()
            gc.collect()
    gc.freeze()
_jamsos_reset()
del _jamsos_reset
"""


class RuntimeKernelManager(AsyncKernelManager):
    """A kernel manager whose connection file is ``kernel-<uuid>.json`` in the Jupyter runtime
    folder (a batch's private one: :func:`jamsos_lib.reports.runtime.private_runtime_dir`),
    not a ``tmpXXXX.json`` in the system temp folder, where jupyter_client puts it by default
    and where a killed run leaves it. nbclient starts the fresh kernels of ``--fresh-kernels``
    (and of ``jamsos scenario``) with it."""

    @default("connection_file")
    def _connection_file_default(self) -> str:
        runtime = Path(jupyter_runtime_dir())
        runtime.mkdir(parents=True, exist_ok=True)
        return str(runtime / f"kernel-{uuid.uuid4()}.json")


class KernelError(RuntimeError):
    """The pooled kernel could not be started, warmed up or reset."""


class PooledKernel:
    """One kernel + one client, warmed up once and reset between pages.

    Use :meth:`acquire` before a page (starts or restarts the kernel when needed and
    resets the namespace) and :meth:`release` after it.
    """

    def __init__(
        self,
        kernel_name: str = paths.KERNEL_NAME,
        *,
        cwd: str | Path | None = None,
        start_timeout: float = 60,
        reset_timeout: float = 60,
        recycle_every: int = RECYCLE_EVERY,
        warm_modules: list[str] | tuple[str, ...] = (),
    ):
        self.kernel_name = kernel_name
        self.cwd = str(Path(cwd or paths.NOTEBOOKS).resolve())
        self.start_timeout = start_timeout
        self.reset_timeout = reset_timeout
        self.recycle_every = max(1, int(recycle_every))
        self.warm_modules = tuple(warm_modules)
        self.km: AsyncKernelManager | None = None
        self.kc = None
        self.pages_since_start = 0
        self.starts = 0
        self._needs_restart = False
        self._thread = None
        atexit.register(self.shutdown)

    # -- life cycle ---------------------------------------------------------------
    @property
    def alive(self) -> bool:
        return self.km is not None and self.km.has_kernel and run_sync(self.km.is_alive)()

    def start(self) -> None:
        self.shutdown()
        self._thread = threading.get_ident()
        runtime = Path(jupyter_runtime_dir())
        runtime.mkdir(parents=True, exist_ok=True)
        self.km = AsyncKernelManager(
            kernel_name=self.kernel_name,
            transport="ipc",
            connection_file=str(Path(tempfile.mkdtemp(prefix="jamsos-kernel-", dir=runtime)) / "kernel.json"),
        )
        try:
            run_sync(self.km.start_kernel)(
                cwd=self.cwd, env=dict(os.environ), extra_arguments=["--HistoryManager.enabled=False"]
            )
            self.kc = self.km.client()
            self.kc.start_channels()
            run_sync(self.kc.wait_for_ready)(timeout=self.start_timeout)
            self.kc.allow_stdin = False
            self._run(
                _WARMUP.format(cwd=self.cwd, modules=list(self.warm_modules)),
                self.start_timeout + WARMUP_EXTRA_S,
            )
        except Exception as exc:
            self.shutdown()
            raise KernelError(f"could not start the '{self.kernel_name}' kernel: {type(exc).__name__}: {exc}") from exc
        self.starts += 1
        self.pages_since_start = 0
        self._needs_restart = False
        log.debug("kernel started (pid %s)", self.pid)

    @property
    def pid(self) -> int | None:
        prov = getattr(self.km, "provisioner", None)
        proc = getattr(prov, "process", None)
        return getattr(proc, "pid", None)

    def shutdown(self) -> None:
        """Stop the client's channels and kill the kernel at once; safe to call twice."""
        kc, km = self.kc, self.km
        self.kc = self.km = None
        if kc is not None:
            try:
                kc.stop_channels()
            except Exception:  # noqa: BLE001 - best effort while tearing down
                pass
        if km is not None:
            try:
                if km.has_kernel:
                    run_sync(km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001
                pass
            try:
                run_sync(km.cleanup_resources)()
            except Exception:  # noqa: BLE001
                pass
            if km.connection_file:
                shutil.rmtree(Path(km.connection_file).parent, ignore_errors=True)

    # -- per page -----------------------------------------------------------------
    def acquire(self) -> None:
        """Make the kernel ready for a new page: (re)start if needed, else reset it."""
        if (
            self._needs_restart
            or self.km is None
            or self._thread != threading.get_ident()
            or self.pages_since_start >= self.recycle_every
            or not self.alive
        ):
            self.start()
            # a freshly warmed kernel still gets the same reset as a reused one
        try:
            self._run(_RESET.format(cwd=self.cwd, full_every=FULL_COLLECT_EVERY), self.reset_timeout)
        except Exception:
            self.start()
            self._run(_RESET.format(cwd=self.cwd, full_every=FULL_COLLECT_EVERY), self.reset_timeout)

    def release(self, ok: bool) -> None:
        """After a page: count it; a failed or timed-out page forces a restart."""
        self.pages_since_start += 1
        if not ok:
            self._needs_restart = True

    def _run(self, code: str, timeout: float) -> None:
        """Run set-up code (warm-up, reset): a reply within ``timeout`` seconds, or
        :class:`KernelError` as soon as the kernel is seen dead (checked every
        :data:`ALIVE_POLL_S` seconds), or a ``TimeoutError``."""
        assert self.kc is not None
        reply = run_sync(self._run_watched)(code, timeout)
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise KernelError(f"kernel set-up code failed: {content.get('ename')}: {content.get('evalue')}")

    async def _run_watched(self, code: str, timeout: float) -> dict:
        kc, km = self.kc, self.km
        task = asyncio.ensure_future(
            kc.execute_interactive(
                code,
                silent=False,
                store_history=False,
                timeout=timeout,
                output_hook=lambda msg: None,
                allow_stdin=False,
            )
        )
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=ALIVE_POLL_S)
                if done:
                    return task.result()
                if not await km.is_alive():
                    status = getattr(getattr(getattr(km, "provisioner", None), "process", None), "returncode", None)
                    raise KernelError(f"the kernel died while running its set-up code (exit status {status})")
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task


_pools: dict[tuple, PooledKernel] = {}
_pools_lock = threading.Lock()


def worker_kernel(
    kernel_name: str = paths.KERNEL_NAME,
    *,
    cwd=None,
    recycle_every: int = RECYCLE_EVERY,
    start_timeout: float = 60,
    warm_modules=(),
) -> PooledKernel:
    """The pooled kernel of this process (one per settings), created on first use.

    Worker processes (the local process pool, or a Dask worker with one thread) call this
    for every page; the kernel survives between pages and dies with the process.
    """
    key = (kernel_name, str(cwd), threading.get_ident())
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = PooledKernel(
                kernel_name,
                cwd=cwd,
                recycle_every=recycle_every,
                start_timeout=start_timeout,
                warm_modules=warm_modules,
            )
            _pools[key] = pool
        return pool


def shutdown_all() -> None:
    with _pools_lock:
        for pool in _pools.values():
            pool.shutdown()
        _pools.clear()
