"""Writes to resources that involve more than one field's own rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.geo import locator
from portal.text import normalize

if TYPE_CHECKING:
    from resources.models import Resource


def resource_prepare(resource: Resource) -> None:
    """Keep derived fields right before a save: search text, location, areas.

    Area assignment follows DESIGN.md: address (町丁) first, point in polygon
    second, nearest area third; a staff override (``area_locked``) wins. A
    resource without coordinates gets its 町丁's representative point.
    """
    from resources.models import Resource
    from resources.search import bigram_vector

    resource.search_text = resource.build_search_text()
    resource.name_text = normalize(f"{resource.name} {resource.kana}")
    resource.search_bigrams = bigram_vector(resource.search_text)
    has_point = resource.lat is not None and resource.lng is not None
    if has_point and resource.location_source != Resource.LocationSource.ADDRESS_POINT:
        resource.location_source = Resource.LocationSource.EXACT
    needs_area = not resource.area_locked
    needs_point = not has_point or resource.location_source == Resource.LocationSource.ADDRESS_POINT
    if needs_area or needs_point:
        match = locator().locate(
            address=resource.address,
            lat=resource.lat if has_point else None,
            lng=resource.lng if has_point else None,
        )
        if needs_area and match.area_id:
            resource.area_id = match.area_id
        if needs_point and match.lat is not None:
            resource.lat, resource.lng = match.lat, match.lng
            resource.location_source = Resource.LocationSource.ADDRESS_POINT
        elif not has_point:
            resource.location_source = Resource.LocationSource.NONE
    resource.area_tier1_id = _tier1_id(resource.area_id)


def _tier1_id(area_id: int | None) -> int | None:
    if area_id is None:
        return None
    known = locator().tier1_of.get(area_id)
    if known is not None:
        return known
    from portal.models import Area  # an area newer than the in-memory locator

    tier, parent_id = Area.objects.values_list("tier", "parent_id").get(pk=area_id)
    return parent_id if tier == Area.Tier.DISTRICT else area_id
