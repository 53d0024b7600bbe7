"""The importer (resources/importing/) and ``manage.py import_resources``: real
files in, clear Japanese problems out, nothing written unless every row is right."""

from __future__ import annotations

import copy
from datetime import date
from datetime import time as clock
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from resources.importing import (
    IMPORTABLE_KEYS,
    resources_import,
    resources_import_path,
)
from resources.models import Category, Resource
from resources.services import resource_prepare
from tests.conftest import make_resource
from tests.resources.import_files import (
    PREF_LIST,
    SALON_HEADER,
    TOKYO,
    WAM_OSAKA,
    csv_bytes,
    salon_rows,
    salon_workbook,
)

History = Resource.history.model


def salon_import(**kwargs):
    return resources_import(salon_workbook(), filename="salons.xlsx", **kwargs)


# Real files -------------------------------------------------------------------------


def test_the_real_cp932_wam_file_imports_as_other_resources_with_their_points(areas):
    result = resources_import_path(WAM_OSAKA, dry_run=False, skip_outside=True)

    assert result.errors == []
    assert (result.kind, result.encoding, result.header_row) == ("csv", "cp932", 1)
    assert result.layout == "WAM NET 障害福祉サービス等情報"
    # 大阪府's file: the 272 homes of 大阪市 in, the rest of the prefecture left out.
    assert (result.new, result.updated, result.unchanged, result.outside) == (272, 0, 0, 569)
    assert str(result.warnings[0]).startswith("市外の 569行は取り込みません（堺市 61行")
    home = Resource.objects.get(code="A0000022007")
    assert home.name == "グループホーム　にっこにこ今里"
    assert home.kana == "ぐるーぷほーむにっこにこいまざと"
    assert home.resource_type == Resource.Type.OTHER  # 共同生活援助 is not 介護保険
    assert home.address == "大阪府大阪市東成区"  # 以下省略 dropped
    assert (home.lat, home.lng) == (34.669935, 135.5412816)
    assert home.location_source == Resource.LocationSource.EXACT
    assert home.contact_phone == "06-6210-2412"
    assert home.area is not None
    assert home.visibility == Resource.Visibility.STAFF  # no 公開範囲 column: not published
    assert home.history.get().history_change_reason.startswith("表計算ファイルの取込")


def test_the_wam_file_names_columns_it_skips_and_points_outside_every_area(areas):
    result = resources_import_path(WAM_OSAKA, dry_run=True)

    statuses = {c.header: c.status for c in result.columns}
    assert statuses["事業所番号"] == "duplicate"  # NO is the code: 事業所番号 repeats
    assert statuses["法人FAX番号"] == "ignored"
    assert any("どの区域の境界の中にもありません" in w.message and w.row for w in result.warnings)
    assert Resource.objects.count() == 0


def test_importing_the_same_file_again_changes_nothing_and_writes_no_history(areas):
    resources_import_path(WAM_OSAKA, dry_run=False, skip_outside=True)
    histories = History.objects.count()

    again = resources_import_path(WAM_OSAKA, dry_run=False, skip_outside=True)

    assert (again.new, again.updated, again.unchanged) == (0, 0, 272)
    assert History.objects.count() == histories


def test_the_prefecture_list_keeps_leading_zeros_and_finds_the_ward_of_a_truncated_address(areas):
    result = resources_import_path(PREF_LIST, dry_run=False)

    assert result.errors == []
    assert result.new == 395
    home = Resource.objects.get(code="2725200055")
    assert home.address == "大阪市都島区"
    assert home.origin_date == date(2021, 12, 1)
    assert home.capacity == 4
    in_kita = Resource.objects.filter(address="大阪市北区").first()
    assert in_kita is not None and in_kita.area == areas["kita"]
    assert in_kita.lat is None


def test_the_tokyo_file_is_refused_as_outside_the_city_said_once(areas):
    result = resources_import_path(TOKYO, dry_run=False)

    messages = [str(p) for p in result.errors]
    assert result.layout == "推奨データセット 公共施設一覧"
    assert messages[0].startswith(f"2行目 「住所」: 市外の行が {result.outside}行あります（東京都")
    assert result.outside > 120
    assert not result.written
    assert Resource.objects.count() == 0


# A ward's Excel list ------------------------------------------------------------------


