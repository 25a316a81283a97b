"""Coverage per kab/kota and province, with figures worked out by hand from
../shared/reference/data/coverage_figures.csv."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamsos_lib.compute import coverage as cov
from jamsos_lib.errors import JamsosError
from factories import monthly_rows, segment_rows, write_processed

TRENGGALEK, LUMAJANG, PROBOLINGGO = "3503", "3508", "3513"


def row(table, code):
    return table.set_index("region_code").loc[code]


def test_jawa_timur_2023_ucj_on_the_eligible_denominator(tmp_path):
    # UCJ 2023: 3.300.717 PU + 1.036.242 BPU = 4.336.959 over 14.531.668 eligible = 29,84%
    data = write_processed(
        tmp_path,
        workers=[{"region_code": "35", "year": 2023, "workers": 22_000_000}],
        eligibility=[{"region_code": "35", "year": 2023, "eligible_workers": 14_531_668}],
        participants=segment_rows("2023-12", TRENGGALEK, PU=3_300_717) + segment_rows("2023-12", LUMAJANG, BPU=1_036_242),
    )
    table = cov.coverage_table(data, "2023-12")
    prov = row(table, "35")
    assert prov["level"] == "province"
    assert prov["participants"] == 4_336_959
    assert prov["denominator"] == 14_531_668
    assert prov["workers"] == 22_000_000
    assert round(prov["coverage_pct"], 2) == 29.84
    assert "2 of 38" in prov["note"]
    # the BPS denominator of the same month: 4.336.959 / 22.000.000 = 19,71%
    bps = row(cov.coverage_table(data, "2023-12", denominator="bps"), "35")
    assert round(bps["coverage_pct"], 2) == 19.71
    assert bps["denominator_kind"] == "bps"


def test_trenggalek_november_2024_segments(tmp_path):
    # PU 38.595 + BPU 14.468 + JAKON 17.407 = 70.470 over the implied 270.622 = 26,04%
    data = write_processed(
        tmp_path,
        workers=[{"region_code": TRENGGALEK, "year": 2024, "workers": 400_000}],
        eligibility=[{"region_code": TRENGGALEK, "year": 2024, "eligible_workers": 270_622}],
        participants=segment_rows("2024-11", TRENGGALEK, PU=38_595, BPU=14_468, JAKON=17_407, PMI=900),
    )
    r = row(cov.coverage_table(data, "2024-11"), TRENGGALEK)
    assert (r["pu"], r["bpu"], r["jakon"], r["pmi"]) == (38_595, 14_468, 17_407, 900)
    assert r["participants"] == 70_470  # PMI is shown but not in the UCJ numerator
    assert round(r["coverage_pct"], 2) == 26.04
    # segments over the same denominator: 38.595 / 270.622 = 14,26%
    assert round(r["coverage_pu_pct"], 2) == 14.26
    assert r["segment_basis"] == cov.BASIS_SAME
    # all four segments on request: 71.370 / 270.622 = 26,37%
    everything = row(cov.coverage_table(data, "2024-11", segments=cov.SEGMENTS), TRENGGALEK)
    assert everything["participants"] == 71_370 and round(everything["coverage_pct"], 2) == 26.37
    assert r["workers_year"] == 2024
    assert "eligible_workers" in r["denominator_basis"]


def test_lumajang_march_2026_uses_the_latest_bps_year_before_the_period(tmp_path):
    # 89.266 / 555.154 = 16,08%; BPS 2025 is the latest year not after 2026-03
    data = write_processed(
        tmp_path,
        workers=[{"region_code": LUMAJANG, "year": 2024, "workers": 600_000},
                 {"region_code": LUMAJANG, "year": 2025, "workers": 555_154}],
        participants=segment_rows("2026-03", LUMAJANG, PU=60_000, BPU=29_266),
    )
    r = row(cov.coverage_table(data, "2026-03", denominator="bps"), LUMAJANG)
    assert r["workers_year"] == 2025
    assert r["participants"] == 89_266
    assert round(r["coverage_pct"], 2) == 16.08


def test_eligible_share_rules(tmp_path):
    data = write_processed(
        tmp_path,
        workers=[{"region_code": "35", "year": 2023, "workers": 20_000_000},
                 {"region_code": TRENGGALEK, "year": 2024, "workers": 400_000},
                 {"region_code": LUMAJANG, "year": 2024, "workers": 500_000}],
        eligibility=[{"region_code": "35", "year": 2023, "eligible_workers": 13_000_000},  # share 0,65
                     {"region_code": TRENGGALEK, "year": 2024, "eligible_share": 0.7}],
        participants=segment_rows("2024-06", TRENGGALEK, PU=1000) + segment_rows("2024-06", LUMAJANG, PU=1000),
    )
    wf = cov.workers_for(data, "2024-06").set_index("region_code")
    assert wf.loc[TRENGGALEK, "denominator"] == 280_000  # 0,7 × 400.000
    assert wf.loc[LUMAJANG, "denominator"] == 325_000  # province share 2023: 13/20 × 500.000
    assert "province 35" in wf.loc[LUMAJANG, "denominator_basis"]
    assert "2023" in wf.loc[LUMAJANG, "denominator_basis"]


def test_no_eligibility_at_all_gives_na_with_a_note(tmp_path):
    data = write_processed(
        tmp_path,
        workers=[{"region_code": TRENGGALEK, "year": 2024, "workers": 400_000}],
        participants=segment_rows("2024-06", TRENGGALEK, PU=1000),
    )
    r = row(cov.coverage_table(data, "2024-06"), TRENGGALEK)
    assert pd.isna(r["coverage_pct"]) and pd.isna(r["denominator"])
    assert "no eligibility share" in r["note"]


def test_period_before_first_bps_year_is_a_clear_error(tmp_path):
    data = write_processed(
        tmp_path,
        workers=[{"region_code": TRENGGALEK, "year": 2021, "workers": 400_000}],
        participants=segment_rows("2020-12", TRENGGALEK, PU=1000),
    )
    with pytest.raises(JamsosError, match="before the first BPS Sakernas year.*2021"):
        cov.coverage_table(data, "2020-12", denominator="bps")
    with pytest.raises(JamsosError, match="before the first BPS"):
        cov.workers_for(data, "2020-12", denominator="bps")


def test_zero_workers_gives_na_with_a_note(tmp_path):
    data = write_processed(
        tmp_path,
        workers=[{"region_code": TRENGGALEK, "year": 2024, "workers": 0}],
        participants=segment_rows("2024-06", TRENGGALEK, PU=10),
    )
    r = row(cov.coverage_table(data, "2024-06", denominator="bps"), TRENGGALEK)
    assert pd.isna(r["coverage_pct"])
    assert "zero workers" in r["note"]
    assert math.isnan(cov.coverage_pct(10, 0))


def test_changes_rank_and_status(tmp_path):
    workers = [{"region_code": c, "year": 2023, "workers": 100_000} for c in (TRENGGALEK, LUMAJANG, PROBOLINGGO)]
    parts = (monthly_rows(TRENGGALEK, "2023-06", [10_000] + [0] * 10 + [11_000, 12_000])  # 2023-06 .. 2024-06
             + segment_rows("2024-06", LUMAJANG, PU=30_000, status="illustrative")
             + segment_rows("2024-06", PROBOLINGGO, PU=21_000))
    parts = [p for p in parts if p["participants"] > 0]
    data = write_processed(tmp_path, workers=workers, participants=parts)
    t = cov.coverage_table(data, "2024-06", denominator="bps")
    tr = row(t, TRENGGALEK)
    assert tr["coverage_pct"] == pytest.approx(12.0)
    assert tr["change_mom_pp"] == pytest.approx(1.0)   # 12% - 11%
    assert tr["change_yoy_pp"] == pytest.approx(2.0)   # 12% - 10%
    assert pd.isna(row(t, LUMAJANG)["change_mom_pp"])  # no May 2024 data
    assert row(t, LUMAJANG)["rank"] == 1 and row(t, PROBOLINGGO)["rank"] == 2 and tr["rank"] == 3
    assert pd.isna(row(t, "35")["rank"])
    assert row(t, LUMAJANG)["status"] == "illustrative"
    assert tr["status"] == "published"
    assert row(t, "35")["status"] == "illustrative"  # sums an illustrative kab/kota


def test_table_lists_every_kabkota_and_the_province(tmp_path):
    data = write_processed(
        tmp_path,
        workers=[{"region_code": TRENGGALEK, "year": 2024, "workers": 1000}],
        participants=segment_rows("2024-06", TRENGGALEK, PU=10),
    )
    t = cov.coverage_table(data)  # latest period by default
    assert (t["period"] == "2024-06").all()
    assert (t["level"] == "kabkota").sum() == 38
    assert list(t["level"]).count("province") == 1
    assert t["region_code"].iloc[-1] == "35"
    missing = row(t, LUMAJANG)
    assert "no participant data" in missing["note"] and pd.isna(missing["coverage_pct"])


def test_formal_informal_are_the_pu_bpu_universe(tmp_path):
    data = write_processed(
        tmp_path,
        workers=[{"region_code": TRENGGALEK, "year": 2024, "workers": 100_000, "formal": 40_000, "informal": 60_000}],
        participants=segment_rows("2024-06", TRENGGALEK, PU=10_000, BPU=6_000),
    )
    r = row(cov.coverage_table(data, "2024-06", denominator="bps"), TRENGGALEK)
    assert r["coverage_pu_pct"] == pytest.approx(25.0)   # 10.000 / 40.000
    assert r["coverage_bpu_pct"] == pytest.approx(10.0)  # 6.000 / 60.000
    assert r["coverage_pct"] == pytest.approx(16.0)      # 16.000 / 100.000
    assert r["segment_basis"] == cov.BASIS_FORMAL


def test_series_is_one_row_per_month_oldest_first(tmp_path):
    data = write_processed(
        tmp_path,
        workers=[{"region_code": TRENGGALEK, "year": 2024, "workers": 100_000}],
        participants=monthly_rows(TRENGGALEK, "2023-11", [1000 + 100 * i for i in range(30)]),
    )
    s = cov.coverage_series(data, TRENGGALEK, "2026-04", months=24, denominator="bps")
    assert list(s["period"]) == [str(p) for p in pd.period_range("2024-05", "2026-04", freq="M")]
    assert s["coverage_pct"].iloc[-1] == pytest.approx(3900 / 100_000 * 100)
    # months before the first BPS year stay, with NA coverage and a note
    early = cov.coverage_series(data, TRENGGALEK, "2024-02", months=6, denominator="bps")
    assert list(early["period"]) == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert early["coverage_pct"].isna().tolist() == [True, True, False, False]
    assert "no BPS workers figure for 2023" in early["note"].iloc[0]
    prov = cov.coverage_series(data, "35", "2026-04", months=3, denominator="bps")
    assert (prov["level"] == "province").all() and prov["participants"].iloc[-1] == 3900


def test_bad_denominator_and_negative_counts():
    with pytest.raises(ValueError, match="denominator"):
        cov._check_denominator("all")
    with pytest.raises(ValueError):
        cov.coverage_pct(-1, 100)


@settings(deadline=None)
@given(st.integers(0, 10**8), st.integers(0, 10**7), st.integers(1, 10**8))
def test_coverage_rises_with_participants(participants, extra, workers):
    assert cov.coverage_pct(participants + extra, workers) >= cov.coverage_pct(participants, workers)
    if extra:
        assert cov.coverage_pct(participants + extra, workers) > cov.coverage_pct(participants, workers)


@settings(deadline=None)
@given(st.integers(0, 10**8), st.integers(1, 10**8))
def test_coverage_is_the_plain_ratio(participants, workers):
    assert cov.coverage_pct(participants, workers) == pytest.approx(participants / workers * 100)
