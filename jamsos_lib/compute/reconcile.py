"""Reconciliation of person-level lists by NIK: duplicates, overlaps ("tumpang tindih"),
assignment by NIK domicile, and the corrected coverage per kab/kota.

All joins and de-duplication run in an embedded DuckDB (:func:`connect`: in memory, with
a ``memory_limit`` and a private temporary folder for spilling, removed afterwards so no
NIK stays on disk). Only aggregates leave this module; the published (suppressed) tables
are made by :func:`publish` with :mod:`jamsos_lib.present.privacy`.

Definitions
-----------
Participant rows
    Rows of the participant lists that are **active** (status aktif, or no status column)
    and of the period (``--period``; rows without a period belong to every period).
Person
    One valid NIK. A person in PU and BPU, in two files or twice in one file is one person.
Registration region of a person
    The kab/kota of the person's first row by segment (PU, JAKON, PMI, BPU, unknown) and
    then by file and row order; rows whose kab/kota could not be resolved have none.
Domicile
    The kab/kota of the NIK's first four digits, as UCJ counts (``domain.md`` §2, Lumajang).
Per kab/kota (``coverage`` table) the adjustment chain is::

    reported  (active rows registered here, invalid NIKs included)
    - duplicates (rows of persons already counted: reported - invalid - persons registered here)
    + moved_in  (persons with a NIK of this kab/kota registered elsewhere or nowhere)
    - moved_out (persons registered here with a NIK of another kab/kota or province)
    = corrected (persons with a NIK of this kab/kota + rows with an invalid NIK, kept as reported)

    coverage_before = reported ÷ workers, coverage_after = corrected ÷ workers (percent),
    where workers is the denominator of :func:`jamsos_lib.compute.coverage.coverage_table`.

Recipients already active participants (``overlaps`` table)
    Per recipient kab/kota (the list's kab/kota column, else the NIK domicile) and
    programme: unique valid recipients, of whom already active participants (by their main
    segment), and the money that would be paid twice = Σ months funded × monthly rate over
    those persons (rate: the list's rate column, else the default, BPU JKK + JKM
    Rp 16.800 a month).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd
import pandera.pandas as pa

from jamsos_lib.errors import JamsosError
from jamsos_lib.read.persons import PersonList
from jamsos_lib.regions import RegionRegistry, load_registry

log = logging.getLogger(__name__)

#: Official BPU JKK + JKM minimum package, Rupiah per person per month (domain.md §3).
DEFAULT_BPU_RATE_RP = 16_800
DEFAULT_MONTHS = 12
SEGMENT_RANK = "CASE segment WHEN 'PU' THEN 1 WHEN 'JAKON' THEN 2 WHEN 'PMI' THEN 3 WHEN 'BPU' THEN 4 ELSE 5 END"

_count = pa.Column("int64", pa.Check.ge(0))
_code4 = pa.Column(str, pa.Check.str_matches(r"^\d{4}$"))

#: Corrected coverage per kab/kota (one row per kab/kota with any row or domicile), unsuppressed.
COVERAGE = pa.DataFrameSchema(
    {
        "region_code": _code4,
        "region_name": pa.Column(str),
        "reported": _count,
        "invalid_nik": _count,
        "duplicates": _count,
        "moved_in": _count,
        "moved_out": _count,
        "corrected": _count,
        "registered_and_domiciled": _count,
        "workers": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "coverage_before_pct": pa.Column(float, pa.Check.ge(0), nullable=True),
        "coverage_after_pct": pa.Column(float, pa.Check.ge(0), nullable=True),
        "published_participants": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "published_coverage_pct": pa.Column(float, nullable=True),
        "explanation": pa.Column(str),
    },
    checks=[pa.Check(lambda d: (d["reported"] - d["duplicates"] + d["moved_in"] - d["moved_out"]
                                == d["corrected"]).all(), error="reported - duplicates + in - out = corrected")],
    unique=["region_code"],
    strict=True,
    name="reconciliation coverage",
)

#: Unique persons by NIK domicile × registration kab/kota (registration NULL = unresolved).
FLOWS = pa.DataFrameSchema(
    {
        "domicile_code": _code4,
        "domicile_name": pa.Column(str),
        "registration_code": pa.Column(str, nullable=True),
        "registration_name": pa.Column(str),
        "same_region": pa.Column(bool),
        "persons": _count,
    },
    unique=["domicile_code", "registration_code"],
    strict=True,
    name="reconciliation flows",
)

#: Recipients (per recipient kab/kota and programme) who already are active participants.
OVERLAPS = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str, nullable=True),
        "region_name": pa.Column(str),
        "programme": pa.Column(str),
        "recipient_rows": _count,
        "invalid_nik": _count,
        "duplicate_rows": _count,
        "recipients": _count,
        "already_participant": _count,
        "already_pu": _count,
        "already_bpu": _count,
        "already_jakon": _count,
        "already_pmi": _count,
        "already_unknown_segment": _count,
        "not_participant": _count,
        "double_paid_rp": pa.Column(float, pa.Check.ge(0)),
    },
    checks=[pa.Check(lambda d: (d["already_participant"] + d["not_participant"] == d["recipients"]).all()),
            pa.Check(lambda d: (d["already_pu"] + d["already_bpu"] + d["already_jakon"] + d["already_pmi"]
                                + d["already_unknown_segment"] == d["already_participant"]).all())],
    strict=True,
    name="reconciliation overlaps",
)

#: Invalid rows per file and reason (rows, not persons: a data-quality table).
INVALID = pa.DataFrameSchema(
    {
        "file": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(["participants", "recipients"])),
        "reason": pa.Column(str),
        "rows": _count,
    },
    strict=True,
    name="reconciliation invalid rows",
)


@contextlib.contextmanager
def connect(memory_limit: str = "3GB", threads: int | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """In-memory DuckDB with a memory limit and a private spill folder (mode 700), removed on exit."""
    tmp = tempfile.mkdtemp(prefix="jamsos-duckdb-")
    os.chmod(tmp, 0o700)
    con = duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": tmp,
                                 "preserve_insertion_order": True,
                                 **({"threads": int(threads)} if threads else {})})
    try:
        yield con
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)


def default_rate() -> tuple[float, str]:
    """Monthly bantuan iuran rate per person and where it comes from."""
    try:
        from jamsos_lib.compute.subsidy import bpu_contribution  # written by the analytics engineer
    except ImportError:
        return float(DEFAULT_BPU_RATE_RP), "BPU JKK + JKM minimum package Rp 16.800/month (PP 44/2015)"
    try:
        value = bpu_contribution()
        value = float(getattr(value, "total", value))
        return value, "jamsos_lib.compute.subsidy.bpu_contribution()"
    except Exception:  # noqa: BLE001 - fall back to the official figure, and say so
        return float(DEFAULT_BPU_RATE_RP), "BPU JKK + JKM minimum package Rp 16.800/month (PP 44/2015)"


@dataclass
class Result:
    """Unsuppressed reconciliation tables (internal; publish with :func:`publish`)."""

    coverage: pd.DataFrame
    flows: pd.DataFrame
    overlaps: pd.DataFrame
    invalid: pd.DataFrame
    summary: dict = field(default_factory=dict)


def _names(registry: RegionRegistry) -> dict[str, str]:
    return {r.region_code: r.official_name for r in registry.table.itertuples(index=False)}


def _union(lists: list[PersonList], columns: str) -> str:
    parts = [f"SELECT {columns} FROM {p.table} t LEFT JOIN regmap_{p.file_id} m USING (region_raw)"
             if "region" in p.columns_used else
             f"SELECT {columns.replace('m.region_code', 'NULL::VARCHAR')} FROM {p.table} t" for p in lists]
    return " UNION ALL ".join(parts)


def reconcile(con: duckdb.DuckDBPyConnection, participants: list[PersonList], recipients: list[PersonList] = (),
              period: str | None = None, workers: pd.DataFrame | None = None,
              rate_rp: float | None = None, default_months: int = DEFAULT_MONTHS,
              registry: RegionRegistry | None = None) -> Result:
    """Reconcile loaded lists (see module docstring). ``workers``: region_code, workers,
    optionally participants/coverage_pct (the published figures) — usually from
    :func:`workers_for_reconciliation`."""
    registry = registry or load_registry()
    names = _names(registry)
    if not participants:
        raise JamsosError("no participant list given")
    recipients = list(recipients)
    rate_source = "given (--rate)"
    if rate_rp is None:
        rate_rp, rate_source = default_rate()

    # -- participants of the period ------------------------------------------------
    cols = (f"t.file_id, t.row_no, t.nik, t.nik_reason, t.domicile_code, t.in_registry, "
            f"m.region_code AS registration_code, t.segment, t.active, t.period")
    con.execute(f"CREATE OR REPLACE TEMP TABLE p_rows AS {_union(participants, cols)}")
    periods = [r[0] for r in con.execute("SELECT DISTINCT period FROM p_rows WHERE period IS NOT NULL ORDER BY 1").fetchall()]
    notes = []
    if period is None and periods:
        period = periods[-1]
        if len(periods) > 1:
            notes.append(f"the lists hold {len(periods)} periods ({periods[0]} .. {periods[-1]}); "
                         f"reconciled {period} (use --period)")
    if period is not None:
        other = con.execute("SELECT count(*) FROM p_rows WHERE period IS NOT NULL AND period <> ?", [period]).fetchone()[0]
        if periods and period not in periods:
            raise JamsosError(f"period {period} is not in the participant lists (they hold {', '.join(periods[:12])})")
        con.execute("DELETE FROM p_rows WHERE period IS NOT NULL AND period <> ?", [period])
    else:
        other = 0
    inactive = con.execute("SELECT count(*) FROM p_rows WHERE active IS NOT TRUE").fetchone()[0]
    con.execute("DELETE FROM p_rows WHERE active IS NOT TRUE")

    # -- persons: one row per valid NIK ------------------------------------------------
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE persons AS
        SELECT nik, any_value(domicile_code) AS domicile_code, bool_or(in_registry) AS in_registry,
               arg_min(registration_code, {SEGMENT_RANK} * 1000000000000000 + file_id * 10000000000 + row_no)
                   AS registration_code,
               arg_min(segment, {SEGMENT_RANK} * 1000000000000000 + file_id * 10000000000 + row_no) AS main_segment,
               count(*) AS n_rows, count(DISTINCT file_id) AS n_files,
               count(DISTINCT segment) AS n_segments,
               count(*) - count(DISTINCT file_id) AS repeats_within_files
        FROM p_rows WHERE nik IS NOT NULL GROUP BY nik""")

    # -- per kab/kota -------------------------------------------------------------
    cov = con.execute("""
        WITH rep AS (
            SELECT registration_code AS region_code, count(*) AS reported,
                   count(*) FILTER (WHERE nik IS NULL) AS invalid_nik
            FROM p_rows WHERE registration_code IS NOT NULL GROUP BY 1),
        reg AS (
            SELECT registration_code AS region_code, count(*) AS persons_registered,
                   count(*) FILTER (WHERE domicile_code IS DISTINCT FROM registration_code) AS moved_out,
                   count(*) FILTER (WHERE domicile_code = registration_code) AS registered_and_domiciled
            FROM persons WHERE registration_code IS NOT NULL GROUP BY 1),
        dom AS (
            SELECT domicile_code AS region_code, count(*) AS persons_domiciled,
                   count(*) FILTER (WHERE registration_code IS DISTINCT FROM domicile_code) AS moved_in
            FROM persons WHERE in_registry GROUP BY 1)
        SELECT region_code,
               coalesce(reported, 0) AS reported, coalesce(invalid_nik, 0) AS invalid_nik,
               coalesce(reported, 0) - coalesce(invalid_nik, 0) - coalesce(persons_registered, 0) AS duplicates,
               coalesce(moved_in, 0) AS moved_in, coalesce(moved_out, 0) AS moved_out,
               coalesce(invalid_nik, 0) + coalesce(persons_domiciled, 0) AS corrected,
               coalesce(registered_and_domiciled, 0) AS registered_and_domiciled
        FROM rep FULL JOIN reg USING (region_code) FULL JOIN dom USING (region_code)
        ORDER BY region_code""").df()
    cov = cov[cov["region_code"].isin(set(registry.kabkota_codes()))].reset_index(drop=True)
    for c in ("reported", "invalid_nik", "duplicates", "moved_in", "moved_out", "corrected", "registered_and_domiciled"):
        cov[c] = cov[c].astype("int64")
    cov["region_code"] = cov["region_code"].astype(str)
    cov.insert(1, "region_name", [names.get(c, c) for c in cov["region_code"]])
    cov = _attach_workers(cov, workers)
    cov["explanation"] = [_explain(r) for r in cov.itertuples(index=False)]
    cov = COVERAGE.validate(cov)

    # -- flows --------------------------------------------------------------------------
    flows = con.execute("""
        SELECT domicile_code, registration_code, count(*) AS persons FROM persons
        GROUP BY 1, 2 ORDER BY 1, 2 NULLS LAST""").df()
    flows["domicile_code"] = flows["domicile_code"].astype(str)
    flows["registration_code"] = flows["registration_code"].astype(object).where(flows["registration_code"].notna(), None)
    flows["domicile_name"] = [names.get(c, f"outside the registry ({c[:2]})") for c in flows["domicile_code"]]
    flows["registration_name"] = [names.get(c, c) if c else "unknown (kab/kota not resolved)" for c in flows["registration_code"]]
    flows["same_region"] = flows["domicile_code"] == flows["registration_code"]
    flows["persons"] = flows["persons"].astype("int64")
    flows = FLOWS.validate(flows[list(FLOWS.columns)])

    # -- recipients ------------------------------------------------------------------
    if recipients:
        rcols = ("t.file_id, t.row_no, t.nik, t.nik_reason, t.domicile_code, m.region_code AS list_region, "
                 "coalesce(t.programme, '(no programme column)') AS programme, t.months, t.rate_rp")
        con.execute(f"CREATE OR REPLACE TEMP TABLE r_rows AS {_union(recipients, rcols)}")
        con.execute("UPDATE r_rows SET list_region = domicile_code WHERE list_region IS NULL")
        ov = con.execute(f"""
            WITH r AS (
                SELECT list_region AS region_code, programme, nik,
                       max(coalesce(CASE WHEN months BETWEEN 1 AND 12 THEN months END, $months)) AS months,
                       max(coalesce(rate_rp, $rate)) AS rate
                FROM r_rows WHERE nik IS NOT NULL GROUP BY 1, 2, 3),
            rows AS (
                SELECT list_region AS region_code, programme, count(*) AS recipient_rows,
                       count(*) FILTER (WHERE nik IS NULL) AS invalid_nik
                FROM r_rows GROUP BY 1, 2)
            SELECT region_code, programme, rows.recipient_rows, rows.invalid_nik,
                   rows.recipient_rows - rows.invalid_nik - count(r.nik) AS duplicate_rows,
                   count(r.nik) AS recipients,
                   count(p.nik) AS already_participant,
                   count(p.nik) FILTER (WHERE p.main_segment = 'PU') AS already_pu,
                   count(p.nik) FILTER (WHERE p.main_segment = 'BPU') AS already_bpu,
                   count(p.nik) FILTER (WHERE p.main_segment = 'JAKON') AS already_jakon,
                   count(p.nik) FILTER (WHERE p.main_segment = 'PMI') AS already_pmi,
                   count(p.nik) FILTER (WHERE p.main_segment IS NULL AND p.nik IS NOT NULL) AS already_unknown_segment,
                   count(r.nik) - count(p.nik) AS not_participant,
                   coalesce(sum(r.months * r.rate) FILTER (WHERE p.nik IS NOT NULL), 0) AS double_paid_rp
            FROM rows LEFT JOIN r USING (region_code, programme) LEFT JOIN persons p ON p.nik = r.nik
            GROUP BY region_code, programme, rows.recipient_rows, rows.invalid_nik
            ORDER BY region_code NULLS LAST, programme""", {"months": int(default_months), "rate": float(rate_rp)}).df()
        several = con.execute("SELECT count(*) FROM (SELECT nik FROM r_rows WHERE nik IS NOT NULL GROUP BY nik "
                              "HAVING count(DISTINCT programme) > 1)").fetchone()[0]
        unique_recipients = con.execute("SELECT count(DISTINCT nik) FROM r_rows").fetchone()[0]
        unique_overlap = con.execute("SELECT count(*) FROM (SELECT DISTINCT nik FROM r_rows) r JOIN persons p USING (nik)").fetchone()[0]
    else:
        ov = pd.DataFrame(columns=[c for c in OVERLAPS.columns if c != "region_name"])
        several = unique_recipients = unique_overlap = 0
    ov["region_code"] = ov["region_code"].astype(object).where(ov["region_code"].notna(), None)
    ov.insert(1, "region_name", [names.get(c, f"outside the registry ({c})") if c else "unknown" for c in ov["region_code"]])
    ov["programme"] = ov["programme"].astype(str)
    for c in OVERLAPS.columns:
        if c not in ("region_code", "region_name", "programme", "double_paid_rp"):
            ov[c] = ov[c].astype("int64")
    ov["double_paid_rp"] = ov["double_paid_rp"].astype(float)
    ov = OVERLAPS.validate(ov[list(OVERLAPS.columns)])

    # -- invalid rows and summary -------------------------------------------------
    inv = pd.DataFrame(
        [{"file": p.path.name, "kind": p.kind, "reason": reason, "rows": n}
         for p in [*participants, *recipients] for reason, n in p.invalid_by_reason.items()],
        columns=list(INVALID.columns)).astype({"rows": "int64"})
    inv = INVALID.validate(inv)

    dup = con.execute("""SELECT count(*) FILTER (WHERE n_rows > 1), coalesce(sum(n_rows - 1), 0),
                                count(*) FILTER (WHERE n_files > 1), count(*) FILTER (WHERE n_segments > 1),
                                coalesce(sum(repeats_within_files), 0), count(*),
                                count(*) FILTER (WHERE NOT in_registry)
                         FROM persons""").fetchone()
    rows_valid, rows_invalid = con.execute(
        "SELECT count(*) FILTER (WHERE nik IS NOT NULL), count(*) FILTER (WHERE nik IS NULL) FROM p_rows").fetchone()
    unresolved = con.execute("SELECT count(*) FROM p_rows WHERE registration_code IS NULL").fetchone()[0]
    summary = {
        "period": period,
        "notes": notes,
        "participant_rows_read": int(sum(p.rows for p in participants)),
        "recipient_rows_read": int(sum(p.rows for p in recipients)),
        "rows_other_periods": int(other),
        "rows_inactive": int(inactive),
        "active_rows": int(rows_valid + rows_invalid),
        "active_rows_invalid_nik": int(rows_invalid),
        "active_rows_unresolved_region": int(unresolved),
        "unique_persons": int(dup[5]),
        "persons_outside_registry": int(dup[6]),
        "duplicate_rows": int(dup[1]),
        "persons_with_duplicates": int(dup[0]),
        "persons_in_several_files": int(dup[2]),
        "persons_in_several_segments": int(dup[3]),
        "duplicate_rows_within_a_file": int(dup[4]),
        "unique_recipients": int(unique_recipients),
        "recipients_already_participants": int(unique_overlap),
        "recipients_in_several_programmes": int(several),
        "double_paid_rp": float(ov["double_paid_rp"].sum()) if len(ov) else 0.0,
        "rate_rp_per_month": float(rate_rp),
        "rate_source": rate_source,
        "default_months": int(default_months),
    }
    return Result(coverage=cov, flows=flows, overlaps=ov, invalid=inv, summary=summary)


