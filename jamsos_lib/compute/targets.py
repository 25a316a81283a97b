"""Gap to target: which target applies to a region in a year, whether coverage can be
compared with it, how far coverage is from it, and whether the recent trend gets there.

Everything here is also written for officials in ``docs/methods.md`` ("Targets,
projections, statuses and subsidy costs"); keep the two in step.

Which target (:func:`target_chain`, :func:`target_for`)
-------------------------------------------------------
A target applies to **its own year only**. For a report month of year *Y* the chain is

1. **region** (kab/kota rows, ``scope="region"``), series in the order
   RPJMD → RPJPD → BRANCH → PEMDA (:data:`REGION_SERIES`);
2. **province** (``scope="province"``, the kab/kota's province, any series);
3. **national** (``scope="national"``): the series the user chose (``national_series``:
   RPJMN, KEMENDAGRI_UCJ or RKP) and, for RPJMN, its yearly plan RKP of the same year.

each level's target **for year Y**. The first level with one is the target the gap is
measured against (``target_*`` columns); the whole chain, each level with its document,
source and basis, is :func:`target_chain`. A target of a later year (RPJMN 2029, RPJPD
2045, Lumajang's branch target for 2026 in 2025) is never used for year *Y*. The
region's **long-horizon target** (series RPJPD/RPJPN of a year after *Y*, e.g.
Trenggalek's RPJPD 83,29% for 2045) is shown apart, with its year (``long_term_*``), and
never compared with this month.

Basis: a target is compared only on the denominator it was set on
-----------------------------------------------------------------
Each target row names its ``basis`` (:data:`jamsos_lib.validate.schemas.TARGET_BASES`):
``bps_employed``, ``excluding_asn_tni_polri``, ``ktp_domicile`` (the three coverage
``denominator_method`` values), ``ucj`` (whatever UCJ method BPJS used in the target's
year: workers outside ASN/TNI/Polri until 2024, all BPS employed by KTP domicile from
2025, :func:`jamsos_lib.compute.coverage.ucj_method`) or ``pu_of_employed`` (RKP 2021: PU participants ÷ all employed).
:func:`comparable` decides; ``bps_employed`` and ``ktp_domicile`` are the same figure (BPS
counts the employed where they live). A target that is not comparable is still shown, with
``status="not_comparable"`` and a ``comparison_note`` saying why; no gap is computed.

Gap (:func:`gap_table`)
-----------------------
``gap_pp = max(target − coverage, 0)``; ``gap_persons`` = participants needed at the
current denominator = ``ceil(target% × denominator) − participants`` (0 when at/above);
``months_left`` = months after the period up to December of the target year (2025-06 →
6); ``needed_per_month = gap_persons / months_left`` (NA with no month left), and
``needed_per_month_12m = gap_persons / 12`` (the pace over a full year, beside
``close_cost_12m_rp``, which December pages show). A region at or above its target has
``surplus_pp = coverage − target`` and ``surplus_persons = participants − ceil(target% ×
denominator)`` (the participants it has beyond the target; NA otherwise).

Cost of closing the gap (``close_cost_rp``): ``gap_persons × months_left ×
official_monthly_rp``, the official BPU package (JKK + JKM, :func:`jamsos_lib.compute.subsidy.bpu_contribution`)
in force in the period: what a Pemda pays to enrol the missing workers as BPU from next
month to December of the target year (0 when reached; NA with no month left, no gap or no
rate in force); ``close_cost_12m_rp`` the same persons for 12 months.
:func:`province_gap_sums` sets the kab/kota gaps added up beside the province's net gap.

Projection
----------
``trend_per_month``: the **Theil–Sen slope** (the median of the slopes between every two
months, :func:`theil_sen_slope`) of the region's participants (the coverage segments) in
the months with data among the last ``trend_months`` (12) ending at the period; NA with
fewer than 3 months. One month's jump (a programme enrolled at once, a data glitch) moves
a least-squares line but not this median.

The denominator: every month of a year uses the same August Sakernas (the previous
year's), so within the target year it is **held fixed** at this month's value. Beyond the
target year it follows its own trend: the Theil–Sen slope of the region's BPS employed per
year up to the Sakernas year its coverage uses (``denominator_growth_pct`` a year, relative
to that year's figure), or held fixed when there are fewer than 2 such BPS years
(``projection_note`` says so).

``projected_year_end_pct`` = (participants + trend × months_left) ÷ denominator: coverage at
the end of the target year at the current pace. ``projected_reach_period`` (YYYY-MM) is
given only when the target is reached **within the target year** (period + ceil(gap ÷
trend) months); ``projected_reach_year`` is the first year whose December count, at the
trend, reaches the target share of that year's projected denominator: a year, never a
month, beyond the target year. NA when the trend is flat or declining, or no year within
:data:`MAX_PROJECTION_YEARS` gets there.

Status (``status`` / Indonesian ``status_label``)
-------------------------------------------------
================  ==============  =====================================================
achieved          Tercapai        coverage ≥ target (``gap_persons == 0``)
on_track          Sesuai jalur    projected_year_end_pct ≥ target
at_risk           Berisiko        short of the target at year end by at most
                                  :data:`AT_RISK_PP` (5) percentage points
off_track         Tertinggal      short by more, or no month left in the target year
not_comparable    Tak sebanding   the target was set on another denominator
no_target         Tanpa target    no target for this year at any level of the chain
no_data           Tanpa data      coverage or trend cannot be computed (``status_note``)
================  ==============  =====================================================
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, replace
from decimal import ROUND_CEILING, Decimal

import numpy as np
import pandas as pd
import pandera.pandas as pa

from jamsos_lib.compute.constants import NATIONAL_SERIES  # noqa: F401 - re-exported, single source there
from jamsos_lib.compute.subsidy import bpu_contribution
from jamsos_lib.compute.coverage import UCJ_SEGMENTS, coverage_table, province_of, shift_period, ucj_method
from jamsos_lib.errors import JamsosError
from jamsos_lib.validate.once import check
from jamsos_lib.validate.schemas import DENOMINATOR_METHODS, STATUSES, TARGET_BASES

REGION_SERIES = ("RPJMD", "RPJPD", "BRANCH", "PEMDA")
#: Series of long-horizon plans: shown apart with their year, never as this year's target.
LONG_TERM_SERIES = ("RPJPD", "RPJPN")
AT_RISK_PP = 5.0
MAX_PROJECTION_YEARS = 50
MIN_TREND_POINTS = 3
STATUS_LABELS = {
    "achieved": "Tercapai",
    "on_track": "Sesuai jalur",
    "at_risk": "Berisiko",
    "off_track": "Tertinggal",
    "not_comparable": "Tak sebanding",
    "no_target": "Tanpa target",
    "no_data": "Tanpa data",
}
STATUS_LABELS_EN = {
    "achieved": "Achieved",
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "not_comparable": "Not comparable",
    "no_target": "No target",
    "no_data": "No data",
}
#: Readers' words for a basis (a target's ``basis`` or a coverage ``denominator_method``).
BASIS_LABELS = {
    "id": {
        "bps_employed": "seluruh penduduk bekerja (BPS Sakernas Agustus)",
        "excluding_asn_tni_polri": "pekerja di luar ASN/TNI/Polri (metode UCJ s.d. 2024)",
        "ktp_domicile": "penduduk bekerja menurut domisili KTP (metode UCJ sejak 2025)",
        "ucj": "metode UCJ BPJS pada tahun target",
        "pu_of_employed": "peserta PU ÷ seluruh penduduk bekerja",
    },
    "en": {
        "bps_employed": "all BPS employed (Sakernas August)",
        "excluding_asn_tni_polri": "workers outside ASN/TNI/Polri (UCJ method until 2024)",
        "ktp_domicile": "BPS employed by KTP domicile (UCJ method from 2025)",
        "ucj": "BPJS's UCJ method of the target's year",
        "pu_of_employed": "PU participants ÷ all employed",
    },
}
_HORIZON = re.compile(r"((?:19|20)\d\d)\s*[-–/]\s*((?:19|20)\d\d)")
_SAME_FIGURE = {"bps_employed": "bps", "ktp_domicile": "bps", "excluding_asn_tni_polri": "excluding"}


@dataclass(frozen=True)
class TargetChoice:
    """A target of one level of the chain for one region and year, and where it comes from.

    ``year`` is the target's own year (equal to ``requested_year`` except for a
    long-horizon target, see the module docstring); ``level_used`` is region / province /
    national; ``basis`` the denominator it was set on; ``status`` the target row's
    published/illustrative status.
    """

    target_pct: float
    year: int
    series: str
    document: str
    source_url: str
    level_used: str
    status: str
    requested_year: int
    region_code: str
    rule: str
    basis: str = "ucj"

    def as_dict(self) -> dict:
        return asdict(self)


def horizon(document: str) -> tuple[int, int] | None:
    """``"RPJMN 2025-2029"`` -> ``(2025, 2029)``; ``None`` when the document names none."""
    m = _HORIZON.search(str(document))
    return (int(m.group(1)), int(m.group(2))) if m else None


def comparable(basis: str, target_year: int, method: str, segments=UCJ_SEGMENTS) -> tuple[bool, str]:
    """Whether coverage on denominator ``method`` (of ``segments``) can be compared with a
    target set on ``basis`` for ``target_year``; the reason when it cannot (English)."""
    if basis not in TARGET_BASES:
        raise ValueError(f"basis must be one of {TARGET_BASES}, not {basis!r}")
    if basis == "pu_of_employed":
        if tuple(segments) == ("PU",) and _SAME_FIGURE.get(method) == "bps":
            return True, ""
        return False, (
            "target counts PU participants only, over all employed; "
            "coverage here counts " + "+".join(segments) + f" over {method}"
        )
    wanted = ucj_method(target_year) if basis == "ucj" else basis
    if _SAME_FIGURE.get(method) == _SAME_FIGURE[wanted]:
        return True, ""
    return False, f"target set on {wanted}" + (
        f" (UCJ method of {target_year})" if basis == "ucj" else ""
    ) + f"; coverage here on {method}"


def _rows_by_series(rows: pd.DataFrame, series_order: tuple[str, ...] | None) -> pd.DataFrame:
    if series_order is not None:
        rows = rows[rows["series"].isin(series_order)]
        order = {s: i for i, s in enumerate(series_order)}
    else:
        order = {s: i for i, s in enumerate(sorted(rows["series"].unique()))}
    return rows.assign(_order=rows["series"].map(order)).sort_values(["_order", "year"], kind="stable")


def _pick(
    rows: pd.DataFrame, year: int, series_order: tuple[str, ...] | None, level: str, region_code: str
) -> TargetChoice | None:
    """The level's target for exactly ``year`` (series order decides between several)."""
    if rows.empty:
        return None
    rows = _rows_by_series(rows, series_order)
    exact = rows[rows["year"] == year]
    return _choice(exact.iloc[0], year, level, region_code, "exact year") if len(exact) else None


