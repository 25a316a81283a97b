"""A corpus of broken raw files: each must be rejected by ``jamsos clean`` with its own
specific message naming file/row/column, and the previous processed folder must be left
exactly as it was (same files, same bytes, same mtimes).

Every case starts from a good raw folder in the real layouts (``layouts.make_raw``), breaks
one file (re-signing its sidecar's sha256 unless the case is about the sha256) and runs clean.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from jamsos_lib.atomic import sha256_file
from jamsos_lib.clean import clean
from jamsos_lib.cli import main
from jamsos_lib.errors import InputError
from jamsos_lib.store import load
from layouts import (
    LONG_HEADER,
    bps_rows,
    edit_xlsx,
    months,
    row_of,
    with_value,
    write_bps_xlsx,
    write_branch_xlsx,
    write_csv,
    write_sidecar,
)

BPS = "bps/penduduk_bekerja.xlsx"
BRANCH = "bpjs/peserta_aktif.xlsx"
LONG = "bpjs/peserta_published.csv"
FIRST_DATA_ROW = 7  # see layouts.write_bps_xlsx


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """A good raw folder and the processed folder a successful clean wrote from it."""
    from layouts import make_raw

    root = tmp_path_factory.mktemp("good")
    raw = make_raw(root)
    out = root / "processed"
    out.mkdir()
    (out / "README.md").write_text("kept\n", encoding="utf-8")
    clean(raw, out)
    return raw, out


@pytest.fixture
def work(good, tmp_path):
    raw, out = good
    shutil.copytree(raw, tmp_path / "raw")
    shutil.copytree(out, tmp_path / "processed", copy_function=shutil.copy2)
    return tmp_path / "raw", tmp_path / "processed"


def snapshot(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def resign(path: Path) -> None:
    side = path.with_name(path.name + ".meta.yml")
    meta = yaml.safe_load(side.read_text(encoding="utf-8"))
    meta["sha256"] = sha256_file(path)
    side.write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")


def bps_with(raw: Path, change) -> None:
    rows = bps_rows()
    rows = change(rows) or rows
    write_bps_xlsx(raw / BPS, rows)
    resign(raw / BPS)


def relabel(old: str, new: str):
    return lambda rows: [(new if label == old else label, values) for label, values in rows]


def set_value(label: str, year_index: int, value):
    return lambda rows: with_value(rows, label, year_index, value)


def bps_row(label: str) -> int:
    return FIRST_DATA_ROW + [lab for lab, _ in bps_rows()].index(label)


def branch_edit(raw: Path, sheet: str, label: str, col: int, value) -> int:
    path = raw / BRANCH
    row = row_of(path, sheet, label)
    edit_xlsx(path, sheet, {(row, col): value})
    resign(path)
    return row


# ---- the corpus: (id, break(raw) -> expected (file, row, column, [texts])) -------------------------------


def missing_region(raw):
    bps_with(raw, lambda rows: [r for r in rows if r[0] != "05 Blitar"])
    return BPS, None, None, ["worker count for Kabupaten Blitar (3505) for 2021", "missing"]


def unknown_region_with_suggestion(raw):
    bps_with(raw, relabel("02 Ponorogo", "Ponorogoo"))
    return (
        BPS,
        bps_row("02 Ponorogo"),
        "Kabupaten/Kota",
        ["Ponorogoo", "not a region in the registry", "closest: Kabupaten Ponorogo (3502)"],
    )


def ambiguous_bare_name(raw):
    row = branch_edit(raw, "Nov 2024", "KAB. MALANG", 3, "MALANG")
    return (
        BRANCH,
        row,
        "Kabupaten/Kota",
        ["sheet 'Nov 2024'", "ambiguous", "Kabupaten Malang (3507)", "Kota Malang (3573)"],
    )


def code_and_name_disagree(raw):
    bps_with(raw, relabel("13 Probolinggo", "13 Pasuruan"))
    return BPS, bps_row("13 Probolinggo"), "Kabupaten/Kota", ["code 13 (Kabupaten Probolinggo)", "disagree"]


def negative_count(raw):
    bps_with(raw, set_value("09 Jember", 2, -1000))
    return BPS, bps_row("09 Jember"), "2023", ["value -1000", "not negative"]


def text_in_number_cell(raw):
    bps_with(raw, set_value("10 Banyuwangi", 1, "sekitar 900 ribu"))
    return BPS, bps_row("10 Banyuwangi"), "2022", ["sekitar 900 ribu", "a number such as 5.089.783"]


def duplicate_region(raw):
    bps_with(raw, relabel("14 Pasuruan", "03 Trenggalek"))
    return BPS, bps_row("14 Pasuruan"), "Kabupaten/Kota", ["each region once", f"row {bps_row('03 Trenggalek')}"]


def province_total_mismatch(raw):
    total = bps_rows()[-1][1][3]
    bps_with(raw, set_value("Jawa Timur", 3, total + total // 50))  # 2% too high
    return BPS, bps_row("Jawa Timur"), "2024", ["sum of its 38 kab/kota", "within 0,5%", "differs by 2,0%"]


def total_not_sum_of_segments(raw):
    row = branch_edit(raw, "Des 2024", "KAB. TRENGGALEK", 8, 1)
    return BRANCH, row, "Total", ["sheet 'Des 2024'", "Total = PU + BPU + Jasa Konstruksi + PMI = "]


def subtotal_not_sum(raw):
    row = branch_edit(raw, "Okt 2024", "Sub Total Cabang Pacitan", 4, 5)
    return BRANCH, row, "PU", ["sheet 'Okt 2024'", "the sum of the rows of CABANG PACITAN above"]


def month_gap(raw):
    """Some months only (issue 12: partial inputs load; a page for a month without data says so)."""
    path = write_branch_xlsx(raw / BRANCH, ["2024-10", "2024-11", "2025-01"])
    resign(path)


def title_month_differs_from_sheet(raw):
    path = write_branch_xlsx(raw / BRANCH, months("2024-10", 3), title_period=lambda p: "Posisi: 31 Oktober 2024")
    resign(path)
    return BRANCH, 3, None, ["sheet 'Nov 2024'", "match the sheet name (2024-11)"]


def wrong_header(raw):
    from layouts import BRANCH_HEADER

    header = [h if h != "PMI" else "Migran" for h in BRANCH_HEADER]
    path = write_branch_xlsx(raw / BRANCH, months("2024-10", 3), header=header)
    resign(path)
    return BRANCH, 5, None, ["sheet 'Okt 2024'", "missing: PMI"]


def empty_file(raw):
    (raw / LONG).write_bytes(b"")
    resign(raw / LONG)
    return LONG, None, None, ["it is empty"]


def wrong_encoding(raw):
    (raw / LONG).write_bytes("period,region_code,segment,active_participants\n2024-11,3503,PU,38595\n".encode("utf-16"))
    resign(raw / LONG)
    return LONG, None, None, ["UTF-8 or cp1252", "UTF-16"]


def sha256_mismatch(raw):
    write_csv(raw / LONG, [LONG_HEADER, ["2024-11", "3503", "PU", "99999"]])  # changed, sidecar not updated
    return LONG, None, None, ["sha256", "raw file was changed"]


def missing_sidecar_key(raw):
    side = raw / (LONG + ".meta.yml")
    meta = yaml.safe_load(side.read_text(encoding="utf-8"))
    del meta["publisher"]
    side.write_text(yaml.safe_dump(meta), encoding="utf-8")
    return LONG + ".meta.yml", None, "publisher", ["required key 'publisher'"]


def mixed_without_published_list(raw):
    side = raw / (BPS + ".meta.yml")
    meta = yaml.safe_load(side.read_text(encoding="utf-8"))
    del meta["published"]
    side.write_text(yaml.safe_dump(meta), encoding="utf-8")
    return BPS + ".meta.yml", None, "published", ["status: mixed", "'published' list"]


def bad_period_in_long_csv(raw):
    write_csv(raw / LONG, [LONG_HEADER, ["2024-11", "3503", "PU", "38595"], ["11/2024", "3503", "BPU", "14468"]])
    resign(raw / LONG)
    return LONG, 3, "period", ["11/2024", "a period YYYY-MM"]


def unknown_segment(raw):
    write_csv(raw / LONG, [LONG_HEADER, ["2024-11", "3503", "Informal", "14468"]])
    resign(raw / LONG)
    return LONG, 2, "segment", ["Informal", "PU, BPU, JAKON (Jasa Konstruksi), PMI or TOTAL"]


def two_published_rows_for_one_key(raw):
    second = write_csv(raw / "bpjs" / "peserta_published_2.csv", [LONG_HEADER, ["2024-11", "3503", "PU", "38600"]])
    write_sidecar(second, "bpjs_long", status="published")
    return (
        LONG,
        None,
        None,
        [
            "one published row per key",
            "period=2024-11, region_code=3503, segment=PU",
            "in 2 files",
            "peserta_published_2.csv",
        ],
    )


CASES = [
    missing_region,
    unknown_region_with_suggestion,
    ambiguous_bare_name,
    code_and_name_disagree,
    negative_count,
    text_in_number_cell,
    duplicate_region,
    province_total_mismatch,
    total_not_sum_of_segments,
    subtotal_not_sum,
    title_month_differs_from_sheet,
    wrong_header,
    empty_file,
    wrong_encoding,
    sha256_mismatch,
    missing_sidecar_key,
    mixed_without_published_list,
    bad_period_in_long_csv,
    unknown_segment,
    two_published_rows_for_one_key,
]


def test_some_months_with_a_gap_load(work):
    raw, out = work
    month_gap(raw)
    clean(raw, out)
    assert sorted(load(out).participants["period"].unique()) == ["2024-10", "2024-11", "2025-01"]


def test_corpus_is_large_enough():
    assert len({c.__name__ for c in CASES}) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_broken_file_is_rejected_with_its_message_and_nothing_changes(work, case):
    raw, out = work
    before = snapshot(out)
    file, row, column, texts = case(raw)
    with pytest.raises(InputError) as exc:
        clean(raw, out)
    matching = [
        p
        for p in exc.value.errors
        if p.file == file
        and (row is None or p.row == row)
        and (column is None or p.column == column)
        and all(t in str(p) for t in texts)
    ]
    assert matching, "\n".join(str(p) for p in exc.value.problems)
    assert snapshot(out) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".processed")]  # no temp folder left


def test_all_errors_of_a_file_come_together(work):
    raw, out = work
    bps_with(
        raw,
        lambda rows: set_value("09 Jember", 0, "x")(
            set_value("10 Banyuwangi", 1, -1)(relabel("02 Ponorogo", "Ponorogoo")(rows))
        ),
    )
    with pytest.raises(InputError) as exc:
        clean(raw, out)
    cells = sorted((p.row, p.column) for p in exc.value.errors if p.file == BPS)
    assert cells == [
        (bps_row("02 Ponorogo"), "Kabupaten/Kota"),
        (bps_row("09 Jember"), "2021"),
        (bps_row("10 Banyuwangi"), "2022"),
    ]


def test_errors_of_all_files_come_together(work):
    raw, out = work
    unknown_segment(raw)
    negative_count(raw)
    with pytest.raises(InputError) as exc:
        clean(raw, out)
    assert {p.file for p in exc.value.errors} == {BPS, LONG}


def test_cli_exits_2_without_a_traceback(work, capsys):
    raw, out = work
    before = snapshot(out)
    unknown_region_with_suggestion(raw)
    status = main(["clean", "--raw", str(raw), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    assert "Traceback" not in err
    assert (
        f"error: penduduk_bekerja.xlsx, sheet 'Tabel', row {bps_row('02 Ponorogo')}, column 'Kabupaten/Kota': "
        "value Ponorogoo: expected a kab/kota of Provinsi Jawa Timur (not a region in the registry; closest: "
        "Kabupaten Ponorogo (3502)" in err
    )
    assert "nothing was written" in err
    assert snapshot(out) == before


def test_a_damaged_processed_table_is_one_clear_error_not_a_crash(tmp_path, capsys):
    import report_fixture

    from jamsos_lib import cli

    folder = report_fixture.build(tmp_path / "processed")
    (folder / "participants.parquet").write_bytes(b"x")
    out = tmp_path / "reports"
    assert cli.main(["monthly", "--data", str(folder), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "participants.parquet is not a readable Parquet table" in err and "jamsos clean" in err
    assert not list(out.rglob("*.html"))