def _attach_workers(cov: pd.DataFrame, workers: pd.DataFrame | None) -> pd.DataFrame:
    cov = cov.copy()
    if workers is None or workers.empty:
        cov["workers"] = pd.array([pd.NA] * len(cov), dtype="Int64")
        cov["published_participants"] = pd.array([pd.NA] * len(cov), dtype="Int64")
        cov["published_coverage_pct"] = [None] * len(cov)
    else:
        w = workers.set_index("region_code")
        cov["workers"] = pd.array([None if pd.isna(v) else int(v) for v in cov["region_code"].map(w["workers"])], dtype="Int64")
        pub = w["participants"] if "participants" in w else pd.Series(dtype="float")
        cov["published_participants"] = pd.array([None if pd.isna(v) else int(v) for v in cov["region_code"].map(pub)], dtype="Int64")
        pct = w["coverage_pct"] if "coverage_pct" in w else pd.Series(dtype="float")
        cov["published_coverage_pct"] = [None if pd.isna(v) else float(v) for v in cov["region_code"].map(pct)]
    wk = cov["workers"].astype("Float64")
    cov["coverage_before_pct"] = (cov["reported"] / wk * 100).where(wk > 0).astype(float)
    cov["coverage_after_pct"] = (cov["corrected"] / wk * 100).where(wk > 0).astype(float)
    cov["published_coverage_pct"] = cov["published_coverage_pct"].astype(float)
    return cov


