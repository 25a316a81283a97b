"""Gap to target: which target applies to a region, how far coverage is from it, and
whether the recent trend gets there in time.

Target choice (:func:`target_for`): explicit fallback chain
------------------------------------------------------------
1. **region** (kab/kota rows, ``scope="region"``), series in the order RPJMD → RPJPD → BRANCH;
2. **province** (``scope="province"``, the kab/kota's province, any series);
3. **national** (``scope="national"``), only the series the user chose
   (``national_series``: RPJMN, KEMENDAGRI_UCJ or RKP; RPJPN is accepted too).

At each level: a target for **exactly the requested year** wins (series order decides
between several). Without one, the level's target for the **nearest later year** is used
if the requested year lies inside the horizon its document names (``RPJMN 2025-2029``
covers 2025..2029, so 2027 uses the 2029 target, and ``target_year`` says 2029). A document
that names no horizon is only used for its exact years. Otherwise the chain falls
through to the next level; with nothing at any level the result is ``None``
(``status="no_target"`` in :func:`gap_table`). The province row of the gap table starts
the chain at the province level.

Gap and projection (:func:`gap_table`)
--------------------------------------
``gap_pp = max(target − coverage, 0)``; ``gap_persons`` = participants needed to reach the
target at the current denominator = ``ceil(target% × denominator) − participants`` (0 when
at/above target); ``months_left`` = months after the period up to December of the target
year (2025-06 → 6); ``needed_per_month = gap_persons / months_left``.
``trend_per_month``: the slope of a least-squares straight line (``numpy.polyfit``,
degree 1) through the region's participants (the same segments as coverage) in the months of the last
``trend_months`` months (ending at the period) that have data; NA with fewer than 3 months.
``projected_reach_period``: the month when the current count, growing at that slope,
reaches the target count (period + ``ceil(gap_persons / trend_per_month)`` months); the
period itself when already achieved; NA when the trend is flat or declining or the month
would be more than 50 years away.

Status thresholds (``status`` / Indonesian ``status_label``):

=============  ==============  ===========================================================
achieved       Tercapai        coverage ≥ target (``gap_persons == 0``)
on_track       Sesuai jalur    trend_per_month ≥ needed_per_month
at_risk        Berisiko        trend_per_month ≥ 50% of needed_per_month
off_track      Tertinggal      below that, flat or declining, or no month left
no_target      Tanpa target    no target at any level of the chain
no_data        Tanpa data      coverage or trend cannot be computed (see ``status_note``)
=============  ==============  ===========================================================
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
from jamsos_lib.compute.coverage import UCJ_SEGMENTS, coverage_table, province_of, shift_period
from jamsos_lib.errors import JamsosError
from jamsos_lib.validate.schemas import STATUSES

REGION_SERIES = ("RPJMD", "RPJPD", "BRANCH")
AT_RISK_SHARE = 0.5
MAX_PROJECTION_MONTHS = 600
MIN_TREND_POINTS = 3
STATUS_LABELS = {
    "achieved": "Tercapai",
    "on_track": "Sesuai jalur",
    "at_risk": "Berisiko",
    "off_track": "Tertinggal",
    "no_target": "Tanpa target",
    "no_data": "Tanpa data",
}
STATUS_LABELS_EN = {
    "achieved": "Achieved", "on_track": "On track", "at_risk": "At risk",
    "off_track": "Off track", "no_target": "No target", "no_data": "No data",
}
_HORIZON = re.compile(r"((?:19|20)\d\d)\s*[-–/]\s*((?:19|20)\d\d)")


@dataclass(frozen=True)
class TargetChoice:
    """The target that applies to one region and year, and where it comes from.

    ``year`` is the target's own year (may be later than ``requested_year``, see the
    module docstring); ``level_used`` is region / province / national; ``rule`` is
    ``"exact year"`` or ``"nearest later year within <document>"``; ``status`` is the
    target row's published/illustrative status.
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

    def as_dict(self) -> dict:
        return asdict(self)


def horizon(document: str) -> tuple[int, int] | None:
    """``"RPJMN 2025-2029"`` -> ``(2025, 2029)``; ``None`` when the document names none."""
    m = _HORIZON.search(str(document))
    return (int(m.group(1)), int(m.group(2))) if m else None


