"""Target fallback chain and gap to target, worked by hand."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamsos_lib.compute import targets as tg
from factories import monthly_rows, segment_rows, write_processed

TRENGGALEK, LUMAJANG, PROBOLINGGO = "3503", "3508", "3513"

# the published targets of ../shared/reference/data/coverage_targets.csv
TARGETS = [
    {"scope": "national", "region_code": "00", "year": 2025, "target_pct": 32.15, "series": "RPJMN", "document": "RPJMN 2025-2029"},
    {"scope": "national", "region_code": "00", "year": 2029, "target_pct": 43.92, "series": "RPJMN", "document": "RPJMN 2025-2029"},
    {"scope": "national", "region_code": "00", "year": 2026, "target_pct": 34.99, "series": "RKP", "document": "RKP 2026"},
    {"scope": "national", "region_code": "00", "year": 2025, "target_pct": 52.15, "series": "KEMENDAGRI_UCJ", "document": "Kemendagri UCJ target"},
    {"scope": "province", "region_code": "35", "year": 2024, "target_pct": 35.0, "series": "PROVINCE", "document": "Pemprov Jatim"},
    {"scope": "province", "region_code": "35", "year": 2025, "target_pct": 40.0, "series": "PROVINCE", "document": "Pemprov Jatim"},
    {"scope": "region", "region_code": TRENGGALEK, "year": 2045, "target_pct": 83.29, "series": "RPJPD", "document": "RPJPD Trenggalek 2025-2045"},
    {"scope": "region", "region_code": LUMAJANG, "year": 2026, "target_pct": 20.0, "series": "BRANCH", "document": "BPJS TK Cabang Lumajang"},
]


@pytest.fixture
def data(tmp_path):
    return write_processed(tmp_path, targets=TARGETS,
                           workers=[{"region_code": "35", "year": 2024, "workers": 1}],
                           participants=segment_rows("2025-06", TRENGGALEK, PU=1))


def test_region_target_for_its_exact_year(data):
    c = tg.target_for(data, LUMAJANG, 2026)
    assert (c.target_pct, c.year, c.series, c.level_used, c.rule) == (20.0, 2026, "BRANCH", "region", "exact year")


def test_region_target_later_year_within_document_horizon(data):
    # Trenggalek's RPJPD 2025-2045 names its horizon: 2030 uses the 2045 target
    c = tg.target_for(data, TRENGGALEK, 2030)
    assert (c.target_pct, c.year, c.level_used) == (83.29, 2045, "region")
    assert "nearest later year" in c.rule


def test_falls_through_to_province_then_national(data):
    # Lumajang 2025: its branch target is for 2026 with no horizon named -> province 40%
    c = tg.target_for(data, LUMAJANG, 2025)
    assert (c.target_pct, c.level_used, c.series) == (40.0, "province", "PROVINCE")
    # 2027: no province target -> national RPJMN, 2029 value inside RPJMN 2025-2029
    c = tg.target_for(data, LUMAJANG, 2027)
    assert (c.target_pct, c.year, c.level_used) == (43.92, 2029, "national")


def test_the_user_chooses_the_national_series(data):
    assert tg.target_for(data, LUMAJANG, 2027, national_series="KEMENDAGRI_UCJ") is None
    assert tg.target_for(data, "3501", 2026, national_series="RKP").target_pct == 34.99
    assert tg.target_for(data, "35", 2026, national_series="RPJMN").target_pct == 43.92
    with pytest.raises(ValueError, match="national_series"):
        tg.target_for(data, "3501", 2026, national_series="WHATEVER")


def test_no_target_anywhere(data):
    assert tg.target_for(data, "3501", 2031) is None


def test_horizon_parsing():
    assert tg.horizon("RPJMN 2025-2029") == (2025, 2029)
    assert tg.horizon("RPJMN 2020–2024 / RKP 2021") == (2020, 2024)
    assert tg.horizon("Pemprov Jatim") is None


def _probolinggo(tmp_path, counts, target=33.0, workers=100_000, extra_targets=()):
    # Kab. Probolinggo, June 2025: ~21% against a national target of 33% (Lensaupdate)
    return write_processed(
        tmp_path,
        targets=[{"scope": "national", "region_code": "00", "year": 2025, "target_pct": target,
                  "series": "RPJMN", "document": "RPJMN 2025-2029"}, *extra_targets],
        workers=[{"region_code": PROBOLINGGO, "year": 2025, "workers": workers}],
        participants=monthly_rows(PROBOLINGGO, shift(len(counts)), counts),
    )


def shift(n):
    return (pd.Period("2025-06", freq="M") - (n - 1)).strftime("%Y-%m")


def test_probolinggo_gap_by_hand(tmp_path):
    # 12 months rising 1.000 a month to 21.000 in June 2025; 21.000 / 100.000 = 21%
    data = _probolinggo(tmp_path, [10_000 + 1_000 * i for i in range(12)])
    g = tg.gap_table(data, "2025-06", denominator="bps").set_index("region_code").loc[PROBOLINGGO]
    assert g["coverage_pct"] == pytest.approx(21.0)
    assert g["target_pct"] == 33.0 and g["target_year"] == 2025 and g["target_level"] == "national"
    assert g["gap_pp"] == pytest.approx(12.0)
    assert g["gap_persons"] == 12_000          # 33% × 100.000 − 21.000
    assert g["months_left"] == 6               # July .. December 2025
    assert g["needed_per_month"] == pytest.approx(2_000.0)
    assert g["trend_per_month"] == pytest.approx(1_000.0)
    assert g["status"] == "at_risk" and g["status_label"] == "Berisiko"   # 1.000 ≥ 50% of 2.000
    assert g["projected_reach_period"] == "2026-06"                       # 12.000 / 1.000 = 12 months
    assert "polyfit" in g["trend_method"]
    assert g["trend_months_used"] == 12


def test_on_track_and_off_track(tmp_path):
    fast = _probolinggo(tmp_path / "a", [10_000 + 2_000 * i for i in range(6)] + [20_000, 21_000])
    g = tg.gap_table(fast, "2025-06", denominator="bps", trend_months=3).set_index("region_code").loc[PROBOLINGGO]
    # last 3 months 10.000+2.000×5=20.000, 20.000, 21.000: slope 500 < 1.000 (=50%) -> off track
    assert g["trend_per_month"] == pytest.approx(500.0)
    assert g["status"] == "off_track" and g["status_label"] == "Tertinggal"
    g = tg.gap_table(fast, "2025-06", denominator="bps", trend_months=8).set_index("region_code").loc[PROBOLINGGO]
    assert g["trend_per_month"] > 0
    steady = _probolinggo(tmp_path / "b", [9_000 + 2_000 * i for i in range(7)])  # to 21.000, +2.000 a month
    g = tg.gap_table(steady, "2025-06", denominator="bps").set_index("region_code").loc[PROBOLINGGO]
    assert g["status"] == "on_track" and g["status_label"] == "Sesuai jalur"
    assert g["projected_reach_period"] == "2025-12"
    falling = _probolinggo(tmp_path / "c", [23_000, 22_000, 21_000])
    g = tg.gap_table(falling, "2025-06", denominator="bps").set_index("region_code").loc[PROBOLINGGO]
    assert g["status"] == "off_track" and pd.isna(g["projected_reach_period"])


def test_region_already_above_target(tmp_path):
    data = _probolinggo(tmp_path, [34_000, 35_000, 36_000])
    g = tg.gap_table(data, "2025-06", denominator="bps").set_index("region_code").loc[PROBOLINGGO]
    assert g["gap_pp"] == 0 and g["gap_persons"] == 0
    assert g["status"] == "achieved" and g["status_label"] == "Tercapai"
    assert g["projected_reach_period"] == "2025-06"


def test_region_without_target(tmp_path):
    data = write_processed(tmp_path, workers=[{"region_code": PROBOLINGGO, "year": 2025, "workers": 1000}],
                           participants=segment_rows("2025-06", PROBOLINGGO, PU=10))
    g = tg.gap_table(data, "2025-06", denominator="bps").set_index("region_code").loc[PROBOLINGGO]
    assert g["status"] == "no_target" and g["status_label"] == "Tanpa target"
    assert pd.isna(g["gap_pp"]) and pd.isna(g["target_pct"]) and g["target_series"] == ""


def test_gap_table_province_row_and_illustrative_target(tmp_path):
    illus = [{"scope": "province", "region_code": "35", "year": 2025, "target_pct": 40.0, "series": "PROVINCE",
              "document": "Pemprov Jatim", "status": "illustrative"}]
    data = _probolinggo(tmp_path, [20_000, 21_000], extra_targets=illus)
    g = tg.gap_table(data, "2025-06", denominator="bps").set_index("region_code")
    assert len(g) == 39
    # the kab/kota has no target of its own: the province's 40% comes before the national 33%
    assert g.loc[PROBOLINGGO, "target_pct"] == 40.0 and g.loc[PROBOLINGGO, "data_status"] == "illustrative"
    assert g.loc[PROBOLINGGO, "status"] == "no_data"  # two months: too few for a trend
    assert g.loc["35", "level"] == "province" and g.loc["35", "target_level"] == "province"


def test_months_left():
    assert tg.months_left("2025-06", 2025) == 6
    assert tg.months_left("2025-12", 2025) == 0
    assert tg.months_left("2025-06", 2029) == 54


@settings(deadline=None)
@given(st.floats(0, 100, allow_nan=False), st.integers(1, 10**7), st.data())
def test_no_persons_needed_at_or_above_target(target, denominator, draw):
    at_target = -(-int(target * 10**6) * denominator // (100 * 10**6))  # ceil(target% × denominator)
    participants = draw.draw(st.integers(max(at_target, 0) + 1, max(at_target, 0) + 10**6))
    if participants / denominator * 100 >= target:
        assert tg.persons_needed(target, denominator, participants) == 0


@settings(deadline=None)
@given(st.floats(0, 100, allow_nan=False), st.integers(1, 10**7), st.integers(0, 10**7))
def test_persons_needed_reaches_the_target_exactly(target, denominator, participants):
    n = tg.persons_needed(target, denominator, participants)
    assert n >= 0
    if n > 0:
        assert (participants + n) * 100 >= target * denominator - 1e-6 * denominator
        assert (participants + n - 1) * 100 < target * denominator + 1e-6 * denominator