def _explain(r) -> str:
    parts = [f"{r.reported} active rows registered here"]
    if r.duplicates:
        parts.append(f"minus {r.duplicates} duplicate rows (same NIK counted again, e.g. in PU and BPU or in two lists)")
    if r.moved_in:
        parts.append(f"plus {r.moved_in} persons with a NIK of this kab/kota registered elsewhere")
    if r.moved_out:
        parts.append(f"minus {r.moved_out} persons registered here with a NIK of another kab/kota or province")
    text = ", ".join(parts) + f" = {r.corrected} by NIK domicile (as UCJ counts)"
    if r.invalid_nik:
        text += f"; {r.invalid_nik} rows with an invalid NIK are kept as reported (they cannot be checked)"
    if pd.isna(r.workers):
        text += "; no worker figure for this kab/kota, so no coverage"
    return text


def workers_for_reconciliation(data_folder: str | Path | None, period: str | None,
                               denominator: str = "eligible") -> tuple[pd.DataFrame | None, str]:
    """Workers (and published participants/coverage) per kab/kota from the processed data.

    Returns (table with region_code, workers, participants, coverage_pct; or None) and a
    note saying where the figures come from or why there are none.
    """
    from jamsos_lib import store

    try:
        data = store.load(data_folder)
    except JamsosError as exc:
        return None, f"no worker figures: {exc}"
    try:
        from jamsos_lib.compute.coverage import coverage_table
    except ImportError:
        return None, "no worker figures: jamsos_lib.compute.coverage is not available"
    try:
        use = period if period in set(data.periods) else None
        table = coverage_table(data, use, denominator)
    except JamsosError as exc:
        return None, f"no worker figures: {exc}"
    table = table[table["level"] == "kabkota"] if "level" in table else table
    den = "denominator" if "denominator" in table else "workers"
    out = pd.DataFrame({"region_code": table["region_code"].astype(str), "workers": table[den],
                        "participants": table["participants"], "coverage_pct": table["coverage_pct"]})
    kind = table["denominator_kind"].iloc[0] if "denominator_kind" in table and len(table) else denominator
    return out, f"workers: {kind} denominator of coverage_table for {table['period'].iloc[0] if 'period' in table and len(table) else period}"


