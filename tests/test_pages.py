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


def test_trenggalek_scenarios_use_its_own_budget_and_the_official_package(data):
    ctx = region_context("3503", "2025-06", data=data)
    gap = targets.gap_table(data, ctx.period, province="35")
    table = SCENARIO_SCHEMA.validate(pages.region_scenarios(ctx, gap))  # the contract holds
    # fixture rates: JKK 10.000 + JKM 6.800 = Rp 16.800 a month
    assert pages.official_package(ctx).monthly_rp == 16_800
    budget = table[table["scenario"] == "budget"].iloc[0]
    # Rp 2.092.600.000 / (16.800 x 12) = 10.379,96... -> 10.379 persons
    assert int(budget["persons"]) == 10_379
    assert int(budget["budget_rp"]) == 2_092_600_000
    assert int(budget["cost_rp"]) == 10_379 * 16_800 * 12


def test_calibration_against_the_official_package(data):
    ctx = region_context("3503", "2025-06", data=data)
    table = pages.region_calibrations(ctx)
    CALIBRATION_SCHEMA.validate(table.drop(columns=["year", "funding_source", "status"]))
    row = table.iloc[0]
    # 2.092.600.000 / (10.000 x 12) = 17.438,33 -> Rp 17.438; Rp 638,33 above Rp 16.800
    assert int(row["per_person_month_rounded_rp"]) == 17_438
    assert row["difference_rp"] == pytest.approx(638.333, abs=0.001)


def test_a_region_without_a_programme_gets_no_other_regions_budget(data):
    ctx = region_context("3513", "2025-06", data=data)
    gap = targets.gap_table(data, ctx.period, province="35")
    table = pages.region_scenarios(ctx, gap)
    assert "budget" not in set(table["scenario"])
    assert len(pages.region_calibrations(ctx)) == 0
