"""Straight-line distance from each 町丁's representative point to the nearest
通いの場, for 徒歩圏カバー率 (analysis.measures).

shapely's STRtree finds the nearest site of every point in one call (points
and sites in a local metric plane, a few metres off over a city), and the
distance to that site is then the haversine of portal.geo, so that the figure
matches what the search and the detail pages say about distance. 2,400 町丁
against 40,000 sites takes a few tens of milliseconds.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely import STRtree

from portal.geo import EARTH_RADIUS_KM

M_PER_DEG_LAT = 111_320.0


def nearest_distances_m(points: list[tuple[float, float]], sites: list[tuple[float, float]]):
    """For each (lat, lng) of ``points``, the distance in metres to the nearest
    of ``sites`` (inf when there is none)."""
    n = len(points)
    if n == 0:
        return np.zeros(0)
    if not sites:
        return np.full(n, math.inf)
    p = np.asarray(points, dtype=float)
    s = np.asarray(sites, dtype=float)
    scale = math.cos(math.radians(float(p[:, 0].mean())))

    def plane(a: np.ndarray):
        return shapely.points(a[:, 1] * scale * M_PER_DEG_LAT, a[:, 0] * M_PER_DEG_LAT)

    tree = STRtree(plane(s))
    pairs = tree.query_nearest(plane(p), all_matches=False)
    nearest = np.empty(n, dtype=int)
    nearest[pairs[0]] = pairs[1]
    return _haversine_m(p[:, 0], p[:, 1], s[nearest, 0], s[nearest, 1])


def _haversine_m(lat1, lng1, lat2, lng2):
    lat1, lng1, lat2, lng2 = (np.radians(a) for a in (lat1, lng1, lat2, lng2))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * 1000 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
