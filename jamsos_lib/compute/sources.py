"""The sources a page's figures actually come from.

:func:`used_sources` keeps the rows of ``sources.parquet`` whose ``source_id`` is carried by
a row the page uses: the participants, workers, eligibility, denominators and programmes of
the page's regions, the targets of those regions and the national ones, and the contribution
rates. A region page then lists its own sources, never another region's (a file that only
holds Kab. Trenggalek's published figures is not a source of Kota Surabaya's page).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: tables whose rows belong to one region (``region_code``)
REGIONAL = ("participants", "workers", "eligibility", "denominators", "programmes")


def used_sources(data, region_codes: Iterable[str]) -> pd.DataFrame:
    """The rows of ``data.sources`` (same columns) used by figures about ``region_codes``
    (kab/kota and/or province codes), in their original order."""
    codes = {str(c) for c in region_codes}
    ids: set[str] = set()
    for name in REGIONAL:
        frame = getattr(data, name)
        ids.update(frame.loc[frame["region_code"].astype(str).isin(codes), "source_id"].dropna().astype(str))
    targets = data.targets
    ids.update(targets.loc[targets["region_code"].astype(str).isin(codes) | (targets["scope"] == "national"),
                           "source_id"].dropna().astype(str))
    ids.update(data.rates["source_id"].dropna().astype(str))
    sources = data.sources
    return sources[sources["source_id"].astype(str).isin(ids)]
