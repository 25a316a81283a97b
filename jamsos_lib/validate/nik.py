"""NIK (Nomor Induk Kependudukan) parsing and validation, vectorised in DuckDB SQL.

A NIK has 16 digits, ``PPRRSS DDMMYY XXXX`` (see ``domain.md`` §5):

* ``PP`` province, ``RR`` kab/kota, ``SS`` kecamatan (Kemendagri codes of the place
  where the NIK was issued; the first four digits are the kab/kota code UCJ counts by);
* ``DDMMYY`` birth date, **women have 40 added to the day**; the year has two digits;
* ``XXXX`` a serial number, no check digit.

Normalisation strips white space, dots and one leading apostrophe (Excel's "text" mark).
What is left must be 16 digits. A value that looks like a number written by a spreadsheet
(``3.513E+15``, ``3513010101900001.0``) is **never** accepted, because the last digits are
lost or cannot be trusted; a numeric spreadsheet cell is flagged ``float_value``.

Every invalid value gets exactly one reason code (first that applies, in this order):

===================== ====================================================================
``empty``             no value
``scientific_notation`` ``3.513E+15``, ``3,51301E+15``: Excel turned the NIK into a number
``float_value``       ``3513010101900001.0`` or a numeric spreadsheet cell
``non_digit``         letters or other characters left after normalisation
``not_16_digits``     digits only, but not 16 of them
``unknown_province``  the first two digits are not an Indonesian province code
``unknown_regency``   the province is in the region registry but the first four digits
                      are not one of its kab/kota
``bad_month``         birth month not 01–12
``bad_day``           birth day (after removing +40) not valid for the month; 29 February
                      is accepted when ``YY`` is divisible by 4 (19YY or 20YY may be leap)
===================== ====================================================================

A NIK of a province that exists but is not in the registry (a worker from Jawa Tengah in
a Jawa Timur list) is valid: its ``domicile_code`` is its first four digits and
``in_registry`` is false.

The checks run as one SQL expression (:func:`checked_select_sql`) so that readers and the
reconciliation validate millions of rows inside DuckDB; a valid NIK is kept as a
``UBIGINT`` key (``nik_key``) from which domicile, registry membership and sex are derived
(:func:`key_columns_sql`). :func:`check_niks` is the pandas entry point, served by a
shared :class:`NikChecker` (one connection for many calls). Nothing here ever logs or
returns a NIK in a message.
"""

from __future__ import annotations

import threading

import duckdb
import pandas as pd
import pandera.pandas as pa

from jamsos_lib.regions import RegionRegistry, load_registry

#: Reason codes with a short English explanation (for messages and summaries).
REASONS: dict[str, str] = {
    "empty": "no NIK",
    "scientific_notation": "NIK turned into a number in scientific notation by a spreadsheet (e.g. 3.513E+15); "
    "the last digits are lost: export the column as text",
    "float_value": "NIK stored as a number (e.g. ending in .0, or a numeric Excel cell); format the column as text",
    "non_digit": "NIK contains characters other than digits",
    "not_16_digits": "NIK does not have 16 digits",
    "unknown_province": "first two digits are not an Indonesian province code",
    "unknown_regency": "first four digits are not a kab/kota of the province in the region registry",
    "bad_month": "birth month (digits 9-10) is not 01-12",
    "bad_day": "birth day (digits 7-8, women +40) is not a valid day of that month",
}

#: The 38 province codes of Kepmendagri 300.2.2-2430/2025 (11 Aceh ... 96 Papua Barat Daya).
PROVINCE_CODES: tuple[str, ...] = (
    "11",
    "12",
    "13",
    "14",
    "15",
    "16",
    "17",
    "18",
    "19",
    "21",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "51",
    "52",
    "53",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "72",
    "73",
    "74",
    "75",
    "76",
    "81",
    "82",
    "91",
    "92",
    "93",
    "94",
    "95",
    "96",
)

#: Result of :func:`check_niks`, one row per input value, same order and index.
NIK_CHECK = pa.DataFrameSchema(
    {
        "nik": pa.Column(
            str,
            pa.Check.str_matches(r"^\d{16}$"),
            nullable=True,
            description="normalised NIK (valid values only), internal use, never written",
        ),
        "reason": pa.Column(
            str, pa.Check.isin(list(REASONS)), nullable=True, description="reason code when invalid, null when valid"
        ),
        "domicile_code": pa.Column(
            str,
            pa.Check.str_matches(r"^\d{4}$"),
            nullable=True,
            description="kab/kota code = first 4 digits (valid NIKs)",
        ),
        "in_registry": pa.Column(bool, description="domicile kab/kota is in the region registry"),
        "sex": pa.Column(str, pa.Check.isin(["L", "P"]), nullable=True, description="L male, P female (day > 40)"),
    },
    strict=True,
    name="nik check",
)


