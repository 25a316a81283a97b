"""Coverage: active BPJS Ketenagakerjaan participants ÷ working population, per kab/kota and province.

Definitions (every output names the choices it made)
----------------------------------------------------
Workers (the Sakernas rule, one setting: :data:`SAKERNAS_LAG_YEARS`)
    Every month of year Y uses the BPS Sakernas (August) employed population of Y − 1, as
    BPJS applies it (Gresik: November 2024 on August 2023, 557.575 = 0,81 × 688.645;
    November 2025 on August 2024, 715.619), so no month uses a Sakernas BPS had not yet
    released (BPS publishes August figures in November). A region without that year uses
    its latest earlier one; a region with no year before Y but one of Y itself uses it, with
    a note (partial inputs). ``workers_year`` in every output is the Sakernas year used.
    A period before every BPS year and without a published denominator is a
    :class:`JamsosError`.
Denominator (``denominator_method``, ``denominator_basis``, ``denominator_status``)
    ``"bps"``: the BPS employed figure itself (``bps_employed``). ``"eligible"`` (default):
    the UCJ denominator BPJS used in the period, first match wins:

    1. a published row of the ``denominators`` table for the region and year of use
       (published denominators win over estimates, even where they differ from the
       kab/kota pattern: Jawa Timur 2023, 14.531.668, is 0,67 of BPS employed August 2022,
       below the published kab/kota shares of 0,74–0,88; the basis text says so);
    2. the analyst's own ``eligibility`` table (legacy template: eligible workers or shares
       of BPS employed, per region or for the province) where it has a row that applies;
    3. from :data:`KTP_DOMICILE_FROM` (2025): all BPS employed by KTP domicile
       (``ktp_domicile``, numerically the BPS figure; status that of the BPS figure);
    4. until 2024: workers outside ASN/TNI/Polri (``excluding_asn_tni_polri``), estimated
       as BPS employed × the region's own published share of an earlier year, else × the
       median share of all published kab/kota UCJ denominators (status ``illustrative``).

    Shares × workers are rounded to whole persons. With no rule applicable the denominator
    is NA and ``note`` says why.
Participants
    What the published figures count: a published ``TOTAL`` row of the region and month
    when there is one (Kota Surabaya, November 2025: 613.000), else the sum of PU + BPU +
    JAKON (:data:`UCJ_SEGMENTS`, the UCJ numerator: Trenggalek, 13 November 2024: 38.595 +
    14.468 + 17.407 = 70.470 = 26,04% of 270.622). PMI (migrant workers, who are not in the
    BPS domestic employed count) is shown in ``pmi`` and ``coverage_pmi_pct`` but not added;
    ``segments=SEGMENTS`` adds it. The province row uses the province's own published rows
    for the month when it has any (Jawa Timur, December 2023: 4.336.959 = PU 3.300.717 +
    BPU 1.036.242, whose PU includes Jasa Konstruksi; without a TOTAL it needs PU and BPU),
    else the sum of its kab/kota when every kab/kota has data; otherwise it has no
    participants and ``note`` says how many kab/kota had data (a sum over some kab/kota is
    not a province figure).
    ``participants_status`` is ``published`` only when every row summed is published;
    ``participants_source`` names the source (the row's address or its raw file).
Coverage
    ``participants ÷ denominator × 100``; NA (with a note) when the denominator is zero or
    unknown, never a division error.
Segment coverage
    Segment participants ÷ the same denominator, unless the workers table gives BPS
    ``formal``/``informal`` counts for that region and year: then PU ÷ formal and BPU ÷
    informal (the BPS figures, not reduced to eligible). ``segment_basis`` says which.
Month-on-month change
    ``change_mom_pp`` = ``change_enrolment_pp`` + ``change_denominator_pp``: enrolment is
    (P_t − P_t−1) ÷ D_t, the denominator part P_t−1 ÷ D_t − P_t−1 ÷ D_t−1 (zero within a
    year; the January step when the Sakernas year changes).
Status
    ``illustrative`` when the participants or the denominator of the row is an estimate
    (``participants_status``/``denominator_status``), else ``published``: a figure built only
    from published rows is published.

Computed once a month
    Nothing here is cached: the month's tables (:mod:`jamsos_lib.compute.month`) call
    :func:`coverage_table` and :func:`coverage_panel` once per province, and pages read them.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pandera.pandas as pa

from jamsos_lib.compute.constants import DENOMINATORS  # noqa: F401 - re-exported, single source there
from jamsos_lib.errors import JamsosError
from jamsos_lib.validate.once import check
from jamsos_lib.validate.schemas import DENOMINATOR_METHODS, SEGMENTS, STATUSES, TABLES, empty_frame

#: The Sakernas rule: every month of year Y divides by the August Sakernas of Y − this.
SAKERNAS_LAG_YEARS = 1
#: First UCJ year counted on all BPS employed by KTP domicile (before: outside ASN/TNI/Polri).
KTP_DOMICILE_FROM = 2025

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

#: Output of :func:`workers_for`: one row per region with a BPS figure or a published
#: denominator for the period. ``workers`` BPS employed (NA when only a published
#: denominator exists); ``workers_year`` the Sakernas year used; ``denominator`` the figure
#: coverage divides by (``denominator_kind`` eligible or bps), ``denominator_method`` how it
#: counts workers (:data:`DENOMINATOR_METHODS`), ``denominator_basis`` the rule used in
#: words, ``denominator_status`` published/illustrative, ``denominator_source`` its address,
#: raw file or ``estimate``; ``formal``/``informal`` BPS breakdown when given; ``note`` empty
#: or why NA.
_method = pa.Column(str, pa.Check.isin(DENOMINATOR_METHODS))
WORKERS_FOR_SCHEMA = pa.DataFrameSchema(
    {
        "region_code": _code,
        "workers": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "workers_year": pa.Column("Int64", nullable=True),
        "denominator": _count,
        "denominator_kind": pa.Column(str, pa.Check.isin(DENOMINATORS)),
        "denominator_method": _method,
        "denominator_basis": pa.Column(str),
        "denominator_status": _status,
        "denominator_source": pa.Column(str),
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
    "participants_status": _status,
    "participants_source": pa.Column(str),
    "workers": _count,
    "workers_year": pa.Column("Int64", nullable=True),
    "denominator": _count,
    "denominator_kind": pa.Column(str, pa.Check.isin(DENOMINATORS)),
    "denominator_method": _method,
    "denominator_basis": pa.Column(str),
    "denominator_status": _status,
    "denominator_source": pa.Column(str),
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
#: coverage); ``change_mom_pp`` = ``change_enrolment_pp`` + ``change_denominator_pp`` (see
#: the module docstring); ``rank`` 1 = highest coverage among the kab/kota (NA for the province row and
#: for kab/kota without coverage). See the module docstring for the definitions.
COVERAGE_TABLE_SCHEMA = pa.DataFrameSchema(
    {
        **_COVERAGE_COLUMNS,
        "change_mom_pp": _pct,
        "change_enrolment_pp": _pct,
        "change_denominator_pp": _pct,
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
            return (
                float(row.eligible_share),
                int(row.year),
                f"province {province} eligible_share {row.year}",
                row.status,
            )
        if pd.notna(row.eligible_workers):
            pw = w[(w["region_code"] == province) & (w["year"] == row.year)]
            if len(pw) and int(pw["workers"].iloc[0]) > 0:
                share = int(row.eligible_workers) / int(pw["workers"].iloc[0])
                status = _any_illustrative([row.status, pw["status"].iloc[0]])
                return share, int(row.year), f"province {province} eligible_workers/BPS workers {row.year}", status
    return None


def ucj_method(year: int) -> str:
    """The UCJ denominator method BPJS used in ``year`` (see :data:`KTP_DOMICILE_FROM`)."""
    return "ktp_domicile" if int(year) >= KTP_DOMICILE_FROM else "excluding_asn_tni_polri"


def _denominator_rows(data) -> pd.DataFrame:
    rows = getattr(data, "denominators", None)
    if rows is None or not len(rows):
        return empty_frame(TABLES["denominators"])
    return rows


def published_shares(data) -> pd.DataFrame:
    """Every ``excluding_asn_tni_polri`` row of the denominators table as a share of the BPS
    employed it rests on (its ``sakernas_year``, else the year of use − :data:`SAKERNAS_LAG_YEARS`):
    ``region_code, year, share, sakernas_year, status``; rows without that BPS figure are left
    out."""
    rows = _denominator_rows(data)
    rows = rows[rows["method"] == "excluding_asn_tni_polri"]
    columns = ["region_code", "year", "share", "sakernas_year", "status"]
    if not len(rows):
        return pd.DataFrame(columns=columns)
    year = rows["year"].astype("int64")
    syear = (
        pd.array(rows["sakernas_year"], dtype="Int64")
        .fillna(year.to_numpy() - SAKERNAS_LAG_YEARS)
        .to_numpy(dtype="int64")
    )
    w = data.workers
    bps = pd.Series(w["workers"].to_numpy(), index=pd.MultiIndex.from_arrays([w["region_code"], w["year"]]))
    bps = bps[~bps.index.duplicated(keep="last")]  # as a dict built row by row keeps the last
    workers = pd.array(bps.reindex(pd.MultiIndex.from_arrays([rows["region_code"], syear])), dtype="Int64")
    found = (workers.fillna(0) != 0).to_numpy(dtype=bool)  # no BPS figure (or zero): left out
    denominator = rows["denominator"].astype("int64").to_numpy()
    return pd.DataFrame(
        {
            "region_code": rows["region_code"].to_numpy()[found],
            "year": year.to_numpy()[found],
            "share": denominator[found] / workers[found].to_numpy(dtype="int64"),
            "sakernas_year": syear[found],
            "status": rows["status"].to_numpy()[found],
        },
        columns=columns,
    )


def _median_kabkota_share(shares: pd.DataFrame) -> tuple[float, str] | None:
    kab = shares[shares["region_code"].str.len() == 4]
    if not len(kab):
        return None
    median = float(kab["share"].median())
    return median, f"median {median:.4f} of {len(kab)} published kab/kota shares"


def estimated_share(data, region_code: str, year: int, shares: pd.DataFrame | None = None) -> tuple[float, str] | None:
    """The share of BPS employed that estimates a region's ``excluding_asn_tni_polri``
    denominator for ``year`` when none is published: the region's own published share of
    the latest earlier year, else the median share of every published kab/kota row.
    ``(share, how)`` or None when nothing is published. ``shares``: :func:`published_shares`
    of ``data`` when the caller has it already."""
    shares = published_shares(data) if shares is None else shares
    own = shares[(shares["region_code"] == region_code) & (shares["year"] < year)].sort_values("year")
    if len(own):
        r = own.iloc[-1]
        return float(r["share"]), f"own published {int(r['year'])} share {r['share']:.4f}"
    return _median_kabkota_share(shares)


def workers_for(data, period: str, denominator: str = "eligible", regions=None) -> pd.DataFrame:
    """BPS workers and the coverage denominator per region for ``period`` (schema
    :data:`WORKERS_FOR_SCHEMA`); see the module docstring for the rules. ``regions``: only
    these region codes (each region's row depends on its own figures and the published
    shares only, so a province's coverage need not work out all 514 kab/kota of a national
    data set)."""
    _check_denominator(denominator)
    period = _check_period_text(period)
    return _workers_for(data, period, denominator, None if regions is None else frozenset(regions))


def _workers_for(data, period: str, denominator: str, regions: frozenset | None = None) -> pd.DataFrame:
    year = int(period[:4])
    w = data.workers
    published = _denominator_rows(data)
    published = published[published["year"] == year]
    if regions is not None:
        published = published[published["region_code"].isin(regions)]
    own_published = {r["region_code"]: r for r in published.to_dict("records")}
    _check_bps_year(w, period, bool(own_published))
    if regions is not None:
        w = w[w["region_code"].isin(regions)]
    # each region's BPS rows as plain records, oldest first: looked up once per region below
    by_region: dict[str, list[dict]] = {}
    for r in w.sort_values(["region_code", "year"], kind="stable").to_dict("records"):
        by_region.setdefault(r["region_code"], []).append(r)
    codes = sorted(set(by_region) | set(own_published))
    legacy = {(e["region_code"], int(e["year"])): e for e in data.eligibility.to_dict("records")}
    province_shares: dict[tuple[str, int], tuple | None] = {}
    method_of_year = ucj_method(year)
    shares = published_shares(data)
    rows = []
    for code in codes:
        bps_rows = by_region.get(code)
        bps_row, note_text = None, ""
        if bps_rows is not None:
            due = [r for r in bps_rows if r["year"] <= year - SAKERNAS_LAG_YEARS]
            if due:
                bps_row = due[-1]
            else:
                same = [r for r in bps_rows if r["year"] <= year]
                if same:
                    bps_row = same[-1]
                    note_text = note("no_sakernas_before", year=year, bps_year=int(bps_row["year"]))
        workers = int(bps_row["workers"]) if bps_row is not None else pd.NA
        wyear = int(bps_row["year"]) if bps_row is not None else pd.NA
        w_status = bps_row["status"] if bps_row is not None else "published"
        formal = bps_row.get("formal", pd.NA) if bps_row is not None else pd.NA
        informal = bps_row.get("informal", pd.NA) if bps_row is not None else pd.NA
        denom, method, basis, d_status, source = pd.NA, "bps_employed", "none", "published", ""
        own = own_published.get(code)
        if denominator == "bps":
            if bps_row is not None:
                denom, basis, d_status = workers, f"BPS employed Aug {wyear}", w_status
                source = str(bps_row["source_id"])
        elif own is not None:
            denom, method, d_status = int(own["denominator"]), own["method"], own["status"]
            source = own["source_url"] or own["source_id"]
            basis = f"published UCJ denominator {year} ({'derived, ' if own['derived'] else ''}{own['published_on']})"
            if pd.notna(own["sakernas_year"]) and bps_rows is not None:
                # the Sakernas the published figure rests on (Kab. Pasuruan 2025: 865.336 = BPS Aug 2023)
                stated = [r for r in bps_rows if r["year"] == int(own["sakernas_year"])]
                if stated:
                    bps_row = stated[-1]
                    workers, wyear = int(bps_row["workers"]), int(bps_row["year"])
            if bps_row is not None and workers and method == "excluding_asn_tni_polri":
                basis += f" = {int(own['denominator']) / workers:.4f} × BPS employed Aug {int(bps_row['year'])}"
                median = _median_kabkota_share(shares) if len(code) == 2 else None
                if median is not None:
                    basis += f"; kab/kota estimates use the {median[1]}"
        elif bps_row is None:
            note_text = note("no_workers_or_ucj", year=year)
        elif (code, wyear) in legacy or _legacy_province(data, province_shares, code, wyear) is not None:
            method = "excluding_asn_tni_polri"
            own_legacy = legacy.get((code, wyear))
            if own_legacy is not None and pd.notna(own_legacy["eligible_workers"]):
                denom, basis = int(own_legacy["eligible_workers"]), f"eligible_workers {code} {wyear}"
                d_status = own_legacy["status"]
            elif own_legacy is not None and pd.notna(own_legacy["eligible_share"]):
                share = float(own_legacy["eligible_share"])
                denom = int(round(share * workers))
                basis = f"eligible_share {code} {wyear} ({share:.4f}) × BPS employed"
                d_status = _any_illustrative([own_legacy["status"], w_status])
            else:
                share, _syear, sbasis, sstatus = _legacy_province(data, province_shares, code, wyear)
                denom = int(round(share * workers))
                basis = f"{sbasis} ({share:.4f}) × BPS employed"
                d_status = _any_illustrative([sstatus, w_status])
            source = "eligibility"
        elif method_of_year == "ktp_domicile":
            method, denom, d_status = "ktp_domicile", workers, w_status
            basis = f"BPS employed Aug {wyear} (UCJ method from {KTP_DOMICILE_FROM}: all employed by KTP domicile)"
            source = str(bps_row["source_id"])
        else:
            method = "excluding_asn_tni_polri"
            est = estimated_share(data, code, year, shares)
            if est is None:
                note_text = note("no_share", code=code, year=wyear)
            else:
                share, how = est
                denom = int(round(share * workers))
                basis = f"estimate: {how} × BPS employed Aug {wyear} (workers outside ASN/TNI/Polri)"
                d_status, source = "illustrative", "estimate"
        if pd.notna(denom) and denom == 0:
            note_text = note("zero_workers")
        statuses = [d_status] if pd.notna(denom) else [w_status]
        rows.append(
            {
                "region_code": code,
                "workers": workers,
                "workers_year": wyear,
                "denominator": denom,
                "denominator_kind": denominator,
                "denominator_method": method,
                "denominator_basis": basis,
                "denominator_status": d_status if pd.notna(denom) else "illustrative",
                "denominator_source": str(source),
                "formal": formal,
                "informal": informal,
                "status": _any_illustrative(statuses),
                "note": note_text,
            }
        )
    out = pd.DataFrame(rows, columns=list(WORKERS_FOR_SCHEMA.columns))
    for col in ("workers", "workers_year", "denominator", "formal", "informal"):
        out[col] = pd.array([pd.NA if pd.isna(v) else int(v) for v in out[col].tolist()], dtype="Int64")
    for col in (
        "region_code",
        "denominator_kind",
        "denominator_method",
        "denominator_basis",
        "denominator_status",
        "denominator_source",
        "status",
        "note",
    ):
        out[col] = out[col].astype(str)
    return check(WORKERS_FOR_SCHEMA, out.reset_index(drop=True))


def _has_published_denominator(data, period: str, regions) -> bool:
    """Whether one of ``regions`` has a published UCJ denominator for ``period``'s year."""
    published = _denominator_rows(data)
    return bool(((published["year"] == int(period[:4])) & published["region_code"].isin(set(regions))).any())