def _choice(r, year: int, level: str, region_code: str, rule: str) -> TargetChoice:
    basis = str(r["basis"]) if "basis" in r and str(r["basis"]) else "ucj"
    return TargetChoice(
        float(r["target_pct"]),
        int(r["year"]),
        str(r["series"]),
        str(r["document"]),
        str(r["source_url"]),
        level,
        str(r["status"]),
        int(year),
        region_code,
        rule,
        basis,
    )


def _national_order(national_series: str) -> tuple[str, ...]:
    # RKP is the yearly plan of the RPJMN: a year the RPJMN names no figure for uses its RKP
    return (national_series, "RKP") if national_series == "RPJMN" else (national_series,)


def target_for(data, region_code: str, year: int, national_series: str = "RPJMN") -> TargetChoice | None:
    """The target of ``year`` for ``region_code``: the first level of :func:`target_chain` that has one."""
    _check_series(national_series)
    return _Targets(data, int(year), national_series).choice(str(region_code))


def target_chain(data, region_code: str, year: int, national_series: str = "RPJMN") -> list[TargetChoice | None]:
    """``[region, province, national]`` targets of exactly ``year`` (``None`` where a level
    has none; a province code gives ``[None, province, national]``)."""
    _check_series(national_series)
    return _Targets(data, int(year), national_series).chain(str(region_code))


