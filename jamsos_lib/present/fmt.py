"""Numbers, money and months as a person reads them: Indonesian by default, English on request.

Every figure shown in a report or a ``jamsos`` table goes through these helpers, so the
whole suite writes ``1.234.567``, ``29,8%`` and ``Rp 2,09 miliar`` the same way. Number
formatting is babel's (CLDR locales ``id_ID`` and ``en_US``); the words for juta, miliar,
triliun (million, billion, trillion) and the month names are babel's locale data too.

Rules
-----
* ``lang`` is ``"id"`` (default) or ``"en"``; anything else is a ``ValueError``.
* Missing values (``None``, ``NaN``, ``pd.NA``, ``NaT``) print as :data:`NA_TEXT` (``–``).
* Rounding is half-up on the decimal value as written (``29,85`` -> ``29,9``), not
  banker's rounding and not on the binary float.
* Negative numbers and signed changes use the true minus sign ``−`` (U+2212), which
  lines up with ``+`` in tables.
* :func:`rupiah_short` keeps three significant digits for amounts below 10 of their unit
  (``Rp 2,09 miliar``, ``Rp 6,25 triliun``) and one decimal from 10 of their unit up
  (``Rp 43,4 miliar``, ``Rp 365,6 juta``); trailing zeros are dropped (``Rp 3 miliar``).
  Amounts below one million are written in full (``Rp 17.438``).
"""

from __future__ import annotations

import datetime as _dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import pandas as pd
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

NA_TEXT = "–"
MINUS = "−"
LOCALES = {"id": "id_ID", "en": "en_US"}
#: Unit steps used by :func:`rupiah_short`: juta / miliar / triliun (million / billion / trillion).
_SHORT_STEPS = (12, 9, 6)


def _locale(lang: str) -> str:
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"lang must be one of {sorted(LOCALES)}, not {lang!r}") from None


def is_na(x: object) -> bool:
    """True for None, NaN, pd.NA and NaT (and not for strings or zero)."""
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _round(x: object, digits: int) -> Decimal:
    """``x`` rounded half-up to ``digits`` decimals, from its decimal text (no float noise)."""
    value = Decimal(str(x)) if not isinstance(x, Decimal) else x
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _pattern(digits: int, optional: bool = False) -> str:
    if digits <= 0:
        return "#,##0"
    return "#,##0." + ("#" if optional else "0") * digits


def _plain(x: object, lang: str, digits: int, optional: bool = False) -> str:
    """Formatted absolute value with a true minus sign in front when negative."""
    value = _round(x, digits)
    text = format_decimal(
        abs(value), format=_pattern(digits, optional), locale=_locale(lang), decimal_quantization=False
    )
    return (MINUS + text) if value < 0 else text


def number(x: object, lang: str = "id", digits: int = 0) -> str:
    """``1234567`` -> ``1.234.567`` (id) / ``1,234,567`` (en); ``digits`` fixed decimals."""
    if is_na(x):
        return NA_TEXT
    return _plain(x, lang, digits)


def percent(x: object, lang: str = "id", digits: int = 1) -> str:
    """``x`` already in percent units: ``29.84`` -> ``29,8%`` (id) / ``29.8%`` (en)."""
    if is_na(x):
        return NA_TEXT
    return _plain(x, lang, digits) + "%"


def signed(x: object, lang: str = "id", digits: int = 0) -> str:
    """A change with its sign always shown: ``+1.234`` / ``−1.234`` / ``0``."""
    if is_na(x):
        return NA_TEXT
    value = _round(x, digits)
    text = _plain(value, lang, digits)
    return ("+" + text) if value > 0 else text


def pp(x: object, lang: str = "id", digits: int = 1) -> str:
    """Signed percentage points: ``1.23`` -> ``+1,2 pp``, ``-0.4`` -> ``−0,4 pp``."""
    if is_na(x):
        return NA_TEXT
    return signed(x, lang, digits) + " pp"


def rupiah(x: object, lang: str = "id") -> str:
    """Whole Rupiah: ``17438`` -> ``Rp 17.438`` (en ``Rp 17,438``)."""
    if is_na(x):
        return NA_TEXT
    return "Rp " + _plain(x, lang, 0)


@lru_cache(maxsize=None)
def _unit_word(lang: str, exponent: int) -> str:
    """babel's long compact word for 10**exponent: juta/miliar/triliun, million/billion/trillion."""
    patterns = Locale.parse(_locale(lang)).compact_decimal_formats["long"]["other"]
    return patterns[str(10**exponent)].pattern.replace("0", "").strip()


