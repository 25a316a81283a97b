#!/usr/bin/env python3
"""Convert the kab/kota boundaries of a province, as published by cahyadsn/wilayah (SQL
inserts into ``wilayah_boundaries``; MIT licence), once into the small GeoJSON file the
package ships (``jamsos_lib/reference/jatim_kabkota.geojson``, read by
:mod:`jamsos_lib.read.boundaries`). Run from the repository root::

    .venv/bin/python tools/convert_boundaries.py ../shared/reference/geo/wilayah_boundaries_kab_35.sql \\
        [--out jamsos_lib/reference/jatim_kabkota.geojson] [--tolerance 0.002] [--min-area 2e-5]

The source rows look like ``('35.01','Kabupaten Pacitan',lat,lng,'<path>')`` where
``<path>`` is a JSON polygon (a list of rings) or multipolygon (a list of polygons), every
point ``[lat, lng]``. The output is a GeoJSON FeatureCollection, points ``[lng, lat]``
(RFC 7946), one feature per kab/kota with ``region_code`` (``3501``: the BPS code without
its dot, as in ``jamsos_lib/reference/regions.csv``), ``bps_code`` (``35.01``), ``name``
and ``label`` (a point well inside the largest part, where a map writes the region's
number), and a ``metadata`` member naming the source, its licence and these settings.

Made small for a report map about 530 px wide (~135 px a degree), and faithful at that size:

* every ring is simplified by Douglas–Peucker at ``--tolerance`` degrees (0,002° ≈ 220 m,
  about a quarter of a pixel);
* islets smaller than ``--min-area`` square degrees (2e-5 ≈ 0,25 km², under a third of a
  pixel) are left out, except the largest part of each region; holes (the kota inside a
  kabupaten) are kept;
* coordinates are rounded to 4 decimals (~11 m).

Deterministic: the same input and settings give the same bytes (tests/test_maps.py
checks the shipped file against the registry).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "jamsos_lib" / "reference" / "jatim_kabkota.geojson"
SOURCE = "cahyadsn/wilayah, db/kab/wilayah_boundaries_kab_35.sql (Kepmendagri 300.2.2-2430/2025)"
LICENCE = "MIT License, Copyright (c) 2024 Cahya DSN (see LICENSE-wilayah_boundaries beside this file)"

_ROW = re.compile(r"\('(\d{2}\.\d{2})','([^']*)',\s*(-?[\d.]+),\s*(-?[\d.]+),\s*'(\[[^']*\])'\)")


def douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """The points of the open polyline ``points`` (n × 2) that Douglas–Peucker keeps at ``tolerance``."""
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last <= first + 1:
            continue
        a, b = points[first], points[last]
        seg = b - a
        inner = points[first + 1 : last]
        length = float(np.hypot(*seg))
        if length == 0.0:
            dist = np.hypot(*(inner - a).T)
        else:
            dist = np.abs(seg[0] * (inner[:, 1] - a[1]) - seg[1] * (inner[:, 0] - a[0])) / length
        i = int(dist.argmax())
        if dist[i] > tolerance:
            k = first + 1 + i
            keep[k] = True
            stack += [(first, k), (k, last)]
    return points[keep]


def simplify_ring(ring: np.ndarray, tolerance: float) -> np.ndarray:
    """A closed ring simplified: split at the point farthest from the first, each half by
    :func:`douglas_peucker` (a closed ring's two ends are the same point)."""
    if len(ring) and np.array_equal(ring[0], ring[-1]):
        ring = ring[:-1]
    if len(ring) < 4:
        return np.vstack([ring, ring[:1]])
    far = int(np.hypot(*(ring - ring[0]).T).argmax())
    first = douglas_peucker(ring[: far + 1], tolerance)
    second = douglas_peucker(np.vstack([ring[far:], ring[:1]]), tolerance)
    return np.vstack([first, second[1:]])


def area(ring: np.ndarray) -> float:
    """Unsigned area of a ring (shoelace), in square degrees."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


def _inside(ring: np.ndarray, px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """Whether each point (px, py) lies inside ``ring`` (even-odd rule)."""
    inside = np.zeros(px.shape, dtype=bool)
    x0, y0 = ring[:-1, 0], ring[:-1, 1]
    x1, y1 = ring[1:, 0], ring[1:, 1]
    for ax, ay, bx, by in zip(x0, y0, x1, y1):
        crosses = (ay > py) != (by > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            xs = ax + (py - ay) * (bx - ax) / (by - ay)
        inside ^= crosses & (px < xs)
    return inside


def _distance_to_edges(ring: np.ndarray, px: np.ndarray, py: np.ndarray) -> np.ndarray:
    best = np.full(px.shape, np.inf)
    for (ax, ay), (bx, by) in zip(ring[:-1], ring[1:]):
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / length2, 0, 1) if length2 else np.zeros(px.shape)
        best = np.minimum(best, np.hypot(px - (ax + t * dx), py - (ay + t * dy)))
    return best


def label_point(ring: np.ndarray, holes: list[np.ndarray], steps: int = 60) -> tuple[float, float]:
    """A point well inside ``ring`` and outside its ``holes``: of a ``steps`` × ``steps``
    grid over the ring's box, the point farthest from every edge (an approximate pole of
    inaccessibility; a centroid can fall outside a bent region or inside an enclave)."""
    (x0, y0), (x1, y1) = ring.min(axis=0), ring.max(axis=0)
    px, py = np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps))
    px, py = px.ravel(), py.ravel()
    ok = _inside(ring, px, py)
    dist = _distance_to_edges(ring, px, py)
    for hole in holes:
        ok &= ~_inside(hole, px, py)
        dist = np.minimum(dist, _distance_to_edges(hole, px, py))
    dist[~ok] = -1
    i = int(dist.argmax())
    return round(float(px[i]), 4), round(float(py[i]), 4)


def parse_sql(text: str) -> list[tuple[str, str, list]]:
    """``(bps_code, name, polygons)`` per row; polygons as lists of rings of ``[lng, lat]``."""
    rows = []
    for code, name, _lat, _lng, path in _ROW.findall(text):
        shape = json.loads(path)
        depth, probe = 0, shape
        while isinstance(probe, list):
            probe, depth = probe[0], depth + 1
        if depth not in (3, 4):
            raise ValueError(f"{code}: path nested {depth} deep; expected a polygon (3) or multipolygon (4)")
        polygons = [shape] if depth == 3 else shape
        rows.append((code, name, [[[[lng, lat] for lat, lng in ring] for ring in poly] for poly in polygons]))
    return rows


def convert(text: str, tolerance: float = 0.002, min_area: float = 2e-5) -> dict:
    """The GeoJSON FeatureCollection (a dict) for the SQL ``text``."""
    features = []
    for code, name, polygons in parse_sql(text):
        parts = []
        for poly in polygons:
            rings = [np.asarray(r, dtype=float) for r in poly]
            parts.append((area(rings[0]), rings))
        largest = max(parts, key=lambda p: p[0])
        kept = []
        for size, rings in sorted(parts, key=lambda p: -p[0]):
            if size < min_area and rings is not largest[1]:
                continue
            simple = [np.round(simplify_ring(r, tolerance), 4) for r in rings]
            outer, holes = simple[0], [h for h in simple[1:] if len(h) >= 4 and area(h) >= min_area]
            if len(outer) < 4:
                continue
            kept.append([outer] + holes)
        label = label_point(kept[0][0], kept[0][1:])
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "region_code": code.replace(".", ""),
                    "bps_code": code,
                    "name": name,
                    "label": list(label),
                },
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[[[float(x), float(y)] for x, y in ring] for ring in poly] for poly in kept],
                },
            }
        )
    features.sort(key=lambda f: f["properties"]["region_code"])
    return {
        "type": "FeatureCollection",
        "metadata": {
            "source": SOURCE,
            "licence": LICENCE,
            "made_by": f"tools/convert_boundaries.py --tolerance {tolerance} --min-area {min_area}",
            "coordinates": "[lng, lat] (WGS 84), rounded to 4 decimals",
        },
        "features": features,
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("sql", type=Path, help="wilayah_boundaries_kab_XX.sql")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--tolerance", type=float, default=0.002, help="Douglas-Peucker tolerance, degrees")
    p.add_argument("--min-area", type=float, default=2e-5, help="smallest islet kept, square degrees")
    args = p.parse_args(argv)
    try:
        text = args.sql.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"{args.sql}: cannot read ({exc.strerror})", file=sys.stderr)
        return 2
    collection = convert(text, args.tolerance, args.min_area)
    if not collection["features"]:
        print(f"{args.sql}: no wilayah_boundaries rows found", file=sys.stderr)
        return 2
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
    # one feature a line: small diffs when the source changes
    body = body.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(args.out)
    points = sum(len(r) for f in collection["features"] for poly in f["geometry"]["coordinates"] for r in poly)
    print(f"{args.out}: {len(collection['features'])} regions, {points} points, {len(body.encode())} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