# -- published (suppressed) tables ---------------------------------------------------
COVERAGE_COUNTS = ["reported", "invalid_nik", "duplicates", "moved_in", "moved_out", "corrected",
                   "registered_and_domiciled"]
OVERLAP_COUNTS = ["recipient_rows", "invalid_nik", "duplicate_rows", "recipients", "already_participant",
                  "already_pu", "already_bpu", "already_jakon", "already_pmi", "already_unknown_segment",
                  "not_participant"]
_cell = pa.Column(str, pa.Check.str_matches(r"^(\d+|<10|s)$"))

#: Published coverage table: counts as text ("1234", "<10", "s"), a total row last.
PUBLISHED_COVERAGE = pa.DataFrameSchema(
    {"region_code": pa.Column(str), "region_name": pa.Column(str),
     **{c: _cell for c in COVERAGE_COUNTS},
     "workers": pa.Column("Int64", nullable=True),
     "coverage_before_pct": pa.Column(float, nullable=True),
     "coverage_after_pct": pa.Column(float, nullable=True),
     "published_participants": pa.Column("Int64", nullable=True),
     "published_coverage_pct": pa.Column(float, nullable=True),
     "explanation": pa.Column(str)},
    strict=True, name="published reconciliation coverage")
PUBLISHED_FLOWS = pa.DataFrameSchema(
    {"domicile_code": pa.Column(str), "domicile_name": pa.Column(str),
     "registration_code": pa.Column(str, nullable=True), "registration_name": pa.Column(str),
     "same_region": pa.Column(bool), "persons": _cell},
    strict=True, name="published reconciliation flows")