def long_term_target(data, region_code: str, year: int) -> TargetChoice | None:
    """The region's (else its province's) long-horizon target of a year after ``year``
    (series in :data:`LONG_TERM_SERIES`, the latest year), shown apart from this year's."""
    return _Targets(data, int(year), "RPJMN").long_term(str(region_code))


def _check_series(national_series: str) -> None:
    if national_series not in NATIONAL_SERIES:
        raise ValueError(f"national_series must be one of {NATIONAL_SERIES}, not {national_series!r}")


def theil_sen_slope(series: pd.Series) -> float:
    """Theil–Sen slope of counts indexed by ``YYYY-MM``: the median, over every pair of
    months with data, of (count difference ÷ months between them); net new participants per
    month. NaN with fewer than :data:`MIN_TREND_POINTS` months. (scipy's ``theilslopes``
    gives the same median; jamsos does not depend on scipy for this one line.)"""
    s = series.dropna()
    if len(s) < MIN_TREND_POINTS:
        return math.nan
    x = np.array([pd.Period(p, freq="M").ordinal for p in s.index], dtype=float)
    y = s.to_numpy(dtype=float)
    i, j = np.triu_indices(len(x), 1)
    return float(np.median((y[j] - y[i]) / (x[j] - x[i])))


#: Kept for callers of the former name: the trend is the Theil–Sen slope now.
trend_per_month = theil_sen_slope


def yearly_growth(values: pd.Series) -> float:
    """Theil–Sen slope of a yearly series (index = year) ÷ its latest value: the relative
    growth a year (0,012 = +1,2% of the latest figure a year). NaN with fewer than 2 years."""
    s = values.dropna().sort_index()
    if len(s) < 2 or float(s.iloc[-1]) <= 0:
        return math.nan
    x = np.asarray(s.index, dtype=float)
    y = s.to_numpy(dtype=float)
    i, j = np.triu_indices(len(x), 1)
    return float(np.median((y[j] - y[i]) / (x[j] - x[i])) / y[-1])


