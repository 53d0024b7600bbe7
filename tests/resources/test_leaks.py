"""Route by route: an anonymous visitor never receives a staff-only resource or field.

The care manager, on the same routes, does see them: that proves each route
would show the secret if the policy let it through.
"""

from __future__ import annotations

import pytest

from resources.models import Resource
from resources.services import resource_update
from tests.conftest import make_resource
from tests.resources.search_pages import dropped, listed_names, result_count, text

STAFF_ONLY_NAME = "非公開の準備中カフェ"
# contact_person, private_phone, internal_notes of the public salon; the staff-only
# cafe's contact person; the supporting coordinator's and verifier's names.
STAFF_ONLY_VALUES = (
    "山田 花子",
    "090-1111-2222",
    "鍵は管理人室",
    "佐藤 次郎",
    "北区 支援員",
    "確認 太郎",
)


@pytest.fixture
def secrets(public_salon, staff_only_cafe, kita_coordinator, city_staff) -> dict[str, Resource]:
    kita_coordinator.display_name = "北区 支援員"
    kita_coordinator.save()
    city_staff.display_name = "確認 太郎"
    city_staff.save()
    resource_update(
        resource=public_salon, supporting_coordinator=kita_coordinator, verified_by=city_staff
    )
    resource_update(
        resource=staff_only_cafe,
        private_phone="06-9999-0000",
        internal_notes="開設は来年4月の予定",
    )
    return {"public": public_salon, "staff": staff_only_cafe}


def routes(secrets) -> list[str]:
    public, staff = secrets["public"].pk, secrets["staff"].pk
    return [
        "/",
        "/resources/",
        "/resources/?q=準備中カフェ",
        "/resources/?q=管理人室",
        "/resources/?area=27127-1&status=all&sort=updated",
        "/resources/?lat=34.701&lng=135.491&radius_km=1",
        "/resources/?type=dementia_cafe",
        "/resources/?partial=1",
        "/resources/?partial=1&q=カフェ",
        "/resources/map.geojson",
        "/resources/map.geojson?q=準備中カフェ",
        "/resources/map.geojson?area=27127-1&status=all",
        f"/resources/{public}/",
        "/areas/27127/",
        "/areas/27127-1/",
        f"/resources/{staff}/",
        f"/resources/{public}/suggest/",
        f"/resources/{staff}/suggest/",
        "/resources/suggest/",
    ]


def secret_values(secrets) -> tuple[str, ...]:
    return (STAFF_ONLY_NAME, *STAFF_ONLY_VALUES, "06-9999-0000", "開設は来年4月の予定")


def test_no_anonymous_route_contains_the_staff_only_resource_or_fields(client, secrets):
    for url in routes(secrets):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = text(response)
        for secret in secret_values(secrets):
            assert secret not in body, f"{secret} in {url}"
        assert "関係者限定" not in body, url


def test_the_staff_only_resource_is_404_for_an_anonymous_visitor(client, secrets):
    response = client.get(f"/resources/{secrets['staff'].pk}/")

    assert response.status_code == 404


def test_the_public_resource_page_shows_no_staff_only_section(client, secrets):
    response = client.get(f"/resources/{secrets['public'].pk}/")

    assert response.status_code == 200
    assert "梅田ふれあいサロン" in text(response)
    assert "関係者限定の情報" not in text(response)
    assert "担当者の連絡先" not in text(response)
    assert "内部メモ" not in text(response)


def test_the_nearby_list_of_a_public_resource_leaves_out_the_staff_only_one(client, secrets, kita1):
    make_resource(name="となりの公開サロン", lat=34.7005, lng=135.4905)

    response = client.get(f"/resources/{secrets['public'].pk}/")

    assert "となりの公開サロン" in text(response)
    assert STAFF_ONLY_NAME not in text(response)


def test_anonymous_searches_count_only_public_resources(client, secrets):
    assert listed_names(client.get("/resources/")) == ["梅田ふれあいサロン"]
    # The word finds nothing for the anonymous reader: the page leaves it out.
    assert dropped(client.get("/resources/", {"q": "準備中カフェ"})) == ["準備中カフェ"]
    assert result_count(client.get("/resources/", {"type": "dementia_cafe"})) == 0


