"""The warm kernel pool: reused kernels must give byte-identical pages, and must not leak.

The fixture page changes global state on purpose (matplotlib rcParams, a pandas option,
a leftover variable) and prints what it sees of the namespace and options at the start,
so any state carried from one page to the next shows up as a difference in the HTML.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import nbformat
import pytest

from jamsos_lib.reports.kernels import PooledKernel
from jamsos_lib.reports.params import notebook_imports
from jamsos_lib.reports.runner import PageJob, run_page

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
WARM = notebook_imports(FIXTURES / "page.ipynb", FIXTURES / "failing.ipynb")
GENERATED = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}( [A-Z+\-0-9]+)?")

pytestmark = pytest.mark.slow


def page(folder: Path, code: str, notebook: str = "page") -> PageJob:
    return PageJob(str(FIXTURES / f"{notebook}.ipynb"), {"region_code": code}, str(folder / f"{code}.html"))


def masked(path: str) -> str:
    return GENERATED.sub("<generated>", Path(path).read_text(encoding="utf-8"))


def outputs(path: str) -> list:
    """Cell outputs without the kernel's execution counter (a reused kernel keeps counting;
    the HTML shows no prompts)."""
    nb = nbformat.read(path, as_version=4)
    return [
        [{k: v for k, v in o.items() if k != "execution_count"} for o in c.get("outputs", [])]
        for c in nb.cells
        if c.cell_type == "code"
    ]


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_pooled_pages_are_identical_to_fresh_kernel_pages(tmp_path):
    codes = ["3513", "3501", "3578", "3513"]  # 3513 again: after pages that changed rcParams/options
    fresh = {}
    for i, code in enumerate(codes):
        r = run_page(page(tmp_path / f"fresh{i}", code))
        assert r.ok, r
        fresh[i] = r
    k = PooledKernel(cwd=FIXTURES, warm_modules=WARM)
    pooled = {}
    try:
        for i, code in enumerate(codes):
            r = run_page(page(tmp_path / f"pool{i}", code), kernel=k)
            assert r.ok, r
            assert masked(r.html_path) == masked(fresh[i].html_path), code
            assert outputs(r.notebook_path) == outputs(fresh[i].notebook_path), code
            pooled[i] = r
        assert k.starts == 1  # really reused
    finally:
        k.shutdown()
    # on the reused kernel, every page's namespace print shows no name from an earlier page
    # (the fixture's third page leaves ``leftover``, ``values``, ``fig``... behind)
    for i, r in pooled.items():
        nb = nbformat.read(r.notebook_path, as_version=4)
        (cell,) = [c for c in nb.cells if c.source.startswith("# names left")]
        assert [o.get("text") for o in cell.outputs] == ["[]\n"], codes[i]


def test_warm_up_imports_what_the_notebooks_import():
    assert WARM[:4] == ["matplotlib", "matplotlib.pyplot", "pandas", "IPython.display"]


def test_kernel_is_restarted_after_a_failure_and_the_next_page_is_still_identical(tmp_path):
    fresh = run_page(page(tmp_path / "fresh", "3501"))
    k = PooledKernel(cwd=FIXTURES, warm_modules=WARM)
    try:
        assert run_page(page(tmp_path / "a", "3513"), kernel=k).ok
        bad = run_page(page(tmp_path / "b", "3599", "failing"), kernel=k)
        assert bad.status == "failed"
        good = run_page(page(tmp_path / "c", "3501"), kernel=k)
        assert good.ok and k.starts == 2
        assert masked(good.html_path) == masked(fresh.html_path)
    finally:
        k.shutdown()


def test_file_descriptors_and_threads_stay_flat_and_recycling_happens(tmp_path):
    k = PooledKernel(cwd=FIXTURES, recycle_every=4, warm_modules=WARM)
    try:
        for i in range(2):
            assert run_page(page(tmp_path / "warm", f"35{i:02d}"), kernel=k).ok
        fds, threads = fd_count(), threading.active_count()
        for i in range(2, 8):
            assert run_page(page(tmp_path / "more", f"35{i:02d}"), kernel=k).ok
            # nbclient with a client per page leaked ~12 fds and 3 threads per page
            assert fd_count() <= fds, f"fd count grew after page {i}"
            assert threading.active_count() <= threads
        assert k.starts == 2  # 8 pages, a new kernel every 4
    finally:
        k.shutdown()
    assert k.km is None and k.kc is None


DIE_ONCE = """import os, signal
try:
    fd = os.open(os.environ["JAMSOS_TEST_DIE_ONCE"], os.O_CREAT | os.O_EXCL | os.O_WRONLY)
