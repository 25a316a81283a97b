"""Notebook parameters: what each report notebook declares, checking what a caller passes,
and the validation each notebook runs right after its ``parameters`` cell.

Two halves:

* For the runner (``jamsos report`` / ``jamsos monthly``): :data:`NOTEBOOKS`,
  :func:`declared_parameters` (read with ``papermill.inspect_notebook``) and
  :func:`check_parameters`, which rejects what papermill would only warn about (unknown
  names) or would silently mis-handle (non-identifier names are code injection, non-JSON
  values are turned into code by papermill's last-resort translator, ``-p 0012`` loses its
  zeros) and returns the parameters with region codes and periods as strings.
* For the notebooks: :func:`region_context`, :func:`province_context` and
  :func:`subsidy_context` turn the raw parameters into a :class:`ReportContext` (processed
  data, the region, the period resolved, labels in the chosen language) or stop with one
  clear message per problem (:class:`ReportParameterError`, shown without a traceback in
  Jupyter).
"""

from __future__ import annotations

import keyword
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

from jamsos_lib import paths
from jamsos_lib.atomic import sha256_file
from jamsos_lib.compute.constants import DENOMINATORS
from jamsos_lib.errors import InputError, JamsosError, Problem
from jamsos_lib.present.labels import LANGS, Labels

if TYPE_CHECKING:  # the batch's worker processes check parameters without pandas: imported where used
    from jamsos_lib.regions import Region
    from jamsos_lib.store import Dataset

#: Report notebooks by name (the name is what the runner and the tests use).
NOTEBOOKS: dict[str, Path] = {
    "region_report": paths.NOTEBOOKS / "region_report.ipynb",
    "province_overview": paths.NOTEBOOKS / "province_overview.ipynb",
    "subsidy_scenarios": paths.NOTEBOOKS / "subsidy_scenarios.ipynb",
}

#: Parameters a caller must pass explicitly: a batch must never render the default region
#: by accident. Everything else falls back to the notebook's default.
REQUIRED: dict[str, frozenset[str]] = {
    "region_report": frozenset({"region_code"}),
    "province_overview": frozenset(),
    "subsidy_scenarios": frozenset({"region_code"}),
}

#: Parameters that are codes or periods: always passed to the kernel as strings.
STRING_PARAMETERS = frozenset({"region_code", "province_code", "period"})

#: Parameters that name a folder (empty: the default), and the file that folder must hold.
#: ``data_dir``: processed data (``jamsos clean``); ``tables_dir``: a month's tables
#: (``reports/<period>/_tables``, :mod:`jamsos_lib.compute.month`).
FOLDER_PARAMETERS = {
    "data_dir": ("manifest.json", "processed data", "jamsos clean"),
    "tables_dir": ("provenance.json", "month tables", "jamsos monthly"),
}

PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_CODE_RE = re.compile(r"^\d{2}(\d{2})?$")
_JSON_SCALARS = (str, int, float, bool, type(None))


class ReportParameterError(InputError):
    """Bad notebook parameters. In Jupyter it shows as its problem lines, no traceback."""

    def _render_traceback_(self) -> list[str]:  # IPython hook: what the cell shows
        return ["Parameter laporan tidak valid / invalid report parameters:"] + [f"  {p}" for p in self.problems]


def _problem(expected: str, column: str | None = None, value: object = None, file: str = "parameters") -> Problem:
    return Problem(file=file, expected=expected, column=column, value=value, show_value=column is not None)


# --------------------------------------------------------------------------- runner side
def notebook_path(name: str) -> Path:
    try:
        return NOTEBOOKS[name]
    except KeyError:
        raise JamsosError(f"no report notebook named {name!r} (known: {', '.join(NOTEBOOKS)})") from None


@lru_cache(maxsize=16)
def _inspect(path: str, mtime: float) -> dict[str, dict]:
    import papermill  # here, not at the top: the notebooks import this module in every kernel

    return papermill.inspect_notebook(path)


def declared_in(path: str | Path) -> dict[str, dict]:
    """``{name: {"inferred_type_name", "default", "help"}}`` as papermill reads any notebook
    file (cached until the file changes)."""
    path = Path(path)
    return dict(_inspect(str(path), path.stat().st_mtime))


def declared_parameters(name: str) -> dict[str, dict]:
    """What one of the package's notebooks (:data:`NOTEBOOKS`) declares; see :func:`declared_in`."""
    return declared_in(notebook_path(name))


