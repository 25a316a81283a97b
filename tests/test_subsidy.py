"""Bantuan iuran cost: packages, scenarios and calibrations worked by hand from
../shared/reference/data/bantuan_iuran_programs.csv and bpjs_tk_contribution_rates.csv."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamsos_lib.compute import subsidy as sb
from jamsos_lib.errors import JamsosError
from factories import BPU_RATES, write_processed


@pytest.fixture(scope="module")
def rates(tmp_path_factory):
    later_jkm = {
        "segment": "BPU",
        "program": "JKM",
        "kind": "amount",
        "value": 7500.0,
        "legal_basis": "hypothetical PP 99/2030",
        "valid_from": "2030-01-01",
    }
    return write_processed(tmp_path_factory.mktemp("rates"), rates=BPU_RATES + [later_jkm]).rates


def test_minimum_bpu_package_is_16800(rates):
    c = sb.bpu_contribution(rates, "2025-06")
    assert c.monthly_rp == 16_800
    assert c.components == {"JKK": 10_000, "JKM": 6_800}
    assert "PP 44/2015" in c.legal_basis
    assert str(c.valid_from) == "2015-07-01"
    assert c.source_url


def test_package_with_jht_is_36800(rates):
    c = sb.bpu_contribution(rates, "2025-06", with_jht=True)
    assert c.monthly_rp == 36_800
    assert c.components == {"JKK": 10_000, "JKM": 6_800, "JHT": 20_000}
    assert "PP 46/2015" in c.legal_basis


def test_jkk_is_bounded_by_its_minimum_and_maximum(rates):
    assert sb.bpu_contribution(rates, "2025-06", income_rp=500_000).components["JKK"] == 10_000  # 1% = 5.000 < min
    assert sb.bpu_contribution(rates, "2025-06", income_rp=3_000_000).components["JKK"] == 30_000
    assert sb.bpu_contribution(rates, "2025-06", income_rp=50_000_000).components["JKK"] == 207_000  # max


def test_rates_are_chosen_by_effective_date(rates):
    c = sb.bpu_contribution(rates, "2030-02")
    assert c.components["JKM"] == 7_500 and c.monthly_rp == 17_500
    assert str(c.valid_from) == "2030-01-01" and "PP 99/2030" in c.legal_basis
    with pytest.raises(JamsosError, match="no BPU JKK rate in force"):
        sb.bpu_contribution(rates, "2010-01")


def test_cost_is_exact_integer_rupiah():
    # Penajam Paser Utara 2025: 15.000 × Rp 16.800 × 12 = Rp 3.024.000.000
    assert sb.cost(15_000, 12, 16_800) == 3_024_000_000
    assert isinstance(sb.cost(15_000, 12, 16_800), int)


def test_trenggalek_2025_calibration():
    # Rp 2.092.600.000 / (10.000 × 12) = Rp 17.438,33 per person-month, Rp 638,33 above Rp 16.800
    c = sb.calibrate(2_092_600_000, 10_000, 12, 16_800).iloc[0]
    assert c["per_person_month_rounded_rp"] == 17_438
    assert c["per_person_month_rp"] == pytest.approx(17_438.3333, abs=1e-3)
    assert c["difference_rp"] == pytest.approx(638.3333, abs=1e-3)
    assert c["official_cost_rp"] == 2_016_000_000  # 10.000 × 16.800 × 12
    assert c["budget_minus_official_rp"] == 76_600_000


def test_penajam_paser_utara_calibration(rates):
    # Rp 3.000.000.000 / (15.000 × 12) = Rp 16.666,67; the package costs Rp 3.024.000.000
    c = sb.calibrate(3_000_000_000, 15_000, 12, sb.bpu_contribution(rates, "2025-01")).iloc[0]
    assert c["official_cost_rp"] == 3_024_000_000
    assert c["per_person_month_rounded_rp"] == 16_667
    assert c["budget_minus_official_rp"] == -24_000_000
    assert c["legal_basis"].startswith("PP 44/2015")


def test_scenario_persons(rates):
    s = sb.scenario_persons(
        10_000, 12, sb.bpu_contribution(rates, "2025-01"), workers=200_000, participants=50_000
    ).iloc[0]
    assert s["cost_rp"] == 2_016_000_000
    assert s["coverage_before_pct"] == pytest.approx(25.0)
    assert s["coverage_after_pct"] == pytest.approx(30.0)
    assert s["valid_from"] == "2015-07-01"


def test_scenario_budget_never_exceeds_the_budget(rates):
    # Rp 1.000.000.000 / (16.800 × 12) = 4.960,3 -> 4.960 persons costing Rp 999.936.000
    s = sb.scenario_budget(
        1_000_000_000, 12, sb.bpu_contribution(rates, "2025-01"), workers=100_000, participants=20_000
    ).iloc[0]
    assert s["persons"] == 4_960
    assert s["cost_rp"] == 999_936_000 and s["unspent_rp"] == 64_000
    assert s["coverage_after_pct"] == pytest.approx(24.96)


def test_scenario_close_gap():
    gap_row = pd.Series(
        {
            "region_code": "3513",
            "gap_persons": 12_000,
            "participants": 21_000,
            "denominator": 100_000,
            "status": "at_risk",
        }
    )
    s = sb.scenario_close_gap(gap_row, sb.contribution_from_rate(16_800), months=12).iloc[0]
    assert s["persons"] == 12_000 and s["cost_rp"] == 2_419_200_000  # 12.000 × 16.800 × 12
    assert s["coverage_after_pct"] == pytest.approx(33.0)
    assert s["legal_basis"] == "tarif dari pengguna (--rate)"
    with pytest.raises(JamsosError, match="no gap to close"):
        sb.scenario_close_gap(
            {"region_code": "3501", "gap_persons": pd.NA, "status": "no_target"}, sb.contribution_from_rate(16_800)
        )


def test_scenario_multi_year(rates):
    plan = [
        {"year": 2029, "persons": 10_000, "months": 12},
        {"year": 2030, "persons": 12_000, "months": 12},
        {"year": 2031, "persons": 12_000, "months": 6, "rate_rp": 20_000},
    ]
    s = sb.scenario_multi_year(plan, rates)
    assert list(s["cost_rp"]) == [2_016_000_000, 2_520_000_000, 1_440_000_000]  # 16.800, then 17.500, then 20.000
    assert s["cumulative_cost_rp"].iloc[-1] == 5_976_000_000
    grown = sb.scenario_multi_year(
        {"start_year": 2025, "years": 3, "persons": 10_000, "months": 12, "growth_pct": 10}, rates
    )
    assert list(grown["persons"]) == [10_000, 11_000, 12_100]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: sb.scenario_budget(-1, 12, c),
        lambda c: sb.scenario_persons(-5, 12, c),
        lambda c: sb.scenario_persons(5, -12, c),
        lambda c: sb.cost(1, 1, -16_800),
        lambda c: sb.contribution_from_rate(-16_800),
        lambda c: sb.calibrate(-1, 10, 12, 16_800),
    ],
)
def test_negative_inputs_are_clear_errors(call):
    with pytest.raises(JamsosError, match="must not be negative"):
        call(sb.contribution_from_rate(16_800))


@settings(deadline=None)
@given(st.integers(0, 10**6), st.integers(0, 36), st.integers(1, 500_000), st.integers(1, 10))
def test_cost_is_linear_in_persons_and_months(persons, months, rate, k):
    assert sb.cost(k * persons, months, rate) == k * sb.cost(persons, months, rate)
    assert sb.cost(persons, k * months, rate) == k * sb.cost(persons, months, rate)
    assert sb.cost(persons + 1, months, rate) - sb.cost(persons, months, rate) == months * rate


@settings(deadline=None, max_examples=40)  # builds a validated DataFrame per example
@given(st.integers(0, 10**13), st.integers(1, 36), st.integers(1, 500_000))
def test_budget_scenario_never_exceeds_its_budget(budget, months, rate):
    s = sb.scenario_budget(budget, months, sb.contribution_from_rate(rate)).iloc[0]
    assert s["cost_rp"] <= budget
    assert budget - s["cost_rp"] < rate * months  # one more person would not fit


def test_trenggalek_programme_rate_is_its_own():
    # Rp 2.092.600.000 ÷ 10.000 ÷ 12 = Rp 17.438,33 -> Rp 17.438 (the official package is Rp 16.800)
    c = sb.programme_contribution(2_092_600_000, 10_000, 12, region_name="Kabupaten Trenggalek", year=2025)
    assert c.monthly_rp == 17_438 and c.kind == "programme"
    assert "Rp 2.092.600.000 ÷ 10.000 orang ÷ 12 bulan = Rp 17.438" in c.label
    with pytest.raises(JamsosError, match="at least 1 person"):
        sb.programme_contribution(1_000, 0, 12)


def test_close_gap_for_the_months_left_with_12_months_beside():
    # June 2025: 6 months left in 2025. 12.000 × 16.800 × 6 = 1.209.600.000; × 12 = 2.419.200.000
    gap_row = {
        "region_code": "3513",
        "gap_persons": 12_000,
        "participants": 21_000,
        "denominator": 100_000,
        "months_left": 6,
        "target_year": 2025,
    }
    s = sb.scenario_close_gap(gap_row, sb.contribution_from_rate(16_800), official=16_800)
    assert list(s["scenario"]) == ["close_gap", "close_gap_12m"]
    assert list(s["months"]) == [6, 12]
    assert list(s["cost_rp"]) == [1_209_600_000, 2_419_200_000]
    assert list(s["year"]) == [2025, 2025] and list(s["official_monthly_rp"]) == [16_800, 16_800]
    assert s["coverage_after_pct"].iloc[0] == pytest.approx(33.0)
    # December: no month left in the target year -> only the 12-month figure
    s = sb.scenario_close_gap({**gap_row, "months_left": 0}, sb.contribution_from_rate(16_800))
    assert list(s["scenario"]) == ["close_gap_12m"] and s["cost_rp"].iloc[0] == 2_419_200_000


def test_a_running_programme_is_not_counted_twice():
    # Trenggalek 2025 at its own rate: 2.092.600.000 // (17.438 × 12 = 209.256) = 10.000 persons
    # costing 2.092.560.000 (Rp 40.000 left); all 10.000 are already in the June count: 0 new,
    # coverage after = before = 50.000 / 200.000 = 25%
    own = sb.programme_contribution(2_092_600_000, 10_000, 12)
    s = sb.scenario_budget(
        2_092_600_000, 12, own, workers=200_000, participants=50_000, already_counted=10_000, official=16_800
    ).iloc[0]
    assert (s["persons"], s["new_persons"], s["already_counted"]) == (10_000, 0, 10_000)
    assert s["cost_rp"] == 2_092_560_000 and s["unspent_rp"] == 40_000
    assert s["coverage_after_pct"] == pytest.approx(25.0) == s["coverage_before_pct"]
    assert (s["monthly_rp"], s["official_monthly_rp"], s["rate_kind"]) == (17_438, 16_800, "programme")
    # read at the official Rp 16.800 the same budget would invent 10.379 persons (2.092.600.000 // 201.600)
    assert sb.scenario_budget(2_092_600_000, 12, sb.contribution_from_rate(16_800)).iloc[0]["persons"] == 10_379
