"""Cell-level parsing shared by every reader: numbers, periods and sheet grids.

Numbers are written the Indonesian way (:func:`parse_number`): ``5.089.783`` (``.``
groups thousands), ``1.234,5`` (``,`` is the decimal mark), or are numeric spreadsheet
cells. ``-``, ``–``, ``…`` and ``...`` mean nil and give ``None``. Parsing uses
``babel.numbers.parse_decimal`` with the ``id`` locale in strict mode, so a wrongly grouped
number (``1.23.4``) is rejected rather than guessed.

Periods (:func:`parse_period`) come from sheet names and title rows: ``Jul 2023``,
``Juli 2023``, ``Agustus 2024``, ``2023-07``, ``Posisi: 31 Juli 2023``; Indonesian month
names and their abbreviations (``Jan Feb Mar Apr Mei Jun Jul Agu/Agt Sep Okt Nov Des``)
as well as English ones are recognised. Result: ``"YYYY-MM"``.

Counts of persons (:func:`parse_count`) are whole (``375,0`` is rejected: a persons table has
no decimals, and silently reading 375 could hide thousands), not negative and at most
:data:`MAX_COUNT`.

Sheets (:func:`load_grids`) become :class:`Grid` objects: the cells of each row with the
row's original 1-based number, so a :class:`~jamsos_lib.errors.Problem` can name the row
exactly as a spreadsheet program shows it. xlsx sheets are streamed (openpyxl's sheet
parser, the one its read-only mode uses): only rows and cells present in the file are
seen, empty (formatted) cells are dropped as they are read, so time and memory follow the
data, not the formatting (a bordered empty cell at row 1.048.576 costs nothing). Merged
cells are filled with the value of their top-left cell (so a caption merged over several
year columns is seen in each of them), range by range and only in rows that hold data and
columns up to the last one with data (a footnote merged down to row 1.048.576 fills one row).
Cells are ``str`` (stripped; empty string for an empty cell) except numeric xlsx
cells, which stay ``int``/``float`` so that ``1234.5`` is never re-read as ``12.345``,
date cells (``datetime``; :func:`parse_number` says it is a date, not a number) and formula
cells without a saved result (:class:`UnsavedFormula`: :func:`parse_number` names the cell
and says how to fix it, instead of reading an empty cell).
CSV files are sniffed for ``,`` or ``;`` and decoded as UTF-8 (with or without BOM) or
cp1252; anything else is a clear error.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from functools import cache

from babel.numbers import NumberFormatError, parse_decimal

from jamsos_lib.errors import InputError, Problem


@dataclass(frozen=True)
class UnsavedFormula:
    """A formula cell without a saved result: the file was written by a script, or saved by
    a program that does not calculate, so there is no value to read (openpyxl's
    ``data_only`` gives ``None`` for it, which would look like an empty cell)."""

    coordinate: str
    formula: str

    def __str__(self) -> str:
        return f"={self.formula}" if self.formula else "(a formula)"


Cell = str | int | float | UnsavedFormula | datetime.date | datetime.time | datetime.timedelta

NIL_MARKERS = frozenset({"-", "–", "—", "…", "..."})

_MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "feb": 2,
    "pebruari": 2,
    "peb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "agst": 8,
    "ags": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}
_ISO_PERIOD = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})(?!\d)")
_NAMED_PERIOD = re.compile(r"(?<![a-z])([a-z]{3,9})\.?\s*[-' ]?\s*(\d{4}|'\d{2})(?!\d)")


def is_nil(value: object) -> bool:
    """True for an empty cell or a nil marker (``-``, ``…``, ``...``)."""
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and (value.strip() == "" or value.strip() in NIL_MARKERS)


def parse_number(value: object, *, decimal_mark: str = ",") -> float | int | None:
    """Parse a number as written in an Indonesian table; ``None`` for nil.

    ``decimal_mark=","`` (default): ``.`` groups thousands, ``,`` is the decimal mark
    (``5.089.783`` -> 5089783, ``1.234,5`` -> 1234.5). ``decimal_mark="."``: a plain
    machine number as in jamsos's own CSV templates (``29.44``). Integers come back as
    ``int``. Raises ``ValueError`` with a short reason for anything else.
    """
    if is_nil(value):
        return None
    if isinstance(value, bool):
        raise ValueError("a number, not TRUE/FALSE")
    if isinstance(value, UnsavedFormula):
        raise ValueError(
            f"a number, not a formula without a saved result (cell {value.coordinate}; open the "
            "file in Excel or LibreOffice so that it calculates, and save it again)"
        )
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        raise ValueError("a number, not a date or time (the cell is formatted as a date; format it as a number)")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if decimal_mark == ".":
        try:
            number = Decimal(text)
        except ArithmeticError:
            raise ValueError("a number such as 1234.5") from None
    else:
        try:
            number = parse_decimal(text, locale="id", strict=True)
        except NumberFormatError:
            raise ValueError("a number such as 5.089.783 or 1.234,5") from None
    if not number.is_finite():
        raise ValueError("a finite number")
    return int(number) if number == number.to_integral_value() else float(number)


#: No count of persons can be larger: Indonesia has about 282 million inhabitants (BPS 2024);
#: anything above is a broken cell (and would not fit the 64-bit tables).
MAX_COUNT = 300_000_000
TOO_LARGE = "a count of persons of at most 300.000.000 (Indonesia has about 282 million inhabitants)"


def parse_count(value: object, *, decimal_mark: str = ",") -> int | None:
    """A non-negative whole number of persons (``None`` for nil); ``ValueError`` otherwise."""
    try:
        number = parse_number(value, decimal_mark=decimal_mark)
    except ValueError as exc:
        if not str(exc).startswith("a number such as"):
            raise  # a date, a formula without result, TRUE/FALSE: their own reason
        raise ValueError(
            "a whole number of persons such as 5.089.783"
            if decimal_mark == ","
            else "a whole number of persons such as 5089783"
        ) from None
    if number is None:
        return None
    if not isinstance(number, int) or has_decimal_part(value, decimal_mark=decimal_mark):
        raise ValueError("a whole number of persons, without a decimal part")
    if number < 0:
        raise ValueError("a count of 0 or more (not negative)")
    if number > MAX_COUNT:
        raise ValueError(TOO_LARGE)
    return number


def has_decimal_part(value: object, *, decimal_mark: str = ",") -> bool:
    """True for a text number written with a decimal part, even a zero one (``375,0``):
    a persons table has no decimals, so ``375,0`` is not silently taken as 375."""
    return isinstance(value, str) and decimal_mark in value.strip()


def month_number(word: str) -> int | None:
    """Month number of an Indonesian or English month name or abbreviation."""
    return _MONTHS.get(word.strip().lower().rstrip("."))


def parse_period(text: object) -> str | None:
    """``"YYYY-MM"`` from a sheet name or title (``Jul 2023``, ``Posisi: 31 Juli 2023``,
    ``2023-07``); ``None`` if the text names no month."""
    if text is None:
        return None
    s = str(text).strip().lower()
    m = _ISO_PERIOD.search(s)
    if m and 1 <= int(m.group(2)) <= 12 and 1990 <= int(m.group(1)) <= 2100:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    for m in _NAMED_PERIOD.finditer(s):
        month = month_number(m.group(1))
        if month is None:
            continue
        year_text = m.group(2)
        year = 2000 + int(year_text[1:]) if year_text.startswith("'") else int(year_text)
        if 1990 <= year <= 2100:
            return f"{year:04d}-{month:02d}"
    return None


def cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing ``.0``; dates as ``2024-11-30``; empty string
    for empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).strip()


#: Words in a title or header saying the figures are thousands of persons.
THOUSANDS_WORDS = re.compile(r"\bribu(?:an)?\b|\(\s*000\s*\)|\b000\s*(?:orang|jiwa)\b|\bthousands?\b", re.I)


def thousands_cell(grid: Grid, end: int) -> tuple[int, str, str] | None:
    """``(row, cell, words)`` of the first cell of ``grid.rows[:end]`` (titles and header)
    saying the figures are in thousands (:data:`THOUSANDS_WORDS`); ``None`` if none does."""
    from openpyxl.utils import get_column_letter

    for rownum, cells in grid.rows[:end]:
        for col, text in enumerate(grid.texts(cells)):
            m = THOUSANDS_WORDS.search(text)
            if m:
                return rownum, f"{get_column_letter(col + 1)}{rownum}", m.group(0)
    return None


#: First cell of the footnote block that ends a statistical table (BPS and branch layouts).
FOOTNOTE = re.compile(r"^\s*(catatan|sumber|source|note|keterangan|ket\s*:|\*\))", re.I)
#: A column-number row: ``(1) (2) (3) ...``.
COLUMN_NUMBER = re.compile(r"^\(\d+\)$")


@dataclass
class Grid:
    """One sheet (or a CSV file): rows of cells with their original 1-based row numbers."""

    file: str
    sheet: str | None
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)

    def problem(
        self,
        expected: str,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        severity: str = "error",
        show_value: bool = True,
    ) -> Problem:
        return Problem(
            file=self.file,
            expected=expected,
            row=row,
            column=column,
            value=value,
            sheet=self.sheet,
            severity=severity,
            show_value=show_value,
        )

    def texts(self, row: list[Cell]) -> list[str]:
        return [cell_text(c) for c in row]

    def table_body(self, start: int):
        """``(row number, cells, texts)`` of the rows from index ``start`` up to the footnote
        block (``Catatan:``, ``Sumber:``, ...), skipping column-number rows ``(1) (2) ...``."""
        for rownum, cells in self.rows[start:]:
            texts = self.texts(cells)
            first = next((t for t in texts if t), "")
            if FOOTNOTE.match(first):
                return
            if all(COLUMN_NUMBER.match(t) for t in texts if t):
                continue
            yield rownum, cells, texts


@cache
def _cell_parser():
    """openpyxl's streaming sheet parser (``openpyxl.worksheet._reader.WorkSheetParser``, the
    one its read-only mode uses; it also collects the merged ranges), reading saved results
    (``data_only``) and marking a formula cell whose result was never saved as
    :class:`UnsavedFormula` instead of ``None``. Defined on first use: openpyxl is imported
    only when an xlsx file is read. ``tests/test_read_cells.py`` pins what it relies on."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class CellParser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = UnsavedFormula(element.get("r") or "", element.findtext(FORMULA_TAG) or "")
            return cell

    return CellParser


