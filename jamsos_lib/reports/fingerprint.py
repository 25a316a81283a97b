"""Page fingerprints: everything that decides the bytes of a month's page, so that a page whose
fingerprint has not changed since the last run is not rendered again (``jamsos monthly`` and
``jamsos report``; :func:`decide`).

A fingerprint is ``{"fingerprint": sha256, "parts": {part: sha256}}``; the parts are what
the manifest's ``reason`` names when a page is rendered again:

==============  ==============================================================================
part            what goes in
==============  ==============================================================================
``code``        the jamsos version, the versions of the packages that render (papermill,
                nbconvert, pandas, matplotlib, ..., Python), and the sha256 of every ``.py``
                file of ``jamsos_lib``: an uncommitted edit counts; a commit that does not
                touch the package (README, tests) does not. (The git commit is not shown
                on the pages and is not a part.)
``template``    every file under ``jamsos_lib/templates`` (HTML export and index templates,
                the stylesheet)
``notebook``    the notebook's cells without outputs: type, source and metadata other than
                execution records (:func:`notebook_digest`)
``parameters``  the page's notebook parameters except where and when it is made
                (:data:`NOT_SHOWN`: ``data_dir``, ``tables_dir``, ``generated_at``); the
                language and period are parameters
``data``        what the page shows of the month tables (:mod:`jamsos_lib.compute.month`):

                * a kab/kota page R of province P: R's rows of every month table
                  (``coverage``, ``panel``, ``gap``, ``scenarios``, ``calibrations``, and the
                  ``quality`` notes whose ``page_region`` is R); of the other kab/kota of P
                  what the ranking chart and the map draw (:func:`jamsos_lib.present.shown.others`):
                  ``region_code``, ``region_name`` and ``coverage_pct`` at the precision the
                  labels show (the bars and the colour bins take that value), in rank order,
                  and which kab/kota are listed; whether any row of P's ``coverage`` or ``gap`` is an estimate
                  (the estimates note, :func:`jamsos_lib.present.status.others_estimated`);
                  and the ``source_id`` of R's and P's rows of the processed tables the
                  sources footer reads (:data:`jamsos_lib.compute.sources.REGIONAL`);
                * a province page P: every row of P and its kab/kota in every month table,
                  and their ``source_id`` s;
                * the index: every row of ``gap``, whether any input figure is an estimate,
                  and the status of every page it links;
                * a month table without ``region_code`` (a month-wide summary): on every page;
                * a notebook of another kind (a test's): every month table.
``reference``   the shared inputs: the processed ``rates``, ``targets``, ``sources``,
                ``denominators`` and ``eligibility`` tables, every file under
                ``jamsos_lib/reference`` (region registry, boundaries), and the processed
                data's commit and date that every page's footer shows
==============  ==============================================================================

Tables are hashed by content (``pandas.util.hash_pandas_object`` of the values, with the
column names and dtypes), never by file times. The one thing a page shows that is not in its
fingerprint is the time it was generated: an unchanged page keeps its file, and its time.

Consequence worth knowing: every kab/kota page of a province shows the coverage of every
other kab/kota of that province this month (ranking chart and map) to one decimal, so a change
to one region's coverage *of the month* that moves its shown value, its colour bin or its rank
renders every page of its province; a change that does not move what other pages show (a few
participants more, an earlier month of the trend, a segment split with the same total, the
region's sources) renders only that region's page, its province page and the index.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from jamsos_lib.atomic import sha256_file
from jamsos_lib.digests import digest, tree_digest
from jamsos_lib.present import shown

PARTS = ("code", "template", "notebook", "parameters", "data", "reference")
#: the manifest's ``reason`` when a part changed
CHANGED = {
    "code": "code changed",
    "template": "template changed",
    "notebook": "notebook changed",
    "parameters": "parameters changed",
    "data": "data changed",
    "reference": "reference data changed",
}
UNCHANGED = "unchanged (not rendered)"
#: notebook parameters that say where or when a page is made, not what it shows
NOT_SHOWN = frozenset({"data_dir", "tables_dir", "generated_at"})
#: processed tables every page depends on
REFERENCE_TABLES = ("rates", "targets", "sources", "denominators", "eligibility")
#: processed tables whose ``source_id`` per region decides the sources footer (as ``compute.sources.REGIONAL``)
SOURCE_TABLES = ("participants", "workers", "eligibility", "denominators", "programmes")
#: cell metadata written by running a notebook, not part of what it is
_RUN_METADATA = frozenset({"execution", "papermill", "ExecuteTime", "collapsed", "scrolled"})
REGION_NOTEBOOK, PROVINCE_NOTEBOOK = "region_report", "province_overview"


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _header(frame: pd.DataFrame) -> str:
    return _json([[str(c), str(t)] for c, t in frame.dtypes.items()])


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    if frame.empty:
        return np.zeros(0, dtype=np.uint64)
    return pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)


def frame_digest(frame: pd.DataFrame) -> str:
    """The content of ``frame`` (values in row order, column names and dtypes; not the index)."""
    return digest(_header(frame), _row_hashes(frame).tobytes())


def grouped_digests(frame: pd.DataFrame, keys: Iterable) -> dict[str, str]:
    """:func:`frame_digest` of the rows of each key (``keys``: one per row), hashing the table once."""
    header, hashes = _header(frame), _row_hashes(frame)
    keys = np.asarray(list(keys), dtype=object)
    groups = pd.Series(np.arange(len(keys))).groupby(keys, sort=False).indices if len(keys) else {}
    return {str(k): digest(header, hashes[idx].tobytes()) for k, idx in groups.items()}


def code_digest(package_dir: str | Path, versions: Mapping[str, str | None]) -> str:
    """The package's source (every ``.py`` under ``package_dir``) and ``versions`` (package -> version)."""
    return digest(_json(dict(versions)), tree_digest(package_dir, "*.py"))


