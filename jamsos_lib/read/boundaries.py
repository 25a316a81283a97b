"""Kab/kota boundaries for the report maps, from the small GeoJSON files the package ships.

``jamsos_lib/reference/jatim_kabkota.geojson`` holds the 38 kab/kota of Jawa Timur,
converted once from cahyadsn/wilayah (Kepmendagri 300.2.2-2430/2025; MIT licence, kept in
``reference/LICENSE-wilayah_boundaries``) by ``tools/convert_boundaries.py``: simplified
for a report-sized map, points ``[lng, lat]``. A province without a file has no map
(:func:`has_boundaries`); its pages simply leave the map out.

:func:`load_boundaries` returns one row per kab/kota (schema :data:`BOUNDARIES`):

=============  ==========================================================================
region_code    ``"3501"``: the BPS code without its dot, the registry's key (joins on it)
bps_code       ``"35.01"``, as the source writes it
name           the source's name (``Kabupaten Pacitan``)
label_lng/lat  a point well inside the region's largest part, for its number on a map
parts          tuple of polygons; a polygon is a tuple of rings (outer first, then holes),
               each an ``(n, 2)`` float array of ``[lng, lat]``, closed (first = last)
=============  ==========================================================================
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from jamsos_lib import paths
from jamsos_lib.errors import InputError, Problem
from jamsos_lib.read.result import check_schema

#: the boundary file of each province that has one
FILES = {"35": paths.REFERENCE / "jatim_kabkota.geojson"}


def _parts_ok(value) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) > 0
        and all(
            isinstance(poly, tuple)
            and poly
            and all(isinstance(r, np.ndarray) and r.ndim == 2 and r.shape[1] == 2 and len(r) >= 4 for r in poly)
            for poly in value
        )
    )


BOUNDARIES = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str, pa.Check.str_matches(r"^\d{4}$")),
        "bps_code": pa.Column(str, pa.Check.str_matches(r"^\d{2}\.\d{2}$")),
        "name": pa.Column(str),
        "label_lng": pa.Column(float, pa.Check.in_range(94.0, 142.0)),
        "label_lat": pa.Column(float, pa.Check.in_range(-11.5, 6.5)),
        "parts": pa.Column(
            object,
            pa.Check(
                lambda s: s.map(_parts_ok), element_wise=False, error="a tuple of polygons of closed [lng, lat] rings"
            ),
        ),
    },
    unique=["region_code"],
    strict=True,
    name="boundaries",
)


def has_boundaries(province_code: str) -> bool:
    """Whether the package ships boundaries for ``province_code``."""
    path = FILES.get(str(province_code)[:2])
    return path is not None and path.exists()


def load_boundaries(province_code: str = "35", path: str | Path | None = None) -> pd.DataFrame:
    """The kab/kota boundaries of ``province_code`` (or of the GeoJSON file ``path``), one
    row per kab/kota, schema :data:`BOUNDARIES`. Read once per process (the frame is
    shared: do not modify it). Raises :class:`InputError` for a missing or bad file."""
    if path is None:
        if str(province_code)[:2] not in FILES:
            raise InputError(Problem(str(paths.REFERENCE), f"a boundary file for province {province_code}"))
        path = FILES[str(province_code)[:2]]
    return _load(str(Path(path).resolve()))


@lru_cache(maxsize=4)
def _load(path: str) -> pd.DataFrame:
    where = Path(path).name
    try:
        collection = json.loads(Path(path).read_text(encoding="utf-8"))
        features = collection["features"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(Problem(where, f"a GeoJSON FeatureCollection ({type(exc).__name__})")) from None
    rows, problems = [], []
    for i, feature in enumerate(features, start=1):
        try:
            props, geometry = feature["properties"], feature["geometry"]
            coords = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            parts = tuple(tuple(np.asarray(ring, dtype=float) for ring in poly) for poly in coords)
            rows.append(
                {
                    "region_code": str(props["region_code"]),
                    "bps_code": str(props["bps_code"]),
                    "name": str(props["name"]),
                    "label_lng": float(props["label"][0]),
                    "label_lat": float(props["label"][1]),
                    "parts": parts,
                }
            )
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            problems.append(
                Problem(
                    where,
                    "a feature with region_code, bps_code, name, label and a (Multi)Polygon",
                    row=i,
                    column=str(exc),
                    value=None,
                    show_value=False,
                )
            )
    if problems:
        raise InputError(problems)
    return check_schema(pd.DataFrame(rows, columns=list(BOUNDARIES.columns)), BOUNDARIES, where)
