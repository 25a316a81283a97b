"""Reconciliation on hand-made lists; expected figures worked out by hand in the comments.

Synthetic NIKs (all structurally valid; none is a real person's):
A 3513010101900001 Probolinggo   B 3513024202850002 Probolinggo (woman)
C 3508031503800003 Lumajang      D 3508035506920004 Lumajang (woman)
E 3578011010000005 Surabaya      F 3374010101900006 Semarang (outside the registry)
G 3513026512950008 Probolinggo (recipient only)
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from jamsos_lib.cli import main
from jamsos_lib.compute import reconcile as rc
from jamsos_lib.compute.quality import reconciliation_notes
from jamsos_lib.errors import JamsosError
from jamsos_lib.present.reconciliation import publish
from jamsos_lib.read.persons import read_person_list

A, B, C, D = "3513010101900001", "3513024202850002", "3508031503800003", "3508035506920004"
E, F, G = "3578011010000005", "3374010101900006", "3513026512950008"
KNOWN = [A, B, C, D, E, F, G, "3513010113900007"]

P1 = f"""NIK;Segmen;Kab/Kota;Status;Periode
{A};PU;KAB. PROBOLINGGO;Aktif;2025-06
{A};BPU;Kab Probolinggo;Aktif;2025-06
{B};BPU;Kota Surabaya;Aktif;2025-06
{C};PU;Kota Surabaya;Aktif;2025-06
{D};PU;Lumajang;Aktif;2025-06
{E};PU;Kota Surabaya;Aktif;2025-06
{F};PU;Kota Surabaya;Aktif;2025-06
3.513E+15;BPU;Kab Probolinggo;Aktif;2025-06
3513010113900007;PU;Kab Probolinggo;Aktif;2025-06
{C};BPU;Lumajang;Nonaktif;2025-06
"""
P2 = f"""No. KTP,Segmen Peserta,Lokasi Kerja,Status Peserta
{A},PU,3513,aktif
{D},BPU,Kabupaten Lumajang,aktif
{E},Jasa Konstruksi,Kabupaten Probolinggo,aktif
"""
R1 = f"""Nomor Induk Kependudukan,Program,Kab/Kota,Jumlah Bulan
{A},DBHCHT,Kab Probolinggo,6
{B},DBHCHT,Kab Probolinggo,12
{G},DBHCHT,Kab Probolinggo,12
{G},DBHCHT,Kab Probolinggo,12
3513010101900001.0,DBHCHT,Kab Probolinggo,12
{C},APBD,Kab Probolinggo,
"""
WORKERS = pd.DataFrame(
    {
        "region_code": ["3513", "3578", "3508"],
        "workers": [40, 20, 10],
        "participants": [5, 4, 2],
        "coverage_pct": [12.5, 20.0, 20.0],
    }
)


@pytest.fixture
def lists(tmp_path):
    for name, text in (("p1.csv", P1), ("p2.csv", P2), ("r1.csv", R1)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def result(lists):
    with rc.connect("1GB", 1) as con:
        p = [
            read_person_list(con, lists / "p1.csv", "participants", 0),
            read_person_list(con, lists / "p2.csv", "participants", 1),
        ]
        r = [read_person_list(con, lists / "r1.csv", "recipients", 2)]
        return rc.reconcile(con, p, r, period="2025-06", workers=WORKERS, rate_rp=16800)


def test_coverage_chain_by_hand(result):
    cov = result.coverage.set_index("region_code")
    # 3513: rows A,A,bad,bad (p1) + A, E-jakon (p2) = 6; invalid 2; persons registered A -> dup 6-2-1 = 3;
    #        in: B (registered Surabaya); corrected = 2 invalid + A,B = 4
    # 3578: rows B,C,E,F = 4, persons 4, dup 0; out: B,C,F = 3; corrected E = 1
    # 3508: rows D (p1), D (p2) = 2; dup 1; in: C; corrected C,D = 2
    expect = {"3513": (6, 2, 3, 1, 0, 4, 1), "3578": (4, 0, 0, 0, 3, 1, 1), "3508": (2, 0, 1, 1, 0, 2, 1)}
    cols = ["reported", "invalid_nik", "duplicates", "moved_in", "moved_out", "corrected", "registered_and_domiciled"]
    assert sorted(cov.index) == sorted(expect)
    for code, values in expect.items():
        assert tuple(int(cov.at[code, c]) for c in cols) == values, code
    assert cov.at["3513", "coverage_before_pct"] == pytest.approx(15.0)  # 6 / 40
    assert cov.at["3513", "coverage_after_pct"] == pytest.approx(10.0)  # 4 / 40
    assert cov.at["3508", "coverage_after_pct"] == pytest.approx(20.0)  # 2 / 10
    assert "minus 3 duplicate rows" in cov.at["3513", "explanation"]


def test_flows_and_duplicate_summary(result):
    flows = {(r.domicile_code, r.registration_code): r.persons for r in result.flows.itertuples()}
    assert flows == {
        ("3513", "3513"): 1,
        ("3513", "3578"): 1,
        ("3508", "3578"): 1,
        ("3508", "3508"): 1,
        ("3578", "3578"): 1,
        ("3374", "3578"): 1,
    }
    s = result.summary
    assert s["active_rows"] == 12 and s["rows_inactive"] == 1 and s["active_rows_invalid_nik"] == 2
    assert s["unique_persons"] == 6 and s["persons_outside_registry"] == 1
    assert s["duplicate_rows"] == 4  # A twice, D once, E once
    assert s["persons_in_several_segments"] == 3 and s["persons_in_several_files"] == 3
    assert s["duplicate_rows_within_a_file"] == 1  # A in PU and BPU of p1


def test_recipients_already_participants(result):
    ov = result.overlaps.set_index("programme")
    d = ov.loc["DBHCHT"]
    # rows 5; invalid 1 (float); G twice -> 1 duplicate; recipients A,B,G; A is PU, B is BPU
    assert (d.recipient_rows, d.invalid_nik, d.duplicate_rows, d.recipients) == (5, 1, 1, 3)
    assert (d.already_participant, d.already_pu, d.already_bpu, d.not_participant) == (2, 1, 1, 1)
    assert d.double_paid_rp == 6 * 16800 + 12 * 16800
    a = ov.loc["APBD"]  # C, no months -> default 12
    assert (a.recipients, a.already_pu, a.double_paid_rp) == (1, 1, 12 * 16800)
    assert result.summary["recipients_already_participants"] == 3


def test_invalid_rows_by_reason(result):
    inv = {(r.file, r.reason): r.rows for r in result.invalid.itertuples()}
    assert inv == {("p1.csv", "scientific_notation"): 1, ("p1.csv", "bad_month"): 1, ("r1.csv", "float_value"): 1}


def test_published_tables_suppress_small_counts(result):
    pub = publish(result)
    cov = pub["coverage"].set_index("region_code")
    assert cov.at["3513", "reported"] == "<10"
    assert cov.at["3513", "duplicates"] == "<10"
    assert pd.isna(cov.at["3513", "coverage_before_pct"])
    assert set(pub["flows"]["persons"]) == {"<10"}
    assert not any(
        re.search(r"\b[1-9]\b", str(v))
        for v in cov.drop(columns=["workers", "explanation"]).to_numpy().ravel()
        if isinstance(v, str)
    )


NIK_RUN = re.compile(rb"\d{16}")


def _leaks(blob: bytes) -> list[str]:
    found = [m.group().decode() for m in NIK_RUN.finditer(blob)]
    for nik in KNOWN:
        for k in range(8, 17):
            if nik[:k].encode() in blob:
                found.append(f"prefix of {k} digits")
                break
    return found


def test_leak_nothing_nik_like_in_any_output(lists, tmp_path, monkeypatch, capsys, caplog):
    monkeypatch.setenv("JAMSOS_PSEUDONYM_KEY", "k" * 40)
    out = tmp_path / "rec"
    caplog.set_level("DEBUG")
    code = main(
        [
            "-v",
            "reconcile",
            "--participants",
            str(lists / "p1.csv"),
            str(lists / "p2.csv"),
            "--recipients",
            str(lists / "r1.csv"),
            "--out",
            str(out),
            "--period",
            "2025-06",
            "--records",
            "--rate",
            "16800",
        ]
    )  # independent of any processed folder
    assert code == 0
    captured = capsys.readouterr()
    blobs = {"stdout": captured.out.encode(), "stderr": captured.err.encode(), "log": caplog.text.encode()}
    for path in out.rglob("*"):
        blobs[path.name] = path.read_bytes()
        if path.suffix == ".parquet":
            blobs[path.name + " as text"] = pd.read_parquet(path).to_csv().encode()
    assert {"coverage.parquet", "flows.csv", "overlaps.csv", "summary.json", "persons_pseudonymised.parquet"} <= set(
        blobs
    )
    leaks = {name: _leaks(blob) for name, blob in blobs.items() if _leaks(blob)}
    assert leaks == {}
    # the data-quality section of a region report uses only these published figures
    published = rc.load_published(out)
    assert published is not None
    notes = reconciliation_notes(published, "3513")
    assert len(notes) >= 2 and "tumpang tindih" in notes["message"].iloc[0]
    assert _leaks("\n".join(notes["message"]).encode()) == []
    summary = json.loads((out / "summary.json").read_text())
    assert summary["files"][0]["invalid_row_numbers"] == {"scientific_notation": [9], "bad_month": [10]}


def test_records_refused_without_key(lists, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("JAMSOS_PSEUDONYM_KEY", raising=False)
    code = main(["reconcile", "--participants", str(lists / "p1.csv"), "--out", str(tmp_path / "o"), "--records"])
    assert code == 2
    assert "without a secret key" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


RATES = pd.DataFrame(
    {
        "segment": ["BPU", "BPU"],
        "program": ["JKK", "JKM"],
        "kind": ["percent", "amount"],
        "value": [1.0, 6800.0],
        "min_rp": [10000.0, None],
        "max_rp": [207000.0, None],
        "legal_basis": ["PP 44/2015 (diubah PP 82/2019)", "PP 44/2015"],
        "valid_from": pd.to_datetime(["2015-07-01", "2015-07-01"]).astype("datetime64[ns]"),
        "valid_to": pd.to_datetime([None, None]).astype("datetime64[ns]"),
        "source_url": ["", ""],
    }
)


def test_rate_from_the_rates_table_for_the_period_and_named_in_the_summary(lists):
    # JKK 1% of Rp 1.000.000 = Rp 10.000 (its minimum) + JKM Rp 6.800 = Rp 16.800 (PP 44/2015)
    with rc.connect("1GB", 1) as con:
        p = [read_person_list(con, lists / "p1.csv", "participants", 0)]
        r = [read_person_list(con, lists / "r1.csv", "recipients", 1)]
        res = rc.reconcile(con, p, r, period="2025-06", rates=RATES)
    s = res.summary
    assert s["rate_rp_per_month"] == 16800 and s["rate_valid_from"] == "2015-07-01"
    assert s["rate_legal_basis"] == "PP 44/2015 (diubah PP 82/2019); PP 44/2015"
    assert "Rp 16.800" in s["rate_source"]


def test_user_rate_wins_and_no_rate_is_a_clear_error():
    assert rc.recipient_rate("2025-06", RATES, 20000).monthly_rp == 20000
    with pytest.raises(JamsosError, match="give --rate"):
        rc.recipient_rate("2025-06", None, None)
    with pytest.raises(JamsosError, match="--period"):
        rc.recipient_rate(None, RATES, None)
    later = RATES.assign(valid_from=pd.to_datetime(["2030-01-01", "2015-07-01"]).astype("datetime64[ns]"))
    with pytest.raises(JamsosError, match="no BPU JKK rate in force"):
        rc.recipient_rate("2025-06", later, None)


def test_command_without_rate_or_processed_data_stops_before_reading(lists, tmp_path, capsys):
    code = main(
        [
            "reconcile",
            "--participants",
            str(lists / "p1.csv"),
            "--recipients",
            str(lists / "r1.csv"),
            "--data",
            str(tmp_path / "nothing"),
            "--out",
            str(tmp_path / "o"),
        ]
    )
    assert code == 2
    assert "no monthly rate for the recipients" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_compute_does_not_import_present():
    """Architecture read -> validate -> compute -> present: compute modules never import present."""
    import ast
    from pathlib import Path

    import jamsos_lib.compute as compute

    offenders = []
    for path in Path(compute.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("jamsos_lib.present")]
    assert offenders == []
