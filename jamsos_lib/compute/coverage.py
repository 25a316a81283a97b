"""Coverage: active BPJS Ketenagakerjaan participants ÷ working population, per kab/kota and province.

Definitions (every output names the choices it made)
----------------------------------------------------
Workers
    BPS Sakernas (August) employed population of the **latest year not after the
    period's year** (``workers_year`` in every output), looked up per region. A period
    earlier than the first BPS year in the data is a :class:`JamsosError`.
Denominator
    ``"bps"``: the BPS employed figure itself. ``"eligible"`` (default, what published UCJ
    figures use, e.g. Jawa Timur 2023: 4.336.959 / 14.531.668 = 29,84%): BPS employed minus
    the groups outside BPJS Ketenagakerjaan (PNS/TNI/Polri, ...), from the eligibility
    table, first match wins:

    1. an absolute ``eligible_workers`` for that region and BPS year;
    2. that region's ``eligible_share`` for that year × its BPS workers;
    3. the province's share for that year, or else for the latest earlier year that has
       one (a province ``eligible_workers`` is turned into a share with the province's BPS
       workers of the same year) × the region's BPS workers.

    Shares × workers are rounded to whole persons. ``denominator_basis`` says which rule
    applied. With no rule applicable the denominator is NA and ``note`` says why.
Participants
    The sum of PU + BPU + JAKON for the region and month (:data:`UCJ_SEGMENTS`, the UCJ
    numerator: Trenggalek, 13 November 2024: 38.595 + 14.468 + 17.407 = 70.470 = 26,04% of
    270.622). PMI (migrant workers, who are not in the BPS domestic employed count) is shown
    in ``pmi`` and ``coverage_pmi_pct`` but not added; ``segments=SEGMENTS`` adds it. The
    province row sums its kab/kota (never a separate province figure), and ``note`` says
    how many kab/kota had data.
Coverage
    ``participants ÷ denominator × 100``; NA (with a note) when the denominator is zero or
    unknown, never a division error.
Segment coverage
    Segment participants ÷ the same denominator, unless the workers table gives BPS
    ``formal``/``informal`` counts for that region and year: then PU ÷ formal and BPU ÷
    informal (the BPS figures, not reduced to eligible). ``segment_basis`` says which.
Status
    ``illustrative`` when any input figure of the row (participants, workers,
    eligibility) is illustrative, else ``published``.

Memoisation
    :func:`workers_for`, :func:`coverage_table` and the coverage panel behind
    :func:`coverage_series` are computed once per data set and arguments
    (:meth:`jamsos_lib.store.Dataset.memo`; callers get copies): every page of a month
    asks for the same province-wide tables.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pandera.pandas as pa

from jamsos_lib.compute.constants import DENOMINATORS  # noqa: F401 - re-exported, single source there
from jamsos_lib.errors import JamsosError
from jamsos_lib.validate.schemas import SEGMENTS, STATUSES

#: Segments summed into ``participants`` by default (the UCJ numerator).
UCJ_SEGMENTS = ("PU", "BPU", "JAKON")
SEGMENT_COLUMNS = {s: s.lower() for s in SEGMENTS}  # PU -> pu, JAKON -> jakon
BASIS_SAME = "all segments ÷ denominator"
BASIS_FORMAL = "PU ÷ BPS formal, BPU ÷ BPS informal; JAKON, PMI ÷ denominator"

_code = pa.Column(str, pa.Check.str_matches(r"^\d{2}(\d{2})?$"))
_count = pa.Column("Int64", pa.Check.ge(0), nullable=True)
_pct = pa.Column("Float64", nullable=True)
_period = pa.Column(str, pa.Check.str_matches(r"^\d{4}-(0[1-9]|1[0-2])$"))
_status = pa.Column(str, pa.Check.isin(STATUSES))

#: Output of :func:`workers_for`: one row per region with a BPS figure not after the period.
#: ``workers`` BPS employed; ``workers_year`` its Sakernas year; ``denominator`` the figure
#: coverage divides by (eligible or BPS, ``denominator_kind``), ``denominator_basis`` the
#: rule used; ``formal``/``informal`` BPS breakdown when given; ``note`` empty or why NA.
WORKERS_FOR_SCHEMA = pa.DataFrameSchema(
    {
        "region_code": _code,
        "workers": pa.Column("Int64", pa.Check.ge(0)),
        "workers_year": pa.Column("Int64"),
        "denominator": _count,
        "denominator_kind": pa.Column(str, pa.Check.isin(DENOMINATORS)),
        "denominator_basis": pa.Column(str),
        "formal": _count,
        "informal": _count,
        "status": _status,
        "note": pa.Column(str),
    },
    unique=["region_code"],
    strict=True,
    name="workers_for",
)

_COVERAGE_COLUMNS = {
    "period": _period,
    "region_code": _code,
    "region_name": pa.Column(str),
    "level": pa.Column(str, pa.Check.isin(["kabkota", "province"])),
    "pu": _count,
    "bpu": _count,
    "jakon": _count,
    "pmi": _count,
    "participants": _count,
    "workers": _count,
    "workers_year": pa.Column("Int64", nullable=True),
    "denominator": _count,
    "denominator_kind": pa.Column(str, pa.Check.isin(DENOMINATORS)),
    "denominator_basis": pa.Column(str),
    "coverage_pct": pa.Column("Float64", pa.Check.ge(0), nullable=True),
    "coverage_pu_pct": _pct,
    "coverage_bpu_pct": _pct,
    "coverage_jakon_pct": _pct,
    "coverage_pmi_pct": _pct,
    "segment_basis": pa.Column(str),
    "status": _status,
    "note": pa.Column(str),
}

#: Output of :func:`coverage_series`: one row per month (oldest first) for one region,
#: same columns and meanings as :data:`COVERAGE_TABLE_SCHEMA` without changes and rank.
COVERAGE_SERIES_SCHEMA = pa.DataFrameSchema(_COVERAGE_COLUMNS, strict=True, name="coverage_series")

#: Output of :func:`coverage_table`: one row per kab/kota of the province (code order) and
#: one province row last (``level``). Counts are persons; ``*_pct`` in percent;
#: ``change_mom_pp``/``change_yoy_pp`` coverage minus that of the previous month / the same
#: month a year earlier (percentage points; NA when that month is not in the data or has no
#: coverage); ``rank`` 1 = highest coverage among the kab/kota (NA for the province row and
#: for kab/kota without coverage). See the module docstring for the definitions.
COVERAGE_TABLE_SCHEMA = pa.DataFrameSchema(
    {
        **_COVERAGE_COLUMNS,
        "change_mom_pp": _pct,
        "change_yoy_pp": _pct,
        "rank": pa.Column("Int64", pa.Check.ge(1), nullable=True),
    },
    unique=["region_code"],
    strict=True,
    name="coverage_table",
)


# -- scalar core --------------------------------------------------------------------

def coverage_pct(participants: float, workers: float) -> float:
    """``participants ÷ workers × 100``; NaN when workers is zero or missing.

    Negative inputs are a ``ValueError`` (a count cannot be negative).
    """
    if participants is None or workers is None or pd.isna(participants) or pd.isna(workers):
        return math.nan
    if participants < 0 or workers < 0:
        raise ValueError(f"participants and workers must be >= 0, got {participants} and {workers}")
    if workers == 0:
        return math.nan
    return float(participants) / float(workers) * 100.0


# -- helpers ------------------------------------------------------------------------

def _check_denominator(denominator: str) -> None:
    if denominator not in DENOMINATORS:
        raise ValueError(f"denominator must be one of {DENOMINATORS}, not {denominator!r}")


def _check_period_text(period: str) -> str:
    try:
        return pd.Period(str(period), freq="M").strftime("%Y-%m")
    except (ValueError, TypeError):
        raise JamsosError(f"period must be YYYY-MM, not {period!r}") from None


def shift_period(period: str, months: int) -> str:
    """``shift_period("2025-01", -1)`` -> ``"2024-12"``."""
    return (pd.Period(period, freq="M") + months).strftime("%Y-%m")


def province_of(data, province: str | None = None) -> str:
    """The province the participants table is about (``province`` if given)."""
    if province:
        return str(province)
    provinces = sorted({code[:2] for code in data.participants["region_code"]})
    if len(provinces) != 1:
        raise JamsosError(
            f"the participants table covers {len(provinces)} provinces ({', '.join(provinces) or 'none'}): "
            "choose one with province=..."
        )
    return provinces[0]


def _any_illustrative(values) -> str:
    return "illustrative" if any(v == "illustrative" for v in values) else "published"


def _province_share(data, province: str, year: int) -> tuple[float, int, str, str] | None:
    """(share, year, basis, status) of the province's eligibility for ``year`` or the latest earlier one."""
    el = data.eligibility
    rows = el[(el["region_code"] == province) & (el["year"] <= year)].sort_values("year", ascending=False)
    w = data.workers
    for row in rows.itertuples(index=False):
        if pd.notna(row.eligible_share):
            return float(row.eligible_share), int(row.year), f"province {province} eligible_share {row.year}", row.status
        if pd.notna(row.eligible_workers):
            pw = w[(w["region_code"] == province) & (w["year"] == row.year)]
            if len(pw) and int(pw["workers"].iloc[0]) > 0:
                share = int(row.eligible_workers) / int(pw["workers"].iloc[0])
                status = _any_illustrative([row.status, pw["status"].iloc[0]])
                return share, int(row.year), f"province {province} eligible_workers/BPS workers {row.year}", status
    return None


