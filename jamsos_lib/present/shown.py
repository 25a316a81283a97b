"""What a kab/kota page shows of the other kab/kota of its province, at the precision it shows it.

The ranking chart (:func:`jamsos_lib.present.charts.ranking_png`) and the map
(:func:`jamsos_lib.present.maps.choropleth_png`) of a region page draw every kab/kota of the
province. A reader sees their coverage as :func:`jamsos_lib.present.fmt.percent` writes it
(one decimal), so the bars are drawn at that value and the map's colour bins take it
(:func:`pct`); the order of the bars is the rank of the exact values (ties by region code).
The page fingerprint (:mod:`jamsos_lib.reports.fingerprint`) hashes :func:`others`, exactly
what these draw, so a change that moves no bar, colour, label or rank of another region
(one more participant in a region of 2 million workers) renders only that region's page,
and one that does renders every page that shows it.

No matplotlib here: the batch's own process fingerprints pages without drawing.
"""

from __future__ import annotations

import pandas as pd

from jamsos_lib.present import fmt

#: decimals of a coverage percentage as the ranking and the map show it (``fmt.percent``'s default)
PCT_DIGITS = 1


def pct(value, digits: int = PCT_DIGITS) -> float | None:
    """``value`` (percent) rounded as :func:`jamsos_lib.present.fmt.percent` writes it; None when missing."""
    if fmt.is_na(value):
        return None
    return float(fmt.rounded(value, digits))


def kabkota(table: pd.DataFrame) -> pd.DataFrame:
    """The kab/kota rows of a coverage table (the province row left out)."""
    return table[table["level"] == "kabkota"] if "level" in table else table


def ranking_rows(table: pd.DataFrame, value: str = "coverage_pct") -> pd.DataFrame:
    """The bars of the ranking chart, lowest first: every kab/kota with a ``value``, in the order
    of the exact values (ties by region code), ``value`` as shown (:func:`pct`)."""
    t = kabkota(table).dropna(subset=[value])
    t = t.assign(_exact=t[value].astype(float)).sort_values(["_exact", "region_code"], kind="stable")
    return t.drop(columns="_exact").assign(**{value: [pct(v) for v in t[value]]}).reset_index(drop=True)


def others(coverage: pd.DataFrame, value: str = "coverage_pct", name: str = "region_name") -> pd.DataFrame:
    """What every kab/kota page of a province shows of each kab/kota of ``coverage`` (that
    province's rows): the bars in rank order with the values shown (which also decide the map's
    colours), then every kab/kota the table lists (how many there are, and those without a
    value, grey on the map)."""
    bars = ranking_rows(coverage, value)[["region_code", name, value]].astype({value: "float64"})
    listed = kabkota(coverage)[["region_code", name]].sort_values("region_code")
    return pd.concat([bars.assign(part="bar"), listed.assign(part="listed")], ignore_index=True)
