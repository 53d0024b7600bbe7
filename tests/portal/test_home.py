"""GET /: the wards with the number of resources each visitor can find there."""

from __future__ import annotations

import re

import pytest

from resources.models import Resource
from tests.conftest import make_resource


def ward_counts(response) -> dict[str, int]:
    """The ward table as a visitor reads it: ward name → count."""
    html = response.content.decode()
    rows = re.findall(
        r'<th scope="row"><a href="[^"]+">([^<]+)</a></th><td class="num">([\d,]+)</td>', html
    )
    return {name: int(count.replace(",", "")) for name, count in rows}


def test_home_lists_every_ward_with_its_public_resources(client, areas, public_salon, minato_salon):
    response = client.get("/")

    assert response.status_code == 200
    assert ward_counts(response) == {"北区": 1, "港区": 1}


def test_a_staff_only_resource_does_not_change_the_anonymous_count(
    client, areas, public_salon, minato_salon
):
    before = ward_counts(client.get("/"))

    make_resource(
        name="非公開の準備中カフェ", visibility=Resource.Visibility.STAFF, lat=34.701, lng=135.491
    )

    assert ward_counts(client.get("/")) == before == {"北区": 1, "港区": 1}


def test_the_anonymous_total_leaves_staff_only_resources_out(
    client, areas, public_salon, staff_only_cafe
):
    html = client.get("/").content.decode()

    assert "1件の地域資源を探せます" in html


def test_a_care_manager_counts_staff_only_resources_too(
    client, care_manager, areas, public_salon, staff_only_cafe
):
    client.force_login(care_manager)

    assert ward_counts(client.get("/"))["北区"] == 2


def test_ended_resources_are_not_counted(client, areas, public_salon):
    make_resource(name="終了した体操教室", status=Resource.Status.ENDED, lat=34.70, lng=135.49)

    assert ward_counts(client.get("/"))["北区"] == 1


def test_a_ward_without_resources_shows_zero(client, areas, public_salon):
    assert ward_counts(client.get("/"))["港区"] == 0


def test_home_without_areas_says_none_are_registered(client, db):
    assert "まだ区域が登録されていません" in client.get("/").content.decode()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_home_only_answers_get(client, db, method):
    assert getattr(client, method)("/").status_code == 405


def test_the_anonymous_home_page_offers_the_staff_login(client, db):
    assert 'href="/accounts/login/"' in client.get("/").content.decode()