def _pick(rows: pd.DataFrame, year: int, series_order: tuple[str, ...] | None, level: str,
          region_code: str) -> TargetChoice | None:
    if rows.empty:
        return None
    if series_order is not None:
        rows = rows[rows["series"].isin(series_order)]
        order = {s: i for i, s in enumerate(series_order)}
    else:
        order = {s: i for i, s in enumerate(sorted(rows["series"].unique()))}
    rows = rows.assign(_order=rows["series"].map(order)).sort_values(["_order", "year"])
    exact = rows[rows["year"] == year]
    if len(exact):
        return _choice(exact.iloc[0], year, level, region_code, "exact year")
    later = rows[rows["year"] > year]
    for r in later.itertuples(index=False):  # series order first, then the nearest year
        span = horizon(r.document)
        if span and span[0] <= year <= span[1]:
            return _choice(pd.Series(r._asdict()), year, level, region_code, f"nearest later year within {r.document}")
    return None


def _choice(r: pd.Series, year: int, level: str, region_code: str, rule: str) -> TargetChoice:
    return TargetChoice(float(r["target_pct"]), int(r["year"]), str(r["series"]), str(r["document"]),
                        str(r["source_url"]), level, str(r["status"]), int(year), region_code, rule)


def target_for(data, region_code: str, year: int, national_series: str = "RPJMN") -> TargetChoice | None:
    """The target for ``region_code`` in ``year`` by the fallback chain in the module docstring."""
    if national_series not in NATIONAL_SERIES:
        raise ValueError(f"national_series must be one of {NATIONAL_SERIES}, not {national_series!r}")
    return _Targets(data, int(year), national_series).choice(str(region_code))


def trend_per_month(series: pd.Series) -> float:
    """Least-squares slope (``numpy.polyfit`` degree 1) of counts indexed by ``YYYY-MM``:
    net new participants per month. NaN with fewer than :data:`MIN_TREND_POINTS` months."""
    s = series.dropna()
    if len(s) < MIN_TREND_POINTS:
        return math.nan
    x = np.array([pd.Period(p, freq="M").ordinal for p in s.index], dtype=float)
    slope, _intercept = np.polyfit(x - x.min(), s.to_numpy(dtype=float), 1)
    return float(slope)


def persons_needed(target_pct: float, denominator: int, participants: int) -> int:
    """Participants to add so that ``participants / denominator ≥ target_pct %`` (0 if already)."""
    needed = (Decimal(str(target_pct)) * int(denominator) / 100).to_integral_value(rounding=ROUND_CEILING)
    return max(int(needed) - int(participants), 0)


def months_left(period: str, target_year: int) -> int:
    """Months after ``period`` up to December of ``target_year`` (``2025-06``, 2025 -> 6)."""
    return (pd.Period(f"{target_year}-12", freq="M") - pd.Period(period, freq="M")).n


_count = pa.Column("Int64", pa.Check.ge(0), nullable=True)
_pct = pa.Column("Float64", nullable=True)

#: Output of :func:`gap_table`: one row per kab/kota and one province row (order of
#: :func:`coverage_table`). ``data_status`` is illustrative if the coverage inputs or the
#: target are; ``target_*`` describe the :class:`TargetChoice` (NA/empty without one);
#: ``trend_method`` states the projection method; see the module docstring for the rest.
GAP_TABLE_SCHEMA = pa.DataFrameSchema(
    {
        "period": pa.Column(str),
        "region_code": pa.Column(str, pa.Check.str_matches(r"^\d{2}(\d{2})?$")),
        "region_name": pa.Column(str),
        "level": pa.Column(str, pa.Check.isin(["kabkota", "province"])),
        "participants": _count,
        "denominator": _count,
        "denominator_kind": pa.Column(str),
        "workers_year": pa.Column("Int64", nullable=True),
        "coverage_pct": _pct,
        "target_pct": pa.Column("Float64", pa.Check.in_range(0, 100), nullable=True),
        "target_year": pa.Column("Int64", nullable=True),
        "target_series": pa.Column(str),
        "target_document": pa.Column(str),
        "target_level": pa.Column(str, pa.Check.isin(["region", "province", "national", ""])),
        "target_source_url": pa.Column(str),
        "target_rule": pa.Column(str),
        "gap_pp": pa.Column("Float64", pa.Check.ge(0), nullable=True),
        "gap_persons": _count,
        "months_left": pa.Column("Int64", nullable=True),
        "needed_per_month": pa.Column("Float64", pa.Check.ge(0), nullable=True),
        "trend_per_month": _pct,
        "trend_months_used": pa.Column("Int64"),
        "trend_method": pa.Column(str),
        "projected_reach_period": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}$"), nullable=True),
        "status": pa.Column(str, pa.Check.isin(list(STATUS_LABELS))),
        "status_label": pa.Column(str, pa.Check.isin(list(STATUS_LABELS.values()))),
        "status_note": pa.Column(str),
        "data_status": pa.Column(str, pa.Check.isin(STATUSES)),
    },
    unique=["region_code"],
    strict=True,
    name="gap_table",
)