def _check_bps_year(workers: pd.DataFrame, period: str, published: bool) -> None:
    """Coverage of ``period`` needs a BPS workers figure of its year or earlier, unless a UCJ
    denominator of the year is ``published``: else :class:`JamsosError`."""
    year = int(period[:4])
    if workers[workers["year"] <= year].empty and not published:
        first = int(workers["year"].min()) if len(workers) else None
        raise JamsosError(
            f"period {period} is before the first BPS Sakernas year in the processed data"
            + (f" ({first})" if first is not None else " (the workers table is empty)")
            + f": coverage needs a BPS workers figure for {year} or earlier"
        )


def _legacy_province(data, cache: dict, code: str, wyear: int):
    """The province share of the legacy eligibility table for ``code``'s province (memoised in ``cache``)."""
    el = data.eligibility
    if not len(el):
        return None
    key = (code[:2], wyear)
    if key not in cache:
        cache[key] = _province_share(data, *key)
    return cache[key]


def _ratio_pct(num: pd.Series, den: pd.Series) -> pd.Series:
    num = pd.array(num, dtype="Float64")
    den = pd.array(den, dtype="Float64")
    out = pd.Series(num, dtype="Float64") / pd.Series(den, dtype="Float64") * 100.0
    out[pd.Series(den, dtype="Float64").fillna(0).eq(0).to_numpy()] = pd.NA
    return out.astype("Float64")


