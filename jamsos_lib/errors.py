"""Problems with input data, reported one clear line each, and the one scrubber that keeps
identifiers out of every output.

A reader or validator collects every :class:`Problem` it finds in a file and raises a
single :class:`InputError` carrying all of them, so an analyst fixes a file in one go.
The CLI prints ``str(problem)`` per line and exits with status 2; it never shows a
traceback for bad input. Values are shown as found, except that anything that could be a
NIK is removed by :func:`scrub`.

The scrubber
------------
:func:`scrub` is the single function every writer of text passes free text through (CSV,
Parquet, ``summary.json``, log lines, stdout/stderr, notebook output, HTML): after Unicode
NFKC normalisation (full-width digits become ASCII, NBSP a space) it replaces every run
of **12 or more digits** in which consecutive digits are separated by at most
:data:`MAX_GAP` separator characters (white space including tab and NBSP, ``. - _ / , :
| ' " ` ``, typographic quotes and dashes) with :data:`HIDDEN`. Twelve digits are the
kab/kota, kecamatan and birth date of a NIK, so a prefix that long is treated as
identifying. Because lists of our own numbers would look the same (``2, 3, 4, ...``),
messages join such lists with ``"; "`` (:func:`number_list`): a semicolon is not a
separator. A short number joined to a NIK by separators (``row 12: 3513...``) is part of
the run and goes with it. Fields that are not free text (hex digests, pseudonyms) are
never scrubbed.
"""

from __future__ import annotations

import datetime
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

#: a date or date-time as a spreadsheet cell gives it (``2024-11-30``, ``2024-11-30 00:00:00``)
#: with a year 1900-2100 (checked in :func:`safe_value`), never the start of a NIK
_DATE_LIKE = re.compile(r"^(\d{4})-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2

#: What a removed digit run is replaced with.
HIDDEN = "(number hidden)"
#: How a programme (Program / Nama Program / Kegiatan / Sumber Dana) whose name held an
#: identifier-like number is published: the whole name goes, not just the number.
PROGRAMME_HIDDEN = "(nama program berisi angka identitas, disembunyikan)"
#: Digits in one run from which a run is removed.
MIN_DIGITS = 12
#: Separator characters allowed between two digits of one run.
MAX_GAP = 3
#: Separators that may stand between the digits of a written NIK (after NFKC).
SEPARATORS = " \t\u00a0\u2007\u202f.\\-_/,:|'\"`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_RUN = re.compile(rf"\d(?:[{SEPARATORS}]{{1,{MAX_GAP}}}\d|\d)*")
#: cheap pre-check: fewer digits than this in the whole text cannot hold a run
_DIGIT = re.compile(r"\d")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text) if not text.isascii() else text


def _scrub_run(m: re.Match) -> str:
    run = m.group(0)
    return HIDDEN if sum(ch.isdigit() for ch in run) >= MIN_DIGITS else run


def scrub(value: object) -> str:
    """``value`` as text with every identifier-like digit run replaced by :data:`HIDDEN`
    (see the module docstring). ``None`` becomes ``""``. The one scrubber of the suite."""
    if value is None:
        return ""
    text = _normal(str(value))
    if len(_DIGIT.findall(text)) < MIN_DIGITS:
        return text
    return _RUN.sub(_scrub_run, text)


def holds_identifier(value: object) -> bool:
    """True when :func:`scrub` would remove something from ``value``."""
    if value is None:
        return False
    text = _normal(str(value))
    return len(_DIGIT.findall(text)) >= MIN_DIGITS and any(
        sum(ch.isdigit() for ch in m.group(0)) >= MIN_DIGITS for m in _RUN.finditer(text)
    )


def scrub_programme(value: object) -> str:
    """A programme name as published: :data:`PROGRAMME_HIDDEN` when it held an identifier."""
    return PROGRAMME_HIDDEN if holds_identifier(value) else scrub(value)


