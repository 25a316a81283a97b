"""Bantuan iuran: what it costs a Pemda to pay BPU contributions, and what a budget buys.

Cost model (the one real programmes use, e.g. Penajam Paser Utara 2025:
15.000 persons × Rp 16.800 × 12 months = Rp 3.024.000.000)::

    cost = persons × monthly contribution per person × months      (exact integer Rupiah)

Monthly contribution (:func:`bpu_contribution`), from the rates table by effective date:
JKK 1% of the declared income, bounded by its minimum Rp 10.000 and maximum Rp 207.000,
plus JKM Rp 6.800 flat (PP 44/2015), plus optionally JHT 2% of income (PP 46/2015).
At an income of Rp 1.000.000 that is the official minimum package of Rp 16.800
(Rp 36.800 with JHT). ``kind="percent"`` rate values are in percent units (``1.0`` = 1%).
Each percent component is rounded half-up to whole Rupiah. A rate row applies from
``valid_from`` (empty: always) up to ``valid_to`` (empty: still in force); among several
rows of one programme in force, the latest ``valid_from`` wins. A user-given rate
(``--rate``) replaces all of this (:func:`contribution_from_rate`).

A programme's own rate (:func:`programme_contribution`): where a Pemda publishes budget,
persons and months, its per-person-month rate is ``budget ÷ persons ÷ months`` rounded
half-up to whole Rupiah (Trenggalek 2025: Rp 2.092.600.000 ÷ 10.000 ÷ 12 = Rp 17.438,33 →
Rp 17.438, against the official Rp 16.800); a scenario that prices that programme uses it,
and every scenario row names the rate used (``rate_kind``) with the official package
beside it (``official_monthly_rp``).

No double counting: ``persons`` are the persons paid for, ``new_persons`` those not yet in
the participants count and ``already_counted`` those who are (a programme running in the
report's year is already inside that month's count: Trenggalek's 10.000 of 2025 are in the
June 2025 figure). Coverage after = (participants + new_persons) ÷ denominator.

Closing the gap (:func:`scenario_close_gap`) is costed for the months left in the target
year (``close_gap``) with the 12-month figure beside it (``close_gap_12m``).

Every scenario returns a DataFrame of schema :data:`SCENARIO_SCHEMA` carrying the rate,
its legal basis and effective date. Negative persons, months, budgets or rates are a
:class:`JamsosError`, never a silent zero.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pandera.pandas as pa

from jamsos_lib.compute.constants import DEFAULT_INCOME_RP  # noqa: F401 - re-exported
from jamsos_lib.errors import JamsosError
from jamsos_lib.validate.once import check

BPU_PROGRAMS = ("JKK", "JKM", "JHT")


@dataclass(frozen=True)
class Contribution:
    """A monthly contribution per person and where it comes from.

    ``components`` maps programme -> Rupiah (``{"JKK": 10000, "JKM": 6800}``);
    ``valid_from`` is the date the latest of the rates used took effect (``None`` for a
    user-given rate); ``label`` is a one-line description for tables and reports.
    """

    monthly_rp: int
    components: dict = field(default_factory=dict)
    legal_basis: str = ""
    valid_from: _dt.date | None = None
    source_url: str = ""
    label: str = ""
    income_rp: int | None = None
    #: ``official`` (the BPU package of the rates table), ``programme`` (a programme's own
    #: published rate) or ``user`` (``--rate``).
    kind: str = "official"


def _non_negative_int(name: str, value) -> int:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise JamsosError(f"{name} is missing")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise JamsosError(f"{name} must be a number, not {value!r}") from None
    if number < 0:
        raise JamsosError(f"{name} must not be negative (got {value})")
    if number != number.to_integral_value():
        raise JamsosError(f"{name} must be a whole number (got {value})")
    return int(number)


def _round_rp(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _rates_frame(rates) -> pd.DataFrame:
    return rates.rates if hasattr(rates, "rates") and not isinstance(rates, pd.DataFrame) else rates


def _rate_in_force(rates: pd.DataFrame, program: str, on: pd.Timestamp) -> pd.Series:
    rows = rates[
        (rates["segment"].str.strip().str.upper() == "BPU") & (rates["program"].str.strip().str.upper() == program)
    ]
    start = rows["valid_from"].fillna(pd.Timestamp.min)
    end = rows["valid_to"].fillna(pd.Timestamp.max)
    in_force = (start <= on) & (end >= on)
    if not in_force.any():
        raise JamsosError(
            f"the rates table has no BPU {program} rate in force on {on.date()}: add one, or give the rate with --rate"
        )
    return rows.loc[start[in_force].sort_values(kind="stable").index[-1]]


def bpu_contribution(rates, period: str, income_rp: int = DEFAULT_INCOME_RP, with_jht: bool = False) -> Contribution:
    """The BPU monthly contribution in force in ``period`` (``YYYY-MM``) at ``income_rp``.

    ``rates`` is the processed rates table (or a Dataset). See the module docstring.
    """
    rates = _rates_frame(rates)
    income = _non_negative_int("income_rp", income_rp)
    try:
        on = pd.Period(str(period), freq="M").start_time
    except ValueError:
        raise JamsosError(f"period must be YYYY-MM, not {period!r}") from None
    programs = ["JKK", "JKM"] + (["JHT"] if with_jht else [])
    components, bases, urls, starts = {}, [], [], []
    for program in programs:
        r = _rate_in_force(rates, program, on)
        if r["kind"] == "amount":
            amount = _round_rp(Decimal(str(r["value"])))
        else:
            amount = _round_rp(Decimal(str(r["value"])) * income / 100)
            if pd.notna(r["min_rp"]):
                amount = max(amount, _round_rp(Decimal(str(r["min_rp"]))))
            if pd.notna(r["max_rp"]):
                amount = min(amount, _round_rp(Decimal(str(r["max_rp"]))))
        components[program] = amount
        for target, value in ((bases, r["legal_basis"]), (urls, r["source_url"])):
            if value and value not in target:
                target.append(str(value))
        if pd.notna(r["valid_from"]):
            starts.append(pd.Timestamp(r["valid_from"]).date())
    monthly = sum(components.values())
    income_text, monthly_text = (f"{v:,}".replace(",", ".") for v in (income, monthly))
    label = f"BPU {'+'.join(programs)}, penghasilan dilaporkan Rp {income_text}: Rp {monthly_text} per orang per bulan"
    return Contribution(
        monthly, components, "; ".join(bases), max(starts) if starts else None, "; ".join(urls), label, income
    )


def contribution_from_rate(rate_rp) -> Contribution:
    """A user-given monthly rate per person (``jamsos subsidy --rate``)."""
    rate = _non_negative_int("rate", rate_rp)
    if rate == 0:
        raise JamsosError("rate must be more than Rp 0 per person-month")
    return Contribution(
        rate,
        {"user rate": rate},
        "tarif dari pengguna (--rate)",
        None,
        "",
        f"tarif dari pengguna: Rp {rate:,}".replace(",", ".") + " per orang per bulan",
        kind="user",
    )


def _rp(n: int) -> str:
    return f"Rp {n:,}".replace(",", ".")


def programme_contribution(
    budget_rp, persons, months, *, region_name: str = "", year=None, source_url: str = ""
) -> Contribution:
    """A programme's own per-person-month rate: ``budget ÷ persons ÷ months`` rounded half-up
    (Trenggalek 2025: Rp 2.092.600.000 ÷ 10.000 ÷ 12 = Rp 17.438)."""
    budget = _non_negative_int("budget", budget_rp)
    persons = _non_negative_int("persons", persons)
    months = _non_negative_int("months", months)
    if persons == 0 or months == 0:
        raise JamsosError("a programme rate needs at least 1 person and 1 month")
    rate = _round_rp(Decimal(budget) / (persons * months))
    who = " ".join(str(x) for x in (region_name, year) if x not in (None, ""))
    label = (
        f"tarif program {who}: {_rp(budget)} ÷ {persons:,} orang ÷ {months} bulan = ".replace(",", ".")
        + f"{_rp(rate)} per orang per bulan"
    )
    return Contribution(
        rate, {"programme": rate}, f"anggaran program {who}".strip(), None, source_url, label, kind="programme"
    )


def cost(persons, months, monthly_rp) -> int:
    """``persons × months × monthly_rp`` in exact integer Rupiah."""
    return (
        _non_negative_int("persons", persons)
        * _non_negative_int("months", months)
        * _non_negative_int("monthly_rp", monthly_rp)
    )


_int = pa.Column("Int64", pa.Check.ge(0), nullable=True)
_pct = pa.Column("Float64", nullable=True)

#: Scenario kinds: ``close_gap`` (the months left in the target year), ``close_gap_12m``
#: (the same persons for 12 months), ``persons``, ``budget``, ``multi_year`` and
#: ``programme`` (a ``persons`` row that costs a region's running programme, whose persons
#: are already counted; set by :mod:`jamsos_lib.reports.pages`).
SCENARIOS = ("close_gap", "close_gap_12m", "persons", "budget", "multi_year", "programme")

#: Output of every ``scenario_*`` function: one row per scenario (per year for
#: :func:`scenario_multi_year`). ``persons`` paid for ``months`` at ``monthly_rp`` per
#: person-month cost ``cost_rp``; of them ``new_persons`` are not yet in the participants
#: count and ``already_counted`` are; ``budget_rp`` the budget given (NA if none) and
#: ``unspent_rp`` what is left of it; ``coverage_before_pct``/``coverage_after_pct`` =
#: participants (+ new_persons) ÷ denominator when those were given; ``rate_label``,
#: ``rate_kind`` (official / programme / user), ``legal_basis``, ``valid_from`` (YYYY-MM-DD
#: or empty), ``rate_source_url`` describe the rate used and ``official_monthly_rp`` is the
#: official package beside it (NA when not known to the caller).
SCENARIO_SCHEMA = pa.DataFrameSchema(
    {
        "scenario": pa.Column(str, pa.Check.isin(list(SCENARIOS))),
        "region_code": pa.Column(str),
        "year": pa.Column("Int64", nullable=True),
        "persons": pa.Column("Int64", pa.Check.ge(0)),
        "new_persons": pa.Column("Int64", pa.Check.ge(0)),
        "already_counted": pa.Column("Int64", pa.Check.ge(0)),
        "months": pa.Column("Int64", pa.Check.ge(0)),
        "monthly_rp": pa.Column("Int64", pa.Check.ge(0)),
        "cost_rp": pa.Column("Int64", pa.Check.ge(0)),
        "cumulative_cost_rp": pa.Column("Int64", pa.Check.ge(0)),
        "budget_rp": _int,
        "unspent_rp": _int,
        "participants": _int,
        "denominator": _int,
        "coverage_before_pct": _pct,
        "coverage_after_pct": _pct,
        "rate_label": pa.Column(str),
        "rate_kind": pa.Column(str, pa.Check.isin(["official", "programme", "user"])),
        "official_monthly_rp": _int,
        "legal_basis": pa.Column(str),
        "valid_from": pa.Column(str),
        "rate_source_url": pa.Column(str),
    },
    checks=[
        pa.Check(
            lambda df: (df["budget_rp"].isna() | (df["cost_rp"] <= df["budget_rp"])).all(), error="cost exceeds budget"
        ),
        pa.Check(
            lambda df: (df["new_persons"] + df["already_counted"] == df["persons"]).all(),
            error="persons = new_persons + already_counted",
        ),
    ],
    strict=True,
    name="subsidy_scenario",
)

#: Output of :func:`calibrate`: the per-person-month cost a real programme implies
#: (``budget_rp / (persons × months)``, exact and rounded half-up to whole Rupiah), the
#: official package it is compared with, their difference per person-month (Rp and %), and
#: the official cost of the same persons and months with the budget's difference from it.
CALIBRATION_SCHEMA = pa.DataFrameSchema(
    {
        "budget_rp": pa.Column("Int64", pa.Check.ge(0)),
        "persons": pa.Column("Int64", pa.Check.gt(0)),
        "months": pa.Column("Int64", pa.Check.gt(0)),
        "per_person_month_rp": pa.Column(float),
        "per_person_month_rounded_rp": pa.Column("Int64"),
        "official_monthly_rp": pa.Column("Int64"),
        "difference_rp": pa.Column(float),
        "difference_pct": pa.Column(float),
        "official_cost_rp": pa.Column("Int64"),
        "budget_minus_official_rp": pa.Column("Int64"),
        "official_label": pa.Column(str),
        "legal_basis": pa.Column(str),
        "valid_from": pa.Column(str),
    },
    strict=True,
    name="subsidy_calibration",
)


def _row(
    scenario: str,
    persons: int,
    months: int,
    contribution: Contribution,
    *,
    budget=None,
    participants=None,
    denominator=None,
    region_code: str = "",
    year=None,
    already_counted: int = 0,
    official_rp=None,
) -> dict:
    total = cost(persons, months, contribution.monthly_rp)
    counted = min(_non_negative_int("already_counted", already_counted), persons)
    before = after = pd.NA
    if participants is not None and denominator is not None and denominator > 0:
        before = participants / denominator * 100
        after = (participants + persons - counted) / denominator * 100
    if official_rp is None and contribution.kind == "official":
        official_rp = contribution.monthly_rp
    return {
        "scenario": scenario,
        "region_code": region_code,
        "year": year,
        "persons": persons,
        "new_persons": persons - counted,
        "already_counted": counted,
        "months": months,
        "monthly_rp": contribution.monthly_rp,
        "cost_rp": total,
        "cumulative_cost_rp": total,
        "budget_rp": budget,
        "unspent_rp": None if budget is None else budget - total,
        "participants": participants,
        "denominator": denominator,
        "coverage_before_pct": before,
        "coverage_after_pct": after,
        "rate_label": contribution.label,
        "rate_kind": contribution.kind,
        "official_monthly_rp": official_rp,
        "legal_basis": contribution.legal_basis,
        "valid_from": contribution.valid_from.isoformat() if contribution.valid_from else "",
        "rate_source_url": contribution.source_url,
    }


_WHOLE_COLUMNS = frozenset(
    {
        "year",
        "persons",
        "new_persons",
        "already_counted",
        "months",
        "monthly_rp",
        "cost_rp",
        "cumulative_cost_rp",
        "budget_rp",
        "unspent_rp",
        "participants",
        "denominator",
        "official_monthly_rp",
    }
)
_PCT_COLUMNS = frozenset({"coverage_before_pct", "coverage_after_pct"})


def _frame(rows: list[dict]) -> pd.DataFrame:
    # column by column from the rows, each with its type, into one frame (a frame of the
    # rows converted column by column after costs ~4 ms a scenario, 514 regions a month)
    columns = {}
    for col in rows[0]:
        values = [r[col] for r in rows]
        if col in _WHOLE_COLUMNS:
            columns[col] = pd.array([None if v is None or pd.isna(v) else int(v) for v in values], dtype="Int64")
        elif col in _PCT_COLUMNS:
            columns[col] = pd.array([None if pd.isna(v) else float(v) for v in values], dtype="Float64")
        else:
            columns[col] = pd.Series(values, dtype=object).astype(str)
    return check(SCENARIO_SCHEMA, pd.DataFrame(columns))


def _optional_count(name, value):
    return None if value is None or pd.isna(value) else _non_negative_int(name, value)


def _official(official) -> int | None:
    if official is None:
        return None
    return official.monthly_rp if isinstance(official, Contribution) else _non_negative_int("official", official)


def scenario_persons(
    persons,
    months,
    contribution: Contribution,
    workers=None,
    participants=None,
    region_code: str = "",
    *,
    already_counted: int = 0,
    official=None,
) -> pd.DataFrame:
    """(b) The cost of covering ``persons`` for ``months``; coverage before/after when the
    current ``participants`` and the denominator (``workers``) are given. ``already_counted``
    of the persons are already among the participants (a running programme) and do not
    raise coverage; ``official`` (a :class:`Contribution` or Rupiah) is shown beside the rate."""
    return _frame(
        [
            _row(
                "persons",
                _non_negative_int("persons", persons),
                _non_negative_int("months", months),
                contribution,
                participants=_optional_count("participants", participants),
                denominator=_optional_count("workers", workers),
                region_code=region_code,
                already_counted=already_counted,
                official_rp=_official(official),
            )
        ]
    )


def scenario_close_gap(
    gap_row, contribution: Contribution, months: int | None = None, *, official=None
) -> pd.DataFrame:
    """(a) The cost of closing a region's gap to target by enrolling ``gap_persons`` BPU
    workers (``gap_row`` is one row of :func:`~jamsos_lib.compute.targets.gap_table`):

    * ``close_gap``: for the months left in the target year (``gap_row["months_left"]``,
      2025-06 → 6), or for ``months`` when given;
    * ``close_gap_12m``: the same persons for 12 months, beside it (not repeated when the
      first row is already 12 months; the only row when no month is left in the target year).
    """
    row = dict(gap_row) if not isinstance(gap_row, pd.Series) else gap_row.to_dict()
    code = str(row.get("region_code", ""))
    if pd.isna(row.get("gap_persons")):
        raise JamsosError(
            f"region {code} has no gap to close (status {row.get('status', '?')}): "
            "no comparable target or no coverage figure; use --persons or --budget instead"
        )
    if months is None:
        left = row.get("months_left")
        months = 0 if left is None or pd.isna(left) else max(int(left), 0)
    months = _non_negative_int("months", months)
    common = dict(
        participants=_optional_count("participants", row.get("participants")),
        denominator=_optional_count("denominator", row.get("denominator")),
        region_code=code,
        year=None if pd.isna(row.get("target_year", pd.NA)) else int(row["target_year"]),
        official_rp=_official(official),
    )
    persons = int(row["gap_persons"])
    rows = [_row("close_gap", persons, months, contribution, **common)] if months > 0 else []
    if months != 12:
        rows.append(_row("close_gap_12m", persons, 12, contribution, **common))
    return _frame(rows)


def scenario_budget(
    budget_rp,
    months,
    contribution: Contribution,
    workers=None,
    participants=None,
    region_code: str = "",
    *,
    already_counted: int = 0,
    official=None,
) -> pd.DataFrame:
    """(c) How many persons a budget covers for ``months``: ``floor(budget / (rate × months))``
    (never more than the budget), and the coverage that reaches: (participants + new persons)
    ÷ workers, where the first ``already_counted`` persons bought (a running programme's own
    recipients, paid from this budget) are already among the participants."""
    budget = _non_negative_int("budget", budget_rp)
    months = _non_negative_int("months", months)
    if months == 0:
        raise JamsosError("months must be at least 1 for a budget scenario")
    persons = budget // (contribution.monthly_rp * months)
    return _frame(
        [
            _row(
                "budget",
                persons,
                months,
                contribution,
                budget=budget,
                participants=_optional_count("participants", participants),
                denominator=_optional_count("workers", workers),
                region_code=region_code,
                already_counted=already_counted,
                official_rp=_official(official),
            )
        ]
    )


def scenario_multi_year(plan, rates=None, region_code: str = "") -> pd.DataFrame:
    """(d) Multi-year cost when persons or rates change.

    ``plan`` is either a list of per-year dicts ``{"year", "persons", "months"}`` with an
    optional ``"rate_rp"`` (else the BPU package in force in January of that year from
    ``rates``, with optional ``"income_rp"``/``"with_jht"``), or a growth assumption
    ``{"start_year", "years", "persons", "months", "growth_pct"}`` (persons grow by
    ``growth_pct`` a year, rounded half-up to whole persons; the rate as above).
    One row per year; ``cumulative_cost_rp`` adds them up.
    """
    if isinstance(plan, dict):
        years = _non_negative_int("years", plan["years"])
        start = _non_negative_int("start_year", plan["start_year"])
        growth = Decimal(str(plan.get("growth_pct", 0)))
        base = _non_negative_int("persons", plan["persons"])
        extra = {k: plan[k] for k in ("rate_rp", "income_rp", "with_jht") if k in plan}
        plan = [
            {"year": start + i, "persons": _round_rp(base * (1 + growth / 100) ** i), "months": plan["months"], **extra}
            for i in range(years)
        ]
    if not plan:
        raise JamsosError("the multi-year plan is empty")
    rows, running = [], 0
    for step in plan:
        year = _non_negative_int("year", step["year"])
        if step.get("rate_rp") is not None:
            contribution = contribution_from_rate(step["rate_rp"])
        elif rates is not None:
            contribution = bpu_contribution(
                rates, f"{year}-01", step.get("income_rp", DEFAULT_INCOME_RP), bool(step.get("with_jht", False))
            )
        else:
            raise JamsosError(f"year {year} of the plan has no rate_rp and no rates table was given")
        row = _row(
            "multi_year",
            _non_negative_int("persons", step["persons"]),
            _non_negative_int("months", step["months"]),
            contribution,
            region_code=region_code,
            year=year,
        )
        running += row["cost_rp"]
        row["cumulative_cost_rp"] = running
        rows.append(row)
    return _frame(rows)


def calibrate(budget_rp, persons, months, official) -> pd.DataFrame:
    """Per-person-month cost a real programme implies and its difference from the official
    package (a :class:`Contribution` or a monthly Rupiah amount). Schema :data:`CALIBRATION_SCHEMA`.

    Trenggalek 2025 plan: Rp 2.092.600.000 / (10.000 × 12) = Rp 17.438 (rounded), Rp 638 above
    the Rp 16.800 package.
    """
    budget = _non_negative_int("budget", budget_rp)
    persons = _non_negative_int("persons", persons)
    months = _non_negative_int("months", months)
    if persons == 0 or months == 0:
        raise JamsosError("calibration needs at least 1 person and 1 month")
    if not isinstance(official, Contribution):
        official = contribution_from_rate(official)
    per = Decimal(budget) / (persons * months)
    official_cost = cost(persons, months, official.monthly_rp)
    out = pd.DataFrame(
        [
            {
                "budget_rp": budget,
                "persons": persons,
                "months": months,
                "per_person_month_rp": float(per),
                "per_person_month_rounded_rp": _round_rp(per),
                "official_monthly_rp": official.monthly_rp,
                "difference_rp": float(per - official.monthly_rp),
                "difference_pct": float((per - official.monthly_rp) / official.monthly_rp * 100),
                "official_cost_rp": official_cost,
                "budget_minus_official_rp": budget - official_cost,
                "official_label": official.label,
                "legal_basis": official.legal_basis,
                "valid_from": official.valid_from.isoformat() if official.valid_from else "",
            }
        ]
    )
    for col in (
        "budget_rp",
        "persons",
        "months",
        "per_person_month_rounded_rp",
        "official_monthly_rp",
        "official_cost_rp",
        "budget_minus_official_rp",
    ):
        out[col] = out[col].astype("Int64")
    for col in ("official_label", "legal_basis", "valid_from"):
        out[col] = out[col].astype(str)
    return CALIBRATION_SCHEMA.validate(out)
