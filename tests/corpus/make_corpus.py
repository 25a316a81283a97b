"""A corpus of spreadsheets as they really arrive (issue 16), written at test time.

Each file is a complete, otherwise valid table in the BPS layout (xlsx or csv), the branch
layout (xlsx, one sheet per month) or the long participation CSV, with one thing that real
offices and scripts do to it: formula cells without a saved result, header-only month
sheets, unit words and decimals, impossible counts, dates in count cells, a bad row among
sub totals, formatting that reaches row 1.048.576. :func:`make_corpus` writes the files and
returns one :class:`Case` per file with what ``jamsos validate`` must say: the exact error
lines, the exact warning lines, and for files that are fine a check of the figures read.

Row numbers follow the layouts of ``tests/layouts.py``: BPS xlsx data from row 7 (row 7 is the
``Kabupaten`` group row), BPS csv data from row 6; branch sheets have their header on row 5 and
data from row 6, four kab/kota per Kantor Cabang then a ``Sub Total`` row, so kab/kota number
``i`` (0-based, code order) is on row ``6 + 5 * (i // 4) + i % 4``. Columns: BPS ``B..E`` are
2021..2024; branch ``D PU, E BPU, F Jasa Konstruksi, G PMI, H Total``.

Run as a script to look at the files: ``python tests/corpus/make_corpus.py OUT_DIR``.
"""

from __future__ import annotations

import datetime
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layouts import (
    BPS_TITLE,
    KABKOTA,
    LONG_HEADER,
    bps_rows,
    branch_rows,
    id_number,  # noqa: E402
    segments_of,
    with_value,
    write_bps_csv,
    write_bps_xlsx,
    write_branch_xlsx,
    write_csv,
)

LAST_ROW = 1_048_576
FORMULA_FIX = "open the file in Excel or LibreOffice so that it calculates, and save it again"
NOT_A_FORMULA = "expected a number, not a formula without a saved result (cell {cell}; " + FORMULA_FIX + ")"
NOT_A_DATE = "expected a number, not a date or time (the cell is formatted as a date; format it as a number)"
TOO_LARGE = "expected a count of persons of at most 300.000.000 (Indonesia has about 282 million inhabitants)"
NIK_MASK = "(number hidden)"  # errors.HIDDEN: what the scrubber leaves of a long digit run
WHOLE_BPS = (
    "expected a whole number of persons without a decimal part (or a title saying the figures are in "
    "thousands: 'ribu', 'ribuan', '(000)')"
)
THOUSANDS = (
    "figures in thousands of persons: cell {cell} says '{words}', so every figure is multiplied by 1.000 "
    "to give persons (375,5 -> 375.500)"
)
ABOVE_POPULATION = (
    "{name} ({code}), {period}: {count} {what} is more than its {population} inhabitants (region "
    "registry, Dukcapil semester II 2024); a count cannot exceed the people who live there (check the "
    "figure, or whether the table is in thousands)"
)
HEADER_ONLY = (
    "kab/kota rows under this header: the sheet has none, so {period} would be lost (fill it in, or delete the sheet)"
)
NIL = " (or - for nil)"
PACITAN_POPULATION = "588.718"  # jamsos_lib/reference/regions.csv, Kabupaten Pacitan


@dataclass
class Case:
    """One corpus file and what ``jamsos validate`` must report for it."""

    name: str
    kind: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: ``check(tables)`` for a file that reads: asserts figures worked out by hand
    check: Callable[[dict], None] | None = None
    #: the errors come from the cross-table checks (they appear in ``jamsos clean`` only when
    #: no file has a read error), so such a file uses years/months the shipped data lacks
    cross_table: bool = False
    #: a like-for-like file without the defect: its tables must equal this file's
    same_as: str | None = None


# ---- BPS layout ---------------------------------------------------------------------------------------------


def bps_row(rows, label: str, first: int = 7) -> int:
    return first + [lab for lab, _ in rows].index(label)


def _persons(value) -> int:
    return value if isinstance(value, int) else int(value.replace(".", ""))


