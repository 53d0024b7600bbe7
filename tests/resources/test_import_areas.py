"""import_areas (GeoJSON boundaries) and load_address_points (町丁 CSV) commands."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from portal.models import AddressPoint, Area
from resources.importing import areas_import
from tests.conftest import square

WARDS = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "osaka_city_wards.geojson"


def feature_collection(*features: dict) -> bytes:
    return json.dumps(
        {"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False
    ).encode()


def feature(code: str, name: str, geometry: dict, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"code": code, "name": name, **properties},
    }


def test_the_ward_polygons_of_osaka_load_as_tier_1_areas(db, tmp_path):
    out = StringIO()

    call_command("import_areas", str(WARDS), stdout=out)

    assert "新規 24件" in out.getvalue()
    kita = Area.objects.get(code="27127")
    assert (kita.name, kita.tier, kita.parent) == ("北区", 1, None)
    assert kita.centroid_lat is not None and kita.boundary["type"] in ("Polygon", "MultiPolygon")


def test_loading_the_same_file_again_changes_nothing(db):
    data = WARDS.read_bytes()
    areas_import(data)

    again = areas_import(data)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 24)


def test_tier_2_areas_name_their_parent_and_pieces_of_one_area_are_merged(db):
    data = feature_collection(
        feature("27127", "北区", square(135.48, 34.69, 0.04)),
        feature("27127-1", "北区 第1圏域", square(135.48, 34.69, 0.01), parent="27127"),
        feature("27127-1", "北区 第1圏域", square(135.50, 34.69, 0.01), parent="27127"),
    )

    result = areas_import(data)

    assert result.errors == [] and result.created == 2
    district = Area.objects.get(code="27127-1")
    assert (district.tier, district.parent.code) == (2, "27127")
    assert district.boundary["type"] == "MultiPolygon"


def test_a_boundary_change_moves_the_centre(db):
    areas_import(feature_collection(feature("27127", "北区", square(135.48, 34.69, 0.04))))
    before = Area.objects.get(code="27127").centroid_lat

    result = areas_import(feature_collection(feature("27127", "北区", square(135.48, 34.79, 0.04))))

    assert result.updated == 1
    assert Area.objects.get(code="27127").centroid_lat > before + 0.05


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "GeoJSON として読めません"),
        (b'{"type": "Point", "coordinates": [1, 2]}', "FeatureCollection ではありません"),
        (
            feature_collection(feature("X", "", square(135, 34, 1))),
            "区域コード（code）と名称（name）が必要です",
        ),
        (
            feature_collection(
                feature(
                    "X",
                    "エックス",
                    {
                        "type": "Polygon",
                        "coordinates": [[[34, 135], [35, 135], [35, 136], [34, 135]]],
                    },
                )
            ),
            "経度・緯度の順になっているか",
        ),
        (
            feature_collection(feature("X-1", "第1圏域", square(135, 34, 1), parent="NOPE")),
            "第1層の区域「NOPE」がありません",
        ),
    ],
)
def test_bad_geojson_writes_nothing(db, tmp_path, data, message):
    path = tmp_path / "areas.geojson"
    path.write_bytes(data)
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_areas", str(path), stdout=StringIO(), stderr=err)

    assert message in err.getvalue()
    assert Area.objects.count() == 0


def test_a_dry_run_writes_nothing(db, tmp_path):
    out = StringIO()

    call_command("import_areas", str(WARDS), "--dry-run", stdout=out)

    assert "確認のみ" in out.getvalue() and "新規 24件" in out.getvalue()
    assert Area.objects.count() == 0


# Address points ------------------------------------------------------------------------


def test_address_points_in_the_location_reference_format_find_their_ward(kita, tmp_path):
    path = tmp_path / "points.csv"
    path.write_bytes(
        (
            "都道府県名,市区町村名,大字町丁目コード,大字町丁目名,緯度,経度\r\n"
            "大阪府,大阪市北区,271270001001,梅田一丁目,34.700,135.495\r\n"
        ).encode("cp932")
    )
    out = StringIO()

    call_command("load_address_points", str(path), stdout=out)

    point = AddressPoint.objects.get()
    assert (point.name, point.area) == ("梅田一丁目", kita)
    assert "町丁 1 件を読み込みました。" in out.getvalue()


def test_address_points_without_a_known_ward_take_the_area_containing_them(areas, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text(
        "KEY_CODE,MOJI,X_CODE,Y_CODE,CSS_NAME,GST_NAME\n999990001,どこか町,135.485,34.695,どこか区,どこか市\n",
        encoding="utf-8",
    )
    out = StringIO()

    call_command("load_address_points", str(path), stdout=out)

    assert AddressPoint.objects.get().area == areas["kita1"]
    assert "1 件は代表点の位置で区域を決めました" in out.getvalue()


def test_address_points_dry_run(areas, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("KEY_CODE,MOJI,X_CODE,Y_CODE\n1,町,135.485,34.695\n", encoding="utf-8")

    call_command("load_address_points", str(path), "--dry-run", stdout=StringIO())

    assert AddressPoint.objects.count() == 0
