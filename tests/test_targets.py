"""Targets of a year, their chain and basis, and the gap, projection and status, worked
by hand from ../shared/reference/data/coverage_targets.csv and
published_kabkota_bpjs_figures.csv."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamsos_lib.compute import targets as tg
from factories import monthly_rows, segment_rows, write_processed

TRENGGALEK, LUMAJANG, PROBOLINGGO, GRESIK = "3503", "3508", "3513", "3525"

# the published targets of ../shared/reference/data/coverage_targets.csv (+ basis)
TARGETS = [
    {
        "scope": "national",
        "region_code": "00",
        "year": 2021,
        "target_pct": 29.44,
        "series": "RKP",
        "document": "RPJMN 2020-2024 / RKP 2021",
        "basis": "pu_of_employed",
    },
    {
        "scope": "national",
        "region_code": "00",
        "year": 2025,
        "target_pct": 32.15,
        "series": "RPJMN",
        "document": "RPJMN 2025-2029",
        "basis": "bps_employed",
    },
    {
        "scope": "national",
        "region_code": "00",
        "year": 2029,
        "target_pct": 43.92,
        "series": "RPJMN",
        "document": "RPJMN 2025-2029",
        "basis": "bps_employed",
    },
    {
        "scope": "national",
        "region_code": "00",
        "year": 2026,
        "target_pct": 34.99,
        "series": "RKP",
        "document": "RKP 2026",
        "basis": "bps_employed",
    },
    {
        "scope": "national",
        "region_code": "00",
        "year": 2025,
        "target_pct": 52.15,
        "series": "KEMENDAGRI_UCJ",
        "document": "Kemendagri UCJ target",
    },
    {
        "scope": "province",
        "region_code": "35",
        "year": 2024,
        "target_pct": 35.0,
        "series": "PROVINCE",
        "document": "Pemprov Jatim",
    },
    {
        "scope": "province",
        "region_code": "35",
        "year": 2025,
        "target_pct": 40.0,
        "series": "PROVINCE",
        "document": "Pemprov Jatim",
    },
    {
        "scope": "region",
        "region_code": TRENGGALEK,
        "year": 2045,
        "target_pct": 83.29,
        "series": "RPJPD",
        "document": "RPJPD Trenggalek 2025-2045",
    },
    {
        "scope": "region",
        "region_code": LUMAJANG,
        "year": 2026,
        "target_pct": 20.0,
        "series": "BRANCH",
        "document": "BPJS TK Cabang Lumajang",
    },
    {
        "scope": "region",
        "region_code": PROBOLINGGO,
        "year": 2025,
        "target_pct": 33.0,
        "series": "PEMDA",
        "document": "target disebut Pemkab Probolinggo",
    },
    {
        "scope": "region",
        "region_code": PROBOLINGGO,
        "year": 2045,
        "target_pct": 90.0,
        "series": "RPJPD",
        "document": "RPJPD Kabupaten Probolinggo 2025-2045",
    },
]


@pytest.fixture
def data(tmp_path):
    return write_processed(
        tmp_path,
        targets=TARGETS,
        workers=[{"region_code": "35", "year": 2024, "workers": 1}],
        participants=segment_rows("2025-06", TRENGGALEK, PU=1),
    )


def test_a_target_applies_to_its_own_year_only(data):
    # Lumajang's branch target is for 2026: in 2025 the chain goes on to the province's 40%
    c = tg.target_for(data, LUMAJANG, 2026)
    assert (c.target_pct, c.year, c.series, c.level_used, c.rule) == (20.0, 2026, "BRANCH", "region", "exact year")
    c = tg.target_for(data, LUMAJANG, 2025)
    assert (c.target_pct, c.year, c.level_used, c.series) == (40.0, 2025, "province", "PROVINCE")
    # 2027: no province or national figure for 2027; RPJMN 2029 (43,92%) is never used before 2029
    assert tg.target_for(data, LUMAJANG, 2027) is None
    assert tg.target_for(data, LUMAJANG, 2029).target_pct == 43.92


def test_trenggalek_2025_chain_and_its_2045_target_apart(data):
    region, province, national = tg.target_chain(data, TRENGGALEK, 2025)
    assert region is None  # RPJPD 2045 is not a 2025 target
    assert (province.target_pct, province.year, province.document, province.basis) == (
        40.0,
        2025,
        "Pemprov Jatim",
        "ucj",
    )
    assert (national.target_pct, national.series, national.basis) == (32.15, "RPJMN", "bps_employed")
    assert tg.target_for(data, TRENGGALEK, 2025).target_pct == 40.0
    apart = tg.long_term_target(data, TRENGGALEK, 2025)
    assert (apart.target_pct, apart.year, apart.series, apart.level_used) == (83.29, 2045, "RPJPD", "region")
    # in 2030 there is no target at all, and 2045 is still only shown apart
    assert tg.target_for(data, TRENGGALEK, 2030) is None
    assert tg.long_term_target(data, TRENGGALEK, 2030).year == 2045
    assert tg.long_term_target(data, TRENGGALEK, 2045) is None  # in 2045 it is that year's own target
    assert tg.target_for(data, TRENGGALEK, 2045).target_pct == 83.29


def test_probolinggo_uses_its_own_33_percent(data):
    c = tg.target_for(data, PROBOLINGGO, 2025)
    assert (c.target_pct, c.series, c.level_used) == (33.0, "PEMDA", "region")
    assert tg.long_term_target(data, PROBOLINGGO, 2025).target_pct == 90.0


def test_national_series_and_its_yearly_plan(data):
    # RPJMN names no 2026 figure: its yearly plan RKP 2026 applies; KEMENDAGRI_UCJ has only 2025
    assert tg.target_for(data, "35", 2026).target_pct == 34.99
    assert tg.target_for(data, "35", 2026, national_series="KEMENDAGRI_UCJ") is None
    assert tg.target_chain(data, "3501", 2025, national_series="KEMENDAGRI_UCJ")[2].target_pct == 52.15
    assert tg.target_for(data, "3501", 2026, national_series="RKP").target_pct == 34.99
    with pytest.raises(ValueError, match="national_series"):
        tg.target_for(data, "3501", 2026, national_series="WHATEVER")


def test_no_target_anywhere(data):
    assert tg.target_for(data, "3501", 2031) is None


@pytest.mark.parametrize(
    "basis, year, method, segments, expected",
    [
        ("ucj", 2024, "excluding_asn_tni_polri", ("PU", "BPU", "JAKON"), True),  # UCJ until 2024
        ("ucj", 2025, "excluding_asn_tni_polri", ("PU", "BPU", "JAKON"), False),  # UCJ 2025 is all employed
        ("ucj", 2025, "ktp_domicile", ("PU", "BPU", "JAKON"), True),
        ("ucj", 2025, "bps_employed", ("PU", "BPU", "JAKON"), True),  # the same figure
        ("ucj", 2024, "bps_employed", ("PU", "BPU", "JAKON"), False),
        ("excluding_asn_tni_polri", 2025, "excluding_asn_tni_polri", ("PU", "BPU", "JAKON"), True),
        ("bps_employed", 2024, "excluding_asn_tni_polri", ("PU", "BPU", "JAKON"), False),
        ("pu_of_employed", 2021, "bps_employed", ("PU", "BPU", "JAKON"), False),  # RKP 2021 counts PU only
        ("pu_of_employed", 2021, "bps_employed", ("PU",), True),
    ],
)
def test_comparable_only_on_the_same_denominator(basis, year, method, segments, expected):
    ok, why = tg.comparable(basis, year, method, segments)
    assert ok is expected
    assert (why == "") is expected


def test_theil_sen_is_not_moved_by_one_month_jump():
    # 12 months rising 1.000 a month; month 9 (index 8) jumps +8.000 for that month only.
    # 55 of the 66 pair slopes are exactly 1.000, 8 are above, 3 below: the median is 1.000.
    # A least-squares line moves by 8.000 × (8 − 5,5) / 143 = 139,86 a month.
    counts = [10_000 + 1_000 * i for i in range(12)]
    counts[8] += 8_000
    s = pd.Series(counts, index=[f"2024-{m:02d}" for m in range(7, 13)] + [f"2025-{m:02d}" for m in range(1, 7)])
    assert tg.theil_sen_slope(s) == 1_000.0
    assert np.polyfit(np.arange(12), counts, 1)[0] == pytest.approx(1_139.86, abs=0.01)
    assert np.isnan(tg.theil_sen_slope(s.iloc[:2]))


def test_yearly_growth_by_hand():
    # 2022..2024: 96.000, 98.000, 100.000 -> +2.000 a year = 2% of 100.000
    assert tg.yearly_growth(pd.Series([96_000.0, 98_000.0, 100_000.0], index=[2022, 2023, 2024])) == pytest.approx(0.02)
    assert np.isnan(tg.yearly_growth(pd.Series([100_000.0], index=[2024])))


def _probolinggo(tmp_path, counts, target=33.0, workers=((2024, 100_000),), extra_targets=(), basis="ucj"):
    # Kab. Probolinggo, June 2025: ~21% against the 33% its officials use (Lensaupdate)
    return write_processed(
        tmp_path,
        targets=[
            {
                "scope": "region",
                "region_code": PROBOLINGGO,
                "year": 2025,
                "target_pct": target,
                "series": "PEMDA",
                "document": "target disebut Pemkab Probolinggo",
                "basis": basis,
            },
            *extra_targets,
        ],
        workers=[{"region_code": PROBOLINGGO, "year": y, "workers": w} for y, w in workers],
        participants=monthly_rows(PROBOLINGGO, shift(len(counts)), counts),
    )


def shift(n):
    return (pd.Period("2025-06", freq="M") - (n - 1)).strftime("%Y-%m")


def row(data, **kw):
    return tg.gap_table(data, "2025-06", denominator="bps", **kw).set_index("region_code").loc[PROBOLINGGO]


def test_probolinggo_gap_projection_and_status_by_hand(tmp_path):
    # 12 months rising 1.000 a month to 21.000 in June 2025; 21.000 / 100.000 (BPS Aug 2024) = 21%
    g = row(_probolinggo(tmp_path, [10_000 + 1_000 * i for i in range(12)]))
    assert g["coverage_pct"] == pytest.approx(21.0)
    assert (g["target_pct"], g["target_year"], g["target_level"], g["target_basis"]) == (33.0, 2025, "region", "ucj")
    assert g["denominator_method"] == "bps_employed" and bool(g["target_comparable"]) is True
    assert g["gap_pp"] == pytest.approx(12.0)
    assert g["gap_persons"] == 12_000  # 33% × 100.000 − 21.000
    assert pd.isna(g["surplus_pp"]) and pd.isna(g["surplus_persons"])
    assert g["months_left"] == 6  # July .. December 2025
    assert g["needed_per_month"] == pytest.approx(2_000.0)
    assert g["trend_per_month"] == pytest.approx(1_000.0)
    # December 2025 at this pace: 21.000 + 6 × 1.000 = 27.000 = 27%, 6 pp short (> 5): off track
    assert g["projected_year_end_pct"] == pytest.approx(27.0)
    assert g["status"] == "off_track" and g["status_label"] == "Tertinggal"
    assert pd.isna(g["projected_reach_period"])  # not within 2025
    # one BPS year: the denominator is held fixed; December 2026: 21.000 + 18 × 1.000 ≥ 33.000
    assert g["projected_reach_year"] == 2026
    assert "held fixed" in g["projection_note"]
    assert "Theil–Sen" in g["trend_method"] and g["trend_months_used"] == 12


def test_at_risk_band_and_on_track(tmp_path):
    # the same series against 30%: December 2025 at 27%, 3 pp short (≤ 5): at risk
    g = row(_probolinggo(tmp_path / "a", [10_000 + 1_000 * i for i in range(12)], target=30.0))
    assert g["status"] == "at_risk" and g["status_label"] == "Berisiko"
    # against 27%: 6.000 needed, 6 months × 1.000: reached in December 2025, on track
    g = row(_probolinggo(tmp_path / "b", [10_000 + 1_000 * i for i in range(12)], target=27.0))
    assert g["status"] == "on_track" and g["projected_reach_period"] == "2025-12"
    assert g["projected_reach_year"] == 2025
    falling = row(_probolinggo(tmp_path / "c", [23_000, 22_000, 21_000]))
    assert falling["status"] == "off_track" and pd.isna(falling["projected_reach_year"])


def test_reach_year_with_the_denominator_growing(tmp_path):
    # BPS Aug 2022..2024: 96.000, 98.000, 100.000 -> +2% a year after 2025 (Theil–Sen, no look-ahead
    # to a 2025 figure). Target 33% of 100.000 in 2025; 2026: 33% × 102.000 = 33.660; 2027: 34.320.
    # Trend +500 a month from 21.000: Dec 2025 24.000, Dec 2026 30.000, Dec 2027 36.000 -> 2027.
    workers = ((2022, 96_000), (2023, 98_000), (2024, 100_000), (2025, 150_000))
    g = row(_probolinggo(tmp_path, [15_500 + 500 * i for i in range(12)], workers=workers))
    assert g["workers_year"] == 2024 and g["denominator"] == 100_000
    assert g["denominator_growth_pct"] == pytest.approx(2.0)
    assert g["projected_reach_year"] == 2027
    assert "+2.00% a year" in g["projection_note"]


def test_a_target_on_another_basis_is_not_compared(tmp_path):
    # a 2025 target set on workers outside ASN/TNI/Polri, coverage on all BPS employed
    g = row(_probolinggo(tmp_path, [20_000, 20_500, 21_000], basis="excluding_asn_tni_polri"))
    assert g["target_pct"] == 33.0 and bool(g["target_comparable"]) is False
    assert g["status"] == "not_comparable" and g["status_label"] == "Tak sebanding"
    assert "excluding_asn_tni_polri" in g["comparison_note"] and "bps_employed" in g["comparison_note"]
    assert pd.isna(g["gap_pp"]) and pd.isna(g["gap_persons"])


def test_region_already_above_target(tmp_path):
    g = row(_probolinggo(tmp_path, [34_000, 35_000, 36_000]))
    assert g["gap_pp"] == 0 and g["gap_persons"] == 0
    # 36.000 of 100.000 = 36% against 33%: 3 pp and 36.000 − 33.000 = 3.000 persons above
    assert g["surplus_pp"] == pytest.approx(3.0) and g["surplus_persons"] == 3_000
    assert g["status"] == "achieved" and g["status_label"] == "Tercapai"
    assert g["projected_reach_period"] == "2025-06"


def test_region_without_target(tmp_path):
    data = write_processed(
        tmp_path,
        workers=[{"region_code": PROBOLINGGO, "year": 2024, "workers": 1000}],
        participants=segment_rows("2025-06", PROBOLINGGO, PU=10),
    )
    g = row(data)
    assert g["status"] == "no_target" and g["status_label"] == "Tanpa target"
    assert pd.isna(g["gap_pp"]) and pd.isna(g["target_pct"]) and g["target_series"] == ""


def test_gap_table_chain_columns_province_row_and_illustrative_target(tmp_path):
    illus = [
        {
            "scope": "province",
            "region_code": "35",
            "year": 2025,
            "target_pct": 40.0,
            "series": "PROVINCE",
            "document": "Pemprov Jatim",
            "status": "illustrative",
        },
        {
            "scope": "national",
            "region_code": "00",
            "year": 2025,
            "target_pct": 32.15,
            "series": "RPJMN",
            "document": "RPJMN 2025-2029",
            "basis": "bps_employed",
        },
        {
            "scope": "region",
            "region_code": PROBOLINGGO,
            "year": 2045,
            "target_pct": 90.0,
            "series": "RPJPD",
            "document": "RPJPD Kabupaten Probolinggo 2025-2045",
        },
    ]
    data = _probolinggo(tmp_path, [20_000, 21_000], extra_targets=illus)
    g = tg.gap_table(data, "2025-06", denominator="bps").set_index("region_code")
    assert len(g) == 39
    p = g.loc[PROBOLINGGO]
    assert p["target_pct"] == 33.0 and p["province_target_pct"] == 40.0 and p["national_target_pct"] == 32.15
    assert p["data_status"] == "published"  # the province target is not the one compared
    assert (p["long_term_target_pct"], p["long_term_target_year"]) == (90.0, 2045)
    assert p["status"] == "no_data"  # two months: too few for a trend
    # Lumajang has no target of its own: the illustrative province target is its target
    assert g.loc[LUMAJANG, "target_pct"] == 40.0 and g.loc[LUMAJANG, "data_status"] == "illustrative"
    assert g.loc["35", "level"] == "province" and g.loc["35", "target_level"] == "province"
    # no row is compared with a target of a later year
    assert (g["target_year"].dropna() == 2025).all()


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


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped targets (data/raw/reference/coverage_targets.csv), read as `jamsos clean` reads them."""
    from pathlib import Path

    from jamsos_lib.read.reference import read_targets

    raw = Path(__file__).resolve().parents[1] / "data" / "raw" / "reference" / "coverage_targets.csv"
    frame = read_targets(raw).tables["targets"]
    return write_processed(
        tmp_path_factory.mktemp("shipped"),
        targets=frame.to_dict("records"),
        workers=[{"region_code": "35", "year": 2024, "workers": 1}],
        participants=segment_rows("2025-06", TRENGGALEK, PU=1),
    )


