"""Report charts: functions that take library tables and return a closed matplotlib Figure.

Every function draws in the house style (:mod:`jamsos_lib.present.style`), labels axes in
the report's language (:class:`~jamsos_lib.present.labels.Labels`, Indonesian by default)
and formats numbers with :mod:`jamsos_lib.present.fmt`. Figures are **closed** before they
are returned (``plt.close``), so a batch that draws thousands of charts does not keep them
in pyplot's registry; a closed figure still renders. Show one in a notebook with
:func:`png` (an ``IPython.display.Image``, embedded as PNG in the HTML page).

The region pages draw three charts each, hundreds of times a month, with functions that
return the image directly and keep figures between calls (:data:`_KEPT`):
:func:`ranking_png` keeps the grey chart of a table and only re-draws one region's
highlight on it; :func:`trend_png` and :func:`gap_png` keep the figure, axes, ticks and
legend of :func:`trend_by_segment` / :func:`gap_projection` and only set the next
region's data on them. Their images do not depend on what was drawn before (tests). The
charts every region page draws sit at fixed margins
(:func:`jamsos_lib.present.style.fixed_figure`); the others use the constrained layout
engine. Nothing is saved with ``bbox_inches="tight"`` (one render per chart, not two);
``tests/test_charts.py`` checks that no chart draws outside its figure.
"""

from __future__ import annotations

import functools
import io
import math

import matplotlib.pyplot as plt
import numpy as np
import matplotlib.ticker as mticker
import pandas as pd
from IPython.display import Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import IdentityTransform

from jamsos_lib.compute.targets import status_label
from jamsos_lib.present import fmt, shown, style
from jamsos_lib.present.labels import Labels
from jamsos_lib.regions import short_name


def png(fig: Figure) -> Image:
    """The figure as an embedded PNG image (house DPI), for ``display``."""
    buf = io.BytesIO()
    # the layout engine has already fitted everything in the figure: no second, "tight", pass
    fig.savefig(
        buf, format="png", dpi=style.DPI, facecolor="white", pil_kwargs={"compress_level": style.PNG_COMPRESS_LEVEL}
    )
    plt.close(fig)
    return Image(data=buf.getvalue(), format="png")


class Chart:
    """A chart's PNG with its alt text, for ``display``: the page's ``<img>`` gets ``alt``
    (the ``jamsos`` template reads ``metadata.jamsos.alt``), JupyterLab shows the image,
    a plain-text front end the alt text. ``data``: the PNG bytes."""

    def __init__(self, data: bytes, alt: str):
        self.data, self.alt = data, alt

    def _repr_mimebundle_(self, include=None, exclude=None):
        import base64

        return (
            {"image/png": base64.b64encode(self.data).decode("ascii"), "text/plain": self.alt},
            {"jamsos": {"alt": self.alt}},
        )


def _done(fig: Figure) -> Figure:
    plt.close(fig)
    return fig


def _autoscale(ax) -> None:
    """Fit the view to the data now on ``ax`` (its lines' data may have been replaced)."""
    ax.relim()
    ax.set_autoscale_on(True)
    ax.autoscale_view()


def _style_key() -> tuple:
    """The style the next figure gets (the house style over what is in force), for keys of
    kept charts: a chart kept under another style is not re-used."""
    style.apply()
    return tuple(sorted((k, repr(v)) for k, v in plt.rcParams.items()))


def _encode_png(canvas: FigureCanvasAgg) -> bytes:
    """The pixels now on an Agg ``canvas`` as PNG (house compression)."""
    from PIL import Image as PILImage

    buf = io.BytesIO()
    PILImage.fromarray(np.asarray(canvas.buffer_rgba())).save(
        buf, format="png", compress_level=style.PNG_COMPRESS_LEVEL
    )
    return buf.getvalue()


