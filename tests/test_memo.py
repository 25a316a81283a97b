"""Month-wide tables are memoised per data set: same figures as a fresh computation, and a
caller that changes a returned frame cannot change what the next caller gets."""

from __future__ import annotations

import pandas as pd
import pytest

from jamsos_lib import store
from jamsos_lib.compute import coverage, targets
from factories import monthly_rows, segment_rows, write_processed

TRENGGALEK, PACITAN = "3503", "3501"
TARGETS = [
    {"scope": "national", "region_code": "00", "year": 2025, "target_pct": 32.15, "series": "RPJMN",
     "document": "RPJMN 2025-2029"},
    {"scope": "region", "region_code": TRENGGALEK, "year": 2025, "target_pct": 30.0, "series": "RPJMD",
     "document": "RPJMD Trenggalek 2021-2026"},
]


@pytest.fixture
def folder(tmp_path):
    write_processed(
        tmp_path,
        targets=TARGETS,
        workers=[{"region_code": TRENGGALEK, "year": 2024, "workers": 100_000},
                 {"region_code": PACITAN, "year": 2024, "workers": 200_000}],
        participants=(monthly_rows(TRENGGALEK, "2024-07", [20_000 + 100 * i for i in range(12)])
                      + monthly_rows(PACITAN, "2024-07", [50_000 + 10 * i for i in range(12)])
                      + segment_rows("2025-06", TRENGGALEK, BPU=1_000)),
    )
    return tmp_path


def fresh(folder) -> store.Dataset:
    return store.load(folder)


CALLS = {
    "coverage_table": lambda d: coverage.coverage_table(d, "2025-06", "bps"),
    "gap_table": lambda d: targets.gap_table(d, "2025-06", "bps"),
    "coverage_series": lambda d: coverage.coverage_series(d, TRENGGALEK, "2025-06", 24, "bps"),
    "coverage_panel": lambda d: coverage.coverage_panel(d, "35", "2025-06", 24, "bps"),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_memoised_result_equals_a_fresh_computation(folder, name):
    data = fresh(folder)
    first = CALLS[name](data)
    again = CALLS[name](data)  # from the memo
    assert any(key[0] in (name, "coverage_panel") for key in data._memo)
    pd.testing.assert_frame_equal(again, first)
    pd.testing.assert_frame_equal(again, CALLS[name](fresh(folder)))  # new Dataset: computed anew
    assert again.attrs == first.attrs


@pytest.mark.parametrize("name", list(CALLS))
def test_changing_a_returned_frame_does_not_change_the_next_result(folder, name):
    data = fresh(folder)
    first = CALLS[name](data)
    expected = first.copy(deep=True)
    first.iloc[0, first.columns.get_loc("region_name")] = "changed"
    first.iloc[:, first.columns.get_loc("participants")] = 0
    first.attrs["x"] = 1
    pd.testing.assert_frame_equal(CALLS[name](data), expected)
    assert "x" not in CALLS[name](data).attrs


def test_hand_worked_figures_through_the_memo(folder):
    data = fresh(folder)
    for _ in range(2):
        cov = coverage.coverage_table(data, "2025-06", "bps").set_index("region_code")
        # Trenggalek 2025-06: PU 20.000 + 11 × 100 = 21.100, BPU 1.000 -> 22.100 / 100.000
        assert cov.loc[TRENGGALEK, "participants"] == 22_100
        assert cov.loc[TRENGGALEK, "coverage_pct"] == pytest.approx(22.1)
        gap = targets.gap_table(data, "2025-06", "bps").set_index("region_code")
        # RPJMD 30 % of 100.000 = 30.000 - 22.100 = 7.900 persons by December 2025 (6 months)
        assert gap.loc[TRENGGALEK, "gap_persons"] == 7_900
        assert gap.loc[TRENGGALEK, "months_left"] == 6
        # Pacitan has no own target: the national RPJMN 32,15 % of 200.000 = 64.300 - 50.110
        assert gap.loc[PACITAN, "target_level"] == "national"
        assert gap.loc[PACITAN, "gap_persons"] == 64_300 - 50_110


def test_arguments_are_part_of_the_key(folder):
    data = fresh(folder)
    bps = coverage.coverage_table(data, "2025-06", "bps")
    earlier = coverage.coverage_table(data, "2025-05", "bps")
    pu_only = coverage.coverage_table(data, "2025-06", "bps", segments=("PU",))
    tb = bps.set_index("region_code")
    assert tb.loc[TRENGGALEK, "participants"] == 22_100
    assert earlier.set_index("region_code").loc[TRENGGALEK, "participants"] == 21_000
    assert pu_only.set_index("region_code").loc[TRENGGALEK, "participants"] == 21_100
    short = coverage.coverage_series(data, TRENGGALEK, "2025-06", 3, "bps")
    assert list(short["period"]) == ["2025-04", "2025-05", "2025-06"]
    assert len(coverage.coverage_series(data, TRENGGALEK, "2025-06", 24, "bps")) == 12


def test_an_error_is_not_memoised(folder):
    data = fresh(folder)
    with pytest.raises(Exception, match="before the first BPS"):
        coverage.workers_for(data, "2023-01")
    assert not data._memo
    with pytest.raises(Exception, match="before the first BPS"):
        coverage.workers_for(data, "2023-01")


def test_the_memo_belongs_to_the_dataset_instance(folder):
    a, b = fresh(folder), fresh(folder)
    coverage.coverage_table(a, "2025-06", "bps")
    assert a._memo and not b._memo
