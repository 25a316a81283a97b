#!/usr/bin/env python3
"""Generate the shipped default data set in ``data/raw/`` (Jawa Timur, 38 kab/kota).

Deterministic: the same seed gives byte-identical files (``tests/test_default_data.py``
checks this against the committed files). Run from the repository root::

    .venv/bin/python tools/generate_default_data.py [--out data/raw] [--seed 20251122]

Published figures first
-----------------------
The inputs are two copies of the jamsos reference tables, kept beside this script in
``tools/published/`` (and in ``tests/fixtures/`` for the tests):

* ``bps_employed_jatim_kabkota_2019_2025.csv``: BPS Sakernas August, employed population
  15+ of the province and all 38 kab/kota, 2019–2025, shipped **as published** in the BPS
  static-table layout (``bps/penduduk_bekerja_kabkota_2019_2025.xlsx``).
* ``published_kabkota_bpjs_figures.csv``: every published BPJS figure per kab/kota, with
  address, date and quote. Each row the data model can hold is shipped as published:
  participant counts (segments and ``TOTAL``) in ``bpjs/peserta_aktif_published.csv``;
  UCJ denominators in ``reference/ucj_denominators.csv``. Province figures (UCJ Jawa Timur
  2023: 4.336.959 / 14.531.668 = 29,84%; December 2022, March 2023, February 2025) and
  Trenggalek's November 2024 segments come from ``coverage_figures.csv`` (listed below).
  What is **not** held, and why, is :data:`NOT_HELD`; where two published figures disagree,
  :data:`CONFLICTS` says which one the reports use and why.

Derived denominators: where a count and a coverage % (or a count and the number not
covered) are published for the same date but the denominator is not, it is worked out
(``derived: yes``), e.g. Kota Malang 2025: 134.167 / 32,44% = 413.585.

Illustrative figures, only where nothing is published
-----------------------------------------------------
BPS is published for every region and year, so only the monthly participants of the
region-months without a published count are illustrative (``bpjs/peserta_aktif_20YY.xlsx``,
January 2023 – December 2025, the branch-spreadsheet layout). Method:

1. The province UCJ numerator (PU + BPU + JAKON) runs linearly through the published
   province totals (December 2022 3.065.000 = PU 2.465.000 + BPU 600.000; March 2023
   2.975.000; December 2023 4.336.959; February 2025 4.950.000) and on at the slope of the
   last interval; province BPU through 600.000, 490.000 and 1.036.242, then at its
   December 2023 share of the total.
2. Each kab/kota's natural share of a month is its UCJ denominator of that month (computed
   by :func:`jamsos_lib.compute.coverage.workers_for`, the rule the reports use) × a fixed
   relative coverage level (:data:`LEVEL`, urban higher) × 1% seeded noise.
3. A region with published figures ("anchors": a count, or a coverage % × its denominator,
   rounded to whole persons) follows its natural path scaled by a factor that is exact at
   every anchor month and linear in between (constant before the first and after the last),
   so the series passes **exactly** through every published count and within rounding of
   every published % at its month.
4. The other regions share the rest of the province total in proportion to their natural
   shares (largest-remainder rounding), so kab/kota sum exactly to the province path.
5. Segments: published segments are used as they are; otherwise BPU is apportioned so the
   kab/kota BPU sum to the province BPU path, and the rest is split into PU and JAKON by a
   seeded per-region JAKON share (a region with a published split uses that split's BPU
   and JAKON shares: Gresik, Trenggalek, Sumenep, Sidoarjo); PMI (not in the UCJ numerator)
   is a small seeded share.
6. The Kantor Cabang grouping of kab/kota is illustrative.

A figure's month is the month of its date (Gresik "per 26 November 2025" -> 2025-11);
a year-end figure given by year only is December of that year.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from jamsos_lib.compute.coverage import workers_for  # noqa: E402
from jamsos_lib.regions import load_registry  # noqa: E402
from jamsos_lib.validate.schemas import DENOMINATOR_ROWS, ELIGIBILITY  # noqa: E402

SEED = 20251122
ACCESSED = "2026-11-22"
FIXED_TIME = datetime(2025, 7, 15, 8, 0, 0)
GENERATOR = "tools/generate_default_data.py"
PUBLISHED_DIR = ROOT / "tools" / "published"
BPS_CSV = PUBLISHED_DIR / "bps_employed_jatim_kabkota_2019_2025.csv"
BPJS_CSV = PUBLISHED_DIR / "published_kabkota_bpjs_figures.csv"
BPS_COPY_URL = (
    "https://github.com/baniadamtampubolon/dashboard-tenaga-kerja/blob/ee02d7e/Database/PYB-2018-2025-ver2.xlsx"
)

MONTHS_ID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
MONTHS_ID_LONG = [
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
]
PERIODS = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)]  # 2023-01 .. 2025-12
SEGMENTS = ["PU", "BPU", "JAKON", "PMI"]

# ---- published province and Trenggalek figures (../shared/reference/data/coverage_figures.csv)
UCJ_2023_URL = "https://pustakajc.co/parlemen/view/368/pemprov-jatim-raih-paritrana-award-2024?halaman=5"
KABARBISNIS_URL = (
    "https://www.kabarbisnis.com/read/28118550/lindungi-pekerja-rentan-bpjamsostek-dorong-alokasi-dana-dbhct"
)
DATABOKS_URL = (
    "https://databoks.katadata.co.id/index.php/ketenagakerjaan/statistik/67f5ed64a9a66/"
    "provinsi-dengan-peserta-aktif-bpjs-tk-terbanyak-pada-februari-2025"
)
TRENGGALEK_URL = "https://bidiknasional.com/2024/11/16/kejar-cakupan-kepesertaan-bpjs-ketenagakerjaan-pemkab-trenggalek-laksanakan-sosialisasi-dan-desk"
#: (period, region, segment, count, published_on, url, quote/note)
OTHER_PARTICIPANTS = [
    (
        "2022-12",
        "35",
        "PU",
        2_465_000,
        "2023-04",
        KABARBISNIS_URL,
        "PU 2,465 juta (Desember 2022), naik menjadi 2,485 juta (Maret 2023)",
    ),
    ("2022-12", "35", "BPU", 600_000, "2023-04", KABARBISNIS_URL, "BPU sekitar 600 ribu (Desember 2022); approximate"),
    ("2023-03", "35", "PU", 2_485_000, "2023-04", KABARBISNIS_URL, "PU 2,485 juta (Maret 2023)"),
    ("2023-03", "35", "BPU", 490_000, "2023-04", KABARBISNIS_URL, "BPU turun ke 490 ribu (Maret 2023); approximate"),
    ("2023-12", "35", "PU", 3_300_717, "2024", UCJ_2023_URL, "UCJ Jatim 2023: PU 3.300.717 (Jasa Konstruksi included)"),
    ("2023-12", "35", "BPU", 1_036_242, "2024", UCJ_2023_URL, "UCJ Jatim 2023: BPU 1.036.242"),
    ("2023-12", "35", "TOTAL", 4_336_959, "2024", UCJ_2023_URL, "UCJ Jatim 2023: 4.336.959 / 14.531.668 = 29,84%"),
    (
        "2025-02",
        "35",
        "TOTAL",
        4_950_000,
        "2025-02",
        DATABOKS_URL,
        "Kemnaker: 4,95 juta peserta aktif Jawa Timur (PU+BPU+Jakon)",
    ),
    (
        "2024-11",
        "3503",
        "PU",
        38_595,
        "2024-11-13",
        TRENGGALEK_URL,
        "Data UCJ Jawa Timur per 13 November 2024: PU 38.595 (43,2%)",
    ),
    ("2024-11", "3503", "BPU", 14_468, "2024-11-13", TRENGGALEK_URL, "BPU 14.468 (9,0%)"),
    ("2024-11", "3503", "JAKON", 17_407, "2024-11-13", TRENGGALEK_URL, "Jasa Konstruksi 17.407 (81,7%); total 26,04%"),
]
#: segment splits given in the quote or note of a published total (same article)
SPLITS_IN_TEXT = {
    ("3529", "2022-11"): {
        "PU": 14_655,
        "BPU": 3_620,
        "JAKON": 10_232,
    },  # quote: Pu 14.655, Bpu 3.620, jasa kontruksi 10.232
    ("3515", "2020-01"): {"PU": 449_085, "BPU": 32_537, "JAKON": 46_055},  # note: PU 449.085, BPU 32.537, Jakon 46.055
}
PARTICIPANT_INDICATORS = {
    "bpjs_peserta_aktif_total": "TOTAL",
    "bpjs_peserta_aktif_pu": "PU",
    "bpjs_peserta_aktif_bpu": "BPU",
    "bpjs_peserta_aktif_jakon": "JAKON",
}

#: UCJ denominators: (region, year of use, method, value, sakernas_year, derived, published_on, url, note).
#: Stated ones carry the reference row's address; derived ones say how they are worked out.
DENOMINATORS = [
    (
        "35",
        2023,
        "excluding_asn_tni_polri",
        14_531_668,
        None,
        False,
        "2024",
        UCJ_2023_URL,
        "Pemprov Jatim, UCJ 2023; = 0,672 of BPS employed Aug 2022 (21.613.293), below the published kab/kota shares (0,74-0,88)",
    ),
    (
        "3503",
        2024,
        "excluding_asn_tni_polri",
        270_622,
        2023,
        True,
        "2024-11-13",
        TRENGGALEK_URL,
        "derived: 70.470 participants / 26,04% (Data UCJ Jawa Timur per 13 November 2024)",
    ),
    (
        "3514",
        2024,
        "excluding_asn_tni_polri",
        701_983,
        2023,
        True,
        "2024-08-06",
        None,
        "derived: 208.063 covered + 493.920 not covered; = 0,81 of BPS employed Aug 2023 (865.336)",
    ),
    (
        "3577",
        2025,
        "ktp_domicile",
        96_093,
        None,
        True,
        "2025-12-26",
        None,
        "derived: 51.293 covered + 44.800 not covered; not equal to BPS employed Aug 2023 (105.313) or 2024 (110.196)",
    ),
    (
        "3573",
        2025,
        "ktp_domicile",
        413_585,
        None,
        True,
        "2025-06-30",
        None,
        "derived: 134.167 / 32,44%; the 2025 target (41,23% = 176.753) implies 428.700 = BPS employed Aug 2023",
    ),
    ("3522", 2025, "ktp_domicile", 371_383, None, True, "2025-06-30", None, "derived: 157.058 / 42,29%"),
    (
        "3578",
        2025,
        "ktp_domicile",
        1_459_524,
        None,
        True,
        "2025-11",
        None,
        "derived: about 613.000 / about 42% (both approximate); close to BPS employed Aug 2023 (1.463.594)",
    ),
    (
        "3516",
        2024,
        "excluding_asn_tni_polri",
        486_000,
        2023,
        False,
        "2024-08-26",
        "https://surabayapagi.com/news-253174-gandeng-bupati-dan-kajari-bpjs-ketenagakerjaan-mojokerto-targetkan-ucj-naik-50-persen",
        '"dari total 486 ribu pekerja" (rounded, in the 2024 target statement); = 0,79 of BPS employed Aug 2023 (617.533)',
    ),
    (
        "3510",
        2022,
        "excluding_asn_tni_polri",
        647_000,
        None,
        True,
        "2022-08",
        None,
        "derived: about 123.000 covered + 524.000 not covered (approximate)",
    ),
]
#: stated UCJ denominators of the reference table: (region, period as written) -> (year of use, method, sakernas_year, note)
STATED_DENOMINATORS = {
    ("3525", "2024-11"): (2024, "excluding_asn_tni_polri", 2023, "= 0,81 of BPS employed Aug 2023 (688.645)"),
    ("3525", "2025-11-26"): (2025, "ktp_domicile", 2024, "= BPS employed Aug 2024 exactly"),
    ("3515", "2020-01"): (2020, "excluding_asn_tni_polri", 2019, "= 0,88 of BPS employed Aug 2019 (1.120.482)"),
    ("3576", "2023"): (2023, "excluding_asn_tni_polri", 2022, "= 0,79 of BPS employed Aug 2022 (68.705)"),
    ("3575", "2024-08-06"): (2024, "excluding_asn_tni_polri", 2023, "= 0,74 of BPS employed Aug 2023 (117.266)"),
    ("3514", "2025"): (2025, "ktp_domicile", 2023, "= BPS employed Aug 2023 exactly (not Aug 2024)"),
    ("3571", "2022-12-29"): (2022, "excluding_asn_tni_polri", 2021, "= 0,76 of BPS employed Aug 2021 (146.620)"),
    ("3506", "2022-12-29"): (2022, "excluding_asn_tni_polri", 2021, "eligible subset of BPS employed"),
}
#: figures of the reference table that disagree with another: the one the reports do NOT use, and why
CONFLICTS = {
    (
        "3513",
        "ucj_coverage_pct",
        "2025-05-28",
    ): "Kab. Probolinggo ~30% (Kadisnaker, 28 May 2025) vs ~21% (20 June 2025): the reports use 21%, the later "
    "figure, quoted against the national 33% target and the one the seeds' source uses; 30% is an approximate "
    "remark at a sosialisasi (officials believe ~27% after de-duplication).",
    (
        "3572",
        "ucj_coverage_pct",
        "2023-06-09",
    ): "Kota Blitar 53% (June 2023, evaluation meeting) vs 69,4% (6 September 2023, BPJS Cabang Blitar with the "
    "branch's counts for the same date): the reports use 69,4%, the later figure that comes with counts.",
    (
        "35",
        "ucj_coverage_pct",
        "2023-12",
    ): "Jawa Timur 31,7% (5,07 juta of 14,8 juta, 'data BPS yang diolah Bappenas') vs 29,84% (Pemprov, "
    "4.336.959 / 14.531.668): the reports use 29,84%, whose counts and denominator are both published.",
}
#: figures of the reference table the data model cannot hold, by indicator or key, and why
NOT_HELD = {
    "bps_angkatan_kerja": "labour force, not employed (the BPS employed table is shipped whole)",
    "bps_tpt": "unemployment rate (not used)",
    "ucj_coverage_pu_pct": "segment coverage on a segment denominator that is not published",
    "ucj_coverage_bpu_pct": "segment coverage on a segment denominator that is not published",
    "ucj_coverage_jakon_pct": "segment coverage on a segment denominator that is not published",
    "ucj_not_covered": "used to derive the denominator (covered + not covered)",
    "target_ucj_pct": "targets: reference/coverage_targets.csv",
    "dbhcht_pekerja_rentan_dilindungi": "bantuan iuran programmes: reference/bantuan_iuran_programs.csv",
    "bantuan_iuran_budget_rp": "bantuan iuran programmes: reference/bantuan_iuran_programs.csv",
    "combined regions": "figures for two or more kab/kota together (e.g. 3505+3572) are not a region of the data model",
    ("3576", "ucj_coverage_pct", "2023"): "Kota Mojokerto 64,84%: month not stated ('saat ini', early 2023)",
    ("3524", "2021-08-31"): "Lamongan 614.130 'tenaga kerja' (2021): basis unknown (0,95 of BPS employed Aug 2020), "
    "not shipped as a UCJ denominator; the 39.360 participants are shipped",
}

# ---- illustrative assumptions ----------------------------------------------------------
# Relative coverage level (province average = about 1); urban kota and industrial kab higher.
LEVEL = {
    "3578": 2.0,
    "3515": 1.8,
    "3525": 1.7,
    "3573": 1.5,
    "3576": 1.4,
    "3577": 1.4,
    "3571": 1.4,
    "3575": 1.2,
    "3574": 1.1,
    "3572": 1.3,
    "3579": 1.2,
    "3514": 1.3,
    "3516": 1.3,
    "3507": 0.9,
    "3517": 0.9,
    "3506": 0.8,
    "3523": 0.8,
    "3524": 0.85,
    "3522": 0.75,
    "3510": 0.75,
    "3509": 0.6,
    "3504": 0.8,
    "3505": 0.7,
    "3518": 0.7,
    "3519": 0.7,
    "3520": 0.75,
    "3521": 0.65,
    "3502": 0.65,
    "3501": 0.6,
    "3511": 0.55,
    "3512": 0.6,
    "3526": 0.45,
    "3527": 0.35,
    "3528": 0.45,
    "3529": 0.4,
    "3503": 0.6,
    "3513": 0.55,
    "3508": 0.45,
}
BRANCHES = [
    ("SURABAYA", ["3578"]),
    ("SIDOARJO", ["3515"]),
    ("GRESIK", ["3525"]),
    ("MOJOKERTO", ["3516", "3576", "3517"]),
    ("MALANG", ["3507", "3573", "3579"]),
    ("KEDIRI", ["3506", "3571", "3518"]),
    ("BLITAR", ["3505", "3572"]),
    ("TULUNGAGUNG", ["3504", "3503"]),
    ("MADIUN", ["3519", "3577", "3520", "3521"]),
    ("PONOROGO", ["3502", "3501"]),
    ("BOJONEGORO", ["3522"]),
    ("TUBAN", ["3523"]),
    ("LAMONGAN", ["3524"]),
    ("PASURUAN", ["3514", "3575", "3574"]),
    ("PROBOLINGGO", ["3513"]),
    ("LUMAJANG", ["3508"]),
    ("JEMBER", ["3509", "3511", "3512"]),
    ("BANYUWANGI", ["3510"]),
    ("MADURA", ["3526", "3527", "3528", "3529"]),
]
#: province UCJ numerator (PU + BPU + JAKON) and BPU at the published months
PROVINCE_TOTAL_ANCHORS = {"2022-12": 3_065_000, "2023-03": 2_975_000, "2023-12": 4_336_959, "2025-02": 4_950_000}
PROVINCE_BPU_ANCHORS = {"2022-12": 600_000, "2023-03": 490_000, "2023-12": 1_036_242}


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` that sum exactly to ``total``."""
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    short = int(total - base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:short]] += 1
    return base


