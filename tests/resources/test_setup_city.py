"""manage.py setup_city: a city from its outline, its 町丁 and a 圏域 table (issue 18).

川口市 and 港区 are set up from the real files (国土数値情報 outline, e-Stat 2015
小地域); 大阪市 (wards) from the demo's. The checks are what an admin would look
at: every 町丁 in exactly one 圏域, boundaries that are valid and inside the
city, addresses landing in the right 圏域, and bad tables refused in Japanese.
"""

from __future__ import annotations

import csv
import io
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import mapping, shape

from portal.models import AddressPoint, Area, Municipality
from portal.municipality import city
from resources.citysetup import city_setup
from resources.citysetup.table import expand
from resources.importing import resources_import
from resources.models import Resource
from tests.conftest import make_resource

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo"
DATA = ROOT / "tests" / "data"
KAWAGUCHI_OUTLINE = DEMO / "kawaguchi_city_outline.geojson"
KAWAGUCHI_CHOME = DEMO / "kawaguchi_city_chome_2015.csv"
KAWAGUCHI_TABLE = DEMO / "kawaguchi_kenniki_demo.csv"
MINATO_OUTLINE = DATA / "minato_ward_outline.geojson"
MINATO_CHOME = DATA / "minato_ward_chome_2015.csv"
MINATO_TABLE = DATA / "minato_chiku_table.csv"
OSAKA_OUTLINE = DEMO / "osaka_city_wards.geojson"
OSAKA_CHOME = DEMO / "osaka_city_chome_2015.csv"
TOLERANCE = 1e-5  # degrees, about 1 m


