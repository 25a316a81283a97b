"""Run ONE report page: execute a notebook with papermill, export it to HTML, write both atomically.

:func:`run_page` is a pure per-page function (a :class:`PageJob` in, a :class:`PageResult`
out, never an exception for a page that fails), so the local process pool, a Dask
``client.map`` or a plain loop can all call it unchanged.

Layout beside the HTML page ``<dir>/<stem>.html``:

* ``<dir>/_executed/<stem>.ipynb`` — the executed notebook of a successful page (audit);
* ``<dir>/_failed/<stem>.ipynb`` — the executed notebook of a failed page, with the error.

papermill writes its output notebook (not atomically) into a hidden temp file in
``_executed/`` that is renamed to its final name at the end. On a warm kernel it writes
it once, at the end (or with the error cell when a cell fails), not after every cell:
serialising and validating a notebook full of PNGs ~40 times a page cost more than the
page's own charts. A page that times out or loses its kernel still leaves the cells run
so far in ``_failed/`` (the pooled engine writes them when execution stops).
The HTML is written with :mod:`jamsos_lib.atomic`. A failed page produces no HTML, and a
page that failed now but succeeded last month loses its old HTML (the index then shows
it as failed rather than linking a stale page).

Parameters are JSON types only (papermill quotes other objects unsafely), names must be
identifiers the notebook declares (papermill only warns), codes are strings. Kernels:
``kernel=None`` starts a fresh kernel for the page (shut down immediately afterwards);
a :class:`jamsos_lib.reports.kernels.PooledKernel` reuses a warm kernel.
"""

from __future__ import annotations

import keyword
import logging
import math
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from jamsos_lib import atomic, paths
from jamsos_lib.errors import InputError, Problem, mask_nik

log = logging.getLogger(__name__)
# papermill logs two INFO lines per page (input/output notebook): noise in a cron log
logging.getLogger("papermill").setLevel(logging.WARNING)

EXECUTED_DIR = "_executed"
FAILED_DIR = "_failed"
DEFAULT_EXECUTION_TIMEOUT = 600
DEFAULT_START_TIMEOUT = 60
#: Pages live beside the period's ``index.html``.
INDEX_HREF = "index.html"


@dataclass(frozen=True)
class PageJob:
    """One page to render.

    ``notebook`` is a notebook name from :data:`jamsos_lib.reports.params.NOTEBOOKS`
    (resolved in ``notebooks/``) or a path to an ``.ipynb`` file. ``parameters`` holds JSON
    types only. ``label`` is what logs and the manifest call the page.
    """

    notebook: str
    parameters: dict
    html_path: str
    lang: str = "id"
    label: str = ""

    @property
    def stem(self) -> str:
        return Path(self.html_path).stem

    @property
    def notebook_path(self) -> Path:
        p = Path(self.notebook)
        if p.suffix == ".ipynb" or len(p.parts) > 1:
            return p.resolve()
        return (paths.NOTEBOOKS / f"{self.notebook}.ipynb").resolve()

    @property
    def notebook_name(self) -> str:
        return self.notebook_path.stem

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class PageResult:
    """What happened to one page. Messages never contain a NIK (masked)."""

    label: str
    status: str  # "ok" or "failed"
    html_path: str | None
    notebook_path: str | None
    duration_s: float
    error_type: str | None = None
    error_message: str | None = None
    cell_index: int | None = None
    html_bytes: int | None = None
    parameters: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict:
        return asdict(self)


# -- parameters -------------------------------------------------------------------------


def _json_problem(name: str, value, where: str) -> list[Problem]:
    if value is None or isinstance(value, (str, bool, int)):
        return []
    if isinstance(value, float):
        return [] if math.isfinite(value) else [Problem(where, "a finite number", column=name, value=value)]
    if isinstance(value, (list, tuple)):
        return [p for v in value for p in _json_problem(name, v, where)]
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            if not isinstance(k, str):
                out.append(Problem(where, "string keys only", column=name, value=k))
            out.extend(_json_problem(name, v, where))
        return out
    return [
        Problem(
            where,
            f"a JSON value (str, int, float, bool, None, list, dict); convert {type(value).__name__} to str first",
            column=name,
            value=value,
        )
    ]


def check_job_parameters(job: PageJob) -> dict:
    """Validate the job's parameters; return them ready for papermill.

    The package's own notebooks are checked by :func:`jamsos_lib.reports.params.check_parameters`
    (names, JSON values, declared names, types; codes as strings). Any other notebook file
    gets the generic checks: identifier names, JSON values, names the notebook declares.
    Raises :class:`InputError` listing every problem.
    """
    from jamsos_lib.reports import params as report_params

    where = job.notebook_path.name
    if not job.notebook_path.exists():
        raise InputError(Problem(str(job.notebook_path), "an existing notebook file"))
    if job.notebook_name in report_params.NOTEBOOKS and job.notebook_path.parent == paths.NOTEBOOKS.resolve():
        return report_params.check_parameters(job.notebook_name, dict(job.parameters))
    problems: list[Problem] = []
    for name, value in job.parameters.items():
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            problems.append(
                Problem(where, "a parameter name that is a Python identifier", column=str(name), value=name)
            )
            continue
        problems.extend(_json_problem(name, value, where))
    if not problems:
        declared = report_params.declared_in(job.notebook_path)
        for name in job.parameters:
            if name not in declared:
                problems.append(
                    Problem(
                        where,
                        f"a parameter the notebook declares ({', '.join(sorted(declared)) or 'none'})",
                        column=name,
                        value=name,
                    )
                )
    if problems:
        raise InputError(problems)
    return dict(job.parameters)


