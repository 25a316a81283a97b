"""Small-cell suppression for every published table of person counts.

Rule (``papermill-nbconvert-notes.md`` C3, following the CMS/Duke 1–9 practice):

* a count of 1–9 persons is shown as ``"<10"`` (primary suppression); 0 is shown;
* **secondary suppression**: in every group of cells tied by a published sum (a row whose
  columns add up, a column with its total row, a flow matrix row or column), if exactly
  one cell is hidden, the smallest other non-zero cell of the group is hidden too and
  shown as ``"s"``, repeated until no group has a single hidden cell, so no total can
  reveal a small cell;
* a percentage computed from a hidden count is hidden (``None``).

This runs in the library, before a table reaches a file or a notebook, and the rule text
(:data:`RULE`) is written next to every published table (``summary.json``, report
footnote). Groups are the sums the caller publishes; a table with linear relations other
than sums needs more care (documented limitation: this is the classic group heuristic,
not an optimal linear-programming suppression).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

THRESHOLD = 10
PRIMARY = "<10"
SECONDARY = "s"
RULE = (
    "Counts of 1-9 persons are shown as '<10'; cells marked 's' are hidden as well so that a total "
    "cannot reveal a small cell (secondary suppression); percentages computed from a hidden count are left blank."
)

Cell = tuple[int, str]  # (row position, column name)


def primary_mask(frame: pd.DataFrame, columns: Sequence[str], threshold: int = THRESHOLD) -> pd.DataFrame:
    """Boolean frame: True where a count is between 1 and ``threshold - 1``."""
    values = frame[list(columns)].apply(pd.to_numeric, errors="coerce")
    return (values >= 1) & (values < threshold)


def suppress(frame: pd.DataFrame, columns: Sequence[str], groups: Iterable[Sequence[Cell]] = (),
             threshold: int = THRESHOLD) -> tuple[pd.DataFrame, dict[Cell, str]]:
    """Hide small counts in ``columns`` of ``frame`` and return (published frame, hidden cells).

    ``groups`` lists cell groups tied by a published sum, as ``(row position, column)``
    pairs. The published frame has the count columns as text (``"1234"``, ``"<10"``,
    ``"s"``); ``hidden`` maps each hidden cell to its marker.
    """
    columns = list(columns)
    frame = frame.reset_index(drop=True)
    values = frame[columns].apply(pd.to_numeric, errors="coerce").fillna(0).astype("int64")
    mask = primary_mask(frame, columns, threshold)
    hidden: dict[Cell, str] = {}
    for col in columns:
        for pos in mask.index[mask[col]]:
            hidden[(int(pos), col)] = PRIMARY
    groups = [list(g) for g in groups]
    changed = True
    while changed:
        changed = False
        for group in groups:
            inside = [c for c in group if c in hidden]
            if len(inside) != 1:
                continue
            candidates = [c for c in group if c not in hidden]
            if not candidates:
                continue
            nonzero = [c for c in candidates if values.at[c[0], c[1]] != 0]
            pick_from = nonzero or candidates
            pick = min(pick_from, key=lambda c: (values.at[c[0], c[1]], c[0], c[1]))
            hidden[pick] = SECONDARY
            changed = True
    out = frame.copy()
    for col in columns:
        out[col] = [
            hidden.get((pos, col), str(int(values.at[pos, col]))) for pos in range(len(frame))
        ]
        out[col] = out[col].astype(str)
    return out, hidden


def published_count(value, threshold: int = THRESHOLD):
    """One published count: 1..threshold-1 becomes ``"<10"``; 0, large counts and None stay."""
    if value is None or isinstance(value, str):
        return value
    return f"<{threshold}" if 0 < int(value) < threshold else int(value)


def total_reveals_hidden(column: pd.Series) -> bool:
    """True when a published column has exactly one hidden cell, so its total minus the shown
    cells would give that cell back: such a total must not be published."""
    return int(column.astype(str).isin(["s"] + [f"<{THRESHOLD}"]).sum()) == 1


def row_groups(n_rows: int, columns: Sequence[str]) -> list[list[Cell]]:
    """One group per row over ``columns`` (the columns of a row add up)."""
    return [[(r, c) for c in columns] for r in range(n_rows)]


def column_groups(n_rows: int, columns: Sequence[str]) -> list[list[Cell]]:
    """One group per column over all rows (the rows add up to a published total row)."""
    return [[(r, c) for r in range(n_rows)] for c in columns]


def hide_dependent(frame: pd.DataFrame, hidden: dict[Cell, str], depends: dict[str, Sequence[str]]) -> pd.DataFrame:
    """Blank derived columns (percentages, Rupiah) whose source count is hidden in the same row."""
    out = frame.copy()
    for target, sources in depends.items():
        rows = [r for r in range(len(out)) if any((r, s) in hidden for s in sources)]
        if rows:
            out[target] = out[target].astype(object)
            out.loc[rows, target] = None
    return out
