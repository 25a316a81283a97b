"""The bantuan iuran scenarios and calibrations of a region, put together from
:mod:`jamsos_lib.compute.subsidy` and :mod:`jamsos_lib.compute.targets` from plain inputs
(the data set, the region, the month and :class:`Options`). The pages, the month tables
(:mod:`jamsos_lib.compute.month`) and ``jamsos subsidy --close-gap`` all use these
functions, so a scenario is built one way only.

* :func:`contribution` — the monthly rate a page uses: ``options.rate_rp`` when given
  (> 0), else the official BPU package (JKK + JKM) in force in the report's month.
* :func:`region_scenarios` — table of schema ``subsidy.SCENARIO_SCHEMA``:

  - closing the gap to the region's comparable target of the year (or ``options.target_pct``
    when > 0) for the **months left in the target year**, with the 12-month figure beside it;
  - a budget: ``options.budget_rp`` when > 0 (money on top of what runs: every person
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

import functools
from dataclasses import dataclass

import pandas as pd

from jamsos_lib.compute import subsidy, targets
from jamsos_lib.compute.subsidy import SCENARIO_SCHEMA, Contribution
from jamsos_lib.validate.schemas import empty_frame


@dataclass(frozen=True)
class Options:
    """What a user may change about a region's scenarios (0 = the default; see the module docstring)."""

    rate_rp: float = 0.0
    budget_rp: float = 0.0
    months: int = 12
    target_pct: float = 0.0

    @classmethod
    def of(cls, extra: dict | None) -> "Options":
        extra = extra or {}
        return cls(
            rate_rp=float(extra.get("rate_rp", 0) or 0),
            budget_rp=float(extra.get("budget_rp", 0) or 0),
            months=int(extra.get("months", 12) or 12),
            target_pct=float(extra.get("target_pct", 0) or 0),
        )


DEFAULT = Options()


def official_package(data, period: str) -> Contribution:
    """The BPU JKK + JKM package in force in ``period``."""
    return subsidy.bpu_contribution(data.rates, period)


def contribution(data, period: str, options: Options = DEFAULT) -> Contribution:
    """The monthly rate of a scenario: ``options.rate_rp`` when > 0, else the official package."""
    if options.rate_rp > 0:
        return subsidy.contribution_from_rate(int(round(options.rate_rp)))
    return official_package(data, period)


def _programmes(data, region_code: str, period: str, *, with_budget: bool = True) -> pd.DataFrame:
    """The region's programmes with persons (and budget and months), of years up to the
    report's (a later year's plan is not yet spent), oldest first."""
    p = data.programmes
    p = p[(p["region_code"] == region_code) & p["persons"].notna() & (p["year"] <= int(period[:4]))]
    if with_budget:
        p = p[p["budget_rp"].notna() & p["months"].notna()]
    return p.sort_values("year", kind="stable")


def _running(period: str, progs: pd.DataFrame):
    """The latest programme of the report's own year (its persons are in this month's count), or None."""
    this_year = progs[progs["year"] == int(period[:4])]
    return this_year.iloc[-1] if len(this_year) else None


def programme_rate(programme) -> Contribution:
    """A programme's own published rate (budget ÷ persons ÷ months)."""
    return subsidy.programme_contribution(
        int(round(programme["budget_rp"])),
        int(programme["persons"]),
        int(programme["months"]),
        region_name=str(programme["region_name"]),
        year=int(programme["year"]),
        source_url=str(programme["source_url"]),
    )


def close_gap_row(gap_row: dict, period: str, target_pct: float = 0.0) -> dict:
    """``gap_row`` (one row of :func:`~jamsos_lib.compute.targets.gap_table`) with the persons
    missing to ``target_pct`` instead when it is > 0 (and the months left of the report's year)."""
    row = dict(gap_row)
    if target_pct > 0 and not pd.isna(row.get("denominator")) and not pd.isna(row.get("participants")):
        row["gap_persons"] = targets.persons_needed(target_pct, int(row["denominator"]), int(row["participants"]))
        if pd.isna(row.get("months_left")):
            row["months_left"] = targets.months_left(period, int(period[:4]))
    return row


def close_gap(
    data, gap_row: dict, period: str, rate: Contribution, months: int | None = None, target_pct: float = 0.0
) -> pd.DataFrame:
    """Closing the gap of ``gap_row`` at ``rate``: the one function behind ``jamsos subsidy
    --close-gap`` and the pages' ``close_gap`` rows (months left in the target year, or
    ``months``, and 12 beside it)."""
    row = close_gap_row(gap_row, period, target_pct)
    return subsidy.scenario_close_gap(row, rate, months, official=official_package(data, period))


