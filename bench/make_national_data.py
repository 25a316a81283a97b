"""A deterministic synthetic NATIONAL data set: 514 kab/kota in 38 provinces, 24 months.

Writes ``OUT/processed/`` (the processed layout of :mod:`jamsos_lib.store`: one Parquet
per table, validated with the project's schemas, plus ``manifest.json``) and
``OUT/registry-national.csv`` (the 37 provinces other than Jawa Timur and their kab/kota,
synthetic codes and names) for ``JAMSOS_REGISTRY``. Jawa Timur's 38 real kab/kota come
from the shipped registry. Every figure is illustrative and marked so.

    .venv/bin/python bench/make_national_data.py --out /tmp/jamsos-national            # 514
    .venv/bin/python bench/make_national_data.py --out /tmp/jamsos-small --regions 6   # quick check

``--regions N`` keeps N kab/kota taken round-robin over the provinces (so a small set
still spans several provinces); the registry CSV then lists only those (Jawa Timur's
kab/kota stay in the shipped registry, so a run plans all 38 of them whenever one has data).
``bench/bench_national.py`` renders the whole set in ONE ``jamsos monthly`` run.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import pandas as pd

from jamsos_lib import atomic
from jamsos_lib.regions import load_registry
from jamsos_lib.clean import empty_table
from jamsos_lib.validate.nik import PROVINCE_CODES
from jamsos_lib.validate.schemas import TABLES

PROVINCES = list(PROVINCE_CODES)  # the 38 provinces of Kepmendagri 300.2.2-2430/2025
NATIONAL_KABKOTA = 514
PERIODS = [str(p) for p in pd.period_range("2023-07", "2025-06", freq="M")]
SEGMENTS = {"PU": 30_000, "BPU": 8_000, "JAKON": 2_000, "PMI": 500}
SOURCE = "synthetic national (bench/make_national_data.py)"


def registry_rows() -> tuple[list[dict], dict[str, list[str]]]:
    """Synthetic registry rows of the 37 other provinces; kab/kota codes per province (all 38)."""
    jatim = load_registry().kabkota_codes("35")
    others = [p for p in PROVINCES if p != "35"]
    n_other = NATIONAL_KABKOTA - len(jatim)
    base, extra = divmod(n_other, len(others))
    rows, codes = [], {"35": jatim}
    for i, prov in enumerate(others):
        rows.append(
            {
                "region_code": prov,
                "province_code": prov,
                "type": "Provinsi",
                "name": f"Sintetis {prov}",
                "official_name": f"Provinsi Sintetis {prov}",
                "aliases": "",
                "population": "",
                "tile_row": "",
                "tile_col": "",
                "source": SOURCE,
            }
        )
        n = base + (1 if i < extra else 0)
        codes[prov] = []
        for k in range(1, n + 1):
            code = f"{prov}{k:02d}"
            kind = "Kota" if k > n - 2 else "Kabupaten"
            rows.append(
                {
                    "region_code": code,
                    "province_code": prov,
                    "type": kind,
                    "name": f"Sintetis {code}",
                    "official_name": f"{kind} Sintetis {code}",
                    "aliases": "",
                    "population": str(300_000 + 7_919 * k),
                    "tile_row": str((k - 1) // 6),
                    "tile_col": str((k - 1) % 6),
                    "source": SOURCE,
                }
            )
            codes[prov].append(code)
    return rows, codes


def pick(codes: dict[str, list[str]], n: int | None) -> dict[str, list[str]]:
    if n is None or n >= sum(len(v) for v in codes.values()):
        return codes
    chosen: dict[str, list[str]] = {p: [] for p in PROVINCES}
    depth = 0
    while sum(len(v) for v in chosen.values()) < n:
        for p in PROVINCES:
            if depth < len(codes[p]) and sum(len(v) for v in chosen.values()) < n:
                chosen[p].append(codes[p][depth])
        depth += 1
    return {p: v for p, v in chosen.items() if v}


def tables(codes: dict[str, list[str]]) -> dict[str, pd.DataFrame]:
    flat = [c for p in PROVINCES for c in codes.get(p, [])]
    part, work = [], []
    for i, code in enumerate(flat):
        size = 1 + (i * 37 % 11) / 5  # deterministic spread of region sizes
        for m, period in enumerate(PERIODS):
            for seg, base in SEGMENTS.items():
                part.append(
                    {
                        "period": period,
                        "region_code": code,
                        "segment": seg,
                        "participants": int(base * size + (40 if seg == "PU" else 15) * m + 13 * i),
                        "status": "illustrative",
                        "source_id": "synthetic",
                    }
                )
        for year in (2023, 2024, 2025):
            work.append(
                {
                    "region_code": code,
                    "year": year,
                    "workers": int(200_000 * size + 3_000 * (year - 2023)),
                    "status": "illustrative",
                    "source_id": "synthetic",
                }
            )
    provinces = [p for p in PROVINCES if p in codes]
    eligibility = pd.DataFrame(
        [
            {
                "region_code": p,
                "year": 2023,
                "eligible_share": 0.65,
                "eligible_workers": pd.NA,
                "basis": "synthetic share",
                "status": "illustrative",
                "source_id": "synthetic",
            }
            for p in provinces
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
                "source_url": "",
                "status": "illustrative",
                "source_id": "synthetic",
            }
        ]
        + [
            {
                "scope": "province",
                "region_code": p,
                "year": 2025,
                "target_pct": 40.0,
                "series": "PROVINCE",
                "document": f"synthetic target {p}",
                "source_url": "",
                "status": "illustrative",
                "source_id": "synthetic",
            }
            for p in provinces
        ]
    ).assign(basis="ucj")  # set on the UCJ denominator, as the shipped targets
    rates = pd.DataFrame(
        [
            {
                "segment": "BPU",
                "program": prog,
                "kind": "amount",
                "value": value,
                "min_rp": float("nan"),
                "max_rp": float("nan"),
                "basis": "per month",
                "legal_basis": "PP 44/2015",
                "valid_from": pd.NaT,
                "valid_to": pd.NaT,
                "source_url": "",
                "status": "published",
                "source_id": "synthetic",
            }
            for prog, value in (("JKK", 10_000.0), ("JKM", 6_800.0))
        ]
    )
    for col in ("valid_from", "valid_to"):
        rates[col] = pd.to_datetime(rates[col]).astype("datetime64[ns]")
    programmes = pd.DataFrame(
        [
            {
                "region_code": flat[0],
                "region_name": flat[0],
                "year": 2025,
                "budget_rp": 2.0926e9,
                "persons": 10_000,
                "months": 12,
                "funding_source": "APBD",
                "programs": "JKK+JKM",
                "source_url": "",
                "status": "illustrative",
                "source_id": "synthetic",
            }
        ]
    )
    for col in ("persons", "months"):
        programmes[col] = programmes[col].astype("Int64")
    sources = pd.DataFrame(
        [
            {
                "source_id": "synthetic",
                "path": "bench/make_national_data.py",
                "kind": "synthetic",
                "title": "Synthetic national data (benchmark)",
                "publisher": "jamsos bench",
                "url": "",
                "date_accessed": "2025-07-01",
                "period": f"{PERIODS[0]}..{PERIODS[-1]}",
                "status": "illustrative",
                "sha256": "0" * 64,
                "note": "deterministic, not real",
            }
        ]
    )
    quality = pd.DataFrame(
        {
            "source_id": pd.Series(dtype=str),
            "file": pd.Series(dtype=str),
            "region_code": pd.Series(dtype=str),
            "period": pd.Series(dtype=str),
            "severity": pd.Series(dtype=str),
            "message": pd.Series(dtype=str),
        }
    )
    denominators = empty_table("denominators")
    return {
        "workers": pd.DataFrame(work),
        "participants": pd.DataFrame(part),
        "eligibility": eligibility,
        "denominators": denominators,
        "targets": targets,
        "rates": rates,
        "programmes": programmes,
        "sources": sources,
        "quality": quality,
    }


def write_processed(folder: Path, chosen: dict[str, list[str]]) -> Path:
    with atomic.atomic_dir(folder) as tmp:
        for name, frame in tables(chosen).items():
            atomic.write_parquet(tmp / f"{name}.parquet", TABLES[name].validate(frame, lazy=True))
        atomic.write_json(
            tmp / "manifest.json",
            {
                "created": "2025-07-01T00:00:00+07:00",
                "git_commit": "synthetic",
                "generator": SOURCE,
                "kabkota": sum(len(v) for v in chosen.values()),
                "provinces": len(chosen),
                "inputs": [{"path": "bench/make_national_data.py", "sha256": atomic.sha256_file(__file__)}],
            },
        )
    return folder


def build(out: Path, regions: int | None = None) -> tuple[Path, Path]:
    """``OUT/processed`` (all provinces) and the registry CSV."""
    out = Path(out)
    rows, codes = registry_rows()
    chosen = pick(codes, regions)
    keep = {c for v in chosen.values() for c in v} | set(chosen)
    registry = out / "registry-national.csv"
    atomic.write_text(registry, pd.DataFrame([r for r in rows if r["region_code"] in keep]).to_csv(index=False))
    os.environ["JAMSOS_REGISTRY"] = str(registry)
    processed = write_processed(out / "processed", chosen)
    return processed, registry


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="folder for processed/ and registry-national.csv")
    ap.add_argument("--regions", type=int, default=None, help="keep only N kab/kota (default: all 514)")
    args = ap.parse_args()
    processed, registry = build(Path(args.out), args.regions)
    m = json.loads((processed / "manifest.json").read_text())
    print(f"{m['kabkota']} kab/kota in {m['provinces']} provinces, {len(PERIODS)} months -> {processed}")
    print(f"the month by hand: JAMSOS_REGISTRY={registry} .venv/bin/jamsos monthly --data {processed} --out OUT")
    print(f"the national run: .venv/bin/python bench/bench_national.py --data-root {args.out}")


if __name__ == "__main__":
    main()
