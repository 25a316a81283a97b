"""Reconciliation of person-level lists by NIK: duplicates, overlaps ("tumpang tindih"),
assignment by NIK domicile, and the corrected coverage per kab/kota.

All joins and de-duplication run in an embedded DuckDB (:func:`connect`: in memory, with
a ``memory_limit`` and a private temporary folder for spilling). Spill files hold NIKs (as
8-byte integers), so the folder (``jamsos-duckdb-<pid>-*`` in the system temp folder, mode
700) is removed when the connection closes, after an error too; a run killed with
``kill -9`` cannot remove it, so every :func:`connect` first removes the folders of runs
whose process is gone (:func:`remove_stale_temp_folders`), never one of a run still going. Only unsuppressed aggregates leave this module (:class:`Result`); the
published tables are made from them, with small cells suppressed, by
:func:`jamsos_lib.present.reconciliation.publish` before anything is written or shown.

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
    those persons (rate: the list's rate column, else ``--rate``, else the BPU JKK + JKM
    package in force in the period from the processed rates table, Rp 16.800 a month at
    the minimum income under PP 44/2015; see :func:`recipient_rate`).
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

from jamsos_lib.compute.constants import DEFAULT_MEMORY_LIMIT, DEFAULT_MONTHS  # noqa: F401 - re-exported
from jamsos_lib.compute.subsidy import Contribution, bpu_contribution, contribution_from_rate
from jamsos_lib.errors import JamsosError
from jamsos_lib.read.persons import PersonList
from jamsos_lib.regions import RegionRegistry, load_registry
from jamsos_lib.validate.nik import NIK_KAB, key_columns_sql
from jamsos_lib.validate.reconciliation import COVERAGE_COUNTS, INVALID, TABLES as PUBLISHED_TABLES

log = logging.getLogger(__name__)

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
    checks=[
        pa.Check(
            lambda d: (d["reported"] - d["duplicates"] + d["moved_in"] - d["moved_out"] == d["corrected"]).all(),
            error="reported - duplicates + in - out = corrected",
        )
    ],
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
    checks=[
        pa.Check(lambda d: (d["already_participant"] + d["not_participant"] == d["recipients"]).all()),
        pa.Check(
            lambda d: (
                d["already_pu"]
                + d["already_bpu"]
                + d["already_jakon"]
                + d["already_pmi"]
                + d["already_unknown_segment"]
                == d["already_participant"]
            ).all()
        ),
    ],
    strict=True,
    name="reconciliation overlaps",
)

#: Prefix of DuckDB's private spill folders (in :func:`tempfile.gettempdir`).
TEMP_PREFIX = "jamsos-duckdb-"
#: File inside a spill folder naming its owner: ``<pid> <process start time>``.
OWNER_FILE = "owner"
#: A folder without an owner record (made by an older version) is removed once it has
#: not changed for this long.
LEGACY_AGE_S = 3600


def _process_start(pid: int) -> str | None:
    """The start time of process ``pid`` as the kernel counts it (Linux ``/proc``), so a
    recycled pid is not taken for the run that made a folder; None when unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _alive(pid: int, started: str | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: alive
    except OSError:
        return False
    if started is None:
        return True
    now = _process_start(pid)
    return now is None or now == started


def _owner(folder: Path) -> tuple[int, str | None] | None:
    """(pid, start time) recorded in ``folder``, else the pid in its name, else None."""
    try:
        pid, _, started = (folder / OWNER_FILE).read_text().strip().partition(" ")
        return int(pid), started or None
    except (OSError, ValueError):
        pass
    head = folder.name[len(TEMP_PREFIX) :].split("-", 1)[0]
    return (int(head), None) if head.isdigit() else None


def remove_stale_temp_folders(root: str | Path | None = None, now: float | None = None) -> int:
    """Remove ``jamsos-duckdb-*`` folders in ``root`` (default: the system temp folder)
    left by reconciliations that were killed (``kill -9``, power cut): a folder whose owner
    process is gone, or, without an owner record, one unchanged for :data:`LEGACY_AGE_S`.
    A folder of a reconciliation still running is kept. Returns how many were removed."""
    import time

    root = Path(root or tempfile.gettempdir())
    now = time.time() if now is None else now
    removed = 0
    try:
        folders = [f for f in root.iterdir() if f.name.startswith(TEMP_PREFIX) and f.is_dir() and not f.is_symlink()]
    except OSError:
        return 0
    for folder in folders:
        owner = _owner(folder)
        if owner is not None:
            if owner[0] == os.getpid() or _alive(*owner):
                continue
        else:
            try:
                changed = max([folder.stat().st_mtime] + [e.stat().st_mtime for e in folder.iterdir()])
            except OSError:
                continue
            if now - changed < LEGACY_AGE_S:
                continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += not folder.exists()
    if removed:
        log.info("removed %d DuckDB spill folder(s) left in the temp folder by killed reconciliations", removed)
    return removed


@contextlib.contextmanager
def temp_folder() -> Iterator[Path]:
    """A private spill folder ``jamsos-duckdb-<pid>-*`` (mode 700, owner recorded inside),
    removed on exit, after an error too. Stale folders of killed runs go first."""
    remove_stale_temp_folders()
    tmp = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
    try:
        os.chmod(tmp, 0o700)
        (tmp / OWNER_FILE).write_text(f"{os.getpid()} {_process_start(os.getpid()) or ''}".strip() + "\n")
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def connect(
    memory_limit: str = DEFAULT_MEMORY_LIMIT, threads: int | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """In-memory DuckDB with a memory limit and a private spill folder (:func:`temp_folder`),
    removed on exit, after an error too."""
    with temp_folder() as tmp:
        con = duckdb.connect(
            config={
                "memory_limit": memory_limit,
                "temp_directory": str(tmp / "spill"),
                # the CSV reader numbers rows with row_number() OVER (), which
                # follows the file only while insertion order is preserved
                "preserve_insertion_order": True,
                **({"threads": int(threads)} if threads else {}),
            }
        )
        try:
            yield con
        finally:
            con.close()


def recipient_rate(period: str | None, rates: pd.DataFrame | None = None, rate_rp: float | None = None) -> Contribution:
    """The monthly bantuan iuran per recipient used for the money paid twice.

    ``rate_rp`` (the user's ``--rate``) wins; otherwise the BPU JKK + JKM package in force
    in ``period`` from the processed rates table (:func:`jamsos_lib.compute.subsidy.bpu_contribution`,
    at the minimum declared income). No silent fallback: without either, a clear error.
    """
    if rate_rp is not None:
        return contribution_from_rate(rate_rp)
    if rates is None:
        raise JamsosError(
            "no monthly rate for the recipients: give --rate (Rupiah per person-month) or a "
            "processed data folder with the rates table (--data, made by 'jamsos clean')"
        )
    if period is None:
        raise JamsosError(
            "the participant lists have no period, so the BPU rate in force is unknown: give --period YYYY-MM or --rate"
        )
    return bpu_contribution(rates, period)


@dataclass
class Result:
    """Unsuppressed reconciliation tables (internal; publish with
    :func:`jamsos_lib.present.reconciliation.publish`)."""

    coverage: pd.DataFrame
    flows: pd.DataFrame
    overlaps: pd.DataFrame
    invalid: pd.DataFrame
    summary: dict = field(default_factory=dict)


def _names(registry: RegionRegistry) -> dict[str, str]:
    return {r.region_code: r.official_name for r in registry.table.itertuples(index=False)}


def _union(lists: list[PersonList], columns: str) -> str:
    parts = [
        f"SELECT {columns} FROM {p.table} t LEFT JOIN regmap_{p.file_id} m USING (region_raw)"
        if "region" in p.columns_used
        else f"SELECT {columns.replace('m.region_code', 'NULL::VARCHAR')} FROM {p.table} t"
        for p in lists
    ]
    return " UNION ALL ".join(parts)


def reconcile(
    con: duckdb.DuckDBPyConnection,
    participants: list[PersonList],
    recipients: list[PersonList] = (),
    period: str | None = None,
    workers: pd.DataFrame | None = None,
    rate_rp: float | None = None,
    default_months: int = DEFAULT_MONTHS,
    registry: RegionRegistry | None = None,
    rates: pd.DataFrame | None = None,
) -> Result:
    """Reconcile loaded lists (see module docstring). ``workers``: region_code, workers,
    optionally participants/coverage_pct (the published figures) — usually from
    :func:`workers_for_reconciliation`. The monthly rate for recipients: ``rate_rp``, else
    the BPU package in force in the period from ``rates`` (:func:`recipient_rate`)."""
    registry = registry or load_registry()
    names = _names(registry)
    if not participants:
        raise JamsosError("no participant list given")
    recipients = list(recipients)

    # -- participants of the period ------------------------------------------------
    # Integer columns only (NIK as UBIGINT, kab/kota codes as USMALLINT): the joins and the
    # de-duplication of millions of rows hash 8-byte keys instead of 16-character strings.
    cols = (
        f"t.file_id, t.row_no, t.nik_key, CAST(t.nik_key // {NIK_KAB} AS USMALLINT) AS domicile, "
        "CAST(m.region_code AS USMALLINT) AS registration, "
        f"CAST({SEGMENT_RANK} AS UTINYINT) AS segment_rank, t.active, t.period"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE p_rows AS {_union(participants, cols)}")
    periods = [
        r[0] for r in con.execute("SELECT DISTINCT period FROM p_rows WHERE period IS NOT NULL ORDER BY 1").fetchall()
    ]
    notes = []
    if period is None and periods:
        period = periods[-1]
        if len(periods) > 1:
            notes.append(
                f"the lists hold {len(periods)} periods ({periods[0]} .. {periods[-1]}); "
                f"reconciled {period} (use --period)"
            )
    if period is not None:
        other = con.execute(
            "SELECT count(*) FROM p_rows WHERE period IS NOT NULL AND period <> ?", [period]
        ).fetchone()[0]
        if periods and period not in periods:
            raise JamsosError(f"period {period} is not in the participant lists (they hold {', '.join(periods[:12])})")
    else:
        other = 0
    inactive = con.execute(
        "SELECT count(*) FROM p_rows WHERE active IS NOT TRUE AND (period IS NULL OR period = $p)", {"p": period}
    ).fetchone()[0]
    con.execute("DELETE FROM p_rows WHERE active IS NOT TRUE OR (period IS NOT NULL AND period <> $p)", {"p": period})

    # -- persons: one row per valid NIK ------------------------------------------------
    # first row by segment (PU, JAKON, PMI, BPU, unknown), then file, then row
    order = "segment_rank::BIGINT * 1000000000000000 + file_id::BIGINT * 10000000000 + row_no"
    max_file = max(p.file_id for p in participants)
    in_registry = key_columns_sql("nik_key", registry)["in_registry"]
    files = "bit_count(bit_or(1::UBIGINT << file_id))" if max_file < 64 else "count(DISTINCT file_id)"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE persons AS
        SELECT nik_key, domicile, {in_registry} AS in_registry, registration,
               CASE seg WHEN 1 THEN 'PU' WHEN 2 THEN 'JAKON' WHEN 3 THEN 'PMI' WHEN 4 THEN 'BPU' END AS main_segment,
               n_rows, n_files, n_segments, n_rows - n_files AS repeats_within_files
        FROM (SELECT nik_key, any_value(domicile) AS domicile, min(segment_rank) AS seg,
                     arg_min(registration, {order}) AS registration, count(*) AS n_rows,
                     {files} AS n_files,
                     coalesce(bit_count(bit_or(CASE WHEN segment_rank < 5 THEN 1::UTINYINT << segment_rank END)), 0)
                         AS n_segments
              FROM p_rows WHERE nik_key IS NOT NULL GROUP BY nik_key)""")

    # -- per kab/kota -------------------------------------------------------------
    cov = con.execute("""
        WITH rep AS (
            SELECT registration AS region, count(*) AS reported,
                   count(*) FILTER (WHERE nik_key IS NULL) AS invalid_nik
            FROM p_rows WHERE registration IS NOT NULL GROUP BY 1),
        reg AS (
            SELECT registration AS region, count(*) AS persons_registered,
                   count(*) FILTER (WHERE domicile IS DISTINCT FROM registration) AS moved_out,
                   count(*) FILTER (WHERE domicile = registration) AS registered_and_domiciled
            FROM persons WHERE registration IS NOT NULL GROUP BY 1),
        dom AS (
            SELECT domicile AS region, count(*) AS persons_domiciled,
                   count(*) FILTER (WHERE registration IS DISTINCT FROM domicile) AS moved_in
            FROM persons WHERE in_registry GROUP BY 1)
        SELECT CAST(region AS VARCHAR) AS region_code,
               coalesce(reported, 0) AS reported, coalesce(invalid_nik, 0) AS invalid_nik,
               coalesce(reported, 0) - coalesce(invalid_nik, 0) - coalesce(persons_registered, 0) AS duplicates,
               coalesce(moved_in, 0) AS moved_in, coalesce(moved_out, 0) AS moved_out,
               coalesce(invalid_nik, 0) + coalesce(persons_domiciled, 0) AS corrected,
               coalesce(registered_and_domiciled, 0) AS registered_and_domiciled
        FROM rep FULL JOIN reg USING (region) FULL JOIN dom USING (region)
        ORDER BY region_code""").df()
    cov = cov[cov["region_code"].isin(set(registry.kabkota_codes()))].reset_index(drop=True)
    for c in COVERAGE_COUNTS:
        cov[c] = cov[c].astype("int64")
    cov["region_code"] = cov["region_code"].astype(str)
    cov.insert(1, "region_name", [names.get(c, c) for c in cov["region_code"]])
    cov = _attach_workers(cov, workers)
    cov["explanation"] = [explain(r) for r in cov.itertuples(index=False)]
    cov = COVERAGE.validate(cov)

    # -- flows --------------------------------------------------------------------------
    flows = con.execute("""
        SELECT CAST(domicile AS VARCHAR) AS domicile_code, CAST(registration AS VARCHAR) AS registration_code,
               count(*) AS persons FROM persons
        GROUP BY 1, 2 ORDER BY 1, 2 NULLS LAST""").df()
    flows["domicile_code"] = flows["domicile_code"].astype(str)
    flows["registration_code"] = (
        flows["registration_code"].astype(object).where(flows["registration_code"].notna(), None)
    )
    flows["domicile_name"] = [names.get(c, f"outside the registry ({c[:2]})") for c in flows["domicile_code"]]
    flows["registration_name"] = [
        names.get(c, c) if c else "unknown (kab/kota not resolved)" for c in flows["registration_code"]
    ]
    flows["same_region"] = flows["domicile_code"] == flows["registration_code"]
    flows["persons"] = flows["persons"].astype("int64")
    if flows.empty:  # no valid NIK at all
        flows = flows.astype(
            {
                "domicile_code": "str",
                "domicile_name": "str",
                "registration_code": "str",
                "registration_name": "str",
                "same_region": bool,
            }
        )
    flows = FLOWS.validate(flows[list(FLOWS.columns)])

    # -- recipients ------------------------------------------------------------------
    rate = recipient_rate(period, rates, rate_rp) if recipients else None
    if recipients:
        rcols = (
            f"t.file_id, t.row_no, t.nik_key AS nik, t.nik_reason, CAST(t.nik_key // {NIK_KAB} AS VARCHAR) "
            "AS domicile_code, m.region_code AS list_region, "
            "coalesce(t.programme, '(no programme column)') AS programme, t.months, t.rate_rp"
        )
        con.execute(f"CREATE OR REPLACE TEMP TABLE r_rows AS {_union(recipients, rcols)}")
        con.execute("UPDATE r_rows SET list_region = domicile_code WHERE list_region IS NULL")
        ov = con.execute(
            """
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
                   count(p.nik_key) AS already_participant,
                   count(p.nik_key) FILTER (WHERE p.main_segment = 'PU') AS already_pu,
                   count(p.nik_key) FILTER (WHERE p.main_segment = 'BPU') AS already_bpu,
                   count(p.nik_key) FILTER (WHERE p.main_segment = 'JAKON') AS already_jakon,
                   count(p.nik_key) FILTER (WHERE p.main_segment = 'PMI') AS already_pmi,
                   count(p.nik_key) FILTER (WHERE p.main_segment IS NULL AND p.nik_key IS NOT NULL) AS already_unknown_segment,
                   count(r.nik) - count(p.nik_key) AS not_participant,
                   coalesce(sum(r.months * r.rate) FILTER (WHERE p.nik_key IS NOT NULL), 0) AS double_paid_rp
            FROM rows LEFT JOIN r USING (region_code, programme) LEFT JOIN persons p ON p.nik_key = r.nik
            GROUP BY region_code, programme, rows.recipient_rows, rows.invalid_nik
            ORDER BY region_code NULLS LAST, programme""",
            {"months": int(default_months), "rate": float(rate.monthly_rp)},
        ).df()
        several = con.execute(
            "SELECT count(*) FROM (SELECT nik FROM r_rows WHERE nik IS NOT NULL GROUP BY nik "
            "HAVING count(DISTINCT programme) > 1)"
        ).fetchone()[0]
        unique_recipients = con.execute("SELECT count(DISTINCT nik) FROM r_rows").fetchone()[0]
        unique_overlap = con.execute(
            "SELECT count(*) FROM (SELECT DISTINCT nik FROM r_rows) r JOIN persons p ON p.nik_key = r.nik"
        ).fetchone()[0]
    else:
        ov = pd.DataFrame(columns=[c for c in OVERLAPS.columns if c != "region_name"])
        several = unique_recipients = unique_overlap = 0
    ov = _overlaps_frame(ov, names)

    # -- invalid rows and summary -------------------------------------------------
    inv = pd.DataFrame(
        [
            {"file": p.path.name, "kind": p.kind, "reason": reason, "rows": n}
            for p in [*participants, *recipients]
            for reason, n in p.invalid_by_reason.items()
        ],
        columns=list(INVALID.columns),
    ).astype({"rows": "int64"})
    if inv.empty:
        inv = inv.astype({"file": "str", "kind": "str", "reason": "str"})
    inv = INVALID.validate(inv)

    dup = con.execute("""SELECT count(*) FILTER (WHERE n_rows > 1), coalesce(sum(n_rows - 1), 0),
                                count(*) FILTER (WHERE n_files > 1), count(*) FILTER (WHERE n_segments > 1),
                                coalesce(sum(repeats_within_files), 0), count(*),
                                count(*) FILTER (WHERE NOT in_registry)
                         FROM persons""").fetchone()
    rows_valid, rows_invalid, unresolved = con.execute(
        "SELECT count(*) FILTER (WHERE nik_key IS NOT NULL), count(*) FILTER (WHERE nik_key IS NULL), "
        "count(*) FILTER (WHERE registration IS NULL) FROM p_rows"
    ).fetchone()
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
        "rate_rp_per_month": float(rate.monthly_rp) if rate else None,
        "rate_source": rate.label if rate else "no recipient list",
        "rate_legal_basis": rate.legal_basis if rate else None,
        "rate_valid_from": rate.valid_from.isoformat() if rate and rate.valid_from else None,
        "default_months": int(default_months),
    }
    return Result(coverage=cov, flows=flows, overlaps=ov, invalid=inv, summary=summary)


def _overlaps_frame(ov: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The overlaps query result (or an empty frame: no recipient list) in the schema's types."""
    ov = ov.reset_index(drop=True)
    ov["region_code"] = ov["region_code"].astype(object).where(ov["region_code"].notna(), None)
    ov.insert(
        1, "region_name", [names.get(c, f"outside the registry ({c})") if c else "unknown" for c in ov["region_code"]]
    )
    ov["programme"] = ov["programme"].astype(str)
    for c in OVERLAPS.columns:
        if c not in ("region_code", "region_name", "programme", "double_paid_rp"):
            ov[c] = ov[c].astype("int64")
    ov["double_paid_rp"] = ov["double_paid_rp"].astype(float)
    if ov.empty:  # no values to tell the text columns' type from: say it
        ov = ov.astype({"region_code": "str", "region_name": "str", "programme": "str"})
    return OVERLAPS.validate(ov[list(OVERLAPS.columns)])


def _attach_workers(cov: pd.DataFrame, workers: pd.DataFrame | None) -> pd.DataFrame:
    cov = cov.copy()
    if workers is None or workers.empty:
        cov["workers"] = pd.array([pd.NA] * len(cov), dtype="Int64")
        cov["published_participants"] = pd.array([pd.NA] * len(cov), dtype="Int64")
        cov["published_coverage_pct"] = [None] * len(cov)
    else:
        w = workers.set_index("region_code")
        cov["workers"] = pd.array(
            [None if pd.isna(v) else int(v) for v in cov["region_code"].map(w["workers"])], dtype="Int64"
        )
        pub = w["participants"] if "participants" in w else pd.Series(dtype="float")
        cov["published_participants"] = pd.array(
            [None if pd.isna(v) else int(v) for v in cov["region_code"].map(pub)], dtype="Int64"
        )
        pct = w["coverage_pct"] if "coverage_pct" in w else pd.Series(dtype="float")
        cov["published_coverage_pct"] = [None if pd.isna(v) else float(v) for v in cov["region_code"].map(pct)]
    wk = cov["workers"].astype("Float64")
    cov["coverage_before_pct"] = (cov["reported"] / wk * 100).where(wk > 0).astype(float)
    cov["coverage_after_pct"] = (cov["corrected"] / wk * 100).where(wk > 0).astype(float)
    cov["published_coverage_pct"] = cov["published_coverage_pct"].astype(float)
    return cov


def explain(r) -> str:
    """How a kab/kota's corrected count comes from its reported rows, in words, for a row
    of the coverage table (``reported``, ``duplicates``, ``moved_in``, ``moved_out``,
    ``corrected``, ``invalid_nik``, ``workers``). The counts may be numbers or their
    published texts (``present.reconciliation``: ``"<10"`` where suppressed); a step whose
    count is zero is left out."""

    def shown(count) -> bool:
        return str(count) != "0"

    parts = [f"{r.reported} active rows registered here"]
    if shown(r.duplicates):
        parts.append(
            f"minus {r.duplicates} duplicate rows (same NIK counted again, e.g. in PU and BPU or in two lists)"
        )
    if shown(r.moved_in):
        parts.append(f"plus {r.moved_in} persons with a NIK of this kab/kota registered elsewhere")
    if shown(r.moved_out):
        parts.append(f"minus {r.moved_out} persons registered here with a NIK of another kab/kota or province")
    text = ", ".join(parts) + f" = {r.corrected} by NIK domicile (as UCJ counts)"
    if shown(r.invalid_nik):
        text += f"; {r.invalid_nik} rows with an invalid NIK are kept as reported (they cannot be checked)"
    if pd.isna(r.workers):
        text += "; no worker figure for this kab/kota, so no coverage"
    return text


def workers_for_reconciliation(
    data_folder, period: str | None, denominator: str = "eligible"
) -> tuple[pd.DataFrame | None, str]:
    """Workers (and published participants/coverage) per kab/kota from the processed data
    (``data_folder``: a folder, None for the default one, or an open ``store.Dataset``).

    Returns (table with region_code, workers, participants, coverage_pct; or None) and a
    note saying where the figures come from or why there are none.
    """
    from jamsos_lib import store

    try:
        data = data_folder if isinstance(data_folder, store.Dataset) else store.load(data_folder)
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
    out = pd.DataFrame(
        {
            "region_code": table["region_code"].astype(str),
            "workers": table[den],
            "participants": table["participants"],
            "coverage_pct": table["coverage_pct"],
        }
    )
    kind = table["denominator_kind"].iloc[0] if "denominator_kind" in table and len(table) else denominator
    return (
        out,
        f"workers: {kind} denominator of coverage_table for {table['period'].iloc[0] if 'period' in table and len(table) else period}",
    )


# -- what a reconciliation was made from --------------------------------------------
def processed_identity(folder: str | Path) -> dict:
    """The processed data a reconciliation is made against, or a report reads: its folder
    (resolved) and the sha256 of its ``manifest.json`` (None when it has none). ``jamsos
    clean`` rewrites the manifest whenever it rewrites the data, so the hash names the data."""
    from jamsos_lib.atomic import sha256_file
    from jamsos_lib.store import MANIFEST

    folder = Path(folder).resolve()
    manifest = folder / MANIFEST
    return {"folder": str(folder), "manifest_sha256": sha256_file(manifest) if manifest.is_file() else None}


def inputs_record(lists: list[PersonList], period: str | None, processed: dict | None, reconciled_at: str) -> dict:
    """``summary.json``'s ``inputs``: the lists (file name, kind, sha256, rows), the period,
    the processed data (:func:`processed_identity`, None without one) and when."""
    from jamsos_lib.atomic import sha256_file

    return {
        "lists": [
            {"file": pl.path.name, "kind": pl.kind, "sha256": sha256_file(pl.path), "rows": int(pl.rows)}
            for pl in lists
        ],
        "period": period,
        "processed_data": processed,
        "reconciled_at": reconciled_at,
    }


def lists_table(inputs: dict) -> pd.DataFrame:
    """:func:`inputs_record` as the ``lists`` table (schema ``validate.reconciliation.LISTS``)."""
    processed = inputs.get("processed_data") or {}
    rows = [
        {
            **item,
            "period": inputs.get("period"),
            "processed_folder": processed.get("folder"),
            "processed_manifest_sha256": processed.get("manifest_sha256"),
            "reconciled_at": inputs["reconciled_at"],
        }
        for item in inputs["lists"]
    ]
    frame = pd.DataFrame(rows, columns=list(PUBLISHED_TABLES["lists"].columns))
    return PUBLISHED_TABLES["lists"].validate(frame.astype({"rows": "int64"}))


def stale_reason(summary: dict, processed: dict, period: str) -> str | None:
    """Why a reconciliation (its ``summary.json``) must not be shown with the processed data
    ``processed`` (:func:`processed_identity`) for ``period``; None when it may."""
    inputs = summary.get("inputs")
    made = inputs.get("processed_data") if isinstance(inputs, dict) else None
    if not isinstance(inputs, dict):
        return (
            "it does not record the lists and processed data it was made from (an older jamsos); "
            "run 'jamsos reconcile' again"
        )
    if not made or not made.get("manifest_sha256"):
        return "it was not reconciled against processed data (no --data folder with a manifest.json)"
    if made["manifest_sha256"] != processed.get("manifest_sha256"):
        return (
            f"it was reconciled against other processed data ({made.get('folder')}, manifest sha256 "
            f"{made['manifest_sha256'][:12]}…), not the current {processed.get('folder')} (manifest sha256 "
            f"{str(processed.get('manifest_sha256'))[:12]}…); run 'jamsos reconcile' again for this data"
        )
    if inputs.get("period") != period:
        return f"it is of {inputs.get('period') or 'no period'}, not of {period}"
    return None


# -- reading back -----------------------------------------------------------------
TABLE_NAMES = tuple(PUBLISHED_TABLES)


@dataclass
class Published:
    """A reconciliation folder as written by ``jamsos reconcile`` (suppressed aggregates only)."""

    folder: Path
    coverage: pd.DataFrame
    flows: pd.DataFrame
    overlaps: pd.DataFrame
    invalid_rows: pd.DataFrame
    notes: pd.DataFrame
    lists: pd.DataFrame
    summary: dict


def read_summary(folder: str | Path) -> dict | None:
    """A reconciliation folder's ``summary.json``; None when there is none."""
    path = Path(folder) / "summary.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def load_published(folder: str | Path) -> Published | None:
    """Read a reconciliation folder; None when it does not exist."""
    folder = Path(folder)
    summary = read_summary(folder)
    if summary is None:
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
        tables[name] = PUBLISHED_TABLES[name].validate(frame)
    return Published(folder=folder, summary=summary, **tables)


def quality_notes(published: Published | None, region_code: str) -> list[tuple[str, str]]:
    """(severity, message) notes about one kab/kota for a report's data-quality section.

    The notes were written by :func:`jamsos_lib.present.reconciliation.publish` from the
    suppressed figures (Indonesian text for officials, naming the lists and the day they
    were reconciled); this only selects them.
    """
    if published is None:
        return []
    notes = published.notes[published.notes["region_code"] == str(region_code)]
    return [(r.severity, r.message) for r in notes.itertuples(index=False)]
