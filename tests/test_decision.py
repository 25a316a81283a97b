"""The decision on the first screen (issue 14): coverage of which denominator, the target of its
year and source, the gap in points and persons, the cost of closing it by the end of the
target year at the official package (and the months it assumes), status, pace needed
against pace seen; the province's cost section; the index sorted by who is furthest behind.

Figures worked out by hand from tests/report_fixture.py (June 2025; see
tests/test_html_export.py HEADLINES_BY_HAND for coverage and gaps): the official package is
JKK Rp 10.000 + JKM Rp 6.800 = Rp 16.800; 6 months are left in 2025 (July..December).
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

import report_fixture
from jamsos_lib import store
from jamsos_lib.compute import coverage, targets
from jamsos_lib.present import fmt, tables
from jamsos_lib.present.labels import Labels
from jamsos_lib.reports.index import build_index


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    data = store.load(report_fixture.build(tmp_path_factory.mktemp("decision") / "processed"))
    return data, coverage.coverage_table(data, report_fixture.PERIOD), targets.gap_table(data, report_fixture.PERIOD)


def cards(markup: str) -> dict[str, tuple[str, str]]:
    """``data-figure`` key -> (value, note) of the headline cards (unescaped, tags dropped)."""
    out = {}
    for card in re.findall(r'<div class="card">(.*?)</div>', markup):
        key = re.search(r'data-figure="([^"]+)"', card).group(1)
        value = re.search(r'class="card-value"[^>]*>([^<]*)<', card).group(1)
        note = re.search(r'<span class="card-note">(.*)</span>$', card)
        out[key] = (html.unescape(value), html.unescape(re.sub(r"<[^>]+>", "", note.group(1))) if note else "")
    return out


def test_region_headline_carries_the_decision(fixture):
    _data, cov, gap = fixture
    shown = cards(tables.region_headline(gap, cov, "3513", Labels("id")).data)
    assert shown["coverage_pct"][0] == "33,08%"
    assert "dari pekerja yang memenuhi syarat (UCJ)" in shown["coverage_pct"][1]
    assert shown["target_pct"] == ("40,00%", "Pemprov Jatim · 2025")
    assert shown["gap_pp"] == ("6,9 pp", "13.980 pekerja perlu dilindungi")
    # 13.980 persons × 6 months × Rp 16.800 = Rp 1.409.184.000
    assert shown["close_cost_rp"] == ("Rp 1,41 miliar", "6 bulan (Jul–Des 2025) × Rp 16.800 paket resmi")
    assert shown["status_label"][0] == "Tertinggal"
    # 13.980 ÷ 6 = 2.330 a month needed; the fixture's participants grow 40 + 15 + 15 = 70 a month
    assert shown["needed_per_month"] == ("2.330", "orang; laju terlihat: +70 orang per bulan")


def test_region_headline_in_english_has_english_numbers(fixture):
    _data, cov, gap = fixture
    shown = cards(tables.region_headline(gap, cov, "3513", Labels("en")).data)
    assert shown["target_pct"][0] == "40.00%" and shown["gap_pp"][1] == "13,980 workers still to cover"
    assert shown["close_cost_rp"][0] == "Rp 1.41 billion"


def test_a_region_above_target_reads_target_reached_with_its_surplus(fixture):
    # Trenggalek: 45.880 ÷ 143.650 = 31,94% against its own 30% for 2025: 1,9 pp above;
    # 45.880 − ceil(30% × 143.650 = 43.095) = 2.785 persons more
    _data, cov, gap = fixture
    markup = tables.region_headline(gap, cov, "3503", Labels("id")).data
    shown = cards(markup)
    assert shown["gap_pp"] == ("target tercapai", "1,9 pp di atas target · 2.785 orang lebih")
    assert shown["close_cost_rp"] == ("Rp 0", "tidak perlu biaya: target tercapai")
    assert shown["status_label"] == ("Tercapai", "")
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    assert "0,0 pp" not in text and not re.search(r"target tercapai: \w+ \d{4}", text)
    summary = html.unescape(tables.gap_summary(gap, "3503", Labels("id")).data)
    assert "Juni 2025" not in summary and "target tercapai" in summary


def test_province_cost_section_sets_the_sum_beside_the_net_gap(fixture):
    data, _cov, gap = fixture
    by_region = gap[gap["level"] == "kabkota"]
    behind = by_region[by_region["gap_persons"] > 0]
    assert len(behind) == 37  # every kab/kota but Trenggalek
    persons = int(behind["gap_persons"].sum())
    markup = tables.province_cost_section(gap, Labels("id"), "35").data
    shown = cards(markup)
    label = re.search(
        r'<span class="card-label">([^<]*)</span><span class="card-value" '
        r'data-figure="kabkota_cost_rp"',
        markup,
    ).group(1)
    assert label == "Jumlah selisih 37 kab/kota di bawah target"
    # 578.940 persons × 6 × 16.800 = Rp 58.357.152.000; the province row: 590.520 × 6 × 16.800
    assert persons == 578_940
    assert shown["kabkota_cost_rp"][0] == "Rp 58,4 miliar" and shown["kabkota_cost_rp"][1].startswith("578.940 orang. ")
    assert shown["province_cost_rp"][0] == "Rp 59,5 miliar" and shown["province_cost_rp"][1].startswith(
        "590.520 orang. "
    )
    assert "Biaya = orang × 6 bulan (Jul–Des 2025) × Rp 16.800" in html.unescape(markup)


def test_index_has_gap_persons_cost_and_status_furthest_behind_first(fixture):
    _data, _cov, gap = fixture
    page = build_index(report_fixture.PERIOD, gap.to_dict("records"), illustrative=True)
    rows = re.findall(r'<tr data-region="(\d{4})">(.*?)</tr>', page)
    assert len(rows) == 38
    gaps = gap.set_index("region_code")["gap_pp"]
    codes = [code for code, _ in rows]
    behind = [c for c in codes if gaps[c] > 0]
    assert codes[: len(behind)] == behind and codes[-1] == "3503"  # reached: after every region behind
    assert [float(gaps[c]) for c in behind] == sorted((float(gaps[c]) for c in behind), reverse=True)
    cells = dict(rows)

    def cell(code, key):
        return html.unescape(re.search(rf'data-figure="{key}">([^<]*)<', cells[code]).group(1))

    assert (
        cell("3513", "gap_pp"),
        cell("3513", "gap_persons"),
        cell("3513", "close_cost_rp"),
        cell("3513", "status"),
    ) == ("6,9 pp", "13.980", "Rp 1,41 miliar", "Tertinggal")
    assert cell("3503", "gap_pp") == "target tercapai (+1,9 pp)"


def test_every_chart_of_a_region_says_region_measure_and_key_value(fixture):
    from jamsos_lib.present import charts

    data, cov, gap = fixture
    labels = Labels("id")
    series = coverage.coverage_series(data, "3513", report_fixture.PERIOD, months=24)
    row = tables.row_of(gap, "3513")
    alts = [
        charts.trend_png(series, labels).alt,
        charts.ranking_png(cov, labels, highlight="3513").alt,
        charts.gap_png(series, row, labels).alt,
    ]
    assert len(set(alts)) == 3 and all("Probolinggo" in a for a in alts)
    # 66.880 ÷ 202.150 = 33,1% this month; the fixture's first month (July 2023) 32,6%
    assert "33,1% pada Juni 2025" in alts[0] and "32,6% pada Juli 2023" in alts[0]
    assert "bagian tiap segmen dari seluruh penyebut" in alts[0]
    assert "peringkat 26 dari 38" in alts[1] and "33,1%" in alts[1]
    # 66.880 + 70 × 6 = 67.300 ÷ 202.150 = 33,3% in December 2025
    assert "Target 40,0% untuk 2025" in alts[2] and "+70 orang per bulan" in alts[2] and "33,3%" in alts[2]


def test_segment_lines_are_named_shares_of_the_denominator_not_coverage():
    labels = Labels("id")
    assert "penyebut" in labels["trend_ylabel"] and "Cakupan" not in labels["trend_ylabel"]
    assert "bukan cakupan segmen" in labels["trend_note"]
    en = Labels("en")
    assert "share of the denominator" in en["trend_note"] and "Coverage" not in en["trend_ylabel"]


def test_province_table_reads_target_reached_never_zero_points(fixture):
    _data, cov, gap = fixture
    labels = Labels("id")
    markup = html.unescape(tables.province_table(cov, gap, labels).data)
    gap_cells = re.findall(rf'<td[^>]*data-label="{re.escape(labels["gap_pp"])}"[^>]*>([^<]*)</td>', markup)
    assert len(gap_cells) == 39 and "0,0 pp" not in gap_cells
    row = re.search(r"<tr>(?:(?!</tr>).)*Trenggalek(?:(?!</tr>).)*</tr>", markup, re.S).group(0)
    assert re.search(rf'data-label="{re.escape(labels["gap_pp"])}"[^>]*>target tercapai<', row)


def test_a_december_page_and_index_show_a_full_year_s_cost_when_no_month_is_left():
    """In December no month of the target year is left: the cost shown is a full year's
    (persons × 12 × the package), labelled as such, never a bare '–'."""
    from jamsos_lib.present.labels import Labels
    from jamsos_lib.present.tables import _cost_note, closing_cost_text

    row = {
        "close_cost_rp": None,
        "close_cost_12m_rp": 79_719 * 12 * 16_800,
        "months_left": 0,
        "official_monthly_rp": 16_800,
        "gap_persons": 79_719,
        "target_year": 2025,
        "status": "off_track",
        "period": "2025-12",
    }
    # 79.719 x 12 x 16.800 = 16.071.350.400 -> "Rp 16,07 miliar" (short form)
    assert closing_cost_text(row, "id").endswith("(12 bulan)") and closing_cost_text(row, "id").startswith("Rp 16,")
    assert closing_cost_text(row, "en").endswith("(12 months)")
    assert _cost_note(row, Labels("id")) == (
        "tidak ada bulan tersisa di 2025: biaya setahun penuh, 12 bulan × Rp 16.800 paket resmi"
    )
    # with months left, the months-left cost is shown as before
    assert closing_cost_text({**row, "close_cost_rp": 1_209_600_000, "months_left": 6}, "id") == "Rp 1,21 miliar"
    assert closing_cost_text({**row, "close_cost_12m_rp": None}, "id") == "–"


def test_a_december_headline_shows_the_pace_needed_over_a_full_year(fixture):
    """No month left: "Dibutuhkan per bulan" is the gap over 12 months, labelled "(12 bulan)"
    like the cost beside it, not a bare '–'."""
    _data, cov, gap = fixture
    behind = gap[(gap["level"] == "kabkota") & (gap["gap_persons"] > 1000)].iloc[0]
    code, persons = behind["region_code"], int(behind["gap_persons"])
    assert behind["needed_per_month_12m"] == persons / 12
    december = gap.assign(months_left=0, needed_per_month=pd.NA, close_cost_rp=pd.NA)
    shown = cards(tables.region_headline(december, cov, code, Labels("id")).data)
    assert shown["needed_per_month"][0] == f"{fmt.number(persons / 12)} (12 bulan)"
    # with months left, the months-left pace as before
    shown = cards(tables.region_headline(gap, cov, code, Labels("id")).data)
    assert shown["needed_per_month"][0] == fmt.number(behind["needed_per_month"])


def test_a_december_province_page_shows_a_full_year_s_cost_for_both_gaps(fixture):
    """With no month of the target year left, the province's cost section shows the added-up
    and the net gap at 12 months of the package, labelled as such, never a bare '–'."""
    _data, _cov, gap = fixture
    december = gap.assign(months_left=0, close_cost_rp=pd.NA)
    shown = cards(tables.province_cost_section(december, Labels("id"), "35").data)
    sums = targets.province_gap_sums(gap, "35").iloc[0]
    assert sums["kabkota_cost_12m_rp"] == sums["kabkota_gap_persons"] * 12 * sums["official_monthly_rp"]
    assert shown["kabkota_cost_rp"][0] == f"{fmt.rupiah_short(sums['kabkota_cost_12m_rp'])} (12 bulan)"
    assert shown["province_cost_rp"][0] == f"{fmt.rupiah_short(sums['province_cost_12m_rp'])} (12 bulan)"
