"""Problems with input data, reported one clear line each.

A reader or validator collects every :class:`Problem` it finds in a file and raises a
single :class:`InputError` carrying all of them, so an analyst fixes a file in one go.
The CLI prints ``str(problem)`` per line and exits with status 2; it never shows a
traceback for bad input. Values are shown as found, except that anything that looks like
a NIK (16 digits) is masked by :func:`safe_value`, so personal data never reaches an
error message or a log.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

_NIK_LIKE = re.compile(r"\d[\d .'\-]{9,}\d")
#: a date or date-time as a spreadsheet cell gives it (``2024-11-30``, ``2024-11-30 00:00:00``):
#: at most 14 digits in a fixed pattern, never a NIK (16 digits)
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2


def safe_value(value: object, limit: int = 60) -> str:
    """Render a cell value for a message: trimmed, and never a NIK-like digit run."""
    if value is None:
        return "(empty)"
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    text = str(value)
    if text.strip() == "" or text == "nan":
        return "(empty)"
    if _DATE_LIKE.match(text.strip()):
        return f"{text.strip()} (a date)"
    if _NIK_LIKE.search(text) and sum(ch.isdigit() for ch in text) >= 10:
        return "(a long number, not shown: it may be a NIK)"
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mask_nik(text: str) -> str:
    """``text`` with every digit run that could be a NIK (10+ digits, separators allowed)
    replaced, the rest kept: for error messages and logs built from exceptions."""
    def _mask(m: re.Match) -> str:
        return "(number hidden)" if sum(ch.isdigit() for ch in m.group(0)) >= 10 else m.group(0)
    return _NIK_LIKE.sub(_mask, str(text))


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
        where = [Path(self.file).name if self.file else "(input)"]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
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