def _thousands_rows(text_only: bool = False):
    """Figures in thousands with one decimal (the person counts of ``layouts.workers_of``
    rounded to hundreds): even regions numeric cells (282.6), odd regions text (``282,6``);
    all text for a CSV (``text_only``)."""
    rows, totals = [], [0, 0, 0, 0]  # totals in hundreds of persons
    for lab, values in bps_rows():
        if lab == "Jawa Timur":
            continue
        if values is None:
            rows.append((lab, None))
            continue
        hundreds = [round(_persons(v) / 100) for v in values]
        totals = [t + h for t, h in zip(totals, hundreds)]
        text = text_only or isinstance(values[0], str)
        rows.append((lab, [f"{id_number(h // 10)},{h % 10}" if text else h / 10 for h in hundreds]))
    rows.append(("Jawa Timur", [f"{id_number(t // 10)},{t % 10}" for t in totals]))
    return rows


def _workers(tables, code: str, year: int) -> int:
    w = tables["workers"]
    return int(w[(w["region_code"] == code) & (w["year"] == year)]["workers"].iloc[0])


def bps_cases(folder: Path) -> list[Case]:
    cases = []
    rows = bps_rows()

    name = "bps_formula_one_cell.xlsx"
    r = bps_row(rows, "09 Jember")
    write_bps_xlsx(folder / name, with_value(rows, "09 Jember", 3, "=1+1"))
    cases.append(
        Case(
            name,
            "bps_workers",
            errors=[
                f"error: {name}, sheet 'Tabel', row {r}, column '2024': value =1+1: "
                + NOT_A_FORMULA.format(cell=f"E{r}")
                + NIL
            ],
        )
    )

    name = "bps_formula_column.xlsx"  # 2024 = 2023 + 1000 as formulas, never calculated (written by a script)
    formula_rows = []
    for i, (lab, values) in enumerate(rows):
        if values is not None:
            values = [*values[:3], f"=D{7 + i}+1000"]
        formula_rows.append((lab, values))
    write_bps_xlsx(folder / name, formula_rows)
    cases.append(
        Case(
            name,
            "bps_workers",
            errors=[
                f"error: {name}, sheet 'Tabel', row {7 + i}, column '2024': value =D{7 + i}+1000: "
                + NOT_A_FORMULA.format(cell=f"E{7 + i}")
                + NIL
                for i, (_, values) in enumerate(rows)
                if values is not None
            ],
        )
    )

    name = "bps_date_cell.xlsx"
    r = bps_row(rows, "01 Pacitan")
    write_bps_xlsx(folder / name, with_value(rows, "01 Pacitan", 1, datetime.datetime(2022, 8, 1)))
    cases.append(
        Case(
            name,
            "bps_workers",
            errors=[
                f"error: {name}, sheet 'Tabel', row {r}, column '2022': value 2022-08-01 (a date): {NOT_A_DATE}{NIL}"
            ],
        )
    )

    name = "bps_decimal_zero.xlsx"  # 588.718 * 48 // 100 = 282.584
    r = bps_row(rows, "01 Pacitan")
    write_bps_xlsx(folder / name, with_value(rows, "01 Pacitan", 0, "282.584,0"))
    cases.append(
        Case(
            name,
            "bps_workers",
            errors=[f"error: {name}, sheet 'Tabel', row {r}, column '2021': value 282.584,0: {WHOLE_BPS}"],
        )
    )

    name = "bps_decimal_half.csv"
    r = bps_row(rows, "02 Ponorogo", first=6)
    write_bps_csv(folder / name, with_value(rows, "02 Ponorogo", 2, "375,5"))
    cases.append(Case(name, "bps_workers", errors=[f"error: {name}, row {r}, column '2023': value 375,5: {WHOLE_BPS}"]))

    name = "bps_count_1e15.xlsx"
    r = bps_row(rows, "01 Pacitan")
    write_bps_xlsx(folder / name, with_value(rows, "01 Pacitan", 3, 10**15))
    cases.append(
        Case(
            name,
            "bps_workers",
            errors=[f"error: {name}, sheet 'Tabel', row {r}, column '2024': value {NIK_MASK}: {TOO_LARGE}"],
        )
    )

    name = "bps_above_population.xlsx"  # years the shipped data lacks, so clean reaches the cross-table checks
    years = (2009, 2010)
    big = bps_rows(years)
    big = with_value(big, "01 Pacitan", 1, 5_000_000)
    big[-1] = ("Jawa Timur", [sum(_persons(vals[j]) for _, vals in big[:-1] if vals) for j in range(2)])
    write_bps_xlsx(folder / name, big, years)
    cases.append(
        Case(
            name,
            "bps_workers",
            cross_table=True,
            errors=[
                f"error: {name}: "
                + ABOVE_POPULATION.format(
                    name="Kabupaten Pacitan",
                    code="3501",
                    period=2010,
                    count="5.000.000",
                    what="BPS workers",
                    population=PACITAN_POPULATION,
                )
            ],
        )
    )

    thousands = _thousands_rows()

    def in_thousands(tables):
        # Kab. Pacitan 2021: 282.584 persons -> 282,6 thousand -> 282.600; Kab. Ponorogo 2024:
        # 979.008 * 48 // 100 + 3.000 = 472.923 -> 472,9 thousand -> 472.900
        assert _workers(tables, "3501", 2021) == 282_600
        assert _workers(tables, "3502", 2024) == 472_900

    name = "bps_ribuan_title.xlsx"
    write_bps_xlsx(
        folder / name,
        thousands,
        title=BPS_TITLE.replace("(Jiwa)", "(Ribuan Jiwa)"),
        caption="Penduduk Berumur 15 Tahun Ke Atas yang Bekerja",
    )
    cases.append(
        Case(
            name,
            "bps_workers",
            check=in_thousands,
            warnings=[f"warning: {name}, sheet 'Tabel', row 1: " + THOUSANDS.format(cell="A1", words="Ribuan")],
        )
    )

    name = "bps_ribu_caption.xlsx"
    write_bps_xlsx(folder / name, thousands, caption="Penduduk Bekerja (ribu orang)")
    cases.append(
        Case(
            name,
            "bps_workers",
            check=in_thousands,
            warnings=[f"warning: {name}, sheet 'Tabel', row 4: " + THOUSANDS.format(cell="B4", words="ribu")],
        )
    )

    name = "bps_000_caption.xlsx"
    write_bps_xlsx(folder / name, thousands, caption="Penduduk Bekerja (000)")
    cases.append(
        Case(
            name,
            "bps_workers",
            check=in_thousands,
            warnings=[f"warning: {name}, sheet 'Tabel', row 4: " + THOUSANDS.format(cell="B4", words="(000)")],
        )
    )

    name = "bps_000_orang.csv"
    write_bps_csv(
        folder / name,
        _thousands_rows(text_only=True),
        title=BPS_TITLE.replace("(Jiwa)", "(000 orang)"),
        caption="Penduduk Bekerja",
    )
    cases.append(
        Case(
            name,
            "bps_workers",
            check=in_thousands,
            warnings=[f"warning: {name}, row 1: " + THOUSANDS.format(cell="A1", words="000 orang")],
        )
    )

    name = "bps_ribuan_caption.csv"
    write_bps_csv(folder / name, _thousands_rows(text_only=True), caption="Penduduk Bekerja (Ribuan)")
    cases.append(
        Case(
            name,
            "bps_workers",
            check=in_thousands,
            warnings=[f"warning: {name}, row 3: " + THOUSANDS.format(cell="B3", words="Ribuan")],
        )
    )

    name = "bps_thousands_four_decimals.xlsx"
    r = bps_row(thousands, "03 Trenggalek")
    write_bps_xlsx(
        folder / name, with_value(thousands, "03 Trenggalek", 0, "360,1234"), caption="Penduduk Bekerja (ribuan)"
    )
    cases.append(
        Case(
            name,
            "bps_workers",
            errors=[
                f"error: {name}, sheet 'Tabel', row {r}, column '2021': value 360,1234: expected at most three decimals in "
                "a table in thousands (a whole number of persons)"
            ],
            warnings=[f"warning: {name}, sheet 'Tabel', row 4: " + THOUSANDS.format(cell="B4", words="ribuan")],
        )
    )

    name = "bps_year_all_nil.xlsx"
    write_bps_xlsx(folder / name, [(lab, None if values is None else [*values[:3], "-"]) for lab, values in rows])

    def three_years(tables):
        assert sorted(tables["workers"]["year"].unique()) == [2021, 2022, 2023]
        assert _workers(tables, "3501", 2023) == 282_584 + 2_000

    cases.append(
        Case(
            name,
            "bps_workers",
            check=three_years,
            warnings=[
                f"warning: {name}, sheet 'Tabel', column '2024': figures in column '2024' (every cell is empty or nil, so "
                "2024 is not read)"
            ],
        )
    )

    plain = "bps_plain.xlsx"
    write_bps_xlsx(folder / plain, rows)
    name = "bps_footnote_merged.xlsx"
    wb = openpyxl.load_workbook(folder / plain)
    ws = wb.active
    note = next(c.row for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("Catatan"))
    ws.merged_cells.add(f"A{note}:E{LAST_ROW}")  # a merge as Excel stores it: one mergeCell element
    wb.save(folder / name)
    cases.append(Case(name, "bps_workers", same_as=plain))
    return cases


