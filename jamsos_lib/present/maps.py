"""Choropleth maps of a province's kab/kota, drawn offline from the shipped boundaries
(:mod:`jamsos_lib.read.boundaries`) with matplotlib patches, as PNG like the other charts.

* :func:`choropleth` — every kab/kota filled by coverage (the colour bins of
  :data:`jamsos_lib.present.style.COVERAGE_BINS`, with their key) or by target status
  (:data:`~jamsos_lib.present.style.STATUS_COLOURS`). ``numbered``: each region carries
  its number (1–38 in code order) and a numbered list under the map names the regions
  (with the coverage on the coverage map; ``listed=False``: numbers without the list);
  ``highlight``: one region outlined in orange and named on the map (the region pages).
* :func:`choropleth_png` — the same as a :class:`~jamsos_lib.present.charts.Chart` (PNG
  and alt text). The coloured map of a table is drawn once per process and kept; each
  region's image draws only its outline and name again on top (as ``charts.ranking_png``).

Joined on the registry's ``region_code`` (``3501``; the boundary file's ``35.01``
without the dot): every kab/kota of a table is drawn, kota after (on top of) their
kabupaten, so an enclave such as Kota Kediri is never hidden. Far islands are drawn
moved into empty sea inside the frame, each in a box named after it (:data:`FRAMES`):
Bawean (Kab. Gresik), Masalembu and Kangean–Sapeken (Kab. Sumenep), at the map's scale.
Texts are at least :data:`MIN_TEXT_PT` (9 CSS px when the 4,8-inch image is shown on a
390 px phone). A province without boundaries has no map (:func:`has_map`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from jamsos_lib.compute.targets import status_label
from jamsos_lib.present import charts, fmt, shown, style
from jamsos_lib.present.labels import Labels
from jamsos_lib.errors import InputError, Problem
from jamsos_lib.read.boundaries import FILES, has_boundaries, load_boundaries
from jamsos_lib.regions import load_registry, short_name

#: smallest text on a map (points): shown at 366/528 of its size on a 390 px phone, 8,5 pt
#: at 110 DPI is 9 CSS px
MIN_TEXT_PT = 8.5
NUMBER_PT = 9.0
LIST_PT = 9.0
BORDER = "#6f7c89"


@dataclass(frozen=True)
class Inset:
    """Islands of ``region`` lying inside ``box`` (lng0, lng1, lat0, lat1), drawn moved so
    that their lower-left corner lands at ``at`` (lng, lat) of the map, framed and named."""

    name: str
    region: str
    box: tuple[float, float, float, float]
    at: tuple[float, float]


@dataclass(frozen=True)
class Frame:
    """What a province's map shows: the view (lng0, lng1, lat0, lat1) and its insets."""

    view: tuple[float, float, float, float]
    insets: tuple[Inset, ...] = ()


#: the far islands are moved, at the map's scale, into the empty sea north of Java and
#: Madura (the islands' lower-left corner to ``at``), so the mainland is drawn large
FRAMES = {
    "35": Frame(
        view=(110.86, 114.84, -8.82, -6.22),
        insets=(
            Inset("Bawean", "3525", (112.50, 112.85, -5.95, -5.65), (112.35, -6.60)),
            Inset("Kangean–Sapeken", "3529", (114.80, 116.35, -7.35, -6.75), (112.95, -6.80)),
            Inset("Masalembu", "3529", (114.30, 114.70, -5.65, -5.00), (114.32, -6.95)),
        ),
    ),
}


def has_map(province_code: str) -> bool:
    """Whether a map of ``province_code`` can be drawn (boundaries and a frame are shipped)."""
    return str(province_code)[:2] in FRAMES and has_boundaries(province_code)


def _aspect(frame: Frame) -> float:
    lat0, lat1 = frame.view[2], frame.view[3]
    return 1 / math.cos(math.radians((lat0 + lat1) / 2))


def _in_box(ring: np.ndarray, box) -> bool:
    lng0, lng1, lat0, lat1 = box
    return bool(((ring[:, 0] >= lng0) & (ring[:, 0] <= lng1) & (ring[:, 1] >= lat0) & (ring[:, 1] <= lat1)).all())


def _extent(parts, box) -> np.ndarray:
    """Lower-left and upper-right corners (lng, lat) of the parts inside ``box``."""
    inside = np.vstack([poly[0] for poly in parts if _in_box(poly[0], box)])
    return np.array([inside.min(axis=0), inside.max(axis=0)])


