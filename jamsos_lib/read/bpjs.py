"""BPJS Ketenagakerjaan active participants: the monthly branch spreadsheet and the long CSV
template (spec: ``data/raw/README.md``).

Branch spreadsheet (:func:`read_bpjs_branch`)
--------------------------------------------
An xlsx with one sheet per month (or one file per month). The month comes from the sheet
name (``Jul 2023``, ``Juli 2023``, ``2023-07``) or a ``Posisi: 31 Juli 2023`` title row
(both present and different is an error; for a one-sheet workbook the file name may give it,
``peserta_2023-07.xlsx``). The header row ``No | Kantor Cabang | Kabupaten/Kota | PU | BPU |
Jasa Konstruksi | PMI | Total`` is found by content. Rows are grouped under a Kantor Cabang
(its name only on the group's first row, or a merged cell); ``Sub Total …`` rows close a
group and must equal the sum of its rows, the ``TOTAL`` row must equal the sum of all rows,
and on every row ``Total`` must equal PU + BPU + Jasa Konstruksi + PMI. Those rows are
checked, not output; a row that is itself wrong (a bad figure, an unknown region, its own
Total) is one error, and the sub total / TOTAL checks it would break are skipped (one root
cause, not a cascade). A month sheet with a header but no kab/kota row is an error (its month
would silently be lost), and so is a title or header saying the counts are in thousands
(``ribuan``, ``(000)``: a branch sheet holds whole persons). A region served by several branches (e.g. Kota Surabaya) is summed over
its branches; the same region twice under one branch is an error. A sheet with neither a
month nor a header (a notes sheet) is skipped.

Long CSV (:func:`read_bpjs_long`)
---------------------------------
``period,region_code,segment,active_participants`` with ``period`` ``YYYY-MM``, a region
code (``3503`` or ``35.03``; a province code ``35`` for the province's own published
figure) and a segment ``PU``/``BPU``/``JAKON``/``PMI`` (aliases ``Jasa Konstruksi``, ``JK``,
``Jakon``) or ``TOTAL`` (a published total whose segment split is not published). Optional
columns ``published_on``, ``source_url``, ``quote`` and ``note`` document each row's own
source; ``source_url`` is carried into the participants table. Any subset of regions and
months may be given: completeness is a question for each report, not for the file.

Counts are whole, non-negative numbers (numeric cells or ``38.595``); ``-``/``…`` is nil
(no figure for that segment). Output: a ``participants`` table (schema
:data:`jamsos_lib.validate.schemas.PARTICIPANTS`). All problems of a file are raised together.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from jamsos_lib.errors import InputError, Problem
from jamsos_lib.read.cells import Grid, cell_text, is_nil, load_grids, parse_count, parse_period, thousands_cell
from jamsos_lib.read.provenance import Provenance
from jamsos_lib.read.result import ReadResult, add_status, check_schema
from jamsos_lib.regions import RegionRegistry, UnresolvedRegion, load_registry
from jamsos_lib.validate.schemas import PARTICIPANTS, SEGMENTS

_HEADER_KEYS = {
    "NO": "no",
    "NOMOR": "no",
    "KANTORCABANG": "branch",
    "CABANG": "branch",
    "KC": "branch",
    "KANTORCABANGKC": "branch",
    "KABUPATENKOTA": "region",
    "KABKOTA": "region",
    "WILAYAH": "region",
    "PU": "PU",
    "PENERIMAUPAH": "PU",
    "PENERIMAUPAHPU": "PU",
    "BPU": "BPU",
    "BUKANPENERIMAUPAH": "BPU",
    "BUKANPENERIMAUPAHBPU": "BPU",
    "JASAKONSTRUKSI": "JAKON",
    "JK": "JAKON",
    "JAKON": "JAKON",
    "JASAKONSTRUKSIJK": "JAKON",
    "PMI": "PMI",
    "PEKERJAMIGRANINDONESIA": "PMI",
    "PEKERJAMIGRANINDONESIAPMI": "PMI",
    "TOTAL": "total",
    "JUMLAH": "total",
}
_SEGMENT_ALIASES = {
    "PU": "PU",
    "PENERIMAUPAH": "PU",
    "BPU": "BPU",
    "BUKANPENERIMAUPAH": "BPU",
    "JAKON": "JAKON",
    "JK": "JAKON",
    "JASAKONSTRUKSI": "JAKON",
    "PMI": "PMI",
    "PEKERJAMIGRANINDONESIA": "PMI",
}
#: the long template also accepts a published total (segment split not published)
_LONG_SEGMENT_ALIASES = {**_SEGMENT_ALIASES, "TOTAL": "TOTAL", "JUMLAH": "TOTAL"}
SEGMENT_HEADERS = {"PU": "PU", "BPU": "BPU", "JAKON": "Jasa Konstruksi", "PMI": "PMI", "total": "Total"}
_REQUIRED = ("region", "PU", "BPU", "JAKON", "PMI", "total")
_SUBTOTAL = re.compile(r"^\s*(sub\s*-?\s*total|jumlah\s+(kc|kantor|cabang))", re.I)
_GRAND_TOTAL = re.compile(r"^\s*(grand\s+)?(total|jumlah)\b", re.I)
_LONG_COLUMNS = ("period", "region_code", "segment", "active_participants")
_ISO_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _key(text: str) -> str:
    return re.sub(r"[^A-Z]", "", text.upper())


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def find_header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    for i, (_, cells) in enumerate(grid.rows[:30]):
        cols: dict[str, int] = {}
        for c, t in enumerate(grid.texts(cells)):
            name = _HEADER_KEYS.get(_key(t))
            if name and name not in cols:
                cols[name] = c
        if "region" in cols and ("PU" in cols or "branch" in cols):
            return i, cols
    return None


def _sheet_period(
    grid: Grid, header_index: int | None, single_sheet: bool, file_stem: str, problems: list[Problem]
) -> str | None:
    from_name = parse_period(grid.sheet)
    title_rows = grid.rows[: header_index if header_index is not None else 10]
    from_title, title_row = None, None
    for rownum, cells in title_rows:
        text = " ".join(grid.texts(cells))
        p = parse_period(text)
        if p and (from_title is None or "posisi" in text.lower()):
            from_title, title_row = p, rownum
    if from_name and from_title and from_name != from_title:
        problems.append(
            grid.problem(
                f"the month in the title to match the sheet name ({from_name})", row=title_row, value=from_title
            )
        )
        return None
    period = from_name or from_title
    if period is None and single_sheet:
        period = parse_period(file_stem)
    return period


def read_bpjs_branch(
    path: str | Path,
    *,
    registry: RegionRegistry | None = None,
    provenance: Provenance | None = None,
    display: str | None = None,
) -> ReadResult:
    """Read a monthly branch spreadsheet into the ``participants`` table (see module docstring)."""
    registry = registry or load_registry()
    display = display or (provenance.source_id if provenance else str(path))
    grids = load_grids(path, display)
    problems: list[Problem] = []
    records: list[dict] = []
    periods_seen: dict[str, str] = {}
    for grid in grids:
        if not grid.rows:
            continue
        found = find_header(grid)
        period = _sheet_period(grid, found[0] if found else None, len(grids) == 1, Path(path).stem, problems)
        if found is None:
            if period is not None:
                problems.append(
                    grid.problem(
                        "a header row 'No | Kantor Cabang | Kabupaten/Kota | PU | BPU | "
                        "Jasa Konstruksi | PMI | Total' in the first 30 rows"
                    )
                )
            continue
        header_index, cols = found
        missing = [SEGMENT_HEADERS.get(k, "Kabupaten/Kota") for k in _REQUIRED if k not in cols]
        if missing:
            problems.append(
                grid.problem(
                    f"a header with the columns Kabupaten/Kota, PU, BPU, Jasa Konstruksi, PMI, Total (missing: "
                    f"{', '.join(missing)})",
                    row=grid.rows[header_index][0],
                    value=" | ".join(t for t in grid.texts(grid.rows[header_index][1]) if t),
                )
            )
            continue
        if period is None:
            problems.append(
                grid.problem(
                    "a month in the sheet name (e.g. 'Jul 2023' or '2023-07') or a title row 'Posisi: Juli 2023'",
                    value=grid.sheet,
                )
            )
            continue
        if period in periods_seen:
            problems.append(grid.problem(f"one sheet per month; {period} is also sheet '{periods_seen[period]}'"))
            continue
        periods_seen[period] = grid.sheet or ""
        unit = thousands_cell(grid, header_index + 1)
        if unit:
            problems.append(
                grid.problem(
                    f"counts of persons: cell {unit[1]} says '{unit[2]}', but a branch sheet "
                    "holds whole persons (write the counts in full and remove the word)",
                    row=unit[0],
                    show_value=False,
                )
            )
            continue
        records.extend(_read_branch_sheet(grid, header_index, cols, period, registry, problems))
    if not periods_seen and not problems:
        problems.append(
            Problem(
                display,
                "at least one sheet with a month and a header row 'No | Kantor Cabang | "
                "Kabupaten/Kota | PU | BPU | Jasa Konstruksi | PMI | Total'",
            )
        )
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame.from_records(records, columns=["period", "region_code", "segment", "participants"])
    frame = frame.groupby(["period", "region_code", "segment"], as_index=False, sort=True)["participants"].sum()
    return _finish(frame, provenance, display)


def _read_branch_sheet(
    grid: Grid, header_index: int, cols: dict[str, int], period: str, registry: RegionRegistry, problems: list[Problem]
) -> list[dict]:
    measures = ["PU", "BPU", "JAKON", "PMI", "total"]
    label_cols = [cols[k] for k in ("no", "branch", "region") if k in cols]
    region_header = cell_text(grid.rows[header_index][1][cols["region"]])
    records: list[dict] = []
    branch: str | None = None
    group: list[dict[str, int]] = []
    sheet_rows: list[dict[str, int]] = []
    seen: dict[tuple[str | None, str], int] = {}
    # measures whose sums a bad row above has broken, per branch group and per sheet: their
    # sub total / TOTAL checks are skipped, so one bad row is one error, not a cascade
    broken_group: set[str] = set()
    broken_sheet: set[str] = set()
    region_rows = 0

    def check_sum(rownum: int, cells: list, rows: list[dict[str, int]], what: str, broken: set[str]) -> None:
        for m in measures:
            if m in broken:
                continue
            raw = cells[cols[m]] if cols[m] < len(cells) else ""
            try:
                value = parse_count(raw) or 0
            except ValueError as exc:
                problems.append(grid.problem(str(exc), row=rownum, column=SEGMENT_HEADERS[m], value=raw))
                continue
            expected = sum(r.get(m, 0) for r in rows)
            if value != expected:
                problems.append(
                    grid.problem(f"{what} = {_fmt(expected)}", row=rownum, column=SEGMENT_HEADERS[m], value=raw)
                )

    for rownum, cells, texts in grid.table_body(header_index + 1):
        labels = [texts[c] for c in label_cols if c < len(texts)]
        if any(_SUBTOTAL.match(t) for t in labels):
            check_sum(rownum, cells, group, f"the sum of the rows of {branch or 'this branch'} above", broken_group)
            group, broken_group = [], set()
            continue
        if any(_GRAND_TOTAL.match(t) for t in labels):
            if region_rows:  # without any kab/kota row the sheet's one error is that (below)
                check_sum(rownum, cells, sheet_rows, "the sum of all kab/kota rows of the sheet", broken_sheet)
            break
        branch_text = texts[cols["branch"]] if "branch" in cols and cols["branch"] < len(texts) else ""
        if branch_text and branch_text != branch:
            branch, group, broken_group = branch_text, [], set()
        label = texts[cols["region"]] if cols["region"] < len(texts) else ""
        values_raw = {m: (cells[cols[m]] if cols[m] < len(cells) else "") for m in measures}
        if not label:
            if not all(is_nil(v) for v in values_raw.values()):
                problems.append(
                    grid.problem(
                        "a kab/kota name for a row with figures", row=rownum, column=region_header, value=label
                    )
                )
                broken_group.update(measures)
                broken_sheet.update(measures)
            continue
        region_rows += 1
        # from here on, a row that is not added to the sums breaks them: mark them (undone when it is added)
        group_before, sheet_before = set(broken_group), set(broken_sheet)
        broken_group.update(measures)
        broken_sheet.update(measures)
        try:
            code = registry.resolve(label)
        except UnresolvedRegion as exc:
            hint = f"; closest: {', '.join(exc.suggestions)}" if exc.suggestions else ""
            problems.append(
                grid.problem(
                    f"a kab/kota in the registry ({exc.reason}{hint})", row=rownum, column=region_header, value=label
                )
            )
            continue
        if registry.region(code).is_province:
            problems.append(
                grid.problem(
                    "a kab/kota (a province row is a total: label it TOTAL)",
                    row=rownum,
                    column=region_header,
                    value=label,
                )
            )
            continue
        if (branch, code) in seen:
            problems.append(
                grid.problem(
                    f"each kab/kota once per Kantor Cabang; {registry.official_name(code)} is "
                    f"already on row {seen[(branch, code)]}",
                    row=rownum,
                    column=region_header,
                    value=label,
                )
            )
            continue
        seen[(branch, code)] = rownum
        parsed: dict[str, int] = {}
        bad = False
        for m in measures:
            try:
                v = parse_count(values_raw[m])
            except ValueError as exc:
                problems.append(
                    grid.problem(f"{exc} (or - for nil)", row=rownum, column=SEGMENT_HEADERS[m], value=values_raw[m])
                )
                bad = True
                continue
            if v is not None:
                parsed[m] = v
        if bad:
            continue
        segment_sum = sum(parsed.get(s, 0) for s in SEGMENTS)
        if "total" in parsed and parsed["total"] != segment_sum:
            problems.append(
                grid.problem(
                    f"Total = PU + BPU + Jasa Konstruksi + PMI = {_fmt(segment_sum)}",
                    row=rownum,
                    column="Total",
                    value=values_raw["total"],
                )
            )
        else:  # a good row: the sums below stay checkable
            broken_group, broken_sheet = group_before, sheet_before
        group.append(parsed)
        sheet_rows.append(parsed)
        for s in SEGMENTS:
            if s in parsed:
                records.append({"period": period, "region_code": code, "segment": s, "participants": parsed[s]})
    if not region_rows:
        problems.append(
            grid.problem(
                f"kab/kota rows under this header: the sheet has none, so {period} would be "
                "lost (fill it in, or delete the sheet)",
                row=grid.rows[header_index][0],
                show_value=False,
            )
        )
    return records


def read_bpjs_long(
    path: str | Path,
    *,
    registry: RegionRegistry | None = None,
    provenance: Provenance | None = None,
    display: str | None = None,
) -> ReadResult:
    """Read the long CSV template ``period,region_code,segment,active_participants``."""
    registry = registry or load_registry()
    display = display or (provenance.source_id if provenance else str(path))
    grid = load_grids(path, display)[0]
    header_row, header = grid.rows[0][0], [t.strip().lower() for t in grid.texts(grid.rows[0][1])]
    missing = [c for c in _LONG_COLUMNS if c not in header]
    if missing:
        raise InputError(
            grid.problem(
                f"the header 'period,region_code,segment,active_participants' (missing: {', '.join(missing)})",
                row=header_row,
                value=",".join(header),
            )
        )
    idx = {c: header.index(c) for c in _LONG_COLUMNS}
    url_col = header.index("source_url") if "source_url" in header else None
    problems: list[Problem] = []
    records: list[dict] = []
    seen: dict[tuple[str, str, str], int] = {}
    for rownum, cells in grid.rows[1:]:
        texts = grid.texts(cells)
        get = {c: (cells[i] if i < len(cells) else "") for c, i in idx.items()}
        period = texts[idx["period"]] if idx["period"] < len(texts) else ""
        ok = True
        if not _ISO_MONTH.match(period):
            problems.append(
                grid.problem("a period YYYY-MM such as 2024-11", row=rownum, column="period", value=get["period"])
            )
            ok = False
        try:
            code = registry.resolve(get["region_code"])
        except UnresolvedRegion as exc:
            hint = f"; closest: {', '.join(exc.suggestions)}" if exc.suggestions else ""
            problems.append(
                grid.problem(
                    f"a region code in the registry such as 3503 ({exc.reason}{hint})",
                    row=rownum,
                    column="region_code",
                    value=get["region_code"],
                )
            )
            ok = False
            code = None
        segment = _LONG_SEGMENT_ALIASES.get(_key(cell_text(get["segment"])))
        if segment is None:
            problems.append(
                grid.problem(
                    "a segment: PU, BPU, JAKON (Jasa Konstruksi), PMI or TOTAL",
                    row=rownum,
                    column="segment",
                    value=get["segment"],
                )
            )
            ok = False
        try:
            count = parse_count(get["active_participants"])
            if count is None:
                raise ValueError("a count of active participants (empty)")
        except ValueError as exc:
            problems.append(
                grid.problem(str(exc), row=rownum, column="active_participants", value=get["active_participants"])
            )
            ok = False
        if not ok:
            continue
        key = (period, code, segment)
        if key in seen:
            problems.append(
                grid.problem(
                    f"one row per period, region and segment; the same key is on row {seen[key]}",
                    row=rownum,
                    column="region_code",
                    value=get["region_code"],
                )
            )
            continue
        seen[key] = rownum
        url = cell_text(cells[url_col]) if url_col is not None and url_col < len(cells) else ""
        records.append(
            {"period": period, "region_code": code, "segment": segment, "participants": count, "source_url": url}
        )
    if not records and not problems:
        problems.append(grid.problem("at least one data row under the header"))
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame.from_records(
        records, columns=["period", "region_code", "segment", "participants", "source_url"]
    )
    frame["source_url"] = frame["source_url"].astype(str)
    return _finish(frame, provenance, display)


def _finish(frame: pd.DataFrame, provenance: Provenance | None, display: str) -> ReadResult:
    for col in ("period", "region_code", "segment"):
        frame[col] = frame[col].astype(str)
    frame["participants"] = frame["participants"].astype("int64")
    frame = add_status(frame, provenance, display)
    frame = frame.sort_values(["period", "region_code", "segment"], kind="stable").reset_index(drop=True)
    return ReadResult({"participants": check_schema(frame, PARTICIPANTS, display)})