def workers_for(data, period: str, denominator: str = "eligible") -> pd.DataFrame:
    """BPS workers and the coverage denominator per region for ``period`` (schema
    :data:`WORKERS_FOR_SCHEMA`); see the module docstring for the rules."""
    _check_denominator(denominator)
    period = _check_period_text(period)
    return _memo(data, ("workers_for", int(period[:4]), denominator),
                 lambda: _workers_for(data, period, denominator))


def _memo(data, key, compute):
    """``data.memo(key, compute)`` for a :class:`~jamsos_lib.store.Dataset`, a plain call otherwise."""
    memo = getattr(data, "memo", None)
    return memo(key, compute) if memo is not None else compute()


def _workers_for(data, period: str, denominator: str) -> pd.DataFrame:
    year = int(period[:4])
    w = data.workers
    available = w[w["year"] <= year]
    if available.empty:
        first = int(w["year"].min()) if len(w) else None
        raise JamsosError(
            f"period {period} is before the first BPS Sakernas year in the processed data"
            + (f" ({first})" if first is not None else " (the workers table is empty)")
            + f": coverage needs a BPS workers figure for {year} or earlier"
        )
    latest = available.sort_values("year").groupby("region_code", sort=True).tail(1)
    own_rows = {(e["region_code"], int(e["year"])): e for e in data.eligibility.to_dict("records")}
    province_shares: dict[tuple[str, int], tuple | None] = {}
    rows = []
    for r in latest.itertuples(index=False):
        workers = int(r.workers)
        wyear = int(r.year)
        statuses = [r.status]
        note = ""
        formal = getattr(r, "formal", pd.NA)
        informal = getattr(r, "informal", pd.NA)
        if denominator == "bps":
            denom, basis = workers, f"BPS employed {wyear}"
        else:
            own = own_rows.get((r.region_code, wyear))
            denom, basis = pd.NA, "none"
            if own is not None and pd.notna(own["eligible_workers"]):
                denom = int(own["eligible_workers"])
                basis = f"eligible_workers {r.region_code} {wyear}"
                statuses.append(own["status"])
            elif own is not None and pd.notna(own["eligible_share"]):
                share = float(own["eligible_share"])
                denom = int(round(share * workers))
                basis = f"eligible_share {r.region_code} {wyear} ({share:.4f}) × BPS employed"
                statuses.append(own["status"])
            else:
                key = (r.region_code[:2], wyear)
                if key not in province_shares:
                    province_shares[key] = _province_share(data, *key)
                found = province_shares[key]
                if found is None:
                    note = f"no eligibility share for {r.region_code} or its province in {wyear} or earlier"
                else:
                    share, syear, sbasis, sstatus = found
                    denom = int(round(share * workers))
                    basis = f"{sbasis} ({share:.4f}) × BPS employed"
                    statuses.append(sstatus)
        if pd.notna(denom) and denom == 0:
            note = "zero workers: coverage not defined"
        rows.append({
            "region_code": r.region_code, "workers": workers, "workers_year": wyear,
            "denominator": denom, "denominator_kind": denominator, "denominator_basis": basis,
            "formal": formal, "informal": informal,
            "status": _any_illustrative(statuses), "note": note,
        })
    out = pd.DataFrame(rows)
    for col in ("workers", "workers_year", "denominator", "formal", "informal"):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    for col in ("region_code", "denominator_kind", "denominator_basis", "status", "note"):
        out[col] = out[col].astype(str)
    return WORKERS_FOR_SCHEMA.validate(out.reset_index(drop=True))


