"""Real public files in their own layouts, imported after mapping only (issue 13).

Four publishers' layouts from three municipalities: 厚生労働省 介護サービス情報公表
(大阪府's rows), 推奨データセット 公共施設一覧 and two lists of 焼津市 in its own
layouts, 東京都's 公共施設一覧, WAM NET. No cell of any file is edited.
"""

from __future__ import annotations

from datetime import time as clock

import pytest

from portal.cache import data_changed
from portal.models import Municipality
from resources.importing import resources_import, resources_import_path
from resources.importing.outside import OutsideCheck
from resources.models import Resource
from tests.conftest import make_address_point, make_area, square
from tests.resources.import_files import DATA, TOKYO, csv_bytes

KOUHYOU_720 = DATA / "mhlw_kaigo_kouhyou_jigyosho_720_osaka27.csv"
KOUHYOU_730 = DATA / "mhlw_kaigo_kouhyou_jigyosho_730_osaka27.csv"
KOUHYOU_TRIMMED = DATA / "mhlw_kaigo_kouhyou_jigyosho_720_trimmed_sapporo_takamatsu_osaka.csv"
YAIZU_FACILITIES = DATA / "yaizu222127_public_facility_facilities_smartmap.csv"
YAIZU_SHELTERS = DATA / "yaizu222127_machinaka_suzumidokoro_cooling_shelters.csv"
YAIZU_CARE = DATA / "yaizu222127_yohairyosya_riyoshisetsu.csv"


def city(name: str, prefecture: str, code: str, **extra) -> None:
    Municipality.objects.update_or_create(
        pk=1, defaults={"name": name, "prefecture": prefecture, "code": code, **extra}
    )
    data_changed()


@pytest.fixture
def yaizu(db):
    city("焼津市", "静岡県", "222127", has_wards=False)
    return make_area(tier=1, code="222127", name="焼津市", boundary=square(138.20, 34.80, 0.16))


@pytest.fixture
def tokyo_minato(db):
    city("港区", "東京都", "131032", has_wards=False)
    return make_area(tier=1, code="13103", name="港区", boundary=square(139.70, 35.62, 0.08))


# 厚生労働省 介護サービス情報公表システム ------------------------------------------------


def test_the_kouhyou_file_is_recognised_and_its_other_cities_caught_once(areas):
    result = resources_import_path(KOUHYOU_720, dry_run=True)

    assert result.layout == "厚生労働省 介護サービス情報公表システム オープンデータ"
    assert result.outside == 117
    assert len(result.errors) == 1
    assert "市外の行が 117行あります（堺市 17行、東大阪市 15行" in result.errors[0].message


def test_the_kouhyou_file_imports_its_osaka_rows_as_care_offices(areas):
    result = resources_import_path(KOUHYOU_720, dry_run=False, skip_outside=True)

    assert result.errors == [] and result.written
    assert (result.new, result.outside) == (53, 117)
    office = Resource.objects.get(code="2795200241")  # 事業所番号 is the code
    assert office.name == "デイサービスセンターたのしいデイ都島"
    assert office.resource_type == Resource.Type.CARE_OFFICE
    assert "サービスの種類: 認知症対応型通所介護" in office.description
    assert office.visibility == Resource.Visibility.STAFF
    assert office.contact_phone == "06-6927-3221"
    assert office.schedules.get().weekdays == "MO,TU,WE,TH,FR,SA"  # 平日,土曜日,祝日


def test_the_small_multi_function_file_imports_the_same_way(areas):
    result = resources_import_path(KOUHYOU_730, dry_run=False, skip_outside=True)

    assert result.errors == [] and result.written
    assert result.new == 62
    home = Resource.objects.get(code="2795200050")
    assert home.capacity == 25
    assert home.resource_type == Resource.Type.CARE_OFFICE


def test_sapporo_kita_and_takamatsu_are_never_placed_in_the_city(areas, umeda):
    # 北区 and 扇町 are 大阪市's too: the address is read from its start.
    make_address_point(
        code="27127002",
        city="大阪市",
        ward="北区",
        name="扇町１丁目",
        lat=34.705,
        lng=135.51,
        area=areas["kita2"],
    )
    result = resources_import_path(KOUHYOU_TRIMMED, dry_run=False, skip_outside=True)

    assert result.outside == 19
    assert result.written
    assert not Resource.objects.filter(address__contains="札幌").exists()
    assert not Resource.objects.filter(address__contains="高松").exists()
    assert Resource.objects.count() == 2


