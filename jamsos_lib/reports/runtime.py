"""The private Jupyter runtime folder of a batch (kernel connection files, which hold the
kernels' HMAC keys). A light module: the batch's main process uses it before it imports
anything of Jupyter."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

#: the name the batches' private Jupyter runtime folders are made beside, in the system temp folder
RUNTIME_NAME = "jamsos-runtime"


@contextlib.contextmanager
def environment_variable(name: str, value: str, *, keep_users: bool = False):
    """Within the block, ``os.environ[name]`` is ``value`` (processes started in the block
    inherit it); afterwards it is as before, set or not. ``keep_users``: a value already set
    (the user's own choice) is kept and left alone."""
    before = os.environ.get(name)
    if before is not None and keep_users:
        yield
        return
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


@contextlib.contextmanager
def private_runtime_dir():
    """Give this process, and the worker processes and kernels it starts, their own Jupyter
    runtime folder (``JUPYTER_RUNTIME_DIR``) for the kernels' connection files, which hold
    each kernel's HMAC key: ``<tmp>/.jamsos-runtime.<pid>-XXXX.tmp``, private (0700), removed
    when the block ends (error included). A batch killed with ``kill -9`` cannot remove its
    folder: the next batch removes every such folder whose process is gone
    (:func:`jamsos_lib.atomic.remove_stale_siblings`) before it makes its own.
    """
    from jamsos_lib import atomic

    final = Path(tempfile.gettempdir()) / RUNTIME_NAME
    removed = atomic.remove_stale_siblings(final)
    if removed:
        log.info("removed %d kernel runtime folder(s) left by a killed run", len(removed))
    folder = atomic.owned_temp_dir(final)
    try:
        with environment_variable("JUPYTER_RUNTIME_DIR", str(folder)):
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
