"""Tier-2 boundaries made from the 町丁 of each 圏域.

With the 町丁's polygons (e-Stat 小地域 boundaries) a 圏域 is their union; with
points only (the 小地域 table, 位置参照情報) each 町丁 gets the Voronoi cell of
its point inside its tier-1 area (the land nearer to it than to any other 町丁
of that area), and a 圏域 is the union of its 町丁's cells. Either way the
result is cut to the tier-1 area, made valid and rounded to 1e-6 degrees
(about 10 cm), so that every boundary is a valid polygon inside the city.
"""

from __future__ import annotations

import shapely
from shapely.geometry import MultiPoint
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from resources.citysetup.chome import Chome

GRID = 1e-6  # degrees


def polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    """The polygons of ``geom``, valid and on the grid; None when nothing is left."""
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [
        g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    if not parts:
        return None
    geom = shapely.set_precision(unary_union(parts), GRID)
    parts = [
        g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    if not parts:
        return None
    geom = unary_union(parts)
    return None if geom.is_empty else geom


def voronoi_cells(chome: list[Chome], area: BaseGeometry) -> dict[str, BaseGeometry]:
    """Each 町丁's cell (by its code) inside ``area``; 町丁 at one spot share a cell."""
    spots: dict[tuple[float, float], list[str]] = {}
    for item in chome:
        spots.setdefault((round(item.row.lng, 7), round(item.row.lat, 7)), []).append(item.row.code)
    if not spots:
        return {}
    if len(spots) == 1:
        (codes,) = spots.values()
        return {code: area for code in codes}
    points = list(spots)
    envelope = area.envelope.buffer(0.05)
    regions = shapely.voronoi_polygons(MultiPoint(points), extend_to=envelope, ordered=True)
    cells: dict[str, BaseGeometry] = {}
    for spot, region in zip(points, regions.geoms, strict=True):
        cell = region.intersection(area)
        for code in spots[spot]:
            cells[code] = cell
    return cells


def district_shapes(
    members: dict[str, list[Chome]],
    tier1: BaseGeometry,
    all_chome: list[Chome],
    *,
    use_polygons: bool,
) -> dict[str, BaseGeometry | None]:
    """The boundary of each 圏域 (by key) of one tier-1 area; ``all_chome`` are the
    町丁 of that area (those of no 圏域 too: their cells are not given away)."""
    if use_polygons:
        pieces = {
            key: [c.row.shape for c in items if c.row.shape is not None]
            for key, items in members.items()
        }
        return {
            key: polygonal(unary_union(shapes).intersection(tier1)) if shapes else None
            for key, shapes in pieces.items()
        }
    cells = voronoi_cells(all_chome, tier1)
    return {
        key: polygonal(unary_union([cells[c.row.code] for c in items if c.row.code in cells]))
        for key, items in members.items()
    }