def _shapes(province_code: str, codes: list[str]) -> dict[str, Path]:
    """One compound path per region of ``codes`` (every part and hole), far islands moved
    into their insets."""
    frame = FRAMES[province_code[:2]]
    b = load_boundaries(province_code).set_index("region_code")
    missing = [c for c in codes if c not in b.index]
    if missing:  # never a region silently left off the map
        raise InputError(
            [
                Problem(
                    FILES[province_code[:2]].name,
                    "a boundary for every kab/kota of the registry",
                    column="region_code",
                    value=c,
                )
                for c in missing
            ]
        )
    out = {}
    for code in codes:
        verts, kinds = [], []
        for poly in b.at[code, "parts"]:
            shift = np.zeros(2)
            for inset in frame.insets:
                if inset.region == code and _in_box(poly[0], inset.box):
                    shift = np.array(inset.at) - _extent(b.at[code, "parts"], inset.box)[0]
            for ring in poly:
                verts.append(ring + shift)
                kinds += [Path.MOVETO] + [Path.LINETO] * (len(ring) - 2) + [Path.CLOSEPOLY]
        out[code] = Path(np.vstack(verts), kinds)
    return out


def _regions(table: pd.DataFrame, province_code: str) -> pd.DataFrame:
    """The kab/kota of the province in code order (kabupaten, then kota), with their number,
    short name and the table's row (a region missing from the table is drawn grey)."""
    reg = load_registry().kabkota(province_code)[["region_code", "type", "official_name"]]
    reg = reg.sort_values("region_code").reset_index(drop=True)
    reg["number"] = range(1, len(reg) + 1)
    reg["short"] = [short_name(n) for n in reg["official_name"]]
    reg["listed"] = [n[len("Kabupaten ") :] if n.startswith("Kabupaten ") else n for n in reg["official_name"]]
    t = table[table["level"] == "kabkota"] if "level" in table else table
    t = t.drop(columns=[c for c in ("type", "official_name") if c in t]).drop_duplicates("region_code")
    return reg.merge(t, on="region_code", how="left")


def _colour(row, by: str, value: str) -> str:
    if by == "status":
        return style.STATUS_COLOURS.get(row.get("status"), style.STATUS_COLOURS["unknown"])
    return style.coverage_colour(shown.pct(row.get(value)))  # the bin of the value as a label shows it


# -- text placement ----------------------------------------------------------------------


def _text_box_px(text: str, size_pt: float, pad_px: float = 1.5) -> tuple[float, float]:
    family = tuple(plt.rcParams["font.family"])
    width = charts._text_width_pt(text, size_pt, family) * style.DPI / 72
    return width + 2 * pad_px, size_pt * style.DPI / 72 + 2 * pad_px


def _overlaps(box, others, margin: float = 1.0) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] + margin and b[0] < x1 + margin and y0 < b[3] + margin and b[1] < y1 + margin for b in others)


def _place(anchor_px, size_px, taken, area) -> tuple[float, float]:
    """The centre (px) nearest ``anchor_px`` for a box of ``size_px`` that overlaps no box
    of ``taken`` and stays inside ``area`` (x0, y0, x1, y1): the anchor itself, else points
    on rings around it (16 directions, 5 px apart, up to 120 px); the anchor if none is free."""
    (ax_, ay), (w, h) = anchor_px, size_px
    candidates = [(ax_, ay)]
    for r in range(5, 125, 5):
        for k in range(16):
            a = math.pi / 2 - k * math.pi / 8  # from straight up, clockwise
            candidates.append((ax_ + r * math.cos(a), ay + r * math.sin(a)))
    for cx, cy in candidates:
        box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        if (
            area[0] <= box[0]
            and box[2] <= area[2]
            and area[1] <= box[1]
            and box[3] <= area[3]
            and not _overlaps(box, taken)
        ):
            return cx, cy
    return ax_, ay


# -- drawing -----------------------------------------------------------------------------

#: figure layout (inches): map width, space under the map for the key, a list row's height
_KEY_IN = 0.45
_ROW_IN = 0.2
_LIST_COLUMNS = 3


def _list_text(row, by: str, value: str, lang: str) -> str:
    text = f"{row['number']} {row['listed']}"
    if by == "coverage":
        v = row.get(value)
        text += " " + (fmt.percent(v, lang, 0) if v is not None and not fmt.is_na(v) else fmt.NA_TEXT)
    return text


