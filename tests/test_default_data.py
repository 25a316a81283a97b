"""The shipped data set is reproducible and keeps the published anchors it claims."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import openpyxl
import yaml

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def _generator():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "tools" / "generate_default_data.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generator_reproduces_the_committed_files_byte_for_byte(tmp_path):
    _generator().generate(tmp_path)
    produced = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    shipped = sorted(p.relative_to(RAW) for p in RAW.rglob("*") if p.is_file() and p.name != "README.md")
    assert produced == shipped
    for rel in produced:
        assert (tmp_path / rel).read_bytes() == (RAW / rel).read_bytes(), rel


def test_every_raw_file_has_a_sidecar_with_matching_sha256_and_a_status():
    data_files = [p for p in RAW.rglob("*") if p.is_file() and not p.name.endswith(".meta.yml") and p.name != "README.md"]
    assert len(data_files) == 9
    for f in data_files:
        meta = yaml.safe_load((f.parent / (f.name + ".meta.yml")).read_text(encoding="utf-8"))
        assert meta["sha256"] == hashlib.sha256(f.read_bytes()).hexdigest(), f
        assert meta["status"] in {"published", "illustrative", "mixed"}
        if meta["status"] != "published":
            assert "generated_by" in meta or meta["status"] == "mixed"


def test_bps_file_keeps_the_published_province_totals_and_sums_exactly():
    ws = openpyxl.load_workbook(RAW / "bps" / "penduduk_bekerja_kabkota_2021_2024.xlsx").active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = rows[4]
    assert header[1:5] == ["2021", "2022", "2023", "2024"]
    region_rows = [r for r in rows if isinstance(r[0], str) and r[0][:2].isdigit() and isinstance(r[1], int)]
    assert len(region_rows) == 38
    total = next(r for r in rows if r[0] == "Jawa Timur")
    assert total[1:5] == [21_040_000, 21_610_000, 22_485_000, 23_360_000]
    for j in range(1, 5):
        assert sum(r[j] for r in region_rows) == total[j]
    probolinggo = next(r for r in region_rows if r[0] == "13 Probolinggo")
    assert probolinggo[1] == 682_300 - 31_000  # BPS Kab. Probolinggo 2021: labour force minus unemployed


def test_bpjs_sheets_hit_the_published_anchors():
    def total(book: str, sheet: str) -> int:
        ws = openpyxl.load_workbook(RAW / "bpjs" / book)[sheet]
        row = next(r for r in ws.iter_rows(values_only=True) if r[2] == "TOTAL KANWIL JAWA TIMUR")
        assert row[7] == sum(row[3:7])
        return row[7]

    assert total("peserta_aktif_2023.xlsx", "Des 2023") == 4_336_959  # UCJ Jatim 2023
    assert total("peserta_aktif_2025.xlsx", "Feb 2025") == 4_950_000  # Kemnaker, Feb 2025
    ws = openpyxl.load_workbook(RAW / "bpjs" / "peserta_aktif_2024.xlsx")["Nov 2024"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[2] == "KAB. TRENGGALEK")
    assert row[3:6] == (38_595, 14_468, 17_407)
    assert len(openpyxl.load_workbook(RAW / "bpjs" / "peserta_aktif_2024.xlsx").sheetnames) == 12