def table(*rows: tuple[str, ...], header: tuple[str, ...] = ("圏域", "町丁")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def kawaguchi(table_bytes: bytes | None = None, **kwargs):
    return city_setup(
        name="川口市",
        code="11203",
        outline=KAWAGUCHI_OUTLINE.read_bytes(),
        chome=KAWAGUCHI_CHOME.read_bytes(),
        chome_filename=KAWAGUCHI_CHOME.name,
        table=KAWAGUCHI_TABLE.read_bytes() if table_bytes is None else table_bytes,
        table_filename="table.csv",
        **kwargs,
    )


def minato(table_bytes: bytes | None = None, **kwargs):
    return city_setup(
        name="港区",
        code="131032",
        outline=MINATO_OUTLINE.read_bytes(),
        chome=kwargs.pop("chome", MINATO_CHOME.read_bytes()),
        chome_filename=kwargs.pop("chome_filename", MINATO_CHOME.name),
        table=MINATO_TABLE.read_bytes() if table_bytes is None else table_bytes,
        table_filename="table.csv",
        **kwargs,
    )


def assert_boundaries_sound(city_code: str) -> None:
    """Every 圏域 a valid polygon inside the city; together they cover it."""
    outline = shape(Area.objects.get(code=city_code).boundary)
    districts = list(Area.objects.tier2().filter(parent__code=city_code))
    assert districts
    total = 0.0
    for area in districts:
        geom = shape(area.boundary)
        assert geom.is_valid, area.name
        assert geom.geom_type in ("Polygon", "MultiPolygon")
        assert outline.buffer(TOLERANCE).covers(geom), f"{area.name} leaves the city"
        total += geom.area
    # No overlaps and no holes: the areas add up to the city's.
    assert total == pytest.approx(outline.area, rel=1e-3)


def assert_every_chome_in_one_district(city_name: str) -> None:
    points = AddressPoint.objects.filter(city=city_name).select_related("area")
    assert points.exists()
    assert not [p.name for p in points if p.area is None or p.area.tier != 2]
    # ... and inside the boundary of its own 圏域 or no other.
    shapes = {a.pk: shape(a.boundary) for a in Area.objects.tier2()}
    for point in points:
        from shapely.geometry import Point

        holding = [pk for pk, geom in shapes.items() if geom.covers(Point(point.lng, point.lat))]
        assert holding in ([point.area_id], []), point.name


# 川口市 -------------------------------------------------------------------------


def test_kawaguchi_from_the_real_files_is_one_city_with_its_20_districts(db):
    result = kawaguchi()

    assert result.ok, result.errors
    assert result.written
    assert list(Area.objects.tier1().values_list("code", "name")) == [("11203", "川口市")]
    assert Area.objects.tier2().count() == 20
    assert result.unnamed == []
    assert_every_chome_in_one_district("川口市")
    assert_boundaries_sound("11203")
    kawaguchi_city = Area.objects.get(code="11203")
    assert kawaguchi_city.population == sum(
        p.population or 0 for p in AddressPoint.objects.filter(city="川口市")
    )


def test_the_city_settings_are_filled_from_the_setup(db):
    kawaguchi()

    row = Municipality.objects.get()
    assert (row.name, row.prefecture, row.code, row.has_wards) == (
        "川口市",
        "埼玉県",
        "112038",
        False,
    )
    outline = shape(json.loads(KAWAGUCHI_OUTLINE.read_text())["features"][0]["geometry"])
    from shapely.geometry import Point

    assert outline.covers(Point(row.center_lng, row.center_lat))
    current = city()
    assert (current.name, current.has_wards, current.zoom) == ("川口市", False, row.zoom)


def test_a_small_table_names_its_chome_and_reports_the_others(db):
    result = kawaguchi(
        table(
            ("本町圏域", "本町"),  # 本町1〜4丁目
            ("本町圏域", "栄町１丁目"),
            ("赤山圏域", "赤山"),  # 大字赤山, written without 大字
            ("芝圏域", "芝"),  # 大字芝 and 芝1〜5丁目, not 芝中田 or 芝富士
            ("芝圏域", "芝中田一丁目"),
        )
    )

    assert result.ok, result.errors
    members = {
        area.name: sorted(area.address_points.values_list("name", flat=True))
        for area in Area.objects.tier2()
    }
    assert members["本町圏域"] == [
        "本町１丁目",
        "本町２丁目",
        "本町３丁目",
        "本町４丁目",
        "栄町１丁目",
    ]
    assert members["赤山圏域"] == ["大字赤山"]
    # 大字芝 is four 小地域 of e-Stat, each with its own code.
    assert set(members["芝圏域"]) == {
        "大字芝",
        "芝１丁目",
        "芝２丁目",
        "芝３丁目",
        "芝４丁目",
        "芝５丁目",
        "芝中田１丁目",
    }
    assert "栄町２丁目" in result.unnamed
    assert any("圏域の表にない町丁が" in p.message for p in result.warnings)
    # The others stay in the city (tier 1), so an address there still has an area.
    assert AddressPoint.objects.get(name="栄町２丁目").area.code == "11203"


def test_a_chome_named_in_a_row_wins_over_its_town_in_another(db):
    result = minato(
        table(("芝地区", "三田"), ("高輪地区", "三田４丁目"), ("高輪地区", "三田5丁目"))
    )

    assert result.ok, result.errors
    mita = dict(
        AddressPoint.objects.filter(name__startswith="三田").values_list("name", "area__name")
    )
    assert mita == {
        "三田１丁目": "芝地区",
        "三田２丁目": "芝地区",
        "三田３丁目": "芝地区",
        "三田４丁目": "高輪地区",
        "三田５丁目": "高輪地区",
    }


def test_ranges_of_chome_in_one_cell():
    assert expand("本町1～3丁目") == ["本町1丁目", "本町2丁目", "本町3丁目"]
    assert expand("本町一丁目〜三丁目") == ["本町1丁目", "本町2丁目", "本町3丁目"]
    assert expand("海岸１・３丁目") == ["海岸1丁目", "海岸3丁目"]
    assert expand("大字赤山") == ["大字赤山"]


def test_running_again_with_the_same_files_changes_nothing(db):
    kawaguchi()
    codes = dict(Area.objects.values_list("name", "code"))

    again = kawaguchi()

    assert again.ok and again.written
    assert {a.action for a in again.areas} == {"unchanged"}
    assert dict(Area.objects.values_list("name", "code")) == codes


def test_a_new_table_keeps_the_codes_of_districts_by_name_and_drops_the_empty_ones(db):
    kawaguchi(table(("本町圏域", "本町"), ("赤山圏域", "赤山"), ("芝圏域", "芝")))
    honcho = Area.objects.get(name="本町圏域").code

    result = kawaguchi(table(("芝圏域", "芝"), ("本町圏域", "本町"), ("青木圏域", "青木")))

    assert result.ok
    assert Area.objects.get(name="本町圏域").code == honcho
    assert not Area.objects.filter(name="赤山圏域").exists()
    assert result.removed == ["赤山圏域"]
    assert AddressPoint.objects.get(name="大字赤山").area.code == "11203"


def test_a_district_holding_resources_is_kept_and_named(db):
    kawaguchi(table(("本町圏域", "本町"), ("赤山圏域", "赤山")))
    akayama = Area.objects.get(name="赤山圏域")
    make_resource(name="赤山の体操", area=akayama, area_locked=True)

    result = kawaguchi(table(("本町圏域", "本町")))

    assert result.ok
    assert Area.objects.filter(pk=akayama.pk).exists()
    assert result.kept == ["赤山圏域"]
    assert any("残しました" in p.message and "赤山圏域" in p.message for p in result.warnings)


def test_resources_registered_before_move_to_their_district(db):
    kawaguchi(table(("本町圏域", "本町")))  # a first set-up: one 圏域
    salon = make_resource(name="栄町サロン", address="川口市栄町2丁目1-1")
    assert salon.area.code == "11203"

    result = kawaguchi(table(("本町圏域", "本町"), ("栄町圏域", "栄町")))

    salon.refresh_from_db()
    assert salon.area.name == "栄町圏域"
    assert salon.area_tier1.code == "11203"
    assert result.resources_moved == 1
    assert salon.history.first().history_change_reason.startswith("自治体の区域の設定")


def test_a_dry_run_writes_nothing(db):
    result = kawaguchi(dry_run=True)

    assert result.ok and not result.written
    assert result.count(2, "new") == 20
    assert not Area.objects.exists()
    assert not AddressPoint.objects.exists()
    assert not Municipality.objects.exists()


def test_resources_imported_by_address_land_in_their_district(db):
    kawaguchi()
    district_of = dict(AddressPoint.objects.filter(city="川口市").values_list("name", "area__name"))
    sheet = table(
        ("本町の体操", "埼玉県川口市本町２丁目1-1"),
        ("赤山の集い", "川口市赤山456"),
        ("鳩ヶ谷サロン", "川口市鳩ヶ谷本町一丁目3番5号"),
        ("芝のカフェ", "川口市芝5-1-2"),
        header=("名称", "住所"),
    )

    result = resources_import(sheet, filename="kawaguchi.csv", dry_run=False)

    assert result.ok, result.errors
    placed = dict(Resource.objects.values_list("name", "area__name"))
    assert placed == {
        "本町の体操": district_of["本町２丁目"],
        "赤山の集い": district_of["大字赤山"],
        "鳩ヶ谷サロン": district_of["鳩ヶ谷本町１丁目"],
        "芝のカフェ": district_of["芝５丁目"],
    }
    assert set(Resource.objects.values_list("area_tier1__code", flat=True)) == {"11203"}


# 港区 ----------------------------------------------------------------------------


def test_minato_from_the_real_files_with_its_five_districts(db):
    result = minato()

    assert result.ok, result.errors
    assert not result.has_wards
    assert list(Area.objects.tier1().values_list("code", "name")) == [("13103", "港区")]
    assert sorted(Area.objects.tier2().values_list("name", flat=True)) == sorted(
        ["芝地区", "麻布地区", "赤坂地区", "高輪地区", "芝浦港南地区"]
    )
    # The 水面調査区 of e-Stat (no name, HCODE 8154) are not 町丁.
    assert not AddressPoint.objects.filter(name__in=["", "‐"]).exists()
    assert_every_chome_in_one_district("港区")
    assert_boundaries_sound("13103")


def test_minato_addresses_land_in_their_district(db):
    minato()
    sheet = table(
        ("三田の体操", "東京都港区三田4-1-1"),
        ("三田の集い", "港区三田二丁目3番"),
        ("芝浦サロン", "港区芝浦３丁目"),
        ("六本木カフェ", "東京都港区六本木6-10-1"),
        header=("名称", "住所"),
    )

    result = resources_import(sheet, filename="minato.csv", dry_run=False)

    assert result.ok, result.errors
    assert dict(Resource.objects.values_list("name", "area__name")) == {
        "三田の体操": "高輪地区",
        "三田の集い": "芝地区",
        "芝浦サロン": "芝浦港南地区",
        "六本木カフェ": "麻布地区",
    }


def test_chome_with_polygons_make_districts_of_their_union(db, tmp_path):
    """An e-Stat boundary file (GeoJSON with the same attributes): each 圏域 is the
    union of its 町丁's polygons. Squares around the points stand in for them."""
    rows = list(csv.DictReader(MINATO_CHOME.read_text(encoding="utf-8-sig").splitlines()))
    features = []
    for row in rows:
        if row["HCODE"] == "8154":
            continue
        x, y = float(row["X_CODE"]), float(row["Y_CODE"])
        square = shape(
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [x - 0.002, y - 0.002],
                        [x + 0.002, y - 0.002],
                        [x + 0.002, y + 0.002],
                        [x - 0.002, y + 0.002],
                        [x - 0.002, y - 0.002],
                    ]
                ],
            }
        )
        features.append({"type": "Feature", "geometry": mapping(square), "properties": row})
    document = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)

    result = minato(chome=document.encode(), chome_filename="minato_chome.geojson")

    assert result.ok, result.errors
    outline = shape(Area.objects.get(code="13103").boundary)
    shiba = Area.objects.get(name="芝地区")
    own = [
        shape(f["geometry"]).intersection(outline)
        for f in features
        if f["properties"]["KEY_CODE"] in set(shiba.address_points.values_list("code", flat=True))
    ]
    from shapely.ops import unary_union

    expected = unary_union(own)
    geom = shape(shiba.boundary)
    assert geom.is_valid
    assert geom.symmetric_difference(expected).area < expected.area * 1e-3
    assert outline.buffer(TOLERANCE).covers(geom)