#: A row's notes, by code: the English text each is written in (the ``note`` column, CSV and
#: JSON output) with its parameters. Readers' wording of every code, in Indonesian and
#: English, is in :mod:`jamsos_lib.present.labels` (``note_<code>``); :func:`note_codes`
#: reads a note back as codes and parameters for it.
NOTES = {
    "no_sakernas_before": (
        "no August Sakernas before {year} in the data: BPS {bps_year} used (published in November of that year)"
    ),
    "no_workers_or_ucj": "no BPS workers figure for {year} or earlier and no published UCJ denominator",
    "no_share": (
        "no eligibility share for {code} or its province in {year} or earlier, and no published UCJ denominator"
    ),
    "zero_workers": "zero workers: coverage not defined",
    "no_participants": "no participant data for this month",
    "partial_province": "only {n} of {total} kab/kota have participant data for this month: no province total",
    "province_own": "the province's own published figure (not the sum of its kab/kota)",
    "province_segments_only": "only {segments} published for the province this month: no province total",
    "no_workers": "no BPS workers figure for {year} or earlier",
}


def note(key: str, /, **params) -> str:
    """The note ``key`` (a code of :data:`NOTES`) with its parameters, as the ``note`` column
    writes it."""
    return NOTES[key].format(**params)


def _note_pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)) + "$")


