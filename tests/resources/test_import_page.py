"""The staff import page: upload → preview → confirm, for admins and city staff only."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import User
from resources.models import Resource
from tests.conftest import make_resource
from tests.resources.import_files import csv_bytes, salon_workbook

UPLOAD_URL = "/staff/import/"
PREVIEW_URL = "/staff/import/preview/"
DONE_URL = "/staff/import/done/"


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_superuser("admin", "admin@example.jp", "x")


def upload(client, data: bytes, name: str = "salons.xlsx"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data)})


def counts(response) -> dict[str, str]:
    return dict(re.findall(r'data-count="(\w+)">([\d,]+)<', response.content.decode()))


# Who may import --------------------------------------------------------------------------


@pytest.mark.parametrize("url", [UPLOAD_URL, PREVIEW_URL, DONE_URL])
def test_anonymous_visitors_get_404(client, db, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["care_manager", "kita_coordinator"])
def test_care_managers_and_coordinators_get_404(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(UPLOAD_URL).status_code == 404
    assert client.post(UPLOAD_URL, {"file": SimpleUploadedFile("a.csv", b"x")}).status_code == 404


@pytest.mark.parametrize("who", ["city_staff", "admin_user"])
def test_city_staff_and_admins_see_the_upload_form(client, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(UPLOAD_URL)

    assert response.status_code == 200
    assert "読み取れる列" in response.content.decode()


# The flow -------------------------------------------------------------------------------------


def test_upload_preview_confirm_creates_the_resources(client, city_staff, town_blocks):
    client.force_login(city_staff)

    response = upload(client, salon_workbook())
    assert response.status_code == 302 and response["Location"] == PREVIEW_URL

    preview = client.get(PREVIEW_URL)
    assert counts(preview) == {"new": "3", "updated": "0", "unchanged": "0", "errors": "0"}
    assert "梅田ふれあいサロン" in preview.content.decode()
    assert Resource.objects.count() == 0

    done = client.post(PREVIEW_URL, {"action": "confirm"})
    assert done.status_code == 302 and done["Location"] == DONE_URL
    assert Resource.objects.count() == 3
    assert Resource.objects.get(name="梅田ふれあいサロン").history.get().history_user == city_staff
    page = client.get(DONE_URL).content.decode()
    assert "新規 3件・更新 0件を登録しました" in page


def test_the_preview_lists_problems_by_row_and_column_and_confirm_writes_nothing(
    client, city_staff, areas
):
    client.force_login(city_staff)
    upload(
        client,
        csv_bytes([["名称", "緯度", "経度"], ["あおぞら", "34.7", ""]], encoding="cp932"),
        "list.csv",
    )

    preview = client.get(PREVIEW_URL)
    html = preview.content.decode()

    assert counts(preview)["errors"] == "1"
    assert re.search(r"<td>2</td><td>緯度</td><td>緯度と経度は両方入力するか", html)
    assert 'value="confirm"' not in html
    response = client.post(PREVIEW_URL, {"action": "confirm"})
    assert response.status_code == 200
    assert "何も登録しませんでした" in response.content.decode()
    assert Resource.objects.count() == 0


def test_unknown_headers_can_be_assigned_in_the_preview(client, city_staff, areas):
    client.force_login(city_staff)
    upload(client, csv_bytes([["名称", "ひらく日"], ["あおぞら", "毎週月曜"]]), "list.csv")
    assert "知らない見出し" in client.get(PREVIEW_URL).content.decode()

    client.post(PREVIEW_URL, {"action": "remap", "col-0": "name", "col-1": "schedule"})
    client.post(PREVIEW_URL, {"action": "confirm"})

    assert Resource.objects.get().schedules.get().weekdays == "MO"


def test_a_mass_change_needs_the_confirmation_box(client, city_staff, areas):
    for n in range(10):
        make_resource(code=f"C-{n}", name=f"会{n}")
    client.force_login(city_staff)
    upload(
        client,
        csv_bytes(
            [["資源コード", "名称", "状態"], *[[f"C-{n}", f"会{n}", "休止中"] for n in range(10)]]
        ),
        "l.csv",
    )

    assert "確認しました。この内容で取り込みます。" in client.get(PREVIEW_URL).content.decode()
    client.post(PREVIEW_URL, {"action": "confirm"})
    assert not Resource.objects.filter(status="paused").exists()

    client.post(PREVIEW_URL, {"action": "confirm", "force": "1"})
    assert Resource.objects.filter(status="paused").count() == 10


def test_uploads_over_the_limit_are_refused_before_reading(client, city_staff, settings, areas):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    client.force_login(city_staff)

    response = upload(client, b"a" * 2048, "big.csv")

    assert response.status_code == 200
    assert "ファイルが大きすぎます" in response.content.decode()
    assert client.get(PREVIEW_URL)["Location"] == UPLOAD_URL


def test_cancel_forgets_the_file(client, city_staff, areas, settings):
    client.force_login(city_staff)
    upload(client, csv_bytes([["名称"], ["あおぞら"]]), "l.csv")
    stored = list((settings.PRIVATE_MEDIA_ROOT / "sheet-uploads").iterdir())
    assert len(stored) == 1
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.upload"))

    client.post(PREVIEW_URL, {"action": "cancel"})

    assert not stored[0].exists()
    assert client.get(PREVIEW_URL).status_code == 302


def test_another_users_session_cannot_confirm_the_file(client, city_staff, areas):
    other = User.objects.create_superuser("other", "o@example.jp", "x")
    client.force_login(city_staff)
    upload(client, csv_bytes([["名称"], ["あおぞら"]]), "l.csv")
    client.logout()
    client.force_login(other)

    response = client.post(PREVIEW_URL, {"action": "confirm"})

    assert response["Location"] == UPLOAD_URL
    assert Resource.objects.count() == 0
