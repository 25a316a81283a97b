"""Report charts: the region's bar is the one highlighted, the fast images (ranking, trend,
gap) do not depend on what was drawn before them, and no chart cuts off any of its text (the PNGs are
saved without matplotlib's "tight" bounding-box pass, so the layout engine alone must fit
everything in the figure)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from jamsos_lib.compute import coverage, targets
from jamsos_lib.present import charts, fmt, style
from jamsos_lib.present.labels import Labels

# six kab/kota, all with bars long enough to be found in the image
TABLE = pd.DataFrame(
    {
        "region_code": ["35", "3501", "3502", "3503", "3504", "3505", "3578"],
        "region_name": [
            "Jawa Timur",
            "Kabupaten Pacitan",
            "Kabupaten Ponorogo",
            "Kabupaten Trenggalek",
            "Kabupaten Tulungagung",
            "Kabupaten Blitar",
            "Kota Surabaya",
        ],
        "level": ["province", "kabkota", "kabkota", "kabkota", "kabkota", "kabkota", "kabkota"],
        "coverage_pct": [30.0, 21.0, 35.5, 26.04, 44.0, 30.2, 48.9],
    }
)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))


def _bands(png: bytes) -> list[str]:
    """Horizontal bars from top to bottom: 'grey' or 'orange': runs of at least 4 rows with
    >= 60 pixels of exactly the bar colour (text in those colours never has that many in a
    row; the axis line, in the grey, is thinner)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    grey = (pixels == _rgb(style.MUTED)).all(axis=2).sum(axis=1) >= 60
    orange = (pixels == _rgb(style.HIGHLIGHT)).all(axis=2).sum(axis=1) >= 60
    rows = ["orange" if o else "grey" if g else "" for g, o in zip(grey, orange)]
    runs: list[list] = []
    for row in rows:
        if runs and runs[-1][0] == row:
            runs[-1][1] += 1
        else:
            runs.append([row, 1])
    return [kind for kind, length in runs if kind and length >= 4]


@pytest.fixture(autouse=True)
def _no_kept_charts():
    charts.forget_kept()
    yield
    charts.forget_kept()


@pytest.mark.parametrize("code, position", [("3578", 0), ("3503", 4), ("3501", 5), ("3505", 3)])
def test_ranking_png_highlights_the_regions_bar(code, position):
    # highest first: Surabaya 48,9; Tulungagung 44,0; Ponorogo 35,5; Blitar 30,2; Trenggalek 26,04; Pacitan 21,0
    bands = _bands(charts.ranking_png(TABLE, Labels("id"), highlight=code).data)
    assert len(bands) == 6  # the province row is not a bar
    assert bands.index("orange") == position
    assert bands.count("orange") == 1


def test_ranking_png_without_highlight_is_all_grey():
    assert _bands(charts.ranking_png(TABLE, Labels("id")).data) == ["grey"] * 6


def test_ranking_png_does_not_depend_on_what_was_drawn_before():
    labels = Labels("id")
    first = charts.ranking_png(TABLE, labels, highlight="3503").data
    other = charts.ranking_png(TABLE, labels, highlight="3578").data
    again = charts.ranking_png(TABLE, labels, highlight="3503").data
    charts.forget_kept()  # a fresh process
    fresh = charts.ranking_png(TABLE, labels, highlight="3503").data
    assert first == again == fresh
    assert other != first


def test_ranking_png_redraws_when_anything_shown_changes():
    labels = Labels("id")
    before = charts.ranking_png(TABLE, labels, highlight="3503").data
    changed = TABLE.assign(coverage_pct=TABLE["coverage_pct"].where(TABLE["region_code"] != "3502", 36.5))
    assert charts.ranking_png(changed, labels, highlight="3503").data != before
    assert charts.ranking_png(TABLE, Labels("en"), highlight="3503").data != before
    assert charts.ranking_png(TABLE, labels, highlight="3503", target=40.0).data != before
    assert len(charts._KEPT) <= charts._KEPT_MAX


def test_ranking_png_keeps_the_target_line_over_the_highlighted_bar():
    # target 30 crosses every bar longer than 30 %, the highlighted one included
    png = charts.ranking_png(TABLE, Labels("id"), highlight="3578", target=30.0).data
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    orange_rows = np.where((pixels == _rgb(style.HIGHLIGHT)).all(axis=2).sum(axis=1) >= 60)[0]
    band = pixels[orange_rows[0] : orange_rows[-1] + 1]
    assert (band == _rgb(style.TARGET)).all(axis=2).any()


# ------------------------------------------------------------------ every text inside the figure