def test_shipped_targets_never_give_a_later_year(shipped):
    codes = [f"35{n:02d}" for n in range(1, 30)] + [f"35{n}" for n in range(71, 80)] + ["35"]
    for year in range(2020, 2031):
        for code in codes:
            c = tg.target_for(shipped, code, year)
            assert c is None or c.year == year, (code, year, c)


def test_shipped_trenggalek_2025_and_the_published_kabkota_targets(shipped):
    c = tg.target_for(shipped, TRENGGALEK, 2025)
    assert (c.target_pct, c.year, c.level_used, c.basis) == (40.0, 2025, "province", "ucj")
    assert (
        tg.long_term_target(shipped, TRENGGALEK, 2025).target_pct,
        tg.long_term_target(shipped, TRENGGALEK, 2025).year,
    ) == (83.29, 2045)
    # published_kabkota_bpjs_figures.csv, indicator target_ucj_pct, and domain.md §0 (Probolinggo)
    published = {
        "3578": 58.0,
        GRESIK: 52.69,
        "3571": 59.27,
        "3573": 41.23,
        "3514": 37.24,
        "3523": 34.36,
        "3524": 34.36,
        PROBOLINGGO: 33.0,
    }
    for code, pct in published.items():
        c = tg.target_for(shipped, code, 2025)
        assert (c.target_pct, c.level_used) == (pct, "region"), code
    assert tg.target_for(shipped, "3516", 2024).target_pct == 50.0  # Kab. Mojokerto, on 486 ribu
    assert tg.target_for(shipped, "3516", 2024).basis == "excluding_asn_tni_polri"
    assert tg.target_for(shipped, "3510", 2024).target_pct == 50.0  # Banyuwangi branch
    assert tg.target_for(shipped, LUMAJANG, 2026).target_pct == 20.0  # Lumajang branch
    assert tg.target_for(shipped, LUMAJANG, 2025).target_pct == 40.0  # not the 2026 one
    assert tg.target_for(shipped, "3501", 2021).basis == "pu_of_employed"  # RKP 2021: PU only


