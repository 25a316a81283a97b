#!/usr/bin/env python3
"""Generate the shipped default data set in ``data/raw/`` (Jawa Timur, 38 kab/kota).

Deterministic: the same seed gives byte-identical files (``tests/test_default_data.py``
checks this against the committed files). Run from the repository root::

    .venv/bin/python tools/generate_default_data.py [--out data/raw] [--seed 20251122]

What is published and what is illustrative
-------------------------------------------
Published figures (``../shared/reference/``) are used as they are:

* BPS Jawa Timur employed population, August 2021 (21,04 juta), 2022 (21,61 juta) and
  2024 (23,36 juta); Kab. Probolinggo 2021 (651.300 = 682,3 ribu labour force − 31,0 ribu
  unemployed, derived from BPS Kab. Probolinggo).
* UCJ Jawa Timur 2023: 4.336.959 participants (PU 3.300.717, BPU 1.036.242) over an
  eligible-worker denominator of 14.531.668 (29,84%).
* Active participants, Jawa Timur, February 2025: 4,95 juta (Kemnaker).
* Kab. Trenggalek, 13 November 2024: PU 38.595, BPU 14.468, Jasa Konstruksi 17.407,
  coverage 26,04% (so an eligible denominator of 270.622, derived).
* Targets, contribution rates and bantuan iuran programmes: the reference tables.

Everything else is **illustrative** and labelled so in every sidecar:

* BPS 2023 province total: linear interpolation of 2022 and 2024.
* Kab/kota employed population: the province total apportioned by Dukcapil population
  (semester II 2024) with a fixed per-region employment-rate factor (seeded), exactly
  summing to the province total (largest-remainder rounding).
* Eligible workers per kab/kota: the 2023 UCJ ratio (14.531.668 / BPS 2023) with a seeded
  per-region variation, scaled so kab/kota sum to the province figure.
* Monthly participants by segment, July 2023 – June 2025: province segment paths through
  the published anchors (UCJ December 2023; 4,95 juta in February 2025; BPU dips in
  January–March when Pemda-funded contributions lapse, as reported for 2023), apportioned to
  kab/kota by a relative coverage level (urban higher), with three regions calibrated to
  their published situation: Trenggalek (26,04% in November 2024, exact segments), Kab.
  Probolinggo (about 21% in June 2025, news report) and Lumajang (about 16%, as in 2026).
* The Kantor Cabang grouping of kab/kota.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import math
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from jamsos_lib.regions import load_registry  # noqa: E402

SEED = 20251122
ACCESSED = "2026-11-22"
FIXED_TIME = datetime(2025, 7, 15, 8, 0, 0)
GENERATOR = "tools/generate_default_data.py"

MONTHS_ID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
MONTHS_ID_LONG = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                  "September", "Oktober", "November", "Desember"]
PERIODS = [f"{2023 + (6 + i) // 12}-{(6 + i) % 12 + 1:02d}" for i in range(24)]  # 2023-07 .. 2025-06
SEGMENTS = ["PU", "BPU", "JAKON", "PMI"]

# ---- published anchors (../shared/reference/data/coverage_figures.csv) -------------------
BPS_PROVINCE = {2021: 21_040_000, 2022: 21_610_000, 2024: 23_360_000}
BPS_PROVINCE_URL = {
    2021: "https://id.scribd.com/document/589322797/TK-Jatim-Nov-2021",
    2022: "https://surabaya.bisnis.com/read/20221108/531/1596163/pekerja-penuh-waktu-di-jatim-meningkat-104-juta-orang",
    2024: "https://mediacentral.info/2024/11/05/bps-jatim-rilis-terkait-ketenagakerjaan-penurunan-tingkat-pengangguran-di-jawa-timur-capai-144-ribu/",
}
PROBOLINGGO_2021 = 651_300
PROBOLINGGO_2021_URL = "https://madurapers.com/potret-pengangguran-di-probolinggo-2021/?amp=1"
UCJ_2023 = {"total": 4_336_959, "PU": 3_300_717, "BPU": 1_036_242, "eligible": 14_531_668}
UCJ_2023_URL = "https://pustakajc.co/parlemen/view/368/pemprov-jatim-raih-paritrana-award-2024?halaman=5"
ACTIVE_2025_02 = 4_950_000
TRENGGALEK_2024_11 = {"PU": 38_595, "BPU": 14_468, "JAKON": 17_407}
TRENGGALEK_URL = "https://bidiknasional.com/2024/11/16/kejar-cakupan-kepesertaan-bpjs-ketenagakerjaan-pemkab-trenggalek-laksanakan-sosialisasi-dan-desk"
TRENGGALEK_ELIGIBLE = 270_622  # derived: 70.470 / 0,2604

# ---- illustrative assumptions ----------------------------------------------------------
# Relative coverage level (province average = about 1); urban kota and industrial kab higher.
LEVEL = {
    "3578": 2.0, "3515": 1.8, "3525": 1.7, "3573": 1.5, "3576": 1.4, "3577": 1.4, "3571": 1.4,
    "3575": 1.2, "3574": 1.1, "3572": 1.3, "3579": 1.2, "3514": 1.3, "3516": 1.3, "3507": 0.9,
    "3517": 0.9, "3506": 0.8, "3523": 0.8, "3524": 0.85, "3522": 0.75, "3510": 0.75, "3509": 0.6,
    "3504": 0.8, "3505": 0.7, "3518": 0.7, "3519": 0.7, "3520": 0.75, "3521": 0.65, "3502": 0.65,
    "3501": 0.6, "3511": 0.55, "3512": 0.6, "3526": 0.45, "3527": 0.35, "3528": 0.45, "3529": 0.4,
}
# Regions whose coverage path is calibrated to a published situation: code -> coverage (%)
# at (first month, last month) of the window, eligible-worker denominator.
CALIBRATED = {"3503": (24.6, 26.6), "3513": (19.2, 21.0), "3508": (14.6, 15.8)}
BRANCHES = [
    ("SURABAYA", ["3578"]), ("SIDOARJO", ["3515"]), ("GRESIK", ["3525"]),
    ("MOJOKERTO", ["3516", "3576", "3517"]), ("MALANG", ["3507", "3573", "3579"]),
    ("KEDIRI", ["3506", "3571", "3518"]), ("BLITAR", ["3505", "3572"]),
    ("TULUNGAGUNG", ["3504", "3503"]), ("MADIUN", ["3519", "3577", "3520", "3521"]),
    ("PONOROGO", ["3502", "3501"]), ("BOJONEGORO", ["3522"]), ("TUBAN", ["3523"]),
    ("LAMONGAN", ["3524"]), ("PASURUAN", ["3514", "3575", "3574"]), ("PROBOLINGGO", ["3513"]),
    ("LUMAJANG", ["3508"]), ("JEMBER", ["3509", "3511", "3512"]), ("BANYUWANGI", ["3510"]),
    ("MADURA", ["3526", "3527", "3528", "3529"]),
]
BPU_SEASON = {1: 0.90, 2: 0.88, 3: 0.90, 4: 0.95, 5: 0.99}


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` that sum exactly to ``total``."""
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    short = int(total - base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:short]] += 1
    return base


