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
        participants=segment_rows("2023-12", "35", PU=3_300_717, BPU=1_036_242)
        + segment_rows("2023-12", TRENGGALEK, PU=1_000),
    )
    table = cov.coverage_table(data, "2023-12")
    prov = row(table, "35")
    assert prov["level"] == "province"
    assert prov["participants"] == 4_336_959
    assert prov["denominator"] == 14_531_668
    assert prov["workers"] == 22_000_000
    assert round(prov["coverage_pct"], 2) == 29.84
    # without the province's own figure, a sum over 1 of 38 kab/kota is not a province total
    other = write_processed(
        tmp_path / "partial",
        workers=[{"region_code": "35", "year": 2023, "workers": 22_000_000}],
        participants=segment_rows("2023-12", TRENGGALEK, PU=1_000),
    )
    partial = row(cov.coverage_table(other, "2023-12", denominator="bps"), "35")
    assert pd.isna(partial["participants"]) and pd.isna(partial["coverage_pct"])
    assert "only 1 of 38 kab/kota have participant data" in partial["note"]
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
        workers=[
            {"region_code": LUMAJANG, "year": 2024, "workers": 600_000},
            {"region_code": LUMAJANG, "year": 2025, "workers": 555_154},
        ],
        participants=segment_rows("2026-03", LUMAJANG, PU=60_000, BPU=29_266),
    )
    r = row(cov.coverage_table(data, "2026-03", denominator="bps"), LUMAJANG)
    assert r["workers_year"] == 2025
    assert r["participants"] == 89_266
    assert round(r["coverage_pct"], 2) == 16.08


