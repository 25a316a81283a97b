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
==================  ==========================================================================

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
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.errors
import pandera.pandas as pa

from jamsos_lib import atomic
from jamsos_lib.compute import coverage, quality, scenarios, subsidy, targets
from jamsos_lib.errors import JamsosError

TABLES_DIR = "_tables"
PROVENANCE = "provenance.json"
PANEL_MONTHS = 24

CALIBRATIONS_SCHEMA = pa.DataFrameSchema(
    {"region_code": pa.Column(str), "year": pa.Column("Int64"), "funding_source": pa.Column(str, nullable=True),
     "status": pa.Column(str, nullable=True),
     **{name: pa.Column(col.dtype, nullable=True) for name, col in subsidy.CALIBRATION_SCHEMA.columns.items()},
     "persons_listed": pa.Column("Int64", nullable=True), "source_url": pa.Column(str, nullable=True),
     "note": pa.Column(str)},
    strict=True, coerce=True, name="month_calibrations",
)

QUALITY_SCHEMA = quality.REGION_QUALITY.add_columns({"page_region": pa.Column(str)}).set_name("month_quality")

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "coverage": coverage.COVERAGE_TABLE_SCHEMA,
    "panel": coverage.COVERAGE_SERIES_SCHEMA,
    "gap": targets.GAP_TABLE_SCHEMA,
    "scenarios": subsidy.SCENARIO_SCHEMA,
    "calibrations": CALIBRATIONS_SCHEMA,
    "quality": QUALITY_SCHEMA,
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
        return pd.DataFrame({c: pd.Series(dtype=str(col.dtype)) for c, col in schema.columns.items()})
    return schema.validate(pd.concat(frames, ignore_index=True))


def provinces_of(data) -> list[str]:
    """Provinces of the registry with participation data."""
    have = set(data.participants["region_code"].str[:2])
    return [p for p in data.registry.provinces() if p in have]


def compute(data, period: str | None = None, denominator: str = "eligible",
            provinces: list[str] | None = None) -> MonthTables:
    """Every table of the month (see the module docstring), each validated."""
    period = data.check_period(period)
    provinces = list(provinces) if provinces is not None else provinces_of(data)
    official = scenarios.official_package(data, period)
    cov, panel, gap, scen, cal, notes = [], [], [], [], [], []
    for prov in provinces:
        c = coverage.coverage_table(data, period, denominator, province=prov)
        cov.append(c)
        panel.append(coverage.coverage_panel(data, prov, period, PANEL_MONTHS, denominator))
        g = targets.gap_table(data, period, denominator, province=prov, coverage=c)  # c: computed once
        gap.append(g)
        for code in [*data.registry.kabkota_codes(prov), prov]:
            if len(code) == 4:
                scen.append(scenarios.region_scenarios(data, code, period, g, official=official))
                calib = scenarios.region_calibrations(data, code, period, official)
                if len(calib):
                    cal.append(calib.assign(region_code=code))
            notes.append(quality.region_quality(data, code, period).assign(page_region=code))
    tables = {
        "coverage": _concat(cov, coverage.COVERAGE_TABLE_SCHEMA),
        "panel": _concat(panel, coverage.COVERAGE_SERIES_SCHEMA),
        "gap": _concat(gap, targets.GAP_TABLE_SCHEMA),
        "scenarios": _concat(scen, subsidy.SCENARIO_SCHEMA),
        "calibrations": _concat(cal, CALIBRATIONS_SCHEMA),
        "quality": _concat(notes, QUALITY_SCHEMA),
    }
    return MonthTables(period, tables, provenance(data, period, denominator, provinces))


def provenance(data, period: str, denominator: str, provinces: list[str]) -> dict:
    """Where the tables come from: inputs (sha256 per processed file), parameters, code version."""
    from importlib import metadata

    folder = Path(data.folder)
    inputs = {f.name: atomic.sha256_file(f) for f in sorted(folder.iterdir())
              if f.is_file() and not f.name.startswith(".")}
    try:
        version = metadata.version("jamsos")
    except metadata.PackageNotFoundError:
        version = None
    from jamsos_lib.clean import git_commit
    from jamsos_lib.clock import stamp
    from jamsos_lib.regions import registry_files

    return {
        "period": period,
        "computed_at": stamp(),
        "parameters": {"denominator": denominator, "provinces": list(provinces), "panel_months": PANEL_MONTHS},
        "data_dir": str(folder.resolve()),
        "registry_files": registry_files(),
        "inputs": inputs,
        "processed_manifest_sha256": inputs.get("manifest.json"),
        "code": {"package_version": version, "git_commit": git_commit()},
        "tables": sorted(SCHEMAS),
    }


def write(month: MonthTables, folder: str | Path) -> Path:
    """Write the tables to ``folder`` (usually ``<reports>/<period>/_tables``), all or none:
    the folder is built aside and swapped in."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with atomic.atomic_dir(folder) as tmp:
        for name, frame in month.tables.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / PROVENANCE).write_text(json.dumps(month.provenance, ensure_ascii=False, indent=2, sort_keys=True),
                                      encoding="utf-8")
    return folder


def read(folder: str | Path) -> MonthTables:
    """The tables written by :func:`write`, each checked against its schema."""
    folder = Path(folder)
    sidecar = folder / PROVENANCE
    if not sidecar.exists():
        raise JamsosError(f"no month tables in {folder} ({PROVENANCE} missing): run 'jamsos monthly' first")
    prov = json.loads(sidecar.read_text(encoding="utf-8"))
    tables = {}
    for name, schema in SCHEMAS.items():
        path = folder / f"{name}.parquet"
        try:
            tables[name] = schema.validate(pd.read_parquet(path), lazy=True)
        except (OSError, ValueError) as exc:  # a missing or unreadable file (ArrowInvalid is a ValueError)
            raise JamsosError(f"{path}: not a valid '{name}' month table ({type(exc).__name__}: "
                              f"{str(exc)[:200]}); run 'jamsos monthly' again") from None
        except pandera.errors.SchemaErrors as exc:
            cases = exc.failure_cases.head(5)[["column", "check"]].to_dict("records")
            raise JamsosError(f"{path}: not a valid '{name}' month table (schema {schema.name}: {cases}); "
                              "run 'jamsos monthly' again") from None
    return MonthTables(prov["period"], tables, prov)
