"""Nearest first from a typed place over many matches: the page is looked for
within 1, 3 and 10 km before the whole result is sorted (resources/search.py,
``resources.paging.CappedPaginator``); the order must be exactly that of sorting everything."""

from __future__ import annotations

import math

import pytest

from resources.models import Resource
from resources.paging import CappedPaginator
from resources.services import NewResource, resources_bulk_create
from tests.resources.search_pages import listed_names

TENMA = (34.7205, 135.5105)  # 天満２丁目 (tests/conftest.py)


def _km(lat: float, lng: float) -> float:
    """Straight-line distance from 天満２丁目, by hand (haversine)."""
    p1, p2 = math.radians(TENMA[0]), math.radians(lat)
    dp, dl = p2 - p1, math.radians(lng - TENMA[1])
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@pytest.fixture
def many_classes(tenma):
    """150 体操 classes on a spiral out from 天満 to about 15 km, names in an order
    unrelated to distance, and 5 without a place."""
    plans = []
    for n in range(150):
        km = 0.05 + 0.1 * n if n < 100 else 10 + 0.1 * (n - 100)
        angle = n * 2.4
        lat = TENMA[0] + km / 111.2 * math.sin(angle)
        lng = TENMA[1] + km / (111.2 * math.cos(math.radians(TENMA[0]))) * math.cos(angle)
        name = f"体操クラブ{(n * 37) % 150:03d}"
        plans.append(
            NewResource(Resource(code=f"T{n:04d}", name=name, kana=name, lat=lat, lng=lng))
        )
    for n in range(5):
        plans.append(
            NewResource(Resource(code=f"U{n:04d}", name=f"体操クラブ場所なし{n}", kana="ん"))
        )
    for plan in plans:
        plan.resource.resource_type = Resource.Type.EXERCISE
        plan.resource.status = Resource.Status.ACTIVE
    resources_bulk_create(plans)
    placed = Resource.objects.exclude(lat=None)
    by_distance = sorted(placed, key=lambda r: (_km(r.lat, r.lng), r.pk))
    unplaced = list(Resource.objects.filter(lat=None).order_by("pk"))
    return [r.name for r in by_distance + unplaced]


@pytest.mark.parametrize("page", [1, 2, 5, 8])
def test_each_page_nearest_first_is_the_page_of_the_whole_order(
    client, many_classes, page, monkeypatch
):
    # Looked for in the circles from 100 matches here (from 500 in the portal).
    monkeypatch.setattr(CappedPaginator, "NEAREST_FROM", 100)
    response = client.get("/resources/", {"q": "天満 体操", "page": page})

    assert response.context["page"].paginator.count == 155
    assert listed_names(response) == many_classes[(page - 1) * 20 : page * 20]