def persons_needed(target_pct: float, denominator: int, participants: int) -> int:
    """Participants to add so that ``participants / denominator ≥ target_pct %`` (0 if already)."""
    needed = (Decimal(str(target_pct)) * int(denominator) / 100).to_integral_value(rounding=ROUND_CEILING)
    return max(int(needed) - int(participants), 0)


def months_left(period: str, target_year: int) -> int:
    """Months after ``period`` up to December of ``target_year`` (``2025-06``, 2025 -> 6)."""
    return (pd.Period(f"{target_year}-12", freq="M") - pd.Period(period, freq="M")).n


@dataclass(frozen=True)
class Projection:
    """Where the trend takes a region (see "Projection" in the module docstring)."""

    year_end_pct: float | None
    reach_period: str | None
    reach_year: int | None
    note: str


def project(
    period: str,
    target_pct: float,
    target_year: int,
    participants: int,
    denominator: int,
    trend: float,
    growth: float = math.nan,
) -> Projection:
    """Participants growing by ``trend`` a month from ``participants`` in ``period``; the
    denominator fixed through ``target_year`` and growing by ``growth`` (relative, a year)
    after it, held fixed when ``growth`` is NaN. Worked out in whole months and years."""
    left = months_left(period, target_year)
    held = math.isnan(growth)
    g = 0.0 if held else growth
    note = (
        "denominator held fixed (fewer than 2 BPS years for its trend)"
        if held
        else f"denominator fixed through {target_year}, then {g * 100:+.2f}% a year (Theil–Sen trend of BPS employed)"
    )
    if math.isnan(trend) or denominator <= 0:
        return Projection(None, None, None, note)
    end_pct = max(participants + trend * max(left, 0), 0) / denominator * 100
    gap = persons_needed(target_pct, denominator, participants)
    if gap == 0:
        return Projection(end_pct, period, int(period[:4]), note)
    if trend <= 0:
        return Projection(end_pct, None, None, note + "; trend flat or declining: not reached")
    steps = math.ceil(round(gap / trend, 6))  # 12.000 / 999,9999999 is 12 months
    if steps <= left:
        return Projection(end_pct, shift_period(period, steps), target_year, note)
    for k in range(1, MAX_PROJECTION_YEARS + 1):
        year_denominator = denominator * (1 + g * k)
        if participants + trend * (left + 12 * k) >= target_pct / 100 * year_denominator:
            return Projection(end_pct, None, target_year + k, note)
    return Projection(end_pct, None, None, note + f"; not reached within {MAX_PROJECTION_YEARS} years at this pace")


_count = pa.Column("Int64", pa.Check.ge(0), nullable=True)
_pct = pa.Column("Float64", nullable=True)
_text = pa.Column(str)

#: Output of :func:`gap_table`: one row per kab/kota and one province row (order of
#: :func:`coverage_table`). ``data_status`` is illustrative if the coverage inputs or the
#: target are; ``denominator_method`` is the coverage's (see :func:`comparable`);
#: ``target_*`` describe this year's :class:`TargetChoice` (NA/empty without one),
#: ``target_comparable`` whether coverage is compared with it and ``comparison_note`` why
#: not; ``province_target_*``/``national_target_*`` (pct, document, basis) the next levels
#: of the chain for the same year; ``long_term_*`` the long-horizon target shown apart; ``trend_method`` and
#: ``projection_note`` state the projection; see the module docstring for the rest.
GAP_TABLE_SCHEMA = pa.DataFrameSchema(
    {
        "period": pa.Column(str),
        "region_code": pa.Column(str, pa.Check.str_matches(r"^\d{2}(\d{2})?$")),
        "region_name": _text,
        "level": pa.Column(str, pa.Check.isin(["kabkota", "province"])),
        "participants": _count,
        "denominator": _count,
        "denominator_kind": _text,
        "denominator_method": pa.Column(str, pa.Check.isin(DENOMINATOR_METHODS)),
        "workers_year": pa.Column("Int64", nullable=True),
        "coverage_pct": _pct,
        "target_pct": pa.Column("Float64", pa.Check.in_range(0, 100), nullable=True),
        "target_year": pa.Column("Int64", nullable=True),
        "target_series": _text,
        "target_document": _text,
        "target_level": pa.Column(str, pa.Check.isin(["region", "province", "national", ""])),
        "target_basis": pa.Column(str, pa.Check.isin([*TARGET_BASES, ""])),
        "target_source_url": _text,
        "target_rule": _text,
        "target_comparable": pa.Column("boolean", nullable=True),
        "comparison_note": _text,
        "province_target_pct": _pct,
        "province_target_document": _text,
        "province_target_basis": _text,
        "national_target_pct": _pct,
        "national_target_document": _text,
        "national_target_basis": _text,
        "long_term_target_pct": _pct,
        "long_term_target_year": pa.Column("Int64", nullable=True),
        "long_term_target_document": _text,
        "long_term_target_source_url": _text,
        "gap_pp": pa.Column("Float64", pa.Check.ge(0), nullable=True),
        "gap_persons": _count,
        "months_left": pa.Column("Int64", nullable=True),
        "needed_per_month": pa.Column("Float64", pa.Check.ge(0), nullable=True),
        "needed_per_month_12m": pa.Column("Float64", pa.Check.ge(0), nullable=True),
        "surplus_pp": pa.Column("Float64", pa.Check.ge(0), nullable=True),
        "surplus_persons": _count,
        "official_monthly_rp": _count,
        "close_cost_rp": _count,
        "close_cost_12m_rp": _count,
        "trend_per_month": _pct,
        "trend_months_used": pa.Column("Int64"),
        "trend_method": _text,
        "denominator_growth_pct": _pct,
        "projected_year_end_pct": _pct,
        "projected_reach_period": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}$"), nullable=True),
        "projected_reach_year": pa.Column("Int64", nullable=True),
        "projection_note": _text,
        "status": pa.Column(str, pa.Check.isin(list(STATUS_LABELS))),
        "status_label": pa.Column(str, pa.Check.isin(list(STATUS_LABELS.values()))),
        "status_note": _text,
        "data_status": pa.Column(str, pa.Check.isin(STATUSES)),
    },
    unique=["region_code"],
    strict=True,
    name="gap_table",
)