def _int_list(values) -> str:
    values = sorted({int(v) for v in values})
    return "(" + ", ".join(str(v) for v in values) + ")" if values else "(NULL)"


#: divisors of the integer NIK: ``key // 10**14`` = province, ``// 10**12`` = kab/kota,
#: ``// 10**8 % 100`` = day, ``// 10**6 % 100`` = month, ``// 10**4 % 100`` = year.
_PROV, _KAB, _DAY, _MON, _YEAR = 10**14, 10**12, 10**8, 10**6, 10**4
#: ``nik_key // NIK_KAB`` is the kab/kota code (first four digits) as an integer.
NIK_KAB = _KAB


def checked_select_sql(
    source: str,
    raw_col: str = "nik_raw",
    is_number_col: str | None = None,
    registry: RegionRegistry | None = None,
    strings: bool = True,
) -> str:
    """SQL that selects every column of ``source`` plus the NIK check columns.

    ``source`` is a table name or a parenthesised sub-query with a VARCHAR column
    ``raw_col`` (and optionally a BOOLEAN ``is_number_col``: the cell was numeric in the
    original file). Added columns: ``nik_key`` (the valid NIK as a ``UBIGINT``, NULL unless
    valid: 8 bytes instead of a 16-character string, for joins and de-duplication) and
    ``nik_reason`` (NULL when valid); with ``strings`` also ``nik`` (normalised text),
    ``domicile_code``, ``in_registry`` and ``sex`` (all derived from ``nik_key``).

    A value that already is exactly 16 digits (the usual case) takes a fast path: one
    regular-expression test, then the structure is checked with integer arithmetic on
    the key. Other values go through the full normalisation and reason codes.
    """
    registry = registry or load_registry()
    reg_provinces = set(registry.provinces())
    provinces = _int_list(set(PROVINCE_CODES) | reg_provinces)
    reg_prov = _int_list(reg_provinces)
    regencies = _int_list(registry.kabkota_codes())
    is_number = f"coalesce({is_number_col}, false)" if is_number_col else "false"
    day = f"((_key // {_DAY}) % 100)"
    mon = f"((_key // {_MON}) % 100)"
    year = f"((_key // {_YEAR}) % 100)"
    real_day = f"(CASE WHEN {day} > 40 THEN {day} - 40 ELSE {day} END)"
    sql = f"""
WITH _s AS (
  SELECT *, CAST({raw_col} AS VARCHAR) AS _r FROM {source}
), _f AS (
  SELECT *, coalesce(regexp_full_match(_r, '[0-9]{{16}}'), false) AS _fast FROM _s
), _n AS (
  SELECT *, CASE WHEN _fast THEN _r
                 WHEN starts_with(trim(_r), '''') THEN substr(trim(_r), 2) ELSE trim(_r) END AS _t
  FROM _f
), _m AS (
  SELECT *, CASE WHEN _fast THEN _r ELSE regexp_replace(_t, '[\\s.]', '', 'g') END AS _norm FROM _n
), _k AS (
  SELECT *,
    CASE WHEN _fast THEN CAST(_r AS UBIGINT)
         WHEN regexp_full_match(_norm, '[0-9]{{16}}') THEN CAST(_norm AS UBIGINT) END AS _key,
    CASE
      WHEN _fast AND NOT {is_number} THEN NULL
      WHEN {raw_col} IS NULL OR _t IS NULL OR _t = '' THEN 'empty'
      WHEN (contains(_t, 'E') OR contains(_t, 'e'))
           AND regexp_full_match(_t, '[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+') THEN 'scientific_notation'
      WHEN {is_number} THEN 'float_value'
      WHEN (contains(_t, '.') OR contains(_t, ',')) AND regexp_full_match(_t, '[0-9]+[.,][0-9]{{1,3}}') THEN 'float_value'
      WHEN NOT regexp_full_match(_norm, '[0-9]+') THEN 'non_digit'
      WHEN length(_norm) <> 16 THEN 'not_16_digits'
    END AS _text_reason
  FROM _m
), _r2 AS (
  SELECT *,
    coalesce(_text_reason, CASE
      WHEN _key // {_PROV} NOT IN {provinces} THEN 'unknown_province'
      WHEN _key // {_PROV} IN {reg_prov} AND _key // {_KAB} NOT IN {regencies} THEN 'unknown_regency'
      WHEN {mon} < 1 OR {mon} > 12 THEN 'bad_month'
      WHEN {real_day} < 1 OR ({day} > 31 AND {day} < 41)
        OR {real_day} > (CASE WHEN {mon} IN (4, 6, 9, 11) THEN 30
                              WHEN {mon} = 2 THEN (CASE WHEN {year} % 4 = 0 THEN 29 ELSE 28 END)
                              ELSE 31 END) THEN 'bad_day'
    END) AS nik_reason
  FROM _k
), _v AS (
  SELECT * EXCLUDE (_r, _fast, _t, _norm, _key, _text_reason),
    CASE WHEN nik_reason IS NULL THEN _key END AS nik_key
  FROM _r2
)"""
    if not strings:
        return sql + "\nSELECT * FROM _v\n"
    return (
        sql
        + f"""
SELECT *,
  CAST(nik_key AS VARCHAR) AS nik,
  CAST(nik_key // {_KAB} AS VARCHAR) AS domicile_code,
  coalesce(nik_key // {_KAB} IN {regencies}, false) AS in_registry,
  CASE WHEN nik_key IS NOT NULL THEN (CASE WHEN (nik_key // {_DAY}) % 100 > 40 THEN 'P' ELSE 'L' END) END AS sex
FROM _v
"""
    )