def test_trenggalek_2025_page_shows_the_2025_target_and_2045_apart(tmp_path):
    import re

    from jamsos_lib.compute.coverage import coverage_table
    from jamsos_lib.present import labels, tables

    data = write_processed(
        tmp_path,
        targets=TARGETS,
        workers=[{"region_code": TRENGGALEK, "year": 2024, "workers": 400_000}],
        participants=monthly_rows(TRENGGALEK, "2025-04", [88_000, 89_000, 90_000]),
    )
    gap = tg.gap_table(data, "2025-06", denominator="bps")
    html = tables.region_headline(gap, coverage_table(data, "2025-06", "bps"), TRENGGALEK, labels.labels("id")).data

    def card(key):
        return re.search(
            rf'data-figure="{key}">([^<]*)</span>(?:<span class="card-note">([^<]*)</span>)?', html
        ).groups()

    value, note = card("target_pct")
    assert value.startswith("40") and "Pemprov Jatim" in note and "2025" in note and "2045" not in note
    value, note = card("long_term_target_pct")
    assert value.startswith("83,29") and "2045" in note
    # 90.000 / 400.000 = 22,5% against 40% for 2025: the gap is to the 2025 target, not 83,29%
    assert gap.set_index("region_code").loc[TRENGGALEK, "gap_pp"] == pytest.approx(17.5)
    summary = tables.gap_summary(gap, TRENGGALEK, labels.labels("id")).data
    assert "Pemprov Jatim" in summary and "RPJMN 2025-2029" in summary and "RPJPD Trenggalek" in summary


