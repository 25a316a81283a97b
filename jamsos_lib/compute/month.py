"""The figures of one month, computed once, as validated tables.

:func:`compute` builds every table a month's pages, index and table commands show, for
every province with data (Jawa Timur for the shipped data), from the functions that own
each figure; :func:`write` stores them as Parquet in ``<month folder>/_tables/`` with a
provenance sidecar; :func:`read` loads them back, checked against their schemas. ``jamsos
monthly`` and ``jamsos report`` write them before rendering; an analyst reads them as
DataFrames (``docs/analysts.md``).

==================  ==========================================================================
table               rows (schema)
==================  ==========================================================================
``coverage``        every kab/kota and the province, the month (``coverage.COVERAGE_TABLE_SCHEMA``)
``panel``           the same regions for the 24 months ending at the month
                    (``coverage.COVERAGE_SERIES_SCHEMA``)
``gap``             distance to this year's target, the trend projection
                    (``targets.GAP_TABLE_SCHEMA``)
``scenarios``       the default bantuan iuran scenarios of every kab/kota: closing the gap,
                    its own latest programme (``subsidy.SCENARIO_SCHEMA``)
``calibrations``    every programme against the official package, with ``region_code``
                    (:data:`CALIBRATIONS_SCHEMA`)
``quality``         the notes each page shows; ``page_region`` names the page (a file-wide note
                    appears once per page) (:data:`QUALITY_SCHEMA`)
``reconciliation``  the NIK reconciliation the pages show (``jamsos reconcile``): its published
                    coverage rows with where they come from (the lists, their sha256, the
                    processed data it was made against, when); empty when there is none made
                    against this processed data for this month (:data:`RECONCILIATION_SCHEMA`)
==================  ==========================================================================

A reconciliation made against other processed data or another month is left out of every
table, with one warning in the log naming why (``provenance.json``: ``reconciliation``).

``provenance.json``: ``period``, ``parameters`` (denominator, provinces, panel months), the
processed folder the tables were computed from (``data_dir``) and the region registry CSVs
(``registry_files``), the sha256 of every file of the processed folder (``inputs``), the
processed data's manifest hash, the package version and the git commit of the code (when
known), and when the tables were computed (``computed_at``, WIB: the time the month's pages
say they were made). A notebook given only ``tables_dir`` opens that same data and registry
from it (:func:`jamsos_lib.reports.params.data_of_tables`), with no environment variable.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.errors
import pandera.pandas as pa

from jamsos_lib import atomic
from jamsos_lib.compute import coverage, quality, scenarios, subsidy, targets
from jamsos_lib.errors import JamsosError
from jamsos_lib.validate import once
from jamsos_lib.validate.reconciliation import PUBLISHED_COVERAGE
from jamsos_lib.validate.schemas import empty_frame
from jamsos_lib.paths import PROVENANCE, TABLE_SHA256, TABLES_DIR

log = logging.getLogger(__name__)

PANEL_MONTHS = 24

CALIBRATIONS_SCHEMA = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str),
        "year": pa.Column("Int64"),
        "funding_source": pa.Column(str, nullable=True),
        "status": pa.Column(str, nullable=True),
        **{name: pa.Column(col.dtype, nullable=True) for name, col in subsidy.CALIBRATION_SCHEMA.columns.items()},
        "persons_listed": pa.Column("Int64", nullable=True),
        "source_url": pa.Column(str, nullable=True),
        "note": pa.Column(str),
    },
    strict=True,
    coerce=True,
    name="month_calibrations",
)

QUALITY_SCHEMA = quality.REGION_QUALITY.add_columns({"page_region": pa.Column(str)}).set_name("month_quality")

RECONCILIATION_SCHEMA = PUBLISHED_COVERAGE.add_columns(
    {
        "period": pa.Column(str),
        "participant_lists": pa.Column(str),
        "recipient_lists": pa.Column(str),
        "lists_sha256": pa.Column(str),
        "processed_folder": pa.Column(str),
        "processed_manifest_sha256": pa.Column(str),
        "reconciled_at": pa.Column(str),
        "reconciliation_folder": pa.Column(str),
    }
).set_name("month_reconciliation")

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "coverage": coverage.COVERAGE_TABLE_SCHEMA,
    "panel": coverage.COVERAGE_SERIES_SCHEMA,
    "gap": targets.GAP_TABLE_SCHEMA,
    "scenarios": subsidy.SCENARIO_SCHEMA,
    "calibrations": CALIBRATIONS_SCHEMA,
    "quality": QUALITY_SCHEMA,
    "reconciliation": RECONCILIATION_SCHEMA,
}


@dataclass
class MonthTables:
    """The tables of one month (see the module docstring) and their provenance."""

    period: str
    tables: dict[str, pd.DataFrame]
    provenance: dict

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def region(self, name: str, region_code: str) -> pd.DataFrame:
        """Rows of table ``name`` about one region (``page_region`` for ``quality``)."""
        frame = self.tables[name]
        key = "page_region" if name == "quality" else "region_code"
        return frame[frame[key] == str(region_code)].reset_index(drop=True)


def _concat(frames: list[pd.DataFrame], schema: pa.DataFrameSchema) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_frame(schema)
    return schema.validate(pd.concat(frames, ignore_index=True))


def provinces_of(data) -> list[str]:
    """Provinces of the registry with participation data."""
    have = set(data.participants["region_code"].str[:2])
    return [p for p in data.registry.provinces() if p in have]


def compute(
    data,
    period: str | None = None,
    denominator: str = "eligible",
    provinces: list[str] | None = None,
    only=None,
    regions=None,
) -> MonthTables:
    """Every table of the month (see the module docstring), each validated; ``only``: just
    these tables (names of :data:`SCHEMAS`), and ``regions``: the per-region tables
    (scenarios, calibrations, quality) of just these regions, for a reader that needs a few
    (``jamsos coverage``, ``jamsos subsidy --region``)."""
    period = data.check_period(period)
    provinces = list(provinces) if provinces is not None else provinces_of(data)
    want = set(SCHEMAS) if only is None else set(only)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in SCHEMAS}
    published = stale = None
    if want & {"quality", "reconciliation"}:
        published, stale = quality.reconciliation_for(data, period)
        if stale:
            log.warning("reconciliation not shown on the pages of %s: %s", period, stale)
    official = scenarios.official_package(data, period) if want & {"scenarios", "calibrations"} else None
    with once.deferred():  # each table is checked once, whole, by _concat below
        for prov in provinces:
            _province_tables(data, prov, period, denominator, want, regions, parts, official, published)
    tables = {
        name: _concat([p for p in parts[name] if p is not None], schema)
        for name, schema in SCHEMAS.items()
        if name in want and name != "reconciliation"
    }
    if "reconciliation" in want:
        tables["reconciliation"] = reconciliation_table(published)
    prov = provenance(data, period, denominator, provinces)
    prov["tables"] = sorted(tables)
    if want & {"quality", "reconciliation"}:
        prov["reconciliation"] = {
            "used": published is not None,
            "why_not": stale,
            "folder": str(published.folder) if published is not None else None,
        }
    return MonthTables(period, tables, prov)


def _province_tables(data, prov, period, denominator, want, regions, parts, official, published) -> None:
    """The frames of one province (its kab/kota and itself), appended to ``parts``."""
    panel = coverage.coverage_panel(data, prov, period, PANEL_MONTHS, denominator) if "panel" in want else None
    if panel is not None:
        parts["panel"].append(panel)
    c = (
        coverage.coverage_table(data, period, denominator, province=prov, panel=panel)
        if want & {"coverage", "gap", "scenarios"}
        else None
    )  # from the panel's rows when there is one (PANEL_MONTHS > 12)
    if "coverage" in want:
        parts["coverage"].append(c)
    g = (
        targets.gap_table(data, period, denominator, province=prov, coverage=c) if want & {"gap", "scenarios"} else None
    )  # c: computed once
    parts["gap"].append(g)
    _region_tables(data, prov, period, want, regions, parts, g, official, published)


def _region_tables(data, prov, period, want, regions, parts, g, official, published) -> None:
    """The per-region frames (scenarios, calibrations, quality) of ``prov``'s kab/kota and of the
    province itself, appended to ``parts``."""
    codes = [c for c in [*data.registry.kabkota_codes(prov), prov] if regions is None or c in regions]
    if "quality" in want:
        parts["quality"].append(quality.regions_quality(data, codes, period, published))
    for code in codes:
        if len(code) == 4 and "scenarios" in want:
            parts["scenarios"].append(scenarios.region_scenarios(data, code, period, g, official=official))
        if len(code) == 4 and "calibrations" in want:
            c = scenarios.region_calibrations(data, code, period, official)
            if len(c):
                parts["calibrations"].append(c.assign(region_code=code))


#: what must be the same for stored month tables to stand for the tables of the current
#: data (:func:`stored`)
SAME = ("period", "parameters", "inputs", "code", "registry_sha256")


def stored(data, period: str, folder: str | Path, denominator: str = "eligible", names=None) -> MonthTables | None:
    """The month tables stored in ``folder`` (``names``: only these) when their provenance is of
    this very processed data (sha256 of every file, and of its reconciliation), parameters,
    code (every file of the package) and region registry (:data:`SAME`); None when there are
    none, they are damaged, or they were computed from anything else."""
    folder = Path(folder)
    if not (folder / PROVENANCE).is_file():
        return None
    current = provenance(data, period, denominator, provinces_of(data))
    try:  # the sidecar first: tables of other data are not read at all
        recorded = json.loads((folder / PROVENANCE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    if not isinstance(recorded, dict) or not all(recorded.get(key) == current.get(key) for key in SAME):
        return None
    try:
        month = read(folder, set(SCHEMAS) if names is None else set(names))
    except JamsosError as exc:  # damaged: computed again (jamsos monthly rewrites it)
        log.info("month tables in %s not used: %s", folder, exc)
        return None
    return month if all(month.provenance.get(key) == current.get(key) for key in SAME) else None


def stored_or_computed(
    data,
    period: str | None = None,
    denominator: str = "eligible",
    *,
    reports_dir: str | Path | None = None,
    only=None,
    regions=None,
) -> MonthTables:
    """The month's tables for a reader that is not a page (``jamsos coverage|gap|subsidy``):
    those ``jamsos monthly`` wrote to ``<reports>/<period>/_tables`` (default ``reports/``)
    when their provenance is of this very processed data (sha256 of every file), parameters
    and code (:data:`SAME`), else the same tables computed in memory by :func:`compute`
    (``only`` those asked for, per-region tables of ``regions`` only). Either way the figures
    come from the one function that makes each of them, so a table command shows what the
    pages show."""
    period = data.check_period(period)
    month = stored_tables(data, period, denominator, reports_dir=reports_dir, only=only)
    return month if month is not None else compute(data, period, denominator, only=only, regions=regions)


def stored_tables(
    data, period: str, denominator: str = "eligible", *, reports_dir: str | Path | None = None, only=None
) -> MonthTables | None:
    """:func:`stored` for the month folder ``<reports>/<period>/_tables`` (default ``reports/``)."""
    from jamsos_lib import paths

    return stored(data, period, Path(reports_dir or paths.REPORTS) / period / TABLES_DIR, denominator, only)


def reconciliation_table(published) -> pd.DataFrame:
    """The published coverage rows of a usable reconciliation with where they come from
    (:data:`RECONCILIATION_SCHEMA`); no rows for None."""
    if published is None:
        return _concat([], RECONCILIATION_SCHEMA)
    inputs = published.summary["inputs"]
    lists = published.lists

    def names(kind: str) -> str:
        return "; ".join(lists.loc[lists["kind"] == kind, "file"])

    return RECONCILIATION_SCHEMA.validate(
        published.coverage.assign(
            period=str(inputs["period"]),
            participant_lists=names("participants"),
            recipient_lists=names("recipients"),
            lists_sha256="; ".join(lists["sha256"]),
            processed_folder=str(inputs["processed_data"]["folder"]),
            processed_manifest_sha256=str(inputs["processed_data"]["manifest_sha256"]),
            reconciled_at=str(inputs["reconciled_at"]),
            reconciliation_folder=str(published.folder),
        )
    )


def provenance(data, period: str, denominator: str, provinces: list[str]) -> dict:
    """Where the tables come from: inputs (sha256 per processed file), parameters, code version."""
    from importlib import metadata

    from jamsos_lib import paths
    from jamsos_lib.digests import data_files, digest, tree_digest

    folder = Path(data.folder)
    inputs = data_files(folder)  # with the reconciliation the quality notes may show
    try:
        version = metadata.version("jamsos")
    except metadata.PackageNotFoundError:
        version = None
    from jamsos_lib.clean import git_commit
    from jamsos_lib.clock import stamp
    from jamsos_lib.paths import registry_files

    registry = registry_files()
    return {
        "period": period,
        "computed_at": stamp(),
        "parameters": {"denominator": denominator, "provinces": list(provinces), "panel_months": PANEL_MONTHS},
        "data_dir": str(folder.resolve()),
        "registry_files": registry,
        "registry_sha256": digest(*[Path(f).read_bytes() for f in registry if Path(f).is_file()]),
        "inputs": inputs,
        "processed_manifest_sha256": inputs.get("manifest.json"),
        # every file of the package (sources, templates, reference data): an uncommitted edit counts
        "code": {
            "package_version": version,
            "git_commit": git_commit(),
            "package_sha256": tree_digest(paths.PACKAGE_DIR),
        },
        "tables": sorted(SCHEMAS),
    }


def write(month: MonthTables, folder: str | Path) -> Path:
    """Write the tables to ``folder`` (usually ``<reports>/<period>/_tables``), all or none:
    the folder is built aside and swapped in."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with atomic.atomic_dir(folder) as tmp:
        written = {}
        for name, frame in month.tables.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
            written[name] = atomic.sha256_file(tmp / f"{name}.parquet")
        (tmp / PROVENANCE).write_text(
            json.dumps({**month.provenance, TABLE_SHA256: written}, ensure_ascii=False, indent=2, sort_keys=True),
            encoding="utf-8",
        )
    return folder