def _ratio_pct(num: pd.Series, den: pd.Series) -> pd.Series:
    num = pd.array(num, dtype="Float64")
    den = pd.array(den, dtype="Float64")
    out = pd.Series(num, dtype="Float64") / pd.Series(den, dtype="Float64") * 100.0
    out[pd.Series(den, dtype="Float64").fillna(0).eq(0).to_numpy()] = pd.NA
    return out.astype("Float64")


def _join_notes(*parts: pd.Series) -> pd.Series:
    """Row-wise ``"; ".join`` of the non-empty notes (vectorised)."""
    out = None
    for part in parts:
        text = part.fillna("").astype(str).reset_index(drop=True)
        if out is None:
            out = text
            continue
        both = out.ne("") & text.ne("")
        out = (out + np.where(both, "; ", "") + text).astype(str)
    return out if out is not None else pd.Series(dtype=str)


def _status_of(is_illustrative) -> np.ndarray:
    return np.where(np.asarray(is_illustrative, dtype=bool), "illustrative", "published")


def _coverage_frame(data, periods: list[str], denominator: str, province: str,
                    segments=UCJ_SEGMENTS, strict: bool = True) -> pd.DataFrame:
    """Coverage for every kab/kota of ``province`` and the province, for each period.

    ``strict``: a period before the first BPS year raises; otherwise its rows get NA
    workers and a note.
    """
    _check_denominator(denominator)
    registry = data.registry
    kab = registry.kabkota(province)
    if kab.empty:
        raise JamsosError(f"province {province!r} has no kab/kota in the region registry")
    names = dict(zip(registry.table["region_code"], registry.table["official_name"]))
    seg_cols = [SEGMENT_COLUMNS[s] for s in SEGMENTS]

    p = data.participants
    p = p[p["period"].isin(periods) & p["region_code"].isin(set(kab["region_code"]))]
    counts = (p.groupby(["period", "region_code", "segment"])["participants"].sum()
              .unstack("segment"))
    counts = counts.reindex(columns=list(SEGMENTS)).rename(columns=SEGMENT_COLUMNS)
    pstatus = (p["status"].eq("illustrative").groupby([p["period"], p["region_code"]]).any()
               .rename("p_illustrative"))

    grid = pd.MultiIndex.from_product([periods, list(kab["region_code"])], names=["period", "region_code"])
    frame = counts.reindex(grid).join(pstatus.reindex(grid)).reset_index()
    for col in seg_cols:
        frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    used = [SEGMENT_COLUMNS[s] for s in segments]
    has_data = frame[seg_cols].notna().any(axis=1)
    frame["participants"] = frame[used].sum(axis=1, min_count=1).astype("Int64")
    frame["level"] = "kabkota"
    frame["p_note"] = np.where(has_data, "", "no participant data for this month")
    frame["p_illustrative"] = frame["p_illustrative"].fillna(False).astype(bool)
    frame["_has_data"] = has_data.to_numpy()

    # province row: sum of its kab/kota
    grouped = frame.groupby("period", sort=False)
    prov = grouped[seg_cols + ["participants"]].sum(min_count=1)
    prov["n_data"] = grouped["_has_data"].sum().astype(int)
    prov["p_illustrative"] = grouped["p_illustrative"].any()
    prov = prov.reset_index()
    prov["region_code"] = province
    prov["level"] = "province"
    n_kab = len(kab)
    prov["p_note"] = [
        "" if n == n_kab else f"sum of {n} of {n_kab} kab/kota with participant data" for n in prov["n_data"]
    ]
    prov = prov.drop(columns="n_data")
    frame = pd.concat([frame.drop(columns="_has_data"), prov], ignore_index=True)
    for col in seg_cols + ["participants"]:
        frame[col] = frame[col].astype("Int64")

    # workers / denominator per distinct year
    wparts = []
    for year in sorted({int(x[:4]) for x in periods}):
        first_period = min(x for x in periods if int(x[:4]) == year)
        try:
            wf = workers_for(data, first_period, denominator)
        except JamsosError:
            if strict:
                raise
            continue
        wf = wf.assign(year=year)
        wparts.append(wf)
    frame["year"] = frame["period"].str[:4].astype(int)
    if wparts:
        wall = pd.concat(wparts, ignore_index=True).rename(columns={"status": "w_status", "note": "w_note"})
        frame = frame.merge(wall, on=["year", "region_code"], how="left")
    else:
        for col in ("workers", "workers_year", "denominator", "formal", "informal"):
            frame[col] = pd.array([pd.NA] * len(frame), dtype="Int64")
        frame["denominator_basis"] = pd.NA
        frame["w_status"] = pd.NA
        frame["w_note"] = pd.NA
    missing_w = frame["workers"].isna()
    frame["denominator_kind"] = denominator
    frame["denominator_basis"] = frame["denominator_basis"].fillna("none").astype(str)
    frame["w_note"] = frame["w_note"].fillna("").astype(str)
    frame.loc[missing_w, "w_note"] = "no BPS workers figure for " + frame.loc[missing_w, "year"].astype(str) + " or earlier"
    frame["status"] = _status_of(frame["p_illustrative"].astype(bool) | frame["w_status"].eq("illustrative").fillna(False))

    frame["coverage_pct"] = _ratio_pct(frame["participants"], frame["denominator"])
    has_split = frame["formal"].notna() & frame["informal"].notna()
    pu_den = frame["denominator"].where(~has_split, frame["formal"])
    bpu_den = frame["denominator"].where(~has_split, frame["informal"])
    frame["coverage_pu_pct"] = _ratio_pct(frame["pu"], pu_den)
    frame["coverage_bpu_pct"] = _ratio_pct(frame["bpu"], bpu_den)
    frame["coverage_jakon_pct"] = _ratio_pct(frame["jakon"], frame["denominator"])
    frame["coverage_pmi_pct"] = _ratio_pct(frame["pmi"], frame["denominator"])
    frame["segment_basis"] = np.where(has_split, BASIS_FORMAL, BASIS_SAME)
    frame["region_name"] = frame["region_code"].map(names).fillna(frame["region_code"]).astype(str)
    frame["note"] = _join_notes(frame["p_note"], frame["w_note"])
    frame["level_order"] = (frame["level"] == "province").astype(int)
    frame = frame.sort_values(["period", "level_order", "region_code"], kind="stable").reset_index(drop=True)
    for col in ("period", "region_code", "level", "segment_basis", "status"):
        frame[col] = frame[col].astype(str)
    return frame[list(_COVERAGE_COLUMNS)]


