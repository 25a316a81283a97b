"""Test fixtures written in the real raw layouts (``data/raw/README.md``) with openpyxl.

Every builder writes a file exactly as the real source does (title rows, merged headers,
column-number row, group rows, branch groups, sub totals, footnotes, text numbers with ``.``
thousands) and takes plain Python data so a test can break one thing and know what the
reader must say. Figures are simple functions of the region's Dukcapil population in the
registry so that any expected value can be recomputed by hand from ``regions.csv``.

Layout of :func:`write_bps_xlsx` (row numbers are fixed so tests can name them):
row 1-2 title, row 4-5 header (``Kabupaten/Kota`` merged over rows 4-5, caption merged
over the year columns on row 4, years on row 5), row 6 ``(1) (2) …``, row 7 ``Kabupaten``,
then one row per data row of ``bps_rows()`` in order (group rows included), a blank row,
``Catatan:`` and ``Sumber:``.

Layout of :func:`write_branch_xlsx` per sheet: rows 1-3 title (row 3 ``Posisi: …``),
row 5 header, data from row 6: regions grouped four per Kantor Cabang (``No`` and branch
name only on the group's first row), ``Sub Total Cabang …`` after each group,
``TOTAL KANWIL JAWA TIMUR``, a blank row and a ``Sumber:`` footnote.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import yaml

from jamsos_lib.atomic import sha256_file
from jamsos_lib.regions import load_registry

REGISTRY = load_registry()
KABKOTA = REGISTRY.kabkota_codes("35")
YEARS = (2021, 2022, 2023, 2024)
INDONESIAN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
LONG_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def population(code: str) -> int:
    return REGISTRY.region(code).population


def workers_of(code: str, year: int) -> int:
    """Illustrative test figure: 48% of the population, plus 1.000 per year after 2021."""
    return population(code) * 48 // 100 + (year - 2021) * 1000


def segments_of(code: str, period: str) -> dict[str, int]:
    """Illustrative test figure per segment; month index adds 10 per month to PU."""
    month = int(period[5:7])
    pop = population(code)
    return {"PU": pop // 10 + 10 * month, "BPU": pop // 40, "JAKON": pop // 100, "PMI": pop // 500}


def id_number(n: int) -> str:
    """``5089783`` -> ``'5.089.783'`` (how BPS text cells write it)."""
    return f"{n:,}".replace(",", ".")


def bps_label(code: str) -> str:
    """``'13 Probolinggo'``: the BPS two-digit code and the bare name."""
    return f"{code[2:]} {REGISTRY.region(code).name}"


def bps_rows(years=YEARS, figure=workers_of) -> list[tuple[str, list | None]]:
    """Data rows after the column-number row: group rows (values None), region rows, total.

    Odd-numbered regions get text numbers with ``.`` thousands, even ones numeric cells."""
    rows: list[tuple[str, list | None]] = []
    group = None
    for i, code in enumerate(KABKOTA):
        rtype = REGISTRY.region(code).type
        if rtype != group:
            rows.append((rtype, None))
            group = rtype
        values = [figure(code, y) for y in years]
        rows.append((bps_label(code), [id_number(v) if i % 2 else v for v in values]))
    rows.append(("Jawa Timur", [sum(figure(c, y) for c in KABKOTA) for y in years]))
    return rows


def with_value(rows, label: str, year_index: int, value) -> list:
    """``rows`` (as :func:`bps_rows` gives them) with the figure of ``label`` for the
    ``year_index``-th year replaced by ``value``."""
    out = []
    for lab, values in rows:
        if lab == label:
            values = list(values)
            values[year_index] = value
        out.append((lab, values))
    return out


BPS_TITLE = (
    "Penduduk Berumur 15 Tahun Ke Atas yang Bekerja Selama Seminggu yang Lalu Menurut Kabupaten/Kota "
    "di Provinsi Jawa Timur (Jiwa), 2021-2024"
)


def write_bps_xlsx(
    path: Path, rows=None, years=YEARS, *, title: str = BPS_TITLE, caption: str | None = None, footnotes: bool = True
) -> Path:
    rows = bps_rows(years) if rows is None else rows
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tabel"
    ws["A1"] = title
    ws["A2"] = "Hasil Survei Angkatan Kerja Nasional (Sakernas) Agustus"
    ws["A4"] = "Kabupaten/Kota"
    ws.merge_cells(start_row=4, start_column=1, end_row=5, end_column=1)
    ws.cell(4, 2, caption or "Penduduk Berumur 15 Tahun Ke Atas yang Bekerja (Jiwa)")
    ws.merge_cells(start_row=4, start_column=2, end_row=4, end_column=1 + len(years))
    for j, y in enumerate(years):
        ws.cell(5, 2 + j, str(y))
    for j in range(len(years) + 1):
        ws.cell(6, 1 + j, f"({j + 1})")
    r = 7
    for label, values in rows:
        ws.cell(r, 1, label)
        for j, v in enumerate(values or []):
            ws.cell(r, 2 + j, v)
        r += 1
    if footnotes:
        ws.cell(r + 1, 1, "Catatan: angka 2024 sementara")
        ws.cell(r + 2, 1, "Sumber: BPS Provinsi Jawa Timur, Sakernas Agustus")
    wb.save(path)
    return path


def write_bps_csv(
    path: Path,
    rows=None,
    years=YEARS,
    *,
    sep: str = ";",
    encoding: str = "utf-8",
    title: str = BPS_TITLE,
    caption: str = "Penduduk Berumur 15 Tahun Ke Atas yang Bekerja (Jiwa)",
) -> Path:
    """The CSV export of the same table (no merges: the caption sits in one cell)."""
    rows = bps_rows(years) if rows is None else rows
    lines = [
        [title],
        [],
        ["Kabupaten/Kota", caption] + [""] * (len(years) - 1),
        [""] + [str(y) for y in years],
        [f"({j + 1})" for j in range(len(years) + 1)],
    ]
    for label, values in rows:
        lines.append([label] + ["" if v is None else str(v) for v in (values or [])])
    lines += [[], ["Catatan: -  = nihil"], ["Sumber: BPS Provinsi Jawa Timur"]]
    with open(path, "w", newline="", encoding=encoding) as fh:
        csv.writer(fh, delimiter=sep).writerows(lines)
    return path


def branch_name_of(code: str) -> str:
    """``KAB. PROBOLINGGO`` / ``KOTA PROBOLINGGO``: how branch spreadsheets name regions."""
    r = REGISTRY.region(code)
    return ("KAB. " if r.type == "Kabupaten" else "KOTA ") + r.name.upper()


def branches() -> list[tuple[str, list[str]]]:
    """Kantor Cabang groups: four regions each, in code order."""
    out = []
    for i in range(0, len(KABKOTA), 4):
        codes = KABKOTA[i : i + 4]
        out.append((f"CABANG {REGISTRY.region(codes[0]).name.upper()}", codes))
    return out


def branch_rows(period: str, figure=segments_of) -> list[list]:
    """The data rows of one month's sheet (from row 6): region rows, sub totals, TOTAL."""
    rows: list[list] = []
    grand = [0, 0, 0, 0, 0]
    for no, (branch, codes) in enumerate(branches(), start=1):
        sub = [0, 0, 0, 0, 0]
        for k, code in enumerate(codes):
            s = figure(code, period)
            vals = [s["PU"], s["BPU"], s["JAKON"], s["PMI"], sum(s.values())]
            sub = [a + b for a, b in zip(sub, vals)]
            shown = [id_number(v) if k % 2 else v for v in vals]
            rows.append([no if k == 0 else "", branch if k == 0 else "", branch_name_of(code), *shown])
        rows.append(["", "", f"Sub Total {branch.title()}", *sub])
        grand = [a + b for a, b in zip(grand, sub)]
    rows.append(["", "", "TOTAL KANWIL JAWA TIMUR", *grand])
    return rows


