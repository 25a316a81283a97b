"""The region page's two line charts and its map, drawn on a new figure vs on a kept one (ms per chart).

    .venv/bin/python bench/bench_charts.py --data DIR [--reps 3] [--lang id]

For every kab/kota of the data's first province (the region notebook's own inputs:
``coverage_series``, the ``gap_table`` row, the page labels), each variant draws all
regions' charts ``--reps`` times after one warm-up chart:

- ``trend_new`` / ``gap_new``: ``charts.trend_by_segment`` / ``charts.gap_projection`` then
  ``charts.png`` (a new figure per chart, as before round 4);
- ``trend_kept`` / ``gap_kept``: ``charts.trend_png`` / ``charts.gap_png`` (the figure kept
  between regions, as the region notebook draws them);
- ``map_new`` / ``map_kept``: the region's outlined map, ``maps.choropleth`` then
  ``charts.png`` (the whole map each time) / ``maps.choropleth_png`` (the map of the table
  drawn once, each region's outline and name drawn on its pixels).

Prints one JSON object: ms per chart for each pass and the median. The images are the same
either way (tests/test_charts.py); this measures only the time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="a processed folder (jamsos clean, or the report test data)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--lang", default="id", choices=["id", "en"])
    args = ap.parse_args()
    os.environ["MPLBACKEND"] = "Agg"
    from jamsos_lib.compute import coverage, targets
    from jamsos_lib.present import charts, maps, tables
    from jamsos_lib.reports.params import open_data, region_context

    data = open_data(str(Path(args.data).resolve()))
    codes = sorted(str(c) for c in data.participants["region_code"].unique())
    province = codes[0][:2]
    inputs = []
    for code in (c for c in codes if c.startswith(province)):
        ctx = region_context(code, "", args.lang, "eligible", data=data)
        series = coverage.coverage_series(ctx.data, code, ctx.period, months=24, denominator=ctx.denominator)
        gap = targets.gap_table(ctx.data, ctx.period, ctx.denominator, province=ctx.province_code)
        inputs.append((series, tables.row_of(gap, code), ctx.labels, gap, code))

    variants = {
        "trend_new": lambda s, r, lab, g, c: charts.png(charts.trend_by_segment(s, lab)),
        "trend_kept": lambda s, r, lab, g, c: charts.trend_png(s, lab),
        "gap_new": lambda s, r, lab, g, c: charts.png(charts.gap_projection(s, r, lab)),
        "gap_kept": lambda s, r, lab, g, c: charts.gap_png(s, r, lab),
        "map_new": lambda s, r, lab, g, c: charts.png(
            maps.choropleth(g, lab, highlight=c, numbered=False, province_code=c[:2])
        ),
        "map_kept": lambda s, r, lab, g, c: maps.choropleth_png(
            g, lab, highlight=c, numbered=False, province_code=c[:2]
        ),
    }
    result: dict = {"regions": len(inputs), "province": province, "reps": args.reps, "ms_per_chart": {}}
    for name, draw in variants.items():
        draw(*inputs[0])  # warm-up: imports, fonts, the first kept figure
        passes = []
        for _ in range(args.reps):
            start = time.perf_counter()
            for item in inputs:
                draw(*item)
            passes.append(round((time.perf_counter() - start) / len(inputs) * 1000, 1))
        result["ms_per_chart"][name] = {"passes": passes, "median": statistics.median(passes)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
