"""What a report page shows that needs more than one library call: the bantuan iuran
scenarios and calibrations of a region, put together from :mod:`jamsos_lib.compute.subsidy`
and :mod:`jamsos_lib.compute.targets` for a :class:`~jamsos_lib.reports.params.ReportContext`.

Kept out of the notebooks (which only call) and out of ``compute`` (whose functions take
plain inputs, not a report context).

* :func:`contribution` — the monthly rate a page uses: ``ctx.extra["rate_rp"]`` when given
  (> 0), else the official BPU package (JKK + JKM) in force in the report's month.
* :func:`region_scenarios` — table of schema ``subsidy.SCENARIO_SCHEMA``:

  - closing the gap to the region's comparable target of the year (or ``ctx.extra["target_pct"]``
    when > 0) for the **months left in the target year**, with the 12-month figure beside it;
  - a budget: ``ctx.extra["budget_rp"]`` when > 0 (money on top of what runs: every person
    it buys is new, at the page's rate), else the region's own latest programme with budget,
    persons and months (never another region's, never a later year's) **at its own
    published rate** (Trenggalek 2025: Rp 17.438, not the official Rp 16.800) unless the
    user gave ``rate_rp``; when that programme runs in the report's year its recipients are
    already in the count (``already_counted``), so it adds no new persons (Trenggalek 2025:
    10.000 paid, 0 new, not the 10.379 new persons an official-rate reading would invent);
  - when the programme of the report's year states its persons but not its budget or
    months (e.g. DBHCHT lists), a ``programme`` row costs them at the page's rate for its
    months (else ``months``), all already counted.

  Empty when there is nothing to close and no budget.
* :func:`region_calibrations` — every programme of the region: a ``subsidy.calibrate`` row
  where it publishes budget, persons and months, else its persons and a note of what is
  not published; ``year``, ``funding_source``, ``status``, ``persons_listed``,
  ``source_url`` and ``note`` around it (:data:`CALIBRATION_COLUMNS`).
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
    """The region's programmes with persons (and budget and months), of years up to the
    report's (a later year's plan is not yet spent), oldest first."""
    p = ctx.data.programmes
    p = p[(p["region_code"] == ctx.region_code) & p["persons"].notna() & (p["year"] <= int(ctx.period[:4]))]
    if with_budget:
        p = p[p["budget_rp"].notna() & p["months"].notna()]
    return p.sort_values("year", kind="stable")


def _running(ctx, progs: pd.DataFrame):
    """The latest programme of the report's own year (its persons are in this month's count), or None."""
    this_year = progs[progs["year"] == int(ctx.period[:4])]
    return this_year.iloc[-1] if len(this_year) else None


def programme_rate(ctx, programme) -> Contribution:
    """A programme's own published rate (budget ÷ persons ÷ months)."""
    return subsidy.programme_contribution(int(round(programme["budget_rp"])), int(programme["persons"]),
                                          int(programme["months"]), region_name=str(programme["region_name"]),
                                          year=int(programme["year"]), source_url=str(programme["source_url"]))