def month_of(text: str) -> str | None:
    """``2024-11-21`` / ``2024-11`` -> ``2024-11``; a bare year -> December of it; else None."""
    text = text.strip()
    if len(text) >= 7 and text[4] == "-" and text[:4].isdigit() and text[5:7].isdigit():
        return text[:7]
    if len(text) == 4 and text.isdigit():
        return f"{text}-12"
    return None


def read_bps() -> dict[tuple[str, int], int]:
    with BPS_CSV.open(encoding="utf-8") as fh:
        return {(r["region_code"], int(r["year"])): int(r["employed"]) for r in csv.DictReader(fh)}


def read_published() -> list[dict]:
    with BPJS_CSV.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def published_participants(rows: list[dict]) -> list[dict]:
    """Every participant count the data model can hold, as rows of the long template."""
    out = []
    for period, code, seg, n, on, url, quote in OTHER_PARTICIPANTS:
        out.append(
            {
                "period": period,
                "region_code": code,
                "segment": seg,
                "active_participants": n,
                "published_on": on,
                "source_url": url,
                "quote": quote,
                "note": "",
            }
        )
    for r in rows:
        seg = PARTICIPANT_INDICATORS.get(r["indicator"])
        if seg is None or "+" in r["region_code"]:
            continue
        period = month_of(r["period"])
        out.append(
            {
                "period": period,
                "region_code": r["region_code"],
                "segment": seg,
                "active_participants": int(float(r["value"])),
                "published_on": r["period"],
                "source_url": r["source_url"],
                "quote": r["quote"],
                "note": r["notes"],
            }
        )
        split = SPLITS_IN_TEXT.get((r["region_code"], period)) if seg == "TOTAL" else None
        for s, n in (split or {}).items():
            out.append(
                {
                    "period": period,
                    "region_code": r["region_code"],
                    "segment": s,
                    "active_participants": n,
                    "published_on": r["period"],
                    "source_url": r["source_url"],
                    "quote": "",
                    "note": "segment split given in the same article as the total",
                }
            )
    return sorted(
        out,
        key=lambda x: (x["period"], x["region_code"], SEGMENTS.index(x["segment"]) if x["segment"] in SEGMENTS else 9),
    )


