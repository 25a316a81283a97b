"""BPS worker counts ("Penduduk Berumur 15 Tahun Ke Atas yang Bekerja" per kab/kota) in the
layout BPS publishes its static tables in, as xlsx or csv (spec: ``data/raw/README.md``).

What is accepted
----------------
- Title rows before the header (ignored, except that a title or header cell saying
  ``ribu``, ``ribuan``, ``(Ribuan Jiwa)``, ``(000)``, ``000 orang`` or ``thousand`` means
  the figures are in thousands: they are multiplied by 1.000, and a warning names the cell
  that says so; and a province name in the title tells which province two-digit codes live
  under).
- The header is found by its content, not by a fixed row: the row with a
  ``Kabupaten/Kota`` (or ``Wilayah``, ``Regency/Municipality``) cell marks the label column;
  the year row is that row or one of the next three, with cells ``2021`` … ``2024``
  (merged captions and merged labels are filled by :func:`~jamsos_lib.read.cells.load_grids`).
  A row under the years with sub-columns ``Formal``/``Informal``/``Laki-laki``/``Perempuan``/
  ``Jumlah`` gives the optional breakdowns; ``Jumlah``/``Total`` (or no sub-row) is ``workers``.
- A column-number row ``(1) (2) …`` is skipped.
- ``Kabupaten``/``Kota`` group rows set the type of the bare names under them.
- Region labels: ``13 Probolinggo`` (BPS two-digit code under the province, name checked
  against the code), ``3513 Probolinggo``, or any name :meth:`RegionRegistry.resolve`
  accepts (``Kab. Probolinggo``, ``KOTA PROBOLINGGO``, a bare name under its group).
- The province total row (``Jawa Timur``, ``Jumlah``, ``Total``) becomes a row for the
  province code. It must agree with the sum of the kab/kota within **0,5%** of the total
  (published totals are rounded, e.g. "21,04 juta", so they differ slightly from sums);
  a larger difference is an error.
- A footnote block starting ``Catatan:``/``Sumber:``/``Note:``/``Source:`` ends the table.
- Numbers as numeric cells or text (``5.089.783``, ``651,3``); ``-``/``…`` are nil (no
  figure: the region then has no row for that year, which the completeness check reports;
  a year column without any figure is a warning). A decimal (``375,0``, ``375,5``) in a
  table of persons is an error unless the table says it is in thousands; a formula cell
  without a saved result, a date, and a count above 300 million are errors naming the cell.

Every unresolved name, bad number, negative count, duplicate region and total mismatch of
the file is reported together in one :class:`InputError`.

Output: a ``workers`` table (schema :data:`jamsos_lib.validate.schemas.WORKERS`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from jamsos_lib.errors import InputError, Problem
from jamsos_lib.read.cells import (
    MAX_COUNT,
    TOO_LARGE,
    Grid,
    cell_text,
    has_decimal_part,
    is_nil,
    load_grids,
    parse_number,
    thousands_cell,
)
from jamsos_lib.read.provenance import Provenance
from jamsos_lib.read.result import ReadResult, add_status, check_schema
from jamsos_lib.regions import RegionRegistry, UnresolvedRegion, load_registry, normalise
from jamsos_lib.validate.schemas import WORKERS

#: Relative tolerance between the published province total and the sum of its kab/kota.
TOTAL_TOLERANCE = 0.005

#: a header cell (not a title sentence that mentions "Kabupaten/Kota"): starts with the words
_LABEL_HEADER = re.compile(
    r"^\s*(kab(upaten)?\.?\s*/\s*kota(madya)?|regency\s*/\s*(city|municipality)|wilayah)\b", re.I
)
_CODE_LABEL = re.compile(r"^(\d{2}(?:[.]?\d{2})?)\s+(\S.*)$")
_YEAR = re.compile(r"^((?:19|20)\d{2})\s*\**$")
_SUBCOLUMNS = {
    "formal": "formal",
    "informal": "informal",
    "laki-laki": "male",
    "laki laki": "male",
    "lakilaki": "male",
    "male": "male",
    "l": "male",
    "perempuan": "female",
    "female": "female",
    "p": "female",
    "jumlah": "workers",
    "total": "workers",
    "jumlah/total": "workers",
}
_TOTAL_WORDS = {"JUMLAH", "TOTAL", "JUMLAH TOTAL", "JUMLAH/TOTAL"}
_GROUP_WORDS = {"Kabupaten": {"KABUPATEN", "KAB", "REGENCY"}, "Kota": {"KOTA", "MUNICIPALITY", "CITY"}}


def _fmt(n: float) -> str:
    return f"{n:,.0f}".replace(",", ".")


def _year_of(value: object) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and 1990 <= value <= 2100 else None
    m = _YEAR.match(str(value).strip())
    return int(m.group(1)) if m else None


class _Layout:
    """Where the header is in a grid: label column, value columns, first data row index."""

    def __init__(
        self, label_col: int, label_header: str, columns: dict[int, tuple[int, str]], data_start: int, title_text: str
    ):
        self.label_col = label_col
        self.label_header = label_header
        self.columns = columns
        self.data_start = data_start
        self.title_text = title_text


def find_layout(grid: Grid) -> _Layout | None:
    """The header of a BPS static table in ``grid``, found by content; ``None`` if absent."""
    rows = grid.rows
    for i, (_, cells) in enumerate(rows[:40]):
        texts = grid.texts(cells)
        label_cols = [c for c, t in enumerate(texts) if len(t) <= 60 and _LABEL_HEADER.search(t)]
        if not label_cols:
            continue
        label_col = label_cols[0]
        for j in range(i, min(i + 4, len(rows))):
            year_cells = {c: _year_of(v) for c, v in enumerate(rows[j][1]) if c != label_col}
            year_cells = {c: y for c, y in year_cells.items() if y is not None}
            if not year_cells:
                continue
            columns: dict[int, tuple[int, str]] = {c: (y, "workers") for c, y in year_cells.items()}
            last = j
            if j + 1 < len(rows):
                sub = grid.texts(rows[j + 1][1])
                subs = {c: _SUBCOLUMNS.get(sub[c].strip().lower()) for c in year_cells if c < len(sub)}
                if any(subs.values()):
                    columns = {c: (y, subs[c]) for c, y in year_cells.items() if subs.get(c)}
                    last = j + 1
            title = " ".join(" ".join(grid.texts(r)) for _, r in rows[: last + 1])
            return _Layout(label_col, texts[label_col], columns, last + 1, title)
    return None


def _province_of(title: str, labels: list[str], registry: RegionRegistry) -> str | None:
    provinces = registry.provinces()
    for label in labels:
        try:
            code = registry.resolve(label)
        except UnresolvedRegion:
            continue
        if code in provinces:
            return code
    norm_title = f" {normalise(title)} "
    for code in provinces:
        row = registry.table[registry.table["region_code"] == code].iloc[0]
        names = {row["name"], row["official_name"], *[a for a in row["aliases"].split(";") if a.strip()]}
        if any(f" {normalise(n)} " in norm_title for n in names if len(normalise(n)) > 3):
            return code
    return provinces[0] if len(provinces) == 1 else None


def _group_type(label: str) -> str | None:
    words = set(re.findall(r"[A-Z]+", normalise(label)))
    for rtype, allowed in _GROUP_WORDS.items():
        if words and words <= allowed:
            return rtype
    return None


def read_bps_workers(
    path: str | Path,
    *,
    registry: RegionRegistry | None = None,
    provenance: Provenance | None = None,
    display: str | None = None,
) -> ReadResult:
    """Read a BPS worker-count table (xlsx or csv) into the ``workers`` table.

    ``display`` names the file in problems (default: ``provenance.source_id`` or the path).
    Raises :class:`InputError` with every problem found; the province total is checked
    against the sum of the kab/kota with a tolerance of 0,5% (see :data:`TOTAL_TOLERANCE`).
    """
    registry = registry or load_registry()
    display = display or (provenance.source_id if provenance else str(path))
    grids = load_grids(path, display)
    found = [(g, find_layout(g)) for g in grids]
    found = [(g, lay) for g, lay in found if lay is not None]
    if not found:
        raise InputError(
            Problem(
                display,
                "a BPS table header: a 'Kabupaten/Kota' cell with a row of years "
                "(2021, 2022, …) beside or under it, in the first 40 rows",
            )
        )
    grid, layout = found[0]
    problems: list[Problem] = []
    warnings: list[Problem] = []
    unit = thousands_cell(grid, layout.data_start)
    scale = 1000 if unit else 1
    if unit:
        warnings.append(
            grid.problem(
                f"figures in thousands of persons: cell {unit[1]} says '{unit[2]}', so every figure is multiplied by "
                "1.000 to give persons (375,5 -> 375.500)",
                row=unit[0],
                severity="warning",
                show_value=False,
            )
        )

    # the data block: up to the footnote
    data_rows: list[tuple[int, list]] = []
    for rownum, cells, _texts in grid.table_body(layout.data_start):
        data_rows.append((rownum, cells))
    labels = [cell_text(c[layout.label_col]) if layout.label_col < len(c) else "" for _, c in data_rows]
    province = _province_of(layout.title_text, labels, registry)
    if province is None:
        raise InputError(
            grid.problem(
                "a province name in the title or a province total row, to know which "
                "province the kab/kota codes belong to"
            )
        )
    prov_name = registry.official_name(province)

    values: dict[str, dict[tuple[int, str], int | None]] = {}
    seen_row: dict[str, int] = {}
    total_row: int | None = None
    group: str | None = None
    for (rownum, cells), label in zip(data_rows, labels):
        cell_values = {col: (cells[col] if col < len(cells) else "") for col in layout.columns}
        all_nil = all(is_nil(v) for v in cell_values.values())
        if not label:
            if not all_nil:
                problems.append(
                    grid.problem(
                        f"a kab/kota name in column '{layout.label_header}' for a row with figures",
                        row=rownum,
                        column=layout.label_header,
                        value=label,
                    )
                )
            continue
        gtype = _group_type(label)
        if gtype and all_nil:
            group = gtype
            continue
        code: str | None = None
        is_total = normalise(label) in _TOTAL_WORDS
        if not is_total:
            try:
                resolved = registry.resolve(label)
                is_total = resolved == province
            except UnresolvedRegion:
                pass
        if is_total:
            code = province
            total_row = rownum
        else:
            try:
                m = _CODE_LABEL.match(label)
                if m:
                    code = registry.resolve(m.group(1), province=province)
                    region = registry.region(code)
                    try:
                        named = registry.resolve(m.group(2), region_type=region.type, province=province)
                    except UnresolvedRegion:
                        named = None
                    if named != code:
                        problems.append(
                            grid.problem(
                                f"a name matching code {m.group(1)} ({region.official_name}); the code and the "
                                "name disagree",
                                row=rownum,
                                column=layout.label_header,
                                value=label,
                            )
                        )
                        continue
                else:
                    code = registry.resolve(label, region_type=group, province=province)
            except UnresolvedRegion as exc:
                hint = f"; closest: {', '.join(exc.suggestions)}" if exc.suggestions else ""
                problems.append(
                    grid.problem(
                        f"a kab/kota of {prov_name} ({exc.reason}{hint})",
                        row=rownum,
                        column=layout.label_header,
                        value=label,
                    )
                )
                continue
            if registry.region(code).province_code != province or code == province:
                problems.append(
                    grid.problem(f"a kab/kota of {prov_name}", row=rownum, column=layout.label_header, value=label)
                )
                continue
        if code in seen_row:
            problems.append(
                grid.problem(
                    f"each region once; {registry.official_name(code)} is already on row {seen_row[code]}",
                    row=rownum,
                    column=layout.label_header,
                    value=label,
                )
            )
            continue
        seen_row[code] = rownum
        row_values: dict[tuple[int, str], int | None] = {}
        for col, (year, measure) in layout.columns.items():
            colname = str(year) if measure == "workers" else f"{year} {measure}"
            raw = cell_values[col]
            try:
                number = parse_number(raw)
            except ValueError as exc:
                problems.append(grid.problem(f"{exc} (or - for nil)", row=rownum, column=colname, value=raw))
                continue
            if number is None:
                row_values[(year, measure)] = None
                continue
            if number < 0:
                problems.append(
                    grid.problem("a count of 0 or more (not negative)", row=rownum, column=colname, value=raw)
                )
                continue
            if scale == 1 and (not isinstance(number, int) or has_decimal_part(raw)):
                problems.append(
                    grid.problem(
                        "a whole number of persons without a decimal part (or a title "
                        "saying the figures are in thousands: 'ribu', 'ribuan', '(000)')",
                        row=rownum,
                        column=colname,
                        value=raw,
                    )
                )
                continue
            persons = number * scale
            if abs(persons - round(persons)) > 1e-6:  # more decimals than thousands have
                problems.append(
                    grid.problem(
                        "at most three decimals in a table in thousands (a whole number of persons)",
                        row=rownum,
                        column=colname,
                        value=raw,
                    )
                )
                continue
            if persons > MAX_COUNT:
                problems.append(grid.problem(TOO_LARGE, row=rownum, column=colname, value=raw))
                continue
            row_values[(year, measure)] = int(round(persons))
        values[code] = row_values

    years = sorted({y for y, _ in layout.columns.values()})
    for col, (year, measure) in layout.columns.items():
        if values and all(
            (year, measure) in row_values and row_values[(year, measure)] is None for row_values in values.values()
        ):  # every cell nil (not: a cell with an error)
            colname = str(year) if measure == "workers" else f"{year} {measure}"
            warnings.append(
                grid.problem(
                    f"figures in column '{colname}' (every cell is empty or nil, so {year} is not read)",
                    column=colname,
                    severity="warning",
                    show_value=False,
                )
            )
    measures = sorted({m for _, m in layout.columns.values()} - {"workers"})
    records = []
    for code, row_values in values.items():
        for year in years:
            rec = {"region_code": code, "year": year}
            workers = row_values.get((year, "workers"))
            for measure in measures:
                rec[measure] = row_values.get((year, measure))
            if workers is None:
                parts = [("formal", "informal"), ("male", "female")]
                for a, b in parts:
                    if rec.get(a) is not None and rec.get(b) is not None:
                        workers = rec[a] + rec[b]
                        break
            if workers is None:
                continue  # nil: no figure for this region and year (the completeness check reports it)
            rec["workers"] = workers
            records.append(rec)

    # province total against the sum of kab/kota
    kabkota = set(registry.kabkota_codes(province))
    if total_row is not None and province in values:
        for year in years:
            total = next((r["workers"] for r in records if r["region_code"] == province and r["year"] == year), None)
            parts = [r["workers"] for r in records if r["region_code"] in kabkota and r["year"] == year]
            if total is None or len(parts) != len(kabkota) or total == 0:
                continue
            s = sum(parts)
            diff = abs(total - s) / total
            if diff > TOTAL_TOLERANCE:
                problems.append(
                    grid.problem(
                        f"the province total to equal the sum of its {len(kabkota)} kab/kota ({_fmt(s)}) within 0,5% "
                        f"(it differs by {str(round(diff * 100, 1)).replace('.', ',')}%)",
                        row=total_row,
                        column=str(year),
                        value=_fmt(total),
                    )
                )
    if problems:
        raise InputError(problems + warnings)

    cols = ["region_code", "year", "workers", *measures]
    frame = pd.DataFrame.from_records(records, columns=cols)
    frame["year"] = frame["year"].astype(int)
    frame["workers"] = frame["workers"].astype("int64")
    frame["region_code"] = frame["region_code"].astype(str)
    for measure in measures:
        frame[measure] = pd.array(frame[measure].tolist(), dtype="Int64")
    frame = add_status(frame, provenance, display)
    frame = frame.sort_values(["region_code", "year"], kind="stable").reset_index(drop=True)
    return ReadResult({"workers": check_schema(frame, WORKERS, display)}, warnings)