_NOTE_PATTERNS = {code: _note_pattern(text) for code, text in NOTES.items()}


def note_codes(text: str) -> list[tuple[str, dict]]:
    """A ``note`` column's text as ``(code, parameters)`` per note (``"; "`` between notes);
    a text that is no known note comes back as ``("", {"text": ...})``."""
    out = []
    for part in [p for p in str(text or "").split("; ") if p]:
        for code, pattern in _NOTE_PATTERNS.items():
            found = pattern.match(part)
            if found:
                out.append((code, found.groupdict()))
                break
        else:
            out.append(("", {"text": part}))
    return out


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


def _participant_counts(p: pd.DataFrame, segments) -> pd.DataFrame:
    """Per (period, region_code): the segment columns, ``total`` (a published TOTAL),
    ``participants`` (TOTAL if present, else the sum of ``segments``), ``p_illustrative``
    (any row used is illustrative), ``p_source`` and ``_has_data``."""
    index = ["period", "region_code"]
    if not len(p):
        return pd.DataFrame(
            columns=[SEGMENT_COLUMNS[s] for s in SEGMENTS]
            + ["total", "participants", "p_illustrative", "p_source", "_has_data"],
            index=pd.MultiIndex.from_tuples([], names=index),
        )
    wide = p.pivot_table(index=index, columns="segment", values="participants", aggfunc="sum")
    wide = wide.reindex(columns=list(SEGMENTS) + ["TOTAL"])
    ill = (
        p.assign(_ill=p["status"].eq("illustrative"))
        .pivot_table(index=index, columns="segment", values="_ill", aggfunc="max")
        .reindex(columns=wide.columns)
    )
    if "source_url" in p:
        urls = p["source_url"].fillna("").astype(str)
    else:
        urls = pd.Series("", index=p.index)
    src = (
        p.assign(_src=urls.where(urls.ne(""), p["source_id"].astype(str)))
        .pivot_table(index=index, columns="segment", values="_src", aggfunc="first")
        .reindex(columns=wide.columns)
    )
    out = pd.DataFrame(index=wide.index)
    for s_ in SEGMENTS:
        out[SEGMENT_COLUMNS[s_]] = pd.array(wide[s_].tolist(), dtype="Int64") if len(wide) else []
    total = pd.array([pd.NA if pd.isna(v) else int(v) for v in wide["TOTAL"]], dtype="Int64")
    out["total"] = total
    used = list(segments)
    seg_sum = pd.array(wide[used].sum(axis=1, min_count=1).tolist(), dtype="Int64")
    has_total = pd.notna(wide["TOTAL"]).to_numpy()
    out["participants"] = pd.array(np.where(has_total, total, seg_sum), dtype="Int64")
    seg_ill = ill[used].eq(1).any(axis=1).to_numpy()
    tot_ill = ill["TOTAL"].eq(1).to_numpy()
    out["p_illustrative"] = np.where(has_total, tot_ill, seg_ill)
    seg_src = src[used].apply(lambda r: "; ".join(sorted({v for v in r if isinstance(v, str) and v})), axis=1)
    tot_src = [v if isinstance(v, str) else "" for v in src["TOTAL"]]
    out["p_source"] = np.where(has_total, tot_src, seg_src.astype(str))
    out["_has_data"] = wide[list(SEGMENTS) + ["TOTAL"]].notna().any(axis=1).to_numpy()
    return out