PUBLISHED_OVERLAPS = pa.DataFrameSchema(
    {"region_code": pa.Column(str, nullable=True), "region_name": pa.Column(str), "programme": pa.Column(str),
     **{c: _cell for c in OVERLAP_COUNTS}, "double_paid_rp": pa.Column(float, nullable=True)},
    strict=True, name="published reconciliation overlaps")

TOTAL_CODE = "total"


def publish(result: Result) -> dict[str, pd.DataFrame]:
    """Suppressed tables ready to write or show (see :mod:`jamsos_lib.present.privacy`)."""
    from jamsos_lib.present import privacy

    cov = result.coverage.copy()
    total = {c: int(cov[c].sum()) for c in COVERAGE_COUNTS}
    wsum = cov["workers"].sum() if cov["workers"].notna().all() and len(cov) else pd.NA
    cov = pd.concat([cov, pd.DataFrame([{
        "region_code": TOTAL_CODE, "region_name": "Total of the kab/kota above", **total,
        "workers": wsum, "published_participants": pd.NA, "published_coverage_pct": None,
        "coverage_before_pct": None, "coverage_after_pct": None,
        "explanation": "sum of the rows above (persons registered or domiciled outside them are not included)"}])],
        ignore_index=True)
    cov["workers"] = cov["workers"].astype("Int64")
    cov["published_participants"] = cov["published_participants"].astype("Int64")
    if pd.notna(wsum) and wsum:
        cov.loc[len(cov) - 1, "coverage_before_pct"] = total["reported"] / wsum * 100
        cov.loc[len(cov) - 1, "coverage_after_pct"] = total["corrected"] / wsum * 100
    chain = ["reported", "duplicates", "moved_in", "moved_out", "corrected"]
    groups = privacy.row_groups(len(cov), chain) + privacy.column_groups(len(cov), COVERAGE_COUNTS)
    pub_cov, hidden = privacy.suppress(cov, COVERAGE_COUNTS, groups)
    pub_cov = privacy.hide_dependent(pub_cov, hidden, {"coverage_before_pct": ["reported"],
                                                       "coverage_after_pct": ["corrected"]})
    pub_cov["explanation"] = [_explain_published(r) for r in pub_cov.itertuples(index=False)] [:-1] + \
        [pub_cov["explanation"].iloc[-1]]
    for c in ("coverage_before_pct", "coverage_after_pct", "published_coverage_pct"):
        pub_cov[c] = pd.to_numeric(pub_cov[c], errors="coerce").astype(float)
    pub_cov = PUBLISHED_COVERAGE.validate(pub_cov)

    fl = result.flows.reset_index(drop=True)
    fgroups = [list(zip(idx, ["persons"] * len(idx))) for _, idx in
               fl.groupby("domicile_code").indices.items()]
    fgroups += [list(zip(idx, ["persons"] * len(idx))) for _, idx in
                fl.groupby(fl["registration_code"].fillna("?")).indices.items()]
    fgroups = [[(int(r), c) for r, c in g] for g in fgroups]
    pub_flows, _ = privacy.suppress(fl, ["persons"], fgroups)
    pub_flows = PUBLISHED_FLOWS.validate(pub_flows)

    ov = result.overlaps.reset_index(drop=True)
    og = privacy.row_groups(len(ov), ["recipients", "already_participant", "not_participant"])
    og += privacy.row_groups(len(ov), ["already_participant", "already_pu", "already_bpu", "already_jakon",
                                       "already_pmi", "already_unknown_segment"])
    og += privacy.row_groups(len(ov), ["recipient_rows", "invalid_nik", "duplicate_rows", "recipients"])
    pub_ov, ohidden = privacy.suppress(ov, OVERLAP_COUNTS, og)
    pub_ov = privacy.hide_dependent(pub_ov, ohidden, {"double_paid_rp": ["already_participant"]})
    pub_ov["double_paid_rp"] = pd.to_numeric(pub_ov["double_paid_rp"], errors="coerce").astype(float)
    pub_ov = PUBLISHED_OVERLAPS.validate(pub_ov)
    return {"coverage": pub_cov, "flows": pub_flows, "overlaps": pub_ov, "invalid_rows": result.invalid.copy()}


