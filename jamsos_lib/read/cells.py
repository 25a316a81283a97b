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

Sheets (:func:`load_grids`) become :class:`Grid` objects: the cells of each row with the
row's original 1-based number, so a :class:`~jamsos_lib.errors.Problem` can name the row
exactly as a spreadsheet program shows it. Merged cells in xlsx files are filled with the
value of their top-left cell (so a caption merged over several year columns is seen in each
of them). Cells are ``str`` (stripped; empty string for an empty cell) except numeric xlsx
cells, which stay ``int``/``float`` so that ``1234.5`` is never re-read as ``12.345``.
CSV files are sniffed for ``,`` or ``;`` and decoded as UTF-8 (with or without BOM) or
cp1252; anything else is a clear error.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from babel.numbers import NumberFormatError, parse_decimal

from jamsos_lib.errors import InputError, Problem

Cell = str | int | float

NIL_MARKERS = frozenset({"-", "–", "—", "…", "..."})

_MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "agst": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
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


def parse_count(value: object, *, decimal_mark: str = ",") -> int | None:
    """A non-negative whole number of persons (``None`` for nil); ``ValueError`` otherwise."""
    number = parse_number(value, decimal_mark=decimal_mark)
    if number is None:
        return None
    if not isinstance(number, int):
        raise ValueError("a whole number of persons")
    if number < 0:
        raise ValueError("a count of 0 or more (not negative)")
    return number


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
    """A cell as text: numbers without a trailing ``.0``; empty string for empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


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

    def problem(self, expected: str, row: int | None = None, column: str | None = None,
                value: object = None, severity: str = "error", show_value: bool = True) -> Problem:
        return Problem(file=self.file, expected=expected, row=row, column=column, value=value,
                       sheet=self.sheet, severity=severity, show_value=show_value)

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


def _xlsx_grids(path: Path, display: str) -> list[Grid]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(Problem(display, f"a readable .xlsx workbook ({type(exc).__name__}: {exc})")) from None
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise InputError(Problem(display, f"a readable .xlsx workbook ({type(exc).__name__})")) from None
    grids = []
    for ws in wb.worksheets:
        cells: dict[tuple[int, int], object] = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells[(c.row, c.column)] = c.value
        for rng in ws.merged_cells.ranges:
            top = cells.get((rng.min_row, rng.min_col))
            for r in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    if top is not None:
                        cells[(r, col)] = top
        if not cells:
            grids.append(Grid(display, ws.title, []))
            continue
        max_col = max(c for _, c in cells)
        rows = []
        for r in sorted({r for r, _ in cells}):
            values: list[Cell] = []
            for col in range(1, max_col + 1):
                v = cells.get((r, col))
                if v is None:
                    values.append("")
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    values.append(v)
                else:
                    values.append(str(v).strip())
            if any(v != "" for v in values):
                rows.append((r, values))
        grids.append(Grid(display, ws.title, rows))
    return grids


def decode_csv_bytes(data: bytes, display: str) -> str:
    """Decode a CSV as UTF-8 (BOM or not) or cp1252; a clear error otherwise."""
    if b"\x00" in data[:4096]:
        raise InputError(Problem(display, "a text CSV file in UTF-8 or cp1252 (this looks like UTF-16 or a "
                                          "binary file; save it again as 'CSV UTF-8')"))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(Problem(display, "a text CSV file in UTF-8 or cp1252 (it is neither; save it again as "
                                      "'CSV UTF-8')"))


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