def region_scenarios(
    data,
    region_code: str,
    period: str,
    gap: pd.DataFrame,
    options: Options = DEFAULT,
    official: Contribution | None = None,
    rate: Contribution | None = None,
) -> pd.DataFrame:
    """Scenarios for ``region_code`` in ``period`` (see the module docstring); ``official``:
    :func:`official_package` of the month when the caller has it already; ``rate``: the
    page's rate when it is not one ``options`` can say (``jamsos subsidy --income``)."""
    official = official or official_package(data, period)
    if rate is None:
        rate = subsidy.contribution_from_rate(int(round(options.rate_rp))) if options.rate_rp > 0 else official
    months = options.months
    rows = gap[gap["region_code"] == region_code]
    frames = []
    if len(rows):
        row = close_gap_row(rows.iloc[0].to_dict(), period, options.target_pct)
        if not pd.isna(row.get("gap_persons")) and int(row["gap_persons"]) > 0:
            frames.append(subsidy.scenario_close_gap(row, rate, official=official))
        position = dict(
            workers=row.get("denominator"),
            participants=row.get("participants"),
            region_code=region_code,
            official=official,
        )
        if options.budget_rp > 0:  # money given by the user: on top of what runs, every person bought is new
            frames.append(subsidy.scenario_budget(int(round(options.budget_rp)), months, rate, **position))
        else:
            progs = _programmes(data, region_code, period)
            if len(progs):
                latest = progs.iloc[-1]
                own = programme_rate(latest) if options.rate_rp <= 0 else rate
                money, paid_months = int(round(latest["budget_rp"])), int(latest["months"])
                counted = 0
                if int(latest["year"]) == int(period[:4]):
                    # the programme runs this year: its recipients are already in the count
                    counted = min(int(latest["persons"]), money // (own.monthly_rp * paid_months))
                frames.append(subsidy.scenario_budget(money, paid_months, own, already_counted=counted, **position))
        listed = _programmes(data, region_code, period, with_budget=False)
        running = _running(period, listed)
        if running is not None and (pd.isna(running["budget_rp"]) or pd.isna(running["months"])):
            # persons without a published budget or months: what they cost at the rate, all already counted
            frames.append(
                subsidy.scenario_persons(
                    int(running["persons"]),
                    int(running["months"]) if pd.notna(running["months"]) else months,
                    rate,
                    workers=row.get("denominator"),
                    participants=row.get("participants"),
                    region_code=region_code,
                    already_counted=int(running["persons"]),
                    official=official,
                ).assign(scenario="programme")
            )
    if not frames:
        return _empty()
    # every part was checked against SCENARIO_SCHEMA by compute.subsidy (or, inside
    # validate.once.deferred, is checked with the whole month table), and concatenating
    # frames of one schema keeps it: not checked again here
    return pd.concat(frames, ignore_index=True)


def _empty() -> pd.DataFrame:
    """A scenario table with no rows (the page then says there is nothing to show)."""
    return _empty_template().copy()


@functools.cache
def _empty_template() -> pd.DataFrame:
    # building 28 typed empty columns costs ~5 ms, 514 times for the country's month tables
    return empty_frame(SCENARIO_SCHEMA)


#: Columns of :func:`region_calibrations`: the programme, then the calibration (NA where
#: the programme does not publish budget, persons and months), then ``note``.
CALIBRATION_COLUMNS = [
    "year",
    "funding_source",
    "status",
    *subsidy.CALIBRATION_SCHEMA.columns,
    "persons_listed",
    "source_url",
    "note",
]


#: a calibration row's note when the programme does not publish some of budget, persons and
#: months: this prefix and the fields' codes (``budget``, ``persons``, ``months``); a page
#: words it in its language (``present.tables.calibration_table``)
NOT_PUBLISHED = "not published: "


def region_calibrations(data, region_code: str, period: str, official: Contribution | None = None) -> pd.DataFrame:
    """Every programme of the region (any year, oldest first): against the official package
    where it publishes budget, persons and months; otherwise its persons with a note saying
    what is not published (so a page never says "no programme" next to one)."""
    official = official or official_package(data, period)
    p = data.programmes
    p = p[p["region_code"] == region_code].sort_values("year", kind="stable")
    frames = []
    for r in p.itertuples(index=False):
        head = {
            "year": int(r.year),
            "funding_source": r.funding_source,
            "status": r.status,
            "persons_listed": r.persons,
            "source_url": r.source_url,
        }
        missing = [
            name for name, v in (("budget", r.budget_rp), ("persons", r.persons), ("months", r.months)) if pd.isna(v)
        ]
        if not missing and int(r.persons) > 0:
            cal = subsidy.calibrate(int(round(r.budget_rp)), int(r.persons), int(r.months), official)
            frames.append(cal.assign(**head, note=""))
        else:
            frames.append(
                pd.DataFrame(
                    [
                        {
                            **head,
                            "budget_rp": r.budget_rp,
                            "persons": r.persons,
                            "months": r.months,
                            "official_monthly_rp": official.monthly_rp,
                            "note": NOT_PUBLISHED + ", ".join(missing),
                        }
                    ]
                )
            )
    if not frames:
        return pd.DataFrame(columns=CALIBRATION_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out.reindex(columns=CALIBRATION_COLUMNS)
