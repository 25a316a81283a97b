"""Plain-text tables for the terminal: aligned columns, Indonesian formats.

A :class:`Column` names a DataFrame column, its header and a formatter (usually one of
:mod:`jamsos_lib.present.fmt`); numbers are right-aligned, text left-aligned. Used by the
``jamsos coverage``, ``gap`` and ``subsidy`` table views.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from jamsos_lib.present import fmt


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    format: Callable[[object], str] = str
    align: str = "right"  # "right" for numbers, "left" for text


def text(x: object) -> str:
    """A text cell: ``–`` for missing, else the value as text."""
    return fmt.NA_TEXT if fmt.is_na(x) or x == "" else str(x)


def render(frame: pd.DataFrame, columns: list[Column], title: str = "", footer: list[str] | None = None) -> str:
    """The table as text: optional title, header, a rule, one line per row, footer lines."""
    cells = [[c.header for c in columns]]
    for record in frame.to_dict("records"):
        cells.append([c.format(record.get(c.name)) for c in columns])
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]

    def line(row: list[str]) -> str:
        parts = [v.rjust(w) if c.align == "right" else v.ljust(w) for v, w, c in zip(row, widths, columns)]
        return "  ".join(parts).rstrip()

    out = [title] if title else []
    out.append(line(cells[0]))
    out.append("  ".join("-" * w for w in widths))
    out.extend(line(row) for row in cells[1:])
    out.extend(footer or [])
    return "\n".join(out) + "\n"


def render_pairs(pairs: list[tuple[str, str]], title: str = "", footer: list[str] | None = None) -> str:
    """A two-column "field: value" block, for one-row results such as a subsidy scenario."""
    width = max((len(k) for k, _ in pairs), default=0)
    out = [title] if title else []
    out.extend(f"{k.ljust(width)}  {v}" for k, v in pairs)
    out.extend(footer or [])
    return "\n".join(out) + "\n"
