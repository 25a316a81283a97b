"""The scenario and calibration tables of a page, for a :class:`~jamsos_lib.reports.params.ReportContext`.

Thin adapters: the domain code is :mod:`jamsos_lib.compute.scenarios` (plain inputs), shared
with the month tables (:mod:`jamsos_lib.compute.month`) and ``jamsos subsidy``.

When the page's context carries the month's tables (``ctx.month``, from the notebook's
``tables_dir`` parameter) every function here slices them, so a page reads the figures the
month computed once; without them (a notebook run on its own, the subsidy notebook's own
budget, rate, months or target) it computes the same figures with the same functions.
"""

from __future__ import annotations

import pandas as pd

from jamsos_lib.compute import coverage as _coverage
from jamsos_lib.compute import quality as _quality
from jamsos_lib.compute import scenarios
from jamsos_lib.compute import targets as _targets
from jamsos_lib.compute.scenarios import CALIBRATION_COLUMNS, Contribution

__all__ = [
    "CALIBRATION_COLUMNS",
    "official_package",
    "contribution",
    "region_scenarios",
    "region_calibrations",
    "coverage",
    "series",
    "gap",
    "quality_notes",
    "citations",
]

SERIES_MONTHS = 24


def _province_table(ctx, name: str, compute) -> pd.DataFrame:
    """Rows of month table ``name`` of the page's province, or ``compute(data, period,
    denominator, province=...)`` without month tables."""
    if ctx.month is None:
        return compute(ctx.data, ctx.period, ctx.denominator, province=ctx.province_code)
    frame = ctx.month[name]
    return frame[frame["region_code"].str[:2].to_numpy() == ctx.province_code].reset_index(drop=True)


def coverage(ctx) -> pd.DataFrame:
    """Coverage of the page's province and its kab/kota (``coverage.coverage_table``)."""
    return _province_table(ctx, "coverage", _coverage.coverage_table)


def gap(ctx) -> pd.DataFrame:
    """Gap to target of the page's province and its kab/kota (``targets.gap_table``)."""
    return _province_table(ctx, "gap", _targets.gap_table)


def series(ctx) -> pd.DataFrame:
    """The page region's 24 months (``coverage.coverage_series``)."""
    if ctx.month is not None:
        panel = ctx.month["panel"]
        return panel[panel["region_code"].to_numpy() == ctx.region_code].reset_index(drop=True)
    return _coverage.coverage_series(
        ctx.data, ctx.region_code, ctx.period, months=SERIES_MONTHS, denominator=ctx.denominator
    )


def quality_notes(ctx) -> pd.DataFrame:
    """The page region's data-quality notes (``quality.region_quality``)."""
    if ctx.month is not None:
        return ctx.month.region("quality", ctx.region_code).drop(columns="page_region")
    return _quality.region_quality(ctx.data, ctx.region_code, ctx.period)


def official_package(ctx) -> Contribution:
    """The BPU JKK + JKM package in force in the page's month."""
    return scenarios.official_package(ctx.data, ctx.period)


def contribution(ctx) -> Contribution:
    return scenarios.contribution(ctx.data, ctx.period, scenarios.Options.of(ctx.extra))


def region_scenarios(ctx, gap: pd.DataFrame) -> pd.DataFrame:
    """:func:`jamsos_lib.compute.scenarios.region_scenarios` for the page's region, month and options."""
    options = scenarios.Options.of(ctx.extra)
    if ctx.month is not None and options == scenarios.DEFAULT:
        return ctx.month.region("scenarios", ctx.region_code)
    return scenarios.region_scenarios(ctx.data, ctx.region_code, ctx.period, gap, options)


def region_calibrations(ctx) -> pd.DataFrame:
    """:func:`jamsos_lib.compute.scenarios.region_calibrations` for the page's region and month."""
    if ctx.month is not None:
        return ctx.month.region("calibrations", ctx.region_code).reindex(columns=CALIBRATION_COLUMNS)
    return scenarios.region_calibrations(ctx.data, ctx.region_code, ctx.period)


