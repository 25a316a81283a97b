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
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jamsos_lib import atomic
from jamsos_lib.compute.constants import DENOMINATORS

if TYPE_CHECKING:  # the parser is built without pandas; the commands import it when they run
    import pandas as pd

    from jamsos_lib import store

FORMATS = ("table", "csv", "json")
#: the ceiling of a rupiah amount given on the command line (Rp 1.000 triliun, above any
#: regional budget; the subsidy notebook's own bound)
MAX_RUPIAH = 10**15
#: the ceiling of a number of persons (above Indonesia's population)
MAX_PERSONS = 10**9


# -- argparse types: a bad value is a usage error (exit status 2, one line naming the option) --


def months_arg(text: str) -> int:
    """``--months`` of ``subsidy``, ``scenario`` and ``reconcile``: a whole number from 1 to 12."""
    try:
        value = int(str(text).strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of months (expected 1 to 12)") from None
    if not 1 <= value <= 12:
        raise argparse.ArgumentTypeError(f"{text} months: expected a whole number from 1 to 12")
    return value


def _bound(x: float) -> str:
    """A range limit for a message: ``1.000.000.000``; ``10^15`` from 12 digits on (a longer
    digit run would be hidden by :func:`jamsos_lib.errors.scrub`, as a NIK could be)."""
    if abs(x) >= 10**11 and math.log10(abs(x)).is_integer():
        return f"10^{int(math.log10(abs(x)))}"
    return f"{x:,.0f}".replace(",", ".")


def _bounded_arg(convert, kind: str, low: float, high: float, what: str):
    def parse(text: str):
        try:
            value = convert(str(text).strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {kind} ({what})") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text}: expected {what} from {_bound(low)} to {_bound(high)}")
        return value

    parse.__name__ = what
    return parse


def whole_number_arg(low: int, high: int, what: str):
    """An argparse type: a whole number from ``low`` to ``high`` (``what`` names it in the message)."""
    return _bounded_arg(int, "a whole number", low, high, what)


def number_arg(low: float, high: float, what: str):
    """An argparse type: a finite number from ``low`` to ``high``."""
    return _bounded_arg(float, "a number", low, high, what)


def _file_above(path: Path) -> Path | None:
    """The first existing ancestor of ``path`` that is a file (no folder can be made below it)."""
    for parent in path.absolute().parents:
        if parent.exists():
            return parent if not parent.is_dir() else None
    return None


def folder_arg(text: str) -> Path:
    """An output folder (``--out``): it may not exist yet, but must not be a file or lie below one."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file, not a folder")
    above = _file_above(path)
    if above is not None:
        raise argparse.ArgumentTypeError(f"{text}: {above} is a file, not a folder")
    return path


def output_file_arg(text: str) -> Path:
    """An output file (``--output``): not an existing folder, and its folder can exist."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; give a file name")
    above = _file_above(path)
    if above is not None:
        raise argparse.ArgumentTypeError(f"{text}: {above} is a file, not a folder")
    return path


DENOMINATOR_LABELS = {
    "id": {
        "eligible": "penyebut UCJ tahun itu",
        "bps": "penduduk bekerja BPS",
        "excluding_asn_tni_polri": "pekerja di luar ASN/TNI/Polri",
        "ktp_domicile": "penduduk bekerja ber-KTP daerah",
        "bps_employed": "seluruh penduduk bekerja",
    },
    "en": {
        "eligible": "the year's UCJ denominator",
        "bps": "BPS employed population",
        "excluding_asn_tni_polri": "workers outside ASN/TNI/Polri",
        "ktp_domicile": "employed by KTP domicile",
        "bps_employed": "all employed",
    },
}


def add_data_options(parser: argparse.ArgumentParser, period: bool = True) -> None:
    """``--data``, ``--period``, ``--format``, ``--lang``, ``--output``."""
    parser.add_argument("--data", metavar="DIR", help="processed data folder (default: data/processed)")
    if period:
        parser.add_argument("--period", metavar="YYYY-MM", help="month (default: the latest in the data)")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (readable, Indonesian formats), csv or json (raw numbers)",
    )
    parser.add_argument("--lang", choices=("id", "en"), default="id", help="language of the table view")
    parser.add_argument(
        "--output", "-o", metavar="FILE", type=output_file_arg, help="write to FILE (atomically) instead of the screen"
    )


def add_denominator_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--denominator",
        choices=DENOMINATORS,
        default="eligible",
        help="eligible workers (as UCJ publishes, default) or BPS total employed",
    )


def open_data(args) -> store.Dataset:
    from jamsos_lib import store

    return store.load(getattr(args, "data", None))


def period_of(args, data: store.Dataset) -> str:
    return data.check_period(getattr(args, "period", None))


def month_tables(args, data: store.Dataset, *names: str, regions=None):
    """The month tables ``names`` of ``--period`` and ``--denominator``: those ``jamsos
    monthly`` wrote when they are of this data, else computed the same way in memory
    (:func:`jamsos_lib.compute.month.stored_or_computed`): the figures the pages show."""
    from jamsos_lib.compute import month

    return month.stored_or_computed(
        data, period_of(args, data), getattr(args, "denominator", "eligible"), only=names, regions=regions
    )


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
        return [
            f"WARNING: {n} row{'s' if n != 1 else ''} use{'' if n != 1 else 's'} ILLUSTRATIVE figures "
            "(not official statistics)."
        ]
    return []