def region_scenarios(ctx, gap: pd.DataFrame) -> pd.DataFrame:
    """Scenarios for the region of ``ctx`` (see the module docstring)."""
    rate = contribution(ctx)
    official = official_package(ctx)
    months = int(ctx.extra.get("months", 12) or 12)
    rows = gap[gap["region_code"] == ctx.region_code]
    frames = []
    if len(rows):
        row = rows.iloc[0].to_dict()
        target_pct = float(ctx.extra.get("target_pct", 0) or 0)
        if target_pct > 0 and not pd.isna(row.get("denominator")) and not pd.isna(row.get("participants")):
            row["gap_persons"] = targets.persons_needed(target_pct, int(row["denominator"]), int(row["participants"]))
            if pd.isna(row.get("months_left")):
                row["months_left"] = targets.months_left(ctx.period, int(ctx.period[:4]))
        if not pd.isna(row.get("gap_persons")) and int(row["gap_persons"]) > 0:
            frames.append(subsidy.scenario_close_gap(row, rate, official=official))
        position = dict(workers=row.get("denominator"), participants=row.get("participants"),
                        region_code=ctx.region_code, official=official)
        budget = float(ctx.extra.get("budget_rp", 0) or 0)
        if budget > 0:  # money given by the user: on top of what runs, every person bought is new
            frames.append(subsidy.scenario_budget(int(round(budget)), months, rate, **position))
        else:
            progs = _programmes(ctx)
            if len(progs):
                latest = progs.iloc[-1]
                own = programme_rate(ctx, latest) if float(ctx.extra.get("rate_rp", 0) or 0) <= 0 else rate
                money, paid_months = int(round(latest["budget_rp"])), int(latest["months"])
                counted = 0
                if int(latest["year"]) == int(ctx.period[:4]):
                    # the programme runs this year: its recipients are already in the count
                    counted = min(int(latest["persons"]), money // (own.monthly_rp * paid_months))
                frames.append(subsidy.scenario_budget(money, paid_months, own, already_counted=counted, **position))
        listed = _programmes(ctx, with_budget=False)
        running = _running(ctx, listed)
        if running is not None and (pd.isna(running["budget_rp"]) or pd.isna(running["months"])):
            # persons without a published budget or months: what they cost at the rate, all already counted
            frames.append(subsidy.scenario_persons(
                int(running["persons"]), int(running["months"]) if pd.notna(running["months"]) else months, rate,
                workers=row.get("denominator"), participants=row.get("participants"), region_code=ctx.region_code,
                already_counted=int(running["persons"]), official=official).assign(scenario="programme"))
    if not frames:
        return _empty()
    # every part was checked against SCENARIO_SCHEMA by compute.subsidy, and concatenating
    # frames of one schema keeps it: not checked a third time (~9 ms of a page's ~0,25 s)
    return pd.concat(frames, ignore_index=True)


def _empty() -> pd.DataFrame:
    """A scenario table with no rows (the page then says there is nothing to show)."""
    return pd.DataFrame({c: pd.Series(dtype=str(col.dtype)) for c, col in SCENARIO_SCHEMA.columns.items()})


#: Columns of :func:`region_calibrations`: the programme, then the calibration (NA where
#: the programme does not publish budget, persons and months), then ``note``.
CALIBRATION_COLUMNS = ["year", "funding_source", "status", *subsidy.CALIBRATION_SCHEMA.columns, "persons_listed",
                       "source_url", "note"]


def region_calibrations(ctx) -> pd.DataFrame:
    """Every programme of the region (any year, oldest first): against the official package
    where it publishes budget, persons and months; otherwise its persons with a note saying
    what is not published (so a page never says "no programme" next to one)."""
    official = official_package(ctx)
    p = ctx.data.programmes
    p = p[p["region_code"] == ctx.region_code].sort_values("year", kind="stable")
    frames = []
    for r in p.itertuples(index=False):
        head = {"year": int(r.year), "funding_source": r.funding_source, "status": r.status,
                "persons_listed": r.persons, "source_url": r.source_url}
        missing = [name for name, v in (("anggaran", r.budget_rp), ("jumlah orang", r.persons), ("bulan", r.months))
                   if pd.isna(v)]
        if not missing and int(r.persons) > 0:
            cal = subsidy.calibrate(int(round(r.budget_rp)), int(r.persons), int(r.months), official)
            frames.append(cal.assign(**head, note=""))
        else:
            frames.append(pd.DataFrame([{**head, "budget_rp": r.budget_rp, "persons": r.persons, "months": r.months,
                                         "official_monthly_rp": official.monthly_rp,
                                         "note": "tidak diterbitkan: " + ", ".join(missing)}]))
    if not frames:
        return pd.DataFrame(columns=CALIBRATION_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out.reindex(columns=CALIBRATION_COLUMNS)
