"""Start-up helpers of the batch's processes: the collector paused around heavy imports."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref

import pytest

from jamsos_lib.reports.startup import PRELOAD, paused_gc, preload


def _python(code: str) -> str:
    """What ``code`` prints, run in a new Python process (a fork server's or a kernel's start)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_paused_gc_pauses_then_collects_and_runs_again():
    class Node:
        pass

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: still paused inside, not resumed by the inner block
            assert not gc.isenabled()
        assert not gc.isenabled()
        node = Node()
        node.self = node  # garbage only the cyclic collector can free
        alive = weakref.ref(node)
        del node
        for _ in range(20_000):  # plenty of allocations: a running collector would have freed it
            [[]]
        assert alive() is not None
    assert gc.isenabled()
    assert alive() is None  # collected once, at the end of the block


def test_paused_gc_runs_again_after_an_exception():
    with pytest.raises(RuntimeError):
        with paused_gc():
            raise RuntimeError("boom")
    assert gc.isenabled()


def test_paused_gc_leaves_a_disabled_collector_disabled():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_fork_server_preload_imports_the_worker_modules_and_leaves_the_collector_on():
    code = (
        "import gc, sys; import jamsos_lib.reports.preload; "
        f"missing = [m for m in {PRELOAD!r} if m not in sys.modules]; "
        "print(missing, gc.isenabled(), gc.get_freeze_count() > 0, 'jamsos_lib.paths' in sys.modules)"
    )
    out = _python(code)
    # jamsos_lib.paths reads the environment at import: only a worker, after it got the batch's, imports it
    assert out.strip() == "[] True True False"


def test_preload_skips_a_missing_module():
    preload(["jamsos_no_such_module_xyz"])
    assert gc.isenabled()


def test_fork_server_leaves_out_what_it_never_uses_and_still_validates_notebooks():
    # jsonschema (via nbformat) imports rfc3987_syntax when installed: ~0,65 s of grammar
    # compiling before any worker can start. The fork server marks it absent; notebooks
    # validate as before (nbformat's schemas use no "format"), a broken one still fails.
    code = (
        "import sys, json; import jamsos_lib.reports.preload; import nbformat; "
        "from nbformat.validator import ValidationError; "
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1 + 1')]); nbformat.validate(nb); "
        "nb.cells[0]['cell_type'] = 'no such type'\n"
        "try:\n    nbformat.validate(nb); broken = 'accepted'\n"
        "except ValidationError:\n    broken = 'rejected'\n"
        "print(sys.modules.get('rfc3987_syntax', 'not imported'), sys.modules.get('hypothesis', 'not imported'), "
        "'jsonschema' in sys.modules, broken)"
    )
    out = _python(code)
    assert out.strip() == "None None True rejected"


def test_batch_processes_use_the_system_allocator_for_arrow(monkeypatch):
    import os

    from jamsos_lib.reports.startup import ARROW_ALLOCATOR, batch_allocator

    name, value = ARROW_ALLOCATOR
    monkeypatch.delenv(name, raising=False)
    with batch_allocator():
        assert os.environ[name] == value
        # what a kernel started now gets: pyarrow reads it when it starts
        code = "import pyarrow; print(pyarrow.default_memory_pool().backend_name)"
        out = _python(code)
        assert out.strip() == "system"
    assert name not in os.environ
    monkeypatch.setenv(name, "jemalloc")  # the user's own choice is kept
    with batch_allocator():
        assert os.environ[name] == "jemalloc"
    assert os.environ[name] == "jemalloc"


def test_workers_run_and_export_a_page_without_pandas_or_pyarrow(tmp_path):
    # the fork server and its workers hold no table: pandas and pyarrow (which papermill
    # imports for hdfs:// paths, and pandas for its string dtype) made up ~80 MB of each
    # of these processes; the kernels, which read the month tables, keep both
    code = (
        "import sys; import jamsos_lib.reports.preload, papermill.iorw, nbformat\n"
        "from jamsos_lib.reports.runner import PageJob, check_job_parameters, export_page\n"
        "job = PageJob('region_report', {'region_code': '3578', 'period': '2025-06', 'lang': 'id'}, "
        f"{str(tmp_path / 'p.html')!r})\n"
        "check_job_parameters(job)\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x', outputs=["
        "nbformat.v4.new_output('display_data', data={'text/html': '<p>Cakupan 27,7%</p>'})])])\n"
        "html = export_page(nb, 'id')\n"
        "print(sys.modules.get('pyarrow', 'not imported'), 'pandas' in sys.modules, 'babel' in sys.modules, "
        "'Cakupan 27,7%' in html)"
    )
    out = _python(code)
    assert out.strip() == "None False False True"
