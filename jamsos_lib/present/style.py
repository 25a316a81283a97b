"""One house style for every chart in the reports (matplotlib, no seaborn themes needed).

Charts are rendered off-screen (``Agg``) as PNG at a modest DPI and sized so that, shown at
``max-width: 100%`` on a 390 px phone screen, text stays legible: a 4.8 × 3.3 inch figure at
110 DPI is 528 × 363 px, scaled to about 365 px wide on the phone (×0.7), so fonts are set large
(11–13 pt) to survive the reduction. DejaVu Sans ships with matplotlib and has every
glyph Indonesian text needs (no font download, no missing-glyph warnings).

Use :func:`apply` once (the chart functions call it) or the :func:`figure` helper, which
returns a figure created with the house size and DPI.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # never a GUI backend: reports run headless, in kernels and in batch

import matplotlib.pyplot as plt  # noqa: E402

DPI = 110
#: zlib level of the charts' PNGs: 1 encodes in a third of the default's time, files ~2 % larger
PNG_COMPRESS_LEVEL = 1
WIDTH_IN = 4.8
HEIGHT_IN = 3.3
FONT = "DejaVu Sans"

#: Palette (colour-blind-safe Okabe–Ito subset) by meaning.
INK = "#222222"
GRID = "#dddddd"
MUTED = "#9aa5b1"
HIGHLIGHT = "#d55e00"  # the region a report is about
TARGET = "#009e73"  # targets and target lines
PROJECTION = "#cc79a7"
SEGMENT_COLOURS = {"PU": "#0072b2", "BPU": "#e69f00", "JAKON": "#009e73", "PMI": "#cc79a7", "TOTAL": "#222222"}
#: Status of a region against its target (see ``compute.targets`` ``status``).
STATUS_COLOURS = {
    "achieved": "#009e73",
    "on_track": "#56b4e9",
    "at_risk": "#e69f00",
    "off_track": "#d55e00",
    "not_comparable": "#8c8c8c",
    "no_target": "#bbbbbb",
    "no_data": "#dddddd",
    "unknown": "#bbbbbb",
}
#: Sequential colours for coverage bins (light -> dark blue).
COVERAGE_BINS = [
    (0, 15, "#deebf7"),
    (15, 25, "#9ecae1"),
    (25, 35, "#4292c6"),
    (35, 50, "#2171b5"),
    (50, 1000, "#08306b"),
]

RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 12,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "legend.frameon": False,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.figsize": (WIDTH_IN, HEIGHT_IN),
    "figure.facecolor": "white",
    "savefig.bbox": "standard",  # the layout engine fits the figure; "tight" costs another draw
    "svg.fonttype": "none",
}


def apply() -> None:
    """Set the house style globally (idempotent)."""
    plt.rcParams.update(RC)


def figure(width: float = WIDTH_IN, height: float = HEIGHT_IN):
    """A new ``(fig, ax)`` in the house style and size."""
    apply()
    fig, ax = plt.subplots(figsize=(width, height), dpi=DPI, layout="constrained")
    return fig, ax


def fixed_figure(
    width: float = WIDTH_IN, height: float = HEIGHT_IN, *, left: float, bottom: float, right: float, top: float
):
    """A new ``(fig, ax)`` with the axes at fixed margins (inches) and no layout engine.

    For the charts every region page draws (hundreds a month): a layout engine measures
    every text of a chart before drawing it, a third of the chart's cost. The margins are
    chosen to hold the widest text those charts can show (``100%`` ticks, the legends in
    either language); ``tests/test_charts.py`` checks that nothing is cut off.
    """
    apply()
    fig = plt.figure(figsize=(width, height), dpi=DPI)
    ax = fig.add_axes((left / width, bottom / height, 1 - (left + right) / width, 1 - (bottom + top) / height))
    return fig, ax


def coverage_colour(pct: float | None) -> str:
    """Bin colour for a coverage percentage (grey when unknown)."""
    if pct is None or pct != pct:
        return STATUS_COLOURS["unknown"]
    for low, high, colour in COVERAGE_BINS:
        if low <= pct < high:
            return colour
    return COVERAGE_BINS[-1][2]


def text_colour_on(background: str) -> str:
    """Black or white text, whichever reads better on ``background`` (hex)."""
    r, g, b = (int(background.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255
    return INK if luminance > 0.55 else "white"