def _canvas_png(fig: Figure) -> bytes:
    """Render ``fig`` on its own Agg canvas and encode the pixels as PNG."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return _encode_png(canvas)


#: Charts kept between calls: the figure of a chart drawn for one region is re-used for the
#: next region with the same structure (same lines, legend, title, language and style).
#: Creating a figure, its axes and their ticks is ~40 % of a small chart's time; the
#: ``_*_data`` functions then set every value the chart shows, so a kept figure gives the
#: same pixels as a new one (tests/test_charts.py), whatever was drawn on it before.
_KEPT: dict[tuple, object] = {}
_KEPT_MAX = 8
#: At most this many kept charts of one kind (a key's first item). A ranking or a map is kept
#: with its pixels (~5 MB for a province of 38 kab/kota) and serves the pages of one
#: province's table, which a batch renders one after another: the province page's and its
#: regions' are all that is worth keeping. Keeping eight made each kernel of a national
#: month hold ~40 MB of other provinces' charts (bench/README.md, issue 13).
_KEPT_MAX_OF_KIND = {"ranking": 2, "map": 2}


def _kept(key: tuple, build):
    """``build()``'s result kept under ``key`` (the ``_KEPT_MAX`` most recently used are kept,
    and at most :data:`_KEPT_MAX_OF_KIND` of a kind)."""
    value = _KEPT.pop(key, None)
    if value is None:
        value = build()
    _KEPT[key] = value  # most recent last
    kind, limit = key[0], _KEPT_MAX_OF_KIND.get(key[0])
    if limit is not None:
        same = [k for k in _KEPT if k[0] == kind]  # oldest first
        for old in same[: len(same) - limit]:
            del _KEPT[old]
    while len(_KEPT) > _KEPT_MAX:
        _KEPT.pop(next(iter(_KEPT)))
    return value


def forget_kept() -> None:
    """Forget every kept chart, as in a new process (for tests and long sessions)."""
    _KEPT.clear()


def _pct_axis(axis, lang: str, digits: int = 0) -> None:
    # every draw pass formats every tick again (~100 calls a chart): format each value once
    text = functools.lru_cache(maxsize=256)(lambda v: fmt.percent(v, lang, digits))
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _pos: text(v)))


#: free space kept between two month labels under a chart (points)
TICK_GAP_PT = 8.0


@functools.lru_cache(maxsize=1024)
def _text_width_pt(text: str, size_pt: float, family: tuple) -> float:
    """Width of ``text`` set in ``family`` at ``size_pt``, in points (no renderer needed)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family=list(family), size=size_pt)
    return TextToPath().get_text_width_height_descent(text, prop, ismath=False)[0]


def _month_ticks(n: int, step: int, fits) -> list[int]:
    """Every ``step``-th of ``n`` months from the first, and the last month: a full step
    after the previous label, or instead of it when closer; with a single regular label,
    beside it when ``fits(first, last)``."""
    ticks = list(range(0, n, step))
    last = n - 1
    if ticks[-1] != last:
        if last - ticks[-1] >= step:
            ticks.append(last)
        elif len(ticks) > 1:
            ticks[-1] = last
        elif fits(ticks[-1], last):
            ticks.append(last)
    return ticks


def _period_ticks(ax, periods: list[str], lang: str, every: int = 6, max_labels: int = 5) -> None:
    """Month labels under a monthly axis whose x limits are already set (one unit a month).

    A label every ``every`` months, or a multiple of it: at most ``max_labels`` regular
    labels, and two neighbours never closer than :data:`TICK_GAP_PT` (their widths
    measured in the tick font against the axis's width: a long series on a phone-width
    chart gets fewer labels rather than overlapping ones). The last month (the report's
    month, or the projection's end) is always labelled (:func:`_month_ticks`)."""
    from matplotlib.font_manager import FontProperties

    n = len(periods)
    if not n:
        return
    labels = [fmt.month_short(p, lang) for p in periods]
    x0, x1 = ax.get_xlim()
    pt_per_month = ax.get_position().width * ax.figure.get_figwidth() * 72 / max(abs(x1 - x0), 1e-9)
    size = FontProperties(size=plt.rcParams["xtick.labelsize"]).get_size_in_points()
    family = tuple(plt.rcParams["font.family"])

    def fits(i: int, j: int) -> bool:
        half_widths = (_text_width_pt(labels[i], size, family) + _text_width_pt(labels[j], size, family)) / 2
        return (j - i) * pt_per_month >= half_widths + TICK_GAP_PT

    step = every * max(1, math.ceil(n / (every * max_labels)))
    while True:
        ticks = _month_ticks(n, step, fits)
        if step >= n or all(fits(i, j) for i, j in zip(ticks, ticks[1:])):
            break
        step += every
    ax.set_xticks(ticks)
    ax.set_xticklabels([labels[i] for i in ticks])


def _wrap(text: str, width: int = 22) -> str:
    words, lines, line = str(text).split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)


SERIES_COLUMNS = {
    "TOTAL": "coverage_pct",
    "PU": "coverage_pu_pct",
    "BPU": "coverage_bpu_pct",
    "JAKON": "coverage_jakon_pct",
    "PMI": "coverage_pmi_pct",
}


def _short_name(name: str, kind: str, letters: int = 8) -> str:
    """Tile label: at most ``letters`` letters a line, ``Kota`` on its own line for a kota."""
    name = str(name)
    short = name if len(name) <= letters else name[: letters - 1] + "."
    return f"Kota\n{short}" if kind == "Kota" else short


#: tile label font: the size it gets where it fits, the smallest it may shrink to (8,5 pt is
#: 9 CSS px on a 390 px phone, where the 528 px image is shown 366 px wide)
TILE_NAME_PT, TILE_NAME_MIN_PT = 9.0, 8.5


