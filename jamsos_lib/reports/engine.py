"""The papermill engine that runs a page on a warm, pooled kernel (registered as ``jamsos-pooled``).

Its own module so that importing the runner (the batch's main process does, for
:class:`~jamsos_lib.reports.runner.PageJob`) does not import papermill: only the processes
that execute pages do.
"""

from __future__ import annotations

import logging

import nbformat
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.utils import remove_args

POOLED_ENGINE = "jamsos-pooled"


class PooledEngine(Engine):
    """papermill engine that executes on an already running kernel and its ONE client.

    nbclient gets the pooled kernel manager and the pooled client, so it neither starts a
    kernel nor creates (and leaks) a client, and it does not shut the kernel down.
    """

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        pooled_kernel=None,
        partial_path=None,
        **kwargs,
    ):
        if pooled_kernel is None or pooled_kernel.km is None:
            raise RuntimeError("the pooled engine needs a started PooledKernel")
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        client = PapermillNotebookClient(
            nb_man,
            km=pooled_kernel.km,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logging.getLogger("papermill"),
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            **kwargs,
        )
        client.kc = pooled_kernel.kc
        try:
            return client.execute(cleanup_kc=False)
        except PapermillExecutionError:
            raise  # papermill itself writes the notebook with the error cell
        except BaseException:
            # timeout, dead kernel: papermill writes nothing (no per-cell saves), so keep the
            # cells run so far for the _failed/ audit copy
            if partial_path:
                try:
                    nbformat.write(nb_man.nb, str(partial_path))
                except Exception:  # noqa: BLE001 - the page fails anyway
                    pass
            raise


papermill_engines.register(POOLED_ENGINE, PooledEngine)