def test_eligible_share_rules(tmp_path):
    data = write_processed(
        tmp_path,
        workers=[
            {"region_code": "35", "year": 2023, "workers": 20_000_000},
            {"region_code": TRENGGALEK, "year": 2024, "workers": 400_000},
            {"region_code": LUMAJANG, "year": 2024, "workers": 500_000},
        ],
        eligibility=[
            {"region_code": "35", "year": 2023, "eligible_workers": 13_000_000},  # share 0,65
            {"region_code": TRENGGALEK, "year": 2024, "eligible_share": 0.7},
        ],
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
    # the same from the month's panel (which keeps such months, with a note)
    panel = cov.coverage_panel(data, "35", "2020-12", 24, denominator="bps")
    with pytest.raises(JamsosError, match="before the first BPS Sakernas year.*2021"):
        cov.coverage_table(data, "2020-12", denominator="bps", province="35", panel=panel)


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
    parts = (
        monthly_rows(TRENGGALEK, "2023-06", [10_000] + [0] * 10 + [11_000, 12_000])  # 2023-06 .. 2024-06
        + segment_rows("2024-06", LUMAJANG, PU=30_000, status="illustrative")
        + segment_rows("2024-06", PROBOLINGGO, PU=21_000)
    )
    parts = [p for p in parts if p["participants"] > 0]
    data = write_processed(tmp_path, workers=workers, participants=parts)
    t = cov.coverage_table(data, "2024-06", denominator="bps")
    tr = row(t, TRENGGALEK)
    assert tr["coverage_pct"] == pytest.approx(12.0)
    assert tr["change_mom_pp"] == pytest.approx(1.0)  # 12% - 11%
    assert tr["change_yoy_pp"] == pytest.approx(2.0)  # 12% - 10%
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
    assert r["coverage_pu_pct"] == pytest.approx(25.0)  # 10.000 / 40.000
    assert r["coverage_bpu_pct"] == pytest.approx(10.0)  # 6.000 / 60.000
    assert r["coverage_pct"] == pytest.approx(16.0)  # 16.000 / 100.000
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
    assert (prov["level"] == "province").all() and prov["participants"].isna().all()  # 1 of 38 kab/kota


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


# ------------------------------------------------------------------ issue 12: the UCJ method of each period

GRESIK = "3525"
GRESIK_BPS = [
    {"region_code": GRESIK, "year": 2023, "workers": 688_645},
    {"region_code": GRESIK, "year": 2024, "workers": 715_619},
]


def test_every_month_of_a_year_uses_the_previous_august_sakernas(tmp_path):
    data = write_processed(
        tmp_path,
        workers=GRESIK_BPS,
        participants=segment_rows("2024-11", GRESIK, PU=100_000) + segment_rows("2025-11", GRESIK, PU=100_000),
    )
    assert cov.SAKERNAS_LAG_YEARS == 1
    nov24 = row(cov.coverage_table(data, "2024-11", denominator="bps"), GRESIK)
    nov25 = row(cov.coverage_table(data, "2025-11", denominator="bps"), GRESIK)
    # November 2024 on August 2023, November 2025 on August 2024 (BPS publishes August in November)
    assert (nov24["workers_year"], nov24["denominator"]) == (2023, 688_645)
    assert (nov25["workers_year"], nov25["denominator"]) == (2024, 715_619)
    assert nov24["denominator_method"] == "bps_employed"


def test_gresik_published_denominators_and_the_2025_switch_to_ktp_domicile(tmp_path):
    data = write_processed(
        tmp_path,
        workers=GRESIK_BPS,
        denominators=[
            {
                "region_code": GRESIK,
                "year": 2024,
                "denominator": 557_575,
                "sakernas_year": 2023,
                "published_on": "2024-11-21",
                "source_url": "https://www.bpjsketenagakerjaan.go.id/berita/29228",
            }
        ],
        participants=segment_rows("2024-11", GRESIK, TOTAL=292_858) + segment_rows("2025-11", GRESIK, TOTAL=292_116),
    )
    nov24 = row(cov.coverage_table(data, "2024-11"), GRESIK)
    # 292.858 / 557.575 = 52,52% (published: 52,5%), outside ASN/TNI/Polri, published
    assert (nov24["denominator"], nov24["denominator_method"], nov24["denominator_status"]) == (
        557_575,
        "excluding_asn_tni_polri",
        "published",
    )
    assert round(nov24["coverage_pct"], 2) == 52.52 and nov24["status"] == "published"
    assert nov24["denominator_source"] == "https://www.bpjsketenagakerjaan.go.id/berita/29228"
    assert "0.8097 × BPS employed Aug 2023" in nov24["denominator_basis"]  # 557.575 / 688.645
    # 2025: no published row -> all BPS employed Aug 2024 by KTP domicile: 292.116 / 715.619 = 40,82%
    nov25 = row(cov.coverage_table(data, "2025-11"), GRESIK)
    assert (nov25["denominator"], nov25["denominator_method"], nov25["workers_year"]) == (715_619, "ktp_domicile", 2024)
    assert round(nov25["coverage_pct"], 2) == 40.82 and nov25["denominator_status"] == "published"


def test_outside_asn_tni_polri_is_estimated_from_the_published_shares(tmp_path):
    # published 2024 shares of BPS Aug 2023: 80.000/100.000 = 0,8; 70.000/100.000 = 0,7; 90.000/100.000 = 0,9
    codes = ["3501", "3502", "3504"]
    workers = [{"region_code": c, "year": 2023, "workers": 100_000} for c in codes + [TRENGGALEK, LUMAJANG]]
    dens = [
        {"region_code": c, "year": 2024, "denominator": d, "sakernas_year": 2023}
        for c, d in zip(codes, (80_000, 70_000, 90_000))
    ]
    dens.append({"region_code": LUMAJANG, "year": 2023, "denominator": 60_000, "sakernas_year": 2023})
    data = write_processed(
        tmp_path,
        workers=workers,
        denominators=dens,
        participants=segment_rows("2024-06", TRENGGALEK, PU=7_500) + segment_rows("2024-06", LUMAJANG, PU=6_000),
    )
    t = cov.coverage_table(data, "2024-06")
    tr = row(t, TRENGGALEK)
    # no own row: the median of the four published kab/kota shares (0,6 0,7 0,8 0,9) = 0,75 x 100.000 = 75.000;
    # 7.500 / 75.000 = 10%
    assert (tr["denominator"], tr["denominator_status"], tr["status"]) == (75_000, "illustrative", "illustrative")
    assert "median 0.7500 of 4 published kab/kota shares" in tr["denominator_basis"]
    assert tr["coverage_pct"] == pytest.approx(10.0)
    # Lumajang's own published 2023 share (60.000 / 100.000 = 0,6) carries into 2024: 60.000; 6.000 / 60.000 = 10%
    lu = row(t, LUMAJANG)
    assert lu["denominator"] == 60_000 and "own published 2023 share" in lu["denominator_basis"]


def test_a_published_total_is_the_count_and_its_status(tmp_path):
    data = write_processed(
        tmp_path,
        workers=[{"region_code": TRENGGALEK, "year": 2023, "workers": 1_000}],
        participants=segment_rows("2024-06", TRENGGALEK, status="illustrative", PU=100, BPU=50, JAKON=30)
        + segment_rows("2024-06", TRENGGALEK, TOTAL=200),
    )
    r = row(cov.coverage_table(data, "2024-06", denominator="bps"), TRENGGALEK)
    # the published TOTAL (200), not PU + BPU + JAKON (180): 200 / 1.000 = 20%
    assert (r["participants"], r["pu"], r["participants_status"]) == (200, 100, "published")
    assert r["coverage_pct"] == pytest.approx(20.0) and r["status"] == "published"


def test_the_province_row_uses_its_own_published_figures(tmp_path):
    data = write_processed(
        tmp_path,
        workers=[{"region_code": "35", "year": 2022, "workers": 21_613_293}],
        denominators=[{"region_code": "35", "year": 2023, "denominator": 14_531_668}],
        participants=segment_rows("2023-12", "35", PU=3_300_717, BPU=1_036_242, TOTAL=4_336_959)
        + segment_rows("2023-12", TRENGGALEK, status="illustrative", PU=1_000)
        + segment_rows("2023-03", "35", BPU=490_000),
    )
    prov = row(cov.coverage_table(data, "2023-12"), "35")
    # 4.336.959 / 14.531.668 = 29,84%, every figure published (the illustrative kab/kota row is not summed)
    assert (prov["participants"], prov["pu"], prov["bpu"]) == (4_336_959, 3_300_717, 1_036_242)
    assert round(prov["coverage_pct"], 2) == 29.84 and prov["status"] == "published"
    assert "own published figure" in prov["note"]
    assert "0.6723 × BPS employed Aug 2022" in prov["denominator_basis"]  # 14.531.668 / 21.613.293
    # only BPU published for March: no province total, and the page says why
    march = row(cov.coverage_table(data, "2023-03"), "35")
    assert pd.isna(march["participants"]) and march["bpu"] == 490_000
    assert "only BPU published for the province" in march["note"]


def test_month_on_month_change_splits_into_enrolment_and_denominator(tmp_path):
    data = write_processed(
        tmp_path,
        workers=[{"region_code": TRENGGALEK, "year": 2022, "workers": 2_000}],
        denominators=[
            {"region_code": TRENGGALEK, "year": 2023, "denominator": 1_000},
            {"region_code": TRENGGALEK, "year": 2024, "denominator": 1_100},
        ],
        participants=segment_rows("2023-12", TRENGGALEK, TOTAL=100) + segment_rows("2024-01", TRENGGALEK, TOTAL=121),
    )
    r = row(cov.coverage_table(data, "2024-01"), TRENGGALEK)
    # 121 / 1.100 = 11% after 100 / 1.000 = 10%: +1 pp = enrolment 21 / 1.100 (+1,909) + denominator
    # 100 / 1.100 - 100 / 1.000 (-0,909)
    assert r["change_mom_pp"] == pytest.approx(1.0)
    assert r["change_enrolment_pp"] == pytest.approx(21 / 1_100 * 100)
    assert r["change_denominator_pp"] == pytest.approx(100 / 1_100 * 100 - 10.0)


def test_the_trend_chart_marks_where_the_denominator_changes(tmp_path):
    from jamsos_lib.present import charts

    series = pd.DataFrame(
        {
            "period": ["2023-11", "2023-12", "2024-01", "2024-02"],
            "denominator": pd.array([1_000, 1_000, 1_100, 1_100], dtype="Int64"),
        }
    )
    assert charts.denominator_changes(series) == [2]
    assert (
        charts.denominator_changes(series.assign(denominator=pd.array([1_000, pd.NA, 1_100, 1_100], dtype="Int64")))
        == []
    )


def test_banner_only_when_a_headline_figure_is_an_estimate(tmp_path):
    from jamsos_lib.present import status, tables
    from jamsos_lib.present.labels import Labels

    data = write_processed(
        tmp_path,
        workers=[{"region_code": c, "year": 2023, "workers": 100_000} for c in (TRENGGALEK, LUMAJANG)],
        participants=segment_rows("2024-06", TRENGGALEK, PU=10_000)
        + segment_rows("2024-06", LUMAJANG, status="illustrative", PU=20_000),
    )
    t = cov.coverage_table(data, "2024-06", denominator="bps")
    labels = Labels("id")
    # Trenggalek: 10.000 / 100.000 published -> no banner, a plain note that other rows are estimates
    tr = status.banner(t, TRENGGALEK, labels).data
    assert "jamsos-banner" not in tr and "jamsos-estimates-note" in tr
    assert status.coverage_note(row(t, TRENGGALEK).to_dict() | {"region_code": TRENGGALEK}, labels).startswith("resmi")
    # Lumajang: illustrative participants -> the banner, naming the figure (20,00%) and its method
    lu = status.banner(t, LUMAJANG, labels).data
    assert '<div class="jamsos-banner"' in lu and "Cakupan 20,00%: estimasi — peserta ilustratif" in lu
    # Probolinggo: no data for the month -> said plainly, no figure
    assert (
        "Belum ada data peserta BPJS Ketenagakerjaan untuk Kabupaten Probolinggo pada Juni 2024"
        in status.banner(t, PROBOLINGGO, labels).data
    )
    # the province table labels each row's data status
    from jamsos_lib.compute import targets

    table = tables.province_table(t, targets.gap_table(data, "2024-06", denominator="bps"), labels).data
    assert "<th>Data</th>" in table and ">resmi<" in table and ">estimasi<" in table