def _drawn_outside(fig) -> list[str]:
    """Where the drawn artists reach beyond the figure (the box a "tight" save would crop
    to, in inches, against the figure's own size); empty when everything is inside."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    box = fig.get_tightbbox(canvas.get_renderer())
    width, height = fig.get_size_inches()
    slack = 1.5 / fig.dpi  # a pixel and a half of anti-aliasing
    sides = {"left": -box.x0, "bottom": -box.y0, "right": box.x1 - width, "top": box.y1 - height}
    return [f"{side} by {over:.3f} in" for side, over in sides.items() if over > slack]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    import report_fixture

    from jamsos_lib import store

    data = store.load(report_fixture.build(tmp_path_factory.mktemp("charts") / "processed"))
    period = report_fixture.PERIOD
    cov = coverage.coverage_table(data, period, province="35")
    gap = targets.gap_table(data, period, province="35")
    series = coverage.coverage_series(data, "3503", period, months=24)
    return data, cov, gap, series


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_chart_cuts_off_its_text(tables, lang):
    data, cov, gap, series = tables
    labels = Labels(lang)
    row = gap[gap["region_code"] == "3503"].iloc[0].to_dict()
    scenarios = pd.DataFrame({"scenario": ["close_gap", "budget"], "cost_rp": [2_092_600_000.0, 640_000_000.0]})
    # the widest texts these charts can have: "100%" ticks, a projection of tens of thousands a month
    near_full = series.assign(**{c: series[c] * 3 for c in series if str(c).startswith("coverage_")})
    steep = {**row, "trend_per_month": 123_456.0, "target_pct": 95.5}
    figures = {
        "trend": charts.trend_by_segment(series, labels, title=labels["trend_title"]),
        "trend_100": charts.trend_by_segment(near_full, labels),
        "gap_steep": charts.gap_projection(near_full, steep, labels, title=labels["gap_title"]),
        "ranking": charts.ranking(cov, labels, highlight="3578", target=40.0),
        "gap": charts.gap_projection(series, row, labels),
        "tiles": charts.tile_map(gap, data.registry.kabkota("35"), labels, by="status", title=labels["status"]),
        "distribution": charts.distribution_vs_target(gap, labels),
        "scenarios": charts.scenario_bars(scenarios, labels),
    }
    problems = {name: out for name, fig in figures.items() if (out := _drawn_outside(fig))}
    assert not problems


def test_the_fast_ranking_leaves_room_for_the_widest_highlight():
    # the region with the longest bar highlighted: its value is written past the bar's end
    png = charts.ranking_png(TABLE, Labels("id"), highlight="3578").data
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    right_edge = pixels[:, -3:]
    assert (right_edge == 255).all()  # nothing drawn up to the image's right border


@pytest.mark.parametrize("target_year", [2025, 2029, 2045])
def test_month_labels_never_overlap(tables, target_year):
    # a target far away stretches the projection over up to ten years of months
    data, cov, gap, series = tables
    row = {**gap[gap["region_code"] == "3503"].iloc[0].to_dict(), "target_year": target_year}
    gaps = _label_gaps(charts.gap_projection(series, row, Labels("id")))
    assert len(gaps) >= 2  # at least three labels
    assert all(gap > 0 for gap in gaps)


@pytest.mark.parametrize("by", ["coverage", "status"])
def test_tile_names_stay_inside_their_tiles(tables, by):
    # seen: "Lamongan", "Kota Surabaya", "Kota Pasuruan" ran over their tiles' edges
    data, _cov, gap, _series = tables
    regions = data.registry.kabkota("35")
    fig = charts.tile_map(gap, regions, Labels("id"), by=by)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    tiles = [p.get_window_extent(renderer) for p in ax.patches]
    assert len(tiles) == len(regions) == 38
    names = [t for t in ax.texts if not t.get_text().endswith("%") and t.get_text() != fmt.NA_TEXT]
    assert len(names) == 38
    for text in names:
        box = text.get_window_extent(renderer)
        centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
        (tile,) = [t for t in tiles if t.contains(*centre)]
        assert tile.x0 <= box.x0 and box.x1 <= tile.x1, text.get_text()
        assert text.get_fontsize() >= charts.TILE_NAME_MIN_PT


def _label_gaps(fig) -> list[float]:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = sorted(
        (t.get_window_extent(renderer) for t in fig.axes[0].get_xticklabels() if t.get_text()), key=lambda b: b.x0
    )
    return [right.x0 - left.x1 for left, right in zip(boxes, boxes[1:])]


def _months(n: int) -> pd.DataFrame:
    periods = [str(p) for p in pd.period_range("2023-07", periods=n, freq="M")]
    return pd.DataFrame(
        {"period": periods, "coverage_pct": [20 + 0.1 * i for i in range(n)], "coverage_pu_pct": [10.0] * n}
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_trend_month_labels_stay_apart_and_end_on_the_report_month(lang):
    # seen: 22 months labelled "Jan 2025" and "Apr 2025" on top of each other
    for n in (2, 3, 5, 8, 13, 19, 20, 22, 23, 24, 25, 26, 27, 30, 36, 39):
        fig = charts.trend_by_segment(_months(n), Labels(lang))
        texts = [t.get_text() for t in fig.axes[0].get_xticklabels()]
        assert texts[-1] == fmt.month_short(_months(n)["period"].iloc[-1], lang), n
        assert all(gap >= 6 for gap in _label_gaps(fig)), (n, texts)  # pixels of free space


@pytest.mark.parametrize("target_year", [None, 2026, 2030, 2045])
def test_gap_month_labels_stay_apart_for_any_length_of_history(target_year):
    row = {
        "trend_per_month": 100,
        "denominator": 100_000,
        "participants": 20_000,
        "target_pct": 40.0,
        "target_year": float("nan") if target_year is None else target_year,
    }
    for n in (6, 13, 24, 25):
        fig = charts.gap_projection(_months(n), row, Labels("id"))
        assert all(gap >= 6 for gap in _label_gaps(fig)), (n, [t.get_text() for t in fig.axes[0].get_xticklabels()])


# ------------------------------------------------------------------ kept figures: same pixels


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def _figure_pixels(fig) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def test_trend_and_gap_images_do_not_depend_on_what_was_drawn_before(tables):
    """Every region of the fixture, one after another on the kept figures (as a warm kernel
    draws them), in both languages and with a far target year: each image is byte for byte
    the one a fresh process draws, and pixel for pixel the chart the Figure functions give."""
    data, cov, gap, _ = tables
    period = "2025-06"
    codes = list(gap.loc[gap["level"] == "kabkota", "region_code"])
    assert len(codes) >= 5
    cases = []
    for lang in ("id", "en"):
        for code in codes:
            series = coverage.coverage_series(data, code, period, months=24)
            row = gap[gap["region_code"] == code].iloc[0].to_dict()
            cases.append((Labels(lang), series, row))
    far = {**cases[0][2], "target_year": 2045}  # 10 years of months: other ticks, a longer axis
    no_target = {**cases[1][2], "target_pct": None}  # no target line: another legend
    cases += [(cases[0][0], cases[0][1], far), (cases[1][0], cases[1][1], no_target)]
    warm = [(charts.trend_png(s, labels).data, charts.gap_png(s, row, labels).data) for labels, s, row in cases]
    assert len({w[0] for w in warm}) > 1 and len({w[1] for w in warm}) > 1  # the regions differ
    for (labels, s, row), (trend, gap_image) in zip(cases, warm):
        charts.forget_kept()  # a fresh process
        assert charts.trend_png(s, labels).data == trend
        assert charts.gap_png(s, row, labels).data == gap_image
        assert (_pixels(trend) == _figure_pixels(charts.trend_by_segment(s, labels))).all()
        assert (_pixels(gap_image) == _figure_pixels(charts.gap_projection(s, row, labels))).all()


def test_kept_figures_follow_the_style_in_force(tables):
    import matplotlib.pyplot as plt

    data, cov, gap, series = tables
    before = charts.trend_png(series, Labels("id")).data
    with plt.rc_context({"xtick.major.size": 9.0}):  # not set by the house style: longer x ticks
        changed = charts.trend_png(series, Labels("id")).data
    assert changed != before
    assert charts.trend_png(series, Labels("id")).data == before


def test_the_coverage_histogram_is_bounded_whatever_the_coverage():
    # issue 16: 10^15 participants in Kab. Pacitan gave a coverage of 217.635.434.538 % and a
    # bin every 2,5 points; the bins must not grow with the value
    table = TABLE.assign(coverage_pct=[30.0, 217_635_434_538.0, 35.5, 26.04, 44.0, 30.2, 48.9], status=["on_track"] * 7)
    fig = charts.distribution_vs_target(table, Labels("id"))
    bars = fig.axes[0].patches
    # Pacitan clipped to 200 %: bins from 25 % (26,04 floored to 2,5) to 202,5 %: (202,5 - 25) / 2,5 = 71
    assert len(bars) == 71
    assert min(b.get_x() for b in bars) == 25.0
    assert max(b.get_x() + b.get_width() for b in bars) == pytest.approx(202.5)
    assert sum(b.get_height() for b in bars) == 6  # the six kab/kota
    assert bars[-1].get_height() == 1  # Pacitan, in the last bin
    fine = charts.distribution_vs_target(table, Labels("id"), bin_pp=0.001)  # 177.500 bins asked for
    assert len(fine.axes[0].patches) == charts.HIST_MAX_BINS


def test_at_most_two_rankings_are_kept_and_other_charts_stay():
    # a ranking keeps its pixels (~5 MB for a province of 38): only the two most recent
    # tables' (a province page's and its regions') are worth keeping
    built: list[tuple] = []

    def keep(key):
        return charts._kept(key, lambda: built.append(key) or key)

    keep(("trend", "a"))
    for province in ("35", "36", "51"):
        keep(("ranking", province))
    keep(("ranking", "36"))  # still kept: not built again
    assert [k for k in charts._KEPT] == [("trend", "a"), ("ranking", "51"), ("ranking", "36")]
    assert built.count(("ranking", "36")) == 1