def _tile_names(regions: list[tuple[str, str]], width_pt: float) -> tuple[list[str], float]:
    """The tiles' names (``(name, type)`` each) and ONE font size for all, fitted into
    ``width_pt``: the largest size up to :data:`TILE_NAME_PT` at which every short name
    fits, not below :data:`TILE_NAME_MIN_PT`; a name that still does not fit there is cut
    one letter at a time (seen: "Lamongan" and "Kota Surabaya" ran over their tiles)."""
    family = tuple(plt.rcParams["font.family"])

    def widest(text: str, size: float) -> float:
        return max(_text_width_pt(line, size, family) for line in text.split("\n"))

    full = [_short_name(name, kind) for name, kind in regions]
    size = TILE_NAME_PT
    if full:
        size = max(
            TILE_NAME_MIN_PT, min(TILE_NAME_PT, min(TILE_NAME_PT * width_pt / widest(s, TILE_NAME_PT) for s in full))
        )
        size = math.floor(size * 4) / 4  # quarter points: the same size for nearly the same room
    names = []
    for (name, kind), text in zip(regions, full):
        letters = 8
        while widest(text, size) > width_pt and letters > 3:
            letters -= 1
            text = _short_name(name, kind, letters)
        names.append(text)
    return names, size


def _trend_segments(s: pd.DataFrame) -> list[str]:
    """The segments the trend chart draws: those with a figure in at least one month."""
    return [seg for seg, col in SERIES_COLUMNS.items() if col in s and not s[col].isna().all()]


def _trend_frame(labels: Labels, segments: list[str], title: str | None):
    """The trend chart without its data: axes, an empty line per segment, legend."""
    fig, ax = style.fixed_figure(left=0.8, bottom=1.12, right=0.38, top=0.1 + (0.35 if title else 0))
    lines = [
        ax.plot(
            [],
            [],
            label=labels["trend_total"] if seg == "TOTAL" else labels.segment(seg),
            color=style.SEGMENT_COLOURS[seg],
            linewidth=3 if seg == "TOTAL" else 1.8,
        )[0]
        for seg in segments
    ]
    _pct_axis(ax.yaxis, labels.lang)
    # the segment lines are each segment's participants ÷ the whole denominator (the data
    # has no denominator per segment), so the axis says that, not "coverage"
    ax.set_ylabel(labels["trend_ylabel"])
    if title:
        ax.set_title(title, loc="left")
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=10.5, handlelength=1.2, columnspacing=0.8
    )
    return _done(fig), ax, lines


#: the label of the marker where the coverage denominator changes (a new Sakernas year)
DENOMINATOR_MARK = {"id": "penyebut baru", "en": "new denominator"}


def _trend_data(ax, lines, s: pd.DataFrame, segments: list[str], lang: str) -> None:
    """Put one region's months on a :func:`_trend_frame` (every value it shows is set here)."""
    periods = list(s["period"])
    xs = list(range(len(periods)))
    for line, seg in zip(lines, segments):
        line.set_data(xs, pd.to_numeric(s[SERIES_COLUMNS[seg]], errors="coerce").astype(float).to_numpy())
    _autoscale(ax)
    ax.set_ylim(bottom=0)
    _period_ticks(ax, periods, lang)
    _denominator_marks(ax, denominator_changes(s), lang)


def denominator_changes(series: pd.DataFrame) -> list[int]:
    """Positions (0-based, in period order) of the months whose denominator differs from the
    month before: the yearly change of Sakernas/UCJ method, which moves coverage without
    any change in enrolment (``change_denominator_pp`` of the coverage table)."""
    d = (
        pd.to_numeric(series["denominator"], errors="coerce").to_numpy(dtype=float)
        if "denominator" in series
        else np.array([])
    )
    return [i for i in range(1, len(d)) if not np.isnan(d[i]) and not np.isnan(d[i - 1]) and d[i] != d[i - 1]]


def _denominator_marks(ax, positions: list[int], lang: str) -> None:
    """A dotted vertical line, labelled, before each month of ``positions`` (where the
    denominator changes); the kept figure's marks of the previous region are removed first."""
    for artist in getattr(ax, "_jamsos_marks", []):
        artist.remove()
    marks = []
    for i in positions:
        marks.append(ax.axvline(i - 0.5, color=style.INK, linestyle=":", linewidth=1.1))
        marks.append(
            ax.text(
                i - 0.4,
                0.98,
                DENOMINATOR_MARK.get(lang, DENOMINATOR_MARK["id"]),
                rotation=90,
                va="top",
                ha="left",
                fontsize=8.5,
                color=style.INK,
                transform=ax.get_xaxis_transform(),
            )
        )
    ax._jamsos_marks = marks


def trend_by_segment(series: pd.DataFrame, labels: Labels, *, title: str | None = None) -> Figure:
    """Monthly coverage lines, total (thick, black) and per segment, from a
    ``compute.coverage.coverage_series`` table (``period`` and the ``coverage_*_pct``
    columns); a segment with no figure in any month is left out. A dotted line marks each
    month whose denominator differs from the month before (:func:`denominator_changes`). :func:`trend_png` is
    the same chart as an image, faster for one region after another."""
    s = series.sort_values("period")
    segments = _trend_segments(s)
    fig, ax, lines = _trend_frame(labels, segments, title)
    _trend_data(ax, lines, s, segments, labels.lang)
    return fig


