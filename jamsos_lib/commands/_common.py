"""Options and output shared by the table commands (``coverage``, ``gap``, ``subsidy``).

Every table command accepts ``--data DIR`` (processed data, default ``data/processed``),
``--period YYYY-MM`` (default: the latest month in the data), ``--format table|csv|json``,
``--lang id|en`` (table view only) and ``--output FILE`` (written atomically; default:
standard output). ``csv`` and ``json`` carry the documented column names of the library
function and raw numbers (no thousands separators, NA empty / ``null``); ``table`` is for
people.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from jamsos_lib import atomic
from jamsos_lib.compute.constants import DENOMINATORS

if TYPE_CHECKING:  # the parser is built without pandas; the commands import it when they run
    import pandas as pd

    from jamsos_lib import store

FORMATS = ("table", "csv", "json")
DENOMINATOR_LABELS = {
    "id": {"eligible": "penyebut UCJ tahun itu", "bps": "penduduk bekerja BPS",
           "excluding_asn_tni_polri": "pekerja di luar ASN/TNI/Polri", "ktp_domicile": "penduduk bekerja ber-KTP daerah",
           "bps_employed": "seluruh penduduk bekerja"},
    "en": {"eligible": "the year's UCJ denominator", "bps": "BPS employed population",
           "excluding_asn_tni_polri": "workers outside ASN/TNI/Polri", "ktp_domicile": "employed by KTP domicile",
           "bps_employed": "all employed"},
}


def add_data_options(parser: argparse.ArgumentParser, period: bool = True) -> None:
    """``--data``, ``--period``, ``--format``, ``--lang``, ``--output``."""
    parser.add_argument("--data", metavar="DIR", help="processed data folder (default: data/processed)")
    if period:
        parser.add_argument("--period", metavar="YYYY-MM", help="month (default: the latest in the data)")
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="table (readable, Indonesian formats), csv or json (raw numbers)")
    parser.add_argument("--lang", choices=("id", "en"), default="id", help="language of the table view")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE (atomically) instead of the screen")


def add_denominator_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--denominator", choices=DENOMINATORS, default="eligible",
                        help="eligible workers (as UCJ publishes, default) or BPS total employed")


def open_data(args) -> store.Dataset:
    from jamsos_lib import store

    return store.load(getattr(args, "data", None))


def period_of(args, data: store.Dataset) -> str:
    return data.check_period(getattr(args, "period", None))


def machine_text(frame: pd.DataFrame, kind: str) -> str:
    """CSV or JSON (records) of ``frame`` with its column names and raw values."""
    if kind == "csv":
        return frame.to_csv(index=False)
    records = json.loads(frame.to_json(orient="records", date_format="iso"))
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def emit(args, frame: pd.DataFrame, table_text) -> int:
    """Write ``frame`` as csv/json, or ``table_text()`` for the table view, to --output or stdout."""
    kind = getattr(args, "format", "table")
    content = table_text() if kind == "table" else machine_text(frame, kind)
    if getattr(args, "output", None):
        atomic.write_text(args.output, content)
    else:
        sys.stdout.write(content)
    return 0


def illustrative_banner(frame: pd.DataFrame, lang: str, column: str = "status") -> list[str]:
    """A footer line when any row is illustrative."""
    if column in frame and (frame[column] == "illustrative").any():
        n = int((frame[column] == "illustrative").sum())
        if lang == "id":
            return [f"PERHATIAN: {n} baris memakai angka ILUSTRATIF (bukan statistik resmi)."]
        return [f"WARNING: {n} row{'s' if n != 1 else ''} use{'' if n != 1 else 's'} ILLUSTRATIVE figures "
                "(not official statistics)."]
    return []