def _status(coverage, target, gap_persons, left, needed, trend) -> tuple[str, str]:
    if target is None:
        return "no_target", "no target at region, province or national level"
    if pd.isna(coverage):
        return "no_data", "coverage not available (see the coverage note)"
    if gap_persons == 0:
        return "achieved", ""
    if left <= 0:
        return "off_track", "no month left before the end of the target year"
    if pd.isna(trend):
        return "no_data", f"fewer than {MIN_TREND_POINTS} months of participants for a trend"
    slack = 1 - 1e-9  # the least-squares slope of an exact line is 999.9999999..., not 1000
    if trend >= needed * slack:
        return "on_track", ""
    if trend > 0 and trend >= AT_RISK_SHARE * needed * slack:
        return "at_risk", ""
    return "off_track", "trend is flat or declining" if trend <= 0 else ""


def gap_table(data, period: str | None = None, denominator: str = "eligible", national_series: str = "RPJMN",
              trend_months: int = 12, province: str | None = None, segments=UCJ_SEGMENTS) -> pd.DataFrame:
    """Gap to target for every kab/kota and the province (schema :data:`GAP_TABLE_SCHEMA`).

    Memoised per data set and arguments (:meth:`jamsos_lib.store.Dataset.memo`; callers
    get a copy): every page of a month shows the same province-wide table."""
    if trend_months < 2:
        raise ValueError(f"trend_months must be >= 2, got {trend_months}")
    if national_series not in NATIONAL_SERIES:
        raise ValueError(f"national_series must be one of {NATIONAL_SERIES}, not {national_series!r}")
    period = data.check_period(period)
    province = province_of(data, province)
    segments = tuple(segments)
    key = ("gap_table", period, denominator, national_series, int(trend_months), province, segments)
    compute = lambda: _gap_table(data, period, denominator, national_series, int(trend_months), province, segments)  # noqa: E731
    memo = getattr(data, "memo", None)
    return memo(key, compute) if memo is not None else compute()


class _Targets:
    """The fallback chain for many regions of one year (:func:`target_for` is one of them):
    the targets table is split once by scope and code, and the province / national choice
    is made once per province."""

    def __init__(self, data, year: int, national_series: str):
        t = data.targets
        self.year, self.national_series = year, national_series
        self.by_scope = {key: rows for key, rows in t.groupby(["scope", "region_code"], sort=False)}
        self.national = t[(t["scope"] == "national") & (t["series"] == national_series)]
        self._shared: dict[str, tuple] = {}

    def choice(self, region_code: str) -> TargetChoice | None:
        empty = self.national.iloc[0:0]
        if len(region_code) == 4:
            rows = self.by_scope.get(("region", region_code), empty)
            found = _pick(rows, self.year, REGION_SERIES, "region", region_code)
            if found is not None:
                return found
        prov = region_code[:2]
        if prov not in self._shared:
            # the same choice for every region of the province, apart from region_code
            found = _pick(self.by_scope.get(("province", prov), empty), self.year, None, "province", prov)
            if found is None:
                found = _pick(self.national, self.year, (self.national_series,), "national", prov)
            self._shared[prov] = (found,)
        found = self._shared[prov][0]
        return None if found is None else replace(found, region_code=region_code)