def notebook_digest(path: str | Path) -> str:
    """A notebook's cells without outputs: type, source, and metadata other than run records."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    cells = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        meta = {k: v for k, v in (cell.get("metadata") or {}).items() if k not in _RUN_METADATA}
        cells.append([cell.get("cell_type"), source if isinstance(source, str) else "".join(source), meta])
    return digest(_json(cells))


def parameters_digest(parameters: Mapping) -> str:
    """The page's parameters, without :data:`NOT_SHOWN`."""
    return digest(_json({k: v for k, v in parameters.items() if k not in NOT_SHOWN}))


def fingerprint(parts: Mapping[str, str]) -> dict:
    """``{"fingerprint": ..., "parts": {...}}`` from the part digests (in :data:`PARTS` order)."""
    parts = {k: parts[k] for k in PARTS if k in parts}
    return {"fingerprint": digest(_json(parts)), "parts": parts}


# -- what the pages show of the month ---------------------------------------------------------


def _codes(frame: pd.DataFrame, column: str = "region_code") -> pd.Series:
    return frame[column].astype(str)


class MonthView:
    """Digests of what each page shows of one month's tables (see the module docstring).

    ``tables``: the month tables by name (``coverage``, ``panel``, ``gap``, ``scenarios``,
    ``calibrations``, ``quality``; a table without ``region_code`` counts as shown on every
    page); ``source_tables``: processed tables with ``region_code`` and ``source_id``
    (:data:`SOURCE_TABLES`). Every table is hashed once.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame], source_tables: Mapping[str, pd.DataFrame] = ()):
        self.tables = dict(tables)
        self.own: dict[str, dict[str, str]] = {}  # table -> region -> digest
        self.province: dict[str, dict[str, str]] = {}  # table -> province -> digest
        self.shared: list[str] = []  # tables not by region: on every page
        for name, frame in self.tables.items():
            key = "page_region" if name == "quality" else "region_code"
            if key not in frame:
                self.shared.append(f"{name}={frame_digest(frame)}")
                continue
            codes = _codes(frame, key)
            self.own[name] = grouped_digests(frame, codes)
            self.province[name] = grouped_digests(frame, codes.str[:2])
        for name, frame in dict(source_tables).items():
            ids = frame[["source_id"]] if "source_id" in frame else frame.iloc[:, :0]
            codes = _codes(frame)
            self.own[f"sources:{name}"] = grouped_digests(ids, codes)
            self.province[f"sources:{name}"] = grouped_digests(ids, codes.str[:2])
        self._others: dict[str, str] = {}

    @staticmethod
    def _of(which: dict[str, dict[str, str]], key: str, names: Iterable[str] | None = None) -> list[str]:
        return [f"{name}={which[name].get(key, '-')}" for name in sorted(which if names is None else names)]

    def others(self, province: str) -> str:
        """What a kab/kota page of ``province`` shows of every kab/kota of it (module docstring)."""
        if province not in self._others:
            cov = self.tables.get("coverage", pd.DataFrame(columns=["region_code"]))
            gap = self.tables.get("gap", pd.DataFrame(columns=["region_code"]))
            cov_p = cov[_codes(cov).str[:2] == province]
            gap_p = gap[_codes(gap).str[:2] == province]
            # the ranking's bars and the map's colours, at the values they show, in rank order
            drawn = (
                shown.others(cov_p)
                if {"region_code", "region_name", "coverage_pct"} <= set(cov_p)
                else cov_p.iloc[:, :0]
            )
            # as status.others_estimated: any row of the ranking's table (or the gap table) an estimate
            estimated = any(
                col in t and bool((t[col] == "illustrative").any())
                for t in (cov_p, gap_p)
                for col in ("status", "data_status")
            )
            self._others[province] = digest(frame_digest(drawn), str(estimated))
        return self._others[province]

    def region(self, code: str) -> str:
        """A kab/kota page's data digest."""
        code = str(code)
        province_sources = [name for name in self.own if name.startswith("sources:")]
        return digest(
            *self._of(self.own, code),
            *self._of(self.own, code[:2], province_sources),
            self.others(code[:2]),
            *self.shared,
        )

    def province_page(self, province: str) -> str:
        """A province page's data digest: every row of the province and its kab/kota."""
        return digest(*self._of(self.province, str(province)), *self.shared)

    def everything(self) -> str:
        """Every month table (for a notebook that is neither a region nor a province page)."""
        return digest(*[f"{n}={frame_digest(f)}" for n, f in sorted(self.tables.items())])

    def for_page(self, notebook_name: str, parameters: Mapping) -> str:
        if notebook_name == REGION_NOTEBOOK and "region_code" in parameters:
            return self.region(str(parameters["region_code"]))
        if notebook_name == PROVINCE_NOTEBOOK:
            return self.province_page(str(parameters.get("province_code", "35")))
        return self.everything()


