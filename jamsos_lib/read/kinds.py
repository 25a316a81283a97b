"""Which reader reads which ``kind`` of raw file, and telling the kind from content.

The kind normally comes from the provenance sidecar; :func:`sniff_kind` tells it from the
content for ``jamsos validate`` on a file without a sidecar: a CSV by its header row (the
long BPJS template or one of the reference templates), an xlsx/csv by a ``Kantor Cabang``
header (branch spreadsheet) or a ``Kabupaten/Kota`` header with year columns (BPS table).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Callable

from jamsos_lib.errors import InputError, Problem
from jamsos_lib.read import bpjs, bps, denominators, reference
from jamsos_lib.read.cells import load_grids
from jamsos_lib.read.result import ReadResult

#: kind -> reader(path, *, registry, provenance, display) -> ReadResult
READERS: dict[str, Callable[..., ReadResult]] = {
    "bps_workers": bps.read_bps_workers,
    "bpjs_branch": bpjs.read_bpjs_branch,
    "bpjs_long": bpjs.read_bpjs_long,
    "targets": partial(reference.read_reference, "targets"),
    "rates": partial(reference.read_reference, "rates"),
    "programmes": partial(reference.read_reference, "programmes"),
    "eligibility": partial(reference.read_reference, "eligibility"),
    "denominators": denominators.read_denominators,
}

#: kinds whose file is a complete table of the province (checked for missing regions/months alone)
COMPLETE_KINDS = ("bps_workers", "bpjs_branch")

_REFERENCE_MARKERS = {
    "targets": "target_pct",
    "rates": "legal_basis",
    "programmes": "budget_rp",
    "eligibility": "eligible_share",
    "denominators": "sakernas_year",
}


def sniff_kind(path: str | Path, display: str | None = None) -> str:
    """The kind of a raw file from its content; :class:`InputError` if it cannot tell."""
    display = display or str(path)
    grids = load_grids(path, display)
    first = grids[0]
    if Path(path).suffix.lower() == ".csv" and first.rows:
        header = [t.strip().lower() for t in first.texts(first.rows[0][1])]
        if {"period", "region_code", "segment", "active_participants"} <= set(header):
            return "bpjs_long"
        for kind, marker in _REFERENCE_MARKERS.items():
            if marker in header:
                return kind
    for grid in grids:
        if bpjs.find_header(grid) is not None:
            return "bpjs_branch"
    for grid in grids:
        if bps.find_layout(grid) is not None:
            return "bps_workers"
    raise InputError(
        Problem(
            display,
            "a known layout: a BPS table (a 'Kabupaten/Kota' header with years), a branch "
            "spreadsheet (a 'Kantor Cabang | Kabupaten/Kota | PU | …' header), the long CSV "
            "'period,region_code,segment,active_participants' or a reference CSV template "
            "(see data/raw/README.md); or add a .meta.yml sidecar naming its kind",
        )
    )
