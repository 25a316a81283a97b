"""Data-quality notes for one region's report.

:func:`region_quality` returns the notes a report shows under "Catatan kualitas data": the
warnings (and errors) ``jamsos clean`` recorded in ``data.quality`` that concern the region
(rows with its code) and the month of the report or no month at all, plus file-wide notes
(no region) of the sources the report uses. ``jamsos reconcile`` adds overlap
("tumpang tindih") notes here through the same table, only when it was made against this
processed data and month (:func:`reconciliation_for`); its notes name the lists.

Returned table (:data:`REGION_QUALITY`, checked on return), one row per note, errors first:

============  =====================================================================
region_code   the region's code, or empty for a file-wide note
period        ``YYYY-MM`` the note is about, or empty when it is not about one month
severity      ``warning`` or ``error``
kind          where the note comes from: ``validation`` (``jamsos clean``) or
              ``reconciliation`` (``jamsos reconcile``: overlaps, corrected coverage)
source_id     the source the note is about (key into ``data.sources``)
file          the raw file name
message       the note, one line, as the validator wrote it (no NIK: see ``errors.safe_value``)
============  =====================================================================
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from jamsos_lib.validate.once import check

REGION_QUALITY = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str),
        "period": pa.Column(str),
        "severity": pa.Column(str, pa.Check.isin(["warning", "error"])),
        "kind": pa.Column(str),
        "source_id": pa.Column(str),
        "file": pa.Column(str),
        "message": pa.Column(str),
    },
    strict=True,
    name="region quality notes",
)

COLUMNS = list(REGION_QUALITY.columns)


def reconciliation_notes(published, region_code: str) -> pd.DataFrame:
    """Notes of a usable reconciliation (``published``: from :func:`reconciliation_for`, or
    None) about ``region_code``: overlaps, duplicates and corrected coverage, suppressed
    figures only, naming the lists and the day (kind ``reconciliation``)."""
    if published is None:
        return pd.DataFrame(columns=COLUMNS)
    from jamsos_lib.compute.reconcile import quality_notes

    rows = [
        {
            "region_code": str(region_code),
            "period": str(published.summary.get("period") or ""),
            "severity": severity,
            "kind": "reconciliation",
            "source_id": "reconciliation",
            "file": "reconciliation/summary.json",
            "message": message,
        }
        for severity, message in quality_notes(published, str(region_code))
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def reconciliation_for(data, period: str, folder: str | Path | None = None):
    """The NIK reconciliation a report of ``period`` on ``data`` may show, and why not.

    ``(published, None)``: the reconciliation in ``folder`` (default ``<data
    folder>/reconciliation``, written by ``jamsos reconcile``) as
    :class:`jamsos_lib.compute.reconcile.Published`, made against this very processed data
    (the sha256 of its ``manifest.json``) for ``period``. ``(None, reason)``: there is one,
    but it belongs to other data or another month (``reason`` says which), so it is not
    shown. ``(None, None)``: there is none.
    """
    folder = Path(folder) if folder else Path(getattr(data, "folder", "")) / "reconciliation"
    try:
        st = (folder / "summary.json").stat()
    except OSError:
        return None, None  # (without importing DuckDB)
    from jamsos_lib.compute import reconcile

    reason = reconcile.stale_reason(
        reconcile.read_summary(folder), reconcile.processed_identity(getattr(data, "folder", "")), str(period)
    )
    if reason is not None:
        return None, f"{folder}: {reason}"
    return _published(str(folder.resolve()), st.st_ino, st.st_mtime_ns), None


@lru_cache(maxsize=4)
def _published(folder: str, inode: int, mtime_ns: int):
    from jamsos_lib.compute.reconcile import load_published

    return load_published(Path(folder))


#: ``region_quality``'s default: look the reconciliation up (:func:`reconciliation_for`)
LOOK_UP = object()


def region_quality(data, region_code: str, period: str, reconciliation=LOOK_UP) -> pd.DataFrame:
    """Data-quality notes for one region and month (schema :data:`REGION_QUALITY`).
    ``reconciliation``: the :class:`~jamsos_lib.compute.reconcile.Published` to take notes
    from (None: none) when the caller looked it up once for many regions; by default the
    usable one of :func:`reconciliation_for`, a stale one left out without a word."""
    notes = regions_quality(data, [region_code], period, reconciliation).drop(columns="page_region")
    return check(REGION_QUALITY, notes)


def regions_quality(data, region_codes, period: str, reconciliation=LOOK_UP) -> pd.DataFrame:
    """:func:`region_quality` of each of ``region_codes`` at once, one region after another,
    with ``page_region`` naming the region (the month tables' ``quality``): the rows of the
    processed ``quality`` table are selected once for all regions, not once per region."""
    if reconciliation is LOOK_UP:
        reconciliation, _ = reconciliation_for(data, period)
    codes = [str(c) for c in region_codes]
    if not codes:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in [*COLUMNS, "page_region"]})
    pages = pd.DataFrame({"page_region": codes, "_page": range(len(codes))})
    q = data.quality
    code = q["region_code"].fillna("").astype(str)
    when = q["period"].fillna("").astype(str)
    keep = (code.isin(codes) | code.eq("")) & when.isin([str(period), ""])
    rows = q.loc[keep].assign(region_code=code[keep], period=when[keep], kind="validation")[COLUMNS]
    rows = rows.assign(_row=range(len(rows)), _part=0)
    file_wide = rows[rows["region_code"] == ""]
    own = rows[rows["region_code"] != ""]
    parts = [
        pages.merge(file_wide, how="cross"),  # a file-wide note goes on every page
        own.assign(page_region=own["region_code"]).merge(pages, on="page_region"),
    ]
    if reconciliation is not None:
        extra = pd.concat([reconciliation_notes(reconciliation, c) for c in codes], ignore_index=True)
        parts.append(
            extra.assign(page_region=extra["region_code"], _row=range(len(extra)), _part=1).merge(
                pages, on="page_region"
            )
        )
    notes = pd.concat(parts, ignore_index=True).sort_values(["_page", "_part", "_row"], kind="stable")
    notes["_order"] = notes["severity"].map({"error": 0, "warning": 1})
    notes = (
        notes.sort_values(
            ["_page", "_order", "region_code", "file", "message"],
            ascending=[True, True, False, True, True],
            kind="stable",
        )
        .drop_duplicates(subset=[*COLUMNS, "page_region"])
        .reset_index(drop=True)
    )
    return notes.astype({c: "str" for c in [*COLUMNS, "page_region"]})[[*COLUMNS, "page_region"]]


def illustrative(*tables: pd.DataFrame) -> bool:
    """True when any row of any table shown on a page is illustrative: its ``status``
    (coverage tables) or ``data_status`` (``targets.gap_table``) is ``"illustrative"``.
    Tables without either column count as published."""
    return any(col in t and bool((t[col] == "illustrative").any()) for t in tables for col in ("status", "data_status"))
