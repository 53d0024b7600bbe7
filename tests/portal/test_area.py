"""portal.models.Area: tier rules, boundary checks, centroid, names."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from shapely.geometry import Point

from portal.models import AddressPoint, Area
from tests.conftest import square


def messages_of(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def test_a_tier2_area_without_a_tier1_parent_is_refused_in_japanese(db):
    orphan = Area(tier=Area.Tier.DISTRICT, code="27127-5", name="第5圏域")

    with pytest.raises(ValidationError) as refused:
        orphan.full_clean()

    assert "第1層の区域を指定してください" in messages_of(refused.value, "parent")


def test_a_tier1_area_cannot_belong_to_another_area(kita):
    ward = Area(tier=Area.Tier.CITY, parent=kita, code="27128", name="都島区")

    with pytest.raises(ValidationError) as refused:
        ward.full_clean()

    assert "第1層の区域は他の区域に属せません" in messages_of(refused.value, "parent")


def test_a_tier2_area_under_a_tier2_area_is_refused(kita1):
    nested = Area(tier=Area.Tier.DISTRICT, parent=kita1, code="27127-1-1", name="入れ子")

    with pytest.raises(ValidationError) as refused:
        nested.clean()

    assert "親には第1層の区域を指定してください" in messages_of(refused.value, "parent")


def test_a_tier2_area_with_its_ward_is_valid(kita):
    Area(tier=Area.Tier.DISTRICT, parent=kita, code="27127-5", name="北区 第5圏域").full_clean()


def test_a_boundary_written_latitude_first_is_refused_with_a_hint(db):
    swapped = Area(tier=1, code="27128", name="都島区", boundary=square(34.70, 135.52, 0.03))

    with pytest.raises(ValidationError) as refused:
        swapped.full_clean()

    assert "経度・緯度の順" in messages_of(refused.value, "boundary")


def test_a_boundary_that_is_not_a_polygon_is_refused(db):
    line = {"type": "LineString", "coordinates": [[135.5, 34.7], [135.6, 34.8]]}
    area = Area(tier=1, code="27128", name="都島区", boundary=line)

    with pytest.raises(ValidationError) as refused:
        area.full_clean()

    assert "Polygon か MultiPolygon" in messages_of(refused.value, "boundary")


def test_a_boundary_given_as_a_geojson_feature_is_accepted(db):
    feature = {"type": "Feature", "properties": {}, "geometry": square(135.52, 34.70, 0.03)}

    Area(tier=1, code="27128", name="都島区", boundary=feature).full_clean()


def test_saving_a_boundary_fills_in_a_centroid_inside_it(kita):
    kita.refresh_from_db()

    assert kita.shape.covers(Point(kita.centroid_lng, kita.centroid_lat))


def test_a_centroid_set_by_hand_is_kept(db):
    area = Area.objects.create(
        tier=1,
        code="27128",
        name="都島区",
        boundary=square(135.52, 34.70, 0.03),
        centroid_lat=34.71,
        centroid_lng=135.53,
    )

    area.refresh_from_db()
    assert (area.centroid_lat, area.centroid_lng) == (34.71, 135.53)


def test_a_centroid_latitude_out_of_range_is_refused_in_japanese(db):
    area = Area(tier=1, code="27128", name="都島区", centroid_lat=135.5, centroid_lng=34.7)

    with pytest.raises(ValidationError) as refused:
        area.full_clean()

    assert "緯度は -90〜90" in messages_of(refused.value, "centroid_lat")


def test_tier1_of_a_tier2_area_is_its_ward_and_of_a_ward_itself(kita, kita1):
    assert kita1.tier1 == kita
    assert kita.tier1 == kita


def test_a_tier2_label_adds_the_ward_only_when_the_name_lacks_it(kita, kita1):
    plain = Area.objects.create(tier=2, parent=kita, code="27127-3", name="第3圏域")

    assert plain.label == "北区 第3圏域"
    assert kita1.label == "北区 第1圏域"
    assert kita.label == "北区"


def test_an_area_links_to_the_search_for_its_resources(kita):
    assert kita.get_absolute_url() == "/resources/?area=27127"


def test_tier_querysets_split_wards_from_their_districts(areas):
    assert set(Area.objects.tier1()) == {areas["kita"], areas["minato"]}
    assert set(Area.objects.tier2()) == {areas["kita1"], areas["kita2"], areas["minato1"]}


def test_an_address_point_keeps_a_normalised_name_for_look_up(kita1):
    point = AddressPoint.objects.create(
        code="27127001",
        city="大阪市",
        ward="北区",
        name="梅田一丁目",
        lat=34.70,
        lng=135.49,
        area=kita1,
    )

    assert point.normalized_name == "梅田1丁目"
    assert point.full_name == "大阪市北区梅田一丁目"
