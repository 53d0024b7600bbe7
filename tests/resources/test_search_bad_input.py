"""Bad filter values on /resources/ and /resources/map.geojson: a Japanese message, never a 500."""

from __future__ import annotations

import pytest

from tests.conftest import make_resource
from tests.resources.search_pages import errors, listed_names, notices, result_count, text

BAD_INPUT = [
    pytest.param({"area": "99999"}, "区域「99999」は見つかりません。", id="unknown-area"),
    pytest.param({"category": "将棋"}, "カテゴリ「将棋」は見つかりません。", id="unknown-category"),
    pytest.param(
        {"category": ["exercise", "nosuch"]},
        "カテゴリ「nosuch」は見つかりません。",
        id="one-unknown-category-of-two",
    ),
    pytest.param(
        {"radius_km": "-1"}, "距離は 0.1〜20 km で指定してください。", id="negative-radius"
    ),
    pytest.param(
        {"radius_km": "10000"}, "距離は 0.1〜20 km で指定してください。", id="huge-radius"
    ),
    pytest.param(
        {"radius_km": "abc"}, "距離は 0.1〜20 km で指定してください。", id="radius-not-a-number"
    ),
    pytest.param(
        {"lat": "100", "lng": "135.5"},
        "緯度は -90〜90、経度は -180〜180 で指定してください。",
        id="latitude-out-of-range",
    ),
    pytest.param(
        {"lat": "nan", "lng": "135.5"},
        "緯度は -90〜90、経度は -180〜180 で指定してください。",
        id="latitude-nan",
    ),
    pytest.param({"lat": "100"}, "現在地の緯度・経度を読み取れません。", id="latitude-alone"),
    pytest.param(
        {"lat": "abc", "lng": "135.5"}, "現在地の緯度・経度を読み取れません。", id="latitude-abc"
    ),
    pytest.param({"weekday": "XX"}, "曜日「XX」は選べません。", id="unknown-weekday"),
    pytest.param({"type": "spa"}, "種別「spa」は選べません。", id="unknown-type"),
    pytest.param({"time": "noon"}, "時間帯「noon」は選べません。", id="unknown-time"),
    pytest.param({"status": "closed"}, "状態「closed」は選べません。", id="unknown-status"),
    pytest.param({"target": "kids"}, "対象者「kids」は見つかりません。", id="unknown-target"),
    pytest.param({"feature": "pool"}, "特徴「pool」は見つかりません。", id="unknown-feature"),
]


@pytest.mark.parametrize(("params", "message"), BAD_INPUT)
def test_the_search_page_names_the_bad_value_in_japanese(client, public_salon, params, message):
    response = client.get("/resources/", params)

    assert response.status_code == 200
    assert message in errors(response)
    assert listed_names(response) == []
    assert result_count(response) == 0


@pytest.mark.parametrize(("params", "message"), BAD_INPUT)
def test_the_map_data_carries_the_same_message_and_no_features(
    client, public_salon, params, message
):
    response = client.get("/resources/map.geojson", params)

    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert message in body["errors"]
    assert body["features"] == []


def test_the_results_partial_shows_the_message_too(client, public_salon):
    response = client.get("/resources/", {"partial": "1", "area": "99999"})

    assert response.status_code == 200
    assert errors(response) == ["区域「99999」は見つかりません。"]


def test_every_bad_value_is_named_when_several_are_wrong(client, public_salon):
    response = client.get(
        "/resources/", {"area": "99999", "weekday": "XX", "lat": "abc", "lng": "1"}
    )

    assert errors(response) == [
        "区域「99999」は見つかりません。",
        "曜日「XX」は選べません。",
        "現在地の緯度・経度を読み取れません。",
    ]


def test_a_bad_value_is_shown_escaped(client, public_salon):
    response = client.get("/resources/", {"area": "<b>x</b>", "weekday": "<i>"})

    assert response.status_code == 200
    assert "<b>x</b>" not in text(response)
    assert "区域「&lt;b&gt;x&lt;/b&gt;」は見つかりません。" in text(response)
    assert "曜日「&lt;i&gt;」は選べません。" in text(response)


@pytest.mark.parametrize("page", ["99999", "0", "-1", "abc"])
def test_a_page_out_of_range_shows_a_page_of_results_not_an_error(client, public_salon, page):
    response = client.get("/resources/", {"page": page})

    assert response.status_code == 200
    assert listed_names(response) == ["梅田ふれあいサロン"]


def test_the_map_data_ignores_the_page(client, public_salon):
    body = client.get("/resources/map.geojson", {"page": "99999"}).json()

    assert [f["properties"]["name"] for f in body["features"]] == ["梅田ふれあいサロン"]
    assert "errors" not in body


def test_a_good_search_has_no_errors_in_the_map_data(client, public_salon):
    body = client.get("/resources/map.geojson", {"area": "27127-1", "weekday": "MO"}).json()

    assert "errors" not in body


def test_a_page_beyond_the_last_shows_the_last_page(client, kita1):
    for i in range(21):
        make_resource(name=f"サロン{i:02d}", kana=f"さろん{i:02d}", lat=34.70, lng=135.49)

    response = client.get("/resources/", {"page": "99999"})

    assert response.status_code == 200
    assert listed_names(response) == ["サロン20"]
    assert "2 / 2 ページ" in text(response)


NUL_INPUT = [
    pytest.param({"area": "999\x0099"}, "区域「", id="area"),
    pytest.param({"near": "存在しない\x00町"}, "の場所が見つからない", id="near"),
    pytest.param({"category": "将\x00棋"}, "カテゴリ「", id="category"),
    pytest.param({"weekday": "\x00"}, "曜日「", id="weekday"),
]


@pytest.mark.parametrize(("params", "message"), NUL_INPUT)
def test_a_nul_character_in_a_filter_gets_a_message_not_a_500(
    client, public_salon, params, message
):
    # PostgreSQL refuses NUL in text parameters; the filter must not pass it on.
    page = client.get("/resources/", params)
    data = client.get("/resources/map.geojson", params)

    assert page.status_code == 200
    assert any(message in said for said in errors(page) + notices(page))
    assert data.status_code == 200
    body = data.json()
    assert any(message in said for said in body.get("errors", []) + body.get("notices", []))


def test_a_nul_character_in_the_keyword_is_ignored(client, public_salon):
    response = client.get("/resources/", {"q": "ふれあい\x00サロン"})

    assert response.status_code == 200
    assert listed_names(response) == ["梅田ふれあいサロン"]
