"""``jamsos coverage``, ``gap`` and ``subsidy`` on a hand-made processed folder."""

import io
import json

import pandas as pd
import pytest

from jamsos_lib import cli
from jamsos_lib.compute.coverage import COVERAGE_TABLE_SCHEMA
from jamsos_lib.compute.subsidy import SCENARIO_SCHEMA
from jamsos_lib.compute.targets import GAP_TABLE_SCHEMA
from factories import BPU_RATES, monthly_rows, segment_rows, write_processed

TRENGGALEK, PROBOLINGGO = "3503", "3513"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("processed")
    parts = (
        segment_rows("2024-10", TRENGGALEK, PU=38_000, BPU=14_000, JAKON=17_000)
        + segment_rows("2024-11", TRENGGALEK, PU=38_595, BPU=14_468, JAKON=17_407)
        + monthly_rows(PROBOLINGGO, "2024-09", [18_000, 19_000, 20_000])
    )
    write_processed(
        folder,
        workers=[
            {"region_code": TRENGGALEK, "year": 2024, "workers": 400_000},
            {"region_code": PROBOLINGGO, "year": 2024, "workers": 100_000, "status": "illustrative"},
            {"region_code": "35", "year": 2024, "workers": 23_360_000},
        ],
        eligibility=[
            {"region_code": TRENGGALEK, "year": 2024, "eligible_workers": 270_622},
            {"region_code": PROBOLINGGO, "year": 2024, "eligible_share": 1.0},
            {"region_code": "35", "year": 2024, "eligible_share": 0.65},
        ],
        targets=[
            {
                "scope": "national",
                "region_code": "00",
                "year": 2024,
                "target_pct": 30.0,
                "series": "RPJMN",
                "document": "RPJMN 2020-2024",
            }
        ],
        rates=BPU_RATES,
        participants=parts,
    )
    return str(folder)


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_coverage_csv_lists_every_kabkota_and_the_province(folder, capsys):
    code, out, _ = run(capsys, "coverage", "--data", folder, "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(out), dtype={"region_code": str})
    assert list(frame.columns) == list(COVERAGE_TABLE_SCHEMA.columns)
    assert len(frame) == 39 and (frame["level"] == "kabkota").sum() == 38
    assert frame["region_code"].iloc[-1] == "35"
    assert (frame["period"] == "2024-11").all()  # the latest month by default
    tr = frame.set_index("region_code").loc[TRENGGALEK]
    assert tr["participants"] == 70470 and tr["denominator"] == 270622  # raw numbers, no separators
    assert round(tr["coverage_pct"], 2) == 26.04


def test_coverage_table_view_is_indonesian(folder, capsys):
    code, out, _ = run(capsys, "coverage", "--data", folder, "--period", "2024-11")
    assert code == 0
    assert "November 2024" in out
    line = next(x for x in out.splitlines() if x.startswith(TRENGGALEK))
    assert "70.470" in line and "270.622" in line and "26,04%" in line
    assert "ILUSTRATIF" in out  # Kab. Probolinggo's workers are illustrative


def test_coverage_json_and_bps_denominator(folder, capsys):
    code, out, _ = run(capsys, "coverage", "--data", folder, "--format", "json", "--denominator", "bps")
    records = {r["region_code"]: r for r in json.loads(out)}
    assert records[TRENGGALEK]["denominator"] == 400_000
    assert records[TRENGGALEK]["denominator_kind"] == "bps"
    assert records["3501"]["coverage_pct"] is None


def test_gap_csv_and_table(folder, capsys):
    code, out, _ = run(capsys, "gap", "--data", folder, "--format", "csv")
    frame = pd.read_csv(io.StringIO(out), dtype={"region_code": str, "projected_reach_period": str})
    assert list(frame.columns) == list(GAP_TABLE_SCHEMA.columns)
    pr = frame.set_index("region_code").loc[PROBOLINGGO]
    # 20.000 of 100.000 = 20% vs 30% for 2024: 10.000 short, 1 month left, trend +1.000/month
    assert pr["gap_persons"] == 10_000 and pr["months_left"] == 1 and pr["status"] == "off_track"
    code, out, _ = run(capsys, "gap", "--data", folder)
    line = next(x for x in out.splitlines() if x.startswith(PROBOLINGGO))
    assert "20,00%" in line and "30,00%" in line and "10.000" in line and "Tertinggal" in line


def test_subsidy_persons_budget_and_close_gap(folder, capsys):
    code, out, _ = run(
        capsys,
        "subsidy",
        "--data",
        folder,
        "--region",
        "3513",
        "--persons",
        "10000",
        "--months",
        "12",
        "--format",
        "csv",
    )
    row = pd.read_csv(io.StringIO(out)).iloc[0]
    assert set(SCENARIO_SCHEMA.columns) <= set(row.index)
    assert row["cost_rp"] == 2_016_000_000 and row["monthly_rp"] == 16_800
    code, out, _ = run(
        capsys,
        "subsidy",
        "--data",
        folder,
        "--region",
        "Kab. Probolinggo",
        "--budget",
        "2.092.600.000",
        "--format",
        "json",
    )
    rec = json.loads(out)[0]
    assert rec["persons"] == 10_379 and rec["cost_rp"] <= 2_092_600_000  # floor(2.092.600.000 / 201.600)
    code, out, _ = run(capsys, "subsidy", "--data", folder, "--region", "3513", "--close-gap", "--with-jht")
    assert code == 0
    assert "10.000" in out and "Rp 36.800" in out and "Rp 4.416.000.000" in out  # 10.000 × 36.800 × 12
    assert "PP 44/2015" in out


def test_subsidy_close_gap_csv_names_the_target_and_costs_the_months_left(folder, capsys):
    code, out, _ = run(capsys, "subsidy", "--data", folder, "--region", PROBOLINGGO, "--close-gap", "--format", "csv")
    frame = pd.read_csv(io.StringIO(out))
    # November 2024: 1 month left in 2024, 12 months beside it; 10.000 × 16.800 × 1 and × 12
    assert list(frame["scenario"]) == ["close_gap", "close_gap_12m"] and list(frame["months"]) == [1, 12]
    assert list(frame["cost_rp"]) == [168_000_000, 2_016_000_000]
    assert (frame["target_year"] == 2024).all() and (frame["target_basis"] == "ucj").all()
    assert (frame["target_source_url"] == "https://example.org/target").all()
    assert (frame["target_document"] == "RPJMN 2020-2024").all()


def test_subsidy_with_user_rate_to_a_file(folder, capsys, tmp_path):
    target = tmp_path / "out.csv"
    code, out, _ = run(
        capsys,
        "subsidy",
        "--data",
        folder,
        "--region",
        TRENGGALEK,
        "--persons",
        "10000",
        "--rate",
        "17438",
        "--format",
        "csv",
        "--output",
        str(target),
    )
    assert code == 0 and out == ""
    row = pd.read_csv(target).iloc[0]
    assert row["cost_rp"] == 2_092_560_000 and row["legal_basis"] == "tarif dari pengguna (--rate)"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["subsidy", "--region", "3513", "--budget", "-5"], "must not be negative"),
        (["subsidy", "--region", "Probolinggo", "--persons", "5"], "ambiguous"),
        (["coverage", "--period", "2019-01"], "not in the processed data"),
    ],
)
def test_bad_requests_are_one_clear_line(folder, capsys, argv, message):
    code, out, err = run(capsys, *argv, "--data", folder)
    assert code == 2 and message in err and "Traceback" not in err