def citations(ctx, coverage: pd.DataFrame, gap: pd.DataFrame, series: pd.DataFrame | None = None) -> list[tuple]:
    """What the page's figures cite, for :func:`jamsos_lib.compute.sources.cited_sources`:
    ``(what, reference, region name, month or year, estimated)``. A kab/kota page: its
    participants and denominators (the 24 months of ``series``, else the month's), its target
    chain, the rates of its scenarios and its programmes; the province page: every kab/kota's
    and the province's figures of the month and targets, and the official package its
    costs use."""
    registry = ctx.data.registry

    def name(code) -> str:
        try:
            return registry.region(str(code)).short_name
        except Exception:  # noqa: BLE001  ("00": national, not a region of the registry)
            return ""

    own = not ctx.region.is_province
    out: list[tuple] = []
    rows = series if series is not None else coverage[coverage["region_code"] == ctx.region_code] if own else coverage
    for r in _columns(rows, _FIGURE_COLUMNS).itertuples(index=False):
        where, when = name(r.region_code), getattr(r, "period", ctx.period)
        if not _is_na(r.participants):
            out.append(("participants", r.participants_source, where, when, r.participants_status == "illustrative"))
        if not _is_na(r.denominator):
            out.append(("denominator", r.denominator_source, where, when, r.denominator_status == "illustrative"))
    chain = gap[gap["region_code"] == ctx.region_code] if own else gap
    targets = ctx.data.targets
    for r in _columns(chain, _TARGET_COLUMNS).itertuples(index=False):
        if r.target_source_url:
            out.append(("target", r.target_source_url, name(r.region_code), r.target_year, False))
        if getattr(r, "long_term_target_source_url", ""):
            out.append(("target", r.long_term_target_source_url, name(r.region_code), r.long_term_target_year, False))
    if len(chain) and not _is_na(chain["target_year"].max()):
        year, province = int(chain["target_year"].max()), ctx.province_code
        above = targets[
            (targets["year"] == year)
            & (
                ((targets["scope"] == "province") & (targets["region_code"] == province))
                | (targets["scope"] == "national")
            )
        ]
        documents = set(chain.get("province_target_document", [])) | set(chain.get("national_target_document", []))
        for r in above[above["document"].isin(documents)].itertuples(index=False):
            out.append(("target", r.source_url or r.source_id, name(r.region_code), r.year, False))
    package = official_package(ctx)
    rates = {url.strip() for url in package.source_url.split(";")}
    if not any(rates):  # the package's rates carry no address: cite their files
        used = ctx.data.rates[(ctx.data.rates["segment"] == "BPU") & ctx.data.rates["program"].isin(package.components)]
        rates = set(used["source_id"].astype(str))
    if own:
        rates |= set(region_scenarios(ctx, gap)["rate_source_url"])
        for r in region_calibrations(ctx).itertuples(index=False):
            out.append(("programme", r.source_url, name(ctx.region_code), r.year, False))
    out += [("rate", url, "", None, False) for url in sorted(rates) if url]
    return out


#: the columns :func:`citations` reads of a coverage table or series and of a gap table
_FIGURE_COLUMNS = (
    "region_code",
    "period",
    "participants",
    "participants_source",
    "participants_status",
    "denominator",
    "denominator_source",
    "denominator_status",
)
_TARGET_COLUMNS = (
    "region_code",
    "target_source_url",
    "target_year",
    "long_term_target_source_url",
    "long_term_target_year",
)


def _columns(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """``frame``'s columns of ``names`` that it has (rows as tuples of a few columns, not of
    the ~40 of a month table: ~8 ms a page on a national month)."""
    return frame[[c for c in names if c in frame.columns]]


def _is_na(value) -> bool:
    return value is None or bool(pd.isna(value))
