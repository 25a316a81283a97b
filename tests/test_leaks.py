"""No NIK, no 16-digit run and no 8+-digit prefix of a known NIK in anything the whole chain
produces: ``jamsos clean`` -> ``jamsos reconcile`` (lists with known synthetic NIKs) ->
``jamsos report`` for a kab/kota of those lists. Every produced file is searched (processed
tables, reconciliation tables, HTML pages, executed notebooks, manifests) plus the
stdout/stderr (logs) of each command. Synthetic NIKs only (see tests/test_reconcile.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from test_reconcile import KNOWN, P1, P2, R1

ROOT = Path(__file__).resolve().parents[1]
JAMSOS = [sys.executable, "-m", "jamsos_lib"]
REGION = "3513"  # Kab. Probolinggo: registered and domiciled persons of the lists above

DIGITS16 = re.compile(rb"\d{16}")
#: SHA-1/SHA-256 digests (manifests, file hashes) are hex: they may hold 16 decimal digits
#: by chance, and are not person data; they are blanked before the 16-digit search (the
#: known-NIK prefix search still covers them).
HEX_DIGEST = re.compile(rb"(?<![0-9A-Za-z])(?:[0-9a-f]{64}|[0-9a-f]{40})(?![0-9A-Za-z])")


def leaks(blob: bytes) -> list[str]:
    """What in ``blob`` looks like a NIK (described without repeating the value)."""
    found = [f"16-digit run at byte {m.start()}" for m in DIGITS16.finditer(HEX_DIGEST.sub(b"#", blob))]
    for nik in KNOWN:
        for k in range(8, 17):
            if nik[:k].encode() in blob:
                found.append(f"{k}-digit prefix of a known NIK")
                break
    return found


def parquet_as_text(path: Path) -> tuple[bytes, list[str]]:
    """Values of a Parquet file as text (Parquet pages are compressed, so the raw bytes
    alone prove nothing). Float columns are not printed (their repr has long digit runs)
    but must not hold a NIK-sized number."""
    frame = pd.read_parquet(path)
    parts, problems = [], []
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_float_dtype(values.dtype):
            if (values.abs() >= 1e15).any():
                problems.append(f"column {col}: a NIK-sized number")
            continue
        parts.append(f"{col}\n" + "\n".join(str(v) for v in values))
    return "\n".join(parts).encode(), problems


def run(args: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    proc = subprocess.run(JAMSOS + args, cwd=cwd, env=env, capture_output=True, timeout=600)
    assert proc.returncode == 0, (args[0], proc.stderr.decode(errors="replace")[-2000:])
    return proc


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """Run the three commands once; return (folder, {name: bytes}) of everything produced."""
    tmp = tmp_path_factory.mktemp("leaks")
    for name, text in (("p1.csv", P1), ("p2.csv", P2), ("r1.csv", R1)):
        (tmp / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "JAMSOS_PSEUDONYM_KEY": "k" * 40, "PYTHONPATH": str(ROOT)}
    data, reports = tmp / "processed", tmp / "reports"
    outputs = {}
    proc = run(["clean", "--out", str(data)], tmp, env)
    outputs["clean stdout"], outputs["clean stderr"] = proc.stdout, proc.stderr
    proc = run(
        [
            "-v",
            "reconcile",
            "--participants",
            "p1.csv",
            "p2.csv",
            "--recipients",
            "r1.csv",
            "--data",
            str(data),
            "--out",
            str(data / "reconciliation"),
            "--period",
            "2025-06",
            "--records",
        ],
        tmp,
        env,
    )
    outputs["reconcile stdout"], outputs["reconcile stderr"] = proc.stdout, proc.stderr
    # the month of the lists: a page shows a reconciliation only for its own month
    proc = run(
        [
            "report",
            "--data",
            str(data),
            "--period",
            "2025-06",
            "--region",
            REGION,
            "--out",
            str(reports),
            "--workers",
            "1",
        ],
        tmp,
        env,
    )
    outputs["report stdout"], outputs["report stderr"] = proc.stdout, proc.stderr
    for folder in (data, reports):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                outputs[str(path.relative_to(tmp))] = path.read_bytes()
    return tmp, outputs


@pytest.mark.slow
def test_the_chain_produced_what_is_searched(chain):
    tmp, outputs = chain
    names = set(outputs)
    assert "processed/reconciliation/summary.json" in names
    assert "processed/reconciliation/persons_pseudonymised.parquet" in names
    pages = [n for n in names if n.startswith("reports/") and n.endswith(f"{REGION}-kabupaten-probolinggo.html")]
    notebooks = [n for n in names if n.startswith("reports/") and n.endswith(".ipynb")]
    assert pages and notebooks
    # the report really shows the reconciliation (so the search below means something)
    page = outputs[pages[0]].decode("utf-8")
    assert "tumpang tindih" in page and "&lt;10" in page
    summary = json.loads(outputs["processed/reconciliation/summary.json"])
    assert summary["rate_rp_per_month"] == 16800 and "PP 44/2015" in summary["rate_legal_basis"]


@pytest.mark.slow
def test_no_nik_anywhere(chain):
    tmp, outputs = chain
    found = {}
    for name, blob in outputs.items():
        hits = leaks(blob)
        if name.endswith(".parquet"):
            text, problems = parquet_as_text(tmp / name)
            hits += problems + [f"as text: {h}" for h in leaks(text)]
        if hits:
            found[name] = hits
    assert found == {}


def test_the_search_finds_a_planted_nik():
    """The detector itself: it must flag what it is meant to flag (else the test above proves nothing)."""
    assert leaks(f"x {KNOWN[0]} y".encode())
    assert leaks(f"prefix {KNOWN[2][:9]}...".encode()) == ["8-digit prefix of a known NIK"]
    assert leaks(f"{KNOWN[2][:7]}".encode()) == []
    assert leaks(b"0.000606378801805594")  # any 16-digit run, whatever it is
    assert leaks(b"sha256 " + b"1234567890123456" * 4) == []  # a hex digest is not a NIK