def test_an_xlsx_with_a_title_row_and_blank_rows_is_read_from_its_header(areas, town_blocks):
    result = salon_import(dry_run=False)

    assert result.errors == []
    assert (result.kind, result.sheet, result.header_row) == ("xlsx", "サロン一覧", 3)
    assert result.blank_rows == 1
    assert result.new == 3
    salon = Resource.objects.get(name="梅田ふれあいサロン")
    assert salon.kana == "ウメダフレアイサロン"
    assert salon.resource_type == Resource.Type.SALON  # guessed from the name
    assert {c.name for c in salon.categories.all()} == {"交流", "運動"}
    assert salon.area == areas["kita1"]
    assert salon.location_source == Resource.LocationSource.ADDRESS_POINT
    assert (salon.fee_free, salon.fee_amount, salon.fee_note) == (False, 100, "お茶代")
    assert (salon.origin, salon.origin_date) == (Resource.Origin.NEW, date(2018, 3, 1))
    assert salon.capacity == 20
    assert salon.contact_person == "山田 花子"
    rule = salon.schedules.get()
    assert (rule.kind, rule.weekdays, rule.weeks_of_month) == ("monthly_nth", "WE", "1,3")
    assert (rule.opens_at, rule.closes_at) == (clock(13, 30), clock(15))
    assert salon.schedule_days == 4  # 水


def test_district_names_fiscal_years_and_ward_names_from_the_same_list(areas, town_blocks):
    salon_import(dry_run=False)

    exercise = Resource.objects.get(name="中崎いきいき百歳体操")
    assert exercise.resource_type == Resource.Type.EXERCISE
    assert exercise.area == areas["kita2"]
    assert exercise.fee_free is True
    assert (exercise.origin, exercise.origin_date) == (Resource.Origin.EXPANDED, date(2022, 4, 1))
    assert exercise.schedules.get().opens_at == clock(10)
    cafe = Resource.objects.get(name="港区おしゃべりカフェ")
    assert cafe.area == areas["minato"]
    assert (cafe.fee_note, cafe.origin_date) == ("実費", date(2019, 4, 1))
    assert cafe.schedules.get().day_of_month == 15


def test_a_formula_is_read_as_text_and_never_evaluated(areas, town_blocks):
    result = resources_import(salon_workbook(formula=True), filename="salons.xlsx", dry_run=False)

    assert result.errors == []
    assert any("数式" in w.message and w.row for w in result.warnings)
    assert Resource.objects.filter(name__startswith="=HYPERLINK(").exists()


def test_reimporting_the_list_changes_nothing(areas, town_blocks):
    salon_import(dry_run=False)
    histories = History.objects.count()

    again = salon_import(dry_run=False)

    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    assert History.objects.count() == histories


def test_a_changed_row_is_updated_and_recorded_in_history_with_the_user(
    areas, town_blocks, city_staff
):
    salon_import(dry_run=False)
    rows = salon_rows()
    rows[1][6] = "第2・4金曜 10:00～12:00"
    rows[1][7] = "200円"

    result = resources_import(
        salon_workbook(rows), filename="salons.xlsx", user=city_staff, dry_run=False
    )

    assert (result.new, result.updated, result.unchanged) == (0, 1, 2)
    [changed] = [o for o in result.outcomes if o.action == "updated"]
    assert set(changed.changes) >= {"参加費", "開催日時"}
    salon = Resource.objects.get(name="梅田ふれあいサロン")
    assert salon.fee_amount == 200
    assert salon.schedules.get().weeks_of_month == "2,4"
    latest = salon.history.first()
    assert (latest.history_type, latest.history_user) == ("~", city_staff)
    assert salon.history.count() == 2
    assert list(latest.categories.values_list("category__name", flat=True)) != []


def test_rows_without_a_code_keep_a_stable_derived_one(areas, town_blocks):
    salon_import(dry_run=False)

    codes = set(Resource.objects.values_list("code", flat=True))

    assert all(code.startswith("IMP-") for code in codes)
    assert len(codes) == 3


def test_columns_missing_from_the_file_leave_stored_values_alone(areas):
    salon = make_resource(
        code="S-1", name="あおぞらサロン", internal_notes="鍵は管理人室", fee_free=True
    )

    result = resources_import(
        csv_bytes([["資源コード", "名称", "状態"], ["S-1", "あおぞらサロン", "休止中"]]),
        dry_run=False,
    )

    assert result.updated == 1
    salon.refresh_from_db()
    assert (salon.status, salon.internal_notes, salon.fee_free) == ("paused", "鍵は管理人室", True)


