"""BPJS participants: the monthly branch spreadsheet and the long CSV template.

Fixture figures (tests/layouts.py): PU = population // 10 + 10 x month, BPU = population // 40,
JAKON = population // 100, PMI = population // 500. By hand for Kab. Trenggalek (3503,
population 753.810) in November 2024: PU 75.381 + 110 = 75.491, BPU 18.845, JAKON 7.538,
PMI 1.507.
"""

from __future__ import annotations

import openpyxl
import pytest

from jamsos_lib.errors import InputError
from jamsos_lib.read.bpjs import read_bpjs_branch, read_bpjs_long
from jamsos_lib.validate.schemas import PARTICIPANTS
from layouts import LONG_HEADER, branch_rows, months, write_branch_xlsx, write_csv


def _count(frame, period, code, segment):
    row = frame[(frame.period == period) & (frame.region_code == code) & (frame.segment == segment)]
    assert len(row) == 1, (period, code, segment)
    return int(row["participants"].iloc[0])


def test_branch_workbook_one_sheet_per_month(tmp_path):
    path = write_branch_xlsx(tmp_path / "b.xlsx", months("2024-10", 3))
    frame = read_bpjs_branch(path).tables["participants"]
    PARTICIPANTS.validate(frame)
    assert len(frame) == 3 * 38 * 4
    assert sorted(frame.period.unique()) == ["2024-10", "2024-11", "2024-12"]
    assert _count(frame, "2024-11", "3503", "PU") == 75491
    assert _count(frame, "2024-11", "3503", "BPU") == 18845
    assert _count(frame, "2024-11", "3503", "JAKON") == 7538
    assert _count(frame, "2024-11", "3503", "PMI") == 1507
    assert _count(frame, "2024-10", "3503", "PU") == 75481


@pytest.mark.parametrize(
    "names",
    [
        lambda p: {"2023-07": "Juli 2023", "2023-08": "Agustus 2023"}[p],
        lambda p: p,  # '2023-07'
        lambda p: {"2023-07": "Jul 2023", "2023-08": "Agt 2023"}[p],
    ],
)
def test_sheet_name_variants(tmp_path, names):
    path = write_branch_xlsx(tmp_path / "b.xlsx", ["2023-07", "2023-08"], names=names)
    frame = read_bpjs_branch(path).tables["participants"]
    assert sorted(frame.period.unique()) == ["2023-07", "2023-08"]


def test_one_file_per_month_period_from_the_posisi_title(tmp_path):
    path = write_branch_xlsx(tmp_path / "rekap.xlsx", ["2025-02"], names=lambda p: "Sheet1")
    frame = read_bpjs_branch(path).tables["participants"]
    assert list(frame.period.unique()) == ["2025-02"]


def test_notes_sheet_is_skipped(tmp_path):
    path = write_branch_xlsx(tmp_path / "b.xlsx", ["2024-01"])
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Catatan")["A1"] = "Data per kantor cabang, sumber SMILE"
    wb.save(path)
    assert len(read_bpjs_branch(path).tables["participants"]) == 38 * 4


def test_region_served_by_two_branches_is_summed(tmp_path):
    def minus(row, k):  # subtract k from each segment and 4k from Total
        vals = [int(str(v).replace(".", "")) for v in row[3:]]
        return row[:3] + [v - k for v in vals[:4]] + [vals[4] - 4 * k]

    def rows_of(period):
        rows = branch_rows(period)
        # Kota Surabaya (last Kantor Cabang group, with Kota Batu) keeps all but 1.000 per segment;
        # a second branch, CABANG SURABAYA RUNGKUT, reports the other 1.000 per segment
        rows = [minus(r, 1000) if r[2] == "KOTA SURABAYA" else r for r in rows]
        rows[-2] = minus(rows[-2], 1000)  # the last group's Sub Total
        return rows[:-1] + [
            [11, "CABANG SURABAYA RUNGKUT", "KOTA SURABAYA", 1000, 1000, 1000, 1000, 4000],
            ["", "", "Sub Total Cabang Surabaya Rungkut", 1000, 1000, 1000, 1000, 4000],
            rows[-1],
        ]

    frame = read_bpjs_branch(write_branch_xlsx(tmp_path / "b.xlsx", ["2024-10"], rows_of=rows_of)).tables[
        "participants"
    ]
    # Surabaya (3578, population 3.018.022) PU in October: 301.802 + 100 = 301.902 = 300.902 + 1.000
    assert _count(frame, "2024-10", "3578", "PU") == 301902
    assert _count(frame, "2024-10", "3578", "PMI") == 6036