@pytest.mark.parametrize(
    ("address", "other"),
    [
        ("北海道札幌市北区北八条西5丁目", "北海道札幌市"),
        ("札幌市北区北八条西5丁目", "札幌市"),
        ("香川県高松市扇町1丁目2-3", "香川県高松市"),
        ("高松市扇町1丁目2-3", "高松市"),
        ("大阪府堺市堺区", "堺市"),
        ("大阪府大阪市北区扇町1丁目", ""),
        ("大阪市北区梅田1丁目", ""),
        ("北区梅田１丁目", ""),
        ("梅田1丁目2-3", ""),
        ("東京都北区赤羽1丁目", "東京都北区"),
    ],
)
def test_an_address_is_anchored_on_the_city(areas, address, other):
    check = OutsideCheck(["北区", "港区"])
    assert check.other_place(address) == other


# 焼津市 -----------------------------------------------------------------------------


def test_yaizu_public_facilities_import_as_they_are(yaizu):
    result = resources_import_path(YAIZU_FACILITIES, dry_run=False)

    assert result.layout == "推奨データセット 公共施設一覧"
    assert result.errors == [] and result.written, result.errors
    assert result.new == 28
    museum = Resource.objects.get(name__startswith="駿河湾深層水")
    assert museum.area == yaizu
    assert "【開館時間】9:00～17:00" in museum.description
    assert museum.visibility == Resource.Visibility.STAFF


def test_yaizu_cooling_shelters_get_their_hours_per_weekday(yaizu):
    result = resources_import_path(YAIZU_SHELTERS, dry_run=False)

    assert result.layout == "指定暑熱避難施設一覧"
    assert result.errors == [] and result.written, result.errors
    hall = Resource.objects.get(name="焼津市役所　本庁舎")
    rule = hall.schedules.get()
    assert (rule.weekdays, rule.opens_at, rule.closes_at) == (
        "MO,TU,WE,TH,FR",
        clock(8, 30),
        clock(17, 15),
    )
    assert hall.capacity == 10
    assert "選挙やイベント時は開放不可" in hall.description


def test_yaizu_care_facilities_import_after_one_column_decision(yaizu):
    first = resources_import_path(YAIZU_CARE, dry_run=True)
    assert not first.written
    assert {u["column"] for u in first.unresolved} == {"区分"}  # 区分 read as 新規・既存

    mapping = {"columns": {"区分": "サービスの種類"}}
    result = resources_import_path(YAIZU_CARE, dry_run=False, columns={"区分": "service"})

    assert result.errors == [] and result.written, (result.errors, result.unresolved)
    assert result.new == 276  # a place listed once per service is one resource
    centre = Resource.objects.get(name="大井川福祉サービスセンター")
    assert "通所介護" in centre.description and "居宅介護" in centre.description
    day = Resource.objects.filter(description__contains="放課後等デイサービス").first()
    assert day.resource_type == Resource.Type.OTHER
    assert Resource.objects.filter(resource_type=Resource.Type.CARE_OFFICE).count() > 50
    assert mapping  # the same as a mapping file (see test_the_command_reads_a_mapping_file)


# 東京都 -----------------------------------------------------------------------------


def test_tokyo_facilities_in_minato_import_and_the_rest_are_left_out(tokyo_minato):
    result = resources_import_path(TOKYO, dry_run=False, skip_outside=True)

    assert result.errors == [] and result.written, result.errors
    assert result.new == 10
    assert result.outside == 126
    # 石神井公園's point (swapped in the file) is far from its address in 港区.
    assert any(
        "どの区域の境界の中にもありません" in w.message and w.row == 93 for w in result.warnings
    )
    assert sorted(r.address[:5] for r in Resource.objects.all()) == ["東京都港区"] * 10, [
        r.address for r in Resource.objects.all()
    ]


# 厚生労働省 通いの場のオープンデータ ----------------------------------------------------

KAYOI_HEADER = [
    "No",
    "都道府県コード",
    "都道府県名",
    "市区町村コード",
    "市区町村名",
    "備考",
    "名称（ふりがな）",
    "名称",
    "郵便番号",
    "所在地（都道府県から番地まで）",
    "所在地（建物名・部屋番号等）",
    "電話番号",
    "対象者",
    "活動内容",
    "運営日（平日）－開始",
    "運営日（平日）－終了",
    "運営日（土曜）－開始",
    "運営日（土曜）－終了",
    "運営日（日曜）－開始",
    "運営日（日曜）－終了",
    "運営日（祝日）－開始",
    "運営日（祝日）－終了",
    "定休日",
    "定員",
    "料金体系",
    "飲食の提供の有無",
    "飲食持ち込みの可否",
    "送迎の有無",
    "対象エリア",
    "総合事業実施の有無",
    "その他",
    "法人番号の有無",
    "法人番号",
    "法人名称（ふりがな）",
    "法人名称",
    "ステータス",
    "緯度",
    "経度",
]


