"""Person-list readers: header mapping, xlsx number cells, bad files. Synthetic NIKs only."""

from __future__ import annotations

import duckdb
import openpyxl
import pytest

from jamsos_lib.errors import InputError
from jamsos_lib.read.persons import map_headers, read_person_list

NIK1, NIK2 = "3513010101900001", "3508035506920004"


def read(path, kind="participants", **kw):
    con = duckdb.connect()
    plist = read_person_list(con, path, kind, 0, **kw)
    return plist, plist.frame(con)


@pytest.mark.parametrize("header", ["NIK", "No. KTP", "No KTP", "nomor induk kependudukan", " NIK Peserta "])
def test_nik_header_spellings(header):
    found, _ = map_headers([header, "Kabupaten/Kota Domisili"], "participants")
    assert found == {"nik": 0, "region": 1}


def test_csv_columns_used_and_title_rows(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text(
        f"Daftar peserta\nNo;NIK Peserta;Segmen;Lokasi Kerja\n1;'{NIK1};Penerima Upah;KAB. PROBOLINGGO\n"
        f"2;{NIK2};BPU;Kota Surabaya\n",
        encoding="utf-8",
    )
    plist, rows = read(f)
    assert plist.columns_used == {"nik": "NIK Peserta", "region": "Lokasi Kerja", "segment": "Segmen"}
    assert list(rows["row_no"]) == [3, 4]
    assert list(rows["segment"]) == ["PU", "BPU"]
    assert plist.region_codes == {"KAB. PROBOLINGGO": "3513", "Kota Surabaya": "3578"}


def test_xlsx_number_cell_is_float_value(tmp_path):
    f = tmp_path / "p.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No. KTP", "Kab/Kota", "Status"])
    ws.append([NIK1, "Kabupaten Probolinggo", "Aktif"])
    ws.append([3513010101900002, "Kab. Probolinggo", "Aktif"])  # Excel number cell
    ws.append([3.5130101019e15, "Kab. Probolinggo", "Aktif"])
    wb.save(f)
    plist, rows = read(f, max_invalid_share=0.9)
    assert plist.invalid_by_reason == {"float_value": 2}
    assert plist.invalid_rows == {"float_value": [3, 4]}
    assert rows["nik"].iloc[0] == NIK1


def test_wrong_columns_is_input_error(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("Nama,Alamat\nBudi,Jl. Mawar\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read(f)
    assert "a nik column" in str(exc.value) and "a region column" in str(exc.value)


@pytest.mark.parametrize("content", [b"", "NIK,Kab/Kota\n".encode()])
def test_empty_file_is_input_error(tmp_path, content):
    f = tmp_path / "p.csv"
    f.write_bytes(content)
    with pytest.raises(InputError):
        read(f)


def test_latin1_file_is_read_with_a_warning(tmp_path):
    f = tmp_path / "p.csv"
    f.write_bytes(f"NIK;Kab/Kota;Keterangan\n{NIK1};Kab Probolinggo;Pak Andr\xe9\n".encode("latin-1"))
    plist, rows = read(f)
    assert plist.encoding == "latin-1"
    assert any("not UTF-8" in str(p) for p in plist.problems)
    assert rows["nik"].iloc[0] == NIK1


def test_half_invalid_file_rejected_without_values(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text(
        f"NIK,Kab/Kota\n{NIK1},Kab Probolinggo\n3.51301E+15,Kab Probolinggo\n{NIK2},Kab Lumajang\n"
        "3513010101900002.0,Kab Probolinggo\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        read(f)
    text = str(exc.value)
    assert "2 of 4 rows (50%)" in text and "rows 3" in text and "rows 5" in text
    assert "351301" not in text and "3.51301" not in text
    plist, _ = read(f, max_invalid_share=0.6)  # allowed: kept, counted by reason
    assert plist.invalid_by_reason == {"scientific_notation": 1, "float_value": 1}


def test_unknown_region_is_a_warning_and_rows_kept(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text(
        f"NIK,Kab/Kota,Segmen,Status\n{NIK1},Atlantis,PU,aktif\n{NIK2},Probolinggo,XYZ,entah\n", encoding="utf-8"
    )
    plist, rows = read(f)
    assert len(rows) == 2
    messages = " | ".join(str(p) for p in plist.problems)
    assert "Atlantis" in messages and "ambiguous" in messages and "XYZ" in messages and "entah" in messages
    assert plist.region_codes == {"Atlantis": None, "Probolinggo": None}