def _coverage_frame(
    data, periods: list[str], denominator: str, province: str, segments=UCJ_SEGMENTS, strict: bool = True
) -> pd.DataFrame:
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
    p = p[p["period"].isin(periods)]
    kab_codes = list(kab["region_code"])
    counts = _participant_counts(p[p["region_code"].isin(set(kab_codes))], segments)
    grid = pd.MultiIndex.from_product([periods, kab_codes], names=["period", "region_code"])
    frame = counts.reindex(grid).reset_index()
    for col in seg_cols + ["participants"]:
        frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    has_data = frame["_has_data"].fillna(False).astype(bool)
    frame["level"] = "kabkota"
    frame["p_note"] = np.where(has_data, "", note("no_participants"))
    frame["p_illustrative"] = frame["p_illustrative"].fillna(False).astype(bool)
    frame["p_source"] = frame["p_source"].fillna("").astype(str)
    frame["_has_data"] = has_data.to_numpy()

    # province row: its own published rows for the month when it has any, else the sum of its kab/kota
    grouped = frame.groupby("period", sort=False)
    prov = grouped[seg_cols + ["participants"]].sum(min_count=1)
    prov["n_data"] = grouped["_has_data"].sum().astype(int)
    prov["p_illustrative"] = grouped["p_illustrative"].any()
    prov["p_source"] = grouped["p_source"].agg(lambda v: "; ".join(sorted({x for x in v if x})))
    prov = prov.reindex(periods)
    n_kab = len(kab)
    n_data = prov["n_data"].fillna(0).astype(int)
    partial = (n_data < n_kab).to_numpy()
    # a sum over some kab/kota is not a province figure: no participants, and the page says why
    prov.loc[partial, seg_cols + ["participants"]] = pd.NA
    prov["p_note"] = [
        "" if n == n_kab else (note("no_participants") if n == 0 else note("partial_province", n=n, total=n_kab))
        for n in n_data
    ]
    own = _participant_counts(p[p["region_code"] == province], segments)
    if len(own):
        own = own.reset_index().set_index("period")
        for period, r in own.iterrows():
            has_pu_bpu = pd.notna(r["pu"]) and pd.notna(r["bpu"])
            for col in seg_cols:
                prov.loc[period, col] = r[col]
            if pd.notna(r["total"]) or has_pu_bpu:
                prov.loc[period, "participants"] = r["participants"]
                prov.loc[period, "p_note"] = note("province_own")
            else:
                prov.loc[period, "participants"] = pd.NA
                shown = ", ".join(s_ for s_ in SEGMENTS if pd.notna(r[SEGMENT_COLUMNS[s_]]))
                prov.loc[period, "p_note"] = note("province_segments_only", segments=shown)
            prov.loc[period, "p_illustrative"] = bool(r["p_illustrative"])
            prov.loc[period, "p_source"] = r["p_source"]
    prov = prov.drop(columns="n_data").rename_axis("period").reset_index()
    prov["region_code"] = province
    prov["level"] = "province"
    prov["p_illustrative"] = prov["p_illustrative"].fillna(False).astype(bool)
    frame = pd.concat([frame.drop(columns=["_has_data", "total"], errors="ignore"), prov], ignore_index=True)
    for col in seg_cols + ["participants"]:
        frame[col] = pd.array([pd.NA if pd.isna(v) else int(v) for v in frame[col]], dtype="Int64")

    # workers / denominator per distinct year
    wparts = []
    for year in sorted({int(x[:4]) for x in periods}):
        first_period = min(x for x in periods if int(x[:4]) == year)
        try:
            wf = workers_for(data, first_period, denominator, regions=[*kab_codes, province])
        except JamsosError:
            if strict:
                raise
            continue
        wf = wf.assign(year=year)
        wparts.append(wf)
    frame["year"] = frame["period"].str[:4].astype(int)
    wcols = ["workers", "workers_year", "denominator", "formal", "informal"]
    if wparts:
        wall = pd.concat(wparts, ignore_index=True).rename(columns={"status": "w_status", "note": "w_note"})
        frame = frame.merge(wall.drop(columns="denominator_kind"), on=["year", "region_code"], how="left")
    else:
        for col in wcols:
            frame[col] = pd.array([pd.NA] * len(frame), dtype="Int64")
        for col in (
            "denominator_basis",
            "denominator_method",
            "denominator_status",
            "denominator_source",
            "w_status",
            "w_note",
        ):
            frame[col] = pd.NA
    missing_w = frame["denominator"].isna() & frame["workers"].isna()
    frame["denominator_kind"] = denominator
    frame["denominator_basis"] = frame["denominator_basis"].fillna("none").astype(str)
    frame["denominator_method"] = (
        frame["denominator_method"]
        .fillna("bps_employed" if denominator == "bps" else "excluding_asn_tni_polri")
        .astype(str)
    )
    frame["denominator_status"] = frame["denominator_status"].fillna("illustrative").astype(str)
    frame["denominator_source"] = frame["denominator_source"].fillna("").astype(str)
    frame["w_note"] = frame["w_note"].fillna("").astype(str)
    no_row = frame["w_status"].isna()
    frame.loc[missing_w & no_row, "w_note"] = [
        note("no_workers", year=y) for y in frame.loc[missing_w & no_row, "year"]
    ]
    frame["participants_status"] = _status_of(frame["p_illustrative"].astype(bool))
    frame["participants_source"] = frame["p_source"].fillna("").astype(str)
    d_ill = frame["denominator"].notna() & frame["denominator_status"].eq("illustrative")
    w_ill = frame["denominator"].isna() & frame["w_status"].eq("illustrative").fillna(False)
    frame["status"] = _status_of(frame["p_illustrative"].astype(bool) | d_ill | w_ill)

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
    for col in ("period", "region_code", "level", "segment_basis", "status", "participants_status"):
        frame[col] = frame[col].astype(str)
    return frame[list(_COVERAGE_COLUMNS)]


