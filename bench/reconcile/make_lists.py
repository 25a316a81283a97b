"""Deterministic generator of realistic synthetic participant and recipient lists (CSV/Parquet).

NIKs are synthetic but structured like real ones: a real Jawa Timur kab/kota code from the
registry, a kecamatan-like code 01-30, a birth date (women +40 on the day) and a serial.
Rates are configurable: duplicates (same person again, in another segment or list),
cross-region (registered in another kab/kota than the NIK's), invalid NIKs (Excel
scientific notation, ``.0`` floats, bad months, 15 digits) and the share of recipients who
already are active participants. Same seed, same files.

    python bench/reconcile/make_lists.py --rows 1000000 --out bench/data/reconcile_1m
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from jamsos_lib.regions import load_registry

SEGMENTS = np.array(["PU", "BPU", "Jakon", "PMI"])
SEGMENT_P = [0.68, 0.25, 0.05, 0.02]


def make_niks(rng: np.random.Generator, n: int, codes: np.ndarray) -> np.ndarray:
    kab = rng.choice(codes, n)
    kec = rng.integers(1, 31, n)
    yy = rng.integers(0, 100, n)
    mm = rng.integers(1, 13, n)
    dd = rng.integers(1, 29, n)
    woman = rng.random(n) < 0.5
    serial = rng.integers(1, 10000, n)
    dd = dd + np.where(woman, 40, 0)
    num = (kec * 10**10 + dd * 10**8 + mm * 10**6 + yy * 10**4 + serial).astype(np.int64)
    tail = np.char.zfill(num.astype(str), 12)
    return np.char.add(kab.astype(str), tail)


def mangle(rng: np.random.Generator, niks: np.ndarray, rate: float) -> np.ndarray:
    out = niks.astype(object)
    idx = np.flatnonzero(rng.random(len(niks)) < rate)
    kinds = rng.integers(0, 4, len(idx))
    for i, k in zip(idx, kinds):
        v = niks[i]
        out[i] = f"{float(v):.3E}" if k == 0 else v + ".0" if k == 1 else v[:8] + "13" + v[10:] if k == 2 else v[:15]
    return out


def generate(
    rows: int,
    out: Path,
    seed: int = 20250601,
    dup_rate: float = 0.06,
    cross_rate: float = 0.12,
    invalid_rate: float = 0.01,
    recipient_share: float = 0.10,
    overlap_rate: float = 0.2,
    parquet: bool = False,
    max_recipients: int = 1_000_000,
) -> dict:
    rng = np.random.default_rng(seed)
    reg = load_registry()
    codes = np.array(reg.kabkota_codes())
    names = {c: reg.official_name(c).upper().replace("KABUPATEN", "KAB.") for c in codes}
    n_persons = int(rows / (1 + dup_rate))
    niks = make_niks(rng, n_persons, codes)
    extra = rng.integers(0, n_persons, rows - n_persons)
    person = np.concatenate([np.arange(n_persons), extra])
    rng.shuffle(person)
    nik = niks[person]
    home = nik.astype("U4")  # first four digits: the kab/kota of the NIK
    reg_code = np.where(rng.random(rows) < cross_rate, rng.choice(codes, rows), home)
    region = np.vectorize(names.get, otypes=[object])(reg_code)
    segment = rng.choice(SEGMENTS, rows, p=SEGMENT_P)
    status = np.where(rng.random(rows) < 0.97, "Aktif", "Nonaktif")
    out.mkdir(parents=True, exist_ok=True)
    table = pa.table(
        {
            "NIK": mangle(rng, nik, invalid_rate).astype(str),
            "Segmen": segment,
            "Kab/Kota": region.astype(str),
            "Status": status,
            "Periode": np.full(rows, "2025-06"),
        }
    )
    half = rows // 2
    files = []
    for i, part in enumerate((table.slice(0, half), table.slice(half))):
        path = out / f"peserta_{i + 1}.csv"
        pacsv.write_csv(part, path)
        files.append(path)
        if parquet:
            pq.write_table(part, path.with_suffix(".parquet"))
    n_rec = min(int(rows * recipient_share), max_recipients)
    from_participants = rng.random(n_rec) < overlap_rate
    rec_nik = np.where(from_participants, nik[rng.integers(0, rows, n_rec)], make_niks(rng, n_rec, codes))
    rec = pa.table(
        {
            "NIK": mangle(rng, rec_nik, invalid_rate).astype(str),
            "Program": rng.choice(np.array(["DBHCHT", "APBD Pekerja Rentan"]), n_rec),
            "Kab/Kota": np.vectorize(names.get, otypes=[object])(rec_nik.astype("U4")).astype(str),
            "Kecamatan": np.char.add("Kec ", rng.integers(1, 31, n_rec).astype(str)),
            "Jumlah Bulan": rng.choice(np.array([3, 6, 12]), n_rec),
        }
    )
    rpath = out / "penerima_bantuan.csv"
    pacsv.write_csv(rec, rpath)
    return {"participants": [str(f) for f in files], "recipients": [str(rpath)], "rows": rows, "recipient_rows": n_rec}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=20250601)
    ap.add_argument("--dup-rate", type=float, default=0.06)
    ap.add_argument("--cross-rate", type=float, default=0.12)
    ap.add_argument("--invalid-rate", type=float, default=0.01)
    ap.add_argument("--overlap-rate", type=float, default=0.2)
    ap.add_argument("--parquet", action="store_true")
    a = ap.parse_args()
    print(
        generate(
            a.rows,
            a.out,
            a.seed,
            a.dup_rate,
            a.cross_rate,
            a.invalid_rate,
            overlap_rate=a.overlap_rate,
            parquet=a.parquet,
        )
    )


if __name__ == "__main__":
    main()