class _MapBase:
    """One map of a table drawn once (fills, numbers, key, list) and kept as pixels; a
    region's image is those pixels with only its outline and name drawn again on top."""

    def __init__(
        self,
        table: pd.DataFrame,
        labels: Labels,
        *,
        by: str,
        value: str,
        numbered: bool,
        listed: bool,
        title: str | None,
        province_code: str,
    ):
        style.apply()
        lang = labels.lang
        frame = FRAMES[province_code[:2]]
        rows = _regions(table, province_code)
        self.rows = rows.set_index("region_code")
        self.lang, self.value, self.by = lang, value, by
        shapes = _shapes(province_code, list(rows["region_code"]))
        self.shapes = shapes
        lng0, lng1, lat0, lat1 = frame.view
        width = style.WIDTH_IN
        map_h = width * (lat1 - lat0) * _aspect(frame) / (lng1 - lng0)
        list_rows = math.ceil(len(rows) / _LIST_COLUMNS) if listed else 0
        title_h = 0.35 if title else 0.0
        list_h = list_rows * _ROW_IN + (0.12 if list_rows else 0)
        height = title_h + map_h + _KEY_IN + list_h
        fig = Figure(figsize=(width, height), dpi=style.DPI, facecolor="white")
        ax = fig.add_axes((0, (_KEY_IN + list_h) / height, 1, map_h / height))
        ax.set_xlim(lng0, lng1)
        ax.set_ylim(lat0, lat1)
        ax.set_aspect(_aspect(frame), adjustable="datalim")
        ax.axis("off")
        # kabupaten first, kota on top (enclaves)
        order = sorted(rows.index, key=lambda i: (rows.at[i, "type"] == "Kota", rows.at[i, "region_code"]))
        paths = [shapes[rows.at[i, "region_code"]] for i in order]
        colours = [_colour(rows.loc[i], by, value) for i in order]
        # grey borders: a white one would lose the coast (and small islands) of the lightest fill
        fills = PathCollection(paths, facecolors=colours, edgecolors=BORDER, linewidths=0.5)
        ax.add_collection(fills)
        self.fill_of = {rows.at[i, "region_code"]: c for i, c in zip(order, colours)}
        self.b = b = load_boundaries(province_code).set_index("region_code")
        for inset in frame.insets:
            (x, y), (w, h) = inset.at, np.diff(_extent(b.at[inset.region, "parts"], inset.box), axis=0)[0]
            pad = 0.035
            ax.add_patch(
                Rectangle(
                    (x - pad, y - pad), w + 2 * pad, h + 2 * pad, fill=False, edgecolor=style.MUTED, linewidth=0.8
                )
            )
            ax.text(
                x + w / 2,
                y + h + pad + 0.02,
                inset.name,
                fontsize=MIN_TEXT_PT,
                color=style.INK,
                va="bottom",
                ha="center",
            )
        if title:
            fig.text(
                0.01,
                1 - 0.06 / height,
                title,
                ha="left",
                va="top",
                fontsize=plt.rcParams["axes.titlesize"],
                fontweight="bold",
                color=style.INK,
            )
        self.fig, self.ax = fig, ax
        # where texts may go, and what they must not cover (the inset names)
        self.area = tuple(ax.bbox.extents)
        self.taken: list[tuple] = []
        self.canvas = FigureCanvasAgg(fig)
        renderer = self.canvas.get_renderer()
        for text in ax.texts:
            self.taken.append(tuple(text.get_window_extent(renderer).extents))
        if numbered:
            self._numbers(rows)
        handles, names = charts.colour_key(by, set(rows["status"].dropna()) if "status" in rows else set(), lang)
        if not handles:
            handles, names = charts.colour_key("status", {"no_data"}, lang)
        fig.legend(
            handles,
            names,
            loc="upper center",
            bbox_to_anchor=(0.5, (_KEY_IN + list_h) / height),
            ncol=min(len(names), 5 if by == "coverage" else 3),
            fontsize=9.5,
            handlelength=1.2,
            columnspacing=0.9,
            handletextpad=0.4,
            frameon=False,
        )
        if listed:
            self._list(rows, height, list_h, by, value, lang)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(fig.bbox)

    def _numbers(self, rows: pd.DataFrame) -> None:
        """Each region's number at its label point, in white or ink to suit the fill. A
        region too small to hold its number (most kota) keeps its colour in sight: its
        number goes beside it, on a white patch with a leader line, never over another
        small region; so does a number that would cover another (kabupaten first, then kota)."""
        ax = self.ax
        b = self.b
        texts = {code: str(n) for code, n in zip(rows["region_code"], rows["number"])}
        sizes = {code: _text_box_px(text, NUMBER_PT) for code, text in texts.items()}
        extents = {code: self.shapes[code].transformed(ax.transData).get_extents() for code in texts}
        small = [
            tuple(extents[c].extents)
            for c in texts
            if extents[c].width < sizes[c][0] + 4 or extents[c].height < sizes[c][1] + 4
        ]
        for _, row in rows.sort_values(["type", "region_code"]).iterrows():  # Kabupaten < Kota
            code = row["region_code"]
            anchor = ax.transData.transform((b.at[code, "label_lng"], b.at[code, "label_lat"]))
            size = sizes[code]
            cx, cy = _place(anchor, size, self.taken + small, self.area)
            self.taken.append((cx - size[0] / 2, cy - size[1] / 2, cx + size[0] / 2, cy + size[1] / 2))
            x, y = ax.transData.inverted().transform((cx, cy))
            moved = math.hypot(cx - anchor[0], cy - anchor[1]) > 4
            if moved:
                lx, ly = ax.transData.inverted().transform(anchor)
                ax.plot([lx, x], [ly, y], color=style.INK, linewidth=0.7, solid_capstyle="round")
                ax.plot([lx], [ly], marker="o", markersize=2, color=style.INK)
            ink = style.INK if moved else style.text_colour_on(self.fill_of[code])
            box = dict(boxstyle="round,pad=0.12", facecolor="white", edgecolor="none", alpha=0.9) if moved else None
            ax.text(
                x, y, texts[code], ha="center", va="center", fontsize=NUMBER_PT, fontweight="bold", color=ink, bbox=box
            )

    def _list(self, rows, height, list_h, by, value, lang) -> None:
        """The numbered list under the map, in columns as wide as their widest entry."""
        per_col = math.ceil(len(rows) / _LIST_COLUMNS)
        texts = [_list_text(row, by, value, lang) for _, row in rows.iterrows()]
        columns = [texts[i : i + per_col] for i in range(0, len(texts), per_col)]
        widths = [max(_text_box_px(t, LIST_PT, 0)[0] for t in col) / style.DPI for col in columns]
        gap = (style.WIDTH_IN - 0.1 - sum(widths)) / max(len(columns) - 1, 1)
        top = (list_h - 0.06) / height
        x = 0.05
        for col, width in zip(columns, widths):
            for r, text in enumerate(col):
                self.fig.text(
                    x / style.WIDTH_IN,
                    top - r * _ROW_IN / height,
                    text,
                    ha="left",
                    va="top",
                    fontsize=LIST_PT,
                    color=style.INK,
                )
            x += width + gap

    def highlight(self, code: str | None, labels: Labels) -> list:
        """Artists that mark ``code``: its outline in orange and its name and value in a box."""
        if code is None or code not in self.shapes:
            return []
        ax = self.ax
        outline = PathPatch(
            self.shapes[code], facecolor="none", edgecolor=style.HIGHLIGHT, linewidth=2.2, transform=ax.transData
        )
        outline.set_figure(self.fig)
        outline.axes = ax
        row = self.rows.loc[code]
        v = row.get(self.value)
        text = (
            row["short"]
            if self.by == "status"
            else f"{row['short']} {fmt.percent(v, self.lang) if v is not None and not fmt.is_na(v) else fmt.NA_TEXT}"
        )
        b = self.b
        anchor = ax.transData.transform((b.at[code, "label_lng"], b.at[code, "label_lat"]))
        size = _text_box_px(text, 10, pad_px=4)
        extent = self.shapes[code].transformed(ax.transData).get_extents()
        # the name beside the region, never over it
        cx, cy = _place(anchor, size, self.taken + [tuple(extent.extents)], self.area)
        x, y = ax.transData.inverted().transform((cx, cy))
        lx, ly = ax.transData.inverted().transform(anchor)
        leader = ax.plot([lx, x], [ly, y], color=style.HIGHLIGHT, linewidth=1.2)[0]
        label = ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=10,
            fontweight="bold",
            color=style.HIGHLIGHT,
            bbox=dict(boxstyle="round,pad=0.25", facecolor="white", edgecolor=style.HIGHLIGHT, linewidth=1),
        )
        return [outline, leader, label]

    def png(self, code: str | None, labels: Labels) -> bytes:
        self.canvas.restore_region(self.background)
        artists = self.highlight(code, labels)
        renderer = self.canvas.get_renderer()
        try:
            for artist in artists:
                artist.draw(renderer)
        finally:
            for artist in artists[1:]:
                artist.remove()
        return charts._encode_png(self.canvas)


