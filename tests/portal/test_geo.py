"""portal/geo.py: distances, boundary checks and the in-memory locator."""

from __future__ import annotations

import pytest
from shapely.geometry import shape

from portal.geo import (
    address_key,
    boundary_error,
    haversine_km,
    km_outside,
    locator,
    reset_locator,
    walking_minutes,
)
from portal.models import AddressPoint
from portal.text import normalize_address
from tests.conftest import make_area, square


def test_one_degree_of_latitude_is_about_111_km():
    assert haversine_km(34.0, 135.5, 35.0, 135.5) == pytest.approx(111.2, abs=0.1)


def test_osaka_station_to_namba_is_about_four_and_a_half_km():
    # JR大阪駅 → 南海なんば駅 in a straight line.
    assert haversine_km(34.7025, 135.4959, 34.6627, 135.5013) == pytest.approx(4.4, abs=0.3)


def test_a_distance_to_the_same_point_is_zero():
    assert haversine_km(34.7, 135.5, 34.7, 135.5) == 0


@pytest.mark.parametrize(("km", "minutes"), [(0, 1), (0.08, 1), (0.081, 2), (0.8, 10), (1.0, 13)])
def test_walking_minutes_count_80_metres_a_minute_rounded_up(km, minutes):
    assert walking_minutes(km) == minutes


def test_a_point_inside_an_area_is_zero_km_outside_it():
    assert km_outside(shape(square(135.48, 34.69, 0.04)), 34.70, 135.50) == 0


def test_a_point_east_of_an_area_is_outside_by_its_distance_to_the_edge():
    area = shape(square(135.48, 34.69, 0.04))

    assert km_outside(area, 34.70, 135.53) == pytest.approx(
        haversine_km(34.70, 135.52, 34.70, 135.53)
    )


@pytest.mark.parametrize(
    ("geojson", "message"),
    [
        ("not json", "GeoJSON のオブジェクト"),
        ({"type": "Point", "coordinates": [135.5, 34.7]}, "Polygon か MultiPolygon"),
        ({"type": "Polygon", "coordinates": "broken"}, "読み取れません"),
        ({"type": "Polygon", "coordinates": []}, "空です"),
        (square(34.69, 135.48, 0.04), "経度・緯度の順"),
    ],
)
def test_an_unusable_boundary_is_explained_in_japanese(geojson, message):
    assert message in boundary_error(geojson)


def test_a_usable_boundary_has_no_error():
    assert boundary_error(square(135.48, 34.69, 0.04)) is None


def test_an_address_with_hyphens_reads_its_first_number_as_the_chome():
    assert address_key("大阪市北区梅田1-2-3").startswith(normalize_address("大阪市北区梅田一丁目"))
    assert address_key("梅田１－２－３").startswith(normalize_address("梅田1丁目"))


def test_an_address_with_its_ward_finds_the_cho_of_that_ward(areas, umeda, minato_umeda):
    found = locator().locate(address="大阪市港区梅田一丁目5-1")

    assert found.method == "address"
    assert found.address_point_id == minato_umeda.pk
    assert found.area_id == areas["minato1"].pk


def test_an_address_without_a_ward_finds_a_cho_name_only_one_ward_has(areas, umeda):
    found = locator().locate(address="梅田一丁目2番3号")

    assert found.address_point_id == umeda.pk
    assert (found.lat, found.lng) == (umeda.lat, umeda.lng)


def test_the_longest_matching_cho_name_wins(areas, umeda):
    longer = AddressPoint.objects.create(
        code="27127002",
        city="大阪市",
        ward="北区",
        name="梅田１丁目東",
        lat=34.709,
        lng=135.499,
        area=areas["kita2"],
    )

    assert locator().locate(address="北区梅田1丁目東3").address_point_id == longer.pk


def test_a_point_in_a_tier2_area_is_placed_in_that_area(areas):
    found = locator().locate(lat=34.72, lng=135.51)

    assert (found.area_id, found.method) == (areas["kita2"].pk, "polygon")


def test_a_point_in_a_ward_but_no_district_is_placed_in_the_ward(areas):
    assert locator().locate(lat=34.72, lng=135.485).area_id == areas["kita"].pk


def test_a_point_outside_every_area_goes_to_the_nearest_district(areas):
    found = locator().locate(lat=34.60, lng=135.40)

    assert (found.area_id, found.method) == (areas["minato1"].pk, "nearest")


def test_an_unknown_address_without_coordinates_finds_nothing(areas, umeda):
    assert locator().locate(address="東京都千代田区霞が関1丁目").area_id is None


def test_the_locator_is_built_once_and_rebuilt_after_areas_change(kita):
    first = locator()
    assert locator() is first

    make_area(tier=1, code="27107", name="港区", boundary=square(135.43, 34.65, 0.04))

    rebuilt = locator()
    assert rebuilt is not first
    assert len(rebuilt.tier1) == 2


def test_reset_locator_forgets_the_cached_index(kita):
    first = locator()

    reset_locator()

    assert locator() is not first