def kayoi_row(**cells) -> list[str]:
    row = dict.fromkeys(KAYOI_HEADER, "")
    row.update(cells)
    return [row[h] for h in KAYOI_HEADER]


def test_the_kayoinoba_layout_gives_hours_pickup_and_targets(areas, umeda):
    # The 38 columns as the ministry publishes them; the rows are made up for the test.
    rows = [
        kayoi_row(
            No="1",
            都道府県名="大阪府",
            市区町村名="大阪市",
            **{
                "名称（ふりがな）": "うめだいきいきさろん",
                "名称": "梅田いきいきサロン",
                "所在地（都道府県から番地まで）": "大阪府大阪市北区梅田1丁目2-3",
                "所在地（建物名・部屋番号等）": "梅田会館2階",
                "対象者": "概ね65歳以上の方",
                "運営日（平日）－開始": "10:00",
                "運営日（平日）－終了": "12:00",
                "運営日（土曜）－開始": "13:30",
                "運営日（土曜）－終了": "15:00",
                "定休日": "日曜・祝日",
                "定員": "先着20人",
                "料金体系": "1回100円（お茶代）",
                "送迎の有無": "有",
                "ステータス": "活動中",
            },
        ),
        kayoi_row(
            No="2",
            都道府県名="北海道",
            市区町村名="札幌市北区",
            **{
                "名称": "北区の通いの場",
                "所在地（都道府県から番地まで）": "北海道札幌市北区北八条西",
            },
        ),
    ]
    result = resources_import(
        csv_bytes([KAYOI_HEADER, *rows]), filename="kayoi.csv", dry_run=False, skip_outside=True
    )

    assert result.layout == "厚生労働省 通いの場のオープンデータ"
    assert result.errors == [] and result.written, (result.errors, result.unresolved)
    assert result.outside == 1
    salon = Resource.objects.get()
    assert salon.address == "大阪府大阪市北区梅田1丁目2-3 梅田会館2階"
    assert salon.kana == "うめだいきいきさろん"
    assert salon.resource_type == Resource.Type.SALON
    assert salon.area == areas["kita1"]
    assert [t.name for t in salon.targets.all()] == ["65歳以上"]
    assert [f.name for f in salon.features.all()] == ["送迎あり"]
    assert salon.capacity == 20
    assert (salon.fee_amount, salon.status) == (100, Resource.Status.ACTIVE)
    rules = [(r.weekdays, r.opens_at, r.closes_at) for r in salon.schedules.order_by("sort_order")]
    assert rules == [
        ("MO,TU,WE,TH,FR", clock(10), clock(12)),
        ("SA", clock(13, 30), clock(15)),
    ]
    assert "定休日: 日曜・祝日" in salon.schedules.first().note


# Open data out in the same layouts ---------------------------------------------------------


def test_public_resources_go_out_in_the_kayoinoba_and_jichitai_layouts_and_back(
    client, areas, umeda
):
    from resources.models import Target

    row = kayoi_row(
        **{
            "名称": "梅田いきいきサロン",
            "所在地（都道府県から番地まで）": "大阪府大阪市北区梅田1丁目2-3",
            "対象者": "65歳以上",
            "運営日（平日）－開始": "10:00",
            "運営日（平日）－終了": "12:00",
            "送迎の有無": "有",
        }
    )
    resources_import(csv_bytes([KAYOI_HEADER, row]), dry_run=False, publish=True)
    resources_import(csv_bytes([["名称"], ["関係者だけの会"]]), dry_run=False)
    assert Target.objects.filter(name="65歳以上").exists()

    kayoi = client.get("/opendata/kayoinoba.csv")
    jichitai = client.get("/opendata/jichitai.csv")

    text = kayoi.content.decode("utf-8-sig")
    assert text.splitlines()[0].split(",") == KAYOI_HEADER
    assert "梅田いきいきサロン" in text and "関係者だけの会" not in text
    assert ",10:00,12:00," in text and ",有," in text
    assert "関係者だけの会" not in jichitai.content.decode("utf-8-sig")
    again = resources_import(kayoi.content, filename="kayoinoba.csv", dry_run=True)
    assert again.layout == "厚生労働省 通いの場のオープンデータ"
    assert (again.new, again.errors) == (0, [])  # the same resource, found by name and address
    back = resources_import(jichitai.content, filename="jichitai.csv", dry_run=True)
    assert back.layout == "自治体標準オープンデータセット 公共施設一覧（正式版）"
    assert back.errors == [] and back.rows_total == 1