class NoMap:
    """Shown instead of the map of a province without boundaries: nothing on the page."""

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": ""}, {}


def _base(
    table: pd.DataFrame,
    labels: Labels,
    *,
    by: str,
    value: str,
    numbered: bool,
    listed: bool,
    title: str | None,
    province_code: str,
) -> _MapBase:
    t = table[table["level"] == "kabkota"] if "level" in table else table
    cols = [c for c in ("region_code", value, "status") if c in t]
    key = (
        "map",
        tuple(map(tuple, t[cols].astype(str).to_numpy())),
        by,
        value,
        numbered,
        listed,
        title,
        province_code,
        labels.lang,
        charts._style_key(),
    )
    return charts._kept(
        key,
        lambda: _MapBase(
            table,
            labels,
            by=by,
            value=value,
            numbered=numbered,
            listed=listed,
            title=title,
            province_code=province_code,
        ),
    )


def choropleth(
    table: pd.DataFrame,
    labels: Labels,
    *,
    by: str = "coverage",
    value: str = "coverage_pct",
    highlight: str | None = None,
    numbered: bool = True,
    listed: bool | None = None,
    title: str | None = None,
    province_code: str = "35",
) -> Figure:
    """The map of ``table``'s kab/kota (a ``coverage_table`` or ``gap_table``; ``by="status"``
    needs a ``status`` column) as a Figure (see the module docstring). For images, one
    region after another, :func:`choropleth_png` is faster."""
    base = _MapBase(
        table,
        labels,
        by=by,
        value=value,
        numbered=numbered,
        listed=numbered if listed is None else listed,
        title=title,
        province_code=province_code,
    )
    artists = base.highlight(highlight, labels)
    if artists:
        base.ax.add_patch(artists[0])
    return base.fig