# ---- branch layout ------------------------------------------------------------------------------------------


def branch_row(code: str) -> int:
    i = KABKOTA.index(code)
    return 6 + 5 * (i // 4) + i % 4


PERIOD = "2025-06"
SHEET = "Jun 2025"


def _branch(folder: Path, name: str, edits: dict[tuple[int, int], object], periods=(PERIOD,), rows_of=branch_rows):
    path = write_branch_xlsx(folder / name, list(periods), rows_of=rows_of)
    if edits:
        wb = openpyxl.load_workbook(path)
        ws = wb[SHEET]
        for (r, c), v in edits.items():
            ws.cell(r, c).value = v
        wb.save(path)
    return path


def _header_only(months_empty):
    return lambda period: [] if period in months_empty else branch_rows(period)


def branch_cases(folder: Path) -> list[Case]:
    cases = []
    three = ("2025-04", "2025-05", "2025-06")

    name = "branch_last_month_header_only.xlsx"
    _branch(folder, name, {}, three, _header_only({"2025-06"}))
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[f"error: {name}, sheet 'Jun 2025', row 5: " + HEADER_ONLY.format(period="2025-06")],
        )
    )

    name = "branch_only_sheet_header_only.xlsx"
    _branch(folder, name, {}, (PERIOD,), _header_only({PERIOD}))
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[f"error: {name}, sheet 'Jun 2025', row 5: " + HEADER_ONLY.format(period="2025-06")],
        )
    )

    name = "branch_middle_month_header_only.xlsx"
    _branch(folder, name, {}, three, _header_only({"2025-05"}))
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[f"error: {name}, sheet 'Mei 2025', row 5: " + HEADER_ONLY.format(period="2025-05")],
        )
    )

    name = "branch_header_and_total_only.xlsx"
    _branch(folder, name, {}, (PERIOD,), lambda p: [["", "", "TOTAL KANWIL JAWA TIMUR", 1, 2, 3, 4, 10]])
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[f"error: {name}, sheet 'Jun 2025', row 5: " + HEADER_ONLY.format(period="2025-06")],
        )
    )

    pacitan, ponorogo, trenggalek = (branch_row(c) for c in ("3501", "3502", "3503"))

    name = "branch_formula_cell.xlsx"
    _branch(folder, name, {(pacitan, 4): "=1+1"})
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[
                f"error: {name}, sheet '{SHEET}', row {pacitan}, column 'PU': value =1+1: "
                + NOT_A_FORMULA.format(cell=f"D{pacitan}")
                + NIL
            ],
        )
    )

    name = "branch_subtotal_formula.xlsx"
    subtotal = pacitan + 4
    _branch(folder, name, {(subtotal, 4): f"=SUM(D{pacitan}:D{subtotal - 1})"})
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[
                f"error: {name}, sheet '{SHEET}', row {subtotal}, column 'PU': value =SUM(D6:D9): "
                + NOT_A_FORMULA.format(cell=f"D{subtotal}")
            ],
        )
    )

    name = "branch_date_cell.xlsx"
    _branch(folder, name, {(pacitan, 5): datetime.datetime(2025, 6, 30)})
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[
                f"error: {name}, sheet '{SHEET}', row {pacitan}, column 'BPU': value 2025-06-30 (a date): {NOT_A_DATE}{NIL}"
            ],
        )
    )

    name = "branch_decimal.xlsx"  # Pacitan PU in June: 588.718 // 10 + 60 = 58.931
    _branch(folder, name, {(pacitan, 4): "58.931,0"})
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[
                f"error: {name}, sheet '{SHEET}', row {pacitan}, column 'PU': value 58.931,0: expected a whole number of "
                f"persons, without a decimal part{NIL}"
            ],
        )
    )

    name = "branch_count_1e15.xlsx"
    _branch(folder, name, {(pacitan, 4): 10**15})
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[f"error: {name}, sheet '{SHEET}', row {pacitan}, column 'PU': value {NIK_MASK}: {TOO_LARGE}{NIL}"],
        )
    )

    name = "branch_bad_cell_no_cascade.xlsx"  # before: also the sub total and TOTAL of BPU
    _branch(folder, name, {(ponorogo, 5): "12x"})
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[
                f"error: {name}, sheet '{SHEET}', row {ponorogo}, column 'BPU': value 12x: expected a whole number of "
                f"persons such as 5.089.783{NIL}"
            ],
        )
    )

    name = "branch_unknown_region_no_cascade.xlsx"  # before: 1 + 5 sub total + 5 TOTAL errors
    _branch(folder, name, {(trenggalek, 3): "KAB. ATLANTIS"})
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[
                f"error: {name}, sheet '{SHEET}', row {trenggalek}, column 'Kabupaten/Kota': value KAB. ATLANTIS: expected a "
                "kab/kota in the registry (not a region in the registry; closest: Kota Batu (3579), Kabupaten Malang (3507), "
                "Kota Malang (3573))"
            ],
        )
    )

    # Trenggalek (population 753.810) in June: PU 753.810 // 10 + 60 = 75.441, BPU // 40 = 18.845,
    # JAKON // 100 = 7.538, PMI // 500 = 1.507: Total 103.331 (103.332 is the typo)
    from jamsos_lib.regions import load_registry

    population = load_registry().region("3503").population
    s = segments_of("3503", PERIOD)
    total = sum(s.values())
    name = "branch_total_typo_no_cascade.xlsx"  # before: also the sub total and TOTAL of Total
    _branch(folder, name, {(trenggalek, 8): total + 1})
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[
                f"error: {name}, sheet '{SHEET}', row {trenggalek}, column 'Total': value {total + 1}: expected Total = PU + "
                f"BPU + Jasa Konstruksi + PMI = {id_number(total)}"
            ],
        )
    )
    assert population == 753_810 and total == 103_331, (population, total)  # the hand figures above

    name = "branch_duplicate_region_no_cascade.xlsx"
    _branch(folder, name, {(trenggalek, 3): "KAB. PONOROGO"})
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[
                f"error: {name}, sheet '{SHEET}', row {trenggalek}, column 'Kabupaten/Kota': value KAB. PONOROGO: expected "
                f"each kab/kota once per Kantor Cabang; Kabupaten Ponorogo is already on row {ponorogo}"
            ],
        )
    )

    name = "branch_above_population.xlsx"  # a month the shipped data lacks: clean reaches the cross-table checks

    def pacitan_600k(code, period):
        s = segments_of(code, period)
        return {**s, "PU": 600_000} if code == "3501" else s

    write_branch_xlsx(folder / name, ["2010-02"], rows_of=lambda p: branch_rows(p, pacitan_600k))
    # 600.000 + 588.718 // 40 + // 100 + // 500 = 600.000 + 14.717 + 5.887 + 1.177 = 621.781
    cases.append(
        Case(
            name,
            "bpjs_branch",
            cross_table=True,
            errors=[
                f"error: {name}: "
                + ABOVE_POPULATION.format(
                    name="Kabupaten Pacitan",
                    code="3501",
                    period="2010-02",
                    count="621.781",
                    what="participants (all segments)",
                    population=PACITAN_POPULATION,
                )
            ],
        )
    )

    name = "branch_ribuan_title.xlsx"
    _branch(folder, name, {(2, 1): "KANTOR WILAYAH JAWA TIMUR (dalam ribuan)"})
    cases.append(
        Case(
            name,
            "bpjs_branch",
            errors=[
                f"error: {name}, sheet '{SHEET}', row 2: counts of persons: cell A2 says 'ribuan', but a branch sheet holds "
                "whole persons (write the counts in full and remove the word)"
            ],
        )
    )

    plain = "branch_plain.xlsx"
    _branch(folder, plain, {})
    name = "branch_stray_cell.xlsx"
    wb = openpyxl.load_workbook(folder / plain)
    thin = openpyxl.styles.Side(style="thin")
    wb[SHEET].cell(LAST_ROW, 8).border = openpyxl.styles.Border(left=thin, right=thin, top=thin, bottom=thin)
    wb.save(folder / name)
    cases.append(Case(name, "bpjs_branch", same_as=plain))

    name = "branch_footnote_merged.xlsx"
    wb = openpyxl.load_workbook(folder / plain)
    ws = wb[SHEET]
    note = next(c.row for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("Sumber"))
    ws.merged_cells.add(f"A{note}:H{LAST_ROW}")
    wb.save(folder / name)
    cases.append(Case(name, "bpjs_branch", same_as=plain))

    name = "branch_title_whole_row.xlsx"
    wb = openpyxl.load_workbook(folder / plain)
    wb[SHEET].merged_cells.add("A1:XFD1")
    wb.save(folder / name)
    cases.append(Case(name, "bpjs_branch", same_as=plain))
    return cases