def reference_digest(
    reference_tables: Mapping[str, pd.DataFrame], reference_dir: str | Path | None, processed_manifest: Mapping | None
) -> str:
    """The shared inputs (module docstring): the tables, the files under ``reference_dir``,
    and the processed manifest's commit and date, as the footer shows them."""
    manifest = dict(processed_manifest or {})
    commit = str(manifest.get("git_commit") or manifest.get("commit") or "")[:12]
    built = str(manifest.get("created") or manifest.get("created_at") or manifest.get("time") or "")[:10]
    return digest(
        *[f"{n}={frame_digest(f)}" for n, f in sorted(reference_tables.items())],
        tree_digest(reference_dir) if reference_dir else "",
        commit,
        built,
    )


def index_fingerprint(base: Mapping[str, str], gap: pd.DataFrame, estimated: bool, statuses: Mapping[str, str]) -> dict:
    """The index's fingerprint: ``base`` parts (code, template, parameters, reference) and its
    data: every row of ``gap``, whether any input figure is an estimate, every page's status."""
    data = digest(frame_digest(gap), str(bool(estimated)), _json(dict(sorted(statuses.items()))))
    return fingerprint({**base, "data": data})


# -- render or not ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """Whether to render a page this run, and why (the manifest's ``reason``)."""

    render: bool
    reason: str