# 大阪市 (wards) --------------------------------------------------------------------


def osaka(table_bytes: bytes, **kwargs):
    return city_setup(
        name="大阪市",
        code="27100",
        outline=OSAKA_OUTLINE.read_bytes(),
        chome=OSAKA_CHOME.read_bytes(),
        chome_filename=OSAKA_CHOME.name,
        table=table_bytes,
        table_filename="osaka.csv",
        **kwargs,
    )


def test_a_city_with_wards_gets_its_wards_as_tier_1_and_districts_inside_them(db):
    result = osaka(
        table(
            ("第1圏域", "梅田", "北区"),
            ("第1圏域", "茶屋町", ""),  # the ward of the row above (merged cells)
            ("第1圏域", "本町", "中央区"),
            ("第2圏域", "北浜", "中央区"),
            header=("圏域", "町丁", "第1層"),
        )
    )

    assert result.ok, result.errors
    assert result.has_wards and city().has_wards
    assert Area.objects.tier1().count() == 24
    kita1 = Area.objects.get(parent__name="北区", name="第1圏域")
    chuo1 = Area.objects.get(parent__name="中央区", name="第1圏域")
    assert kita1.label == "北区 第1圏域"
    assert set(kita1.address_points.values_list("ward", flat=True)) == {"北区"}
    assert chuo1.address_points.filter(name__startswith="本町").count() == 4
    for area in (kita1, chuo1):
        assert shape(area.parent.boundary).buffer(TOLERANCE).covers(shape(area.boundary))