def _explain_published(r) -> str:
    parts = [f"{r.reported} active rows registered here"]
    if r.duplicates != "0":
        parts.append(f"minus {r.duplicates} duplicate rows (same NIK again, e.g. in PU and BPU or in two lists)")
    if r.moved_in != "0":
        parts.append(f"plus {r.moved_in} persons with a NIK of this kab/kota registered elsewhere")
    if r.moved_out != "0":
        parts.append(f"minus {r.moved_out} persons registered here with a NIK of another kab/kota or province")
    text = ", ".join(parts) + f" = {r.corrected} by NIK domicile (as UCJ counts)"
    if r.invalid_nik != "0":
        text += f"; {r.invalid_nik} rows with an invalid NIK are kept as reported (they cannot be checked)"
    if pd.isna(r.workers):
        text += "; no worker figure for this kab/kota, so no coverage"
    return text


# -- reading back -----------------------------------------------------------------
TABLE_NAMES = ("coverage", "flows", "overlaps", "invalid_rows")
_PUBLISHED = {"coverage": PUBLISHED_COVERAGE, "flows": PUBLISHED_FLOWS, "overlaps": PUBLISHED_OVERLAPS,
              "invalid_rows": INVALID}


@dataclass
class Published:
    """A reconciliation folder as written by ``jamsos reconcile`` (suppressed aggregates only)."""

    folder: Path
    coverage: pd.DataFrame
    flows: pd.DataFrame
    overlaps: pd.DataFrame
    invalid_rows: pd.DataFrame
    summary: dict