def test_the_biko_column_goes_to_the_staff_only_notes(areas):
    resources_import(
        csv_bytes([["名称", "備考"], ["あおぞら", "代表者の自宅で開催"]]), dry_run=False
    )

    assert Resource.objects.get().internal_notes == "代表者の自宅で開催"


# Safety -------------------------------------------------------------------------------


def test_one_invalid_row_writes_nothing(areas, town_blocks):
    rows = salon_rows()
    rows[2][5] = "ないない圏域"

    result = resources_import(salon_workbook(rows), filename="salons.xlsx", dry_run=False)

    assert [str(p) for p in result.errors] == [
        "6行目 「圏域」: 区域「ないない圏域」はありません — 1行。「値の割り当て」で選んでください。"
    ]
    assert not result.written
    assert Resource.objects.count() == 0


def test_skip_invalid_writes_the_valid_rows(areas, town_blocks):
    rows = salon_rows()
    rows[2][5] = "ないない圏域"

    result = resources_import(
        salon_workbook(rows), filename="salons.xlsx", dry_run=False, skip_invalid=True
    )

    assert result.written
    assert set(Resource.objects.values_list("name", flat=True)) == {
        "梅田ふれあいサロン",
        "港区おしゃべりカフェ",
    }


def test_a_dry_run_writes_nothing(areas, town_blocks):
    result = salon_import(dry_run=True)

    assert result.new == 3
    assert Resource.objects.count() == 0


def test_the_same_code_twice_names_both_rows(areas):
    data = csv_bytes([["資源コード", "名称"], ["A-1", "一の会"], ["A-1", "二の会"]])

    result = resources_import(data, dry_run=False)

    assert [str(p) for p in result.errors] == [
        "3行目 「資源コード」: 資源コード「A-1」が 2行目と同じです（重複しています）。"
    ]
    assert Resource.objects.count() == 0


def test_identical_rows_are_reported(areas):
    data = csv_bytes([["名称", "住所"], ["一の会", "大阪市北区"], ["一の会", "大阪市北区"]])

    result = resources_import(data, dry_run=True)

    assert [str(p) for p in result.errors] == ["3行目: 2行目と同じ内容の行です（重複しています）。"]


def test_a_file_that_changes_most_of_the_registry_asks_for_confirmation(areas):
    for n in range(12):
        make_resource(code=f"C-{n}", name=f"会{n}")
    data = csv_bytes(
        [["資源コード", "名称", "状態"], *[[f"C-{n}", f"会{n}", "終了"] for n in range(12)]]
    )

    held = resources_import(data, dry_run=False)

    assert held.needs_confirmation and not held.written
    assert "12件のうち 12件" in held.confirmation
    assert not Resource.objects.filter(status="ended").exists()

    forced = resources_import(data, dry_run=False, force=True)

    assert forced.written
    assert Resource.objects.filter(status="ended").count() == 12


def test_an_unknown_header_can_be_mapped(areas):
    data = csv_bytes([["名称", "ひらく日"], ["あおぞら", "毎週月曜"]])

    skipped = resources_import(data, dry_run=True)
    mapped = resources_import(data, dry_run=False, mapping={1: "schedule"})

    assert [c.status for c in skipped.columns] == ["used", "unknown"]
    assert any(w.column == "ひらく日" for w in skipped.warnings)
    assert Resource.objects.get().schedules.get().weekdays == "MO"
    assert mapped.columns[1].status == "chosen"


# Bad input: a clear Japanese message naming the row and column, nothing written ---------

