"""BPS worker counts in the BPS static-table layout (xlsx and csv).

Fixture figures (tests/layouts.py): workers = population * 48 // 100 + 1.000 per year after
2021, population from jamsos_lib/reference/regions.csv. By hand: Kab. Probolinggo (3513,
population 1.200.931) 2021 -> 576.446, 2024 -> 579.446; Kota Probolinggo (3574, 243.746)
2021 -> 116.998, 2023 -> 118.998.
"""

from __future__ import annotations

import openpyxl
import pytest

from jamsos_lib.errors import InputError
from jamsos_lib.read.bps import read_bps_workers
from jamsos_lib.read.provenance import read_provenance
from jamsos_lib.validate.schemas import WORKERS
from layouts import KABKOTA, bps_label, bps_rows, write_bps_csv, write_bps_xlsx, write_sidecar


def _value(frame, code, year, col="workers"):
    row = frame[(frame.region_code == code) & (frame.year == year)]
    assert len(row) == 1, (code, year)
    return row[col].iloc[0]


def test_xlsx_layout_merged_headers_codes_groups_and_footnotes(tmp_path):
    path = write_bps_xlsx(tmp_path / "bps.xlsx")
    workers = read_bps_workers(path).tables["workers"]
    WORKERS.validate(workers)
    assert len(workers) == (38 + 1) * 4  # 38 kab/kota and the province, 2021-2024
    assert _value(workers, "3513", 2021) == 576446  # '13 Probolinggo' (text cell '576.446')
    assert _value(workers, "3513", 2024) == 579446
    assert _value(workers, "3574", 2021) == 116998  # '74 Probolinggo' under 'Kota'
    assert _value(workers, "3574", 2023) == 118998
    kabkota_2021 = workers[(workers.year == 2021) & (workers.region_code != "35")]["workers"].sum()
    assert _value(workers, "35", 2021) == kabkota_2021
    assert set(workers["status"]) == {"illustrative"}  # no sidecar: never presented as published


def test_csv_export_reads_the_same(tmp_path):
    xlsx = read_bps_workers(write_bps_xlsx(tmp_path / "bps.xlsx")).tables["workers"]
    for sep in (";", ","):
        csv = read_bps_workers(write_bps_csv(tmp_path / f"bps{sep == ';'}.csv", sep=sep)).tables["workers"]
        assert csv.drop(columns="source_id").equals(xlsx.drop(columns="source_id"))


def test_mixed_sidecar_marks_published_cells(tmp_path):
    path = write_bps_xlsx(tmp_path / "bps.xlsx")
    write_sidecar(
        path,
        "bps_workers",
        status="mixed",
        published=[{"region_code": "35", "year": 2021}, {"region_code": "3513", "year": 2021}],
    )
    prov = read_provenance(path, tmp_path)
    workers = read_bps_workers(path, provenance=prov).tables["workers"]
    published = workers[workers.status == "published"][["region_code", "year"]].values.tolist()
    assert sorted(published) == [["35", 2021], ["3513", 2021]]
    assert set(workers["source_id"]) == {"bps.xlsx"}


def test_name_variants_and_bare_names_under_group_rows(tmp_path):
    rows = bps_rows()
    relabel = {
        "13 Probolinggo": "Kab. Probolinggo",
        "74 Probolinggo": "KOTA PROBOLINGGO",
        "03 Trenggalek": "KABUPATEN TRENGGALEK",
        "06 Kediri": "Kediri",  # bare, decided by the group row
        "71 Kediri": "Kediri",
        "78 Surabaya": "3578 Surabaya",
    }
    rows = [(relabel.get(label, label), values) for label, values in rows]
    workers = read_bps_workers(write_bps_xlsx(tmp_path / "bps.xlsx", rows)).tables["workers"]
    assert _value(workers, "3513", 2021) == 576446
    assert _value(workers, "3574", 2021) == 116998
    assert {"3506", "3571", "3503", "3578"} <= set(workers.region_code)
    assert len(workers) == 39 * 4


def test_province_total_within_half_a_percent_is_accepted(tmp_path):
    rows = bps_rows()
    label, values = rows[-1]
    values = list(values)
    values[0] = round(values[0] * 1.004)  # rounded published total, 0,4% above the sum
    rows[-1] = (label, values)
    workers = read_bps_workers(write_bps_xlsx(tmp_path / "bps.xlsx", rows)).tables["workers"]
    assert _value(workers, "35", 2021) == values[0]


def test_province_total_beyond_tolerance_is_an_error(tmp_path):
    rows = bps_rows()
    label, values = rows[-1]
    total_2022 = values[1]
    rows[-1] = (label, [values[0], round(total_2022 * 1.01), *values[2:]])
    path = write_bps_xlsx(tmp_path / "bps.xlsx", rows)
    with pytest.raises(InputError) as exc:
        read_bps_workers(path)
    (problem,) = exc.value.problems
    assert problem.row == 7 + len(rows) - 1 and problem.column == "2022"
    assert "within 0,5%" in str(problem) and "differs by 1,0%" in str(problem)


def test_thousands_table_with_decimal_commas(tmp_path):
    def ribu(v):  # 576446 or '576.446' -> '576,4'
        n = v if isinstance(v, int) else int(v.replace(".", ""))
        return f"{n / 1000:.1f}".replace(".", ",")

    rows = [(label, None if values is None else [ribu(v) for v in values]) for label, values in bps_rows()]
    path = write_bps_xlsx(tmp_path / "bps.xlsx", rows, caption="Penduduk Bekerja (ribu jiwa)")
    workers = read_bps_workers(path).tables["workers"]
    assert _value(workers, "3513", 2021) == 576400  # '576,4' ribu


def test_breakdown_sub_columns(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Penduduk Bekerja menurut Kabupaten/Kota dan Status, Jawa Timur"
    ws["A3"] = "Kabupaten/Kota"
    ws.merge_cells("A3:A4")
    ws["B3"] = 2024
    ws.merge_cells("B3:D3")
    ws["B4"], ws["C4"], ws["D4"] = "Formal", "Informal", "Jumlah"
    path = tmp_path / "b.xlsx"
    for i, code in enumerate(KABKOTA):
        ws.cell(5 + i, 1, bps_label(code))
        ws.cell(5 + i, 2, 1000 + i)
        ws.cell(5 + i, 3, "2.000")
        ws.cell(5 + i, 4, 3000 + i)
    wb.save(path)
    workers = read_bps_workers(path).tables["workers"]
    WORKERS.validate(workers)
    assert _value(workers, "3501", 2024, "formal") == 1000
    assert _value(workers, "3501", 2024, "informal") == 2000
    assert _value(workers, "3501", 2024) == 3000
    assert len(workers) == 38  # no total row: no province row


def test_nil_cell_leaves_no_row(tmp_path):
    rows = bps_rows()
    rows = [(label, ["-", *values[1:]] if label == "13 Probolinggo" else values) for label, values in rows]
    # the province total 2021 then differs from the sum only if Probolinggo counted: it is skipped (incomplete)
    workers = read_bps_workers(write_bps_xlsx(tmp_path / "bps.xlsx", rows)).tables["workers"]
    assert not ((workers.region_code == "3513") & (workers.year == 2021)).any()
    assert _value(workers, "3513", 2022) == 577446
