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
reconciliation validate millions of rows inside DuckDB; :func:`check_niks` is the pandas
entry point. Neither ever logs or returns a NIK in a message.
"""

from __future__ import annotations

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
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
    "31", "32", "33", "34", "35", "36", "51", "52", "53",
    "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
    "81", "82", "91", "92", "93", "94", "95", "96",
)

#: Result of :func:`check_niks`, one row per input value, same order and index.
NIK_CHECK = pa.DataFrameSchema(
    {
        "nik": pa.Column(str, pa.Check.str_matches(r"^\d{16}$"), nullable=True,
                         description="normalised NIK (valid values only), internal use, never written"),
        "reason": pa.Column(str, pa.Check.isin(list(REASONS)), nullable=True,
                            description="reason code when invalid, null when valid"),
        "domicile_code": pa.Column(str, pa.Check.str_matches(r"^\d{4}$"), nullable=True,
                                   description="kab/kota code = first 4 digits (valid NIKs)"),
        "in_registry": pa.Column(bool, description="domicile kab/kota is in the region registry"),
        "sex": pa.Column(str, pa.Check.isin(["L", "P"]), nullable=True, description="L male, P female (day > 40)"),
    },
    strict=True,
    name="nik check",
)


def _sql_list(values) -> str:
    values = sorted(set(values))
    if not values:
        return "(NULL)"
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def checked_select_sql(source: str, raw_col: str = "nik_raw", is_number_col: str | None = None,
                       registry: RegionRegistry | None = None) -> str:
    """SQL that selects every column of ``source`` plus the NIK check columns.

    ``source`` is a table name or a parenthesised sub-query with a VARCHAR column
    ``raw_col`` (and optionally a BOOLEAN ``is_number_col``: the cell was numeric in the
    original file). Added columns: ``nik`` (normalised, NULL unless valid), ``nik_reason``
    (NULL when valid), ``domicile_code``, ``in_registry``, ``sex``.
    """
    registry = registry or load_registry()
    reg_provinces = set(registry.provinces())
    provinces = _sql_list(set(PROVINCE_CODES) | reg_provinces)
    reg_prov = _sql_list(reg_provinces)
    regencies = _sql_list(registry.kabkota_codes())
    is_number = f"coalesce({is_number_col}, false)" if is_number_col else "false"
    return f"""
WITH _s AS (
  SELECT *, CASE WHEN starts_with(trim(CAST({raw_col} AS VARCHAR)), '''')
                 THEN substr(trim(CAST({raw_col} AS VARCHAR)), 2) ELSE trim(CAST({raw_col} AS VARCHAR)) END AS _t
  FROM {source}
), _n AS (
  SELECT *, CASE WHEN length(_t) = 16 AND NOT contains(_t, '.') AND NOT contains(_t, ' ') THEN _t
                 ELSE regexp_replace(_t, '[\\s.]', '', 'g') END AS _norm FROM _s
), _p AS (
  SELECT *,
    TRY_CAST(substr(_norm, 7, 2) AS INTEGER) AS _dd,
    TRY_CAST(substr(_norm, 9, 2) AS INTEGER) AS _mm,
    TRY_CAST(substr(_norm, 11, 2) AS INTEGER) AS _yy
  FROM _n
), _r AS (
  SELECT *,
    CASE
      WHEN {raw_col} IS NULL OR _t IS NULL OR _t = '' THEN 'empty'
      WHEN (contains(_t, 'E') OR contains(_t, 'e'))
           AND regexp_full_match(_t, '[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+') THEN 'scientific_notation'
      WHEN {is_number} THEN 'float_value'
      WHEN (contains(_t, '.') OR contains(_t, ',')) AND regexp_full_match(_t, '[0-9]+[.,][0-9]{{1,3}}') THEN 'float_value'
      WHEN NOT regexp_full_match(_norm, '[0-9]+') THEN 'non_digit'
      WHEN length(_norm) <> 16 THEN 'not_16_digits'
      WHEN substr(_norm, 1, 2) NOT IN {provinces} THEN 'unknown_province'
      WHEN substr(_norm, 1, 2) IN {reg_prov} AND substr(_norm, 1, 4) NOT IN {regencies} THEN 'unknown_regency'
      WHEN _mm < 1 OR _mm > 12 THEN 'bad_month'
      WHEN (CASE WHEN _dd > 40 THEN _dd - 40 ELSE _dd END) < 1
        OR (_dd > 31 AND _dd < 41)
        OR (CASE WHEN _dd > 40 THEN _dd - 40 ELSE _dd END) >
           (CASE WHEN _mm IN (4, 6, 9, 11) THEN 30
                 WHEN _mm = 2 THEN (CASE WHEN _yy % 4 = 0 THEN 29 ELSE 28 END)
                 ELSE 31 END) THEN 'bad_day'
      ELSE NULL
    END AS nik_reason
  FROM _p
)
SELECT * EXCLUDE (_t, _norm, _dd, _mm, _yy),
  CASE WHEN nik_reason IS NULL THEN _norm END AS nik,
  CASE WHEN nik_reason IS NULL THEN substr(_norm, 1, 4) END AS domicile_code,
  (nik_reason IS NULL AND substr(_norm, 1, 4) IN {regencies}) AS in_registry,
  CASE WHEN nik_reason IS NULL THEN (CASE WHEN _dd > 40 THEN 'P' ELSE 'L' END) END AS sex
FROM _r
"""


def _is_number(values: pd.Series) -> pd.Series:
    """True where the value is a number (not text): a float/int column or float/int objects."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.notna()
    return values.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and not pd.isna(v)).astype(bool)


def check_niks(values, registry: RegionRegistry | None = None, is_number=None) -> pd.DataFrame:
    """Validate a column of NIK values (any dtype); one row per value (schema :data:`NIK_CHECK`).

    Numbers (a float column, Python floats or ints, or rows where ``is_number`` is true)
    are never accepted: they get ``float_value`` or ``scientific_notation``.
    """
    values = pd.Series(values) if not isinstance(values, pd.Series) else values
    index = values.index
    number = _is_number(values)
    if is_number is not None:
        number = number | pd.Series(is_number, index=index).fillna(False).astype(bool)
    text = values.map(lambda v: None if v is None or (not isinstance(v, str) and pd.isna(v)) else
                      (repr(v) if isinstance(v, float) else str(v)))
    frame = pd.DataFrame({"_i": range(len(values)),
                          "nik_raw": pd.array(list(text), dtype="string"),
                          "is_number": number.to_numpy(dtype=bool)})
    con = duckdb.connect()
    try:
        con.register("_v", frame)
        out = con.sql(checked_select_sql("_v", "nik_raw", "is_number", registry) + " ORDER BY _i").df()
    finally:
        con.close()
    result = pd.DataFrame(
        {
            "nik": out["nik"].astype("string").astype(object).where(out["nik"].notna(), None),
            "reason": out["nik_reason"].astype(object).where(out["nik_reason"].notna(), None),
            "domicile_code": out["domicile_code"].astype(object).where(out["domicile_code"].notna(), None),
            "in_registry": out["in_registry"].fillna(False).astype(bool),
            "sex": out["sex"].astype(object).where(out["sex"].notna(), None),
        }
    )
    result.index = index
    return NIK_CHECK.validate(result)


def is_valid_nik(value, registry: RegionRegistry | None = None) -> bool:
    """True when one value is a valid NIK (convenience for a single value)."""
    return check_niks(pd.Series([value], dtype=object), registry)["reason"].iloc[0] is None