def test_long_csv_with_segment_aliases_and_dotted_codes(tmp_path):
    path = write_csv(
        tmp_path / "long.csv",
        [
            LONG_HEADER,
            ["2024-11", "3503", "PU", "38595"],
            ["2024-11", "3503", "BPU", "14.468"],
            ["2024-11", "35.03", "Jasa Konstruksi", "17407"],
            ["2024-12", "3503", "JK", "100"],
            ["2025-01", "3503", "Jakon", "200"],
        ],
    )
    frame = read_bpjs_long(path).tables["participants"]
    PARTICIPANTS.validate(frame)
    assert _count(frame, "2024-11", "3503", "PU") == 38595
    assert _count(frame, "2024-11", "3503", "BPU") == 14468
    assert _count(frame, "2024-11", "3503", "JAKON") == 17407
    assert _count(frame, "2024-12", "3503", "JAKON") == 100
    assert _count(frame, "2025-01", "3503", "JAKON") == 200


def test_long_csv_semicolon_separated(tmp_path):
    path = write_csv(tmp_path / "long.csv", [LONG_HEADER, ["2024-11", "3574", "BPU", "11.023"]], sep=";")
    frame = read_bpjs_long(path).tables["participants"]
    assert _count(frame, "2024-11", "3574", "BPU") == 11023


def test_all_errors_of_a_long_csv_come_together(tmp_path):
    path = write_csv(
        tmp_path / "long.csv",
        [
            LONG_HEADER,
            ["2024-13", "3503", "PU", "1"],
            ["2024-11", "9999", "PU", "1"],
            ["2024-11", "3503", "Informal", "1"],
            ["2024-11", "3503", "BPU", "-5"],
            ["2024-11", "3503", "PMI", "banyak"],
        ],
    )
    with pytest.raises(InputError) as exc:
        read_bpjs_long(path)
    cells = [(p.row, p.column) for p in exc.value.problems]
    assert cells == [
        (2, "period"),
        (3, "region_code"),
        (4, "segment"),
        (5, "active_participants"),
        (6, "active_participants"),
    ]


def test_a_province_row_is_not_taken_for_a_kabkota(tmp_path):
    # a total row labelled with the province's name instead of "TOTAL" must not become
    # participants "of region 35" that later vanish from every kab/kota table
    def rows_with_province_total(period):
        rows = branch_rows(period)
        total = rows[-1]
        return rows[:-1] + [["", "", "JAWA TIMUR", *total[3:]]]

    path = write_branch_xlsx(tmp_path / "b.xlsx", months("2024-10", 1), rows_of=rows_with_province_total)
    with pytest.raises(InputError) as err:
        read_bpjs_branch(path)
    assert "a province row is a total" in str(err.value) and "JAWA TIMUR" in str(err.value)

    # the long template is where a province's own published figures go (issue 12: province totals load),
    # with a TOTAL when the segment split is not published
    long = write_csv(
        tmp_path / "long.csv", [LONG_HEADER, ["2023-12", "35", "PU", "3300717"], ["2023-12", "35", "TOTAL", "4336959"]]
    )
    p = read_bpjs_long(long).tables["participants"]
    assert p[["region_code", "segment", "participants"]].values.tolist() == [
        ["35", "PU", 3_300_717],
        ["35", "TOTAL", 4_336_959],
    ]