RATES = [
    {"segment": "BPU", "program": "JKK", "kind": "amount", "value": 10_000.0, "legal_basis": "PP 44/2015"},
    {"segment": "BPU", "program": "JKM", "kind": "amount", "value": 6_800.0, "legal_basis": "PP 44/2015"},
]


def test_cost_of_closing_the_gap_by_the_end_of_the_target_year(tmp_path):
    # 12.000 persons short in June 2025 (see above), 6 months left (July..December) at the
    # official Rp 10.000 + Rp 6.800 = Rp 16.800: 12.000 × 6 × 16.800 = Rp 1.209.600.000
    data = _probolinggo(tmp_path, [10_000 + 1_000 * i for i in range(12)])
    data = write_processed(
        tmp_path / "r",
        targets=data.targets.to_dict("records"),
        rates=RATES,
        workers=data.workers.to_dict("records"),
        participants=data.participants.to_dict("records"),
    )
    g = row(data)
    assert g["official_monthly_rp"] == 16_800
    assert g["close_cost_rp"] == 1_209_600_000
    assert g["close_cost_12m_rp"] == 12_000 * 12 * 16_800
    # the pace needed: 12.000 over the 6 months left = 2.000 a month; over a full year 1.000
    assert (g["needed_per_month"], g["needed_per_month_12m"]) == (2_000, 1_000)
    # without a rate in force the cost is unknown, never 0
    g = row(_probolinggo(tmp_path / "n", [10_000 + 1_000 * i for i in range(12)]))
    assert pd.isna(g["official_monthly_rp"]) and pd.isna(g["close_cost_rp"])