# -- public tables ------------------------------------------------------------------

def coverage_table(data, period: str | None = None, denominator: str = "eligible",
                   province: str | None = None, segments=UCJ_SEGMENTS) -> pd.DataFrame:
    """Coverage of every kab/kota of the province and of the province for ``period``
    (default: the latest in the data). Schema :data:`COVERAGE_TABLE_SCHEMA`.
    Memoised per data set and arguments (see the module docstring)."""
    period = data.check_period(period)
    province = province_of(data, province)
    _check_denominator(denominator)
    segments = tuple(segments)
    return _memo(data, ("coverage_table", period, denominator, province, segments),
                 lambda: _coverage_table(data, period, denominator, province, segments))


def _coverage_table(data, period: str, denominator: str, province: str, segments: tuple) -> pd.DataFrame:
    have = set(data.periods)
    prev, year_ago = shift_period(period, -1), shift_period(period, -12)
    others = [x for x in (prev, year_ago) if x in have]
    now = _coverage_frame(data, [period], denominator, province, segments, strict=True)
    if others:
        past = _coverage_frame(data, others, denominator, province, segments, strict=False)
        past = past.set_index(["period", "region_code"])["coverage_pct"]
    else:
        past = pd.Series(dtype="Float64", index=pd.MultiIndex.from_tuples([], names=["period", "region_code"]))

    def change(other: str) -> pd.Series:
        keys = pd.MultiIndex.from_arrays([[other] * len(now), now["region_code"]])
        before = pd.Series(past.reindex(keys).to_numpy(), dtype="Float64") if other in others else \
            pd.Series([pd.NA] * len(now), dtype="Float64")
        return (now["coverage_pct"].reset_index(drop=True) - before).astype("Float64")

    now["change_mom_pp"] = change(prev)
    now["change_yoy_pp"] = change(year_ago)
    is_kab = now["level"] == "kabkota"
    rank = now["coverage_pct"].where(is_kab).rank(ascending=False, method="min")
    now["rank"] = pd.array([pd.NA if pd.isna(x) else int(x) for x in rank], dtype="Int64")
    return COVERAGE_TABLE_SCHEMA.validate(now)