def sheet_name(period: str) -> str:
    """``2023-07`` -> ``Jul 2023``."""
    return f"{INDONESIAN_MONTHS[int(period[5:7]) - 1]} {period[:4]}"


BRANCH_HEADER = ["No", "Kantor Cabang", "Kabupaten/Kota", "PU", "BPU", "Jasa Konstruksi", "PMI", "Total"]


def write_branch_xlsx(
    path: Path, periods, *, rows_of=branch_rows, header=BRANCH_HEADER, names=sheet_name, title_period=None
) -> Path:
    """One sheet per month. ``rows_of(period)`` gives the data rows; ``names(period)`` the sheet name;
    ``title_period(period)`` the ``Posisi:`` text (default: the same month as the sheet)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for period in periods:
        ws = wb.create_sheet(names(period))
        ws["A1"] = "REKAPITULASI PESERTA AKTIF BPJS KETENAGAKERJAAN PER KABUPATEN/KOTA"
        ws["A2"] = "KANTOR WILAYAH JAWA TIMUR"
        month = int(period[5:7])
        ws["A3"] = title_period(period) if title_period else f"Posisi: 31 {LONG_MONTHS[month - 1]} {period[:4]}"
        for j, h in enumerate(header):
            ws.cell(5, 1 + j, h)
        r = 6
        for row in rows_of(period):
            for j, v in enumerate(row):
                if v != "":
                    ws.cell(r, 1 + j, v)
            r += 1
        ws.cell(r + 1, 1, "Sumber: BPJS Ketenagakerjaan Kanwil Jawa Timur (data uji)")
    wb.save(path)
    return path


def months(first: str, n: int) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out


def write_csv(path: Path, rows: list[list], *, sep: str = ",", encoding: str = "utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as fh:
        csv.writer(fh, delimiter=sep).writerows(rows)
    return path


LONG_HEADER = ["period", "region_code", "segment", "active_participants"]
TARGETS_ROWS = [
    ["scope", "region_code", "year", "target_pct", "series", "document", "source_url", "note"],
    ["national", "", "2024", "37.24", "RPJMN", "RPJMN 2020-2024", "https://example.org/rpjmn", ""],
    ["national", "00", "2025", "52.15", "KEMENDAGRI_UCJ", "Kemendagri UCJ target", "https://example.org/ucj", ""],
    ["province", "35", "2025", "40", "PROVINCE", "Pemprov Jatim", "https://example.org/jatim", ""],
    ["region", "3503", "2045", "83.29", "RPJPD", "RPJPD Trenggalek 2025-2045", "https://example.org/rpjpd", ""],
]
RATES_ROWS = [
    [
        "segment",
        "program",
        "kind",
        "value",
        "min_rp",
        "max_rp",
        "basis",
        "legal_basis",
        "valid_from",
        "valid_to",
        "source_url",
        "note",
    ],
    ["BPU", "JKK", "percent", "1", "10000", "207000", "penghasilan", "PP 44/2015", "2015-07-01", "", "https://x", ""],
    ["BPU", "JKM", "amount", "6800", "", "", "per orang", "PP 44/2015", "2015-07-01", "", "https://x", ""],
    ["PU", "JKP", "percent", "0.46", "", "", "upah", "PP 37/2021", "2021-02-02", "2025-02-06", "https://x", ""],
]
PROGRAMMES_ROWS = [
    [
        "region_code",
        "region_name",
        "year",
        "budget_rp",
        "persons",
        "months",
        "funding_source",
        "programs",
        "source_url",
        "note",
    ],
    ["3503", "Kabupaten Trenggalek", "2025", "2090000000", "10000", "12", "APBD", "JKK+JKM", "https://x", ""],
    ["3574", "Kota Probolinggo", "2025", "", "11023", "", "DBHCHT", "JKK+JKM", "https://x", "budget not stated"],
    ["6409", "Kabupaten Penajam Paser Utara", "2025", "3000000000", "15000", "12", "APBD", "JKK+JKM", "https://x", ""],
]
ELIGIBILITY_ROWS = [
    ["region_code", "year", "eligible_share", "eligible_workers", "basis", "source_url", "note"],
    ["35", "2023", "", "14531668", "UCJ denominator", "https://x", ""],
    ["3503", "2024", "0.62", "", "illustrative share", "illustrative", ""],
]


def write_sidecar(
    path: Path,
    kind: str,
    *,
    status: str = "illustrative",
    published=None,
    sha256: str | None = None,
    drop: tuple[str, ...] = (),
) -> Path:
    meta = {
        "kind": kind,
        "title": f"test {kind}",
        "publisher": "jamsos tests",
        "url": "illustrative",
        "date_accessed": "2026-11-22",
        "period": "2021-2024",
        "status": status,
        "sha256": sha256 or sha256_file(path),
        "generated_by": "tests/layouts.py",
    }
    if published is not None:
        meta["published"] = published
    for key in drop:
        meta.pop(key, None)
    side = path.with_name(path.name + ".meta.yml")
    side.write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    return side


def make_raw(root: Path, *, periods=None) -> Path:
    """A complete raw folder in the real layouts: BPS xlsx (mixed: province 2021 and Kab.
    Probolinggo 2021 published), a branch workbook (illustrative), the published long CSV
    (Trenggalek November 2024 segments) and the four reference CSVs, each with a sidecar."""
    periods = periods or months("2024-10", 3)
    raw = root / "raw"
    (raw / "bps").mkdir(parents=True)
    (raw / "bpjs").mkdir()
    (raw / "reference").mkdir()
    bps = write_bps_xlsx(raw / "bps" / "penduduk_bekerja.xlsx")
    write_sidecar(
        bps,
        "bps_workers",
        status="mixed",
        published=[{"region_code": "35", "year": 2021}, {"region_code": "3513", "year": 2021}],
    )
    branch = write_branch_xlsx(raw / "bpjs" / "peserta_aktif.xlsx", periods)
    write_sidecar(branch, "bpjs_branch")
    long = write_csv(
        raw / "bpjs" / "peserta_published.csv",
        [
            LONG_HEADER,
            ["2024-11", "3503", "PU", "38595"],
            ["2024-11", "3503", "BPU", "14468"],
            ["2024-11", "3503", "Jasa Konstruksi", "17.407"],
        ],
    )
    write_sidecar(long, "bpjs_long", status="published")
    for name, kind, rows in (
        ("coverage_targets.csv", "targets", TARGETS_ROWS),
        ("contribution_rates.csv", "rates", RATES_ROWS),
        ("bantuan_iuran_programs.csv", "programmes", PROGRAMMES_ROWS),
        ("eligible_workers.csv", "eligibility", ELIGIBILITY_ROWS),
    ):
        f = write_csv(raw / "reference" / name, rows)
        write_sidecar(f, kind, status="published")
    return raw


def edit_xlsx(path: Path, sheet: str | None, cells: dict[tuple[int, int], object]) -> Path:
    """Set cells ``{(row, col): value}`` (1-based) of a sheet (default: the first)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    for (r, c), v in cells.items():
        ws.cell(r, c).value = v
    wb.save(path)
    return path


def row_of(path: Path, sheet: str | None, text: str) -> int:
    """The 1-based row whose cells contain ``text`` exactly."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    for row in ws.iter_rows():
        if any(c.value == text for c in row):
            return row[0].row
    raise LookupError(text)