except FileExistsError:
    pass
else:
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_kernel_killed_during_its_warm_up_is_seen_dead_and_the_next_start_works(tmp_path, monkeypatch):
    # the warm-up imports a module that kills its kernel the first time (as the OOM killer
    # would while the tables load); the start must fail at once, not wait for a reply
    from jamsos_lib.reports.kernels import KernelError

    (tmp_path / "jamsos_die_once.py").write_text(DIE_ONCE)
    marker = tmp_path / "died"
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("JAMSOS_TEST_DIE_ONCE", str(marker))
    k = PooledKernel(cwd=FIXTURES, warm_modules=[*WARM, "jamsos_die_once"])
    outcome: list = []

    def start():
        try:
            k.start()
            outcome.append("started")
        except KernelError as exc:
            outcome.append(exc)

    try:
        t = threading.Thread(target=start, daemon=True)
        t.start()
        t.join(timeout=100)  # a safety bound only; without the liveness check this waited 180 s
        assert not t.is_alive(), "the start still waits for a reply from the dead kernel"
        assert marker.exists() and len(outcome) == 1 and isinstance(outcome[0], KernelError)
        assert "died while running its set-up code" in str(outcome[0]) and k.km is None
        # the page after it gets a new kernel, which warms up normally (the module lets it live)
        result = run_page(page(tmp_path / "out", "3501"), kernel=k)
        assert result.ok and k.starts == 1
    finally:
        k.shutdown()


def test_a_kernel_killed_during_a_page_fails_that_page_and_the_batch_goes_on(tmp_path):
    from jamsos_lib.reports.batch import RunOptions, run_batch

    dying = tmp_path / "dying.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_code_cell('region_code = "3513"', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
            ],
            metadata={"kernelspec": {"name": "jamsos", "display_name": "jamsos", "language": "python"}},
        ),
        str(dying),
    )
    jobs = [
        PageJob(str(dying), {"region_code": "3598"}, str(tmp_path / "3598.html"), label="3598.html"),
        page(tmp_path, "3501"),
        page(tmp_path, "3502"),
    ]
    result = run_batch(jobs, 1, options=RunOptions(cwd=str(FIXTURES), warm_modules=tuple(WARM)))
    assert [r.status for r in result.results] == ["failed", "ok", "ok"]
    assert result.results[0].error_type == "DeadKernelError"
    assert not (tmp_path / "3598.html").exists() and (tmp_path / "3502.html").exists()