def trend_png(series: pd.DataFrame, labels: Labels, *, title: str | None = None) -> Image:
    """:func:`trend_by_segment` as an embedded PNG (``display`` it), drawn on a kept figure
    (see :data:`_KEPT`): the same pixels, ~40 % less time a chart."""
    s = series.sort_values("period")
    segments = _trend_segments(s)
    key = (
        "trend",
        tuple(segments),
        title,
        labels.lang,
        labels["trend_ylabel"],
        labels["trend_total"],
        tuple(labels.segment(seg) for seg in segments),
        _style_key(),
    )
    fig, ax, lines = _kept(key, lambda: _trend_frame(labels, segments, title))
    _trend_data(ax, lines, s, segments, labels.lang)
    return Chart(_canvas_png(fig), trend_alt(s, labels))


def _name_of(table: pd.DataFrame) -> str:
    names = table["region_name"].dropna() if "region_name" in table else []
    return str(names.iloc[-1]) if len(names) else ""


def trend_alt(series: pd.DataFrame, labels: Labels) -> str:
    """The trend chart's alt text: region, what the lines are, first and last coverage."""
    lang = labels.lang
    s = series.sort_values("period").dropna(subset=["coverage_pct"])
    if s.empty:
        return labels["trend_alt_none"].format(name=_name_of(series))
    first, last = s.iloc[0], s.iloc[-1]
    return labels["trend_alt"].format(
        name=_name_of(series),
        first=fmt.month_name(first["period"], lang),
        start=fmt.percent(first["coverage_pct"], lang),
        last=fmt.month_name(last["period"], lang),
        end=fmt.percent(last["coverage_pct"], lang),
    )


_kabkota = shown.kabkota
#: the bars, lowest first, at the values their labels show, in rank order (:mod:`.shown`)
_ranking_rows = shown.ranking_rows


def ranking(
    table: pd.DataFrame,
    labels: Labels,
    *,
    highlight: str | None = None,
    value: str = "coverage_pct",
    name: str = "region_name",
    target: float | None = None,
    title: str | None = None,
) -> Figure:
    """Horizontal bars of ``value`` for every kab/kota of a ``coverage_table`` (highest on
    top; the province row is left out), ``highlight`` (a region code) in orange with its
    value written out; optional target line. For one image per region of the same table
    (the region pages), :func:`ranking_png` is the fast way to the same chart."""
    t = _ranking_rows(table, value)
    fig, ax = _ranking_figure(t, labels, value=value, name=name, target=target, title=title)
    for i, code in enumerate(t["region_code"]):
        if code == highlight:
            _ranking_highlight(ax, i, float(t[value].iloc[i]), labels.lang)
    return _done(fig)


def _ranking_figure(t: pd.DataFrame, labels: Labels, *, value: str, name: str, target, title):
    lang = labels.lang
    height = max(2.5, 0.26 * len(t) + 0.8)
    fig, ax = style.figure(style.WIDTH_IN, height)
    ax.barh(range(len(t)), t[value], color=style.MUTED, height=0.75)
    ax.set_yticks(range(len(t)))
    ax.set_yticklabels([short_name(n) for n in t[name]], fontsize=10.5)
    if target is not None and not fmt.is_na(target):
        ax.axvline(target, color=style.TARGET, linestyle="--", linewidth=1.5)
        ax.text(
            target,
            len(t) - 0.3,
            f" {labels['target']} {fmt.percent(target, lang)}",
            color=style.TARGET,
            fontsize=9,
            va="bottom",
        )
    _pct_axis(ax.xaxis, lang)
    ax.set_ylim(-0.6, len(t) - 0.4 + (0.8 if target is not None else 0))
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(title, loc="left")
    return fig, ax


def _ranking_highlight(ax, i: int, v: float, lang: str):
    """Mark bar ``i``: orange bar, bold orange tick label, the value written at the bar's end.
    Returns the artists changed or added (for :class:`_RankingBase` to draw and undo)."""
    bar = ax.patches[i]
    bar.set_facecolor(style.HIGHLIGHT)
    label = ax.yaxis.get_major_ticks()[i].label1
    label.set_fontweight("bold")
    label.set_color(style.HIGHLIGHT)
    text = ax.text(
        v, i, " " + fmt.percent(v, lang), va="center", ha="left", fontsize=11, color=style.HIGHLIGHT, fontweight="bold"
    )
    return bar, label, text