def decide(new: Mapping | None, old: Mapping | None, html: str | Path, *, force: bool = False) -> Decision:
    """Render or keep a page: ``new`` its fingerprint now (None: not fingerprinted), ``old`` its
    entry in the last manifest, ``html`` its file.

    Kept (``unchanged (not rendered)``) only when the last run rendered it successfully with
    the same fingerprint and the file is still there with the sha256 that run recorded.
    """
    if force:
        return Decision(True, "forced")
    if new is None:
        return Decision(True, "not fingerprinted")
    if not old:
        return Decision(True, "new")
    if old.get("status") != "ok":
        return Decision(True, "failed last time")
    if not old.get("fingerprint"):
        return Decision(True, "no earlier fingerprint")
    if old["fingerprint"] != new["fingerprint"]:
        before = old.get("fingerprint_parts") or {}
        changed = [CHANGED[p] for p in PARTS if before.get(p) != new["parts"].get(p)]
        return Decision(True, ", ".join(changed) or "fingerprint changed")
    path = Path(html)
    if not path.is_file():
        return Decision(True, "missing output")
    if old.get("html_sha256") != sha256_file(path):
        return Decision(True, "output modified")
    return Decision(False, UNCHANGED)


def entry(new: Mapping | None, decision: Decision, html: str | Path | None, ok: bool) -> dict:
    """The manifest fields this module adds to a page's entry: ``reason``, ``rendered`` and,
    for a page that is now ok, its ``fingerprint``, ``fingerprint_parts`` and ``html_sha256``
    (a failed page records none, so the next run renders it again)."""
    out: dict = {"reason": decision.reason, "rendered": decision.render}
    if ok and new is not None and html and Path(html).is_file():
        out.update(fingerprint=new["fingerprint"], fingerprint_parts=dict(new["parts"]), html_sha256=sha256_file(html))
    else:
        out.update(fingerprint=None, fingerprint_parts=None, html_sha256=None)
    return out


# -- a month's pages -----------------------------------------------------------------------------


@dataclass
class MonthFingerprints:
    """Fingerprints of a month's planned pages (by label) and what the index's is built from."""

    pages: dict[str, dict]
    base: dict[str, str]
    gap: pd.DataFrame
    estimated: bool
    #: what the index is built for (language, period)
    index_parameters: dict = field(default_factory=dict)

    def index(self, statuses: Mapping[str, str]) -> dict:
        """The index's fingerprint for the page ``statuses`` (label -> status) it will show."""
        base = {**self.base, "parameters": parameters_digest(self.index_parameters)}
        return index_fingerprint(base, self.gap, self.estimated, statuses)


def month_fingerprints(
    jobs: Iterable,
    tables: Mapping[str, pd.DataFrame],
    data,
    *,
    versions: Mapping,
    package_dir: str | Path,
    templates_dir: str | Path,
    reference_dir: str | Path | None,
    estimated: bool,
) -> MonthFingerprints:
    """Fingerprints of ``jobs`` (objects with ``label``, ``notebook_path``, ``notebook_name``,
    ``parameters``) from the month ``tables`` and the processed data set ``data`` (its
    reference tables, source ids and manifest); ``versions``: package -> version;
    ``estimated``: whether any input figure of the month is an estimate (the index's note)."""
    base = {
        "code": code_digest(package_dir, versions),
        "template": tree_digest(templates_dir),
        "reference": reference_digest({n: getattr(data, n) for n in REFERENCE_TABLES}, reference_dir, data.manifest),
    }
    view = MonthView(tables, {n: getattr(data, n) for n in SOURCE_TABLES})
    notebooks: dict[str, str] = {}
    pages = {}
    for job in jobs:
        nb = str(job.notebook_path)
        if nb not in notebooks:
            notebooks[nb] = notebook_digest(nb)
        pages[job.label] = fingerprint(
            {
                **base,
                "notebook": notebooks[nb],
                "parameters": parameters_digest(job.parameters),
                "data": view.for_page(job.notebook_name, job.parameters),
            }
        )
    return MonthFingerprints(pages, base, tables["gap"], estimated)
