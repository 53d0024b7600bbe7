"""The public summary of 地域分析 (/analysis/): off unless the city turns it on;
then counts of public resources only, for everyone, with hand-counted values
(tests/analysis/conftest.py: P1's salon is staff-only)."""

from __future__ import annotations

import re

import pytest

from portal.municipality import city, municipality_save
from tests.analysis.conftest import FY, LAT, M_PER_DEG
from tests.conftest import make_resource

pytestmark = pytest.mark.django_db

URL = "/analysis/"


def _cells(text: str, label: str) -> list[str]:
    """The cells of the row headed ``label``: 65歳以上, 資源, 千人あたり, 500m, 1km, by type…"""
    row = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', text, re.S)
    assert row, label
    return re.findall(r'<td class="num">([^<]*)</td>', row.group(1))


def test_off_by_default_nobody_gets_it(client, city_staff, small_city):
    assert city().public_analysis is False
    assert client.get(URL).status_code == 404
    client.force_login(city_staff)
    assert client.get(URL).status_code == 404


def test_on_it_counts_public_resources_only(client, small_city):
    municipality_save(public_analysis=True)

    response = client.get(URL)

    assert response.status_code == 200
    text = response.content.decode()
    # 北区 第1圏域: P2's 体操教室 and P3's 事業所 (P1's salon is staff-only, P4's paused);
    # within 500 m of a public 通いの場: none (P1 was, by the staff-only salon);
    # within 1 km: P2 (200 of 500).
    assert _cells(text, "北区 第1圏域")[:5] == ["500", "2", "4.0", "0.0", "40.0"]
    # 北区 第2圏域: P5, P6, P7 (P8's salon is registered in 港区); P5, P7, P8 near.
    assert _cells(text, "北区 第2圏域")[:5] == ["650", "3", "4.6", "84.6", "100.0"]
    # 港区 第1圏域: P9, P8's salon, P12; P9 near (120 of 500).
    assert _cells(text, "港区 第1圏域")[:5] == ["500", "3", "6.0", "24.0", "24.0"]
    # The city: 8 of 1,650; near 670, within 1 km 970.
    assert _cells(text, "市全体")[:5] == ["1,650", "8", "4.8", "40.6", "58.8"]
    # By type, 北区 第1圏域: サロン 0, 体操教室 1, …, 介護保険事業所 1.
    by_type = _cells(text, "北区 第1圏域")[5:]
    assert by_type[:2] == ["0", "1"] and sum(map(int, by_type)) == 2
    # No free text, no staff-only names, no staff-only measures.
    for hidden in ("P1の資源", "P2の資源", "将棋", "買い物に行けない", "坂の上", "0件の検索"):
        assert hidden not in text


def test_tier1_rows(client, small_city):
    municipality_save(public_analysis=True)

    text = client.get(f"{URL}?tier=1").content.decode()

    # 北区: 1,150 aged 65+; public active 2 + 3; near 550, within 1 km 200 + 650.
    assert _cells(text, "北区")[:5] == ["1,150", "5", "4.3", "47.8", "73.9"]


def test_a_staff_only_kayoi_no_place_changes_nothing_public(client, city_staff, small_city):
    """The canary: a staff-only salon beside P1 and P10 moves the staff's figures,
    never the public page's."""
    municipality_save(public_analysis=True)
    before = client.get(URL).content.decode()
    for index in (0, 9):  # P1 (北区 第1圏域), P10 (港区 第1圏域)
        make_resource(
            name=f"関係者限定のサロン{index}",
            resource_type="salon",
            visibility="staff",
            lat=LAT + 50 / M_PER_DEG,
            lng=135.0 + index * 0.1,
            area=small_city["points"]["P1" if index == 0 else "P10"].area,
            area_locked=True,
        )

    after = client.get(URL).content.decode()

    assert _cells(after, "北区 第1圏域") == _cells(before, "北区 第1圏域")
    assert _cells(after, "港区 第1圏域") == _cells(before, "港区 第1圏域")
    assert _cells(after, "市全体") == _cells(before, "市全体")
    assert "関係者限定のサロン" not in after
    # Staff read them: 港区 第1圏域's 500 m coverage goes from 24.0 to 40.0 (+P10's 80).
    client.force_login(city_staff)
    csv = client.get(f"/staff/analysis/areas.csv?tier=2&fy={FY}").content.decode("utf-8-sig")
    minato = next(line for line in csv.splitlines() if line.startswith("27107-1"))
    assert ",40.0," in minato
    # Logged in, the public page is still public counts only.
    assert _cells(client.get(URL).content.decode(), "港区 第1圏域") == _cells(
        before, "港区 第1圏域"
    )


def test_cached_for_visitors_and_gone_when_turned_off(client, settings, small_city):
    settings.SEARCH_CACHE_SECONDS = 60
    municipality_save(public_analysis=True)
    assert client.get(URL).status_code == 200
    assert client.get(URL).status_code == 200  # from the cache

    municipality_save(public_analysis=False)  # moves the data version

    assert client.get(URL).status_code == 404


def test_city_staff_turn_it_on_at_the_city_page(client, city_staff, small_city):
    client.force_login(city_staff)
    page = client.get("/staff/city/").content.decode()
    assert (
        'name="public_analysis"' in page and "checked" not in page.split("public_analysis")[1][:80]
    )

    response = client.post("/staff/city/", {"action": "public_analysis", "public_analysis": "1"})

    assert response.status_code == 302
    assert city().public_analysis is True
    client.logout()
    assert client.get(URL).status_code == 200
    client.force_login(city_staff)
    client.post("/staff/city/", {"action": "public_analysis"})
    assert city().public_analysis is False


def test_every_page_links_it_in_the_footer_only_when_on(client, small_city):
    link = 'href="/analysis/"'
    assert link not in client.get("/").content.decode()

    municipality_save(public_analysis=True)

    assert link in client.get("/").content.decode()
