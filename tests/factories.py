"""Hand-made processed data sets for tests: small tables written as Parquet plus a
``manifest.json`` into a folder, then opened with :func:`jamsos_lib.store.load`.

Rows are plain dicts; columns not given get defaults (``status="published"``,
``source_id="test"``, optional columns NA), and each table is coerced to the dtypes of its
schema in :mod:`jamsos_lib.validate.schemas` before it is written, so the store validates
exactly what ``jamsos clean`` would write.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd

from jamsos_lib import store
from jamsos_lib.validate.schemas import TABLES

_DEFAULTS = {
    "workers": {"status": "published", "source_id": "test"},
    "participants": {"status": "published", "source_id": "test"},
    "eligibility": {
        "eligible_share": None,
        "eligible_workers": None,
        "basis": "test",
        "status": "published",
        "source_id": "test",
    },
    "denominators": {
        "method": "excluding_asn_tni_polri",
        "sakernas_year": None,
        "derived": False,
        "published_on": "2024",
        "source_url": "https://example.org/denominator",
        "note": "",
        "status": "published",
        "source_id": "test",
    },
    "targets": {
        "document": "test document",
        "basis": "ucj",
        "source_url": "https://example.org/target",
        "status": "published",
        "source_id": "test",
    },
    "rates": {
        "min_rp": None,
        "max_rp": None,
        "basis": "penghasilan",
        "valid_from": None,
        "valid_to": None,
        "source_url": "https://example.org/rate",
        "status": "published",
        "source_id": "test",
    },
    "programmes": {
        "budget_rp": None,
        "persons": None,
        "months": None,
        "funding_source": "APBD",
        "programs": "JKK+JKM",
        "source_url": "https://example.org/programme",
        "status": "published",
        "source_id": "test",
    },
    "sources": {},
    "quality": {},
}

#: The BPU rows of the published contribution-rate table (PP 44/2015, PP 46/2015), with
#: ``kind="percent"`` values in percent units.
BPU_RATES = [
    {
        "segment": "BPU",
        "program": "JKK",
        "kind": "percent",
        "value": 1.0,
        "min_rp": 10000.0,
        "max_rp": 207000.0,
        "legal_basis": "PP 44/2015 (amended PP 82/2019)",
        "valid_from": "2015-07-01",
    },
    {
        "segment": "BPU",
        "program": "JKM",
        "kind": "amount",
        "value": 6800.0,
        "legal_basis": "PP 44/2015",
        "valid_from": "2015-07-01",
    },
    {
        "segment": "BPU",
        "program": "JHT",
        "kind": "percent",
        "value": 2.0,
        "legal_basis": "PP 46/2015; Permenaker 1/2016",
        "valid_from": "2015-07-01",
    },
]


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    schema = TABLES[name]
    columns = [c for c, col in schema.columns.items() if col.required or any(c in r for r in rows)]
    records = [{**_DEFAULTS[name], **r} for r in rows]
    frame = pd.DataFrame(records, columns=columns)
    coercing = copy.deepcopy(schema)
    coercing.coerce = True
    for col in coercing.columns.values():
        col.coerce = True
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series(dtype=str(schema.columns[c].dtype)) for c in columns})
    return coercing.validate(frame)


def write_processed(folder: str | Path, **tables: list[dict]) -> store.Dataset:
    """Write the given tables (``workers=[{...}, ...]``, ...) and empty others; return the Dataset."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"unknown tables {sorted(unknown)}")
    for name in TABLES:
        _frame(name, tables.get(name, [])).to_parquet(folder / f"{name}.parquet", index=False)
    (folder / store.MANIFEST).write_text(json.dumps({"made_by": "tests/factories.py"}), encoding="utf-8")
    return store.load(folder)


def segment_rows(period: str, region_code: str, status: str = "published", **counts: int) -> list[dict]:
    """``segment_rows("2024-11", "3503", PU=38595, BPU=14468)`` -> participants rows."""
    return [
        {"period": period, "region_code": region_code, "segment": seg.upper(), "participants": n, "status": status}
        for seg, n in counts.items()
    ]


def monthly_rows(
    region_code: str, start: str, values: list[int], segment: str = "PU", status: str = "published"
) -> list[dict]:
    """One participants row per month from ``start`` with the given counts."""
    first = pd.Period(start, freq="M")
    return [
        {
            "period": (first + i).strftime("%Y-%m"),
            "region_code": region_code,
            "segment": segment,
            "participants": v,
            "status": status,
        }
        for i, v in enumerate(values)
    ]