def test_staff_only_field_values_cannot_be_searched_for(client, secrets):
    for q in ("管理人室", "山田花子", "09011112222"):
        assert dropped(client.get("/resources/", {"q": q})) == [q], q


def test_the_map_data_has_only_the_public_resource(client, secrets):
    body = client.get("/resources/map.geojson", {"status": "all"}).json()

    assert [f["properties"]["name"] for f in body["features"]] == ["梅田ふれあいサロン"]
    assert all("staff_only" not in f["properties"] for f in body["features"])


def test_area_pages_count_only_public_resources(client, secrets):
    district = text(client.get("/areas/27127-1/"))
    ward = text(client.get("/areas/27127/"))

    assert "この区域の地域資源 1件を見る" in district
    assert "この区域の地域資源 1件を見る" in ward
    assert "北区 第1圏域</a>（1件）" in ward


def test_the_home_page_counts_only_public_resources(client, secrets):
    home = text(client.get("/"))

    assert "1件の地域資源を探せます" in home
    assert '<a href="/areas/27127/">北区</a></th><td class="num">1</td>' in home


def test_responses_that_differ_by_user_say_they_vary_by_cookie(client, secrets):
    for url in ("/resources/", "/resources/map.geojson", f"/resources/{secrets['public'].pk}/"):
        assert "Cookie" in client.get(url).headers.get("Vary", ""), url


# The same routes for a care manager ---------------------------------------------


def test_the_care_manager_sees_the_staff_only_resource_on_search_and_map(
    client, secrets, care_manager
):
    client.force_login(care_manager)

    assert set(listed_names(client.get("/resources/"))) == {"梅田ふれあいサロン", STAFF_ONLY_NAME}
    assert listed_names(client.get("/resources/", {"q": "準備中カフェ"})) == [STAFF_ONLY_NAME]
    assert STAFF_ONLY_NAME in text(client.get("/resources/", {"partial": "1"}))
    features = client.get("/resources/map.geojson").json()["features"]
    staff = [f for f in features if f["properties"]["name"] == STAFF_ONLY_NAME]
    assert [f["properties"].get("staff_only") for f in staff] == [True]


def test_the_care_manager_sees_the_related_fields_but_not_those_of_the_people_in_charge(
    client, secrets, care_manager
):
    client.force_login(care_manager)

    public = text(client.get(f"/resources/{secrets['public'].pk}/"))
    staff = client.get(f"/resources/{secrets['staff'].pk}/")

    assert "関係者限定の情報" in public
    for value in ("山田 花子", "090-1111-2222"):
        assert value in public
    for secret in ("鍵は管理人室", "北区 支援員", "確認 太郎"):
        assert secret not in public
    assert staff.status_code == 200
    for value in (STAFF_ONLY_NAME, "佐藤 次郎", "06-9999-0000"):
        assert value in text(staff)
    assert "開設は来年4月の予定" not in text(staff)


def test_the_care_manager_counts_include_the_staff_only_resource(client, secrets, care_manager):
    client.force_login(care_manager)

    assert "この区域の地域資源 2件を見る" in text(client.get("/areas/27127-1/"))
    assert "北区 第1圏域</a>（2件）" in text(client.get("/areas/27127/"))
    assert "2件の地域資源を探せます" in text(client.get("/"))


def test_the_open_data_and_hsds_outputs_hold_no_staff_only_resource_or_field(
    client, secrets, care_manager
):
    import json

    staff_pk = secrets["staff"].pk
    outputs = {
        "/api/hsds/services": lambda r: json.dumps(r.json(), ensure_ascii=False),
        f"/api/hsds/services/{secrets['public'].pk}": lambda r: json.dumps(
            r.json(), ensure_ascii=False
        ),
        "/opendata/resources.csv": lambda r: r.content.decode("utf-8-sig"),
    }
    # Logged in or not, these are public outputs.
    for who in (None, care_manager):
        if who:
            client.force_login(who)
        for url, read in outputs.items():
            response = client.get(url)
            assert response.status_code == 200, url
            body = read(response)
            assert "梅田ふれあいサロン" in body, url
            for secret in secret_values(secrets):
                assert secret not in body, f"{secret} in {url}"
        assert client.get(f"/api/hsds/services/{staff_pk}").status_code == 404


def test_an_anonymous_visitor_cannot_export_the_staff_list(client, secrets):
    response = client.get("/staff/export/", {"format": "csv"})
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