# -- export ------------------------------------------------------------------------------


def export_page(nb, lang: str) -> str:
    """The page's HTML, by the house template (:func:`jamsos_lib.reports.html.export_html`)."""
    from jamsos_lib.reports.html import export_html

    return export_html(nb, lang=lang, index_href=INDEX_HREF)


# -- one page ----------------------------------------------------------------------------


def audit_paths(html_path: str | Path) -> tuple[Path, Path]:
    html_path = Path(html_path)
    stem = html_path.stem
    return html_path.parent / EXECUTED_DIR / f"{stem}.ipynb", html_path.parent / FAILED_DIR / f"{stem}.ipynb"


def _remove(*files: Path) -> None:
    for f in files:
        try:
            f.unlink()
        except FileNotFoundError:
            pass


def _failed_cell(nb_path: Path) -> int | None:
    import nbformat

    try:
        nb = nbformat.read(str(nb_path), as_version=4)
    except Exception:  # noqa: BLE001 - the partial notebook may be unreadable
        return None
    started = [i for i, cell in enumerate(nb.cells) if cell.get("metadata", {}).get("papermill", {}).get("start_time")]
    return started[-1] if started else None


def run_page(
    job: PageJob,
    *,
    kernel=None,
    execution_timeout: float = DEFAULT_EXECUTION_TIMEOUT,
    start_timeout: float = DEFAULT_START_TIMEOUT,
    kernel_name: str = paths.KERNEL_NAME,
    export=export_page,
) -> PageResult:
    """Execute ``job``'s notebook, export the HTML, keep the executed notebook; never raises for a page failure.

    ``kernel`` is a :class:`~jamsos_lib.reports.kernels.PooledKernel` to reuse, or ``None``
    for a fresh kernel per page. ``export`` turns the executed notebook into HTML.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from jamsos_lib.reports.engine import POOLED_ENGINE

    started = time.perf_counter()
    html_path = Path(job.html_path)
    executed, failed = audit_paths(html_path)
    label = job.label or html_path.name

    def result(status, **kw) -> PageResult:
        return PageResult(
            label=label,
            status=status,
            duration_s=round(time.perf_counter() - started, 3),
            parameters=dict(job.parameters),
            **kw,
        )

    try:
        params = check_job_parameters(job)
    except InputError as exc:
        return result(
            "failed", html_path=None, notebook_path=None, error_type="InputError", error_message=mask_nik(str(exc))
        )

    executed.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{executed.stem}.", suffix=".tmp.ipynb", dir=executed.parent)
    os.close(fd)
    tmp_nb = Path(tmp_name)
    common = dict(
        parameters=params,
        kernel_name=kernel_name,
        execution_timeout=execution_timeout,
        start_timeout=start_timeout,
        progress_bar=False,
        log_output=False,
        report_mode=False,
    )
    ok = False
    try:
        try:
            if kernel is None:
                from jamsos_lib.reports.kernels import RuntimeKernelManager

                nb = papermill.execute_notebook(
                    str(job.notebook_path),
                    str(tmp_nb),
                    **common,
                    shutdown_kernel="immediate",
                    kernel_manager_class=RuntimeKernelManager,
                    resources={"metadata": {"path": str(job.notebook_path.parent)}},
                )
            else:
                kernel.acquire()
                nb = papermill.execute_notebook(
                    str(job.notebook_path),
                    str(tmp_nb),
                    **common,
                    engine_name=POOLED_ENGINE,
                    pooled_kernel=kernel,
                    partial_path=str(tmp_nb),
                    request_save_on_cell_execute=False,
                )
            html = export(nb, job.lang)
        except PapermillExecutionError as exc:
            return _fail(
                result,
                tmp_nb,
                failed,
                executed,
                html_path,
                type(exc).__name__ if not exc.ename else exc.ename,
                exc.evalue,
                exc.cell_index,
            )
        except Exception as exc:  # noqa: BLE001 - timeouts, dead kernels, export errors: isolate to this page
            return _fail(
                result, tmp_nb, failed, executed, html_path, type(exc).__name__, str(exc), _failed_cell(tmp_nb)
            )
        atomic.write_text(html_path, html)
        if kernel is None:
            nbformat.write(nb, str(tmp_nb))
        # else papermill has written the executed notebook to tmp_nb once, at the end
        os.replace(tmp_nb, executed)
        _remove(failed)
        ok = True
        return result("ok", html_path=str(html_path), notebook_path=str(executed), html_bytes=len(html.encode("utf-8")))
    finally:
        if kernel is not None:
            kernel.release(ok)
        _remove(tmp_nb)


def _fail(
    result,
    tmp_nb: Path,
    failed: Path,
    executed: Path,
    html_path: Path,
    etype: str,
    message: str,
    cell_index: int | None,
) -> PageResult:
    failed.parent.mkdir(parents=True, exist_ok=True)
    notebook_path = None
    if tmp_nb.exists() and tmp_nb.stat().st_size > 0:
        os.replace(tmp_nb, failed)
        notebook_path = str(failed)
    _remove(html_path, executed)
    return result(
        "failed",
        html_path=None,
        notebook_path=notebook_path,
        error_type=etype,
        error_message=mask_nik(str(message or "").strip())[:300],
        cell_index=cell_index,
    )