# -- public tables ------------------------------------------------------------------


def coverage_table(
    data,
    period: str | None = None,
    denominator: str = "eligible",
    province: str | None = None,
    segments=UCJ_SEGMENTS,
    *,
    panel: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Coverage of every kab/kota of the province and of the province for ``period``
    (default: the latest in the data). Schema :data:`COVERAGE_TABLE_SCHEMA`.

    ``panel``: the :func:`coverage_panel` of the same province, denominator and segments
    ending at ``period`` over at least 13 months, when the caller has it (the month tables):
    its rows of ``period``, the month before and a year before are this table's (each
    month's row depends on that month's figures only), so they are not computed again.
    """
    period = data.check_period(period)
    province = province_of(data, province)
    _check_denominator(denominator)
    segments = tuple(segments)
    return _coverage_table(data, period, denominator, province, segments, panel)


def _coverage_table(
    data, period: str, denominator: str, province: str, segments: tuple, panel: pd.DataFrame | None = None
) -> pd.DataFrame:
    have = set(data.periods)
    prev, year_ago = shift_period(period, -1), shift_period(period, -12)
    others = [x for x in (prev, year_ago) if x in have]
    if panel is not None:
        if panel["period"].max() != period or panel["region_code"].str[:2].ne(province).any():
            raise ValueError(f"panel: expected the coverage panel of province {province} ending at {period}")
        _check_bps_year(data.workers, period, _has_published_denominator(data, period, panel["region_code"]))
        now = panel[panel["period"] == period].reset_index(drop=True)
    else:
        now = _coverage_frame(data, [period], denominator, province, segments, strict=True)
    if others:
        if panel is not None:
            past = panel[panel["period"].isin(others)]
        else:
            past = _coverage_frame(data, others, denominator, province, segments, strict=False)
        past = past.set_index(["period", "region_code"])[["coverage_pct", "participants", "denominator"]]
    else:
        past = pd.DataFrame(
            columns=["coverage_pct", "participants", "denominator"],
            index=pd.MultiIndex.from_tuples([], names=["period", "region_code"]),
        )

    def before(other: str, col: str) -> pd.Series:
        if other not in others:
            return pd.Series([pd.NA] * len(now), dtype="Float64")
        keys = pd.MultiIndex.from_arrays([[other] * len(now), now["region_code"]])
        return pd.Series(pd.array(past[col].reindex(keys).tolist(), dtype="Float64"))

    current = now["coverage_pct"].reset_index(drop=True)
    now["change_mom_pp"] = (current - before(prev, "coverage_pct")).astype("Float64")
    now["change_yoy_pp"] = (current - before(year_ago, "coverage_pct")).astype("Float64")
    # month-on-month = enrolment (P_t − P_t−1) ÷ D_t + denominator (P_t−1 ÷ D_t − P_t−1 ÷ D_t−1)
    p_now = pd.Series(pd.array(now["participants"].tolist(), dtype="Float64"))
    d_now = pd.Series(pd.array(now["denominator"].tolist(), dtype="Float64"))
    enrol = ((p_now - before(prev, "participants")) / d_now.where(d_now.ne(0)) * 100.0).astype("Float64")
    enrol = enrol.where(now["change_mom_pp"].notna().to_numpy())
    now["change_enrolment_pp"] = enrol.astype("Float64")
    now["change_denominator_pp"] = (now["change_mom_pp"] - enrol).astype("Float64")
    is_kab = now["level"] == "kabkota"
    rank = now["coverage_pct"].where(is_kab).rank(ascending=False, method="min")
    now["rank"] = pd.array([pd.NA if pd.isna(x) else int(x) for x in rank], dtype="Int64")
    return check(COVERAGE_TABLE_SCHEMA, now[list(COVERAGE_TABLE_SCHEMA.columns)])


def coverage_series(
    data,
    region_code: str,
    end_period: str | None = None,
    months: int = 24,
    denominator: str = "eligible",
    segments=UCJ_SEGMENTS,
) -> pd.DataFrame:
    """Coverage of one region (kab/kota or province) for the ``months`` months ending at
    ``end_period`` that are in the data, oldest first (long by period: one row per month).
    Months before the first BPS year are kept with NA workers and a note.
    Schema :data:`COVERAGE_SERIES_SCHEMA`.

    A slice of :func:`coverage_panel` (every region of the province), the table the month's
    pages read (:mod:`jamsos_lib.compute.month`)."""
    if months < 1:
        raise ValueError(f"months must be >= 1, got {months}")
    end_period = data.check_period(end_period)
    region_code = str(region_code)
    if region_code not in data.registry:
        raise JamsosError(f"region {region_code!r} is not in the region registry")
    frame = coverage_panel(data, region_code[:2], end_period, months, denominator, segments)
    # rows of a frame already checked against COVERAGE_SERIES_SCHEMA (the panel) satisfy it
    return frame[frame["region_code"].to_numpy() == region_code].reset_index(drop=True)


def coverage_panel(
    data,
    province: str,
    end_period: str | None = None,
    months: int = 24,
    denominator: str = "eligible",
    segments=UCJ_SEGMENTS,
) -> pd.DataFrame:
    """Coverage of every kab/kota of ``province`` and of the province for the ``months``
    months ending at ``end_period`` that are in the data (long: one row per month and
    region, ordered by period, then kab/kota by code, then the province row). Schema
    :data:`COVERAGE_SERIES_SCHEMA`."""
    if months < 1:
        raise ValueError(f"months must be >= 1, got {months}")
    _check_denominator(denominator)
    end_period = data.check_period(end_period)
    province = str(province)
    segments = tuple(segments)
    start = shift_period(end_period, -(months - 1))
    periods = tuple(x for x in data.periods if start <= x <= end_period)
    frame = _coverage_frame(data, list(periods), denominator, province, segments, strict=False)
    return check(COVERAGE_SERIES_SCHEMA, frame)