class _RankingBase:
    """One ranking chart drawn once without a highlight, then re-used for every region.

    Matplotlib's own blitting (``copy_from_bbox`` / ``restore_region`` / ``draw_artist``,
    the technique of its "Faster rendering by using blitting" guide): the grey chart is
    rendered once and kept as a pixel buffer; a region's image is that buffer with only
    the changed artists drawn again on top: the region's bar in orange, a white patch over
    its grey tick label and the label in bold orange, the value at the bar's end, and the
    target line (which lies above the bars). Every image of a region, in a fresh process
    or a warm one, is made the same way, so the bytes do not depend on what was drawn
    before. The layout is fixed once, with every tick label bold, so a bold label always
    has room.
    """

    def __init__(self, t: pd.DataFrame, labels: Labels, *, value: str, name: str, target, title):
        self.t = t
        self.value = value
        self.lang = labels.lang
        fig, ax = _ranking_figure(t, labels, value=value, name=name, target=target, title=title)
        # the layout engine places the axes with room for the widest highlight: every tick
        # label bold, and the value written at the end of the longest bar ...
        for tick_label in ax.get_yticklabels():
            tick_label.set_fontweight("bold")
        widest = int(t[value].astype(float).to_numpy().argmax()) if len(t) else None
        room = _ranking_highlight(ax, widest, float(t[value].iloc[widest]), self.lang) if widest is not None else None
        fig.get_layout_engine().execute(fig)  # (measures the texts; no need to render them)
        fig.set_layout_engine("none")  # ... and the positions stay
        if room is not None:
            room[0].set_facecolor(style.MUTED)
            room[2].remove()
        for tick_label in ax.get_yticklabels():
            tick_label.set_fontweight("normal")
            tick_label.set_color(style.INK)
        fig.canvas.draw()
        self.canvas = fig.canvas  # the Agg canvas: a figure closed in pyplot loses it
        self.background = self.canvas.copy_from_bbox(fig.bbox)
        self.fig, self.ax = _done(fig), ax
        self.on_top = [line for line in ax.lines]  # the target line
        self.index = {code: i for i, code in enumerate(t["region_code"])}

    def png(self, highlight: str | None) -> bytes:
        canvas, ax = self.canvas, self.ax
        canvas.restore_region(self.background)
        i = self.index.get(highlight)
        if i is not None:
            renderer = canvas.get_renderer()
            label = ax.yaxis.get_major_ticks()[i].label1
            box = label.get_window_extent(renderer).padded(1)
            cover = Rectangle(
                (box.x0, box.y0),
                box.width,
                box.height,
                facecolor="white",
                edgecolor="none",
                transform=IdentityTransform(),
                figure=self.fig,
            )
            bar, label, text = _ranking_highlight(ax, i, float(self.t[self.value].iloc[i]), self.lang)
            try:
                for artist in (bar, *self.on_top, cover, label, text):
                    artist.draw(renderer)
            finally:
                bar.set_facecolor(style.MUTED)
                label.set_fontweight("normal")
                label.set_color(style.INK)
                text.remove()
        return _encode_png(canvas)


def _ranking_base(key: tuple, t: pd.DataFrame, labels: Labels, **kw) -> _RankingBase:
    return _kept(("ranking",) + key, lambda: _RankingBase(t, labels, **kw))


def ranking_png(
    table: pd.DataFrame,
    labels: Labels,
    *,
    highlight: str | None = None,
    value: str = "coverage_pct",
    name: str = "region_name",
    target: float | None = None,
    title: str | None = None,
) -> Image:
    """:func:`ranking` as an embedded PNG (``display`` it), for one region after another.

    The grey chart of a table is drawn once per process and kept (the four most recent
    tables); each region's image re-draws only its highlight on top (see
    :class:`_RankingBase`), ~0.03 s instead of ~0.25 s. The chart is the same as
    :func:`ranking`'s up to anti-aliasing and a left margin with room for a bold label.
    """
    t = _ranking_rows(table, value)
    target = None if target is None or fmt.is_na(target) else float(target)
    # everything the grey chart shows: rows, texts, and the style in force
    key = (
        tuple(zip(t["region_code"].astype(str), t[name].astype(str), t[value].astype(float))),
        value,
        name,
        target,
        title,
        labels.lang,
        labels["target"],
        _style_key(),
    )
    base = _ranking_base(key, t, labels, value=value, name=name, target=target, title=title)
    return Chart(base.png(highlight), ranking_alt(t, labels, highlight=highlight, value=value, name=name))


def ranking_alt(
    table: pd.DataFrame,
    labels: Labels,
    *,
    highlight: str | None = None,
    value: str = "coverage_pct",
    name: str = "region_name",
) -> str:
    """The ranking's alt text: how many, lowest and highest, and the highlighted region's place."""
    lang = labels.lang
    t = table.dropna(subset=[value]).sort_values(value, kind="stable")  # ties stay in rank order
    if t.empty:
        return labels["ranking_alt_none"]
    low, high = t.iloc[0], t.iloc[-1]
    text = labels["ranking_alt"].format(
        n=len(t),
        low_name=low[name],
        low=fmt.percent(low[value], lang),
        high_name=high[name],
        high=fmt.percent(high[value], lang),
    )
    mine = t[t["region_code"] == highlight] if highlight else t.iloc[0:0]
    if len(mine):
        rank = len(t) - list(t["region_code"]).index(highlight)
        text += " " + labels["ranking_alt_highlight"].format(
            name=mine.iloc[0][name], value=fmt.percent(mine.iloc[0][value], lang), rank=rank, n=len(t)
        )
    return text