def published_denominators(rows: list[dict]) -> list[dict]:
    """Every UCJ denominator the data model can hold, as rows of the denominators template."""
    by_key = {(r["region_code"], r["period"]): r for r in rows if r["indicator"] == "ucj_denominator"}
    urls = {(r["region_code"], month_of(r["period"])): r["source_url"] for r in rows}
    out = []
    for (code, written), (year, method, syear, note) in STATED_DENOMINATORS.items():
        r = by_key[(code, written)]
        out.append(
            {
                "region_code": code,
                "year": year,
                "method": method,
                "denominator": int(float(r["value"])),
                "sakernas_year": syear,
                "derived": "no",
                "published_on": written,
                "source_url": r["source_url"],
                "quote": r["quote"],
                "note": note,
            }
        )
    for code, year, method, value, syear, derived, on, url, note in DENOMINATORS:
        out.append(
            {
                "region_code": code,
                "year": year,
                "method": method,
                "denominator": value,
                "sakernas_year": syear,
                "derived": "yes" if derived else "no",
                "published_on": on,
                "source_url": url or urls[(code, month_of(on))],
                "quote": "",
                "note": note,
            }
        )
    missing = set(by_key) - set(STATED_DENOMINATORS) - {("3524", "2021-08-31")}
    assert not missing, f"published denominators not classified: {missing}"
    return sorted(out, key=lambda x: (x["region_code"], x["year"]))


def coverage_anchors(rows: list[dict]) -> list[tuple[str, str, float]]:
    """(region, month, published %) of every kab/kota coverage figure the reports reproduce."""
    out = []
    for r in rows:
        if r["indicator"] != "ucj_coverage_pct" or "+" in r["region_code"] or len(r["region_code"]) != 4:
            continue
        if (r["region_code"], r["indicator"], r["period"]) in CONFLICTS | NOT_HELD:
            continue
        out.append((r["region_code"], month_of(r["period"]), float(r["value"])))
    return out


