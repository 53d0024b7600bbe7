"""A city without wards (川口市): one tier-1 area, the city itself, and its 圏域.

Search, map, prints, reports and the area pages work with one tier-1 area: no
区 selector, the 圏域 on the map, labels without the city's name twice, and the
home page lists 圏域 instead of 区. The city is set up from the real files by
``city_setup`` with a small 圏域 table.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from portal.models import Area, User
from portal.municipality import city, municipality_save
from portal.roles import GROUP_CITY_STAFF
from resources.citysetup import city_setup
from resources.models import Category, Resource
from tests.conftest import PASSWORD, make_resource
from tests.resources.search_pages import listed_names, text
from tests.resources.test_print_pdf import pdf_text

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
TABLE = "圏域,町丁\n本町圏域,本町\n本町圏域,栄町\n芝圏域,芝\n芝圏域,芝中田\n"


@pytest.fixture
def kawaguchi(db) -> dict[str, Area]:
    result = city_setup(
        name="川口市",
        code="11203",
        outline=(DEMO / "kawaguchi_city_outline.geojson").read_bytes(),
        chome=(DEMO / "kawaguchi_city_chome_2015.csv").read_bytes(),
        chome_filename="kawaguchi_city_chome_2015.csv",
        table=TABLE.encode(),
        table_filename="table.csv",
    )
    assert result.written, result.errors
    return {area.name: area for area in Area.objects.all()}


@pytest.fixture
def resources(kawaguchi) -> dict[str, Resource]:
    exercise = Category.objects.get(code="exercise")
    return {
        "honcho": make_resource(
            name="本町いきいき体操",
            address="川口市本町2丁目3-4",
            categories=[exercise],
            origin=Resource.Origin.NEW,
            origin_date=date(2025, 6, 1),
        ),
        "shiba": make_resource(name="芝ふれあいサロン", address="川口市芝4-1-1"),
        "aoki": make_resource(name="青木の集い", address="川口市青木2-2-2"),  # in no 圏域
    }


@pytest.fixture
def staff(db) -> User:
    user = User.objects.create_user(username="city", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=GROUP_CITY_STAFF))
    return user


def test_resources_land_in_their_district_or_the_city(resources):
    placed = {name: r.area.name for name, r in resources.items()}
    assert placed == {"honcho": "本町圏域", "shiba": "芝圏域", "aoki": "川口市"}


def test_the_labels_do_not_name_the_city_twice(kawaguchi):
    assert kawaguchi["本町圏域"].label == "本町圏域"
    assert not city().has_wards


def test_the_home_page_lists_the_districts_instead_of_wards(client, resources):
    response = client.get("/")

    page = text(response)
    assert "圏域ごとの地域資源" in page
    assert "区ごとの地域資源" not in page
    assert "川口市で3件の地域資源を探せます。" in page
    rows = [
        " ".join(row.split()) for row in page.split("\n") if "本町圏域" in row or "芝圏域" in row
    ]
    assert rows and all("1" in row for row in rows)
    assert "川口市 地域資源ポータル" in page


def test_the_search_page_offers_districts_and_no_ward_selector(client, resources):
    response = client.get("/resources/")

    html = response.content.decode()
    assert '<optgroup label="圏域">' in html
    assert "第1層（区）" not in html
    config = json.loads(
        html.split('id="map-config" type="application/json">')[1].split("</script>")[0]
    )
    assert config["show_tier2"] is True
    assert config["labels"] == {"tier1": "川口市の境界", "tier2": "圏域の境界"}
    row = city()
    assert config["center"] == [row.center_lat, row.center_lng]
    assert 10 <= config["zoom"] <= 14


def test_searching_a_district_finds_its_resources_and_the_map_agrees(client, resources):
    code = resources["honcho"].area.code

    page = client.get("/resources/", {"area": code})
    features = client.get("/resources/map.geojson", {"area": code}).json()["features"]
    whole_city = client.get("/resources/", {"area": "11203"})

    assert listed_names(page) == ["本町いきいき体操"]
    assert "本町圏域" in text(page)
    assert [f["properties"]["name"] for f in features] == ["本町いきいき体操"]
    assert sorted(listed_names(whole_city)) == sorted(r.name for r in resources.values())


def test_the_area_boundaries_of_the_map_are_the_city_and_its_districts(client, kawaguchi):
    features = client.get("/resources/areas.geojson").json()["features"]

    assert sorted((f["properties"]["tier"], f["properties"]["name"]) for f in features) == [
        (1, "川口市"),
        (2, "本町圏域"),
        (2, "芝圏域"),
    ]


def test_the_area_pages_of_the_city_and_a_district(client, resources):
    city_page = text(client.get("/areas/11203/"))
    district = resources["shiba"].area
    district_page = text(client.get(f"/areas/{district.code}/"))

    assert "第2層の圏域" in city_page and "本町圏域" in city_page and "芝圏域" in city_page
    assert "この区域の地域資源 3件を見る" in city_page
    assert "芝圏域" in district_page and "川口市 芝圏域" not in district_page
    assert "この区域の地域資源 1件を見る" in district_page


def test_the_printed_list_names_the_city_once(client, resources):
    response = client.get("/resources/print.pdf", {"area": resources["honcho"].area.code})

    assert response.status_code == 200
    printed = pdf_text(response.content)
    assert "本町いきいき体操" in printed
    assert "川口市 生活支援体制整備事業" in printed
    assert "川口市 本町圏域" not in printed and "川口市 川口市" not in printed


def test_the_area_map_pdf_of_a_district(client, resources):
    district = resources["honcho"].area

    response = client.get(f"/areas/{district.code}/map.pdf")

    assert response.status_code == 200
    printed = pdf_text(response.content)
    assert "本町圏域 地域資源マップ" in printed
    assert "本町いきいき体操" in printed


def test_the_area_map_pdf_of_the_city(client, resources):
    response = client.get("/areas/11203/map.pdf")

    assert response.status_code == 200
    assert "川口市 地域資源マップ" in pdf_text(response.content)


def test_the_reports_have_one_row_for_the_city_and_no_ward_selector(client, staff, resources):
    client.force_login(staff)

    index = client.get("/staff/reports/", {"fy": "2025"}).content.decode()
    response = client.get("/staff/reports/creation.csv", {"fy": "2025"})

    assert "第1層（区）" not in index
    assert '<optgroup label="圏域">' in index
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    labels = [row[0] for row in rows[1:] if row[0]]
    assert labels == ["川口市", "合計"]
    assert rows[0][0] == "区域"
    new = next(row for row in rows if row[1] == "新規立ち上げ")
    assert new[rows[0].index("小計")] == "1"


def test_the_report_of_a_district(client, staff, resources):
    client.force_login(staff)
    code = resources["honcho"].area.code

    response = client.get("/staff/reports/creation.csv", {"fy": "2025", "area": code})

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "本町圏域"


def test_open_data_and_hsds_carry_the_city_of_the_settings(client, resources):
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/opendata/resources.csv").content.decode("utf-8-sig"))
        )
    )
    service = client.get("/api/hsds/services").json()

    assert {(r["全国地方公共団体コード"], r["地方公共団体名"]) for r in rows} == {
        ("112038", "川口市")
    }
    assert service["contents"] or service.get("items") or service


def test_a_change_of_the_settings_shows_at_once(client, resources):
    client.get("/")  # the settings are kept in this process

    municipality_save(program_name="地域支え合い推進事業")

    page = text(client.get("/"))
    assert "川口市 地域支え合い推進事業" in page


def test_the_council_report_says_its_first_tier_is_the_city(client, staff, resources):
    client.force_login(staff)

    page = client.get("/staff/reports/councils/", {"fy": "2025"}).content.decode()

    assert "第1層（市全体）の協議体のものです" in page
    assert "第1層（区）" not in page