def test_province_gap_sums_sets_the_regions_behind_against_the_net_gap(tmp_path):
    # province target 40% for all 38 kab/kota (1.000 workers each, 400 participants) except
    # Pacitan 300 (100 short) and Ponorogo 500 (100 above). Added up: 100 short;
    # net: 38 × 400 = 15.200 of 38.000 = 40%, 0 short.
    from jamsos_lib.regions import load_registry

    codes = load_registry().kabkota_codes("35")
    counts = {c: {"3501": 300, "3502": 500}.get(c, 400) for c in codes}
    months = [f"2025-0{m}" for m in (4, 5, 6)]
    data = write_processed(
        tmp_path,
        rates=RATES,
        targets=[
            {
                "scope": "province",
                "region_code": "35",
                "year": 2025,
                "target_pct": 40.0,
                "series": "PROVINCE",
                "document": "Pemprov Jatim",
                "basis": "bps_employed",
            }
        ],
        workers=[{"region_code": c, "year": 2024, "workers": 1_000} for c in codes]
        + [{"region_code": "35", "year": 2024, "workers": 38_000}],
        participants=[r for c, n in counts.items() for p in months for r in segment_rows(p, c, PU=n)],
    )
    gap = tg.gap_table(data, "2025-06", denominator="bps")
    sums = tg.province_gap_sums(gap).iloc[0]
    assert (sums["regions_behind"], sums["regions_compared"]) == (1, 38)
    assert sums["kabkota_gap_persons"] == 100
    assert sums["kabkota_cost_rp"] == 100 * 6 * 16_800
    assert sums["province_gap_persons"] == 0 and sums["province_cost_rp"] == 0
    assert sums["months_left"] == 6 and sums["official_monthly_rp"] == 16_800


