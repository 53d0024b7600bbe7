"""GET /resources/map.geojson and /resources/areas.geojson: the map shows what the list shows."""

from __future__ import annotations

from datetime import time

import pytest

from portal.models import Area
from resources.models import Category, Resource
from tests.conftest import add_schedule, make_resource
from tests.resources.search_pages import all_listed_ids, text


def features(client, params: dict | None = None) -> list[dict]:
    response = client.get("/resources/map.geojson", params or {})
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    return body["features"]


def test_each_feature_is_a_point_with_id_name_category_and_link(client, public_salon):
    [feature] = features(client)

    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [135.49, 34.70]}
    properties = feature["properties"]
    assert properties["id"] == public_salon.pk
    assert properties["name"] == "梅田ふれあいサロン"
    assert properties["category"] == "運動"
    assert properties["url"] == f"/resources/{public_salon.pk}/"


def test_a_feature_link_opens_the_resource_page(client, public_salon):
    [feature] = features(client)

    response = client.get(feature["properties"]["url"])

    assert response.status_code == 200
    assert "梅田ふれあいサロン" in text(response)


def test_a_resource_without_a_category_has_an_empty_category(client, kita1):
    make_resource(name="分類なしの会", lat=34.70, lng=135.49)

    assert [f["properties"]["category"] for f in features(client)] == [""]


def test_the_first_category_in_the_city_order_names_the_feature(client, kita1):
    make_resource(
        name="買い物と運動",
        lat=34.70,
        lng=135.49,
        categories=[Category.objects.get(code="shopping"), Category.objects.get(code="exercise")],
    )

    assert [f["properties"]["category"] for f in features(client)] == ["運動"]


def test_resources_without_coordinates_are_left_out_of_the_map_but_listed(client, public_salon):
    nowhere = make_resource(name="場所未定の会")
    assert nowhere.lat is None

    assert [f["properties"]["id"] for f in features(client)] == [public_salon.pk]
    assert sorted(all_listed_ids(client, {})) == sorted([public_salon.pk, nowhere.pk])


@pytest.fixture
def thirty(areas) -> None:
    """30 resources over both wards, with several categories, weekdays and fees."""
    exercise, social = Category.objects.get(code="exercise"), Category.objects.get(code="social")
    places = [(34.70, 135.49), (34.72, 135.51), (34.66, 135.44)]
    for i in range(30):
        lat, lng = places[i % 3]
        resource = make_resource(
            name=f"{'サロン' if i % 2 else '体操'}{i:02d}",
            kana=f"{'さろん' if i % 2 else 'たいそう'}{i:02d}",
            lat=lat + i * 0.0003,
            lng=lng,
            fee_free=i % 3 == 1,
            categories=[exercise if i % 3 else social],
        )
        add_schedule(
            resource=resource, kind="weekly", weekdays="MO" if i % 2 else "TH", opens_at=time(10)
        )


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({}, id="everything"),
        pytest.param({"area": "27127"}, id="ward"),
        pytest.param({"area": "27127-2"}, id="district"),
        pytest.param({"category": "運動", "weekday": "MO"}, id="category-weekday"),
        pytest.param({"q": "サロン", "free": "1"}, id="keyword-free"),
        pytest.param({"q": "体"}, id="one-character"),
        pytest.param({"lat": "34.70", "lng": "135.49", "radius_km": "2"}, id="nearby"),
        pytest.param({"time": "am", "sort": "updated"}, id="time-sorted"),
    ],
)
def test_the_map_has_exactly_the_resources_of_the_list_pages(client, thirty, params):
    listed = all_listed_ids(client, params)
    mapped = [f["properties"]["id"] for f in features(client, params)]

    assert listed, "the search should find something"
    assert len(set(listed)) == len(listed)
    assert sorted(mapped) == sorted(listed)


def test_the_whole_list_takes_two_pages_and_the_map_one_collection(client, thirty):
    first = client.get("/resources/")

    assert "1 / 2 ページ" in text(first)
    assert len(all_listed_ids(client, {})) == 30
    assert len(features(client)) == 30


def test_the_map_follows_the_status_filter(client, public_salon):
    paused = make_resource(name="休止中の会", status=Resource.Status.PAUSED, lat=34.70, lng=135.49)

    assert [f["properties"]["id"] for f in features(client)] == [public_salon.pk]
    assert {f["properties"]["id"] for f in features(client, {"status": "all"})} == {
        public_salon.pk,
        paused.pk,
    }


def test_areas_geojson_lists_the_boundaries_of_both_tiers(client, areas):
    response = client.get("/resources/areas.geojson")

    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    by_code = {f["properties"]["code"]: f for f in body["features"]}
    assert {code: f["properties"]["tier"] for code, f in by_code.items()} == {
        "27127": 1,
        "27127-1": 2,
        "27127-2": 2,
        "27107": 1,
        "27107-1": 2,
    }
    assert by_code["27127-1"]["properties"]["name"] == "北区 第1圏域"
    assert by_code["27127"]["geometry"] == areas["kita"].boundary
    assert by_code["27127-1"]["geometry"]["type"] == "Polygon"


def test_areas_geojson_leaves_out_an_area_without_a_boundary(client, areas):
    Area.objects.create(tier=2, parent=areas["kita"], code="27127-9", name="境界なし圏域")

    codes = {
        f["properties"]["code"] for f in client.get("/resources/areas.geojson").json()["features"]
    }

    assert "27127-9" not in codes
    assert len(codes) == 5
