"""Readers for person-level lists keyed by NIK: BPJS participant extracts and Pemda
subsidy-recipient (bantuan iuran) lists, CSV or xlsx.

The NIK is always read as **text** (DuckDB ``all_varchar`` for CSV, the cell's own type for
xlsx) and validated with :mod:`jamsos_lib.validate.nik`; an xlsx cell that holds a number
is flagged ``float_value``, because Excel keeps only 15 significant digits.

Each file is loaded into a DuckDB table of the caller's connection (so 10 million rows
never become a pandas frame) with these columns (schema :data:`PERSON_ROWS`):

==================== ===============================================================
file_id, row_no      which file, and the row number as a spreadsheet shows it
nik_key, nik_reason  the valid NIK as a UBIGINT (NULL unless valid) and the reason code
                     if invalid; :meth:`PersonList.frame` adds ``nik`` (text),
                     ``domicile_code`` (first four digits: kab/kota of the KTP),
                     ``in_registry`` and ``sex``, derived from the key
region_raw           registration kab/kota / employer location (participants) or the
                     Pemda kab/kota (recipients) as written
segment              PU / BPU / JAKON / PMI (participants; NULL when not given)
active               status aktif (participants; true when the file has no status)
period               ``YYYY-MM`` (participants; NULL when not given)
programme, kecamatan, desa, months, rate_rp   (recipients)
==================== ===============================================================

Column headers vary; :data:`HEADER_ALIASES` maps the common Indonesian ones
case-, space- and punctuation-insensitively, and :class:`PersonList` records which
header was used for what (logged, and written to the reconciliation summary).

Bad files never crash and never lose rows silently: missing columns, an empty file or
a share of invalid NIKs above ``max_invalid_share`` raise :class:`InputError` with every
problem of the file; invalid NIKs, unknown segments/status values and a non-UTF-8
encoding are warnings. Invalid rows are listed by file and row number only, never by
value.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pandera.pandas as pa

from jamsos_lib.errors import (
    PROGRAMME_HIDDEN,
    InputError,
    Problem,
    ProblemList,
    holds_identifier,
    number_list,
    safe_value,
    scrub,
    scrub_programme,
)
from jamsos_lib.regions import RegionRegistry, UnresolvedRegion, load_registry
from jamsos_lib.validate.nik import REASONS, checked_select_sql, key_columns_sql

log = logging.getLogger(__name__)

PARTICIPANTS = "participants"
RECIPIENTS = "recipients"
KINDS = (PARTICIPANTS, RECIPIENTS)

#: canonical column -> header spellings (compared after lower-casing and removing
#: everything but letters and digits). First match in this order wins.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "nik": (
        "NIK",
        "NIK Peserta",
        "NIK Penerima",
        "NIK Tenaga Kerja",
        "NIK KTP",
        "No. KTP",
        "No KTP",
        "Nomor KTP",
        "Nomor Induk Kependudukan",
        "No. Induk Kependudukan",
        "No Induk Kependudukan",
    ),
    "region": (
        "Kab/Kota",
        "Kabupaten/Kota",
        "Kab Kota",
        "Kota/Kab",
        "Kota/Kabupaten",
        "Kabupaten/Kota Domisili",
        "Kab/Kota Domisili",
        "Kab/Kota Pendaftaran",
        "Kabupaten/Kota Pendaftaran",
        "Lokasi Kerja",
        "Lokasi Perusahaan",
        "Kab/Kota Perusahaan",
        "Wilayah",
        "Kabupaten",
        "Kode Wilayah",
        "Kode Kab/Kota",
    ),
    "segment": ("Segmen", "Segmen Peserta", "Segment", "Jenis Peserta", "Kategori Peserta", "Jenis Kepesertaan"),
    "status": ("Status", "Status Peserta", "Status Kepesertaan", "Status Aktif", "Keaktifan"),
    "period": ("Periode", "Period", "Periode Laporan", "Bulan Laporan", "Bulan Data", "Periode Data"),
    "programme": ("Program", "Nama Program", "Program Bantuan", "Sumber Dana", "Kegiatan"),
    "kecamatan": ("Kecamatan", "Kec", "Kec."),
    "desa": ("Desa", "Desa/Kelurahan", "Kelurahan", "Desa/Kel", "Kelurahan/Desa"),
    "months": ("Jumlah Bulan", "Bulan Didanai", "Lama Bulan", "Jumlah Bulan Iuran", "Durasi (bulan)", "Lama (bulan)"),
    "rate_rp": ("Iuran per Bulan", "Iuran/Bulan", "Nilai Iuran", "Iuran Bulanan", "Iuran"),
}

#: canonical columns each kind reads; ``required`` ones must be present.
COLUMNS = {
    PARTICIPANTS: {"required": ("nik", "region"), "optional": ("segment", "status", "period")},
    RECIPIENTS: {"required": ("nik",), "optional": ("region", "programme", "kecamatan", "desa", "months", "rate_rp")},
}

#: Rows a :class:`PersonList` table holds (checked on small tables by :meth:`PersonList.frame`).
PERSON_ROWS = pa.DataFrameSchema(
    {
        "file_id": pa.Column(int),
        "row_no": pa.Column(int, pa.Check.ge(1)),
        "nik": pa.Column(str, pa.Check.str_matches(r"^\d{16}$"), nullable=True),
        "nik_reason": pa.Column(str, pa.Check.isin(list(REASONS)), nullable=True),
        "domicile_code": pa.Column(str, nullable=True),
        "in_registry": pa.Column(bool),
        "sex": pa.Column(str, nullable=True),
        "region_raw": pa.Column(str, nullable=True),
        "segment": pa.Column(str, pa.Check.isin(["PU", "BPU", "JAKON", "PMI"]), nullable=True, required=False),
        "active": pa.Column("boolean", nullable=True, required=False),
        "period": pa.Column(str, nullable=True, required=False),
        "programme": pa.Column(str, nullable=True, required=False),
        "kecamatan": pa.Column(str, nullable=True, required=False),
        "desa": pa.Column(str, nullable=True, required=False),
        "months": pa.Column("Int64", nullable=True, required=False),
        "rate_rp": pa.Column(float, nullable=True, required=False),
    },
    strict=False,
    name="person rows",
)

#: The largest monthly contribution per recipient read from a list (Rp); the BPU package
#: is a few tens of thousands of Rupiah.
MAX_RATE_RP = 10_000_000

_SEGMENT_SQL = """CASE upper(regexp_replace(coalesce({c}, ''), '[^A-Za-z]', '', 'g'))
  WHEN 'PU' THEN 'PU' WHEN 'PPU' THEN 'PU' WHEN 'PENERIMAUPAH' THEN 'PU'
  WHEN 'BPU' THEN 'BPU' WHEN 'PBPU' THEN 'BPU' WHEN 'BUKANPENERIMAUPAH' THEN 'BPU'
  WHEN 'JAKON' THEN 'JAKON' WHEN 'JK' THEN 'JAKON' WHEN 'JASAKONSTRUKSI' THEN 'JAKON'
  WHEN 'PMI' THEN 'PMI' WHEN 'PEKERJAMIGRANINDONESIA' THEN 'PMI' WHEN 'PEKERJAMIGRAN' THEN 'PMI'
  ELSE NULL END"""
_ACTIVE_SQL = """CASE lower(regexp_replace(coalesce({c}, ''), '[^A-Za-z0-9]', '', 'g'))
  WHEN 'aktif' THEN true WHEN 'active' THEN true WHEN 'a' THEN true WHEN '1' THEN true WHEN 'ya' THEN true
  WHEN 'nonaktif' THEN false WHEN 'tidakaktif' THEN false WHEN 'inactive' THEN false WHEN 'na' THEN false
  WHEN 'keluar' THEN false WHEN '0' THEN false WHEN 'tidak' THEN false
  ELSE NULL END"""
_PERIOD_SQL = """CASE
  WHEN regexp_full_match(trim({c}), '\\d{{4}}[-/]\\d{{1,2}}([-/]\\d{{1,2}}.*)?')
    THEN regexp_extract(trim({c}), '^(\\d{{4}})', 1) || '-' || lpad(regexp_extract(trim({c}), '^\\d{{4}}[-/](\\d{{1,2}})', 1), 2, '0')
  WHEN regexp_full_match(trim({c}), '\\d{{6}}')
    THEN substr(trim({c}), 1, 4) || '-' || substr(trim({c}), 5, 2)
  WHEN regexp_full_match(trim({c}), '\\d{{1,2}}[-/]\\d{{4}}')
    THEN regexp_extract(trim({c}), '(\\d{{4}})$', 1) || '-' || lpad(regexp_extract(trim({c}), '^(\\d{{1,2}})', 1), 2, '0')
  ELSE NULL END"""


def header_key(text: object) -> str:
    """``'No. KTP '`` -> ``'noktp'``: how headers are compared."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


