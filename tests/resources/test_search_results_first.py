"""The search page puts the results first: the filter drawer stays closed, the map
box waits for the script, the search can be sent, and a detail page returns to it."""

from __future__ import annotations

import re
from datetime import time

from portal.models import Area
from tests.conftest import add_schedule, make_resource
from tests.resources.search_pages import listed, listed_ids, text

NEAR_UMEDA = {"lat": 34.7003, "lng": 135.4903}


def test_the_filter_drawer_never_opens_by_itself_even_on_a_shared_link(client, public_salon):
    response = client.get(
        "/resources/", {"q": "サロン", "area": "27127", "weekday": "TU", "free": "1"}
    )

    assert '<details class="filters" id="filters">' in text(response)
    assert "（条件を選んでいます）" in text(response)


def test_the_map_box_is_hidden_until_the_script_draws_it(client, public_salon):
    page = text(client.get("/resources/"))

    assert re.search(r'<section class="map-panel" id="map-panel"[^>]* hidden>', page)
    assert "地図の内容は下の一覧と同じです" in page


def test_the_search_can_be_sent_by_line_and_mail(client, public_salon):
    page = text(client.get("/resources/", {"q": "サロン"}))

    assert "この検索を送る" in page
    assert "https://social-plugins.line.me/lineit/share?url=http" in page
    assert "%2Fresources%2F%3Fq%3D%25E3%2582%25B5%25E3%2583%25AD%25E3%2583%25B3" in page
    assert 'href="mailto:?subject=' in page


def test_a_detail_page_opened_from_a_search_returns_to_that_search(client, public_salon):
    response = client.get("/resources/", {"q": "サロン", "page": "1"})
    link = re.search(r'class="result__name"><a href="([^"]+)"', text(response)).group(1)

    detail = text(client.get(link.replace("&amp;", "&")))

    assert "‹ 検索結果に戻る" in detail
    # Back to the result that was opened, not the top of the list.
    back = f'href="/resources/?page=1&amp;q=%E3%82%B5%E3%83%AD%E3%83%B3#r{public_salon.pk}"'
    assert back in detail
    assert f'<li class="result" id="r{public_salon.pk}">' in text(response)


def test_a_detail_page_opened_directly_has_no_way_back_and_ignores_other_parameters(
    client, public_salon
):
    assert "検索結果に戻る" not in text(client.get(f"/resources/{public_salon.pk}/"))
    page = text(client.get(f"/resources/{public_salon.pk}/", {"back": "evil=1&next=//x"}))
    assert "検索結果に戻る" not in page


def test_map_markers_carry_the_list_numbers_and_what_the_popup_shows(client, kita1):
    for i, name in enumerate(["あさひサロン", "いずみサロン", "うめサロン"]):
        resource = make_resource(
            name=name, kana=name, venue="集会所", fee_amount=100 * (i + 1), **NEAR_UMEDA
        )
        add_schedule(
            resource=resource, kind="weekly", weekdays="TU", opens_at=time(10), closes_at=time(11)
        )
    make_resource(name="いけサロン", kana="いけさろん")  # not on the map, but numbered in the list

    page = client.get("/resources/", {"q": "サロン", "sort": "kana"})
    data = client.get("/resources/map.geojson", {"q": "サロン", "sort": "kana"}).json()

    numbers = {f["properties"]["name"]: f["properties"]["n"] for f in data["features"]}
    assert [name for _pk, name in listed(page)] == [
        "あさひサロン",
        "いけサロン",
        "いずみサロン",
        "うめサロン",
    ]
    assert numbers == {"あさひサロン": 1, "いずみサロン": 3, "うめサロン": 4}
    first = next(f["properties"] for f in data["features"] if f["properties"]["n"] == 1)
    assert first["when"] == "毎週火曜 10:00〜11:00"
    assert first["where"] == "集会所"
    assert first["fee"] == "100円"


def test_the_home_page_lists_the_wards_in_the_citys_own_order(client, db):
    for code, name, order in (("27102", "都島区", 2), ("27127", "北区", 1), ("27128", "中央区", 5)):
        Area.objects.create(tier=1, code=code, name=name, sort_order=order)

    page = text(client.get("/"))

    assert page.index("北区") < page.index("都島区") < page.index("中央区")


def test_listed_ids_still_read_the_results(client, public_salon):
    assert listed_ids(client.get("/resources/")) == [public_salon.pk]