def _tables(bps: dict, denominators: list[dict]) -> SimpleNamespace:
    """The processed tables :func:`workers_for` needs, built in memory."""
    workers = pd.DataFrame(
        [
            {"region_code": c, "year": y, "workers": n, "status": "published", "source_id": "bps"}
            for (c, y), n in sorted(bps.items())
        ]
    )
    den = pd.DataFrame(denominators)
    den = den.assign(
        sakernas_year=pd.array([None if pd.isna(v) else int(v) for v in den["sakernas_year"]], dtype="Int64"),
        derived=den["derived"].eq("yes"),
        status="published",
        source_id="denominators",
        year=den["year"].astype("int64"),
        denominator=den["denominator"].astype("int64"),
    )
    den = DENOMINATOR_ROWS.validate(den.drop(columns="quote"))
    eligibility = pd.DataFrame({c: pd.Series(dtype=str(col.dtype)) for c, col in ELIGIBILITY.columns.items()})
    return SimpleNamespace(workers=workers, denominators=den, eligibility=eligibility)


def _interpolate(anchors: dict[str, float], periods: list[str], after_slope: bool) -> list[float]:
    """Linear through ``anchors`` (month -> value) over ``periods``; constant before the first;
    after the last: the slope of the last interval (``after_slope``) or constant."""
    idx = {p: i for i, p in enumerate(pd.period_range("2022-01", "2026-12", freq="M").strftime("%Y-%m"))}
    xs = np.array([idx[p] for p in sorted(anchors)], dtype=float)
    ys = np.array([anchors[p] for p in sorted(anchors)], dtype=float)
    out = []
    for p in periods:
        x = idx[p]
        if x > xs[-1] and after_slope and len(xs) > 1:
            out.append(ys[-1] + (ys[-1] - ys[-2]) / (xs[-1] - xs[-2]) * (x - xs[-1]))
        else:
            out.append(float(np.interp(x, xs, ys)))
    return out