def _two_regions(folder):
    """Trenggalek (own RPJMD 30%) and Pacitan (national RPJMN 32,15%), 12 months to 2025-06."""
    pacitan = "3501"
    return write_processed(
        folder,
        targets=[
            {
                "scope": "national",
                "region_code": "00",
                "year": 2025,
                "target_pct": 32.15,
                "series": "RPJMN",
                "document": "RPJMN 2025-2029",
            },
            {
                "scope": "region",
                "region_code": TRENGGALEK,
                "year": 2025,
                "target_pct": 30.0,
                "series": "RPJMD",
                "document": "RPJMD Trenggalek 2021-2026",
            },
        ],
        workers=[
            {"region_code": TRENGGALEK, "year": 2024, "workers": 100_000},
            {"region_code": pacitan, "year": 2024, "workers": 200_000},
        ],
        participants=(
            monthly_rows(TRENGGALEK, "2024-07", [20_000 + 100 * i for i in range(12)])
            + monthly_rows(pacitan, "2024-07", [50_000 + 10 * i for i in range(12)])
            + segment_rows("2025-06", TRENGGALEK, BPU=1_000)
        ),
    )


def test_gap_by_hand_and_the_coverage_table_handed_in(tmp_path):
    from jamsos_lib.compute import coverage

    data = _two_regions(tmp_path)
    cov = coverage.coverage_table(data, "2025-06", "bps")
    # Trenggalek 2025-06: PU 20.000 + 11 × 100 = 21.100, BPU 1.000 -> 22.100 / 100.000
    assert cov.set_index("region_code").loc[TRENGGALEK, "participants"] == 22_100
    assert cov.set_index("region_code").loc[TRENGGALEK, "coverage_pct"] == pytest.approx(22.1)
    gap = tg.gap_table(data, "2025-06", "bps").set_index("region_code")
    # RPJMD 30 % of 100.000 = 30.000 - 22.100 = 7.900 persons by December 2025 (6 months)
    assert gap.loc[TRENGGALEK, "gap_persons"] == 7_900
    assert gap.loc[TRENGGALEK, "months_left"] == 6
    # Pacitan has no own target: the national RPJMN 32,15 % of 200.000 = 64.300 - 50.110
    assert gap.loc["3501", "target_level"] == "national"
    assert gap.loc["3501", "gap_persons"] == 64_300 - 50_110
    # the month's tables hand the coverage table they computed to gap_table: same figures
    handed = tg.gap_table(data, "2025-06", "bps", coverage=cov).set_index("region_code")
    pd.testing.assert_frame_equal(handed, gap)


def test_coverage_of_other_months_segments_and_series_lengths(tmp_path):
    from jamsos_lib.compute import coverage

    data = _two_regions(tmp_path)
    assert (
        coverage.coverage_table(data, "2025-05", "bps").set_index("region_code").loc[TRENGGALEK, "participants"]
        == 21_000
    )
    pu_only = coverage.coverage_table(data, "2025-06", "bps", segments=("PU",))
    assert pu_only.set_index("region_code").loc[TRENGGALEK, "participants"] == 21_100
    short = coverage.coverage_series(data, TRENGGALEK, "2025-06", 3, "bps")
    assert list(short["period"]) == ["2025-04", "2025-05", "2025-06"]
    assert len(coverage.coverage_series(data, TRENGGALEK, "2025-06", 24, "bps")) == 12
