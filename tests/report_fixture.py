"""A small processed data set for the report tests (all 38 kab/kota of Jawa Timur).

Built straight into the processed layout (:mod:`jamsos_lib.store`: one Parquet per table,
validated with the project's schemas, plus ``manifest.json``), so report tests do not
depend on the shipped raw data or on ``jamsos clean``. Figures are simple and
deterministic; texts that come from data include HTML (``<script>``) so tests can check
that pages escape them. Participants are illustrative for every region except Kab.
Trenggalek (3503), whose rows are published: a page must still show the banner because
the ranking shows the other regions.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from jamsos_lib import atomic
from jamsos_lib.regions import load_registry
from jamsos_lib.clean import empty_table
from jamsos_lib.validate.schemas import TABLES

SCRIPT_TEXT = '<script>alert("x")</script>'
PERIODS = [str(p) for p in pd.period_range("2023-06", "2025-06", freq="M")]
SEGMENT_BASE = {"PU": 30_000, "BPU": 8_000, "JAKON": 2_000, "PMI": 500}


def participants_for(index: int, month: int, segment: str) -> int:
    """Participants of the ``index``-th kab/kota (code order) in month ``month`` (0-based)."""
    return SEGMENT_BASE[segment] + 700 * index + (40 if segment == "PU" else 15) * month


def workers_for(index: int, year: int) -> int:
    return 200_000 + 9_000 * index + (3_000 if year >= 2024 else 0)


ELIGIBLE_SHARE = 0.65


def build(folder: Path, *, all_published: bool = False) -> Path:
    """Write the data set into ``folder``. ``all_published``: every row marked published (a
    region whose figures are all published: its pages must carry no illustrative banner)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    codes = load_registry().kabkota_codes("35")
    rows = []
    for i, code in enumerate(codes):
        for m, period in enumerate(PERIODS):
            for seg in SEGMENT_BASE:
                rows.append(
                    {
                        "period": period,
                        "region_code": code,
                        "segment": seg,
                        "participants": participants_for(i, m, seg),
                        "status": "published" if code == "3503" else "illustrative",
                        "source_id": "bpjs_fixture",
                    }
                )
    participants = pd.DataFrame(rows)
    workers = pd.DataFrame(
        [
            {
                "region_code": code,
                "year": year,
                "workers": workers_for(i, year),
                "status": "illustrative",
                "source_id": "bps_fixture",
            }
            for i, code in enumerate(codes)
            for year in (2023, 2024)
        ]
    )
    province = (
        workers.groupby("year", as_index=False)["workers"]
        .sum()
        .assign(region_code="35", status="published", source_id="bps_fixture")
    )
    workers = pd.concat([workers, province[workers.columns]], ignore_index=True)
    eligibility = pd.DataFrame(
        [
            {
                "region_code": "35",
                "year": 2023,
                "eligible_share": ELIGIBLE_SHARE,
                "eligible_workers": pd.NA,
                "basis": "fixture share",
                "status": "illustrative",
                "source_id": "ref_fixture",
            }
        ]
    )
    eligibility["eligible_workers"] = eligibility["eligible_workers"].astype("Int64")
    targets = pd.DataFrame(
        [
            {
                "scope": "national",
                "region_code": "00",
                "year": 2025,
                "target_pct": 32.15,
                "series": "RPJMN",
                "document": "RPJMN 2025-2029",
                "source_url": "https://example.invalid/rpjmn",
                "status": "published",
                "source_id": "ref_fixture",
            },
            {
                "scope": "national",
                "region_code": "00",
                "year": 2025,
                "target_pct": 52.15,
                "series": "KEMENDAGRI_UCJ",
                "document": "Kemendagri UCJ",
                "source_url": "",
                "status": "published",
                "source_id": "ref_fixture",
            },
            {
                "scope": "province",
                "region_code": "35",
                "year": 2025,
                "target_pct": 40.0,
                "series": "PROVINCE",
                "document": "Pemprov Jatim",
                "source_url": "",
                "status": "published",
                "source_id": "ref_fixture",
            },
            {
                "scope": "region",
                "region_code": "3503",
                "year": 2025,
                "target_pct": 30.0,
                "series": "RPJPD",
                "document": "RPJPD Trenggalek " + SCRIPT_TEXT,
                "source_url": "",
                "status": "published",
                "source_id": "ref_fixture",
            },
        ]
    ).assign(basis=["bps_employed", "excluding_asn_tni_polri", "excluding_asn_tni_polri", "excluding_asn_tni_polri"])
    rates = pd.DataFrame(
        [
            {
                "segment": "BPU",
                "program": "JKK",
                "kind": "amount",
                "value": 10_000.0,
                "min_rp": None,
                "max_rp": None,
                "basis": "per month",
                "legal_basis": "PP 44/2015",
                "valid_from": pd.NaT,
                "valid_to": pd.NaT,
                "source_url": "",
                "status": "published",
                "source_id": "ref_fixture",
            },
            {
                "segment": "BPU",
                "program": "JKM",
                "kind": "amount",
                "value": 6_800.0,
                "min_rp": None,
                "max_rp": None,
                "basis": "per month",
                "legal_basis": "PP 44/2015",
                "valid_from": pd.NaT,
                "valid_to": pd.NaT,
                "source_url": "",
                "status": "published",
                "source_id": "ref_fixture",
            },
        ]
    )
    for col in ("min_rp", "max_rp"):
        rates[col] = rates[col].astype(float)
    for col in ("valid_from", "valid_to"):
        rates[col] = pd.to_datetime(rates[col]).astype("datetime64[ns]")
    programmes = pd.DataFrame(
        [
            {
                "region_code": "3503",
                "region_name": "Kabupaten Trenggalek",
                "year": 2025,
                "budget_rp": 2_092_600_000.0,
                "persons": 10_000,
                "months": 12,
                "funding_source": "APBD",
                "programs": "JKK+JKM",
                "source_url": "",
                "status": "published",
                "source_id": "ref_fixture",
            },
        ]
    )
    programmes["persons"] = programmes["persons"].astype("Int64")
    programmes["months"] = programmes["months"].astype("Int64")
    sources = pd.DataFrame(
        [
            {
                "source_id": "bpjs_fixture",
                "path": "bpjs/fixture.xlsx",
                "kind": "bpjs_branch",
                "title": "Peserta aktif (fixture) " + SCRIPT_TEXT,
                "publisher": "BPJS Ketenagakerjaan",
                "url": "https://example.invalid/bpjs",
                "date_accessed": "2025-07-01",
                "period": "2023-06..2025-06",
                "status": "illustrative",
                "sha256": "a" * 64,
                "note": "",
            },
            {
                "source_id": "bps_fixture",
                "path": "bps/fixture.xlsx",
                "kind": "bps_workers",
                "title": "Penduduk bekerja (fixture)",
                "publisher": "BPS",
                "url": "",
                "date_accessed": "2025-07-01",
                "period": "2023..2024",
                "status": "mixed",
                "sha256": "b" * 64,
                "note": "province totals published",
            },
            {
                "source_id": "ref_fixture",
                "path": "reference/fixture.csv",
                "kind": "targets",
                "title": "Target cakupan",
                "publisher": "Bappenas",
                "url": "",
                "date_accessed": "2025-07-01",
                "period": "2025",
                "status": "published",
                "sha256": "c" * 64,
                "note": "",
            },
        ]
    )
    quality = pd.DataFrame(
        [
            {
                "source_id": "bpjs_fixture",
                "file": "fixture.xlsx",
                "region_code": "3513",
                "period": "2025-06",
                "severity": "warning",
                "message": "BPU turun 30% dari bulan lalu " + SCRIPT_TEXT,
            },
            {
                "source_id": "bpjs_fixture",
                "file": "fixture.xlsx",
                "region_code": "3574",
                "period": "2025-06",
                "severity": "warning",
                "message": "PMI kosong",
            },
            {
                "source_id": "bps_fixture",
                "file": "fixture.xlsx",
                "region_code": None,
                "period": None,
                "severity": "warning",
                "message": "2016 tidak ada angka kab/kota",
            },
        ]
    )
    denominators = empty_table("denominators")
    tables = {
        "workers": workers,
        "participants": participants,
        "eligibility": eligibility,
        "denominators": denominators,
        "targets": targets,
        "rates": rates,
        "programmes": programmes,
        "sources": sources,
        "quality": quality,
    }
    for name, frame in tables.items():
        if all_published and "status" in frame:
            frame = frame.assign(status="published")
        frame = TABLES[name].validate(frame)
        atomic.write_parquet(folder / f"{name}.parquet", frame)
    atomic.write_json(
        folder / "manifest.json",
        {
            "created": "2025-07-01T00:00:00+07:00",
            "git_commit": "fixture",
            "inputs": [{"path": "fixture", "sha256": "a" * 64}],
        },
    )
    return folder


# --------------------------------------------------------------------------- rendered pages
PERIOD = PERIODS[-1]
REGIONS = ("3513", "3574")


@dataclass(frozen=True)
class Rendered:
    data_dir: Path
    folder: Path  # reports/<period>/
    cli: subprocess.CompletedProcess

    def page(self, name: str) -> str:
        return (self.folder / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def rendered() -> Rendered:
    """Build the fixture data once per test session and render two region pages, the
    province page and the index through the real CLI (``jamsos report``)."""
    root = Path(tempfile.mkdtemp(prefix="jamsos-pages-"))
    return render(build(root / "processed"), root / "reports", REGIONS, province="35")


def render(data_dir: Path, out: Path, regions, province: str | None = None) -> Rendered:
    """``jamsos report`` for ``regions`` (and ``province``'s overview) of ``data_dir`` into ``out``."""
    cmd = [
        sys.executable,
        "-m",
        "jamsos_lib",
        "report",
        "--period",
        PERIOD,
        "--out",
        str(out),
        "--data",
        str(data_dir),
        "--workers",
        "1",
    ] + (["--province", province] if province else [])
    for code in regions:
        cmd += ["--region", code]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    return Rendered(data_dir, out / PERIOD, proc)
