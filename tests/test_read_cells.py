"""Cell parsing: Indonesian numbers, periods, sheet grids (merged cells, CSV sniffing, encodings)."""

from __future__ import annotations

import openpyxl
import pytest

from jamsos_lib.errors import InputError
from jamsos_lib.read.cells import is_nil, load_grids, parse_count, parse_number, parse_period
from jamsos_lib.read.provenance import read_provenance
from layouts import write_sidecar


@pytest.mark.parametrize("text, expected", [
    ("5.089.783", 5089783),
    ("1.234,5", 1234.5),
    ("651,3", 651.3),
    ("21040000", 21040000),
    (" 38.595 ", 38595),
    (5089783, 5089783),
    (5089783.0, 5089783),
    (1234.5, 1234.5),
    ("-12", -12),
])
def test_indonesian_numbers(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("nil", ["-", "…", "...", "", "  ", None])
def test_nil_markers_are_none(nil):
    assert is_nil(nil)
    assert parse_number(nil) is None


@pytest.mark.parametrize("bad", ["1.23.4", "abc", "12 ribu", "5,089,783"])
def test_bad_numbers_are_rejected_not_guessed(bad):
    with pytest.raises(ValueError):
        parse_number(bad)


def test_plain_decimal_mark_for_templates():
    assert parse_number("29.44", decimal_mark=".") == pytest.approx(29.44)
    with pytest.raises(ValueError):
        parse_number("29.44")  # Indonesian: a wrongly grouped thousands number


def test_counts_must_be_whole_and_not_negative():
    assert parse_count("5.089.783") == 5089783
    with pytest.raises(ValueError, match="not negative"):
        parse_count("-5")
    with pytest.raises(ValueError, match="whole number"):
        parse_count("1.234,5")


@pytest.mark.parametrize("text, period", [
    ("Jul 2023", "2023-07"),
    ("Juli 2023", "2023-07"),
    ("Agustus 2024", "2024-08"),
    ("Agu 2024", "2024-08"),
    ("Agt 2024", "2024-08"),
    ("Mei 2025", "2025-05"),
    ("Okt 2023", "2023-10"),
    ("Des 2024", "2024-12"),
    ("2023-07", "2023-07"),
    ("Posisi: 31 Juli 2023", "2023-07"),
    ("POSISI : 30 NOVEMBER 2024", "2024-11"),
    ("peserta_aktif_2025-02", "2025-02"),
])
def test_periods(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["Sheet1", "Tabel", "2023", "Rekap Tahunan", "2023-13"])
def test_texts_without_a_month(text):
    assert parse_period(text) is None


def test_xlsx_merged_cells_are_filled_and_rows_keep_their_numbers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Judul"
    ws["A4"] = "Kabupaten/Kota"
    ws.merge_cells("A4:A5")
    ws["B4"] = "Penduduk Bekerja"
    ws.merge_cells("B4:D4")
    ws["B5"], ws["C5"], ws["D5"] = 2021, 2022, 2023
    path = tmp_path / "t.xlsx"
    wb.save(path)
    grid = load_grids(path)[0]
    rows = dict(grid.rows)
    assert sorted(rows) == [1, 4, 5]  # the empty rows 2-3 are skipped, numbers kept
    assert rows[5][0] == "Kabupaten/Kota"
    assert rows[4][1:] == ["Penduduk Bekerja"] * 3
    assert rows[5][1:] == [2021, 2022, 2023]


@pytest.mark.parametrize("sep", [",", ";"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_separator_and_encoding(tmp_path, sep, encoding):
    path = tmp_path / "t.csv"
    path.write_bytes(f"Kabupaten/Kota{sep}2021\nKab. Pacitan{sep}\"292.997\"\nCatatan: é{sep}\n".encode(encoding))
    grid = load_grids(path)[0]
    assert grid.rows[0] == (1, ["Kabupaten/Kota", "2021"])
    assert grid.rows[1] == (2, ["Kab. Pacitan", "292.997"])
    assert grid.rows[2][1][0] == "Catatan: é"


def test_utf16_csv_is_a_clear_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("period,region_code\n2024-11,3503\n".encode("utf-16"))
    with pytest.raises(InputError, match="UTF-8 or cp1252"):
        load_grids(path)


def test_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        load_grids(path)


def test_provenance_mixed_status_per_row(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    write_sidecar(path, "eligibility", status="mixed", published=[{"region_code": "35", "year": 2023,
                                                                   "source_url": "https://x"}])
    prov = read_provenance(path, tmp_path)
    assert prov.source_id == "x.csv"
    assert prov.status_of({"region_code": "35", "year": 2023}) == "published"
    assert prov.status_of({"region_code": "35", "year": 2024}) == "illustrative"
    assert prov.status_of({"region_code": "3503", "year": 2023}) == "illustrative"
    assert prov.sources_row()["status"] == "mixed"
