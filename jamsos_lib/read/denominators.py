"""UCJ denominators as published (spec: ``data/raw/README.md``, kind ``denominators``).

A CSV template, one row per region and **year of use** (the UCJ year whose months divide
by the figure)::

    region_code,year,method,denominator,sakernas_year,derived,published_on,source_url,quote,note
    3525,2024,excluding_asn_tni_polri,557575,2023,no,2024-11-21,https://...,"... 557.575 pekerja",= 0,81 of BPS Aug 2023

- ``region_code``: a kab/kota or a province in the registry (a name the registry resolves is
  accepted too).
- ``method``: ``bps_employed``, ``excluding_asn_tni_polri`` or ``ktp_domicile``
  (:data:`jamsos_lib.validate.schemas.DENOMINATOR_METHODS`).
- ``denominator``: whole persons, > 0 (``557575`` or ``557.575``).
- ``sakernas_year``: the BPS August Sakernas the figure rests on, or empty when unknown.
- ``derived``: ``yes`` when the figure is worked out from two published figures (e.g.
  participants ÷ published %), ``no`` (or empty) when stated as such.
- ``published_on``: date of the statement, ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.
- ``quote`` and ``note`` are optional; ``quote`` is kept in the raw file only.

Every problem of the file is raised together (one :class:`InputError`).
Output: the ``denominators`` table (:data:`jamsos_lib.validate.schemas.DENOMINATOR_ROWS`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from jamsos_lib.errors import InputError, Problem
from jamsos_lib.read.cells import cell_text, load_grids
from jamsos_lib.read.provenance import Provenance
from jamsos_lib.read.reference import _region, _Row, check_header
from jamsos_lib.read.result import ReadResult, add_status, check_schema
from jamsos_lib.regions import RegionRegistry, load_registry
from jamsos_lib.validate.schemas import DENOMINATOR_METHODS, DENOMINATOR_ROWS

COLUMNS = ("region_code", "year", "method", "denominator", "sakernas_year", "derived", "published_on", "source_url")
OPTIONAL = ("quote", "note")
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$")
_YES = {
    "yes": True,
    "y": True,
    "ya": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "tidak": False,
    "false": False,
    "0": False,
    "": False,
}


def read_denominators(
    path: str | Path,
    *,
    registry: RegionRegistry | None = None,
    provenance: Provenance | None = None,
    display: str | None = None,
) -> ReadResult:
    """Read the denominators CSV template (see the module docstring)."""
    registry = registry or load_registry()
    display = display or (provenance.source_id if provenance else str(path))
    grid = load_grids(path, display)[0]
    header = check_header(grid, "denominators", COLUMNS, OPTIONAL)
    index = {c: header.index(c) for c in COLUMNS + OPTIONAL if c in header}
    problems: list[Problem] = []
    records: list[dict] = []
    seen: dict[tuple[str, int], int] = {}
    for rownum, cells in grid.rows[1:]:
        row = _Row(grid, rownum, cells, index, problems)
        code = _region(row, "region_code", registry, known_only=True)
        year = row.number("year", required=True, whole=True, lo=2000, hi=2100)
        method = row.choice("method", DENOMINATOR_METHODS)
        text = cell_text(row.raw("denominator"))
        if _THOUSANDS.match(text):  # "557.575": persons with Indonesian thousands separators
            value = int(text.replace(".", ""))
        else:
            value = row.number("denominator", required=True, whole=True, lo=1)
        sakernas = row.number("sakernas_year", whole=True, lo=2000, hi=2100)
        derived_text = row.text("derived").lower()
        if derived_text not in _YES:
            row.fail("derived", "yes or no (or empty for no)")
        published_on = row.text("published_on", required=True)
        if published_on and not _DATE.match(published_on):
            row.fail("published_on", "a date YYYY-MM-DD, YYYY-MM or YYYY")
        if not row.ok:
            continue
        key = (code, int(year))
        if key in seen:
            problems.append(
                grid.problem(
                    f"one row per region and year; the same region and year are on row {seen[key]}",
                    row=rownum,
                    column="year",
                    value=year,
                )
            )
            continue
        seen[key] = rownum
        records.append(
            {
                "region_code": code,
                "year": int(year),
                "method": method,
                "denominator": int(value),
                "sakernas_year": sakernas,
                "derived": _YES[derived_text],
                "published_on": published_on,
                "source_url": row.text("source_url"),
                "note": row.text("note") if "note" in index else "",
            }
        )
    if not records and not problems:
        problems.append(grid.problem("at least one data row under the header"))
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame.from_records(records)
    frame["year"] = frame["year"].astype("int64")
    frame["denominator"] = frame["denominator"].astype("int64")
    frame["sakernas_year"] = pd.array([None if pd.isna(v) else int(v) for v in frame["sakernas_year"]], dtype="Int64")
    frame["derived"] = frame["derived"].astype(bool)
    frame = add_status(frame, provenance, display)
    frame = frame.sort_values(["region_code", "year"], kind="stable").reset_index(drop=True)
    return ReadResult({"denominators": check_schema(frame, DENOMINATOR_ROWS, display)})