def test_a_district_across_two_wards_is_refused(db):
    result = osaka(table(("梅田圏域", "梅田"), ("梅田圏域", "片町")))

    assert not result.written
    assert [str(p) for p in result.errors] == [
        "2行目 「圏域」: 圏域「梅田圏域」の町丁が都島区、北区にまたがっています。"
        "第2層の圏域は1つの区の中に置いてください（第1層の列で区を指定できます）。"
    ]
    assert not Area.objects.exists()


# Bad tables -----------------------------------------------------------------------


def test_bad_tables_give_japanese_row_errors_and_write_nothing(db):
    result = kawaguchi(
        table(
            ("本町圏域", "本町1丁目"),
            ("本町圏域", "本町９丁目"),
            ("栄町圏域", "本町一丁目"),
            ("", "栄町"),
            ("青木圏域", ""),
            ("青木圏域", "青木", "北区"),
            header=("圏域", "町丁", "第1層"),
        )
    )

    assert not result.written
    messages = [str(p) for p in result.errors]
    assert "6行目 「町丁」: 町丁が空です。" in messages
    assert any(
        m.startswith("3行目 「町丁」: 「本町9丁目」に当たる町丁がありません（近い町丁: ")
        for m in messages
    )
    assert (
        "4行目 「町丁」: 「本町１丁目」は2行目で「本町圏域」に入っています。1つの町丁は1つの圏域にだけ入れてください。"
        in messages
    )
    assert any(m.startswith("7行目 「第1層」: 第1層の区域「北区」はありません") for m in messages)
    assert not Area.objects.exists()
    assert not AddressPoint.objects.exists()
    assert not Municipality.objects.exists()


