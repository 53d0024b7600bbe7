"""Area assignment on save (resources/services.py, portal/geo.py).

DESIGN.md: by address (町丁 table) first, point in polygon second, nearest area
third; an area chosen by hand (area_locked) wins; area_tier1 follows the area.
"""

from __future__ import annotations

import pytest

from resources.models import Resource
from resources.services import resource_update
from tests.conftest import make_address_point, make_area, make_resource, square

ADDRESS_POINT = Resource.LocationSource.ADDRESS_POINT
EXACT = Resource.LocationSource.EXACT


def test_an_address_alone_gives_the_area_and_the_cho_point(areas, umeda):
    resource = make_resource(name="梅田ふれあいサロン", address="大阪市北区梅田1丁目2-3")

    resource.refresh_from_db()
    assert resource.area == areas["kita1"]
    assert resource.area_tier1 == areas["kita"]
    assert (resource.lat, resource.lng) == (umeda.lat, umeda.lng)
    assert resource.location_source == ADDRESS_POINT


@pytest.mark.parametrize(
    "address", ["梅田一丁目", "大阪市北区梅田１－２－３", "北区梅田1丁目2番3号"]
)
def test_the_same_cho_written_other_ways_is_found(areas, umeda, address):
    resource = make_resource(name="梅田ふれあいサロン", address=address)

    assert resource.area == areas["kita1"]
    assert resource.location_source == ADDRESS_POINT


def test_the_address_wins_over_the_point(areas, umeda):
    # The point lies in 第2圏域, the address in 第1圏域 (a venue's pin often drifts).
    resource = make_resource(
        name="梅田ふれあいサロン", address="大阪市北区梅田1丁目2-3", lat=34.72, lng=135.51
    )

    resource.refresh_from_db()
    assert resource.area == areas["kita1"]
    assert (resource.lat, resource.lng) == (34.72, 135.51)
    assert resource.location_source == EXACT


def test_an_unknown_address_falls_back_to_the_polygon_of_the_point(areas, umeda):
    resource = make_resource(
        name="天満サロン", address="大阪市北区天満9丁目", lat=34.72, lng=135.51
    )

    assert resource.area == areas["kita2"]
    assert resource.area_tier1 == areas["kita"]


def test_a_point_without_an_address_is_placed_by_polygon(areas):
    resource = make_resource(name="築港いきいき百歳体操", lat=34.66, lng=135.44)

    assert resource.area == areas["minato1"]
    assert resource.area_tier1 == areas["minato"]
    assert resource.location_source == EXACT


def test_a_point_in_a_ward_but_in_no_district_gets_the_ward(areas):
    resource = make_resource(name="北区の買い物支援", lat=34.72, lng=135.485)

    assert resource.area == areas["kita"]
    assert resource.area_tier1 == areas["kita"]


def test_a_point_outside_every_area_gets_the_nearest_district(areas):
    resource = make_resource(name="区境の外の体操", lat=34.60, lng=135.40)

    assert resource.area == areas["minato1"]
    assert resource.area_tier1 == areas["minato"]


def test_a_locked_area_is_kept_whatever_the_point_says(areas):
    resource = make_resource(
        name="港区の出張サロン", lat=34.70, lng=135.49, area=areas["minato1"], area_locked=True
    )

    resource.refresh_from_db()
    assert resource.area == areas["minato1"]
    assert resource.area_tier1 == areas["minato"]


def test_a_locked_area_still_gets_coordinates_from_its_address(areas, umeda):
    resource = make_resource(
        name="港区の出張サロン", address="北区梅田1丁目", area=areas["minato1"], area_locked=True
    )

    assert resource.area == areas["minato1"]
    assert (resource.lat, resource.lng) == (umeda.lat, umeda.lng)


def test_moving_a_resource_moves_its_area(areas, public_salon):
    assert public_salon.area == areas["kita1"]

    resource_update(resource=public_salon, lat=34.66, lng=135.44)

    public_salon.refresh_from_db()
    assert public_salon.area == areas["minato1"]
    assert public_salon.area_tier1 == areas["minato"]


def test_a_new_address_moves_a_point_that_came_from_the_old_address(areas, umeda, tenma):
    resource = make_resource(name="梅田ふれあいサロン", address="北区梅田1丁目2-3")

    resource_update(resource=resource, address="北区天満2丁目4-5")

    resource.refresh_from_db()
    assert (resource.lat, resource.lng) == (tenma.lat, tenma.lng)
    assert resource.area == areas["kita2"]


def test_a_new_address_keeps_a_point_entered_by_hand(areas, umeda, tenma):
    resource = make_resource(
        name="梅田ふれあいサロン", address="北区梅田1丁目", lat=34.701, lng=135.491
    )

    resource_update(resource=resource, address="北区天満2丁目4-5")

    resource.refresh_from_db()
    assert (resource.lat, resource.lng) == (34.701, 135.491)
    assert resource.area == areas["kita2"]


def test_area_tier1_follows_a_districts_ward(areas):
    resource = make_resource(name="北区 第2圏域の会", area=areas["kita2"], area_locked=True)

    assert resource.area_tier1 == areas["kita"]


def test_a_resource_with_neither_address_nor_point_has_no_area(areas):
    resource = make_resource(name="場所未定の準備中サロン")

    assert resource.area is None
    assert resource.area_tier1 is None
    assert resource.location_source == ""


def test_an_area_added_after_the_locator_was_built_is_used(kita):
    make_resource(name="先に登録", lat=34.70, lng=135.49)
    minato = make_area(tier=1, code="27107", name="港区", boundary=square(135.43, 34.65, 0.04))

    resource = make_resource(name="築港の体操", lat=34.66, lng=135.44)

    assert resource.area == minato


def test_an_address_point_added_later_is_used(areas):
    make_resource(name="先に登録", lat=34.70, lng=135.49)
    make_address_point(
        code="27107003",
        city="大阪市",
        ward="港区",
        name="築港３丁目",
        lat=34.655,
        lng=135.435,
        area=areas["minato1"],
    )

    resource = make_resource(name="築港の体操", address="大阪市港区築港3丁目")

    assert resource.area == areas["minato1"]
    assert resource.location_source == ADDRESS_POINT