def build_numbers(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    reg = load_registry()
    codes = list(reg.kabkota("35")["region_code"])
    assert sorted(codes) == sorted(LEVEL), "LEVEL must cover the 38 kab/kota"
    bps = read_bps()
    rows = read_published()
    participants_pub = published_participants(rows)
    denominators = published_denominators(rows)
    tables = _tables(bps, denominators)
    den = {}  # (code, year) -> UCJ denominator the reports use
    for year in sorted({int(p[:4]) for p in PERIODS}):
        wf = workers_for(tables, f"{year}-01")
        den.update({(c, year): int(d) for c, d in zip(wf["region_code"], wf["denominator"]) if pd.notna(d)})

    # --- anchors per kab/kota: month -> UCJ numerator (PU + BPU + JAKON) ---------------------
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for r in participants_pub:
        counts.setdefault((r["region_code"], r["period"]), {})[r["segment"]] = r["active_participants"]
    anchors: dict[str, dict[str, int]] = {c: {} for c in codes}
    for (code, period), segs in counts.items():
        if code in anchors and period in PERIODS:
            total = segs.get("TOTAL")
            if total is None and {"PU", "BPU", "JAKON"} <= set(segs):
                total = segs["PU"] + segs["BPU"] + segs["JAKON"]
            if total is not None:
                anchors[code][period] = total
    for code, period, pct in coverage_anchors(rows):
        if period in PERIODS and period not in anchors[code]:
            anchors[code][period] = round(pct / 100 * den[(code, int(period[:4]))])

    # --- province paths ---------------------------------------------------------------------
    total_path = [round(v) for v in _interpolate(PROVINCE_TOTAL_ANCHORS, PERIODS, after_slope=True)]
    bpu_share_dec23 = PROVINCE_BPU_ANCHORS["2023-12"] / PROVINCE_TOTAL_ANCHORS["2023-12"]
    bpu_path = []
    for i, p in enumerate(PERIODS):
        if p <= "2023-12":
            bpu_path.append(round(_interpolate(PROVINCE_BPU_ANCHORS, [p], after_slope=False)[0]))
        else:
            bpu_path.append(round(total_path[i] * bpu_share_dec23))

    # --- natural shares and anchored paths ----------------------------------------------------
    noise = {c: 1 + rng.normal(0, 0.01, len(PERIODS)) for c in codes}
    weight = {
        c: np.array([LEVEL[c] * den[(c, int(p[:4]))] * noise[c][i] for i, p in enumerate(PERIODS)]) for c in codes
    }
    wsum = np.sum([weight[c] for c in codes], axis=0)
    natural = {c: np.array(total_path) * weight[c] / wsum for c in codes}
    totals: dict[str, np.ndarray] = {}
    for c in codes:
        if not anchors[c]:
            continue
        factor = {p: anchors[c][p] / natural[c][PERIODS.index(p)] for p in anchors[c]}
        path = np.round(natural[c] * np.array(_interpolate(factor, PERIODS, after_slope=False))).astype(np.int64)
        for p, v in anchors[c].items():
            path[PERIODS.index(p)] = v
        totals[c] = path
    free = [c for c in codes if c not in totals]
    for i, _p in enumerate(PERIODS):
        rest = total_path[i] - sum(int(totals[c][i]) for c in totals)
        assert rest > 0, f"anchored regions exceed the province total in {PERIODS[i]}"
        alloc = largest_remainder(rest, np.array([weight[c][i] for c in free]))
        for c, v in zip(free, alloc):
            totals.setdefault(c, np.zeros(len(PERIODS), dtype=np.int64))[i] = v

    # --- segments ---------------------------------------------------------------------------
    madura = {"3526", "3527", "3528", "3529"}
    bpu_share = {
        c: (0.12 if LEVEL[c] >= 1.2 else 0.32 if c in madura else 0.26) * (1 + rng.normal(0, 0.08)) for c in codes
    }
    jakon_share = {c: 0.12 * (1 + rng.normal(0, 0.15)) for c in codes}
    pmi_share = {c: (0.06 if c in madura else 0.015) * (1 + rng.normal(0, 0.1)) for c in codes}
    for (c, _p), segs in sorted(counts.items()):  # a published split sets the region's shares
        if c in bpu_share and {"PU", "BPU", "JAKON"} <= set(segs):
            total = segs["PU"] + segs["BPU"] + segs["JAKON"]
            bpu_share[c] = segs["BPU"] / total
            jakon_share[c] = segs["JAKON"] / (total - segs["BPU"])
    participants: dict[str, dict[str, dict[str, int]]] = {p: {} for p in PERIODS}
    for i, p in enumerate(PERIODS):
        fixed_bpu = {c: counts[(c, p)]["BPU"] for c in codes if "BPU" in counts.get((c, p), {})}
        rest_codes = [c for c in codes if c not in fixed_bpu]
        bpu_rest = bpu_path[i] - sum(fixed_bpu.values())
        alloc = largest_remainder(bpu_rest, np.array([totals[c][i] * bpu_share[c] for c in rest_codes]))
        bpu = dict(fixed_bpu, **{c: int(v) for c, v in zip(rest_codes, alloc)})
        for c in codes:
            total = int(totals[c][i])
            pub = counts.get((c, p), {})
            if {"PU", "BPU", "JAKON"} <= set(pub):
                pu, b, jakon = pub["PU"], pub["BPU"], pub["JAKON"]
            else:
                b = min(bpu[c], total)
                jakon = round((total - b) * jakon_share[c])
                pu = total - b - jakon
            assert min(pu, b, jakon) >= 0 and pu + b + jakon == total, (c, p)
            participants[p][c] = {"PU": pu, "BPU": b, "JAKON": jakon, "PMI": round(total * pmi_share[c])}
    return {
        "codes": codes,
        "province": {y: bps[("35", y)] for y in range(2019, 2026)},
        "workers": {y: {c: bps[(c, y)] for c in codes} for y in range(2019, 2026)},
        "participants": participants,
        "participants_published": participants_pub,
        "denominators": denominators,
        "registry": reg,
        "anchors": anchors,
        "den": den,
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

                text = re.sub(
                    r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rf"\g<1>{FIXED_TIME.isoformat()}Z\g<2>",
                    text,
                )
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
    ws["A1"] = (
        "Penduduk Berumur 15 Tahun Ke Atas yang Bekerja Selama Seminggu yang Lalu Menurut "
        f"Kabupaten/Kota di Provinsi Jawa Timur (Jiwa), {years[0]}-{years[-1]}"
    )
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
    ws.cell(
        row,
        1,
        "Catatan: angka kabupaten/kota berjumlah tepat sama dengan angka provinsi setiap tahun; angka "
        "provinsi sama dengan rilis BPS Provinsi Jawa Timur.",
    )
    ws.cell(
        row + 1,
        1,
        "Sumber: BPS, Survei Angkatan Kerja Nasional (Sakernas) Agustus; disalin dari kompilasi dasbor "
        f"tenaga kerja Kemnaker ({BPS_COPY_URL})",
    )
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
            ws.cell(
                row + 2,
                1,
                "Sumber: ILUSTRATIF (jamsos, tools/generate_default_data.py), melewati tepat setiap angka "
                "peserta terbit dan dalam pembulatan setiap persen UCJ terbit; bukan data resmi BPJS "
                "Ketenagakerjaan.",
            )
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
    _write_csv(
        folder / "coverage_targets.csv",
        ["scope", "region_code", "year", "target_pct", "series", "document", "basis", "source_url", "note"],
        [
            [
                "national",
                "00",
                2021,
                29.44,
                "RKP",
                "RPJMN 2020-2024 / RKP 2021",
                "pu_of_employed",
                medcom,
                "PU coverage of total employed (Menaker, Sept 2021)",
            ],
            ["national", "00", 2024, 37.24, "RPJMN", "RPJMN 2020-2024", "bps_employed", medcom, "% of total employed"],
            [
                "national",
                "00",
                2025,
                32.15,
                "RPJMN",
                "RPJMN 2025-2029",
                "bps_employed",
                ayonusa,
                "as quoted by Kemendagri Dirjen Bina Bangda (May 2025); basis: national indicator of all employed (inferred)",
            ],
            [
                "national",
                "00",
                2029,
                43.92,
                "RPJMN",
                "RPJMN 2025-2029",
                "bps_employed",
                ayonusa,
                "basis inferred as for 2025",
            ],
            [
                "national",
                "00",
                2026,
                34.99,
                "RKP",
                "RKP 2026",
                "bps_employed",
                ayonusa,
                "basis inferred as for RPJMN 2025",
            ],
            [
                "national",
                "00",
                2045,
                99.5,
                "RPJPN",
                "RPJPN 2025-2045 (UU 59/2024)",
                "bps_employed",
                "https://ternate.tribunnews.com/2025/08/09/ucj-ketenagakerjaan-maluku-utara-capai-61-persen-2-kabupaten-belum-penuhi-target",
                "long-horizon target; basis inferred",
            ],
            [
                "national",
                "00",
                2025,
                52.15,
                "KEMENDAGRI_UCJ",
                "Kemendagri UCJ target",
                "ucj",
                ayonusa,
                "differs from RPJMN 32,15%: two target series coexist",
            ],
            [
                "province",
                "35",
                2024,
                35.0,
                "PROVINCE",
                "Pemprov Jatim",
                "ucj",
                "https://pustakajc.co/index.php/parlemen/view/368/pemprov-jatim-raih-paritrana-award-2024?halaman=4",
                "tumbuh 6% dari tahun 2023",
            ],
            [
                "province",
                "35",
                2025,
                40.0,
                "PROVINCE",
                "Pemprov Jatim",
                "ucj",
                "https://pustakajc.co/parlemen/view/368/pemprov-jatim-raih-paritrana-award-2024?halaman=5",
                "DBHCHT for 1 juta petani tembakau & pekerja rentan",
            ],
            [
                "region",
                "3503",
                2045,
                83.29,
                "RPJPD",
                "RPJPD Kabupaten Trenggalek 2025-2045",
                "ucj",
                TRENGGALEK_URL,
                "long-horizon target (IUP); baseline 2025: 26,30%",
            ],
            [
                "region",
                "3508",
                2026,
                20.0,
                "BRANCH",
                "BPJS TK Cabang Lumajang",
                "ucj",
                "https://www.onenewsjatim.com/2026/03/465-ribu-pekerja-lumajang-belum.html",
                "branch target, March 2026; 89.266 of 555.154 = 16,08%",
            ],
            [
                "region",
                "3510",
                2024,
                50.0,
                "BRANCH",
                "BPJS TK Banyuwangi",
                "ucj",
                "https://jatimtimes.com/baca/317422/20240730/112600/privacy",
                "menargetkan peningkatan kepesertaan ... menjadi 50 persen pada akhir tahun 2024",
            ],
            [
                "region",
                "3513",
                2025,
                33.0,
                "PEMDA",
                "target disebut Pemkab Probolinggo (monev, Juni 2025)",
                "ucj",
                "https://www.lensa-update.com/2025/06/pemkab-probolinggo-komitmen-tingkatkan.html",
                "baru mencapai sekitar 21% dari target nasional yang ditetapkan sebesar 33% (the seeds' source; no national series is 33%)",
            ],
            [
                "region",
                "3513",
                2045,
                90.0,
                "RPJPD",
                "RPJPD Kabupaten Probolinggo 2025-2045",
                "ucj",
                "https://investigasi88.com/optimalkan-jaminan-sosial-disnaker-dan-bpjs-probolinggo-gelar-sosialisasi",
                "target RPJPD mencapai 90 persen; end year not stated, RPJPD horizon 2045",
            ],
            [
                "region",
                "3514",
                2025,
                37.24,
                "BRANCH",
                "BPJS TK Pasuruan - Pemkab Pasuruan",
                "ucj",
                "https://www.kabarpas.com/bpjs-ketenagakerjaan-pasuruan-bersama-pemkab-pasuruan-komit-tingkatkan-ucj/",
                "322.251 (37,24 persen) pekerja dari total 865.336 (BPS Aug 2023)",
            ],
            [
                "region",
                "3516",
                2023,
                60.0,
                "PEMDA",
                "target Pemkab Mojokerto 2023",
                "ucj",
                "https://jatim.viva.co.id/kabar/3770-cara-bupati-mojokerto-capai-target-60-persen-bpjs-ketenagakerjaan-2023?page=all",
                "target pencapaian Universal Coverage sebesar 60 persen dari jumlah penduduk bekerja",
            ],
            [
                "region",
                "3516",
                2024,
                50.0,
                "PEMDA",
                "target Pemkab Mojokerto 2024",
                "excluding_asn_tni_polri",
                mojokerto_2024,
                "50 persen dari total 486 ribu pekerja (eligible subset of BPS Aug 2023 617.533)",
            ],
            [
                "region",
                "3523",
                2025,
                34.36,
                "BRANCH",
                "BPJS TK Tuban",
                "ucj",
                "https://suaradata.com/kesehatan-dan-olahraga/bpjs-ketenagakerjaan-tuban-targetkan-3436-persen-kepesertaan-jaminan-sosial-pada-2025/",
                "menargetkan 34,36 persen ... pada tahun 2025",
            ],
            [
                "region",
                "3524",
                2025,
                34.36,
                "RPJPD",
                "RPJPD Kabupaten Lamongan 2025-2045 (baseline 2025)",
                "ucj",
                klik_lamongan,
                "baseline tahun 2025 ditargetkan mencapai 34,36%",
            ],
            [
                "region",
                "3524",
                2045,
                95.37,
                "RPJPD",
                "RPJPD Kabupaten Lamongan 2025-2045",
                "ucj",
                klik_lamongan,
                "IUP per Surat Edaran Sekda Prov. Jatim; long-horizon target",
            ],
            [
                "region",
                "3525",
                2025,
                52.69,
                "BRANCH",
                "BPJS TK Gresik",
                "ucj",
                "https://klikjatim.com/news-43677-perlindungan-jaminan-sosial-pekerja-di-gresik-masih-rendah-bpjs-ketenagakerjaan-dorong-percepatan-ucj",
                "masih jauh di bawah target 52,69% (on 715.619 = BPS Aug 2024)",
            ],
            [
                "region",
                "3571",
                2025,
                59.27,
                "PEMDA",
                "target UCJ Kota Kediri 2025",
                "ucj",
                "https://javasatu.com/berita/mbak-wali-dorong-perlindungan-sosial-pekerja-rentan-melalui-fgd-jamsostek-kediri",
                "Target UCJ sebesar 59,27% di 2025",
            ],
            [
                "region",
                "3573",
                2025,
                41.23,
                "RPJMD",
                "RPJMD Kota Malang (target UCJ 2025)",
                "ucj",
                "https://seru.co.id/202009-bpjs-ketenagakerjaan-kanwil-jatim-berikan-penghargaan-pemkot-malang-masuk-lima-terbaik-ucj/amp",
                "41,23 persen atau 176.753 peserta; malangpagi.com: target RPJMD 41 persen",
            ],
            [
                "region",
                "3578",
                2025,
                58.0,
                "BRANCH",
                "Kanwil BPJS TK Jatim - Pemkot Surabaya",
                "ucj",
                "https://jatim.antaranews.com/amp/berita/999941/pemkot-surabaya-bpjs-ketenagakerjaan-gerakkan-agen-perisai-di-tiap-rw",
                "belum mencapai target keseluruhan yakni 58 persen",
            ],
        ],
    )
    _write_csv(
        folder / "contribution_rates.csv",
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
        [
            [
                "BPU",
                "JKK",
                "percent",
                1.0,
                10000,
                207000,
                "penghasilan yang dilaporkan",
                "PP 44/2015 (diubah PP 82/2019)",
                "2015-07-01",
                "",
                "https://radarmukomuko.disway.id/read/666514/berapa-besaran-iuran-bpjs-ketenagakerjaan-begini-perhitungannya-dan-besarannya",
                "bracket table from Rp 10.000 to Rp 207.000",
            ],
            [
                "BPU",
                "JKM",
                "amount",
                6800,
                "",
                "",
                "per orang per bulan",
                "PP 44/2015",
                "2015-07-01",
                "",
                "https://star.grid.id/amp/453740395/terlengkap-cek-iuran-bpjs-ketenagakerjaan-bukan-penerima-upah-alias-mandiri-beda-pendapatan-beda-besarnya",
                "",
            ],
            [
                "BPU",
                "JHT",
                "percent",
                2.0,
                "",
                "",
                "penghasilan yang dilaporkan",
                "PP 46/2015; Permenaker 1/2016",
                "2015-07-01",
                "",
                "https://suara.com/bisnis/2023/07/06/142746/kuli-petani-hingga-nelayan-jadi-peserta-bpjs-ketenagakerjaan-iurannya-rp-36800-per-bulan",
                "optional for BPU; Rp 20.000 at Rp 1 juta",
            ],
            [
                "PU",
                "JKK",
                "percent",
                0.24,
                "",
                "",
                "upah sebulan, risiko sangat rendah (0,24-1,74% by risk class)",
                "PP 44/2015",
                "2015-07-01",
                "",
                "https://makassar.tribunnews.com/2020/09/08/resmi-presiden-jokowi-turunkan-iuran-bpjs-ketenagakerjaan-kapan-mulai-berlaku?page=3",
                "",
            ],
            [
                "PU",
                "JKM",
                "percent",
                0.30,
                "",
                "",
                "upah sebulan",
                "PP 44/2015",
                "2015-07-01",
                "",
                "https://fame.grid.id/amp/464096648/sadar-tidak-7-potongan-ini-ada-pada-gaji-buruh-jadi-8-karena-tapera?page=4",
                "",
            ],
            [
                "PU",
                "JHT",
                "percent",
                5.7,
                "",
                "",
                "upah sebulan (3,7% pemberi kerja + 2% pekerja)",
                "PP 46/2015",
                "2015-07-01",
                "",
                "https://jatim.suaraindonesia.co.id/news/advertorial/662fb085ccb43/Batasan-Upah-JP-Naik-Manfaat-Bagi-Peserta-BPJamsostek-Ikut-Meningkat",
                "",
            ],
            [
                "PU",
                "JP",
                "percent",
                3.0,
                "",
                10042300 * 0.03,
                "upah sebulan, dibatasi batas upah JP (Rp 10.042.300 sejak 1 Maret 2024)",
                "PP 45/2015 Pasal 28-29",
                "2024-03-01",
                "",
                "https://jatim.suaraindonesia.co.id/news/advertorial/662fb085ccb43/Batasan-Upah-JP-Naik-Manfaat-Bagi-Peserta-BPJamsostek-Ikut-Meningkat",
                "2% pemberi kerja + 1% pekerja",
            ],
            [
                "PU",
                "JKP",
                "percent",
                0.46,
                "",
                "",
                "upah sebulan",
                "PP 37/2021",
                "2021-02-02",
                "2025-02-06",
                "https://fame.grid.id/amp/464096648/sadar-tidak-7-potongan-ini-ada-pada-gaji-buruh-jadi-8-karena-tapera?page=4",
                "0,22% pemerintah + rekomposisi JKK/JKM",
            ],
            [
                "PU",
                "JKP",
                "percent",
                0.36,
                "",
                "",
                "upah sebulan",
                "PP 6/2025",
                "2025-02-07",
                "",
                "https://tirto.id/prabowo-jamin-korban-phk-kini-dapat-60-gaji-selama-6-bulan-g8lL",
                "",
            ],
        ],
    )
    _write_csv(
        folder / "bantuan_iuran_programs.csv",
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
        [
            [
                "3503",
                "Kabupaten Trenggalek",
                2023,
                365600000,
                5600,
                3,
                "APBD",
                "JKK+JKM (petani tembakau & pekerja rentan)",
                "https://bangsaonline.com/berita/139723/dinas-perinaker-sosialisasi-jaminan-sosial-ketenagakerjaan-bagi-petani-tembakau-dan-pekerja-rentan",
                'source: "365 juta lebih"; Rp 365.600.000 as reported by kabarpas.com',
            ],
            [
                "3503",
                "Kabupaten Trenggalek",
                2024,
                1200000000,
                "",
                10,
                "APBD",
                "JKK+JKM",
                "https://afederasi.com/pemkab-trenggalek-perkuat-program-jaminan-sosial-bagi-petani-tembakau-dan-pekerja-rentan",
                "participant count not stated",
            ],
            [
                "3503",
                "Kabupaten Trenggalek",
                2025,
                2092600000,
                10000,
                12,
                "APBD (rencana)",
                "JKK+JKM (petani tembakau & pekerja rentan)",
                "https://afederasi.com/pemkab-trenggalek-perkuat-program-jaminan-sosial-bagi-petani-tembakau-dan-pekerja-rentan",
                'Rp 2.092.600.000 ("Rp 2,09 miliar") for 10.000 recipients, 2025 plan',
            ],
            [
                "3574",
                "Kota Probolinggo",
                2025,
                "",
                11023,
                "",
                "DBHCHT TA 2025",
                "JKK+JKM",
                "https://realita.co/baca-40214-11023-pekerja-rentan-di-kota-probolinggo-terlindungi-bpjs-ketenagakerjaan",
                "budget not stated",
            ],
            [
                "3513",
                "Kabupaten Probolinggo",
                2025,
                "",
                25215,
                "",
                "DBHCHT",
                "JKK+JKM",
                "https://patrolihukum.net/gus-haris-serahkan-kartu-bpjs-ketenagakerjaan-untuk-ribuan-buruh-tani-tembakau-di-probolinggo",
                "budget not stated",
            ],
            [
                "3524",
                "Kabupaten Lamongan",
                2023,
                "",
                21000,
                "",
                "DBHCHT",
                "JKK+JKM (petani)",
                "https://www.kabarbisnis.com/read/28118550/lindungi-pekerja-rentan-bpjamsostek-dorong-alokasi-dana-dbhct",
                "budget not stated",
            ],
            # published_kabkota_bpjs_figures.csv (dbhcht_pekerja_rentan_dilindungi, bantuan_iuran_budget_rp)
            [
                "3502",
                "Kabupaten Ponorogo",
                2024,
                "",
                7618,
                "",
                "DBHCHT",
                "JKK+JKM",
                "https://jatimpos.co/jatim/mataraman/17905-disnaker-ponorogo-salurkan-program-jamsos-dbhcht-bagi-29-250-pekerja-rentan",
                "Jika tahun 2024 hanya 7.618 orang yang terlindungi",
            ],
            [
                "3502",
                "Kabupaten Ponorogo",
                2025,
                "",
                29025,
                10,
                "DBHCHT",
                "JKK+JKM",
                "https://www.seputarponorogo.com/2025/09/dbhcht-ponorogo-sumbangkan-total-29025.html",
                "Maret-Desember 2025; anggaran 'sekitar Rp 5,5 miliar' (not exact, not used); other outlets say 29.250",
            ],
            [
                "3504",
                "Kabupaten Tulungagung",
                2023,
                "",
                27500,
                "",
                "DBHCHT",
                "JKK+JKM",
                "https://kabar.tulungagung.go.id/launching-kepesertaan-jaminan-sosial-ketenagakerjaan-bagi-27-500-pekerja-rentan/",
                "launched 12 Sep 2023",
            ],
            [
                "3505",
                "Kabupaten Blitar",
                2025,
                "",
                8125,
                10,
                "DBHCHT",
                "JKK+JKM",
                "https://indonesia.jatimtimes.com/baca/335215/20250414/051100/bpjs-ketenagakerjaan-dan-pemkab-blitar-teken-perjanjian-kerja-sama-lindungi-8-125-pekerja-rentan",
                "selama 10 bulan, Maret hingga Desember 2025",
            ],
            [
                "3509",
                "Kabupaten Jember",
                2025,
                "",
                82093,
                "",
                "APBD/DBHCHT",
                "JKK+JKM",
                "https://www.detik.com/jatim/berita/d-8274125/lindungi-pekerja-rentan-pemkab-jember-luncurkan-program-lingkaran-cinta",
                "Total ada 82.093 orang yang iurannya dibayarkan oleh Pemkab Jember",
            ],
            [
                "3512",
                "Kabupaten Situbondo",
                2025,
                "",
                4110,
                "",
                "DBHCHT",
                "JKK+JKM (nelayan)",
                "https://suaragong.com/amp/pemkab-upayakan-nelayan-tercover-bpjs-ketenagakerjaan-2026",
                "'alokasi sekitar Rp69 juta': implausibly low for a year, not used as a budget",
            ],
            [
                "3514",
                "Kabupaten Pasuruan",
                2025,
                2800000000,
                28448,
                "",
                "DBHCHT",
                "JKK+JKM",
                "https://jatim.tribunnews.com/pasuruan/518112/28-ribu-pekerja-rentan-di-pasuruan-dilindungi-dengan-jaminan-sosial-ketenagakerjaan",
                "terlindungi hingga Desember 2025; months not stated",
            ],
            [
                "3515",
                "Kabupaten Sidoarjo",
                2025,
                "",
                13395,
                12,
                "DBHCHT",
                "JKK+JKM",
                "https://tagarjatim.id/9353/ribuan-pekerja-rentan-di-sidoarjo-mendapatkan-bpjs-ketenagakerjaan",
                "Januari-Desember 2025",
            ],
            [
                "3516",
                "Kabupaten Mojokerto",
                2023,
                "",
                27272,
                "",
                "DBHCHT",
                "JKK+JKM (petani tembakau & pekerja rentan)",
                "https://jatim.viva.co.id/kabar/11097-puluhan-ribu-pekerja-terlindungi-bpjs-pemkab-mojokerto-diganjar-penghargaan",
                "",
            ],
            [
                "3516",
                "Kabupaten Mojokerto",
                2025,
                "",
                15358,
                "",
                "APBD",
                "JKK+JKM (pekerja ekosistem desa)",
                "https://tarunakota.com/pemkab-mojokerto-lindungi-15-358-pekerja-desa-lewat-program-bpjs-ketenagakerjaan",
                "BPD, RT, RW, LPM, Karang Taruna",
            ],
            [
                "3523",
                "Kabupaten Tuban",
                2024,
                "",
                20000,
                "",
                "APBD/DBHCHT",
                "JKK+JKM",
                "https://bloktuban.com/2024/04/28/pemkab-tuban-tambah-7221-peserta-program-perlindungan-pekerja-rentan",
                "'telah mendaftarkan 20 ribu peserta' (about), 7.221 of them added in 2024",
            ],
            [
                "3526",
                "Kabupaten Bangkalan",
                2025,
                "",
                23953,
                10,
                "DBHCHT",
                "JKK+JKM",
                "https://ketik.co.id/berita/pemkab-bangkalan-tanggung-kepesertaan-bpjs-ketenagakerjaan-23953-pekerja-rentan",
                "Maret-Desember 2025",
            ],
            [
                "3573",
                "Kota Malang",
                2025,
                5300000000,
                25000,
                "",
                "DBHCHT",
                "JKK+JKM Rp 16.800",
                "https://malangpagi.com/lindungi-pekerja-rentan-pemkot-malang-tambah-25-ribu-peserta-bpjs-ketenagakerjaan",
                "Rp 5,3 miliar untuk 25 ribu kelompok rentan dan 3 ribu ojol; months not stated",
            ],
            [
                "3575",
                "Kota Pasuruan",
                2025,
                "",
                9038,
                "",
                "DBHCHT",
                "JKK+JKM",
                "https://m.radarbangsa.com/news/53304/pemkot-pasuruan-luncurkan-program-jaminan-sosial-untuk-pekerja-rentan",
                "per April 2025",
            ],
            [
                "3576",
                "Kota Mojokerto",
                2025,
                "",
                12149,
                "",
                "DBHCHT",
                "JKK+JKM",
                "https://surabayapagi.com/news-265150-12149-pekerja-rentan-dilindungi-jaminan-ketenagakerjaan-oleh-pemkot-mojokerto",
                "peserta aktif per Desember 2025; 2026 plan 12.152",
            ],
            [
                "3577",
                "Kota Madiun",
                2025,
                3000000000,
                17484,
                "",
                "APBD",
                "Pro JKK-JKM",
                "https://sinergiamediatama.com/?p=14090",
                "iuran Rp 3 miliar; months not stated",
            ],
            [
                "3579",
                "Kota Batu",
                2025,
                "",
                15500,
                "",
                "DBHCHT",
                "JKK+JKM",
                "https://malangposcomedia.id/15-500-pekerja-informal-tercover-bpjs-naker",
                "8.200 from January, 7.300 from PAK",
            ],
            [
                "35",
                "Provinsi Jawa Timur (semua kabupaten/kota)",
                2025,
                "",
                580449,
                "",
                "DBHCHT",
                "JKK+JKM",
                "https://regamedianews.com/2025/12/15/jatim-lindungi-580-ribu-pekerja-rentan-melalui-jamsostek-dengan-dbhcht",
                "total of every kab/kota's DBHCHT programme (Kanwil BPJS TK Jatim, Dec 2025)",
            ],
            [
                "6409",
                "Kabupaten Penajam Paser Utara (Kalimantan Timur, pembanding)",
                2025,
                3000000000,
                15000,
                12,
                "APBD",
                "JKK+JKM Rp 16.800",
                "https://kaltimkita.com/detailpost/pemkab-ppu-alokasikan-anggaran-iuran-bpjs-ketenagakerjaan-pekerja-rentan-di-apbd-2025-sebesar-rp3-miliar",
                "15.000 x Rp 16.800 x 12 = Rp 3.024.000.000 ~ Rp 3 miliar",
            ],
        ],
    )


LONG_COLUMNS = [
    "period",
    "region_code",
    "segment",
    "active_participants",
    "published_on",
    "source_url",
    "quote",
    "note",
]
DENOMINATOR_COLUMNS = [
    "region_code",
    "year",
    "method",
    "denominator",
    "sakernas_year",
    "derived",
    "published_on",
    "source_url",
    "quote",
    "note",
]


def write_published_long(nums: dict, folder: Path) -> Path:
    path = folder / "peserta_aktif_published.csv"
    _write_csv(path, LONG_COLUMNS, [[r[c] for c in LONG_COLUMNS] for r in nums["participants_published"]])
    return path


def write_denominators(nums: dict, folder: Path) -> Path:
    path = folder / "ucj_denominators.csv"
    _write_csv(
        path,
        DENOMINATOR_COLUMNS,
        [["" if r[c] is None else r[c] for c in DENOMINATOR_COLUMNS] for r in nums["denominators"]],
    )
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

    bps = out / "bps" / "penduduk_bekerja_kabkota_2019_2025.xlsx"
    write_bps(nums, bps)
    sidecar(
        bps,
        {
            "kind": "bps_workers",
            "title": (
                "Penduduk Berumur 15 Tahun Ke Atas yang Bekerja menurut Kabupaten/Kota, Jawa Timur (Sakernas "
                "Agustus), disalin dari kompilasi dasbor tenaga kerja Kemnaker"
            ),
            "publisher": "BPS Provinsi Jawa Timur",
            "url": BPS_COPY_URL,
            "period": "2019-2025",
            "status": "published",
            "license": "statistik publik BPS",
            "note": (
                "angka kabupaten/kota berjumlah tepat sama dengan provinsi; provinsi = rilis BPS Jatim (21,04 / 21,61 / "
                "22,70 / 23,36 juta untuk 2021-2024); dicek terhadap kutipan BPS lain untuk 8 kab/kota"
            ),
        },
    )
    for path in write_bpjs(nums, out / "bpjs"):
        year = path.stem[-4:]
        months = [p for p in PERIODS if p[:4] == year]
        sidecar(
            path,
            {
                "kind": "bpjs_branch",
                "title": f"Rekapitulasi peserta aktif BPJS Ketenagakerjaan per kabupaten/kota, Jawa Timur, {year}",
                "publisher": "jamsos (ilustratif, dalam format rekap Kanwil BPJS Ketenagakerjaan)",
                "url": "illustrative",
                "period": f"{months[0]}..{months[-1]}",
                "status": "illustrative",
                "generated_by": gen,
                "license": "CC0",
                "note": (
                    "hanya di mana tidak ada angka terbit; deret melewati tepat setiap jumlah peserta terbit dan dalam "
                    "pembulatan setiap persen UCJ terbit (metode: tools/generate_default_data.py); angka terbit di "
                    "peserta_aktif_published.csv menggantikan baris ilustratif yang sama; pengelompokan cabang ilustratif"
                ),
            },
        )
    longf = write_published_long(nums, out / "bpjs")
    sidecar(
        longf,
        {
            "kind": "bpjs_long",
            "title": "Peserta aktif BPJS Ketenagakerjaan yang terbit, per kabupaten/kota dan provinsi (per segmen atau total)",
            "publisher": "BPJS Ketenagakerjaan, Pemda dan Pemprov Jatim, lewat rilis dan berita (alamat per baris)",
            "url": "lihat kolom source_url",
            "period": "2020-01..2025-12",
            "status": "published",
            "license": "fakta publik; kompilasi CC0",
            "note": "segment TOTAL = jumlah terbit tanpa rincian segmen; kolom quote berisi kutipan sumber",
        },
    )
    den = write_denominators(nums, out / "reference")
    sidecar(
        den,
        {
            "kind": "denominators",
            "title": "Penyebut UCJ yang terbit (pekerja di luar ASN/TNI/Polri s.d. 2024; penduduk bekerja ber-KTP sejak 2025)",
            "publisher": "BPJS Ketenagakerjaan, Pemda dan Pemprov Jatim, lewat rilis dan berita (alamat per baris)",
            "url": "lihat kolom source_url",
            "period": "2020-2025",
            "status": "published",
            "license": "fakta publik; kompilasi CC0",
            "note": "derived: yes = dihitung dari dua angka terbit (jumlah peserta ÷ persen, atau terlindungi + belum)",
        },
    )
    write_reference(nums, out / "reference")
    ref_meta = {
        "coverage_targets.csv": (
            "targets",
            "Target cakupan (RPJMN, RKP, RPJPN, Kemendagri UCJ, Pemprov Jatim, kabupaten)",
            "published",
            "2021-2045",
        ),
        "contribution_rates.csv": ("rates", "Iuran BPJS Ketenagakerjaan (PU, BPU)", "published", "2015-"),
        "bantuan_iuran_programs.csv": (
            "programmes",
            "Program bantuan iuran Pemda (anggaran, orang, bulan)",
            "published",
            "2023-2025",
        ),
    }
    for name, (kind, title, status, period) in ref_meta.items():
        meta = {
            "kind": kind,
            "title": title,
            "publisher": "dihimpun jamsos dari sumber di kolom source_url",
            "url": "lihat kolom source_url",
            "period": period,
            "status": status,
            "license": "fakta publik; kompilasi CC0",
            "note": "dari rujukan domain jamsos (sumber per baris di kolom source_url)",
        }
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