BAD_FILES = {
    "broken encoding": (
        "名称,住所\r\nあおぞら,大阪市\r\n".encode() + b"\x82\xa0\xff\xfe,x\r\n",
        "bad.csv",
        "文字コードを判別できません（3行目",
    ),
    "empty file": (b"", "empty.csv", "ファイルが空です"),
    "header only": (csv_bytes([["名称", "住所"]]), "header.csv", "1行目: 見出しの行しかありません"),
    "50 MB": (b"a" * (50 * 1024 * 1024), "big.csv", "ファイルが大きすぎます（50.0 MB）"),
    "300 columns": (
        csv_bytes([["名称", "住所", *[f"列{n}" for n in range(298)]], ["あおぞら", "大阪市"]]),
        "wide.csv",
        "1行目: 列が 300 列あります",
    ),
    "平成32年": (
        csv_bytes([["名称", "開始日"], ["あおぞら", "平成32年4月1日"]]),
        "date.csv",
        "2行目 「開始日」: 「平成32年4月1日」: 平成32年はありません",
    ),
    "第5水曜 in a month without one": (
        csv_bytes([["名称", "開催日"], ["あおぞら", "2023年2月第5水曜"]]),
        "fifth.csv",
        "2行目 「開催日」: 「2023年2月第5水曜」: 2023年2月に第5水曜日はありません",
    ),
    "half a point": (
        csv_bytes([["名称", "緯度", "経度"], ["あおぞら", "34.7", ""]]),
        "half.csv",
        "2行目 「緯度」: 緯度と経度は両方入力するか、両方空欄にしてください",
    ),
    "unknown area": (
        csv_bytes([["名称", "圏域"], ["あおぞら", "天満圏域"]]),
        "area.csv",
        "2行目 「圏域」: 区域「天満圏域」はありません",
    ),
    "same code twice": (
        csv_bytes([["資源コード", "名称"], ["X1", "あ"], ["X1", "い"]]),
        "dup.csv",
        "3行目 「資源コード」: 資源コード「X1」が 2行目と同じです",
    ),
    "xlsx that is not a zip": (
        csv_bytes([["名称"], ["あおぞら"]]),
        "list.xlsx",
        "中身が Excel・表計算のファイルではありません",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_get_one_clear_message_and_write_nothing(areas, case):
    data, filename, expected = BAD_FILES[case]
    before = Resource.objects.count()

    result = resources_import(data, filename=filename, dry_run=False)

    assert any(expected in str(p) for p in result.errors), [str(p) for p in result.errors]
    assert not result.written
    assert Resource.objects.count() == before


def test_a_zip_bomb_is_refused_before_unpacking(areas):
    from tests.resources.import_files import zip_bomb

    result = resources_import(zip_bomb(), filename="bomb.xlsx", dry_run=False)

    assert [str(p) for p in result.errors] == [
        "ファイルを展開すると大きくなりすぎるため読めません（ZIP 爆弾の疑い）。展開後 100 MB までの Excel ファイルにしてください。"
    ]


def test_a_fifth_wednesday_every_month_is_accepted_with_a_warning(areas):
    result = resources_import(
        csv_bytes([["名称", "開催日"], ["あおぞら", "第5水曜"]]), dry_run=False
    )

    assert result.written
    assert [str(w) for w in result.warnings] == [
        "2行目 「開催日」: 第5水曜がない月は開催がありません（年に4回ほどの開催になります）。"
    ]


def test_a_broken_link_is_dropped_with_a_warning_not_an_error(areas):
    result = resources_import(
        csv_bytes([["名称", "URL"], ["あおぞら", "http://three.ai,jp"]]), dry_run=False
    )

    assert result.written
    assert "URL「http://three.ai,jp」が正しくありません" in str(result.warnings[0])
    assert Resource.objects.get().url == ""


# The command ------------------------------------------------------------------------------


def test_the_command_prints_a_summary(areas, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([["名称", "区"], ["あおぞら", "北区"]], encoding="cp932"))
    out = StringIO()

    call_command("import_resources", str(path), stdout=out, stderr=StringIO())

    assert "CSV（Shift_JIS）" in out.getvalue()
    assert "取り込みました: 新規 1件、更新 0件、変更なし 0件" in out.getvalue()
    assert Resource.objects.get().area == areas["kita"]


def test_the_command_dry_run_writes_nothing(areas, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([["名称"], ["あおぞら"]]))
    out = StringIO()

    call_command("import_resources", str(path), "--dry-run", stdout=out)

    assert "確認のみ（書き込んでいません）: 新規 1件" in out.getvalue()
    assert Resource.objects.count() == 0


def test_the_command_fails_with_the_rows_and_writes_nothing(areas, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(
        csv_bytes([["名称", "緯度", "経度"], ["あおぞら", "34.7", "135.5"], ["いい会", "34.7", ""]])
    )
    err = StringIO()

    with pytest.raises(CommandError, match="1件の問題があるため、何も書き込みませんでした"):
        call_command("import_resources", str(path), stdout=StringIO(), stderr=err)

    assert "問題 3行目 「緯度」: 緯度と経度は両方入力するか" in err.getvalue()
    assert Resource.objects.count() == 0


def test_the_command_maps_a_column_by_its_header(areas, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([["名称", "ひらく日"], ["あおぞら", "毎週金曜"]]))

    call_command("import_resources", str(path), "--column", "ひらく日=schedule", stdout=StringIO())

    assert Resource.objects.get().schedules.get().weekdays == "FR"
    assert "schedule" in IMPORTABLE_KEYS


def test_the_command_needs_force_for_a_mass_change(areas, tmp_path):
    for n in range(10):
        make_resource(code=f"C-{n}", name=f"会{n}")
    path = tmp_path / "list.csv"
    path.write_bytes(
        csv_bytes(
            [["資源コード", "名称", "状態"], *[[f"C-{n}", f"会{n}", "休止中"] for n in range(10)]]
        )
    )

    with pytest.raises(CommandError, match="--force"):
        call_command("import_resources", str(path), stdout=StringIO(), stderr=StringIO())
    call_command("import_resources", str(path), "--force", stdout=StringIO(), stderr=StringIO())

    assert Resource.objects.filter(status="paused").count() == 10


# Same answers as the one-at-a-time rules; bench figures ---------------------------------------


def test_area_and_point_match_resource_prepare(areas, town_blocks):
    resources_import(
        csv_bytes(
            [
                ["名称", "住所", "緯度", "経度"],
                ["住所だけ", "大阪市北区梅田1-2-3", "", ""],
                ["位置だけ", "", "34.715", "135.515"],
                ["区域の外", "", "35.0", "136.0"],
                ["港区の住所", "大阪市港区築港1丁目", "", ""],
                ["どちらもなし", "", "", ""],
            ]
        ),
        dry_run=False,
    )

    for resource in Resource.objects.all():
        again = copy.copy(resource)
        resource_prepare(again)
        assert (
            again.area_id,
            again.area_tier1_id,
            again.lat,
            again.lng,
            again.location_source,
        ) == (
            resource.area_id,
            resource.area_tier1_id,
            resource.lat,
            resource.lng,
            resource.location_source,
        ), resource.name
        # search_bigrams is bigram_vector(search_text) (stored as a tsvector on
        # PostgreSQL, which rewrites the literal): equal texts, equal bigrams.
        assert (again.search_text, again.name_text) == (resource.search_text, resource.name_text)


def test_categories_are_read_by_name_or_code(areas):
    resources_import(
        csv_bytes([["名称", "カテゴリ"], ["あおぞら", "exercise, 買物"]]), dry_run=False
    )

    assert set(Resource.objects.get().categories.values_list("code", flat=True)) == {
        "exercise",
        "shopping",
    }
    assert Category.objects.filter(code="shopping").exists()


def test_salon_header_is_recognised():
    from resources.importing import column_for_header

    assert [column_for_header(h)[0] if column_for_header(h) else None for h in SALON_HEADER] == [
        "",
        "name",
        "kana",
        "categories",
        "address",
        "area",
        "schedule",
        "fee",
        "origin",
        "origin_date",
        "capacity",
        "contact_person",
    ]


def test_imported_and_updated_resources_are_found_by_the_search(client, areas):
    header = ["資源コード", "名称", "区"]
    resources_import(
        csv_bytes([header, ["S-1", "梅田ふれあいサロン", "北区"]]), dry_run=False, publish=True
    )
    resources_import(csv_bytes([header, ["S-1", "梅田ひだまりサロン", "北区"]]), dry_run=False)

    found = client.get("/resources/", {"q": "ひだまり"}).content.decode()
    gone = client.get("/resources/", {"q": "ふれあい"}).content.decode()

    assert "梅田ひだまりサロン" in found
    assert "「ふれあい」では見つからないため" in gone and "梅田ふれあいサロン" not in gone


def test_an_ods_spreadsheet_is_read_too(areas):
    import tablib

    sheet = tablib.Dataset(headers=["名称", "区", "開催日"])
    sheet.append(["テストサロン", "北区", "毎週火曜"])

    result = resources_import(sheet.export("ods"), filename="list.ods", dry_run=False)

    assert (result.kind, result.new) == ("ods", 1)
    assert Resource.objects.get().area == areas["kita"]