def coverage_series(data, region_code: str, end_period: str | None = None, months: int = 24,
                    denominator: str = "eligible", segments=UCJ_SEGMENTS) -> pd.DataFrame:
    """Coverage of one region (kab/kota or province) for the ``months`` months ending at
    ``end_period`` that are in the data, oldest first (long by period: one row per month).
    Months before the first BPS year are kept with NA workers and a note.
    Schema :data:`COVERAGE_SERIES_SCHEMA`.

    A slice of :func:`coverage_panel` (every region of the province, memoised), so the
    pages of one month share one computation."""
    if months < 1:
        raise ValueError(f"months must be >= 1, got {months}")
    end_period = data.check_period(end_period)
    region_code = str(region_code)
    if region_code not in data.registry:
        raise JamsosError(f"region {region_code!r} is not in the region registry")
    frame = coverage_panel(data, region_code[:2], end_period, months, denominator, segments)
    # rows of a frame already checked against COVERAGE_SERIES_SCHEMA (the panel) satisfy it
    return frame[frame["region_code"].to_numpy() == region_code].reset_index(drop=True)


def coverage_panel(data, province: str, end_period: str | None = None, months: int = 24,
                   denominator: str = "eligible", segments=UCJ_SEGMENTS) -> pd.DataFrame:
    """Coverage of every kab/kota of ``province`` and of the province for the ``months``
    months ending at ``end_period`` that are in the data (long: one row per month and
    region, ordered by period, then kab/kota by code, then the province row). Schema
    :data:`COVERAGE_SERIES_SCHEMA`; memoised per data set and arguments."""
    if months < 1:
        raise ValueError(f"months must be >= 1, got {months}")
    _check_denominator(denominator)
    end_period = data.check_period(end_period)
    province = str(province)
    segments = tuple(segments)
    start = shift_period(end_period, -(months - 1))
    periods = tuple(x for x in data.periods if start <= x <= end_period)

    def compute() -> pd.DataFrame:
        frame = _coverage_frame(data, list(periods), denominator, province, segments, strict=False)
        return COVERAGE_SERIES_SCHEMA.validate(frame)

    return _memo(data, ("coverage_panel", periods, denominator, province, segments), compute)
