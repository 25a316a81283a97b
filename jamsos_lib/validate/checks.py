"""Cross-table checks on the combined tables of all raw files (run by ``jamsos clean`` and,
per file, by ``jamsos validate``).

- :func:`combine`: stack one table from several files. For a key present in more than one
  file, a ``published`` row overrides ``illustrative`` rows (recorded as a note); two rows of
  the same status for the same key are an error naming both files.
- :func:`check_known_regions`: region codes of workers/participants/eligibility are in the registry.
- :func:`check_workers_complete`: every kab/kota of the province has a worker count for
  every BPS year present (a missing one is an error naming it).
- :func:`check_participants_complete`: the months form an unbroken series (a gap is an error
  naming the missing months) and every kab/kota has participants in every month.
  These two are for ``jamsos validate`` of one complete province table (a BPS static table,
  a branch spreadsheet); ``jamsos clean`` runs only the first, per file and only for the
  years a file gives the province total of (such a table claims to be the whole province):
  partial inputs (one regency, some months, province totals) load, and completeness is a
  question for each report (a page for a region and month without data says so).
- :func:`check_plausible`: no count can exceed the people who live in the region. A kab/kota's
  (or the province's) BPS workers above its population in the region registry
  (``jamsos_lib/reference/regions.csv``: Dukcapil, semester II 2024), or a kab/kota's
  participants in a month (all segments) above that population, is an **error** naming the
  region, the period and both figures: workers are residents aged 15+, and participants are
  counted by KTP domicile, so either above the population is a broken figure or a unit error
  (thousands read as persons), never a statistic. (Population grows about 1% a year and
  worker shares are around 50%, so the 2024 population is a safe ceiling for earlier years.)
  A region without a population in the registry is checked against :data:`MAX_COUNT` only.
- :func:`check_participants_vs_workers`: participants above BPS workers is a **warning**
  naming the region: UCJ counts participants by KTP domicile, so a regional centre can
  legitimately exceed its resident workers. Workers of the period's year are used, or the
  latest earlier BPS year when that year is not published yet. A published ``TOTAL`` is
  the region's count when present (never added to its segments).
- :func:`check_totals_vs_segments`: a published ``TOTAL`` that differs from the sum of the
  same month's PU + BPU + JAKON (all three present) is a **warning** naming both figures.

Problems about one region and month are :class:`RegionProblem` so that the quality table
can carry ``region_code``/``period``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jamsos_lib.errors import Problem
from jamsos_lib.read.cells import MAX_COUNT
from jamsos_lib.regions import RegionRegistry

#: Key columns per table for the duplicate check; tables without a key are simply stacked.
KEYS = {
    "workers": ["region_code", "year"],
    "participants": ["period", "region_code", "segment"],
    "eligibility": ["region_code", "year"],
    "denominators": ["region_code", "year"],
    "targets": ["scope", "region_code", "year", "series"],
}
_REGION_TABLES = ("workers", "participants", "eligibility", "denominators")


@dataclass(frozen=True)
class RegionProblem(Problem):
    """A problem about one region (and month), for the quality table."""

    region_code: str | None = None
    period: str | None = None


def _fmt(n: int) -> str:
    return f"{int(n):,}".replace(",", ".")


def _files(frame: pd.DataFrame) -> str:
    return ", ".join(sorted(frame["source_id"].astype(str).unique()))


def _first_file(frame: pd.DataFrame) -> str:
    """The file a problem is filed under (a Problem names one file; messages list the others)."""
    return sorted(frame["source_id"].astype(str).unique())[0]


def _also(frame: pd.DataFrame) -> str:
    files = sorted(frame["source_id"].astype(str).unique())
    return f" (files: {', '.join(files)})" if len(files) > 1 else ""


def combine(name: str, parts: list[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """Stack ``parts`` of table ``name``; resolve duplicates by status (see module docstring).

    Returns the combined table, the errors and the notes (published overrides)."""
    parts = [p for p in parts if p is not None and len(p)]
    if not parts:
        return pd.DataFrame(), [], []
    frame = pd.concat(parts, ignore_index=True)
    key = KEYS.get(name)
    if not key:
        return frame, [], []
    problems: list[Problem] = []
    notes: list[str] = []
    dup_mask = frame.duplicated(key, keep=False)
    if not dup_mask.any():
        return frame, problems, notes
    drop: list[int] = []
    for values, group in frame[dup_mask].groupby(key, sort=True):
        values = values if isinstance(values, tuple) else (values,)
        label = ", ".join(f"{k}={v}" for k, v in zip(key, values))
        published = group[group["status"] == "published"]
        illustrative = group[group["status"] == "illustrative"]
        for status_rows in (published, illustrative):
            if len(status_rows) > 1:
                problems.append(
                    Problem(
                        _first_file(status_rows),
                        f"one {status_rows['status'].iloc[0]} row per key in table '{name}'; {label} is in "
                        f"{len(status_rows)} files: {_files(status_rows)} (remove one, or mark one illustrative)",
                    )
                )
        if len(published) == 1 and len(illustrative) >= 1:
            drop.extend(illustrative.index)
            notes.append(
                f"{name}: {label}: the published row of {published['source_id'].iloc[0]} replaces the "
                f"illustrative row of {_files(illustrative)}"
            )
    frame = frame.drop(index=drop).reset_index(drop=True)
    return frame, problems, notes


def check_known_regions(name: str, frame: pd.DataFrame, registry: RegionRegistry) -> list[Problem]:
    if frame is None or not len(frame) or "region_code" not in frame:
        return []
    problems = []
    for code, group in frame[~frame["region_code"].isin(list(registry.table["region_code"]))].groupby("region_code"):
        problems.append(
            RegionProblem(
                _first_file(group),
                f"a region code in the registry (table '{name}' has {len(group)} rows for unknown code {code})",
                region_code=str(code),
            )
        )
    return problems


def _provinces_of(codes, registry: RegionRegistry) -> list[str]:
    out = set()
    for code in codes:
        if code in registry:
            out.add(registry.region(code).province_code)
    return sorted(out)


def check_workers_complete(
    workers: pd.DataFrame, registry: RegionRegistry, *, with_total_only: bool = False
) -> list[Problem]:
    """Every kab/kota of each province present has a count for every year present.
    ``with_total_only``: only the years and provinces whose total row the table has (``jamsos
    clean`` runs it per file: a table with the province total claims to be the province's)."""
    if workers is None or not len(workers):
        return []
    problems = []
    for year, rows in workers.groupby("year", sort=True):
        have = set(rows["region_code"])
        provinces = _provinces_of(workers["region_code"].unique(), registry)
        if with_total_only:
            provinces = [p for p in provinces if p in have]
        for prov in provinces:
            for code in registry.kabkota_codes(prov):
                if code not in have:
                    problems.append(
                        RegionProblem(
                            _first_file(rows),
                            f"a worker count for {registry.official_name(code)} ({code}) for {year}: "
                            f"every kab/kota of {registry.official_name(prov)} must be present for every "
                            f"BPS year (it is missing or nil){_also(rows)}",
                            region_code=code,
                            period=str(year),
                        )
                    )
    return problems


def _month_range(first: str, last: str) -> list[str]:
    return [p.strftime("%Y-%m") for p in pd.period_range(first, last, freq="M")]


def check_participants_complete(participants: pd.DataFrame, registry: RegionRegistry) -> list[Problem]:
    """No month gaps between the first and last month; every kab/kota in every month."""
    if participants is None or not len(participants):
        return []
    problems = []
    months = sorted(participants["period"].unique())
    expected = _month_range(months[0], months[-1])
    gaps = [m for m in expected if m not in set(months)]
    if gaps:
        problems.append(
            Problem(
                _first_file(participants),
                f"participation data for every month from {months[0]} to {months[-1]}; "
                f"missing: {'; '.join(gaps)}{_also(participants)}",
            )
        )
    provinces = _provinces_of(participants["region_code"].unique(), registry)
    for period, rows in participants.groupby("period", sort=True):
        have = set(rows["region_code"])
        for prov in provinces:
            for code in registry.kabkota_codes(prov):
                if code not in have:
                    problems.append(
                        RegionProblem(
                            _first_file(rows),
                            f"participants for {registry.official_name(code)} ({code}) in {period}: "
                            f"every kab/kota must be present in every month (it is missing){_also(rows)}",
                            region_code=code,
                            period=str(period),
                        )
                    )
    return problems


def _ceiling(code: str, registry: RegionRegistry) -> tuple[int, str]:
    """The largest plausible count of persons for a region, and what it is."""
    population = registry.region(code).population if code in registry else None
    if population is None:
        return MAX_COUNT, "the 300.000.000 that no region can exceed"
    return population, f"its {_fmt(population)} inhabitants (region registry, Dukcapil semester II 2024)"


def check_plausible(
    workers: pd.DataFrame | None, participants: pd.DataFrame | None, registry: RegionRegistry
) -> list[Problem]:
    """An error per region and year/month whose count is above its population (see module docstring)."""
    problems: list[Problem] = []
    checks = []
    if workers is not None and len(workers):
        checks.append(
            (
                "workers",
                "BPS workers",
                workers,
                workers[["region_code", "year", "workers"]].rename(columns={"year": "period", "workers": "count"}),
            )
        )
    if participants is not None and len(participants):
        totals = region_totals(participants)  # a published TOTAL, else the sum of the segments
        checks.append(
            (
                "participants",
                "participants (all segments)",
                participants,
                totals.rename(columns={"participants": "count"}),
            )
        )
    for table, what, frame, counts in checks:
        for r in counts.itertuples(index=False):
            ceiling, reason = _ceiling(r.region_code, registry)
            if r.count <= ceiling:
                continue
            name = registry.official_name(r.region_code) if r.region_code in registry else r.region_code
            key = "year" if table == "workers" else "period"
            src = _first_file(frame[(frame[key] == r.period) & (frame["region_code"] == r.region_code)])
            problems.append(
                RegionProblem(
                    src,
                    f"{name} ({r.region_code}), {r.period}: {_fmt(r.count)} {what} is more than {reason}; a count "
                    "cannot exceed the people who live there (check the figure, or whether the table is in "
                    "thousands)",
                    region_code=r.region_code,
                    period=str(r.period),
                )
            )
    return problems


def check_participants_vs_workers(
    participants: pd.DataFrame, workers: pd.DataFrame, registry: RegionRegistry
) -> list[Problem]:
    """A warning per region and month where participants exceed BPS workers."""
    if participants is None or workers is None or not len(participants) or not len(workers):
        return []
    totals = region_totals(participants)
    by_region = {code: rows.set_index("year")["workers"].sort_index() for code, rows in workers.groupby("region_code")}
    problems = []
    for r in totals.itertuples(index=False):
        series = by_region.get(r.region_code)
        if series is None:
            continue
        year = int(str(r.period)[:4])
        earlier = series[series.index <= year]
        if not len(earlier):
            continue
        w_year, w = int(earlier.index[-1]), int(earlier.iloc[-1])
        if r.participants > w:
            name = registry.official_name(r.region_code) if r.region_code in registry else r.region_code
            src = _first_file(
                participants[(participants["period"] == r.period) & (participants["region_code"] == r.region_code)]
            )
            problems.append(
                RegionProblem(
                    src,
                    f"{name} ({r.region_code}), {r.period}: {_fmt(r.participants)} participants is more than the "
                    f"{_fmt(w)} BPS workers of {w_year} (possible: UCJ counts participants by KTP domicile; check "
                    "the figures)",
                    severity="warning",
                    region_code=r.region_code,
                    period=str(r.period),
                )
            )
    return problems


def region_totals(participants: pd.DataFrame) -> pd.DataFrame:
    """``period, region_code, participants``: the published ``TOTAL`` where a region and
    month has one, else the sum of its segments."""
    is_total = participants["segment"].eq("TOTAL")
    seg = participants[~is_total].groupby(["period", "region_code"], as_index=False)["participants"].sum()
    tot = participants[is_total][["period", "region_code", "participants"]]
    seg = seg.merge(tot[["period", "region_code"]], how="left", indicator=True)
    seg = seg[seg["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([tot, seg], ignore_index=True)


def check_totals_vs_segments(participants: pd.DataFrame, registry: RegionRegistry) -> list[Problem]:
    """A warning where a published TOTAL differs from PU + BPU + JAKON of the same month."""
    if participants is None or not len(participants) or not participants["segment"].eq("TOTAL").any():
        return []
    wide = participants.pivot_table(
        index=["period", "region_code"], columns="segment", values="participants", aggfunc="sum"
    )
    need = ["TOTAL", "PU", "BPU", "JAKON"]
    if not set(need) <= set(wide.columns):
        return []
    wide = wide.dropna(subset=need)
    problems = []
    for (period, code), r in wide.iterrows():
        parts = int(r["PU"] + r["BPU"] + r["JAKON"])
        if int(r["TOTAL"]) != parts:
            name = registry.official_name(code) if code in registry else code
            src = _first_file(participants[(participants["period"] == period) & (participants["region_code"] == code)])
            problems.append(
                RegionProblem(
                    src,
                    f"{name} ({code}), {period}: the TOTAL {_fmt(r['TOTAL'])} to equal PU + BPU + JAKON "
                    f"({_fmt(parts)}); coverage uses the TOTAL",
                    severity="warning",
                    region_code=code,
                    period=str(period),
                )
            )
    return problems


def run_checks(
    tables: dict[str, pd.DataFrame], registry: RegionRegistry, *, completeness: bool = False
) -> list[Problem]:
    """All cross-table checks on combined tables; errors and warnings together.
    ``completeness`` (``jamsos validate`` of a complete province table only) adds the
    every-region/every-month checks."""
    problems: list[Problem] = []
    for name in _REGION_TABLES:
        problems += check_known_regions(name, tables.get(name), registry)
    if completeness:
        problems += check_workers_complete(tables.get("workers"), registry)
        problems += check_participants_complete(tables.get("participants"), registry)
    problems += check_plausible(tables.get("workers"), tables.get("participants"), registry)
    problems += check_totals_vs_segments(tables.get("participants"), registry)
    problems += check_participants_vs_workers(tables.get("participants"), tables.get("workers"), registry)
    return problems
