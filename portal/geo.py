"""Location helpers without GeoDjango: GeoJSON shapes, distances, area assignment.

Area assignment (DESIGN.md): by address through the 町丁 table first, point in
polygon second, nearest area third. ``locator()`` keeps the areas and address
points in memory so that an import of thousands of rows does not query per row;
it follows the data version (portal/cache.py) like every value kept in a process.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import shapely
from django.utils.translation import gettext
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points
from shapely.strtree import STRtree

from portal.cache import data_changed, versioned_value
from portal.text import address_key, normalize_address

EARTH_RADIUS_KM = 6371.0088
OAZA = "大字"
WALKING_METERS_PER_MINUTE = 80  # 不動産の表示に関する公正競争規約: 徒歩1分 = 80 m


def shape_of(geojson: dict) -> BaseGeometry:
    geometry = geojson.get("geometry", geojson) if isinstance(geojson, dict) else geojson
    return shape(geometry)


def boundary_error(geojson: object) -> str | None:
    """A Japanese message when ``geojson`` is not a usable area boundary, else None."""
    if not isinstance(geojson, dict):
        return gettext("境界は GeoJSON のオブジェクトで入力してください。")
    geometry = geojson.get("geometry", geojson)
    if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        return gettext("境界は Polygon か MultiPolygon にしてください。")
    try:
        geom = shape(geometry)
    except Exception:
        return gettext("境界の座標を読み取れません。")
    if geom.is_empty:
        return gettext("境界が空です。")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        return gettext("境界の座標が範囲外です（経度・緯度の順になっているか確認してください）。")
    return None


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def walking_minutes(km: float) -> int:
    return max(1, math.ceil(km * 1000 / WALKING_METERS_PER_MINUTE))


def km_outside(geom: BaseGeometry, lat: float, lng: float) -> float:
    """How far (km) the point lies outside ``geom``; 0 inside."""
    point = Point(lng, lat)
    if geom.covers(point):
        return 0.0
    nearest = nearest_points(geom, point)[0]
    return haversine_km(lat, lng, nearest.y, nearest.x)


@dataclass
class _PointEntry:
    key: str
    point_id: int
    lat: float
    lng: float
    area_id: int | None


@dataclass
class Match:
    area_id: int | None
    lat: float | None = None
    lng: float | None = None
    address_point_id: int | None = None
    method: str = ""


@dataclass
class Locator:
    """In-memory index of areas and 町丁 for assigning areas and geocoding addresses."""

    tier1: dict[int, BaseGeometry] = field(default_factory=dict)
    tier2: dict[int, BaseGeometry] = field(default_factory=dict)
    centroids: dict[int, tuple[float, float, int]] = field(default_factory=dict)
    tier1_of: dict[int, int] = field(default_factory=dict)
    wards: dict[str, list[_PointEntry]] = field(default_factory=dict)
    names: dict[str, list[_PointEntry]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._trees: dict[int, tuple[STRtree, list[int]]] = {}

    @classmethod
    def build(cls) -> Locator:
        from portal.models import AddressPoint, Area

        locator = cls()
        for area in Area.objects.only(
            "id", "tier", "parent_id", "boundary", "centroid_lat", "centroid_lng"
        ).iterator():
            locator.tier1_of[area.id] = area.parent_id if area.tier == 2 else area.id
            if area.boundary:
                geom = shape_of(area.boundary)
                shapely.prepare(geom)
                (locator.tier1 if area.tier == 1 else locator.tier2)[area.id] = geom
            if area.centroid_lat is not None and area.centroid_lng is not None:
                locator.centroids[area.id] = (area.centroid_lat, area.centroid_lng, area.tier)
        for point in AddressPoint.objects.values_list(
            "id", "city", "ward", "normalized_name", "lat", "lng", "area_id"
        ).iterator():
            point_id, city, ward, name_key, lat, lng, area_id = point
            # A city without wards (川口市, 港区) is its own "ward": the 町丁
            # name follows the city's name in an address.
            ward_key = normalize_address(ward or city)
            keys = [name_key]
            if name_key.startswith(OAZA) and len(name_key) > len(OAZA):
                # 大字赤山 is written 赤山 in most addresses.
                keys.append(name_key[len(OAZA) :])
            for key in keys:
                entry = _PointEntry(key, point_id, lat, lng, area_id)
                locator.wards.setdefault(ward_key, []).append(entry)
                locator.names.setdefault(key, []).append(entry)
        return locator

    def match_address(self, address: str) -> _PointEntry | None:
        """The 町丁 an address lies in, by the longest 町丁 name it contains."""
        key = address_key(address)
        if not key:
            return None
        for ward_key, entries in self.wards.items():
            if ward_key and ward_key in key:
                rest = key[key.index(ward_key) + len(ward_key) :]
                best = max(
                    (e for e in entries if rest.startswith(e.key)),
                    key=lambda e: len(e.key),
                    default=None,
                )
                if best:
                    return best
        # No ward in the address: a 町丁 name found in only one ward will do.
        candidates = [
            entries[0]
            for name, entries in self.names.items()
            if len(entries) == 1 and len(name) >= 3 and name in key
        ]
        return max(candidates, key=lambda e: len(e.key)) if candidates else None

    def _tree(self, tier: int) -> tuple[STRtree, list[int]] | None:
        if tier not in self._trees:
            geoms = self.tier1 if tier == 1 else self.tier2
            if not geoms:
                return None
            ids = list(geoms)
            self._trees[tier] = (STRtree([geoms[i] for i in ids]), ids)
        return self._trees[tier]

    def area_containing(self, lat: float, lng: float) -> int | None:
        point = Point(lng, lat)
        for tier in (2, 1):
            found = self._tree(tier)
            if not found:
                continue
            tree, ids = found
            hits = tree.query(point, predicate="intersects")
            if len(hits):
                return ids[int(min(hits))]
        return None

    def nearest_area(self, lat: float, lng: float) -> int | None:
        if not self.centroids:
            return None
        best_tier = 2 if any(t == 2 for _, _, t in self.centroids.values()) else 1
        return min(
            (aid for aid, (_, _, t) in self.centroids.items() if t == best_tier),
            key=lambda aid: haversine_km(lat, lng, *self.centroids[aid][:2]),
        )

    def locate(
        self, *, address: str = "", lat: float | None = None, lng: float | None = None
    ) -> Match:
        """Area (and, where the address gives them, coordinates) for a place."""
        if address:
            entry = self.match_address(address)
            if entry and entry.area_id:
                return Match(entry.area_id, entry.lat, entry.lng, entry.point_id, "address")
        if lat is not None and lng is not None:
            area_id = self.area_containing(lat, lng)
            if area_id:
                return Match(area_id, method="polygon")
            return Match(self.nearest_area(lat, lng), method="nearest")
        return Match(None)


@versioned_value
def locator() -> Locator:
    """The areas and 町丁 in memory, as of the current data version: rebuilt in
    every process on its first use after a write of areas or 町丁 moved it."""
    return Locator.build()


def reset_locator() -> None:
    """Areas or 町丁 were written (in bulk, or past ``data_changed``): move the data
    version, so that every process rebuilds its locator on its next use.

    The same as ``portal.cache.data_changed``; the name stays for the area
    importer, which calls it after writing."""
    data_changed()