def colour_key(by: str, statuses: set, lang: str) -> tuple[list, list[str]]:
    """Legend handles and texts of the map colours: the coverage bins, or (``by="status"``)
    the statuses of ``statuses``, in the order of :data:`style.STATUS_COLOURS`."""
    if by == "status":
        keep = [n for n in style.STATUS_COLOURS if n in statuses]
        return (
            [Rectangle((0, 0), 1, 1, color=style.STATUS_COLOURS[n]) for n in keep],
            [status_label(n, lang) for n in keep],
        )
    return (
        [Rectangle((0, 0), 1, 1, color=c) for _lo, _hi, c in style.COVERAGE_BINS],
        [
            f"{fmt.number(lo, lang)}–{fmt.number(hi, lang)}%" if hi < 1000 else f"≥ {fmt.number(lo, lang)}%"
            for lo, hi, _c in style.COVERAGE_BINS
        ],
    )


def tile_map(
    table: pd.DataFrame,
    registry_rows: pd.DataFrame,
    labels: Labels,
    *,
    by: str = "coverage",
    value: str = "coverage_pct",
    highlight: str | None = None,
    title: str | None = None,
) -> Figure:
    """A map-like grid: one tile per kab/kota at its registry ``tile_row``/``tile_col``
    (a second view; the pages show :func:`jamsos_lib.present.maps.choropleth_png`),
    coloured by coverage bins (``by="coverage"``) or target status (``by="status"``,
    needs a ``status`` column), with a short name and the value in each tile."""
    lang = labels.lang
    reg = registry_rows[registry_rows["type"] != "Provinsi"].set_index("region_code")
    t = _kabkota(table).set_index("region_code")
    rows = int(reg["tile_row"].max()) + 1
    cols = int(reg["tile_col"].max()) + 1
    fig, ax = style.figure(style.WIDTH_IN, style.WIDTH_IN * rows / cols + 0.9)
    # room for a name inside a tile: the grid spans the figure's width less the layout's pads
    name_pt = (style.WIDTH_IN * 72 - 12) / cols * 0.94 - 4
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)
    ax.set_aspect("equal")
    ax.axis("off")
    placed = reg[reg["tile_row"].notna() & reg["tile_col"].notna()]
    names, name_size = _tile_names(list(zip(placed["name"], placed["type"])), name_pt)
    for (code, r), name in zip(placed.iterrows(), names):
        x, y = int(r["tile_col"]), int(r["tile_row"])
        v = t[value].get(code) if code in t.index else None
        if by == "status":
            status = t["status"].get(code) if code in t.index else None
            colour = style.STATUS_COLOURS.get(status, style.STATUS_COLOURS["unknown"])
        else:
            colour = style.coverage_colour(None if v is None or fmt.is_na(v) else float(v))
        edge = style.HIGHLIGHT if code == highlight else "white"
        ax.add_patch(
            Rectangle(
                (x + 0.03, y + 0.03),
                0.94,
                0.94,
                facecolor=colour,
                edgecolor=edge,
                linewidth=3 if code == highlight else 1,
            )
        )
        ink = style.text_colour_on(colour)
        ax.text(x + 0.5, y + 0.34, name, ha="center", va="center", fontsize=name_size, color=ink, linespacing=0.95)
        ax.text(
            x + 0.5,
            y + 0.76,
            fmt.percent(v, lang, 0) if v is not None else fmt.NA_TEXT,
            ha="center",
            va="center",
            fontsize=9.5,
            color=ink,
            fontweight="bold",
        )
    handles, names = colour_key(by, set(t["status"]) if "status" in t else set(), lang)
    ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=10)
    if title:
        ax.set_title(title, loc="left")
    return _done(fig)


def _gap_parts(series: pd.DataFrame, row, labels: Labels, horizon_months: int) -> dict:
    """What the gap chart shows for one region: months, the projection, the target, their legend texts."""
    lang = labels.lang
    s = series.sort_values("period")
    periods = list(s["period"])
    start = pd.Period(periods[-1], freq="M")
    end = start + horizon_months
    if not fmt.is_na(row.get("target_year")):
        end = min(max(pd.Period(f"{int(row['target_year'])}-12", freq="M"), start + 12), start + 120)
    n_ahead = (end - start).n
    parts = {
        "periods": periods,
        "axis_periods": periods + [str(start + k) for k in range(1, n_ahead + 1)],
        "coverage": pd.to_numeric(s["coverage_pct"], errors="coerce").astype(float).to_numpy(),
        "projection": None,
        "target": None,
        "marks": denominator_changes(s),
    }
    slope, denominator, participants = row.get("trend_per_month"), row.get("denominator"), row.get("participants")
    if not any(fmt.is_na(x) for x in (slope, denominator, participants)) and float(denominator) > 0:
        parts["projection"] = (
            list(range(len(periods) - 1, len(periods) + n_ahead)),
            [(float(participants) + float(slope) * k) / float(denominator) * 100 for k in range(n_ahead + 1)],
            f"{labels['projection']}: {fmt.signed(slope, lang)} {labels['per_month_persons']}",
        )
    target = row.get("target_pct")
    if target is not None and not fmt.is_na(target):
        parts["target"] = (float(target), f"{labels['target']} {fmt.percent(target, lang)}")
    return parts