def load_published(folder: str | Path) -> Published | None:
    """Read a reconciliation folder; None when it does not exist."""
    folder = Path(folder)
    if not (folder / "summary.json").exists():
        return None
    tables = {}
    for name in TABLE_NAMES:
        path = folder / f"{name}.parquet"
        if not path.exists():
            raise JamsosError(f"{path} is missing: run 'jamsos reconcile' again")
        frame = pd.read_parquet(path)
        for col in frame.columns:
            if frame[col].dtype == "string":
                frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
        tables[name] = _PUBLISHED[name].validate(frame)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return Published(folder=folder, summary=summary, **tables)


def quality_notes(published: Published | None, region_code: str) -> list[tuple[str, str]]:
    """(severity, message) notes about one kab/kota for a report's data-quality section.

    Uses only the published (suppressed) figures; Indonesian text for officials.
    """
    if published is None:
        return []
    from jamsos_lib.present import fmt

    def num(v) -> str:
        return v if not str(v).isdigit() else fmt.number(int(v))

    notes: list[tuple[str, str]] = []
    period = published.summary.get("period") or "-"
    cov = published.coverage[published.coverage["region_code"] == str(region_code)]
    if len(cov):
        r = cov.iloc[0]
        text = (f"Rekonsiliasi daftar peserta per NIK ({period}): {num(r['reported'])} baris peserta aktif terdaftar di "
                f"wilayah ini; {num(r['duplicates'])} baris ganda (tumpang tindih), {num(r['moved_in'])} orang ber-NIK "
                f"wilayah ini terdaftar di tempat lain, {num(r['moved_out'])} orang terdaftar di sini dengan NIK wilayah "
                f"lain; setelah koreksi menurut domisili NIK: {num(r['corrected'])} peserta")
        if pd.notna(r["coverage_before_pct"]) and pd.notna(r["coverage_after_pct"]):
            text += (f"; cakupan {fmt.percent(r['coverage_before_pct'])} sebelum dan "
                     f"{fmt.percent(r['coverage_after_pct'])} sesudah koreksi")
        if str(r["invalid_nik"]) != "0":
            text += f"; {num(r['invalid_nik'])} baris dengan NIK tidak valid dibiarkan apa adanya"
        notes.append(("warning", text + "."))
    ov = published.overlaps[published.overlaps["region_code"] == str(region_code)]
    for r in ov.itertuples(index=False):
        text = (f"Penerima bantuan iuran '{r.programme}': {num(r.recipients)} penerima, di antaranya "
                f"{num(r.already_participant)} sudah peserta aktif")
        if pd.notna(r.double_paid_rp) and r.double_paid_rp > 0:
            text += f" (potensi iuran dibayar dua kali {fmt.rupiah(r.double_paid_rp)})"
        notes.append(("warning", text + "."))
    if notes:
        notes.append(("warning", "Angka 1-9 ditampilkan sebagai '<10', dan 's' disembunyikan agar total tidak "
                                 "membuka angka kecil (perlindungan data pribadi, UU 27/2022)."))
    return notes