def _status(coverage, target, is_comparable, gap_persons, left, trend, year_end_pct) -> tuple[str, str]:
    if target is None:
        return "no_target", "no target for this year at region, province or national level"
    if not is_comparable:
        return "not_comparable", "the target was set on another denominator (see comparison_note)"
    if pd.isna(coverage):
        return "no_data", "coverage not available (see the coverage note)"
    if gap_persons == 0:
        return "achieved", ""
    if left <= 0:
        return "off_track", "no month left before the end of the target year"
    if pd.isna(trend):
        return "no_data", f"fewer than {MIN_TREND_POINTS} months of participants for a trend"
    shortfall = target.target_pct - year_end_pct
    if shortfall <= 1e-9:
        return "on_track", ""
    if shortfall <= AT_RISK_PP + 1e-9:
        return "at_risk", f"at this pace {shortfall:.2f} pp short at the end of {target.year}"
    return "off_track", (
        "trend is flat or declining"
        if trend <= 0
        else f"at this pace {shortfall:.2f} pp short at the end of {target.year}"
    )


def gap_table(
    data,
    period: str | None = None,
    denominator: str = "eligible",
    national_series: str = "RPJMN",
    trend_months: int = 12,
    province: str | None = None,
    segments=UCJ_SEGMENTS,
    coverage: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Gap to target for every kab/kota and the province (schema :data:`GAP_TABLE_SCHEMA`).

    ``coverage``: the :func:`~jamsos_lib.compute.coverage.coverage_table` of the same month,
    denominator, province and segments when the caller computed it already (the month's
    tables, :mod:`jamsos_lib.compute.month`); else it is computed here."""
    if trend_months < 2:
        raise ValueError(f"trend_months must be >= 2, got {trend_months}")
    _check_series(national_series)
    period = data.check_period(period)
    province = province_of(data, province)
    segments = tuple(segments)
    if coverage is None:
        coverage = coverage_table(data, period, denominator, province=province, segments=segments)
    return _gap_table(data, coverage, period, denominator, national_series, int(trend_months), province, segments)


class _Targets:
    """The chain for many regions of one year (:func:`target_for` is one of them): the
    targets table is split once by scope and code, and the province / national choice is
    made once per province."""

    def __init__(self, data, year: int, national_series: str):
        t = data.targets
        if "basis" not in t:
            t = t.assign(basis="ucj")
        self.year, self.national_series = year, national_series
        self.by_scope = {key: rows for key, rows in t.groupby(["scope", "region_code"], sort=False)}
        self.national = t[t["scope"] == "national"]
        self._shared: dict[str, tuple] = {}

    def chain(self, region_code: str) -> list[TargetChoice | None]:
        empty = self.national.iloc[0:0]
        own = None
        if len(region_code) == 4:
            own = _pick(
                self.by_scope.get(("region", region_code), empty), self.year, REGION_SERIES, "region", region_code
            )
        prov = region_code[:2]
        if prov not in self._shared:
            self._shared[prov] = (
                _pick(self.by_scope.get(("province", prov), empty), self.year, None, "province", prov),
                _pick(self.national, self.year, _national_order(self.national_series), "national", prov),
            )
        shared = [None if c is None else replace(c, region_code=region_code) for c in self._shared[prov]]
        return [own, *shared]

    def choice(self, region_code: str) -> TargetChoice | None:
        return next((c for c in self.chain(region_code) if c is not None), None)

    def long_term(self, region_code: str) -> TargetChoice | None:
        empty = self.national.iloc[0:0]
        levels = ([("region", region_code)] if len(region_code) == 4 else []) + [("province", region_code[:2])]
        for scope, code in levels:
            rows = self.by_scope.get((scope, code), empty)
            rows = rows[rows["series"].isin(LONG_TERM_SERIES) & (rows["year"] > self.year)]
            if len(rows):
                r = rows.sort_values("year", kind="stable").iloc[-1]
                return _choice(r, self.year, scope, region_code, "long-horizon target, shown apart")
        return None


def _official_monthly_rp(data, period: str):
    """The official BPU package (JKK + JKM) in force in ``period``, NA when the rates table has none."""
    rates = getattr(data, "rates", None)
    if rates is None:
        return pd.NA
    try:
        return bpu_contribution(rates, period).monthly_rp
    except JamsosError:
        return pd.NA


def _close_cost(gap_persons, months, monthly_rp):
    """``gap_persons × months × monthly_rp`` (0 with no gap; NA without a gap, a month left or a rate)."""
    if pd.isna(gap_persons) or pd.isna(monthly_rp) or pd.isna(months):
        return pd.NA
    if int(gap_persons) == 0:
        return 0
    return pd.NA if int(months) <= 0 else int(gap_persons) * int(months) * int(monthly_rp)


#: Output of :func:`province_gap_sums`: the kab/kota below target added up against the
#: province's own (net) gap, each with its cost at the official package for the months left.
PROVINCE_GAP_SCHEMA = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str, pa.Check.str_matches(r"^\d{2}$")),
        "regions_behind": pa.Column("Int64", pa.Check.ge(0)),
        "regions_compared": pa.Column("Int64", pa.Check.ge(0)),
        "kabkota_gap_persons": _count,
        "kabkota_cost_rp": _count,
        "province_gap_persons": _count,
        "province_cost_rp": _count,
        "kabkota_cost_12m_rp": _count,
        "province_cost_12m_rp": _count,
        "months_left": pa.Column("Int64", nullable=True),
        "official_monthly_rp": _count,
    },
    strict=True,
    name="province_gap_sums",
)


def province_gap_sums(gap: pd.DataFrame, province: str | None = None) -> pd.DataFrame:
    """Two answers to "how many workers does the province still need", side by side (one row,
    :data:`PROVINCE_GAP_SCHEMA`):

    * ``kabkota_gap_persons``: the gaps of the kab/kota below their targets added up (a region
      above its target counts 0: its surplus does not close another region's gap);
    * ``province_gap_persons``: the province row's own gap against the province target, where
      the kab/kota above target offset those below (the net gap).

    Each cost = persons × the months left in the target year × the official package
    (``close_cost_rp`` of :func:`gap_table`), and for 12 months (``*_12m_rp``: what a December
    page shows, with no month of the target year left). ``gap`` is a :func:`gap_table` of one
    province."""
    prov_rows = gap[gap["level"] == "province"]
    if province is None:
        province = str(prov_rows["region_code"].iloc[0]) if len(prov_rows) else str(gap["region_code"].iloc[0])[:2]
    kab = gap[(gap["level"] == "kabkota") & (gap["region_code"].str[:2] == province)]
    compared = kab[kab["gap_persons"].notna()]
    prov = prov_rows[prov_rows["region_code"] == province]
    prov = prov.iloc[0] if len(prov) else None

    def total(col):
        return pd.NA if compared.empty or compared[col].isna().any() else int(compared[col].sum())

    out = pd.DataFrame(
        [
            {
                "region_code": province,
                "regions_behind": int((compared["gap_persons"] > 0).sum()),
                "regions_compared": len(compared),
                "kabkota_gap_persons": total("gap_persons"),
                "kabkota_cost_rp": total("close_cost_rp"),
                "province_gap_persons": pd.NA if prov is None else prov["gap_persons"],
                "province_cost_rp": pd.NA if prov is None else prov["close_cost_rp"],
                "kabkota_cost_12m_rp": total("close_cost_12m_rp"),
                "province_cost_12m_rp": pd.NA if prov is None else prov["close_cost_12m_rp"],
                "months_left": pd.NA if prov is None else prov["months_left"],
                "official_monthly_rp": pd.NA if prov is None else prov["official_monthly_rp"],
            }
        ]
    )
    for col in out.columns[1:]:
        out[col] = pd.array([pd.NA if pd.isna(v) else int(v) for v in out[col]], dtype="Int64")
    return PROVINCE_GAP_SCHEMA.validate(out)


def _method_of(row, period: str) -> str:
    """The coverage row's ``denominator_method``; inferred from ``denominator_kind`` when a
    coverage table predates that column (``bps`` -> bps_employed, else the UCJ method of the year)."""
    method = getattr(row, "denominator_method", None)
    if isinstance(method, str) and method in DENOMINATOR_METHODS:
        return method
    return "bps_employed" if getattr(row, "denominator_kind", "") == "bps" else ucj_method(int(period[:4]))


def _workers_by_year(data, province: str, kab_codes: set) -> dict[str, pd.Series]:
    """BPS employed per year (index) of every region of ``province``; the province's own
    series is the sum of its kab/kota in the years all of them have, else its own row."""
    w = data.workers
    w = w[w["region_code"].str[:2] == province]
    out = {
        code: s.set_index("year")["workers"].astype(float).sort_index()
        for code, s in w.groupby("region_code", sort=False)
    }
    kab = w[w["region_code"].isin(kab_codes)]
    complete = kab.groupby("year")["region_code"].nunique()
    years = complete[complete == len(kab_codes)].index
    if len(years) >= 2:
        out[province] = kab[kab["year"].isin(years)].groupby("year")["workers"].sum().astype(float).sort_index()
    return out


def _growth(workers: pd.Series | None, workers_year) -> float:
    """Relative yearly growth of a region's BPS employed from the Sakernas years up to the
    one its coverage uses (never a later one: no look-ahead)."""
    if workers is None or pd.isna(workers_year):
        return math.nan
    return yearly_growth(workers[workers.index <= int(workers_year)])


def _gap_table(
    data,
    cov: pd.DataFrame,
    period: str,
    denominator: str,
    national_series: str,
    trend_months: int,
    province: str,
    segments: tuple,
) -> pd.DataFrame:
    year = int(period[:4])

    start = shift_period(period, -(trend_months - 1))
    window = [p for p in data.periods if start <= p <= period]
    p = data.participants
    p = p[p["period"].isin(window) & (p["region_code"].str[:2] == province) & p["segment"].isin(segments)]
    by_region = p.groupby(["region_code", "period"])["participants"].sum()
    kab_codes = set(cov.loc[cov["level"] == "kabkota", "region_code"])
    prov_series = p[p["region_code"].isin(kab_codes)].groupby("period")["participants"].sum()
    series_of = {code: s.droplevel(0) for code, s in by_region.groupby(level=0, sort=False)}
    workers_of = _workers_by_year(data, province, kab_codes)
    no_series = pd.Series(dtype=float)
    chooser = _Targets(data, year, national_series)
    official_rp = _official_monthly_rp(data, period)
    method = (
        f"Theil–Sen slope (median of the slopes between every two months) of total participants over the "
        f"months with data in the last {trend_months} months ending {period}; projection: current count + "
        f"slope × months, against the denominator held fixed through the target year"
    )

    rows = []
    for r in cov.itertuples(index=False):
        series = prov_series if r.level == "province" else series_of.get(r.region_code, no_series)
        trend = theil_sen_slope(series)
        chain = chooser.chain(r.region_code)
        choice = next((c for c in chain if c is not None), None)
        long_term = chooser.long_term(r.region_code)
        den_method = _method_of(r, period)
        ok, why = comparable(choice.basis, choice.year, den_method, segments) if choice else (None, "")
        growth = _growth(workers_of.get(r.region_code), r.workers_year)
        gap_pp = gap_persons = left = needed = surplus_pp = surplus_persons = pd.NA
        proj = Projection(None, None, None, "")
        if choice is not None:
            left = months_left(period, choice.year)
        if choice is not None and ok and pd.notna(r.coverage_pct):
            gap_pp = max(choice.target_pct - float(r.coverage_pct), 0.0)
            gap_persons = persons_needed(choice.target_pct, int(r.denominator), int(r.participants))
            if gap_persons == 0:
                gap_pp = 0.0
                surplus_pp = max(float(r.coverage_pct) - choice.target_pct, 0.0)
                surplus_persons = int(r.participants) - math.ceil(
                    Decimal(str(choice.target_pct)) * int(r.denominator) / 100
                )
            if left > 0:
                needed = gap_persons / left
            proj = project(
                period, choice.target_pct, choice.year, int(r.participants), int(r.denominator), trend, growth
            )
        status, note = _status(
            r.coverage_pct,
            choice,
            ok,
            gap_persons,
            left,
            trend,
            proj.year_end_pct if proj.year_end_pct is not None else math.nan,
        )
        statuses = [r.status] + ([choice.status] if choice else [])
        prov_t, nat_t = chain[1], chain[2]
        rows.append(
            {
                "period": period,
                "region_code": r.region_code,
                "region_name": r.region_name,
                "level": r.level,
                "participants": r.participants,
                "denominator": r.denominator,
                "denominator_kind": r.denominator_kind,
                "denominator_method": den_method,
                "workers_year": r.workers_year,
                "coverage_pct": r.coverage_pct,
                "target_pct": choice.target_pct if choice else pd.NA,
                "target_year": choice.year if choice else pd.NA,
                "target_series": choice.series if choice else "",
                "target_document": choice.document if choice else "",
                "target_level": choice.level_used if choice else "",
                "target_basis": choice.basis if choice else "",
                "target_source_url": choice.source_url if choice else "",
                "target_rule": choice.rule if choice else "",
                "target_comparable": ok,
                "comparison_note": why,
                "province_target_pct": prov_t.target_pct if prov_t else pd.NA,
                "province_target_document": prov_t.document if prov_t else "",
                "province_target_basis": prov_t.basis if prov_t else "",
                "national_target_pct": nat_t.target_pct if nat_t else pd.NA,
                "national_target_document": nat_t.document if nat_t else "",
                "national_target_basis": nat_t.basis if nat_t else "",
                "long_term_target_pct": long_term.target_pct if long_term else pd.NA,
                "long_term_target_year": long_term.year if long_term else pd.NA,
                "long_term_target_document": long_term.document if long_term else "",
                "long_term_target_source_url": long_term.source_url if long_term else "",
                "gap_pp": gap_pp,
                "gap_persons": gap_persons,
                "months_left": left,
                "needed_per_month": needed,
                "needed_per_month_12m": gap_persons / 12 if pd.notna(gap_persons) else pd.NA,
                "surplus_pp": surplus_pp,
                "surplus_persons": surplus_persons,
                "official_monthly_rp": official_rp,
                "close_cost_rp": _close_cost(gap_persons, left, official_rp),
                "close_cost_12m_rp": _close_cost(gap_persons, 12, official_rp),
                "trend_per_month": pd.NA if math.isnan(trend) else trend,
                "trend_months_used": int(series.notna().sum()) if len(series) else 0,
                "trend_method": method,
                "denominator_growth_pct": pd.NA if math.isnan(growth) else growth * 100,
                "projected_year_end_pct": proj.year_end_pct,
                "projected_reach_period": proj.reach_period,
                "projected_reach_year": proj.reach_year,
                "projection_note": proj.note,
                "status": status,
                "status_label": STATUS_LABELS[status],
                "status_note": note,
                "data_status": "illustrative" if "illustrative" in statuses else "published",
            }
        )
    out = pd.DataFrame(rows)
    for col in (
        "participants",
        "denominator",
        "workers_year",
        "target_year",
        "gap_persons",
        "months_left",
        "surplus_persons",
        "official_monthly_rp",
        "close_cost_rp",
        "close_cost_12m_rp",
        "trend_months_used",
        "long_term_target_year",
        "projected_reach_year",
    ):
        out[col] = pd.array([pd.NA if v is None or pd.isna(v) else int(v) for v in out[col]], dtype="Int64")
    for col in (
        "coverage_pct",
        "target_pct",
        "gap_pp",
        "surplus_pp",
        "needed_per_month",
        "needed_per_month_12m",
        "trend_per_month",
        "province_target_pct",
        "national_target_pct",
        "long_term_target_pct",
        "denominator_growth_pct",
        "projected_year_end_pct",
    ):
        out[col] = pd.array([pd.NA if v is None or pd.isna(v) else float(v) for v in out[col]], dtype="Float64")
    out["target_comparable"] = pd.array(
        [None if v is None else bool(v) for v in out["target_comparable"]], dtype="boolean"
    )
    out["projected_reach_period"] = pd.array(out["projected_reach_period"].tolist(), dtype="str")
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].astype(str)
    out.attrs["trend_method"] = method
    return check(GAP_TABLE_SCHEMA, out)


def status_label(status: str, lang: str = "id") -> str:
    """The reader's word for a gap status: ``on_track`` -> ``Sesuai jalur`` / ``On track``."""
    return (STATUS_LABELS if lang == "id" else STATUS_LABELS_EN)[status]


def basis_label(basis: str, lang: str = "id") -> str:
    """The reader's words for a target basis or denominator method (the key itself if unknown)."""
    return BASIS_LABELS["en" if lang == "en" else "id"].get(basis, basis)


def no_target_error(region_code: str, year: int) -> JamsosError:
    return JamsosError(f"no coverage target for {region_code} in {year} at region, province or national level")
