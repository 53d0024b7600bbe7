"""Exports: the staff export of the current search, export_resources, the open-data
CSV — through the access policy, safe in Excel, and read back unchanged."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from datetime import time as clock
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from openpyxl import load_workbook

from portal.models import AddressPoint
from portal.roles import Reader
from resources import exporting
from resources.importing import resources_import
from resources.models import Category, Feature, Resource, Target
from resources.presenter import resource_fields
from tests.conftest import add_schedule, make_resource, make_user

EXPORT_URL = "/staff/export/"
History = Resource.history.model


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM for Excel"
    assert b"\r\n" in content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def as_dicts(content: bytes) -> list[dict]:
    header, *rows = read_csv(content)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def registry(areas, city_staff, kita_coordinator):
    """Resources with every kind of value the export writes."""
    exercise, social = Category.objects.get(code="exercise"), Category.objects.get(code="social")
    AddressPoint.objects.create(
        code="27127001001",
        city="大阪市",
        ward="北区",
        name="梅田１丁目",
        lat=34.700,
        lng=135.495,
        area=areas["kita1"],
    )
    salon = make_resource(
        code="R-SALON",
        name="梅田ふれあいサロン",
        kana="うめだふれあいさろん",
        description="お茶を飲みながら\nおしゃべり。",
        address="大阪市北区梅田1丁目2-3",
        categories=[exercise, social],
        fee_amount=100,
        fee_note="お茶代",
        capacity=20,
        origin=Resource.Origin.NEW,
        origin_date=date(2024, 5, 1),
        verified_on=date(2025, 10, 1),
        contact_person="山田 花子",
        private_phone="090-1111-2222",
        internal_notes="鍵は管理人室",
        supporting_coordinator=kita_coordinator,
        contact_phone="+81-6-0000-0000",
    )
    salon.targets.set([Target.objects.get(code="age65")])
    salon.features.set([Feature.objects.get(code="no_booking")])
    add_schedule(
        resource=salon,
        kind="monthly_nth",
        weekdays="WE",
        weeks_of_month="1,3",
        opens_at=clock(13, 30),
        closes_at=clock(15),
    )
    add_schedule(resource=salon, kind="monthly_date", day_of_month=15, note="土日祝の場合は翌平日")
    exercise_class = make_resource(
        code="R-TAISO",
        name='=HYPERLINK("http://evil.example")',
        lat=34.71,
        lng=135.51,
        fee_free=True,
        area=areas["minato1"],
        area_locked=True,
        description="-2 kg の おもり",
        status=Resource.Status.PAUSED,
    )
    add_schedule(resource=exercise_class, kind="weekly", weekdays="TU,FR", opens_at=clock(10))
    add_schedule(resource=exercise_class, kind="irregular", note="夏は休み（7・8月）")
    make_resource(
        code="R-STAFF",
        name="準備中の認知症カフェ",
        resource_type=Resource.Type.DEMENTIA_CAFE,
        visibility=Resource.Visibility.STAFF,
        lat=34.701,
        lng=135.491,
        contact_person="佐藤 次郎",
    )
    make_resource(
        code="R-ENDED", name="終わった会", status=Resource.Status.ENDED, lat=34.70, lng=135.49
    )
    return {"salon": salon, "exercise": exercise_class}


# Who may export -------------------------------------------------------------------


def test_anonymous_visitors_and_plain_users_get_404(client, registry, db):
    assert client.get(EXPORT_URL).status_code == 404
    client.force_login(make_user("plain"))
    assert client.get(EXPORT_URL).status_code == 404


@pytest.mark.parametrize("who", ["care_manager", "kita_coordinator", "city_staff"])
def test_staff_see_the_column_chooser_with_the_search_count(client, registry, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(EXPORT_URL, {"q": "サロン"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "「サロン」」の 1件を書き出します" in html.replace("検索「", "「")
    assert 'value="contact_person"' in html


# What is exported -------------------------------------------------------------------


def test_the_csv_is_the_current_search_with_bom_and_the_chosen_columns(
    client, registry, city_staff
):
    client.force_login(city_staff)

    response = client.get(
        EXPORT_URL, {"area": "27127", "download": "1", "format": "csv", "col": ["code", "name"]}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert read_csv(response.content) == [
        ["資源コード", "名称"],
        ["R-STAFF", "準備中の認知症カフェ"],
        ["R-SALON", "梅田ふれあいサロン"],
    ]


def test_the_export_follows_the_search_filters_and_statuses(client, registry, city_staff):
    client.force_login(city_staff)

    default = as_dicts(client.get(EXPORT_URL, {"download": "1", "format": "csv"}).content)
    every = as_dicts(
        client.get(EXPORT_URL, {"download": "1", "format": "csv", "status": "all"}).content
    )

    assert {r["資源コード"] for r in default} == {"R-SALON", "R-STAFF"}
    assert {r["資源コード"] for r in every} == {"R-SALON", "R-STAFF", "R-TAISO", "R-ENDED"}


def test_the_xlsx_has_real_numbers_and_dates(client, registry, city_staff):
    client.force_login(city_staff)

    response = client.get(EXPORT_URL, {"q": "梅田", "download": "1", "format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, salon = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[0] == "資源コード"
    assert salon["定員"] == 20
    assert salon["開始日"].date() == date(2024, 5, 1)
    assert salon["カテゴリ"] == "運動、交流"
    assert salon["開催日時"] == "第1・3水曜 13:30〜15:00 / 毎月15日（土日祝の場合は翌平日）"


def test_cells_that_look_like_formulas_are_written_as_text(registry):
    content = exporting.registry_export(fmt="csv", public_only=False).content
    rows = {r["資源コード"]: r for r in as_dicts(content)}

    assert rows["R-TAISO"]["名称"] == '\'=HYPERLINK("http://evil.example")'
    assert rows["R-TAISO"]["内容"] == "'-2 kg の おもり"
    assert rows["R-SALON"]["電話番号"] == "'+81-6-0000-0000"
    assert rows["R-TAISO"]["経度"] == "135.51"

    book = load_workbook(
        io.BytesIO(exporting.registry_export(fmt="xlsx", public_only=False).content)
    )
    names = [row[1] for row in book.active.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://evil.example")' in names
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


def test_columns_for_anonymous_readers_have_no_staff_only_fields():
    keys = {c.key for c in exporting.columns_for(AnonymousUser())}

    assert "contact_person" not in keys and "internal_notes" not in keys
    assert {"code", "name", "schedule"} <= keys
    assert exporting.chosen_columns(["private_phone", "name"], AnonymousUser())[0].key == "name"


# Round trip: export → import changes nothing ------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_file_imports_back_unchanged(registry, fmt):
    histories = History.objects.count()
    exported = exporting.registry_export(fmt=fmt, public_only=False)

    result = resources_import(exported.content, filename=f"export.{fmt}", dry_run=False)

    assert result.errors == []
    assert (result.new, result.updated, result.unchanged) == (0, 0, 4)
    assert History.objects.count() == histories


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_rebuilds_the_same_registry_in_an_empty_database(registry, fmt):
    before = {
        r.code: exporting.resource_values(r)
        for r in exporting.export_queryset(Resource.objects.all())
    }
    exported = exporting.registry_export(fmt=fmt, public_only=False)
    Resource.objects.all().delete()

    result = resources_import(exported.content, filename=f"export.{fmt}", dry_run=False)

    assert result.errors == [] and result.new == 4
    after = {
        r.code: exporting.resource_values(r)
        for r in exporting.export_queryset(Resource.objects.all())
    }
    for values in (*before.values(), *after.values()):
        values.pop("updated_at")
    for code in before:
        assert {k: v for k, v in after[code].items() if v != before[code][k]} == {}, code
    assert after == before


def test_an_edited_export_updates_only_the_edited_row(registry):
    rows = read_csv(exporting.registry_export(fmt="csv", public_only=False).content)
    header = rows[0]
    for row in rows[1:]:
        if row[0] == "R-SALON":
            row[header.index("状態")] = "休止中"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)

    result = resources_import(
        buffer.getvalue().encode("utf-8"), filename="edited.csv", dry_run=False
    )

    assert (result.updated, result.unchanged) == (1, 3)
    assert [o.changes for o in result.outcomes if o.action == "updated"] == [["状態"]]
    assert Resource.objects.get(code="R-SALON").status == "paused"


# export_resources -----------------------------------------------------------------------------


def test_export_resources_public_only_has_no_staff_only_resource_or_field(registry, tmp_path):
    path = tmp_path / "public.csv"

    call_command(
        "export_resources", "--format", "csv", "--public-only", "-o", str(path), stdout=StringIO()
    )

    content = path.read_bytes()
    text = content.decode("utf-8-sig")
    assert "準備中の認知症カフェ" not in text
    for secret in (
        "山田 花子",
        "090-1111-2222",
        "鍵は管理人室",
        "kita_coord",
        "担当者",
        "内部メモ",
    ):
        assert secret not in text
    assert {r["資源コード"] for r in as_dicts(content)} == {"R-SALON", "R-TAISO", "R-ENDED"}


def test_export_resources_writes_everything_for_the_operator(registry, tmp_path):
    path = tmp_path / "all.xlsx"

    call_command("export_resources", "--format", "xlsx", "-o", str(path), stdout=StringIO())

    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert len(rows) == 5
    assert "担当者（関係者限定）" in rows[0]
    assert any("山田 花子" in row for row in rows)


def test_export_resources_hsds_is_public_data(registry, tmp_path):
    path = tmp_path / "hsds.json"

    call_command("export_resources", "--format", "hsds", "-o", str(path), stdout=StringIO())

    page = json.loads(path.read_text(encoding="utf-8"))
    assert page["total_items"] == 3
    assert {s["name"] for s in page["contents"]} == {
        "梅田ふれあいサロン",
        '=HYPERLINK("http://evil.example")',
        "終わった会",
    }
    assert "山田" not in path.read_text(encoding="utf-8")


# Open data --------------------------------------------------------------------------------------


def test_the_open_data_csv_has_public_resources_and_fields_only(client, registry, care_manager):
    client.force_login(care_manager)  # logged in or not, the open data is the same

    response = client.get("/opendata/resources.csv")

    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = as_dicts(response.content)
    assert {r["ID"] for r in rows} == {"R-SALON", "R-TAISO"}  # not staff-only, not ended
    for secret in ("準備中の認知症カフェ", "山田 花子", "090-1111-2222", "鍵は管理人室"):
        assert secret not in text
    salon = next(r for r in rows if r["ID"] == "R-SALON")
    assert salon["名称_カナ"] == "ウメダフレアイサロン"
    assert salon["利用可能曜日"] == "水"
    assert (salon["開始時間"], salon["終了時間"]) == ("13:30", "15:00")
    assert salon["料金"] == "100円 お茶代"
    assert list(rows[0]) == [c.header for c in exporting.OPENDATA_COLUMNS]


def test_the_open_data_columns_are_documented(client, db):
    response = client.get("/opendata/resources-columns.csv")

    rows = read_csv(response.content)
    assert rows[0] == ["項目名", "説明", "区分"]
    assert [r[0] for r in rows[1:]] == [c.header for c in exporting.OPENDATA_COLUMNS]
    assert ["名称", "地域資源の名前", "自治体標準オープンデータセットの項目"] in rows


def test_every_export_column_is_made_from_the_presenter():
    assert {c.key for c in exporting.EXPORT_COLUMNS} <= set(exporting.EXPORT_CELLS)
    assert [c.key for c in exporting.columns_for(Reader.IN_CHARGE)] == [
        c.key for c in exporting.EXPORT_COLUMNS
    ]


def test_the_open_data_row_reads_a_public_view_only(registry):
    view = resource_fields(registry["salon"], Reader.PUBLIC)

    values = exporting.opendata_values(view)

    assert list(values) == [c.header for c in exporting.OPENDATA_COLUMNS]
    assert "internal_notes" not in view and "contact_person" not in view
    assert values["名称"] == "梅田ふれあいサロン"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_holiday_rule_goes_out_and_comes_back(registry, fmt):
    """「祝日の開催」: blank where a resource follows its type, else its choice."""
    from resources.services import resource_update

    salon = Resource.objects.order_by("code").first()
    resource_update(resource=salon, holiday_rule="open")
    exported = exporting.registry_export(fmt=fmt, public_only=False)
    if fmt == "csv":
        rows = as_dicts(exported.content)
    else:
        sheet = load_workbook(io.BytesIO(exported.content)).active
        header, *cells = [list(row) for row in sheet.iter_rows(values_only=True)]
        rows = [dict(zip(header, (c or "" for c in row), strict=True)) for row in cells]
    by_code = {row["資源コード"]: row["祝日の開催"] for row in rows}
    assert by_code[salon.code] == "祝日も開催"
    assert set(by_code.values()) == {"祝日も開催", ""}
    Resource.objects.all().delete()

    result = resources_import(exported.content, filename=f"export.{fmt}", dry_run=False)

    assert result.errors == [] and result.new == len(by_code)
    assert dict(Resource.objects.values_list("code", "holiday_rule")) == {
        code: ("open" if code == salon.code else "") for code in by_code
    }


def test_a_sheet_saying_closed_on_holidays_is_read(areas):
    sheet = "名称,住所,種別,祝日\n祝日は休む体操,大阪市北区梅田1丁目,体操教室,祝日は休み\n".encode()

    result = resources_import(sheet, filename="holidays.csv", dry_run=False)

    assert result.errors == [], result.errors
    assert Resource.objects.get(name="祝日は休む体操").holiday_rule == "closed"