def build_numbers(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    reg = load_registry()
    kab = reg.kabkota("35")
    codes = list(kab["region_code"])
    pop = kab["population"].astype(float).to_numpy()
    assert sorted(codes) == sorted(list(LEVEL) + list(CALIBRATED)), "LEVEL/CALIBRATED must cover the 38 kab/kota"

    # --- BPS workers -----------------------------------------------------------------
    province = dict(BPS_PROVINCE)
    province[2023] = round((BPS_PROVINCE[2022] + BPS_PROVINCE[2024]) / 2 / 1000) * 1000  # illustrative
    emp_factor = 1 + rng.normal(0, 0.04, len(codes))
    workers: dict[int, dict[str, int]] = {}
    ipro = codes.index("3513")
    for year in sorted(province):
        jitter = 1 + rng.normal(0, 0.004, len(codes))
        weights = pop * emp_factor * jitter
        if year == 2021:
            others = [i for i in range(len(codes)) if i != ipro]
            alloc = largest_remainder(province[year] - PROBOLINGGO_2021, weights[others])
            values = np.zeros(len(codes), dtype=np.int64)
            values[others] = alloc
            values[ipro] = PROBOLINGGO_2021
        else:
            values = largest_remainder(province[year], weights)
        workers[year] = dict(zip(codes, (int(v) for v in values)))

    # --- eligible workers --------------------------------------------------------------
    ratio = UCJ_2023["eligible"] / province[2023]
    share_factor = 1 + rng.normal(0, 0.04, len(codes))
    eligible: dict[int, dict[str, int]] = {}
    eligible_province: dict[int, int] = {}
    for year in sorted(province):
        eligible_province[year] = UCJ_2023["eligible"] if year == 2023 else round(province[year] * ratio)
        w = np.array([workers[year][c] for c in codes], dtype=float) * share_factor
        if year == 2024:
            itr = codes.index("3503")
            others = [i for i in range(len(codes)) if i != itr]
            vals = np.zeros(len(codes), dtype=np.int64)
            vals[others] = largest_remainder(eligible_province[year] - TRENGGALEK_ELIGIBLE, w[others])
            vals[itr] = TRENGGALEK_ELIGIBLE
        else:
            vals = largest_remainder(eligible_province[year], w)
        eligible[year] = dict(zip(codes, (int(v) for v in vals)))

    # --- province segment paths ----------------------------------------------------------
    i_dec23, i_feb25 = PERIODS.index("2023-12"), PERIODS.index("2025-02")
    bpu = []
    for i, p in enumerate(PERIODS):
        month = int(p[5:])
        bpu.append(round(UCJ_2023["BPU"] * (1 + 0.10 * (i - i_dec23) / 12) * BPU_SEASON.get(month, 1.0)))
    nonbpu_dec, nonbpu_feb = UCJ_2023["PU"], ACTIVE_2025_02 - bpu[i_feb25]
    slope = (nonbpu_feb - nonbpu_dec) / (i_feb25 - i_dec23)
    seg_total: dict[str, list[int]] = {s: [] for s in SEGMENTS}
    for i, _p in enumerate(PERIODS):
        nonbpu = round(nonbpu_dec + slope * (i - i_dec23))
        jakon = round(nonbpu * (0.09 + 0.004 * math.sin(i / 2)))
        pmi = round(nonbpu * 0.015)
        seg_total["PU"].append(nonbpu - jakon - pmi)
        seg_total["BPU"].append(bpu[i])
        seg_total["JAKON"].append(jakon)
        seg_total["PMI"].append(pmi)
    assert sum(seg_total[s][i_dec23] for s in SEGMENTS) == UCJ_2023["total"]
    assert sum(seg_total[s][i_feb25] for s in SEGMENTS) == ACTIVE_2025_02

    # --- segment shares per region ---------------------------------------------------------
    madura = {"3526", "3527", "3528", "3529"}
    share = {}
    for c in codes:
        lvl = LEVEL.get(c, 0.8)
        if lvl >= 1.2:
            base = np.array([0.80, 0.10, 0.08, 0.02])
        elif c in madura:
            base = np.array([0.52, 0.32, 0.08, 0.08])
        else:
            base = np.array([0.60, 0.28, 0.08, 0.04])
        base = base * (1 + rng.normal(0, 0.05, 4))
        share[c] = base / base.sum()
    share["3503"] = np.array([38_595, 14_468, 17_407, 900], dtype=float) / 71_370

    # --- allocate ---------------------------------------------------------------------
    participants: dict[str, dict[str, dict[str, int]]] = {p: {} for p in PERIODS}
    noise = {c: 1 + rng.normal(0, 0.01, len(PERIODS)) for c in codes}
    for i, p in enumerate(PERIODS):
        year = int(p[:4]) if int(p[5:]) >= 8 else int(p[:4]) - 1  # BPS August release in use
        year = min(max(year, 2021), 2024)
        fixed: dict[str, dict[str, int]] = {}
        for c, (start, end) in CALIBRATED.items():
            cov = start + (end - start) * i / (len(PERIODS) - 1)
            total = round(eligible[year][c] * cov / 100)
            if c == "3503" and p == "2024-11":
                fixed[c] = dict(TRENGGALEK_2024_11, PMI=900)
                continue
            alloc = largest_remainder(total, share[c])
            fixed[c] = dict(zip(SEGMENTS, (int(v) for v in alloc)))
        free = [c for c in codes if c not in fixed]
        for si, s in enumerate(SEGMENTS):
            remaining = seg_total[s][i] - sum(fixed[c][s] for c in fixed)
            w = np.array([LEVEL[c] * eligible[year][c] * share[c][si] * noise[c][i] for c in free])
            alloc = largest_remainder(remaining, w)
            for c, v in zip(free, alloc):
                participants[p].setdefault(c, {})[s] = int(v)
        for c, segs in fixed.items():
            participants[p][c] = segs
    return {
        "codes": codes, "province": province, "workers": workers, "eligible": eligible,
        "eligible_province": eligible_province, "ratio": ratio, "participants": participants,
        "registry": reg,
    }


# ---- writers ---------------------------------------------------------------------------
def _deterministic_xlsx(wb: Workbook) -> bytes:
    """Save ``wb`` with fixed document and zip timestamps, so the bytes are reproducible."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "jamsos"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode()
                import re
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rf"\g<1>{FIXED_TIME.isoformat()}Z\g<2>", text)
                data = text.encode()
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 7, 15, 8, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, data)
    return out.getvalue()


def write_bps(nums: dict, path: Path) -> None:
    reg = nums["registry"]
    years = sorted(nums["province"])
    wb = Workbook()
    ws = wb.active
    ws.title = "Tabel"
    bold = Font(bold=True)
    ws["A1"] = ("Penduduk Berumur 15 Tahun Ke Atas yang Bekerja Selama Seminggu yang Lalu Menurut "
                f"Kabupaten/Kota di Provinsi Jawa Timur (Jiwa), {years[0]}-{years[-1]}")
    ws["A1"].font = bold
    ws["A2"] = "Hasil Survei Angkatan Kerja Nasional (Sakernas) Agustus"
    ws["A4"] = "Kabupaten/Kota"
    ws.merge_cells(start_row=4, start_column=1, end_row=5, end_column=1)
    ws.cell(4, 2, "Penduduk Berumur 15 Tahun Ke Atas yang Bekerja (Jiwa)")
    ws.merge_cells(start_row=4, start_column=2, end_row=4, end_column=1 + len(years))
    for j, y in enumerate(years):
        ws.cell(5, 2 + j, str(y))
    for j in range(1 + len(years)):
        ws.cell(6, 1 + j, f"({j + 1})")
    for cell in ws[4] + ws[5] + ws[6]:
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.font = bold
    row = 7
    for group, rtype in (("Kabupaten", "Kabupaten"), ("Kota", "Kota")):
        ws.cell(row, 1, group).font = bold
        row += 1
        for c in nums["codes"]:
            r = reg.region(c)
            if r.type != rtype:
                continue
            ws.cell(row, 1, f"{c[2:]} {r.name}")
            for j, y in enumerate(years):
                ws.cell(row, 2 + j, nums["workers"][y][c]).number_format = "#,##0"
            row += 1
    ws.cell(row, 1, "Jawa Timur").font = bold
    for j, y in enumerate(years):
        ws.cell(row, 2 + j, nums["province"][y]).number_format = "#,##0"
    row += 2
    ws.cell(row, 1, "Catatan: Angka provinsi 2021, 2022 dan 2024 dari rilis BPS Provinsi Jawa Timur (dibulatkan "
                    "ke ribuan); angka provinsi 2023 dan seluruh angka kabupaten/kota adalah ILUSTRATIF (jamsos), "
                    "kecuali Kabupaten Probolinggo 2021 (651.300, diturunkan dari BPS Kabupaten Probolinggo).")
    ws.cell(row + 1, 1, "Sumber: BPS Provinsi Jawa Timur, Sakernas Agustus; ilustrasi: tools/generate_default_data.py")
    ws.column_dimensions["A"].width = 28
    path.write_bytes(_deterministic_xlsx(wb))


def write_bpjs(nums: dict, folder: Path) -> list[Path]:
    reg = nums["registry"]
    written = []
    for year in sorted({p[:4] for p in PERIODS}):
        wb = Workbook()
        wb.remove(wb.active)
        for p in [p for p in PERIODS if p[:4] == year]:
            month = int(p[5:])
            ws = wb.create_sheet(f"{MONTHS_ID[month - 1]} {year}")
            ws["A1"] = "REKAPITULASI PESERTA AKTIF BPJS KETENAGAKERJAAN PER KABUPATEN/KOTA"
            ws["A2"] = "KANTOR WILAYAH JAWA TIMUR"
            ws["A3"] = f"Posisi: {MONTHS_ID_LONG[month - 1]} {year}"
            header = ["No", "Kantor Cabang", "Kabupaten/Kota", "PU", "BPU", "Jasa Konstruksi", "PMI", "Total"]
            for j, h in enumerate(header):
                ws.cell(5, 1 + j, h).font = Font(bold=True)
            row = 6
            grand = dict.fromkeys(SEGMENTS, 0)
            for n, (branch, members) in enumerate(BRANCHES, start=1):
                first = row
                sub = dict.fromkeys(SEGMENTS, 0)
                for c in members:
                    r = reg.region(c)
                    label = ("KAB. " if r.type == "Kabupaten" else "KOTA ") + r.name.upper()
                    vals = nums["participants"][p][c]
                    ws.cell(row, 3, label)
                    for j, s in enumerate(SEGMENTS):
                        ws.cell(row, 4 + j, vals[s]).number_format = "#,##0"
                        sub[s] += vals[s]
                    ws.cell(row, 8, sum(vals.values())).number_format = "#,##0"
                    row += 1
                ws.cell(first, 1, n)
                ws.cell(first, 2, f"CABANG {branch}")
                if row - first > 1:
                    ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
                    ws.merge_cells(start_row=first, start_column=2, end_row=row - 1, end_column=2)
                ws.cell(row, 3, f"Sub Total Cabang {branch.title()}").font = Font(bold=True)
                for j, s in enumerate(SEGMENTS):
                    ws.cell(row, 4 + j, sub[s]).number_format = "#,##0"
                    grand[s] += sub[s]
                ws.cell(row, 8, sum(sub.values())).number_format = "#,##0"
                row += 1
            ws.cell(row, 3, "TOTAL KANWIL JAWA TIMUR").font = Font(bold=True)
            for j, s in enumerate(SEGMENTS):
                ws.cell(row, 4 + j, grand[s]).number_format = "#,##0"
            ws.cell(row, 8, sum(grand.values())).number_format = "#,##0"
            ws.cell(row + 2, 1, "Sumber: ILUSTRATIF (jamsos, tools/generate_default_data.py), dikalibrasi ke angka "
                                "UCJ Jatim 2023 dan peserta aktif Februari 2025; bukan data resmi BPJS Ketenagakerjaan.")
            ws.column_dimensions["B"].width = 22
            ws.column_dimensions["C"].width = 30
        path = folder / f"peserta_aktif_{year}.xlsx"
        path.write_bytes(_deterministic_xlsx(wb))
        written.append(path)
    return written


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def write_reference(nums: dict, folder: Path) -> None:
    # basis: the denominator a target was set on (compute.targets.comparable); "ucj" = the UCJ
    # method BPJS used in the target's year. National RPJMN/RKP/RPJPN indicators are shares
    # of all employed; RKP 2021 counts PU only. Kab/kota rows: published_kabkota_bpjs_figures.csv
    # (indicator target_ucj_pct) and domain.md §0 (Kab. Probolinggo's 33%).
    ayonusa = "https://ayonusa.com/berita/news-97831/bpjs-ketenagakerjaan-wujud-pelindungan-negara-untuk-pekerja"
    medcom = "https://www.medcom.id/ekonomi/bisnis/PNg6pEPK-pemerintah-terus-tingkatkan-cakupan-peserta-jamsostek-hingga-29-44"
    klik_lamongan = "https://klikjatim.com/news-39999-bpjs-ketenagakerjaan-lakukan-kordinasi-sekaligus-halal-bihalal"
    mojokerto_2024 = "https://surabayapagi.com/news-253174-gandeng-bupati-dan-kajari-bpjs-ketenagakerjaan-mojokerto-targetkan-ucj-naik-50-persen"
    _write_csv(folder / "coverage_targets.csv",
               ["scope", "region_code", "year", "target_pct", "series", "document", "basis", "source_url", "note"], [
        ["national", "00", 2021, 29.44, "RKP", "RPJMN 2020-2024 / RKP 2021", "pu_of_employed", medcom, "PU coverage of total employed (Menaker, Sept 2021)"],
        ["national", "00", 2024, 37.24, "RPJMN", "RPJMN 2020-2024", "bps_employed", medcom, "% of total employed"],
        ["national", "00", 2025, 32.15, "RPJMN", "RPJMN 2025-2029", "bps_employed", ayonusa, "as quoted by Kemendagri Dirjen Bina Bangda (May 2025); basis: national indicator of all employed (inferred)"],
        ["national", "00", 2029, 43.92, "RPJMN", "RPJMN 2025-2029", "bps_employed", ayonusa, "basis inferred as for 2025"],
        ["national", "00", 2026, 34.99, "RKP", "RKP 2026", "bps_employed", ayonusa, "basis inferred as for RPJMN 2025"],
        ["national", "00", 2045, 99.5, "RPJPN", "RPJPN 2025-2045 (UU 59/2024)", "bps_employed", "https://ternate.tribunnews.com/2025/08/09/ucj-ketenagakerjaan-maluku-utara-capai-61-persen-2-kabupaten-belum-penuhi-target", "long-horizon target; basis inferred"],
        ["national", "00", 2025, 52.15, "KEMENDAGRI_UCJ", "Kemendagri UCJ target", "ucj", ayonusa, "differs from RPJMN 32,15%: two target series coexist"],
        ["province", "35", 2024, 35.0, "PROVINCE", "Pemprov Jatim", "ucj", "https://pustakajc.co/index.php/parlemen/view/368/pemprov-jatim-raih-paritrana-award-2024?halaman=4", "tumbuh 6% dari tahun 2023"],
        ["province", "35", 2025, 40.0, "PROVINCE", "Pemprov Jatim", "ucj", "https://pustakajc.co/parlemen/view/368/pemprov-jatim-raih-paritrana-award-2024?halaman=5", "DBHCHT for 1 juta petani tembakau & pekerja rentan"],
        ["region", "3503", 2045, 83.29, "RPJPD", "RPJPD Kabupaten Trenggalek 2025-2045", "ucj", TRENGGALEK_URL, "long-horizon target (IUP); baseline 2025: 26,30%"],
        ["region", "3508", 2026, 20.0, "BRANCH", "BPJS TK Cabang Lumajang", "ucj", "https://www.onenewsjatim.com/2026/03/465-ribu-pekerja-lumajang-belum.html", "branch target, March 2026; 89.266 of 555.154 = 16,08%"],
        ["region", "3510", 2024, 50.0, "BRANCH", "BPJS TK Banyuwangi", "ucj", "https://jatimtimes.com/baca/317422/20240730/112600/privacy", "menargetkan peningkatan kepesertaan ... menjadi 50 persen pada akhir tahun 2024"],
        ["region", "3513", 2025, 33.0, "PEMDA", "target disebut Pemkab Probolinggo (monev, Juni 2025)", "ucj", "https://www.lensa-update.com/2025/06/pemkab-probolinggo-komitmen-tingkatkan.html", "baru mencapai sekitar 21% dari target nasional yang ditetapkan sebesar 33% (the seeds' source; no national series is 33%)"],
        ["region", "3513", 2045, 90.0, "RPJPD", "RPJPD Kabupaten Probolinggo 2025-2045", "ucj", "https://investigasi88.com/optimalkan-jaminan-sosial-disnaker-dan-bpjs-probolinggo-gelar-sosialisasi", "target RPJPD mencapai 90 persen; end year not stated, RPJPD horizon 2045"],
        ["region", "3514", 2025, 37.24, "BRANCH", "BPJS TK Pasuruan - Pemkab Pasuruan", "ucj", "https://www.kabarpas.com/bpjs-ketenagakerjaan-pasuruan-bersama-pemkab-pasuruan-komit-tingkatkan-ucj/", "322.251 (37,24 persen) pekerja dari total 865.336 (BPS Aug 2023)"],
        ["region", "3516", 2023, 60.0, "PEMDA", "target Pemkab Mojokerto 2023", "ucj", "https://jatim.viva.co.id/kabar/3770-cara-bupati-mojokerto-capai-target-60-persen-bpjs-ketenagakerjaan-2023?page=all", "target pencapaian Universal Coverage sebesar 60 persen dari jumlah penduduk bekerja"],
        ["region", "3516", 2024, 50.0, "PEMDA", "target Pemkab Mojokerto 2024", "excluding_asn_tni_polri", mojokerto_2024, "50 persen dari total 486 ribu pekerja (eligible subset of BPS Aug 2023 617.533)"],
        ["region", "3523", 2025, 34.36, "BRANCH", "BPJS TK Tuban", "ucj", "https://suaradata.com/kesehatan-dan-olahraga/bpjs-ketenagakerjaan-tuban-targetkan-3436-persen-kepesertaan-jaminan-sosial-pada-2025/", "menargetkan 34,36 persen ... pada tahun 2025"],
        ["region", "3524", 2025, 34.36, "RPJPD", "RPJPD Kabupaten Lamongan 2025-2045 (baseline 2025)", "ucj", klik_lamongan, "baseline tahun 2025 ditargetkan mencapai 34,36%"],
        ["region", "3524", 2045, 95.37, "RPJPD", "RPJPD Kabupaten Lamongan 2025-2045", "ucj", klik_lamongan, "IUP per Surat Edaran Sekda Prov. Jatim; long-horizon target"],
        ["region", "3525", 2025, 52.69, "BRANCH", "BPJS TK Gresik", "ucj", "https://klikjatim.com/news-43677-perlindungan-jaminan-sosial-pekerja-di-gresik-masih-rendah-bpjs-ketenagakerjaan-dorong-percepatan-ucj", "masih jauh di bawah target 52,69% (on 715.619 = BPS Aug 2024)"],
        ["region", "3571", 2025, 59.27, "PEMDA", "target UCJ Kota Kediri 2025", "ucj", "https://javasatu.com/berita/mbak-wali-dorong-perlindungan-sosial-pekerja-rentan-melalui-fgd-jamsostek-kediri", "Target UCJ sebesar 59,27% di 2025"],
        ["region", "3573", 2025, 41.23, "RPJMD", "RPJMD Kota Malang (target UCJ 2025)", "ucj", "https://seru.co.id/202009-bpjs-ketenagakerjaan-kanwil-jatim-berikan-penghargaan-pemkot-malang-masuk-lima-terbaik-ucj/amp", "41,23 persen atau 176.753 peserta; malangpagi.com: target RPJMD 41 persen"],
        ["region", "3578", 2025, 58.0, "BRANCH", "Kanwil BPJS TK Jatim - Pemkot Surabaya", "ucj", "https://jatim.antaranews.com/amp/berita/999941/pemkot-surabaya-bpjs-ketenagakerjaan-gerakkan-agen-perisai-di-tiap-rw", "belum mencapai target keseluruhan yakni 58 persen"],
    ])
    _write_csv(folder / "contribution_rates.csv",
               ["segment", "program", "kind", "value", "min_rp", "max_rp", "basis", "legal_basis", "valid_from", "valid_to", "source_url", "note"], [
        ["BPU", "JKK", "percent", 1.0, 10000, 207000, "penghasilan yang dilaporkan", "PP 44/2015 (diubah PP 82/2019)", "2015-07-01", "", "https://radarmukomuko.disway.id/read/666514/berapa-besaran-iuran-bpjs-ketenagakerjaan-begini-perhitungannya-dan-besarannya", "bracket table from Rp 10.000 to Rp 207.000"],
        ["BPU", "JKM", "amount", 6800, "", "", "per orang per bulan", "PP 44/2015", "2015-07-01", "", "https://star.grid.id/amp/453740395/terlengkap-cek-iuran-bpjs-ketenagakerjaan-bukan-penerima-upah-alias-mandiri-beda-pendapatan-beda-besarnya", ""],
        ["BPU", "JHT", "percent", 2.0, "", "", "penghasilan yang dilaporkan", "PP 46/2015; Permenaker 1/2016", "2015-07-01", "", "https://suara.com/bisnis/2023/07/06/142746/kuli-petani-hingga-nelayan-jadi-peserta-bpjs-ketenagakerjaan-iurannya-rp-36800-per-bulan", "optional for BPU; Rp 20.000 at Rp 1 juta"],
        ["PU", "JKK", "percent", 0.24, "", "", "upah sebulan, risiko sangat rendah (0,24-1,74% by risk class)", "PP 44/2015", "2015-07-01", "", "https://makassar.tribunnews.com/2020/09/08/resmi-presiden-jokowi-turunkan-iuran-bpjs-ketenagakerjaan-kapan-mulai-berlaku?page=3", ""],
        ["PU", "JKM", "percent", 0.30, "", "", "upah sebulan", "PP 44/2015", "2015-07-01", "", "https://fame.grid.id/amp/464096648/sadar-tidak-7-potongan-ini-ada-pada-gaji-buruh-jadi-8-karena-tapera?page=4", ""],
        ["PU", "JHT", "percent", 5.7, "", "", "upah sebulan (3,7% pemberi kerja + 2% pekerja)", "PP 46/2015", "2015-07-01", "", "https://jatim.suaraindonesia.co.id/news/advertorial/662fb085ccb43/Batasan-Upah-JP-Naik-Manfaat-Bagi-Peserta-BPJamsostek-Ikut-Meningkat", ""],
        ["PU", "JP", "percent", 3.0, "", 10042300 * 0.03, "upah sebulan, dibatasi batas upah JP (Rp 10.042.300 sejak 1 Maret 2024)", "PP 45/2015 Pasal 28-29", "2024-03-01", "", "https://jatim.suaraindonesia.co.id/news/advertorial/662fb085ccb43/Batasan-Upah-JP-Naik-Manfaat-Bagi-Peserta-BPJamsostek-Ikut-Meningkat", "2% pemberi kerja + 1% pekerja"],
        ["PU", "JKP", "percent", 0.46, "", "", "upah sebulan", "PP 37/2021", "2021-02-02", "2025-02-06", "https://fame.grid.id/amp/464096648/sadar-tidak-7-potongan-ini-ada-pada-gaji-buruh-jadi-8-karena-tapera?page=4", "0,22% pemerintah + rekomposisi JKK/JKM"],
        ["PU", "JKP", "percent", 0.36, "", "", "upah sebulan", "PP 6/2025", "2025-02-07", "", "https://tirto.id/prabowo-jamin-korban-phk-kini-dapat-60-gaji-selama-6-bulan-g8lL", ""],
    ])
    _write_csv(folder / "bantuan_iuran_programs.csv",
               ["region_code", "region_name", "year", "budget_rp", "persons", "months", "funding_source", "programs", "source_url", "note"], [
        ["3503", "Kabupaten Trenggalek", 2023, 365600000, 5600, 3, "APBD", "JKK+JKM (petani tembakau & pekerja rentan)", "https://bangsaonline.com/berita/139723/dinas-perinaker-sosialisasi-jaminan-sosial-ketenagakerjaan-bagi-petani-tembakau-dan-pekerja-rentan", "source: \"365 juta lebih\"; Rp 365.600.000 as reported by kabarpas.com"],
        ["3503", "Kabupaten Trenggalek", 2024, 1200000000, "", 10, "APBD", "JKK+JKM", "https://afederasi.com/pemkab-trenggalek-perkuat-program-jaminan-sosial-bagi-petani-tembakau-dan-pekerja-rentan", "participant count not stated"],
        ["3503", "Kabupaten Trenggalek", 2025, 2092600000, 10000, 12, "APBD (rencana)", "JKK+JKM (petani tembakau & pekerja rentan)", "https://afederasi.com/pemkab-trenggalek-perkuat-program-jaminan-sosial-bagi-petani-tembakau-dan-pekerja-rentan", "Rp 2.092.600.000 (\"Rp 2,09 miliar\") for 10.000 recipients, 2025 plan"],
        ["3574", "Kota Probolinggo", 2025, "", 11023, "", "DBHCHT TA 2025", "JKK+JKM", "https://realita.co/baca-40214-11023-pekerja-rentan-di-kota-probolinggo-terlindungi-bpjs-ketenagakerjaan", "budget not stated"],
        ["3513", "Kabupaten Probolinggo", 2025, "", 25215, "", "DBHCHT", "JKK+JKM", "https://patrolihukum.net/gus-haris-serahkan-kartu-bpjs-ketenagakerjaan-untuk-ribuan-buruh-tani-tembakau-di-probolinggo", "budget not stated"],
        ["3524", "Kabupaten Lamongan", 2023, "", 21000, "", "DBHCHT", "JKK+JKM (petani)", "https://www.kabarbisnis.com/read/28118550/lindungi-pekerja-rentan-bpjamsostek-dorong-alokasi-dana-dbhct", "budget not stated"],
        ["6409", "Kabupaten Penajam Paser Utara (Kalimantan Timur, pembanding)", 2025, 3000000000, 15000, 12, "APBD", "JKK+JKM Rp 16.800", "https://kaltimkita.com/detailpost/pemkab-ppu-alokasikan-anggaran-iuran-bpjs-ketenagakerjaan-pekerja-rentan-di-apbd-2025-sebesar-rp3-miliar", "15.000 x Rp 16.800 x 12 = Rp 3.024.000.000 ~ Rp 3 miliar"],
    ])
    rows = []
    for year in sorted(nums["province"]):
        if year == 2023:
            rows.append(["35", year, "", UCJ_2023["eligible"], "UCJ Jawa Timur 2023 denominator (published)", UCJ_2023_URL, "published"])
        else:
            rows.append(["35", year, round(nums["ratio"], 4), "", "illustrative: the 2023 UCJ ratio applied to BPS employed", "illustrative", "illustrative"])
        for c in nums["codes"]:
            if c == "3503" and year == 2024:
                rows.append([c, year, "", TRENGGALEK_ELIGIBLE, "derived from published UCJ 26,04% (13 Nov 2024): 70.470 / 0,2604", TRENGGALEK_URL, "published (derived)"])
            else:
                rows.append([c, year, "", nums["eligible"][year][c], "illustrative: province eligible workers apportioned by BPS employed", "illustrative", "illustrative"])
    _write_csv(folder / "eligible_workers.csv",
               ["region_code", "year", "eligible_share", "eligible_workers", "basis", "source_url", "note"], rows)


def write_published_long(folder: Path) -> Path:
    path = folder / "peserta_aktif_published.csv"
    _write_csv(path, ["period", "region_code", "segment", "active_participants"],
               [["2024-11", "3503", s, v] for s, v in TRENGGALEK_2024_11.items()])
    return path


def sidecar(path: Path, meta: dict) -> None:
    meta = dict(meta)
    meta["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    meta.setdefault("date_accessed", ACCESSED)
    text = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    (path.parent / (path.name + ".meta.yml")).write_text(text, encoding="utf-8")


def generate(out: Path, seed: int = SEED) -> dict:
    nums = build_numbers(seed)
    gen = f"{GENERATOR} --seed {seed}"
    (out / "bps").mkdir(parents=True, exist_ok=True)
    (out / "bpjs").mkdir(parents=True, exist_ok=True)
    (out / "reference").mkdir(parents=True, exist_ok=True)

    bps = out / "bps" / "penduduk_bekerja_kabkota_2021_2024.xlsx"
    write_bps(nums, bps)
    published = [{"region_code": "35", "year": y, "source_url": BPS_PROVINCE_URL[y]} for y in sorted(BPS_PROVINCE)]
    published.append({"region_code": "3513", "year": 2021, "source_url": PROBOLINGGO_2021_URL})
    sidecar(bps, {
        "kind": "bps_workers",
        "title": "Penduduk Berumur 15 Tahun Ke Atas yang Bekerja menurut Kabupaten/Kota, Jawa Timur (Sakernas Agustus)",
        "publisher": "BPS Provinsi Jawa Timur (total provinsi 2021, 2022, 2024; Kab. Probolinggo 2021); jamsos (sisanya ilustratif)",
        "url": BPS_PROVINCE_URL[2024], "period": "2021-2024", "status": "mixed", "published": published,
        "generated_by": gen, "license": "BPS figures: public statistics; illustrative figures: CC0",
        "note": "Total provinsi 2023 diinterpolasi; angka kabupaten/kota dibagi menurut penduduk Dukcapil (ilustratif)",
    })
    for path in write_bpjs(nums, out / "bpjs"):
        year = path.stem[-4:]
        months = [p for p in PERIODS if p[:4] == year]
        sidecar(path, {
            "kind": "bpjs_branch",
            "title": f"Rekapitulasi peserta aktif BPJS Ketenagakerjaan per kabupaten/kota, Jawa Timur, {year}",
            "publisher": "jamsos (ilustratif, dalam format rekap Kanwil BPJS Ketenagakerjaan)",
            "url": "illustrative", "period": f"{months[0]}..{months[-1]}", "status": "illustrative",
            "generated_by": gen, "license": "CC0",
            "note": ("dikalibrasi ke angka terbit: UCJ Jatim 2023 (4.336.959), peserta aktif Februari 2025 "
                     "(4,95 juta), Trenggalek November 2024, Kab. Probolinggo sekitar 21% (Juni 2025); pengelompokan cabang ilustratif"),
        })
    longf = write_published_long(out / "bpjs")
    sidecar(longf, {
        "kind": "bpjs_long", "title": "UCJ Kabupaten Trenggalek per 13 November 2024, per segmen",
        "publisher": "Data Universal Coverage Jamsostek Jawa Timur, disampaikan Pemkab Trenggalek",
        "url": TRENGGALEK_URL, "period": "2024-11", "status": "published", "license": "news report of public figures",
        "note": "PU 43,2%, BPU 9,0%, Jasa Konstruksi 81,7%; total 26,04%",
    })
    write_reference(nums, out / "reference")
    ref_meta = {
        "coverage_targets.csv": ("targets", "Target cakupan (RPJMN, RKP, RPJPN, Kemendagri UCJ, Pemprov Jatim, kabupaten)", "published", "2021-2045"),
        "contribution_rates.csv": ("rates", "Iuran BPJS Ketenagakerjaan (PU, BPU)", "published", "2015-"),
        "bantuan_iuran_programs.csv": ("programmes", "Program bantuan iuran Pemda (anggaran, orang, bulan)", "published", "2023-2025"),
        "eligible_workers.csv": ("eligibility", "Pekerja yang memenuhi syarat (penyebut UCJ) per daerah dan tahun", "mixed", "2021-2024"),
    }
    for name, (kind, title, status, period) in ref_meta.items():
        meta = {"kind": kind, "title": title, "publisher": "dihimpun jamsos dari sumber di kolom source_url",
                "url": "lihat kolom source_url", "period": period, "status": status, "license": "fakta publik; kompilasi CC0",
                "note": "dari rujukan domain jamsos (sumber per baris di kolom source_url)"}
        if kind == "eligibility":
            meta["published"] = [{"region_code": "35", "year": 2023, "source_url": UCJ_2023_URL},
                                 {"region_code": "3503", "year": 2024, "source_url": TRENGGALEK_URL}]
            meta["generated_by"] = gen
        sidecar(out / "reference" / name, meta)
    return nums


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "raw")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    nums = generate(args.out, args.seed)
    p = nums["participants"]
    print(f"wrote {args.out}: {len(nums['codes'])} kab/kota, BPS {sorted(nums['province'])}, {len(p)} months")
    return 0


if __name__ == "__main__":
    sys.exit(main())
