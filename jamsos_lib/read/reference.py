"""jamsos's own small reference CSV templates: targets, contribution rates, bantuan iuran
programmes and eligible workers (columns: ``data/raw/README.md``).

These are machine templates: numbers use ``.`` as the decimal mark (``29.44``) and no
thousands separator (a value like ``1.234.567`` is also accepted: it is unambiguous), dates
are ``YYYY-MM-DD``. Every column of the template must be present (a ``note`` column is
optional and not carried into the processed tables); extra columns are an error so that a
misspelt column is never silently ignored.

- ``targets`` -> TARGETS. ``scope`` is ``national`` (``region_code`` empty or ``00``),
  ``province`` or ``region``; ``series`` is one of :data:`TARGET_SERIES`; ``year`` is the
  one year the target applies to; ``basis`` (optional column, default ``ucj``) is the
  denominator the target was set on, one of :data:`~jamsos_lib.validate.schemas.TARGET_BASES`.
  A region code outside the registry is allowed (comparator provinces such as Bali) if well formed.
- ``rates`` -> RATES. ``kind`` is ``percent`` or ``amount``.
- ``programmes`` -> PROGRAMMES. Codes outside the registry are allowed (comparators,
  e.g. Penajam Paser Utara 6409) if well formed.
- ``eligibility`` -> ELIGIBILITY. ``region_code`` must be in the registry; at least one of
  ``eligible_share`` (0..1) and ``eligible_workers`` per row.

Each reader raises one :class:`InputError` with every problem of the file.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Callable

import pandas as pd

from jamsos_lib.errors import InputError, Problem
from jamsos_lib.read.cells import Grid, cell_text, is_nil, load_grids, parse_number
from jamsos_lib.read.provenance import Provenance
from jamsos_lib.read.result import ReadResult, add_status, check_schema
from jamsos_lib.regions import RegionRegistry, UnresolvedRegion, load_registry
from jamsos_lib.validate.schemas import ELIGIBILITY, PROGRAMMES, RATES, TARGET_BASES, TARGETS

#: PEMDA: a kab/kota target stated by its officials without naming a plan document
#: (Kab. Probolinggo's 33% for 2025).
TARGET_SERIES = ("RPJMN", "RKP", "RPJPN", "KEMENDAGRI_UCJ", "PROVINCE", "RPJMD", "RPJPD", "BRANCH", "PEMDA")

COLUMNS = {
    "targets": ("scope", "region_code", "year", "target_pct", "series", "document", "basis", "source_url"),
    "rates": (
        "segment",
        "program",
        "kind",
        "value",
        "min_rp",
        "max_rp",
        "basis",
        "legal_basis",
        "valid_from",
        "valid_to",
        "source_url",
    ),
    "programmes": (
        "region_code",
        "region_name",
        "year",
        "budget_rp",
        "persons",
        "months",
        "funding_source",
        "programs",
        "source_url",
    ),
    "eligibility": ("region_code", "year", "eligible_share", "eligible_workers", "basis", "source_url"),
}
_OPTIONAL = ("note",)
#: Template columns a file may leave out, with the value every row then gets.
_DEFAULTS = {"targets": {"basis": "ucj"}}
_CODE = re.compile(r"^\d{2}(\.?\d{2})?$")


class _Row:
    """Typed access to one CSV row; every bad cell becomes a Problem."""

    def __init__(self, grid: Grid, rownum: int, cells: list, index: dict[str, int], problems: list[Problem]):
        self.grid, self.rownum, self.cells, self.index, self.problems = grid, rownum, cells, index, problems
        self.defaults: dict[str, str] = {}
        self.ok = True

    def raw(self, col: str) -> object:
        i = self.index[col]
        if i is None:  # an optional column the file leaves out
            return self.defaults[col]
        return self.cells[i] if i < len(self.cells) else ""

    def fail(self, col: str, expected: str) -> None:
        self.problems.append(self.grid.problem(expected, row=self.rownum, column=col, value=self.raw(col)))
        self.ok = False

    def text(self, col: str, required: bool = False) -> str:
        value = cell_text(self.raw(col))
        if required and not value:
            self.fail(col, "a value (required)")
        return value

    def number(
        self, col: str, *, required: bool = False, lo: float | None = None, hi: float | None = None, whole: bool = False
    ):
        raw = self.raw(col)
        if is_nil(raw):
            if required:
                self.fail(col, "a number (required)")
            return None
        try:
            text = cell_text(raw)
            value = parse_number(raw, decimal_mark="." if re.fullmatch(r"-?\d+(\.\d+)?", text) else ",")
        except ValueError as exc:
            self.fail(col, str(exc))
            return None
        if whole and not isinstance(value, int):
            self.fail(col, "a whole number")
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.fail(col, f"a number between {lo if lo is not None else '-∞'} and {hi if hi is not None else '∞'}")
            return None
        return value

    def date(self, col: str):
        text = self.text(col)
        if not text:
            return pd.NaT
        try:
            return pd.Timestamp(date.fromisoformat(text))
        except ValueError:
            self.fail(col, "a date YYYY-MM-DD such as 2025-03-01 (or empty)")
            return pd.NaT

    def choice(self, col: str, allowed: tuple[str, ...], *, upper: bool = False) -> str:
        text = self.text(col)
        value = text.upper() if upper else text.lower()
        if value not in allowed:
            self.fail(col, f"one of {', '.join(allowed)}")
        return value


def _region(row: _Row, col: str, registry: RegionRegistry, *, known_only: bool) -> str:
    text = row.text(col)
    if known_only or not _CODE.match(text):
        try:
            return registry.resolve(text)
        except UnresolvedRegion as exc:
            hint = f"; closest: {', '.join(exc.suggestions)}" if exc.suggestions else ""
            row.fail(col, f"a region code in the registry such as 3503 ({exc.reason}{hint})")
            return ""
    return text.replace(".", "")


def _target(row: _Row, registry: RegionRegistry) -> dict:
    scope = row.choice("scope", ("national", "province", "region"))
    if scope == "national":
        code = row.text("region_code") or "00"
        if code != "00":
            row.fail("region_code", "empty or 00 for a national target")
    else:
        code = _region(row, "region_code", registry, known_only=False)
        if code and scope == "province" and len(code) != 2:
            row.fail("region_code", "a two-digit province code for scope province")
        if code and scope == "region" and len(code) != 4:
            row.fail("region_code", "a four-digit kab/kota code for scope region")
    return {
        "scope": scope,
        "region_code": code,
        "year": row.number("year", required=True, whole=True, lo=2000, hi=2100),
        "target_pct": row.number("target_pct", required=True, lo=0, hi=100),
        "series": row.choice("series", TARGET_SERIES, upper=True),
        "document": row.text("document", True),
        "basis": row.choice("basis", TARGET_BASES),
        "source_url": row.text("source_url"),
    }


def _rate(row: _Row, registry: RegionRegistry) -> dict:
    return {
        "segment": row.text("segment", True),
        "program": row.text("program", True),
        "kind": row.choice("kind", ("percent", "amount")),
        "value": row.number("value", required=True, lo=0),
        "min_rp": row.number("min_rp", lo=0),
        "max_rp": row.number("max_rp", lo=0),
        "basis": row.text("basis"),
        "legal_basis": row.text("legal_basis"),
        "valid_from": row.date("valid_from"),
        "valid_to": row.date("valid_to"),
        "source_url": row.text("source_url"),
    }


def _programme(row: _Row, registry: RegionRegistry) -> dict:
    return {
        "region_code": _region(row, "region_code", registry, known_only=False),
        "region_name": row.text("region_name", True),
        "year": row.number("year", required=True, whole=True, lo=2000, hi=2100),
        "budget_rp": row.number("budget_rp", lo=0),
        "persons": row.number("persons", lo=0, whole=True),
        "months": row.number("months", lo=1, hi=12, whole=True),
        "funding_source": row.text("funding_source"),
        "programs": row.text("programs"),
        "source_url": row.text("source_url"),
    }


def _eligibility(row: _Row, registry: RegionRegistry) -> dict:
    rec = {
        "region_code": _region(row, "region_code", registry, known_only=True),
        "year": row.number("year", required=True, whole=True, lo=2000, hi=2100),
        "eligible_share": row.number("eligible_share", lo=0, hi=1),
        "eligible_workers": row.number("eligible_workers", lo=0, whole=True),
        "basis": row.text("basis", True),
    }
    if row.ok and rec["eligible_share"] is None and rec["eligible_workers"] is None:
        row.fail("eligible_share", "eligible_share or eligible_workers (both are empty)")
    return rec


_PARSERS: dict[str, tuple[Callable[[_Row, RegionRegistry], dict], object, list[str]]] = {
    "targets": (_target, TARGETS, ["scope", "region_code", "year", "series"]),
    "rates": (_rate, RATES, []),
    "programmes": (_programme, PROGRAMMES, []),
    "eligibility": (_eligibility, ELIGIBILITY, ["region_code", "year"]),
}
_DTYPES = {
    "year": "int64",
    "target_pct": "float64",
    "value": "float64",
    "min_rp": "float64",
    "max_rp": "float64",
    "budget_rp": "float64",
    "persons": "Int64",
    "months": "Int64",
    "eligible_share": "float64",
    "eligible_workers": "Int64",
    "valid_from": "datetime64[ns]",
    "valid_to": "datetime64[ns]",
}


def check_header(grid: Grid, kind: str, expected, optional=_OPTIONAL, defaults=()) -> list[str]:
    """The header row of a template CSV, lower-cased; one :class:`InputError` naming the
    missing columns (those without a default) and the unexpected ones."""
    header_row = grid.rows[0][0]
    header = [t.strip().lower() for t in grid.texts(grid.rows[0][1])]
    missing = [c for c in expected if c not in header and c not in defaults]
    extra = [c for c in header if c and c not in expected and c not in optional]
    if missing or extra:
        detail = "; ".join(
            x
            for x in (
                f"missing: {', '.join(missing)}" if missing else "",
                f"unexpected: {', '.join(extra)}" if extra else "",
            )
            if x
        )
        raise InputError(
            grid.problem(
                f"the {kind} header '{','.join(expected)}[,{','.join(optional)}]' ({detail})",
                row=header_row,
                value=",".join(header),
            )
        )
    return header


def read_reference(
    kind: str,
    path: str | Path,
    *,
    registry: RegionRegistry | None = None,
    provenance: Provenance | None = None,
    display: str | None = None,
) -> ReadResult:
    """Read one reference CSV of ``kind`` (targets, rates, programmes, eligibility)."""
    if kind not in _PARSERS:
        raise ValueError(f"unknown reference kind {kind!r}")
    registry = registry or load_registry()
    display = display or (provenance.source_id if provenance else str(path))
    parse, schema, key = _PARSERS[kind]
    grid = load_grids(path, display)[0]
    expected = COLUMNS[kind]
    defaults = _DEFAULTS.get(kind, {})
    header = check_header(grid, kind, expected, _OPTIONAL, defaults)
    index = {c: header.index(c) if c in header else None for c in expected}
    problems: list[Problem] = []
    records: list[dict] = []
    seen: dict[tuple, int] = {}
    for rownum, cells in grid.rows[1:]:
        row = _Row(grid, rownum, cells, index, problems)
        row.defaults = defaults
        rec = parse(row, registry)
        if not row.ok:
            continue
        if key:
            k = tuple(rec[c] for c in key)
            if k in seen:
                problems.append(
                    grid.problem(
                        f"one row per {', '.join(key)}; the same key is on row {seen[k]}",
                        row=rownum,
                        column=key[0],
                        value=rec[key[0]],
                    )
                )
                continue
            seen[k] = rownum
        records.append(rec)
    if not records and not problems:
        problems.append(grid.problem("at least one data row under the header"))
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame.from_records(records, columns=list(records[0].keys()))
    for col, dtype in _DTYPES.items():
        if col in frame:
            frame[col] = (
                frame[col].astype(dtype)
                if dtype.startswith("datetime")
                else pd.array(
                    [None if v is None or pd.isna(v) else v for v in frame[col]],
                    dtype="Int64" if dtype == "Int64" else "float64" if dtype == "float64" else "int64",
                )
            )
    for col in frame.columns:
        if col not in _DTYPES:
            frame[col] = frame[col].astype(str)
    frame = add_status(frame, provenance, display)
    return ReadResult({kind: check_schema(frame, schema, display)})


def read_targets(path, **kw) -> ReadResult:
    return read_reference("targets", path, **kw)