def _sheet_grid(wb, ws, display: str) -> Grid:
    """One worksheet as a :class:`Grid`, streamed row by row (see the module docstring)."""
    from bisect import bisect_left, bisect_right

    from openpyxl.worksheet.cell_range import CellRange

    cells: dict[int, dict[int, object]] = {}
    with ws._get_source() as src:  # the sheet's XML part, as openpyxl's read-only worksheet opens it
        parser = _cell_parser()(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for rownum, row in parser.parse():
            values = {
                c["column"]: c["value"]
                for c in row
                if c["value"] is not None and not (isinstance(c["value"], str) and not c["value"].strip())
            }
            if values:
                cells[rownum] = values
        merges = parser.merged_cells.mergeCell if parser.merged_cells is not None else []
    if not cells:
        return Grid(display, ws.title, [])
    rownums = sorted(cells)
    max_col = max(max(values) for values in cells.values())
    for merge in merges:
        rng = CellRange(merge.ref)
        top = cells.get(rng.min_row, {}).get(rng.min_col)
        if top is None:
            continue
        # only rows that hold data, only columns up to the last one with data: bounded by the data
        for r in rownums[bisect_left(rownums, rng.min_row) : bisect_right(rownums, rng.max_row)]:
            row = cells[r]
            for col in range(rng.min_col, min(rng.max_col, max_col) + 1):
                row[col] = top
    rows = []
    for r in rownums:
        row = cells[r]
        rows.append((r, [_cell(row.get(col)) for col in range(1, max_col + 1)]))
    return Grid(display, ws.title, rows)


def _cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(
        value, (int, float, UnsavedFormula, datetime.date, datetime.time, datetime.timedelta)
    ) and not isinstance(value, bool):
        return value
    return str(value).strip()


def _xlsx_grids(path: Path, display: str) -> list[Grid]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(Problem(display, f"a readable .xlsx workbook ({type(exc).__name__}: {exc})")) from None
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise InputError(Problem(display, f"a readable .xlsx workbook ({type(exc).__name__})")) from None
    try:
        return [_sheet_grid(wb, ws, display) for ws in wb.worksheets if hasattr(ws, "_get_source")]
    except InputError:
        raise
    except Exception as exc:  # a damaged sheet part (bad XML, a bad cell reference)
        raise InputError(Problem(display, f"a readable .xlsx workbook ({type(exc).__name__} in a sheet)")) from None
    finally:
        wb.close()


def decode_csv_bytes(data: bytes, display: str) -> str:
    """Decode a CSV as UTF-8 (BOM or not) or cp1252; a clear error otherwise."""
    if b"\x00" in data[:4096]:
        raise InputError(
            Problem(
                display,
                "a text CSV file in UTF-8 or cp1252 (this looks like UTF-16 or a "
                "binary file; save it again as 'CSV UTF-8')",
            )
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        Problem(display, "a text CSV file in UTF-8 or cp1252 (it is neither; save it again as 'CSV UTF-8')")
    )


def _csv_grid(path: Path, display: str) -> Grid:
    text = decode_csv_bytes(path.read_bytes(), display)
    sample = "\n".join(text.splitlines()[:50])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = []
    for i, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        values: list[Cell] = [v.strip() for v in record]
        if any(v != "" for v in values):
            rows.append((i, values))
    return Grid(display, None, rows)


def load_grids(path: str | Path, display: str | None = None) -> list[Grid]:
    """Every sheet of an ``.xlsx`` workbook, or the single grid of a ``.csv`` file.

    ``display`` is how the file is named in problems (default: the path as given).
    An empty file or an unsupported extension is an :class:`InputError`.
    """
    path = Path(path)
    display = display or str(path)
    if not path.exists():
        raise InputError(Problem(display, "an existing file (not found)"))
    if path.stat().st_size == 0:
        raise InputError(Problem(display, "a file with data (it is empty, 0 bytes)"))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        grids = _xlsx_grids(path, display)
    elif suffix in (".csv", ".txt"):
        grids = [_csv_grid(path, display)]
    else:
        raise InputError(Problem(display, f"an .xlsx or .csv file (not '{suffix or 'no extension'}')"))
    if all(not g.rows for g in grids):
        raise InputError(Problem(display, "a file with data (every sheet is empty)"))
    return grids