def _gap_table(data, period: str, denominator: str, national_series: str, trend_months: int, province: str,
               segments: tuple) -> pd.DataFrame:
    cov = coverage_table(data, period, denominator, province=province, segments=segments)
    year = int(period[:4])

    start = shift_period(period, -(trend_months - 1))
    window = [p for p in data.periods if start <= p <= period]
    p = data.participants
    p = p[p["period"].isin(window) & (p["region_code"].str[:2] == province) & p["segment"].isin(segments)]
    by_region = p.groupby(["region_code", "period"])["participants"].sum()
    kab_codes = set(cov.loc[cov["level"] == "kabkota", "region_code"])
    prov_series = p[p["region_code"].isin(kab_codes)].groupby("period")["participants"].sum()
    series_of = {code: s.droplevel(0) for code, s in by_region.groupby(level=0, sort=False)}
    no_series = pd.Series(dtype=float)
    chooser = _Targets(data, year, national_series)
    method = (f"least-squares linear fit (numpy.polyfit, degree 1) of total participants over the months "
              f"with data in the last {trend_months} months ending {period}; projection: current count + slope × months")

    rows = []
    for r in cov.itertuples(index=False):
        series = prov_series if r.level == "province" else series_of.get(r.region_code, no_series)
        trend = trend_per_month(series)
        choice = chooser.choice(r.region_code)
        gap_pp = gap_persons = left = needed = pd.NA
        reach = None
        if choice is not None and pd.notna(r.coverage_pct):
            gap_pp = max(choice.target_pct - float(r.coverage_pct), 0.0)
            gap_persons = persons_needed(choice.target_pct, int(r.denominator), int(r.participants))
            if gap_persons == 0:
                gap_pp = 0.0
        if choice is not None:
            left = months_left(period, choice.year)
        if pd.notna(gap_persons) and pd.notna(left) and left > 0:
            needed = gap_persons / left
        status, note = _status(r.coverage_pct, choice, gap_persons, left, needed, trend)
        if status == "achieved":
            reach = period
        elif pd.notna(gap_persons) and not math.isnan(trend) and trend > 0:
            steps = math.ceil(round(gap_persons / trend, 6))  # 12.000 / 999,9999999 is 12 months
            if steps <= MAX_PROJECTION_MONTHS:
                reach = shift_period(period, steps)
        statuses = [r.status] + ([choice.status] if choice else [])
        rows.append({
            "period": period, "region_code": r.region_code, "region_name": r.region_name, "level": r.level,
            "participants": r.participants, "denominator": r.denominator, "denominator_kind": r.denominator_kind,
            "workers_year": r.workers_year, "coverage_pct": r.coverage_pct,
            "target_pct": choice.target_pct if choice else pd.NA,
            "target_year": choice.year if choice else pd.NA,
            "target_series": choice.series if choice else "",
            "target_document": choice.document if choice else "",
            "target_level": choice.level_used if choice else "",
            "target_source_url": choice.source_url if choice else "",
            "target_rule": choice.rule if choice else "",
            "gap_pp": gap_pp, "gap_persons": gap_persons, "months_left": left,
            "needed_per_month": needed, "trend_per_month": pd.NA if math.isnan(trend) else trend,
            "trend_months_used": int(series.notna().sum()) if len(series) else 0,
            "trend_method": method, "projected_reach_period": reach,
            "status": status, "status_label": STATUS_LABELS[status], "status_note": note,
            "data_status": "illustrative" if "illustrative" in statuses else "published",
        })
    out = pd.DataFrame(rows)
    for col in ("participants", "denominator", "workers_year", "target_year", "gap_persons", "months_left",
                "trend_months_used"):
        out[col] = pd.array([pd.NA if pd.isna(v) else int(v) for v in out[col]], dtype="Int64")
    for col in ("coverage_pct", "target_pct", "gap_pp", "needed_per_month", "trend_per_month"):
        out[col] = pd.array([pd.NA if pd.isna(v) else float(v) for v in out[col]], dtype="Float64")
    out["projected_reach_period"] = pd.array(out["projected_reach_period"].tolist(), dtype="str")
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].astype(str)
    out.attrs["trend_method"] = method
    return GAP_TABLE_SCHEMA.validate(out)


def status_label(status: str, lang: str = "id") -> str:
    """The reader's word for a gap status: ``on_track`` -> ``Sesuai jalur`` / ``On track``."""
    return (STATUS_LABELS if lang == "id" else STATUS_LABELS_EN)[status]


def no_target_error(region_code: str, year: int) -> JamsosError:
    return JamsosError(f"no coverage target for {region_code} in {year} at region, province or national level")
