"""The admin's import and export buttons (django-import-export) use the same importer
and exporter as the staff pages."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from resources.exporting import EXPORT_COLUMNS
from resources.models import Resource
from tests.conftest import make_resource
from tests.resources.import_files import csv_bytes

LIST_URL = "/admin/resources/resource/"
IMPORT_URL = "/admin/resources/resource/import/"
PROCESS_URL = "/admin/resources/resource/process_import/"
EXPORT_URL = "/admin/resources/resource/export/"


def post_file(client, data: bytes, name: str = "list.csv"):
    return client.post(IMPORT_URL, {"import_file": SimpleUploadedFile(name, data), "format": "0"})


def test_city_staff_see_both_buttons_and_coordinators_only_export(
    client, city_staff, kita_coordinator
):
    client.force_login(city_staff)
    html = client.get(LIST_URL).content.decode()
    assert IMPORT_URL in html and EXPORT_URL in html

    client.force_login(kita_coordinator)
    html = client.get(LIST_URL).content.decode()
    assert IMPORT_URL not in html and EXPORT_URL in html
    assert client.get(IMPORT_URL).status_code == 404  # forbidden answers as missing


def test_a_cp932_file_is_previewed_then_imported_through_the_same_importer(
    client, city_staff, areas
):
    client.force_login(city_staff)

    preview = post_file(
        client,
        csv_bytes(
            [["名称", "区", "開催日"], ["あおぞらｻﾛﾝ", "北区", "毎週火曜"]], encoding="cp932"
        ),
    )

    html = preview.content.decode()
    assert preview.status_code == 200
    assert "あおぞらサロン" in html
    confirm = preview.context["confirm_form"]
    assert Resource.objects.count() == 0

    done = client.post(
        PROCESS_URL, {name: field.value() for name, field in ((f.name, f) for f in confirm)}
    )

    assert done.status_code == 302
    salon = Resource.objects.get()
    assert (salon.name, salon.area, salon.schedules.get().weekdays) == (
        "あおぞらサロン",
        areas["kita"],
        "TU",
    )
    assert salon.history.get().history_user == city_staff


def test_problems_are_shown_by_row_and_nothing_can_be_confirmed(client, city_staff, areas):
    client.force_login(city_staff)

    response = post_file(client, csv_bytes([["名称", "開始日"], ["あおぞら", "平成32年4月1日"]]))

    assert "平成32年はありません" in response.content.decode()
    assert [row.number for row in response.context["result"].invalid_rows] == [2]
    assert response.context.get("confirm_form") is None
    assert Resource.objects.count() == 0


def test_a_file_level_problem_is_shown_in_japanese(client, city_staff, areas):
    client.force_login(city_staff)

    response = post_file(client, "名称\r\nあおぞら\r\n".encode("cp932") + b"\xfd\xfe", "broken.csv")

    assert "文字コードを判別できません" in response.content.decode()


def test_the_admin_export_uses_the_import_columns_and_the_admins_scope(
    client, kita_coordinator, areas
):
    make_resource(code="K-1", name="北区の会", lat=34.70, lng=135.49, contact_person="山田 花子")
    make_resource(code="M-1", name="港区の会", lat=34.66, lng=135.44)
    client.force_login(kita_coordinator)

    response = client.post(
        EXPORT_URL,
        {
            "format": "1",
            "resource": "0",
            **{
                f"resourceimportexportresource_{k}": "on"
                for k in ("code", "name", "contact_person")
            },
        },
    )

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["資源コード", "名称"]
    assert [r[0] for r in rows[1:]] == ["K-1"]
    assert "山田 花子" in rows[1]


@pytest.mark.parametrize("fmt", ["0", "1"])
def test_an_admin_export_imports_back_unchanged(client, city_staff, areas, fmt):
    make_resource(code="K-1", name="北区の会", lat=34.70, lng=135.49, fee_free=True)
    client.force_login(city_staff)
    every_column = {f"resourceimportexportresource_{c.key}": "on" for c in EXPORT_COLUMNS}
    export = client.post(EXPORT_URL, {"format": fmt, "resource": "0", **every_column})
    assert export.status_code == 200
    assert "attachment" in export["Content-Disposition"]

    preview = post_file(client, export.content, "export.xlsx" if fmt == "0" else "export.csv")

    totals = preview.context["result"].totals
    assert (totals["new"], totals["update"], totals["skip"]) == (0, 0, 1)
