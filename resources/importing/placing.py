"""Areas and points of thousands of resources at once, by ``resource_prepare``'s rules."""

from __future__ import annotations

import math
from collections import defaultdict

from portal.geo import address_key, haversine_km, locator
from portal.municipality import city as current_city
from portal.text import normalize_address
from resources.importing.references import References
from resources.models import Resource

# Plain strings: the enum members' descriptor costs show at 10,000 rows.
_EXACT = str(Resource.LocationSource.EXACT.value)
_ADDRESS_POINT = str(Resource.LocationSource.ADDRESS_POINT.value)
_NO_POINT = str(Resource.LocationSource.NONE.value)


class Placer:
    """``resource_prepare``'s location rules for thousands of rows at once.

    The same order (address → point in polygon → nearest area) on the same
    ``locator()`` data, with two shortcuts that give identical answers: 町丁
    names are found by substring look-up instead of a scan of every name, and
    the nearest area by one vectorised distance computation.
    """

    def __init__(self, refs: References) -> None:
        import numpy

        self.refs = refs
        self.locator = locator()
        self._numpy = numpy
        # 町丁 names found in only one ward, by their first two characters.
        self.unique_names: dict[str, list[tuple[int, str, object]]] = defaultdict(list)
        for order, (name, entries) in enumerate(self.locator.names.items()):
            if len(entries) == 1 and len(name) >= 3:
                self.unique_names[name[:2]].append((order, name, entries[0]))
        centroids = self.locator.centroids
        best_tier = 2 if any(t == 2 for _, _, t in centroids.values()) else 1
        ids = [aid for aid, (_, _, t) in centroids.items() if t == best_tier]
        self.centroid_ids = ids
        self.centroid_lat = numpy.radians([centroids[a][0] for a in ids])
        self.centroid_lng = numpy.radians([centroids[a][1] for a in ids])
        self._address_cache: dict[str, object] = {}
        city = current_city().name
        self.ward_keys = [
            (normalize_address(f"{city}{name}"), pk) for pk, name in refs.ward_names.items()
        ]

    def match_address(self, address: str):
        if address in self._address_cache:
            return self._address_cache[address]
        found = self._match_address(address)
        self._address_cache[address] = found
        return found

    def _match_address(self, address: str):
        key = address_key(address)
        if not key:
            return None
        for ward_key, entries in self.locator.wards.items():
            if ward_key and ward_key in key:
                rest = key[key.index(ward_key) + len(ward_key) :]
                best = max(
                    (e for e in entries if rest.startswith(e.key)),
                    key=lambda e: len(e.key),
                    default=None,
                )
                if best:
                    return best
        best = None  # (length, -order, entry): the longest name, the first of equals
        for start in range(len(key) - 2):
            for order, name, entry in self.unique_names.get(key[start : start + 2], ()):
                if key.startswith(name, start):
                    candidate = (len(name), -order, entry)
                    if best is None or candidate[:2] > best[:2]:
                        best = candidate
        return best[2] if best else None

    def _areas_containing(self, lats: list[float], lngs: list[float]) -> list[int | None]:
        """``Locator.area_containing`` for many points: tier 2 first, then tier 1;
        of several hits the first area in the tree's order."""
        import shapely

        found: list[int | None] = [None] * len(lats)
        if not lats:
            return found
        points = shapely.points(lngs, lats)
        for tier in (2, 1):
            tree_ids = self.locator._tree(tier)
            pending = [i for i, area in enumerate(found) if area is None]
            if not tree_ids or not pending:
                continue
            tree, ids = tree_ids
            inputs, hits = tree.query(points[pending], predicate="intersects")
            best: dict[int, int] = {}
            for position, hit in zip(inputs.tolist(), hits.tolist(), strict=True):
                if position not in best or hit < best[position]:
                    best[position] = hit
            for position, hit in best.items():
                found[pending[position]] = ids[hit]
        return found

    def _nearest(self, lats: list[float], lngs: list[float]) -> list[tuple[int | None, float]]:
        """``Locator.nearest_area`` for many points (the first of equally near)."""
        if not self.centroid_ids:
            return [(None, math.inf)] * len(lats)
        np = self._numpy
        p1 = np.radians(np.asarray(lats))[:, None]
        l1 = np.radians(np.asarray(lngs))[:, None]
        a = (
            np.sin((self.centroid_lat[None, :] - p1) / 2) ** 2
            + np.cos(p1)
            * np.cos(self.centroid_lat)[None, :]
            * np.sin((self.centroid_lng[None, :] - l1) / 2) ** 2
        )
        indexes = np.argmin(a, axis=1).tolist()
        result = []
        for lat, lng, index in zip(lats, lngs, indexes, strict=True):
            area_id = self.centroid_ids[index]
            lat2, lng2, _tier = self.locator.centroids[area_id]
            result.append((area_id, haversine_km(lat, lng, lat2, lng2)))
        return result

    def _ward_in(self, address: str) -> int | None:
        key = address_key(address)
        for ward_key, pk in self.ward_keys:
            if ward_key and ward_key in key:
                return pk
        return None

    def place_many(self, resources: list[Resource]) -> list[tuple[str, float]]:
        """Set location_source, lat/lng and area of each resource as
        ``resource_prepare`` would; returns (method, km) per resource, the
        method being address / polygon / nearest / ward or "" for none."""
        exact, address_point, none = _EXACT, _ADDRESS_POINT, _NO_POINT
        outcome: list[tuple[str, float]] = [("", 0.0)] * len(resources)
        located: dict[int, tuple] = {}  # index → (area id, lat, lng, method, km)
        by_point: list[int] = []
        work: list[tuple[int, bool, bool, bool]] = []
        for index, resource in enumerate(resources):
            has_point = resource.lat is not None and resource.lng is not None
            if has_point and resource.location_source != address_point:
                resource.location_source = exact
            needs_area = not resource.area_locked
            needs_point = not has_point or resource.location_source == address_point
            work.append((index, has_point, needs_area, needs_point))
            if not (needs_area or needs_point):
                continue
            entry = self.match_address(resource.address) if resource.address else None
            if entry and entry.area_id:
                located[index] = (entry.area_id, entry.lat, entry.lng, "address", 0.0)
            elif has_point:
                by_point.append(index)
            elif resource.address:
                # Not in resource_prepare: an address naming only the ward
                # (大阪市都島区（以下略）) still gives the ward.
                ward = self._ward_in(resource.address)
                if ward:
                    located[index] = (ward, None, None, "ward", 0.0)
        lats = [resources[i].lat for i in by_point]
        lngs = [resources[i].lng for i in by_point]
        containing = self._areas_containing(lats, lngs)
        outside = [n for n, area in enumerate(containing) if area is None]
        nearest = self._nearest([lats[n] for n in outside], [lngs[n] for n in outside])
        for n, area in enumerate(containing):
            if area is not None:
                located[by_point[n]] = (area, None, None, "polygon", 0.0)
        for n, (area, km) in zip(outside, nearest, strict=True):
            located[by_point[n]] = (area, None, None, "nearest", km)
        for index, has_point, needs_area, needs_point in work:
            resource = resources[index]
            if needs_area or needs_point:
                area_id, plat, plng, method, km = located.get(index, (None, None, None, "", 0.0))
                if needs_area and area_id:
                    resource.area_id = area_id
                if needs_point and plat is not None:
                    resource.lat, resource.lng = plat, plng
                    resource.location_source = address_point
                elif not has_point:
                    resource.location_source = none
                outcome[index] = (method, km)
            resource.area_tier1_id = self.refs.tier1_of(resource.area_id)
        return outcome

    def place(self, resource: Resource) -> tuple[str, float]:
        return self.place_many([resource])[0]
