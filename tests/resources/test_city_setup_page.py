"""The staff page of setup_city: upload, check, then set up (city staff only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import Area, Municipality
from tests.resources.search_pages import text

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
URL = "/staff/city/"


def files(table: bytes | None = None) -> dict:
    found = {
        "outline": SimpleUploadedFile(
            "minato.geojson", (DATA / "minato_ward_outline.geojson").read_bytes()
        ),
        "chome": SimpleUploadedFile(
            "minato_ward_chome_2015.csv", (DATA / "minato_ward_chome_2015.csv").read_bytes()
        ),
        "table": SimpleUploadedFile(
            "table.csv", table or (DATA / "minato_chiku_table.csv").read_bytes()
        ),
    }
    return found


def check(client, table: bytes | None = None):
    return client.post(
        URL, {"action": "check", "name": "港区", "code": "13103", "prefecture": "", **files(table)}
    )


@pytest.mark.parametrize("who", ["anonymous", "care_manager", "kita_coordinator"])
def test_only_city_staff_reach_the_page(client, db, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    assert client.get(URL).status_code == 404
    assert check(client).status_code == 404
    assert not Municipality.objects.exists()
    assert not Area.objects.filter(name="港区").exists()


def test_city_staff_check_the_files_then_set_the_city_up(client, city_staff):
    client.force_login(city_staff)
    assert "自治体の設定" in text(client.get(URL))

    checked = check(client)

    page = text(checked)
    assert "確認の結果" in page
    assert "第1層 1、圏域 5（新規 5、更新 0）、町丁 117（圏域のない町丁 0）" in page
    assert "芝浦港南地区" in page
    assert not Area.objects.exists()  # a check writes nothing

    done = client.post(URL, {"action": "confirm"}, follow=True)

    assert "港区を設定しました" in text(done)
    assert Area.objects.tier2().count() == 5
    assert Municipality.objects.get().name == "港区"
    # The files are gone with the session's state: a second confirm does nothing.
    again = client.post(URL, {"action": "confirm"})
    assert "この内容で設定する" not in text(again)


def test_a_bad_table_is_shown_with_its_rows_and_cannot_be_confirmed(client, city_staff):
    client.force_login(city_staff)

    page = text(check(client, "圏域,町丁\n芝地区,芝\n芝地区,どこにもない町\n".encode()))

    assert "表やファイルに問題があります" in page
    assert "3行目 「町丁」: 「どこにもない町」に当たる町丁がありません" in page
    assert "この内容で設定する" not in page
    assert client.post(URL, {"action": "confirm"}).status_code == 200
    assert not Area.objects.exists()


def test_cancel_drops_the_uploaded_files(client, city_staff):
    client.force_login(city_staff)
    check(client)

    client.post(URL, {"action": "cancel"})
    client.post(URL, {"action": "confirm"})

    assert not Area.objects.exists()
