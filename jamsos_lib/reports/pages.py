"""What a report page shows that needs more than one library call: the bantuan iuran
scenarios and calibrations of a region, put together from :mod:`jamsos_lib.compute.subsidy`
and :mod:`jamsos_lib.compute.targets` for a :class:`~jamsos_lib.reports.params.ReportContext`.

Kept out of the notebooks (which only call) and out of ``compute`` (whose functions take
plain inputs, not a report context).

* :func:`contribution` — the monthly rate a page uses: ``ctx.extra["rate_rp"]`` when given
  (> 0), else the official BPU package (JKK + JKM) in force in the report's month.
* :func:`region_scenarios` — table of schema ``subsidy.SCENARIO_SCHEMA``: closing the gap
  to the region's target (or ``ctx.extra["target_pct"]`` when > 0) for ``months`` months,
  and, when a budget is given (``ctx.extra["budget_rp"]`` > 0, else the region's own latest
  programme budget, never another region's), what that budget buys. Empty when there is nothing to close and no
  budget.
  When the region's latest programme states only how many persons it covers (no budget,
  e.g. DBHCHT programmes), a third row costs those persons at the rate for ``months``
  (its months when stated), so officials see what the programme costs at the official package.
* :func:`region_calibrations` — one ``subsidy.calibrate`` row per programme of the region
  with budget, persons and months, with ``year``, ``funding_source`` and ``status``
  columns added in front.
"""

from __future__ import annotations

import pandas as pd

from jamsos_lib.compute import subsidy, targets
from jamsos_lib.compute.subsidy import SCENARIO_SCHEMA, Contribution


def official_package(ctx) -> Contribution:
    """The BPU JKK + JKM package in force in the page's month (once per data set and month)."""
    return ctx.data.memo(("bpu_contribution", ctx.period),
                         lambda: subsidy.bpu_contribution(ctx.data.rates, ctx.period))


def contribution(ctx) -> Contribution:
    rate = float(ctx.extra.get("rate_rp", 0) or 0)
    if rate > 0:
        return subsidy.contribution_from_rate(int(round(rate)))
    return official_package(ctx)


def _programmes(ctx, *, with_budget: bool = True) -> pd.DataFrame:
    p = ctx.data.programmes
    p = p[(p["region_code"] == ctx.region_code) & p["persons"].notna()]
    if with_budget:
        p = p[p["budget_rp"].notna() & p["months"].notna()]
    return p.sort_values("year")


def region_scenarios(ctx, gap: pd.DataFrame) -> pd.DataFrame:
    """Scenarios for the region of ``ctx`` (see the module docstring)."""
    rate = contribution(ctx)
    months = int(ctx.extra.get("months", 12) or 12)
    rows = gap[gap["region_code"] == ctx.region_code]
    frames = []
    if len(rows):
        row = rows.iloc[0].to_dict()
        target_pct = float(ctx.extra.get("target_pct", 0) or 0)
        if target_pct > 0 and not pd.isna(row.get("denominator")) and not pd.isna(row.get("participants")):
            row["gap_persons"] = targets.persons_needed(target_pct, int(row["denominator"]), int(row["participants"]))
        if not pd.isna(row.get("gap_persons")) and int(row["gap_persons"]) > 0:
            frames.append(subsidy.scenario_close_gap(row, rate, months))
        budget = float(ctx.extra.get("budget_rp", 0) or 0)
        if budget <= 0:
            progs = _programmes(ctx)
            budget = float(progs["budget_rp"].iloc[-1]) if len(progs) else 0.0
        if budget > 0:
            frames.append(subsidy.scenario_budget(int(round(budget)), months, rate,
                                                  workers=row.get("denominator"), participants=row.get("participants"),
                                                  region_code=ctx.region_code))
        listed = _programmes(ctx, with_budget=False)
        if len(listed) and pd.isna(listed["budget_rp"].iloc[-1]):
            latest = listed.iloc[-1]
            # no coverage before/after: the programme's persons are already among the participants
            running = subsidy.scenario_persons(
                int(latest["persons"]), int(latest["months"]) if pd.notna(latest["months"]) else months, rate,
                region_code=ctx.region_code)
            frames.append(running.assign(scenario="programme"))
    if not frames:
        return _empty()
    # every part was checked against SCENARIO_SCHEMA by compute.subsidy, and concatenating
    # frames of one schema keeps it: not checked a third time (~9 ms of a page's ~0,25 s)
    return pd.concat(frames, ignore_index=True)


def _empty() -> pd.DataFrame:
    """A scenario table with no rows (the page then says there is nothing to show)."""
    return pd.DataFrame({c: pd.Series(dtype=str(col.dtype)) for c, col in SCENARIO_SCHEMA.columns.items()})


def region_calibrations(ctx) -> pd.DataFrame:
    """The region's real programmes against the official package (see the module docstring)."""
    official = official_package(ctx)
    frames = []
    for r in _programmes(ctx).itertuples(index=False):
        cal = subsidy.calibrate(int(round(r.budget_rp)), int(r.persons), int(r.months), official)
        cal.insert(0, "status", r.status)
        cal.insert(0, "funding_source", r.funding_source)
        cal.insert(0, "year", int(r.year))
        frames.append(cal)
    if not frames:
        return pd.DataFrame(columns=["year", "funding_source", "status", *subsidy.CALIBRATION_SCHEMA.columns])
    return pd.concat(frames, ignore_index=True)