def scrub_json(obj, keep: tuple[str, ...] = ("sha256",)):
    """A JSON-able structure with every string (keys too) scrubbed, except the values of
    keys in ``keep`` (hex digests are not free text). Numbers are left as they are."""
    if isinstance(obj, str):
        return scrub(obj)
    if isinstance(obj, dict):
        return {
            scrub(k) if isinstance(k, str) else k: (v if k in keep else scrub_json(v, keep)) for k, v in obj.items()
        }
    if isinstance(obj, (list, tuple)):
        return [scrub_json(v, keep) for v in obj]
    return obj


def scrub_frame(frame, keep: tuple[str, ...] = ()):
    """A copy of a pandas frame with every text cell (and column name) scrubbed, except
    the columns in ``keep`` (pseudonyms, digests). Missing values stay missing."""
    import pandas as pd

    out = frame.copy()
    out.columns = [scrub(c) if isinstance(c, str) else c for c in out.columns]
    for col in out.columns:
        if col in keep:
            continue
        values = out[col]
        if pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
            if not any(isinstance(v, str) for v in values):
                continue
            scrubbed = [scrub(v) if isinstance(v, str) else v for v in values]
            out[col] = pd.Series(scrubbed, index=out.index, dtype=values.dtype)
    return out


def number_list(numbers, limit: int = 20) -> str:
    """``"3; 5; 9 and 17 more"``: our own numbers (row numbers, months) listed so that the
    list can never read as one long digit run (a semicolon is not a separator)."""
    numbers = list(numbers)
    shown = "; ".join(str(n) for n in numbers[:limit])
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")


def safe_value(value: object, limit: int = 60) -> str:
    """Render a cell value for a message: scrubbed (:func:`scrub`), on one line, trimmed."""
    if value is None:
        return "(empty)"
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    text = str(value)
    if text.strip() == "" or text == "nan":
        return "(empty)"
    date = _DATE_LIKE.match(text.strip())
    if date and 1900 <= int(date.group(1)) <= 2100:
        return f"{text.strip()} (a date)"
    text = scrub(text.replace("\r", " ").replace("\n", " "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mask_nik(text: object) -> str:
    """``text`` with every identifier-like digit run replaced (:func:`scrub`): for error
    messages and logs built from exceptions."""
    return scrub(text)


class ScrubFilter(logging.Filter):
    """A logging filter that scrubs every record's message (arguments merged in), so no
    log line carries an identifier-like digit run, whatever was passed to the logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is still logged, scrubbed
            message = f"{record.msg} {record.args}"
        record.msg, record.args = scrub(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def install_log_scrubber(logger: logging.Logger | None = None) -> None:
    """Add :class:`ScrubFilter` to every handler of ``logger`` (default: the root logger)."""
    logger = logger or logging.getLogger()
    for handler in logger.handlers:
        if not any(isinstance(f, ScrubFilter) for f in handler.filters):
            handler.addFilter(ScrubFilter())


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in an input file.

    ``row`` is the 1-based row number as a spreadsheet program shows it.
    ``severity`` is ``"error"`` (the file is rejected) or ``"warning"`` (reported, kept).
    """

    file: str
    expected: str
    row: int | None = None
    column: str | None = None
    value: object = None
    sheet: str | None = None
    severity: str = "error"
    show_value: bool = True

    def __str__(self) -> str:
        where = [scrub(Path(self.file).name) if self.file else "(input)"]
        if self.sheet:
            where.append(f"sheet '{scrub(self.sheet)}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{scrub(self.column)}'")
        head = ", ".join(where)
        tag = "error" if self.severity == "error" else "warning"
        if self.show_value and (self.row is not None or self.column):
            return f"{tag}: {head}: value {safe_value(self.value)!s}: expected {self.expected}"
        return f"{tag}: {head}: {self.expected}"


@dataclass
class ProblemList:
    """Collects problems while a file is read; raise once at the end."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, *args, **kwargs) -> None:
        self.problems.append(Problem(*args, **kwargs))

    def extend(self, problems) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(self.problems)


class InputError(Exception):
    """Bad input: carries every problem found. The CLI turns this into exit status 2."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(file="", expected=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class JamsosError(Exception):
    """A clear, expected failure that is not about an input file's content
    (missing processed data, an unknown period, a lock held by another run).
    The CLI prints the message and exits with status 2."""
