"""The scenario and calibration tables a region page shows, against the figures worked by hand
from the report test data (tests/report_fixture.py)."""

from __future__ import annotations

import pytest

from jamsos_lib.compute import targets
from jamsos_lib.compute.subsidy import CALIBRATION_SCHEMA, SCENARIO_SCHEMA
from jamsos_lib.reports import pages
from jamsos_lib.reports.params import region_context


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    import report_fixture

    from jamsos_lib import store

    return store.load(report_fixture.build(tmp_path_factory.mktemp("pages") / "processed"))


def test_trenggalek_scenarios_price_its_programme_at_its_own_rate_without_double_counting(data):
    ctx = region_context("3503", "2025-06", data=data)
    gap = targets.gap_table(data, ctx.period, province="35")
    table = SCENARIO_SCHEMA.validate(pages.region_scenarios(ctx, gap))  # the contract holds
    # fixture rates: JKK 10.000 + JKM 6.800 = Rp 16.800 a month
    assert pages.official_package(ctx).monthly_rp == 16_800
    budget = table[table["scenario"] == "budget"].iloc[0]
    # its own rate: 2.092.600.000 / 10.000 / 12 = 17.438,33 -> Rp 17.438; 2.092.600.000 // 209.256
    # = 10.000 persons (not the 10.379 of the official Rp 16.800), all already in the June 2025
    # count: 0 new participants, coverage unchanged
    assert (int(budget["monthly_rp"]), budget["rate_kind"], int(budget["official_monthly_rp"])) == (
        17_438,
        "programme",
        16_800,
    )
    assert (int(budget["persons"]), int(budget["new_persons"]), int(budget["already_counted"])) == (10_000, 0, 10_000)
    assert int(budget["cost_rp"]) == 10_000 * 17_438 * 12
    assert budget["coverage_after_pct"] == budget["coverage_before_pct"]
    # Trenggalek is above its 30%: nothing to close
    assert not table["scenario"].isin(["close_gap", "close_gap_12m"]).any()


def test_closing_the_gap_is_costed_for_the_months_left_and_12_beside(data):
    ctx = region_context("3513", "2025-06", data=data)
    gap = targets.gap_table(data, ctx.period, province="35")
    row = gap.set_index("region_code").loc["3513"]
    assert row["target_pct"] == 40.0 and row["months_left"] == 6
    close = pages.region_scenarios(ctx, gap).set_index("scenario")
    persons = int(row["gap_persons"])
    assert (int(close.loc["close_gap", "months"]), int(close.loc["close_gap_12m", "months"])) == (6, 12)
    assert int(close.loc["close_gap", "cost_rp"]) == persons * 16_800 * 6
    assert int(close.loc["close_gap_12m", "cost_rp"]) == persons * 16_800 * 12


def test_calibration_against_the_official_package(data):
    ctx = region_context("3503", "2025-06", data=data)
    table = pages.region_calibrations(ctx)
    assert list(table.columns) == pages.CALIBRATION_COLUMNS
    CALIBRATION_SCHEMA.validate(table[list(CALIBRATION_SCHEMA.columns)])
    row = table.iloc[0]
    # 2.092.600.000 / (10.000 x 12) = 17.438,33 -> Rp 17.438; Rp 638,33 above Rp 16.800
    assert int(row["per_person_month_rounded_rp"]) == 17_438
    assert row["difference_rp"] == pytest.approx(638.333, abs=0.001)


def test_a_programme_without_budget_is_listed_not_called_missing(tmp_path):
    # Kab. Probolinggo 2025: 25.215 persons (DBHCHT), no budget or months published
    from factories import BPU_RATES, monthly_rows, write_processed

    from jamsos_lib.present import labels, tables

    data = write_processed(
        tmp_path,
        rates=BPU_RATES,
        workers=[{"region_code": "3513", "year": 2024, "workers": 500_000}],
        participants=monthly_rows("3513", "2025-04", [100_000, 101_000, 102_000]),
        programmes=[{"region_code": "3513", "region_name": "Kabupaten Probolinggo", "year": 2025, "persons": 25_215}],
    )
    ctx = region_context("3513", "2025-06", data=data)
    cal = pages.region_calibrations(ctx)
    assert len(cal) == 1 and int(cal["persons_listed"].iloc[0]) == 25_215
    assert cal["note"].iloc[0] == "not published: budget, months"  # codes; the page words them
    html = tables.calibration_table(cal, labels.labels("id")).data
    assert "25.215" in html and labels.labels("id")["no_programmes"] not in html
    assert "tidak diterbitkan: anggaran, bulan" in html
    # the running programme's persons are costed (25.215 × 16.800 × 12) but add nobody new
    table = pages.region_scenarios(ctx, targets.gap_table(data, "2025-06", denominator="bps", province="35"))
    running = table[table["scenario"] == "programme"].iloc[0]
    assert int(running["cost_rp"]) == 25_215 * 16_800 * 12 and int(running["new_persons"]) == 0


def test_a_region_without_a_programme_gets_no_other_regions_budget(data):
    ctx = region_context("3513", "2025-06", data=data)
    gap = targets.gap_table(data, ctx.period, province="35")
    table = pages.region_scenarios(ctx, gap)
    assert "budget" not in set(table["scenario"])
    assert len(pages.region_calibrations(ctx)) == 0