def key_columns_sql(key: str = "nik_key", registry: RegionRegistry | None = None) -> dict[str, str]:
    """SQL expressions deriving ``domicile_code`` (text), ``domicile`` (integer kab/kota
    code), ``in_registry`` and ``sex`` from an integer NIK column ``key``."""
    registry = registry or load_registry()
    regencies = _int_list(registry.kabkota_codes())
    return {
        "domicile": f"CAST({key} // {_KAB} AS USMALLINT)",
        "domicile_code": f"CAST({key} // {_KAB} AS VARCHAR)",
        "in_registry": f"coalesce({key} // {_KAB} IN {regencies}, false)",
        "sex": f"CASE WHEN {key} IS NOT NULL THEN (CASE WHEN ({key} // {_DAY}) % 100 > 40 THEN 'P' ELSE 'L' END) END",
    }


def _is_number(values: pd.Series) -> pd.Series:
    """True where the value is a number (not text): a float/int column or float/int objects."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.notna()
    return values.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and not pd.isna(v)).astype(bool)


class NikChecker:
    """A reusable checker: one DuckDB connection and one prepared query for many calls.

    Opening a DuckDB connection costs tens of milliseconds, so code (and tests) that
    check many small batches keep one checker; :func:`check_niks` uses a shared one.
    Thread-safe (calls are serialised).
    """

    def __init__(self, registry: RegionRegistry | None = None) -> None:
        self.registry = registry or load_registry()
        self._con = duckdb.connect()
        self._lock = threading.Lock()
        source = (
            "(SELECT unnest(generate_series(1, len($raw))) AS _i, unnest(CAST($raw AS VARCHAR[])) AS nik_raw, "
            "unnest(CAST($num AS BOOLEAN[])) AS is_number)"
        )
        self._sql = (
            "SELECT nik, nik_reason, domicile_code, in_registry, sex FROM ("
            + checked_select_sql(source, "nik_raw", "is_number", self.registry)
            + ") ORDER BY _i"
        )

    def check(self, values, is_number=None) -> pd.DataFrame:
        """Validate a column of NIK values (any dtype); schema :data:`NIK_CHECK`, same index."""
        values = pd.Series(values) if not isinstance(values, pd.Series) else values
        index = values.index
        number = _is_number(values)
        if is_number is not None:
            number = number | pd.Series(is_number, index=index).fillna(False).astype(bool)
        text = [
            None
            if v is None or (not isinstance(v, str) and pd.isna(v))
            else (repr(v) if isinstance(v, float) else str(v))
            for v in values
        ]
        flags = [bool(b) for b in number.to_numpy(dtype=bool)]
        with self._lock:
            rows = self._con.execute(self._sql, {"raw": text, "num": flags}).fetchall() if text else []
        result = pd.DataFrame(rows, columns=["nik", "reason", "domicile_code", "in_registry", "sex"], dtype=object)
        result["in_registry"] = result["in_registry"].astype(bool)
        result.index = index
        return NIK_CHECK.validate(result)

    def close(self) -> None:
        self._con.close()


_SHARED: dict[int, NikChecker] = {}
_SHARED_LOCK = threading.Lock()


def checker(registry: RegionRegistry | None = None) -> NikChecker:
    """The shared :class:`NikChecker` for ``registry`` (default: the packaged registry)."""
    registry = registry or load_registry()
    with _SHARED_LOCK:
        found = _SHARED.get(id(registry))
        if found is None or found.registry is not registry:
            found = _SHARED[id(registry)] = NikChecker(registry)
        return found


def check_niks(values, registry: RegionRegistry | None = None, is_number=None) -> pd.DataFrame:
    """Validate a column of NIK values (any dtype); one row per value (schema :data:`NIK_CHECK`).

    Numbers (a float column, Python floats or ints, or rows where ``is_number`` is true)
    are never accepted: they get ``float_value`` or ``scientific_notation``.
    """
    return checker(registry).check(values, is_number)