def rupiah_short(x: object, lang: str = "id") -> str:
    """Large Rupiah amounts in words: ``Rp 2,09 miliar``, ``Rp 6,25 triliun``, ``Rp 365,6 juta``.

    Below 10 of the unit: at most 2 decimals; from 10 up: at most 1 decimal; trailing zeros
    dropped. Below one million the amount is written in full (:func:`rupiah`).
    """
    if is_na(x):
        return NA_TEXT
    value = Decimal(str(x))
    for exponent in _SHORT_STEPS:
        unit = Decimal(10) ** exponent
        if abs(value) < unit:
            continue
        scaled = value / unit
        digits = 2 if abs(scaled) < 10 else 1
        rounded = _round(scaled, digits)
        if abs(rounded) >= 1000 and exponent < _SHORT_STEPS[0]:
            # 999,96 juta rounds to 1000 juta: say 1 miliar instead
            exponent += 3
            rounded = _round(value / Decimal(10) ** exponent, 2)
        return f"Rp {_plain(rounded, lang, 2 if abs(rounded) < 10 else 1, optional=True)} {_unit_word(lang, exponent)}"
    return rupiah(x, lang)


def _as_date(period: object) -> _dt.date:
    if isinstance(period, str):
        try:
            return _dt.date(int(period[:4]), int(period[5:7]), 1)
        except (ValueError, IndexError):
            raise ValueError(f"period must be YYYY-MM, not {period!r}") from None
    if isinstance(period, pd.Period):
        return _dt.date(period.year, period.month, 1)
    if isinstance(period, (_dt.date, pd.Timestamp)):
        return _dt.date(period.year, period.month, 1)
    raise ValueError(f"period must be YYYY-MM, a date or a pandas Period, not {period!r}")


def month_name(period: object, lang: str = "id") -> str:
    """``"2025-06"`` -> ``Juni 2025`` (id) / ``June 2025`` (en)."""
    if is_na(period):
        return NA_TEXT
    return format_date(_as_date(period), "LLLL y", locale=_locale(lang))


def month_short(period: object, lang: str = "id") -> str:
    """``"2025-06"`` -> ``Jun 2025``; ``"2025-08"`` -> ``Agu 2025`` (id) / ``Aug 2025`` (en)."""
    if is_na(period):
        return NA_TEXT
    return format_date(_as_date(period), "LLL y", locale=_locale(lang))


def day_short(when: object, lang: str = "id") -> str:
    """A day (a date, a datetime or ISO text such as ``2025-07-05T06:00:12+07:00``) ->
    ``05 Jul 2025``; ``2025-08-17`` -> ``17 Agu 2025`` (id) / ``17 Aug 2025`` (en)."""
    if is_na(when) or when == "":
        return NA_TEXT
    day = _dt.datetime.fromisoformat(when) if isinstance(when, str) else when
    return format_date(day.date() if isinstance(day, _dt.datetime) else day, "dd MMM y", locale=_locale(lang))


def persons(x: object, lang: str = "id") -> str:
    """A head count with its noun: ``1.234 orang`` / ``1,234 persons``."""
    if is_na(x):
        return NA_TEXT
    return f"{number(x, lang)} {'orang' if lang == 'id' else 'persons'}"


def generated_time(when: _dt.datetime | None = None, lang: str = "id") -> str:
    """When a page was made, in Western Indonesia Time: ``2 Desember 2026 18.46 WIB``
    (``2 December 2026 18:46 WIB`` in English); ``when`` defaults to now; a time without a
    zone is taken as WIB already."""
    from jamsos_lib.clock import WIB

    when = when or _dt.datetime.now(WIB)
    when = when.replace(tzinfo=WIB) if when.tzinfo is None else when.astimezone(WIB)
    clock = when.strftime("%H.%M" if lang == "id" else "%H:%M")
    return f"{format_date(when.date(), 'd MMMM y', locale=_locale(lang))} {clock} WIB"


def legal_bases(text: object, lang: str = "id") -> str:
    """``PP 44/2015 (diubah PP 82/2019); PP 44/2015`` -> ``PP 44/2015 (diubah PP 82/2019)``: each
    regulation once, a bare one dropped when a longer mention of it is there; in English
    "diubah" (as the reference data write an amendment) reads "amended by"."""
    parts = list(dict.fromkeys(p.strip() for p in str(text).split(";") if p.strip()))
    out = "; ".join(p for p in parts if not any(q != p and q.startswith(p) for q in parts))
    return out.replace("(diubah ", "(amended by ") if lang == "en" else out


def rounded(x: object, digits: int = 1) -> Decimal:
    """``x`` rounded as every helper here rounds it (half-up on the decimal text), e.g. to draw a
    value at the precision its label shows (:mod:`jamsos_lib.present.shown`)."""
    return _round(x, digits)