def _gap_frame(labels: Labels, projection: bool, target: bool, title: str | None):
    """The gap chart without its data: the coverage line, the projection and target lines
    when the region has them, the legend (its texts are set with the data)."""
    fig, ax = style.fixed_figure(left=0.6, bottom=1.12, right=0.4, top=0.1 + (0.35 if title else 0))
    lines = [ax.plot([], [], color=style.INK, linewidth=2.5, label=labels["coverage"])[0]]
    if projection:
        lines.append(ax.plot([], [], color=style.PROJECTION, linestyle="--", linewidth=2, label=" ")[0])
    if target:
        # a data line across the whole x range, not ``axhline``: the limits of an axhline
        # (axes x, data y) go through the current view and pick up its rounding, so a kept
        # figure would scale a hair differently after another region
        lines.append(ax.plot([], [], color=style.TARGET, linewidth=1.5, linestyle=":", label=" ")[0])
    _pct_axis(ax.yaxis, labels.lang)
    if title:
        ax.set_title(title, loc="left")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1)
    return _done(fig), ax, lines


def _gap_data(ax, lines, parts: dict, lang: str) -> None:
    """Put one region's figures on a :func:`_gap_frame` (every value it shows is set here)."""
    texts = ax.get_legend().get_texts()
    lines[0].set_data(list(range(len(parts["periods"]))), parts["coverage"])
    i = 1
    if parts["projection"] is not None:
        xs, ys, text = parts["projection"]
        lines[i].set_data(xs, ys)
        lines[i].set_label(text)
        texts[i].set_text(text)
        i += 1
    axis_periods = parts["axis_periods"]
    x_range = (-0.5, len(axis_periods) - 0.5)
    if parts["target"] is not None:
        value, text = parts["target"]
        lines[i].set_data(x_range, [value, value])
        lines[i].set_label(text)
        texts[i].set_text(text)
    _autoscale(ax)
    # coverage cannot pass 100 %: a steep projection is cut there rather than stretching the axis
    ax.set_ylim(0, min(ax.get_ylim()[1], 105))
    ax.set_xlim(*x_range)
    _period_ticks(ax, axis_periods, lang, every=6 if len(axis_periods) <= 26 else 12)
    _denominator_marks(ax, parts.get("marks", []), lang)


def gap_projection(
    series: pd.DataFrame, row, labels: Labels, *, horizon_months: int = 36, title: str | None = None
) -> Figure:
    """Total coverage over time (``coverage_series``), the target line, and the projection
    of ``row`` (the region's ``targets.gap_table`` row): participants growing by
    ``trend_per_month`` persons a month from this month's count, at this month's
    denominator, drawn up to December of the target year (at least a year, at most ten).
    :func:`gap_png` is the same chart as an image, faster for one region after another."""
    parts = _gap_parts(series, row, labels, horizon_months)
    fig, ax, lines = _gap_frame(labels, parts["projection"] is not None, parts["target"] is not None, title)
    _gap_data(ax, lines, parts, labels.lang)
    return fig


def gap_png(series: pd.DataFrame, row, labels: Labels, *, horizon_months: int = 36, title: str | None = None) -> Image:
    """:func:`gap_projection` as an embedded PNG (``display`` it), drawn on a kept figure
    (see :data:`_KEPT`): the same pixels, ~40 % less time a chart."""
    parts = _gap_parts(series, row, labels, horizon_months)
    shape = (parts["projection"] is not None, parts["target"] is not None)
    key = ("gap", shape, title, labels.lang, labels["coverage"], _style_key())
    fig, ax, lines = _kept(key, lambda: _gap_frame(labels, *shape, title))
    _gap_data(ax, lines, parts, labels.lang)
    return Chart(_canvas_png(fig), gap_alt(series, row, labels))


def gap_alt(series: pd.DataFrame, row, labels: Labels) -> str:
    """The gap chart's alt text: region, coverage this month, target and its year, the pace
    and where it leads by the end of the target year."""
    lang = labels.lang
    target, year = row.get("target_pct"), row.get("target_year")
    text = labels["gap_alt"].format(
        name=row.get("region_name") or _name_of(series), coverage=fmt.percent(row.get("coverage_pct"), lang)
    )
    if not fmt.is_na(target):
        text += " " + labels["gap_alt_target"].format(
            target=fmt.percent(target, lang), year="" if fmt.is_na(year) else int(year)
        )
    if not fmt.is_na(row.get("trend_per_month")) and not fmt.is_na(row.get("projected_year_end_pct")):
        text += " " + labels["gap_alt_projection"].format(
            trend=fmt.signed(row["trend_per_month"], lang), end=fmt.percent(row["projected_year_end_pct"], lang)
        )
    return text