def test_kernel_connection_files_live_in_a_private_runtime_folder_removed_at_the_end(tmp_path, monkeypatch):
    import json
    import subprocess
    import sys
    import tempfile

    from jamsos_lib.reports.runtime import private_runtime_dir

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    base = Path(tempfile.gettempdir())
    # what a `jamsos monthly --fresh-kernels` killed with kill -9 left: its folder, with a key
    stale = base / f".jamsos-runtime.{ended.pid}-k1ll3d.tmp"
    stale.mkdir()
    (stale / "kernel-0b7e.json").write_text('{"key": "secret"}')
    running = base / f".jamsos-runtime.{os.getppid()}-alive.tmp"  # another batch, still running
    running.mkdir()
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", "/somewhere/else")
    lister = tmp_path / "lister.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_code_cell('region_code = "3513"', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(
                    "import json, os\nprint(json.dumps(sorted(os.listdir(os.environ['JUPYTER_RUNTIME_DIR']))))"
                ),
            ],
            metadata={"kernelspec": {"name": "jamsos", "display_name": "jamsos", "language": "python"}},
        ),
        str(lister),
    )
    try:
        with private_runtime_dir() as folder:
            assert not stale.exists() and running.exists()
            assert os.environ["JUPYTER_RUNTIME_DIR"] == str(folder)
            assert (
                folder.name.startswith(f".jamsos-runtime.{os.getpid()}-") and (folder.stat().st_mode & 0o777) == 0o700
            )
            fresh = run_page(PageJob(str(lister), {"region_code": "3501"}, str(tmp_path / "a.html")))
            k = PooledKernel(cwd=FIXTURES)
            try:
                pooled = run_page(PageJob(str(lister), {"region_code": "3502"}, str(tmp_path / "b.html")), kernel=k)
            finally:
                k.shutdown()
            assert fresh.ok and pooled.ok
            seen = [
                json.loads(nbformat.read(r.notebook_path, as_version=4).cells[-1].outputs[0]["text"])
                for r in (fresh, pooled)
            ]
            # the fresh kernel's connection file, and the pooled kernel's folder, are in the private folder
            assert len(seen[0]) == 1 and seen[0][0].startswith("kernel-") and seen[0][0].endswith(".json")
            assert len(seen[1]) == 1 and seen[1][0].startswith("jamsos-kernel-")
            assert list(folder.iterdir()) == []  # both kernels gone, their files with them
        assert not folder.exists() and os.environ["JUPYTER_RUNTIME_DIR"] == "/somewhere/else"
    finally:
        import shutil

        shutil.rmtree(running, ignore_errors=True)
        shutil.rmtree(stale, ignore_errors=True)


def test_pooled_kernels_leave_out_the_modules_they_never_use():
    from jupyter_core.utils import run_sync

    from jamsos_lib.reports.startup import NOT_NEEDED

    k = PooledKernel(cwd=FIXTURES, warm_modules=WARM)
    seen: list[str] = []
    try:
        k.start()
        code = f"import sys; print([sys.modules.get(n, 'not imported') for n in {list(NOT_NEEDED)!r}])"

        def hook(msg):
            if msg["msg_type"] == "stream":
                seen.append(msg["content"]["text"])

        run_sync(k.kc.execute_interactive)(code, output_hook=hook, timeout=30)
    finally:
        k.shutdown()
    assert seen == [str([None] * len(NOT_NEEDED)) + "\n"]  # marked absent: an import raises ImportError


def test_garbage_frozen_by_a_reset_is_collected_every_few_pages(monkeypatch):
    # each reset freezes what is alive, so the next collections skip it; something frozen
    # and dropped later (a kept chart of another province) is garbage the collector no longer
    # sees: every FULL_COLLECT_EVERY resets the whole heap is collected once
    from jupyter_core.utils import run_sync

    from jamsos_lib.reports import kernels

    monkeypatch.setattr(kernels, "FULL_COLLECT_EVERY", 3)
    k = PooledKernel(cwd=FIXTURES, warm_modules=WARM)
    seen: list[str] = []

    def run(code: str) -> None:
        def hook(msg):
            if msg["msg_type"] == "stream":
                seen.append(msg["content"]["text"].strip())

        run_sync(k.kc.execute_interactive)(code, output_hook=hook, timeout=30)

    alive = "import sys; print(sys._jamsos_test_ref() is not None)"
    try:
        k.acquire()  # reset 1
        # an object in a reference cycle, kept by a module (as a kept chart is)
        run("import sys, weakref\nclass Cycle: pass\nc = Cycle(); c.me = c\nsys._jamsos_test_ref = weakref.ref(c)")
        run("import sys; sys._jamsos_test_keep = c")
        k.acquire()  # reset 2: %reset drops the name, the module keeps it; frozen
        run("import sys; del sys._jamsos_test_keep")  # dropped: garbage, but frozen
        run("import gc; gc.collect()\n" + alive)  # an ordinary collection does not see it
        k.acquire()  # reset 3: the whole heap is collected
        run(alive)
    finally:
        k.shutdown()
    assert seen == ["True", "False"]
