"""Cell parsing: Indonesian numbers, periods, sheet grids (merged cells, CSV sniffing, encodings)."""

from __future__ import annotations

import openpyxl
import pytest

from jamsos_lib.errors import InputError, safe_value
from jamsos_lib.read.cells import is_nil, load_grids, parse_count, parse_number, parse_period
from jamsos_lib.read.provenance import read_provenance
from layouts import write_sidecar


@pytest.mark.parametrize(
    "text, expected",
    [
        ("5.089.783", 5089783),
        ("1.234,5", 1234.5),
        ("651,3", 651.3),
        ("21040000", 21040000),
        (" 38.595 ", 38595),
        (5089783, 5089783),
        (5089783.0, 5089783),
        (1234.5, 1234.5),
        ("-12", -12),
    ],
)
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


def test_a_count_that_is_not_a_number_says_whole_number_of_persons_in_every_reader():
    # the long CSV and the xlsx readers share parse_count: one wording for one mistake
    with pytest.raises(ValueError, match="^a whole number of persons such as 5.089.783$"):
        parse_count("12 ribu")
    with pytest.raises(ValueError, match="^a whole number of persons such as 5089783$"):
        parse_count("n/a", decimal_mark=".")
    with pytest.raises(ValueError, match="formula without a saved result"):
        from jamsos_lib.read.cells import UnsavedFormula

        parse_count(UnsavedFormula("B7", "=B5+B6"))


def test_counts_must_be_whole_and_not_negative():
    assert parse_count("5.089.783") == 5089783
    with pytest.raises(ValueError, match="not negative"):
        parse_count("-5")
    with pytest.raises(ValueError, match="whole number"):
        parse_count("1.234,5")


@pytest.mark.parametrize(
    "text, period",
    [
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
    ],
)
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
    path.write_bytes(f'Kabupaten/Kota{sep}2021\nKab. Pacitan{sep}"292.997"\nCatatan: é{sep}\n'.encode(encoding))
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
    write_sidecar(
        path, "eligibility", status="mixed", published=[{"region_code": "35", "year": 2023, "source_url": "https://x"}]
    )
    prov = read_provenance(path, tmp_path)
    assert prov.source_id == "x.csv"
    assert prov.status_of({"region_code": "35", "year": 2023}) == "published"
    assert prov.status_of({"region_code": "35", "year": 2024}) == "illustrative"
    assert prov.status_of({"region_code": "3503", "year": 2023}) == "illustrative"
    assert prov.sources_row()["status"] == "mixed"


def test_xlsx_reading_follows_the_data_not_the_formatting(tmp_path):
    """A stray formatted cell at the last row, a merge down to it and a merge over a whole row
    add no rows and no columns; a merge fills only rows that hold data."""
    from openpyxl.styles import Border, Side

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Judul"
    ws["A3"], ws["B3"], ws["C3"] = "Kabupaten/Kota", 2023, 2024
    ws["A4"], ws["B4"], ws["C4"] = "Kab. Pacitan", 1, 2
    ws["A6"] = "Sumber: BPS"
    ws.merged_cells.add("A6:C1048576")  # a footnote merged down to the last row (as Excel stores it)
    ws.merged_cells.add("A1:XFD1")  # a title merged over the whole row
    ws.cell(1048576, 8).border = Border(bottom=Side(style="thin"))  # an empty bordered cell
    path = tmp_path / "t.xlsx"
    wb.save(path)
    grid = load_grids(path)[0]
    assert grid.rows == [
        (1, ["Judul"] * 3),
        (3, ["Kabupaten/Kota", 2023, 2024]),
        (4, ["Kab. Pacitan", 1, 2]),
        (6, ["Sumber: BPS"] * 3),
    ]


def test_formula_without_a_saved_result_and_date_cells_are_named_not_empty(tmp_path):
    import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"] = "=1+1", datetime.datetime(2024, 11, 30), 5
    path = tmp_path / "t.xlsx"
    wb.save(path)
    ((_, (formula, date, number)),) = load_grids(path)[0].rows
    assert str(formula) == "=1+1" and number == 5
    with pytest.raises(ValueError, match=r"not a formula without a saved result \(cell A1; open the file in Excel"):
        parse_number(formula)
    with pytest.raises(ValueError, match="not a date or time"):
        parse_number(date)
    assert safe_value(date) == "2024-11-30 (a date)"


@pytest.mark.parametrize("text", ["375,0", "375,5", "1.234,0"])
def test_a_decimal_in_a_count_of_persons_is_an_error_not_truncated(text):
    with pytest.raises(ValueError, match="without a decimal part"):
        parse_count(text)


def test_a_count_beyond_any_population_is_an_error_not_an_overflow():
    assert parse_count("300.000.000") == 300_000_000
    with pytest.raises(ValueError, match="at most 300.000.000"):
        parse_count("1234567890123456789012345")


def test_formulas_with_a_saved_result_are_read_as_their_result(tmp_path):
    """As Excel and LibreOffice save them: the formula and its last result (``<v>``)."""
    import zipfile

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"] = "=1+1", '="Kab. "&"Pacitan"', "=2+2"
    path = tmp_path / "t.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace('<c r="A1"><f>1+1</f><v /></c>', '<c r="A1"><f>1+1</f><v>2</v></c>')
    sheet = sheet.replace(
        '<c r="B1"><f>"Kab. "&amp;"Pacitan"</f><v /></c>',
        '<c r="B1" t="str"><f>"Kab. "&amp;"Pacitan"</f><v>Kab. Pacitan</v></c>',
    )
    assert sheet.count("<v />") == 1  # only C1 is left without a saved result
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    ((_, (two, label, unsaved)),) = load_grids(path)[0].rows
    assert two == 2 and label == "Kab. Pacitan"
    assert str(unsaved) == "=2+2"