#: the coverage histogram's x axis ends here (percent); a region above is counted in the last bin
HIST_CAP_PCT = 200.0
#: at most this many histogram bins, whatever the data and ``bin_pp``
HIST_MAX_BINS = 100


def distribution_png(table: pd.DataFrame, labels: Labels, **kw) -> Chart:
    """:func:`distribution_vs_target` as an embedded PNG with its alt text (how many kab/kota
    in each target status)."""
    fig = distribution_vs_target(table, labels, **kw)
    kab = _kabkota(table)
    counts = kab["status"].value_counts() if "status" in kab else pd.Series(dtype=int)
    text = ", ".join(f"{int(n)} {status_label(st, labels.lang).lower()}" for st, n in counts.items())
    return Chart(png(fig).data, labels["distribution_alt"].format(n=len(kab), counts=text or fmt.NA_TEXT))


def distribution_vs_target(
    table: pd.DataFrame, labels: Labels, *, bin_pp: float = 2.5, title: str | None = None
) -> Figure:
    """How the kab/kota's coverage is spread, against the target: a histogram of
    ``coverage_pct`` in ``bin_pp`` bins, stacked by target status (``targets.gap_table``),
    with a vertical line at each target that applies to at least one region.

    Bounded by construction whatever the data: coverage is clipped to
    ±:data:`HIST_CAP_PCT` (a region above is counted in the last bin) and there are at most
    :data:`HIST_MAX_BINS` bins (wider bins if the spread needs more), so an impossible
    coverage of 10^14 % costs what 200 % costs."""
    lang = labels.lang
    t = _kabkota(table).dropna(subset=["coverage_pct"])
    fig, ax = style.figure()
    values = t["coverage_pct"].astype(float).clip(lower=-HIST_CAP_PCT, upper=HIST_CAP_PCT)
    low = math.floor(values.min() / bin_pp) * bin_pp if len(t) else 0.0
    high = math.ceil(values.max() / bin_pp) * bin_pp + bin_pp if len(t) else bin_pp
    count = int(round((high - low) / bin_pp))
    if count > HIST_MAX_BINS:
        count, bin_pp = HIST_MAX_BINS, (high - low) / HIST_MAX_BINS
    bins = [low + i * bin_pp for i in range(count + 1)]
    order = [s for s in style.STATUS_COLOURS if s in set(t.get("status", []))]
    groups = [values[t["status"] == s] for s in order] if order else [values]
    colours = [style.STATUS_COLOURS[s] for s in order] if order else [style.MUTED]
    names = [status_label(s, lang) for s in order] if order else [labels["coverage"]]
    ax.hist(groups, bins=bins, stacked=True, color=colours, label=names, edgecolor="white")
    targets = t["target_pct"].dropna().astype(float).value_counts() if "target_pct" in t else pd.Series(dtype=float)
    dashes = ["--", ":", "-.", (0, (5, 1, 1, 1))]
    for i, (value, count) in enumerate(targets.items()):
        ax.axvline(
            value,
            color=style.TARGET,
            linestyle=dashes[i % len(dashes)],
            linewidth=1.8,
            label=f"{labels['target']} {fmt.percent(value, lang)} ({count})",
        )
    _pct_axis(ax.xaxis, lang)
    ax.yaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    ax.set_xlabel(labels["coverage"])
    ax.set_ylabel(labels["regions_count"])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=10.5)
    if title:
        ax.set_title(title, loc="left")
    return _done(fig)


def scenario_bars(
    scenarios: pd.DataFrame, labels: Labels, *, value: str = "cost_rp", title: str | None = None
) -> Figure:
    """One horizontal bar per scenario of a ``subsidy`` scenario table (named in the
    page's language), ``value`` (cost by default) in Rupiah written out short
    (``Rp 2,09 miliar``) at the end of each bar."""
    lang = labels.lang
    t = scenarios.reset_index(drop=True)
    label = "_label"
    names = [labels.get(f"scenario_{s}", s) for s in t["scenario"]]
    if "year" in t and t["year"].notna().any():
        names = [f"{n} {int(y)}" if not fmt.is_na(y) else n for n, y in zip(names, t["year"])]
    t = t.assign(_label=names)
    fig, ax = style.figure(style.WIDTH_IN, max(2.4, 0.65 * len(t) + 1.2))
    ys = list(range(len(t)))[::-1]
    ax.barh(ys, t[value], color=style.SEGMENT_COLOURS["BPU"], height=0.6)
    ax.set_yticks(ys)
    ax.set_yticklabels([_wrap(x, 16) for x in t[label]], fontsize=11)
    peak = float(t[value].max()) if len(t) else 1.0
    for y, v in zip(ys, t[value]):
        ax.text(v + peak * 0.01, y, fmt.rupiah_short(v, lang), va="center", fontsize=11)
    ax.set_xlim(0, peak * 1.35 if peak > 0 else 1)
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _p: fmt.rupiah_short(v, lang).replace("Rp ", "")))
    ax.set_xlabel(labels["cost"] if value == "cost_rp" else labels["budget"])
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(title, loc="left")
    return _done(fig)