def test_subsidy_close_gap_without_target(tmp_path, capsys):
    folder = tmp_path / "p"
    write_processed(
        folder,
        workers=[{"region_code": PROBOLINGGO, "year": 2024, "workers": 1000}],
        participants=segment_rows("2024-11", PROBOLINGGO, PU=10),
        rates=BPU_RATES,
    )
    code, _, err = run(
        capsys, "subsidy", "--data", str(folder), "--region", PROBOLINGGO, "--close-gap", "--denominator", "bps"
    )
    assert code == 2 and "no gap to close" in err


#: code words that must not reach a table view (status, series and basis codes, the trend
#: method as the library writes it) and Indonesian words that must not reach an English one
CODE_WORDS = ("illustrative", "published", "PROVINCE", "excluding_asn_tni_polri", "bps_employed", "slope", "eligible")
INDONESIAN_WORDS = ("Tertinggal", "Tercapai", "penghasilan", "orang", "Penyebut", "estimasi", "resmi", "miliar")


@pytest.mark.parametrize("argv", [("coverage",), ("gap",), ("subsidy", "--region", PROBOLINGGO, "--close-gap")])
def test_table_views_follow_lang(folder, capsys, argv):
    # (the per-row notes the library writes, "Catatan: …", are its own English text: not checked here)
    indonesian = "\n".join(
        line for line in run(capsys, *argv, "--data", folder)[1].splitlines() if not line.startswith("Catatan: ")
    )
    english = run(capsys, *argv, "--data", folder, "--lang", "en")[1]
    assert [w for w in CODE_WORDS if w in indonesian] == []
    assert [w for w in INDONESIAN_WORDS if w in english] == []
    assert [w for w in ("PROVINCE", "excluding_asn_tni_polri", "bps_employed") if w in english] == []
