"""Schemas of the published reconciliation tables (what ``jamsos reconcile`` writes into
``<processed>/reconciliation/`` and what reports read back).

Counts are text after small-cell suppression (``"1234"``, ``"<10"``, ``"s"``; see
:mod:`jamsos_lib.present.privacy`); percentages computed from a hidden count are empty.
No table holds a NIK or any part of one.
"""

from __future__ import annotations

import pandera.pandas as pa

_count = pa.Column("int64", pa.Check.ge(0))
_cell = pa.Column(str, pa.Check.str_matches(r"^(\d+|<10|s)$"))

#: region_code of the total row that closes the published coverage table.
TOTAL_CODE = "total"

COVERAGE_COUNTS = [
    "reported",
    "invalid_nik",
    "duplicates",
    "moved_in",
    "moved_out",
    "corrected",
    "registered_and_domiciled",
]
OVERLAP_COUNTS = [
    "recipient_rows",
    "invalid_nik",
    "duplicate_rows",
    "recipients",
    "already_participant",
    "already_pu",
    "already_bpu",
    "already_jakon",
    "already_pmi",
    "already_unknown_segment",
    "not_participant",
]

#: Invalid rows per file and reason (rows, not persons: a data-quality table; never suppressed,
#: as it counts rows of a file, not persons of a region).
INVALID = pa.DataFrameSchema(
    {
        "file": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(["participants", "recipients"])),
        "reason": pa.Column(str),
        "rows": _count,
    },
    strict=True,
    name="reconciliation invalid rows",
)

#: Published coverage table: counts as text ("1234", "<10", "s"), a total row last.
PUBLISHED_COVERAGE = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str),
        "region_name": pa.Column(str),
        **{c: _cell for c in COVERAGE_COUNTS},
        "workers": pa.Column("Int64", nullable=True),
        "coverage_before_pct": pa.Column(float, nullable=True),
        "coverage_after_pct": pa.Column(float, nullable=True),
        "published_participants": pa.Column("Int64", nullable=True),
        "published_coverage_pct": pa.Column(float, nullable=True),
        "explanation": pa.Column(str),
    },
    strict=True,
    name="published reconciliation coverage",
)

#: Published flows: persons by NIK domicile × registration kab/kota, suppressed.
PUBLISHED_FLOWS = pa.DataFrameSchema(
    {
        "domicile_code": pa.Column(str),
        "domicile_name": pa.Column(str),
        "registration_code": pa.Column(str, nullable=True),
        "registration_name": pa.Column(str),
        "same_region": pa.Column(bool),
        "persons": _cell,
    },
    strict=True,
    name="published reconciliation flows",
)

#: Published overlaps: recipients already active participants, suppressed.
PUBLISHED_OVERLAPS = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str, nullable=True),
        "region_name": pa.Column(str),
        "programme": pa.Column(str),
        **{c: _cell for c in OVERLAP_COUNTS},
        "double_paid_rp": pa.Column(float, nullable=True),
    },
    strict=True,
    name="published reconciliation overlaps",
)

#: Notes for a region report's data-quality section, written from the suppressed tables
#: (Indonesian text, one row per note, in display order per region).
PUBLISHED_NOTES = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str),
        "severity": pa.Column(str, pa.Check.isin(["warning", "error"])),
        "message": pa.Column(str),
    },
    strict=True,
    name="published reconciliation notes",
)

#: What the reconciliation was made from, one row per list (file names scrubbed): the lists,
#: the period, the processed data it was reconciled against (its folder and the sha256 of its
#: ``manifest.json``, empty when there was none) and when. Reports use a reconciliation only
#: for that processed data and period (:func:`jamsos_lib.compute.quality.reconciliation_for`).
LISTS = pa.DataFrameSchema(
    {
        "file": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(["participants", "recipients"])),
        "sha256": pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{64}$")),
        "rows": _count,
        "period": pa.Column(str, nullable=True),
        "processed_folder": pa.Column(str, nullable=True),
        "processed_manifest_sha256": pa.Column(str, nullable=True),
        "reconciled_at": pa.Column(str),
    },
    strict=True,
    name="reconciliation lists",
)

TABLES = {
    "coverage": PUBLISHED_COVERAGE,
    "flows": PUBLISHED_FLOWS,
    "overlaps": PUBLISHED_OVERLAPS,
    "invalid_rows": INVALID,
    "notes": PUBLISHED_NOTES,
    "lists": LISTS,
}