_ALIAS_KEYS = {canon: [header_key(a) for a in aliases] for canon, aliases in HEADER_ALIASES.items()}


def map_headers(headers: list[str], kind: str) -> tuple[dict[str, int], list[str]]:
    """Map canonical columns to header positions; also return notes on ignored duplicates."""
    keys = [header_key(h) for h in headers]
    wanted = COLUMNS[kind]["required"] + COLUMNS[kind]["optional"]
    found: dict[str, int] = {}
    notes: list[str] = []
    used: set[int] = set()
    for canon in wanted:
        hits = []
        for alias in _ALIAS_KEYS[canon]:
            hits += [i for i, k in enumerate(keys) if k == alias and i not in used and i not in hits]
        if hits:
            found[canon] = hits[0]
            used.add(hits[0])
            for extra in hits[1:]:
                notes.append(f"column '{headers[extra]}' could also be {canon}; using '{headers[hits[0]]}'")
    return found, notes


@dataclass
class PersonList:
    """One person-level file loaded into DuckDB table ``table``."""

    path: Path
    kind: str
    file_id: int
    table: str
    columns_used: dict[str, str]
    sheet: str | None = None
    encoding: str = "utf-8"
    rows: int = 0
    invalid_by_reason: dict[str, int] = field(default_factory=dict)
    invalid_rows: dict[str, list[int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    region_codes: dict[str, str | None] = field(default_factory=dict)

    @property
    def invalid(self) -> int:
        return sum(self.invalid_by_reason.values())

    def describe_columns(self) -> str:
        used = ", ".join(f"{canon} <- '{header}'" for canon, header in self.columns_used.items())
        return scrub(f"{self.path.name}{f' (sheet {self.sheet})' if self.sheet else ''}: {used}")

    def frame(self, con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
        """The rows as a pandas frame (small files and tests; holds NIKs: never write it)."""
        derived = key_columns_sql("nik_key")
        df = con.sql(
            f"SELECT * EXCLUDE (nik_key), CAST(nik_key AS VARCHAR) AS nik, {derived['domicile_code']} AS "
            f"domicile_code, {derived['in_registry']} AS in_registry, {derived['sex']} AS sex "
            f"FROM {self.table} ORDER BY row_no"
        ).df()
        for col in df.columns:
            if df[col].dtype == "string" or df[col].dtype == object:
                df[col] = df[col].astype(object).where(df[col].notna(), None)
        df["file_id"] = df["file_id"].astype("int64")
        df["row_no"] = df["row_no"].astype("int64")
        if "active" in df:
            df["active"] = df["active"].astype("boolean")
        if "months" in df:
            df["months"] = df["months"].astype("Int64")
        return PERSON_ROWS.validate(df)


# -- file access ------------------------------------------------------------------------
def _sniff_encoding(head: bytes, complete: bool = False) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if complete or exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "latin-1"
    return "utf-8"


def _csv_header(path: Path, encoding: str, kind: str) -> tuple[int, list[str], str]:
    """(header line index, header cells, delimiter) — the first of 10 lines that names a NIK column."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    text = head.decode(encoding if encoding != "utf-8" else "utf-8-sig", errors="replace")
    lines = text.splitlines()[:10]
    for idx, line in enumerate(lines):
        counts = {d: line.count(d) for d in (",", ";", "\t", "|")}
        delim = max(counts, key=counts.get)
        cells = next(csv.reader(io.StringIO(line), delimiter=delim)) if line else []
        found, _ = map_headers(cells, kind)
        if "nik" in found:
            return idx, cells, delim
    first = lines[0] if lines else ""
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    delim = max(counts, key=counts.get)
    return 0, next(csv.reader(io.StringIO(first), delimiter=delim)) if first else [], delim


def _xlsx_rows(path: Path, kind: str, problems: ProblemList) -> tuple[str | None, int, list[str], list[tuple]]:
    """(sheet, header row number, headers, data rows as (row number, values...))."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is bad input
        raise InputError(Problem(str(path), f"a readable .xlsx workbook ({type(exc).__name__})")) from None
    try:
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            scanned = []
            for rno, row in enumerate(rows, start=1):
                scanned.append(row)
                cells = ["" if v is None else str(v) for v in row]
                found, _ = map_headers(cells, kind)
                if "nik" in found:
                    data = [
                        (r, *vals)
                        for r, vals in enumerate(rows, start=rno + 1)
                        if any(v is not None and str(v).strip() != "" for v in vals)
                    ]
                    return ws.title, rno, cells, data
                if rno >= 10:
                    break
        first = wb.worksheets[0]
        head = next(first.iter_rows(values_only=True, max_row=1), ())
        return first.title, 1, ["" if v is None else str(v) for v in head], []
    finally:
        wb.close()


def _missing_columns(
    path: Path, kind: str, headers: list[str], found: dict[str, int], sheet: str | None
) -> list[Problem]:
    out = []
    for canon in COLUMNS[kind]["required"]:
        if canon not in found:
            shown = ", ".join(repr(safe_value(h, 30)) for h in headers[:20]) or "(no header row)"
            out.append(
                Problem(
                    str(path),
                    f"a {canon} column for a {kind} list (one of: "
                    f"{', '.join(HEADER_ALIASES[canon][:8])}, ...); headers found: {shown}",
                    sheet=sheet,
                )
            )
    return out


def read_person_list(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    kind: str,
    file_id: int = 0,
    registry: RegionRegistry | None = None,
    max_invalid_share: float = 0.25,
    list_rows: int = 1000,
) -> PersonList:
    """Load one participant or recipient list into table ``persons_{file_id}`` of ``con``.

    Raises :class:`InputError` (all problems of the file) for a missing/empty/unreadable
    file, missing required columns, or more than ``max_invalid_share`` invalid NIKs.
    Warnings are in ``PersonList.problems``.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    registry = registry or load_registry()
    path = Path(path)
    problems = ProblemList()
    if not path.is_file():
        raise InputError(Problem(str(path), "an existing file"))
    if path.stat().st_size == 0:
        raise InputError(Problem(str(path), "a list with a header row and data rows: the file is empty"))
    suffix = path.suffix.lower()
    table = f"persons_{file_id}"
    sheet = None
    encoding = "utf-8"
    if suffix in (".xlsx", ".xlsm"):
        sheet, header_row, headers, data = _xlsx_rows(path, kind, problems)
        found, notes = map_headers(headers, kind)
        missing = _missing_columns(path, kind, headers, found, sheet)
        if missing:
            raise InputError(missing)
        if not data:
            raise InputError(Problem(str(path), "data rows below the header: none found", sheet=sheet))
        cols = {"row_no": [r[0] for r in data]}
        nik_pos = found["nik"] + 1
        cols["nik_raw"] = [
            None if r[nik_pos] is None else (repr(r[nik_pos]) if isinstance(r[nik_pos], float) else str(r[nik_pos]))
            for r in data
        ]
        cols["nik_is_number"] = [
            isinstance(r[nik_pos], (int, float)) and not isinstance(r[nik_pos], bool) for r in data
        ]
        for canon, pos in found.items():
            if canon == "nik":
                continue
            cols[canon] = [None if (pos + 1 >= len(r) or r[pos + 1] is None) else str(r[pos + 1]).strip() for r in data]
        frame = pd.DataFrame(cols)
        for c in frame.columns:
            if c not in ("row_no", "nik_is_number"):
                frame[c] = frame[c].astype("string")
        con.register(f"_x{file_id}", frame)
        source = f"_x{file_id}"
    elif suffix in (".csv", ".txt", ".tsv"):
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
        encoding = _sniff_encoding(head, complete=len(head) < (1 << 20))
        header_idx, headers, delim = _csv_header(path, encoding, kind)
        found, notes = map_headers(headers, kind)
        missing = _missing_columns(path, kind, headers, found, None)
        if missing:
            raise InputError(missing)
        names = [f"c{i}" for i in range(len(headers))]
        selects = [f"c{found['nik']} AS nik_raw", "false AS nik_is_number"]
        selects += [f"trim(c{pos}) AS {canon}" for canon, pos in found.items() if canon != "nik"]
        # a blank trailing line or title rows above the header must not shift row numbers
        source_tpl = (
            "(SELECT row_number() OVER () + {first} AS row_no, "
            + ", ".join(selects)
            + " FROM read_csv('{path}', header=true, skip={skip}, all_varchar=true, delim='{delim}', "
            "quote='\"', columns={columns}, null_padding=true, encoding='{enc}', "
            "strict_mode=false, auto_detect=false))"
        )
        source = source_tpl.format(
            first=header_idx + 1,
            path=str(path).replace("'", "''"),
            skip=header_idx,
            delim=delim.replace("\t", "\\t"),
            enc=encoding,
            columns="{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}",
        )
    elif suffix == ".xls":
        raise InputError(
            Problem(
                str(path),
                "a .csv or .xlsx file: open this old .xls in Excel/LibreOffice and save "
                "it as .xlsx, with the NIK column formatted as Text",
            )
        )
    else:
        raise InputError(Problem(str(path), "a .csv or .xlsx file"))

    for note in notes:
        problems.add(str(path), note, sheet=sheet, severity="warning")
    columns_used = {canon: headers[pos] for canon, pos in found.items()}
    extra_sql = []
    if kind == PARTICIPANTS:
        extra_sql.append(
            f"{_SEGMENT_SQL.format(c='segment')} AS segment" if "segment" in found else "NULL::VARCHAR AS segment"
        )
        extra_sql.append(f"{_ACTIVE_SQL.format(c='status')} AS active" if "status" in found else "true AS active")
        extra_sql.append(
            f"{_PERIOD_SQL.format(c='period')} AS period" if "period" in found else "NULL::VARCHAR AS period"
        )
        extra_sql.append("segment AS segment_raw" if "segment" in found else "NULL::VARCHAR AS segment_raw")
        extra_sql.append("status AS status_raw" if "status" in found else "NULL::VARCHAR AS status_raw")
        extra_sql.append("period AS period_raw" if "period" in found else "NULL::VARCHAR AS period_raw")
    else:
        for canon in ("programme", "kecamatan", "desa"):
            extra_sql.append(f"{canon}" if canon in found else f"NULL::VARCHAR AS {canon}")
        extra_sql.append("TRY_CAST(months AS INTEGER) AS months" if "months" in found else "NULL::INTEGER AS months")
        extra_sql.append("months AS months_raw" if "months" in found else "NULL::VARCHAR AS months_raw")
        # a monthly contribution outside 1 .. MAX_RATE_RP is not one (a NIK typed into the
        # column would otherwise come out multiplied by the months as "money paid twice")
        rate = "TRY_CAST(replace(replace(regexp_replace(rate_rp, '(?i)rp\\s*', ''), '.', ''), ',', '.') AS DOUBLE)"
        extra_sql.append(
            f"CASE WHEN {rate} BETWEEN 1 AND {MAX_RATE_RP} THEN {rate} END AS rate_rp"
            if "rate_rp" in found
            else "NULL::DOUBLE AS rate_rp"
        )
        extra_sql.append("rate_rp AS rate_raw" if "rate_rp" in found else "NULL::VARCHAR AS rate_raw")
    region_sql = "region AS region_raw" if "region" in found else "NULL::VARCHAR AS region_raw"
    inner = (
        f"(SELECT {file_id} AS file_id, row_no, nik_raw, nik_is_number, {region_sql}, "
        + ", ".join(extra_sql)
        + f" FROM {source})"
    )
    sql = (
        f"CREATE OR REPLACE TABLE {table} AS SELECT * EXCLUDE (nik_raw, nik_is_number) FROM ("
        + checked_select_sql(inner, "nik_raw", "nik_is_number", registry, strings=False)
        + ")"
    )
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        if encoding == "utf-8" and "unicode" in str(exc).lower() and suffix != ".xlsx":
            encoding = "latin-1"
            try:
                con.execute(sql.replace("encoding='utf-8'", "encoding='latin-1'"))
            except duckdb.Error as exc2:
                raise InputError(Problem(str(path), f"a readable CSV file ({_duckdb_reason(exc2)})")) from None
        else:
            raise InputError(Problem(str(path), f"a readable CSV file ({_duckdb_reason(exc)})")) from None
    if encoding == "latin-1":
        problems.add(
            str(path),
            "the file is not UTF-8; it was read as Latin-1 (Windows-1252). Check that names "
            "with accents look right, or save the file as 'CSV UTF-8'",
            severity="warning",
        )
    plist = PersonList(
        path=path, kind=kind, file_id=file_id, table=table, columns_used=columns_used, sheet=sheet, encoding=encoding
    )
    plist.rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if plist.rows == 0:
        raise InputError(Problem(str(path), "data rows below the header: none found", sheet=sheet))
    for reason, n, rows in con.execute(
        f"SELECT nik_reason, count(*), list(row_no ORDER BY row_no)[1:{int(list_rows)}] FROM {table} "
        "WHERE nik_reason IS NOT NULL GROUP BY nik_reason ORDER BY count(*) DESC, nik_reason"
    ).fetchall():
        plist.invalid_by_reason[reason] = int(n)
        plist.invalid_rows[reason] = [int(r) for r in rows]
        shown = number_list(rows[:20]) + (f" and {n - 20} more" if n > 20 else "")
        problems.add(
            str(path),
            f"{n} row(s) with an invalid NIK, {reason}: {REASONS[reason]} (rows {shown})",
            column=columns_used["nik"],
            sheet=sheet,
            severity="warning",
            show_value=False,
        )
    if plist.invalid and plist.invalid / plist.rows > max_invalid_share:
        problems.add(
            str(path),
            f"at most {max_invalid_share:.0%} invalid NIKs, but {plist.invalid} of {plist.rows} "
            f"rows ({plist.invalid / plist.rows:.0%}) are invalid: the NIK column was probably "
            "mangled (Excel number format?) or is the wrong column; fix the file or raise "
            "--max-invalid-share",
            column=columns_used["nik"],
            sheet=sheet,
            show_value=False,
        )
    _check_values(con, plist, problems)
    _scrub_free_text(con, plist, problems)
    _resolve_regions(con, plist, registry, problems)
    problems.raise_if_errors()
    plist.problems = problems.problems
    log.info(
        "read %s: %d rows, %d invalid NIK; columns: %s",
        scrub(path.name),
        plist.rows,
        plist.invalid,
        scrub(", ".join(f"{k} <- '{v}'" for k, v in columns_used.items())),
    )
    return plist


def _duckdb_reason(exc: Exception) -> str:
    """First line of a DuckDB error without the offending line (which may hold a NIK), scrubbed."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return safe_value(text, limit=200)


#: free-text columns of a list that may reach an output, and how a value holding an
#: identifier is published (the programme name goes whole; kecamatan/desa are scrubbed)
FREE_TEXT = {"programme": scrub_programme, "kecamatan": scrub, "desa": scrub}


def _scrub_free_text(con, plist: PersonList, problems: ProblemList) -> None:
    """Replace free text that holds an identifier-like digit run (see the module
    docstring), in the DuckDB table itself, so no later step can copy it out. DuckDB
    pre-selects values with 12 or more digits (``\\p{Nd}``, so full-width digits too); the
    one scrubber decides."""
    for canon, publish in FREE_TEXT.items():
        if canon not in plist.columns_used:
            continue
        candidates = con.execute(
            f"SELECT {canon}, count(*), min(row_no) FROM {plist.table} WHERE {canon} IS NOT NULL AND "
            f"length(regexp_replace({canon}, '[^\\p{{Nd}}]', '', 'g')) >= 12 GROUP BY 1"
        ).fetchall()
        hits = [(value, n, first) for value, n, first in candidates if holds_identifier(value)]
        if not hits:
            continue
        mapping = pd.DataFrame(
            {
                "old": pd.array([v for v, _, _ in hits], dtype="string"),
                "new": pd.array([publish(v) for v, _, _ in hits], dtype="string"),
            }
        )
        con.register("_scrub_map", mapping)
        try:
            con.execute(
                f"UPDATE {plist.table} SET {canon} = m.new FROM _scrub_map m WHERE {plist.table}.{canon} = m.old"
            )
        finally:
            con.unregister("_scrub_map")
        rows = sum(n for _, n, _ in hits)
        first = min(f for _, _, f in hits)
        shown = f"'{PROGRAMME_HIDDEN}'" if canon == "programme" else "with the number removed"
        problems.add(
            str(plist.path),
            f"free text without identity numbers: {rows} row(s) hold a long number that "
            f"may be a NIK (first at row {first}); the value is not shown and is published "
            f"as {shown}",
            row=first,
            column=plist.columns_used[canon],
            sheet=plist.sheet,
            severity="warning",
            show_value=False,
        )


def _check_values(con, plist: PersonList, problems: ProblemList) -> None:
    """Warn (with counts and first rows, never NIKs) about unknown segment/status/period/months values."""
    checks = []
    if plist.kind == PARTICIPANTS:
        checks = [
            ("segment", "segment_raw", "segment", "PU, BPU, Jakon/Jasa Konstruksi or PMI; rows kept, segment unknown"),
            ("status", "status_raw", "active", "aktif or nonaktif; rows NOT counted as active participants"),
            ("period", "period_raw", "period", "a month such as 2025-06, 202506 or 06/2025; rows kept"),
        ]
    else:
        checks = [
            ("months", "months_raw", "months", "a number of months 1-12; the default number of months is used"),
            (
                "rate_rp",
                "rate_raw",
                "rate_rp",
                f"a monthly contribution in Rupiah, 1 to {MAX_RATE_RP:_}".replace("_", ".")
                + "; the default rate is used",
            ),
        ]
    for canon, raw, norm, expected in checks:
        if canon not in plist.columns_used:
            continue
        bad_range = " OR months < 1 OR months > 12" if canon == "months" else ""
        for value, n, first in con.execute(
            f"SELECT {raw}, count(*), min(row_no) FROM {plist.table} WHERE {raw} IS NOT NULL AND trim({raw}) <> '' "
            f"AND ({norm} IS NULL{bad_range}) GROUP BY 1 ORDER BY 2 DESC LIMIT 20"
        ).fetchall():
            problems.add(
                str(plist.path),
                f"{expected} ({n} row(s), first at row {first})",
                column=plist.columns_used[canon],
                value=value,
                sheet=plist.sheet,
                severity="warning",
            )


def _resolve_regions(con, plist: PersonList, registry: RegionRegistry, problems: ProblemList) -> None:
    """Resolve each distinct region value once; unresolved values are warnings (rows kept, region unknown)."""
    if "region" not in plist.columns_used:
        return
    provinces = registry.provinces()
    province = provinces[0] if len(provinces) == 1 else None
    mapping: dict[str, str | None] = {}
    for value, n, first in con.execute(
        f"SELECT region_raw, count(*), min(row_no) FROM {plist.table} GROUP BY 1 ORDER BY 1 NULLS FIRST"
    ).fetchall():
        if value is None or str(value).strip() == "":
            problems.add(
                str(plist.path),
                f"a kab/kota in every row: {n} row(s) have none (first at row {first}); "
                "they are kept with an unknown region",
                column=plist.columns_used["region"],
                sheet=plist.sheet,
                severity="warning",
                show_value=False,
            )
            continue
        try:
            code = registry.resolve(value, province=province)
            if registry.region(code).is_province:
                raise UnresolvedRegion(str(value), "a province, not a kab/kota")
            mapping[value] = code
        except UnresolvedRegion as exc:
            mapping[value] = None
            problems.add(
                str(plist.path),
                f"a kab/kota of the region registry: {exc.reason}"
                f"{'; closest: ' + ', '.join(exc.suggestions) if exc.suggestions else ''}"
                f" ({n} row(s), first at row {first}; kept with an unknown region)",
                column=plist.columns_used["region"],
                value=value,
                sheet=plist.sheet,
                severity="warning",
            )
    plist.region_codes = mapping
    frame = pd.DataFrame(
        {
            "region_raw": pd.array(list(mapping), dtype="string"),
            "region_code": pd.array(list(mapping.values()), dtype="string"),
        }
    )
    con.register(f"_regmap_{plist.file_id}", frame)
    con.execute(f"CREATE OR REPLACE TABLE regmap_{plist.file_id} AS SELECT * FROM _regmap_{plist.file_id}")
    con.unregister(f"_regmap_{plist.file_id}")