def read(folder: str | Path, names=None) -> MonthTables:
    """The tables written by :func:`write` (``names``: only these), each checked against its
    schema; unless the file holds the very bytes :func:`write` wrote after the table passed
    that schema (its sha256 in the provenance) and the code is still the code that wrote it
    (the package's sha256): then it is read as written, without checking it again (a page
    reads the tables its batch has just written; checking them again cost each kernel ~0,1 s)."""
    import hashlib
    import io

    from jamsos_lib import paths
    from jamsos_lib.digests import tree_digest

    folder = Path(folder)
    sidecar = folder / PROVENANCE
    if not sidecar.exists():
        raise JamsosError(f"no month tables in {folder} ({PROVENANCE} missing): run 'jamsos monthly' first")
    prov = json.loads(sidecar.read_text(encoding="utf-8"))
    written = prov.get(TABLE_SHA256) or {}
    same_code = bool(written) and (prov.get("code") or {}).get("package_sha256") == tree_digest(paths.PACKAGE_DIR)
    tables = {}
    for name, schema in SCHEMAS.items():
        if names is not None and name not in names:
            continue
        path = folder / f"{name}.parquet"
        try:
            content = path.read_bytes()
            frame = pd.read_parquet(io.BytesIO(content))
            as_written = same_code and written.get(name) == hashlib.sha256(content).hexdigest()
            tables[name] = frame if as_written else schema.validate(frame, lazy=True)
        except (OSError, ValueError) as exc:  # a missing or unreadable file (ArrowInvalid is a ValueError)
            raise JamsosError(
                f"{path}: not a valid '{name}' month table ({type(exc).__name__}: "
                f"{str(exc)[:200]}); run 'jamsos monthly' again"
            ) from None
        except pandera.errors.SchemaErrors as exc:
            cases = exc.failure_cases.head(5)[["column", "check"]].to_dict("records")
            raise JamsosError(
                f"{path}: not a valid '{name}' month table (schema {schema.name}: {cases}); run 'jamsos monthly' again"
            ) from None
    return MonthTables(prov["period"], tables, prov)