def alt_text(
    table: pd.DataFrame,
    labels: Labels,
    *,
    by: str = "coverage",
    value: str = "coverage_pct",
    highlight: str | None = None,
    province_code: str = "35",
) -> str:
    """What the map shows, in words: the province, the measure and its key values (the
    lowest and highest region, or the count per status), and the highlighted region's value."""
    lang = labels.lang
    rows = _regions(table, province_code)
    province = load_registry().region(province_code[:2]).name
    if by == "status":
        counts = rows["status"].value_counts() if "status" in rows else pd.Series(dtype=int)
        parts = [f"{int(counts[s])} {status_label(s, lang).lower()}" for s in style.STATUS_COLOURS if s in counts]
        text = labels["map_alt_status"].format(where=province, n=len(rows), counts=", ".join(parts))
    else:
        known = rows.dropna(subset=[value])
        if len(known):
            lo, hi = known.loc[known[value].astype(float).idxmin()], known.loc[known[value].astype(float).idxmax()]
            text = labels["map_alt_coverage"].format(
                where=province,
                n=len(rows),
                low_name=lo["short"],
                low=fmt.percent(lo[value], lang),
                high_name=hi["short"],
                high=fmt.percent(hi[value], lang),
            )
        else:
            text = labels["map_alt_coverage_none"].format(where=province, n=len(rows))
    if highlight is not None and highlight in set(rows["region_code"]):
        row = rows.set_index("region_code").loc[highlight]
        v = row.get(value)
        shown = (
            status_label(row.get("status"), lang)
            if by == "status"
            else (fmt.percent(v, lang, 2) if v is not None and not fmt.is_na(v) else fmt.NA_TEXT)
        )  # as the headline shows it
        text += " " + labels["map_alt_highlight"].format(name=row["short"], value=shown)
    return text


def choropleth_png(
    table: pd.DataFrame,
    labels: Labels,
    *,
    by: str = "coverage",
    value: str = "coverage_pct",
    highlight: str | None = None,
    numbered: bool = True,
    listed: bool | None = None,
    title: str | None = None,
    province_code: str = "35",
) -> charts.Chart | NoMap:
    """:func:`choropleth` as a :class:`~jamsos_lib.present.charts.Chart` (PNG and its alt
    text, :func:`alt_text`). The map of a table is drawn once and kept (see
    :data:`jamsos_lib.present.charts._KEPT`); each image draws only ``highlight`` on it.
    A province without a map (:func:`has_map`) gets :class:`NoMap`, which shows nothing."""
    if not has_map(province_code):
        return NoMap()
    base = _base(
        table,
        labels,
        by=by,
        value=value,
        numbered=numbered,
        listed=numbered if listed is None else listed,
        title=title,
        province_code=province_code,
    )
    return charts.Chart(
        base.png(highlight, labels),
        alt_text(table, labels, by=by, value=value, highlight=highlight, province_code=province_code),
    )