def declared_names(name: str) -> list[str]:
    """The names one of the package's notebooks declares, in order, read without papermill (the
    batch plans its pages before anything heavy is imported): the annotated assignments of its
    cell tagged ``parameters``, all that cell holds (``tests/test_notebooks.py``: the same
    names as :func:`declared_parameters`)."""
    import ast
    import json

    with open(notebook_path(name), encoding="utf-8") as f:
        cells = json.load(f).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in (cell.get("metadata") or {}).get("tags", []):
            source = cell.get("source", "")
            tree = ast.parse(source if isinstance(source, str) else "".join(source))
            return [
                node.target.id
                for node in tree.body
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
            ]
    return []


def notebook_imports(*notebooks: str | Path) -> list[str]:
    """Modules the notebooks' code cells import (``import x``, ``from x import y``), in order.

    A pooled kernel's warm-up imports exactly these, so a warm kernel has no module (and
    no import-time side effect, such as a module that selects a matplotlib backend) that
    a fresh kernel running the same notebook would not have. Cells that are not plain
    Python (magics) are skipped. The notebook is read as the JSON it is (no nbformat: the
    batch's main process calls this before anything heavy is imported).
    """
    import ast
    import json

    names: list[str] = []
    for path in notebooks:
        with open(path, encoding="utf-8") as f:
            cells = json.load(f).get("cells", [])
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse(source if isinstance(source, str) else "".join(source))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found = [node.module] + [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
                else:
                    continue
                names.extend(n for n in found if n not in names)
    return names


def _json_problem(value: object, where: str) -> str | None:
    """Why ``value`` is not a plain JSON value papermill can translate safely, or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"{where}: a finite number (NaN and infinity are not allowed)"
    if isinstance(value, _JSON_SCALARS):
        return None
    if isinstance(value, list):
        for i, item in enumerate(value):
            bad = _json_problem(item, f"{where}[{i}]")
            if bad:
                return bad
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"{where}: dictionary keys must be strings"
            bad = _json_problem(item, f"{where}[{key!r}]")
            if bad:
                return bad
        return None
    return f"{where}: a string, number, boolean, null, list or dict (got {type(value).__name__})"


def folder_problem(key: str, value: str) -> Problem | None:
    """Why ``value`` is not a folder parameter ``key`` can name (:data:`FOLDER_PARAMETERS`), or None."""
    marker, what, command = FOLDER_PARAMETERS[key]
    if value and not (Path(value) / marker).is_file():
        return _problem(
            f"a folder of {what} ({marker} missing in {value}: run '{command}' first, or fix the path)", key, value
        )
    return None


def check_parameters(name: str, params: dict) -> dict:
    """Check ``params`` against what notebook ``name`` declares; return them ready for papermill.

    Rejects (all problems at once, :class:`ReportParameterError`): names that are not
    identifiers or are keywords, names the notebook does not declare, required names that are
    missing, values that are not JSON-like, a value whose type does not fit the declared one,
    and a folder parameter (:data:`FOLDER_PARAMETERS`) naming a folder without its data. Codes
    and periods come back as strings (``3574`` -> ``"3574"``); an int is accepted for a float.
    """
    declared = declared_parameters(name)
    problems: list[Problem] = []
    out: dict = {}
    for key, value in params.items():
        if not isinstance(key, str) or not key.isidentifier() or keyword.iskeyword(key):
            problems.append(_problem("a parameter name that is a plain identifier", "name", key))
            continue
        if key not in declared:
            problems.append(
                _problem(f"a parameter declared by notebook {name!r}: {', '.join(sorted(declared))}", key, value)
            )
            continue
        bad = _json_problem(value, key)
        if bad:
            problems.append(_problem(bad, key, value))
            continue
        kind = declared[key]["inferred_type_name"]
        if key in STRING_PARAMETERS:
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                problems.append(_problem("a code or period as text", key, value))
                continue
            value = str(value)
        elif kind == "str" and not isinstance(value, str):
            problems.append(_problem("text", key, value))
            continue
        elif key in FOLDER_PARAMETERS and (bad_folder := folder_problem(key, value)):
            problems.append(bad_folder)
            continue
        elif kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(_problem("a whole number", key, value))
            continue
        elif kind == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append(_problem("a number", key, value))
                continue
            value = float(value)
        elif kind == "bool" and not isinstance(value, bool):
            problems.append(_problem("true or false", key, value))
            continue
        out[key] = value
    for key in sorted(REQUIRED.get(name, frozenset()) - set(params)):
        problems.append(_problem(f"parameter {key!r} is required for notebook {name!r}", key, None))
    if problems:
        raise ReportParameterError(problems)
    return out


# --------------------------------------------------------------------------- notebook side
@dataclass
class ReportContext:
    """Everything a report notebook needs after its parameters were checked."""

    data: Dataset
    region: Region
    period: str
    lang: str
    denominator: str
    labels: Labels
    extra: dict = field(default_factory=dict)
    #: the month's tables (:class:`jamsos_lib.compute.month.MonthTables`) the page reads, when
    #: the notebook was given ``tables_dir`` for this month and denominator; None: computed
    month: object = None
    #: when the page says it was made (:func:`generated_time`); None: when it is rendered
    generated_at: object = None

    @property
    def region_code(self) -> str:
        return self.region.code

    @property
    def year(self) -> int:
        return int(self.period[:4])

    @property
    def province_code(self) -> str:
        """The page's own province (2 digits): the province itself, or a kab/kota's first two
        digits. Province-wide tables (ranking, coverage, gap) are about this province, so
        one data set can hold many provinces."""
        return self.region.code[:2]


def _stamp(path: Path) -> tuple[int, int, int]:
    """What changes when ``path`` is rewritten (``jamsos clean`` and the month tables swap
    their whole folder in, so a new file)."""
    st = path.stat()
    return st.st_ino, st.st_mtime_ns, st.st_size


@lru_cache(maxsize=4)
def _dataset(folder: str, stamp: tuple, registry: tuple[str, ...]) -> Dataset:
    from jamsos_lib.regions import load_registry_files
    from jamsos_lib.store import Dataset

    return Dataset(Path(folder), registry=load_registry_files(registry))


def open_data(data_dir: str | Path = "", registry: list[str] | tuple[str, ...] | None = None) -> Dataset:
    """The processed data set in ``data_dir`` (a notebook's ``data_dir`` parameter; empty:
    ``data/processed`` of the checkout), with the region registry of the CSVs ``registry``
    (default: :func:`jamsos_lib.regions.registry_files`). One per process, folder and version
    of the folder: a kernel reused for many pages reads it once, and reads it again after
    ``jamsos clean`` rewrote it (its ``manifest.json`` is then another file). A folder
    without processed data stops with :class:`ReportParameterError` naming ``data_dir``."""
    folder = Path(data_dir or paths.PROCESSED).resolve()
    try:
        stamp = _stamp(folder / "manifest.json")
    except OSError:
        raise ReportParameterError([folder_problem("data_dir", str(data_dir or folder))]) from None
    if registry is None:
        from jamsos_lib.regions import registry_files

        registry = registry_files()
    return _dataset(str(folder), stamp, tuple(str(r) for r in registry))


def _check_common(
    period: object, lang: object, denominator: object, data: Dataset | None, problems: list[Problem]
) -> str | None:
    if not isinstance(lang, str) or lang not in LANGS:
        problems.append(_problem(f"one of {', '.join(LANGS)}", "lang", lang))
    if not isinstance(denominator, str) or denominator not in DENOMINATORS:
        problems.append(_problem(f"one of {', '.join(DENOMINATORS)}", "denominator", denominator))
    if not isinstance(period, str):
        problems.append(_problem("a month as text YYYY-MM, or empty for the latest", "period", period))
        return None
    if period.strip() == "":
        return data.latest_period if data is not None else None
    if not PERIOD_RE.match(period.strip()):
        problems.append(_problem("a month YYYY-MM (for example 2025-06), or empty for the latest", "period", period))
        return None
    period = period.strip()
    if data is not None and period not in set(data.periods):
        problems.append(_problem(f"a month with data: {data.periods[0]} .. {data.periods[-1]}", "period", period))
        return None
    return period


def _check_region(
    region_code: object, data: Dataset, problems: list[Problem], *, province: bool = False
) -> Region | None:
    if isinstance(region_code, bool) or not isinstance(region_code, (str, int)):
        problems.append(_problem('a BPS region code as text, for example "3513"', "region_code", region_code))
        return None
    code = str(region_code).strip().replace(".", "")
    if not _CODE_RE.match(code):
        problems.append(
            _problem("a BPS region code of 4 digits (kab/kota) or 2 digits (province)", "region_code", region_code)
        )
        return None
    from jamsos_lib.regions import UnresolvedRegion

    try:
        region = data.registry.region(code)
    except UnresolvedRegion:
        suggestions = data.registry.suggest(code)
        hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        problems.append(_problem(f"a region code in the registry{hint}", "region_code", region_code))
        return None
    if province and not region.is_province:
        problems.append(_problem('a province code (2 digits, for example "35")', "region_code", region_code))
        return None
    if not province and region.is_province:
        problems.append(_problem('a kab/kota code (4 digits, for example "3513")', "region_code", region_code))
        return None
    return region


def _labels(lang: str, data: Dataset, region) -> Labels:
    """Wording for the page, filled with its own province's name and number of kab/kota."""
    province_code = region.code[:2]
    registry = data.registry
    name = registry.region(province_code).name if province_code in registry else None
    return Labels(lang, province=name, n_regions=len(registry.kabkota_codes(province_code)) or None)


@lru_cache(maxsize=4)
def _month_tables(folder: str, stamp: tuple):
    from jamsos_lib.compute import month

    return month.read(folder)


def read_month_tables(tables_dir: str):
    """The month tables in ``tables_dir`` (read once per kernel until the folder is rewritten)."""
    from jamsos_lib.compute.month import PROVENANCE

    sidecar = Path(tables_dir) / PROVENANCE
    stamp = _stamp(sidecar) if sidecar.exists() else (0, 0, 0)
    return _month_tables(str(Path(tables_dir).resolve()), stamp)


def data_of_tables(month, tables_dir: str, data_dir: str = "") -> Dataset:
    """The processed data the month tables were computed from: ``data_dir`` when given, else
    the folder their provenance names, with the registry CSVs the command used. Stops with
    :class:`ReportParameterError` when that folder holds other data than the tables' (its
    ``manifest.json`` is not the one they record): a page never mixes two versions of the data."""
    prov = month.provenance
    folder = data_dir or prov["data_dir"]
    data = open_data(folder, prov.get("registry_files"))
    expected = prov.get("processed_manifest_sha256")
    if expected and sha256_file(Path(data.folder) / "manifest.json") != expected:
        key, value = ("data_dir", data_dir) if data_dir else ("tables_dir", tables_dir)
        raise ReportParameterError(
            [
                _problem(
                    f"month tables and processed data of the same version: the tables in {tables_dir} were computed "
                    f"from another version of the data than {data.folder} holds; run 'jamsos monthly' again",
                    key,
                    value,
                )
            ]
        )
    return data


def generated_time(generated_at: object, month, problems: list[Problem]):
    """The time a page says it was made: ``generated_at`` (ISO 8601, e.g.
    ``2025-07-05T06:00:12+07:00``) when given; else, for a page of month tables, the time they
    were computed (``computed_at`` of their provenance), so the batch's page and a plain
    papermill run of the same notebook on the same month folder are the same bytes; else
    None (the time of rendering)."""
    from datetime import datetime

    if not isinstance(generated_at, str):
        problems.append(_problem("a time as text (ISO 8601), or empty", "generated_at", generated_at))
        return None
    text = generated_at.strip() or (month.provenance.get("computed_at", "") if month is not None else "")
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        problems.append(_problem("a time YYYY-MM-DDTHH:MM:SS+07:00 (ISO 8601), or empty", "generated_at", generated_at))
        return None


def _context(
    region_code,
    period,
    lang,
    denominator,
    *,
    province: bool,
    data: Dataset | None,
    tables_dir: str = "",
    data_dir: str = "",
    generated_at: str = "",
) -> ReportContext:
    problems: list[Problem] = []
    month = None
    if tables_dir:
        try:
            month = read_month_tables(tables_dir)
        except (JamsosError, OSError, ValueError) as exc:
            raise ReportParameterError(
                [_problem(f"a folder of month tables ({exc})", "tables_dir", tables_dir)]
            ) from None
        if data is None:
            data = data_of_tables(month, tables_dir, data_dir)
    data = data if data is not None else open_data(data_dir)
    region = _check_region(region_code, data, problems, province=province)
    resolved = _check_common(period, lang, denominator, data, problems)
    if month is not None and resolved is not None and month.period != resolved:
        problems.append(
            _problem(
                f"the tables of the report's month {resolved} (these are of {month.period})", "tables_dir", tables_dir
            )
        )
    generated = generated_time(generated_at, month, problems)
    if problems:
        raise ReportParameterError(problems)
    if month is not None and month.provenance["parameters"]["denominator"] != denominator:
        month = None  # tables of another denominator: the page computes its own
    return ReportContext(
        data=data,
        region=region,
        period=resolved,
        lang=lang,
        denominator=denominator,
        labels=_labels(lang, data, region),
        month=month,
        generated_at=generated,
    )


def region_context(
    region_code: str,
    period: str = "",
    lang: str = "id",
    denominator: str = "eligible",
    *,
    data: Dataset | None = None,
    tables_dir: str = "",
    data_dir: str = "",
    generated_at: str = "",
) -> ReportContext:
    """Validate a region report's parameters; stop with clear messages on any problem.
    ``tables_dir``: the month tables the page reads (:mod:`jamsos_lib.compute.month`); the
    processed data they were computed from is the page's data (:func:`data_of_tables`).
    ``data_dir``: the processed data folder (:func:`open_data`); ``data``: an open data set
    (tests, an analyst's session) instead of either. ``generated_at``: :func:`generated_time`."""
    return _context(
        region_code,
        period,
        lang,
        denominator,
        province=False,
        data=data,
        tables_dir=tables_dir,
        data_dir=data_dir,
        generated_at=generated_at,
    )


def province_context(
    province_code: str = "35",
    period: str = "",
    lang: str = "id",
    denominator: str = "eligible",
    *,
    data: Dataset | None = None,
    tables_dir: str = "",
    data_dir: str = "",
    generated_at: str = "",
) -> ReportContext:
    """Validate the province overview's parameters (``tables_dir``, ``data_dir``, ``generated_at``:
    as :func:`region_context`)."""
    return _context(
        province_code,
        period,
        lang,
        denominator,
        province=True,
        data=data,
        tables_dir=tables_dir,
        data_dir=data_dir,
        generated_at=generated_at,
    )


def subsidy_context(
    region_code: str,
    period: str = "",
    lang: str = "id",
    denominator: str = "eligible",
    *,
    budget_rp: float = 0.0,
    rate_rp: float = 0.0,
    months: int = 12,
    target_pct: float = 0.0,
    data: Dataset | None = None,
    tables_dir: str = "",
    data_dir: str = "",
    generated_at: str = "",
) -> ReportContext:
    """Validate the subsidy notebook's parameters; the scenario inputs go to ``ctx.extra``.

    ``rate_rp`` 0 means the official BPU package (JKK + JKM); ``target_pct`` 0 means the
    region's comparable target of the year (region → province → national); ``budget_rp`` 0
    means the region's own latest programme (``programmes`` table) at its own published rate,
    its recipients not counted twice, and no budget scenario when it has none (see
    :func:`jamsos_lib.compute.scenarios.region_scenarios`). ``tables_dir``, ``data_dir``: as
    :func:`region_context` (the gap to target comes from the month tables when given);
    ``generated_at``: the time in the footer, empty: the time of rendering (a scenario page
    is made when asked for, not with the month's tables).
    """
    problems: list[Problem] = []
    for key, value, low, high in (
        ("budget_rp", budget_rp, 0, 1e15),
        ("rate_rp", rate_rp, 0, 1e7),
        ("target_pct", target_pct, 0, 100),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (low <= value <= high):
            problems.append(_problem(f"a number from {low:g} to {high:g}", key, value))
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 12:
        problems.append(_problem("a whole number of months from 1 to 12", "months", months))
    try:
        ctx = _context(
            region_code,
            period,
            lang,
            denominator,
            province=False,
            data=data,
            tables_dir=tables_dir,
            data_dir=data_dir,
            generated_at=generated_at,
        )
    except ReportParameterError as exc:
        raise ReportParameterError([*exc.problems, *problems]) from None
    if problems:
        raise ReportParameterError(problems)
    if not generated_at.strip():
        ctx.generated_at = None  # not the tables' time: this page is made now
    ctx.extra = {
        "budget_rp": float(budget_rp),
        "rate_rp": float(rate_rp),
        "months": int(months),
        "target_pct": float(target_pct),
    }
    return ctx