def test_a_table_without_a_chome_column_says_which_column_is_missing(db):
    result = kawaguchi(table(("本町圏域", "本町", ""), header=("圏域", "住所", "第1層")))

    assert not result.written
    assert "町丁の列がありません" in str(result.errors[0])


def test_a_code_with_a_wrong_check_digit_is_refused(db):
    result = city_setup(
        name="川口市",
        code="112039",
        outline=KAWAGUCHI_OUTLINE.read_bytes(),
        chome=KAWAGUCHI_CHOME.read_bytes(),
    )

    assert [str(p) for p in result.errors] == [
        "「--code」: 全国地方公共団体コード「112039」の検査数字が合いません（11203 なら 112038）。"
    ]


def test_an_outline_of_another_city_is_refused(db):
    result = city_setup(
        name="川口市",
        code="11203",
        outline=MINATO_OUTLINE.read_bytes(),
        chome=KAWAGUCHI_CHOME.read_bytes(),
    )

    assert not result.written
    assert "「川口市」（11203）の地物がありません（ファイルにあるのは 港区）" in str(
        result.errors[0]
    )


# The command ----------------------------------------------------------------------


def test_the_command_sets_up_the_city_and_says_what_it_did(db):
    out = StringIO()

    call_command(
        "setup_city",
        "--name=港区",
        "--code=13103",
        f"--outline={MINATO_OUTLINE}",
        f"--chome={MINATO_CHOME}",
        f"--areas={MINATO_TABLE}",
        stdout=out,
        stderr=StringIO(),
    )

    text = out.getvalue()
    assert (
        "港区を設定しました: 第1層 1、圏域 5（新規 5、更新 0）、町丁 117（圏域のない町丁 0）"
        in text
    )
    assert "13103-1 芝地区: 町丁 34" in text
    assert Municipality.objects.get().code == "131032"


def test_the_command_dry_run_writes_nothing(db):
    out = StringIO()

    call_command(
        "setup_city",
        "--name=港区",
        "--code=13103",
        f"--outline={MINATO_OUTLINE}",
        f"--chome={MINATO_CHOME}",
        f"--areas={MINATO_TABLE}",
        "--dry-run",
        stdout=out,
        stderr=StringIO(),
    )

    assert "確認のみ（書き込んでいません）" in out.getvalue()
    assert not Area.objects.exists()


def test_the_command_fails_with_the_problems_and_writes_nothing(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(table(("芝地区", "芝"), ("芝地区", "存在しない町")))
    err = StringIO()

    with pytest.raises(CommandError, match="1件の問題があるため、何も書き込みませんでした"):
        call_command(
            "setup_city",
            "--name=港区",
            "--code=13103",
            f"--outline={MINATO_OUTLINE}",
            f"--chome={MINATO_CHOME}",
            f"--areas={bad}",
            stdout=StringIO(),
            stderr=err,
        )

    assert "問題 3行目 「町丁」: 「存在しない町」に当たる町丁がありません" in err.getvalue()
    assert not Area.objects.exists()