# ---- long participation CSV ---------------------------------------------------------------------------------


def long_cases(folder: Path) -> list[Case]:
    cases = []
    name = "long_25_digits.csv"
    write_csv(folder / name, [LONG_HEADER, ["2024-11", "3503", "PU", "1234567890123456789012345"]])
    cases.append(
        Case(
            name,
            "bpjs_long",
            errors=[f"error: {name}, row 2, column 'active_participants': value {NIK_MASK}: {TOO_LARGE}"],
        )
    )

    name = "long_decimal.csv"
    write_csv(folder / name, [LONG_HEADER, ["2024-11", "3503", "PU", "38595"], ["2024-11", "3503", "BPU", "375,0"]])
    cases.append(
        Case(
            name,
            "bpjs_long",
            errors=[
                f"error: {name}, row 3, column 'active_participants': value 375,0: expected a whole number of persons, "
                "without a decimal part"
            ],
        )
    )

    name = "long_above_population.csv"
    write_csv(folder / name, [LONG_HEADER, ["2010-01", "3501", "PU", "700000"]])
    cases.append(
        Case(
            name,
            "bpjs_long",
            cross_table=True,
            errors=[
                f"error: {name}: "
                + ABOVE_POPULATION.format(
                    name="Kabupaten Pacitan",
                    code="3501",
                    period="2010-01",
                    count="700.000",
                    what="participants (all segments)",
                    population=PACITAN_POPULATION,
                )
            ],
        )
    )
    return cases


def make_corpus(folder: Path) -> list[Case]:
    """Write every corpus file into ``folder``; return the cases (the like-for-like ``*_plain``
    files are written too, but are not cases)."""
    folder.mkdir(parents=True, exist_ok=True)
    return bps_cases(folder) + branch_cases(folder) + long_cases(folder)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus-out")
    for c in make_corpus(out):
        print(f"{c.name:<42} {len(c.errors):>3} errors {len(c.warnings):>2} warnings")
