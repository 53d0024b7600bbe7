"""GET /resources/: the search page lists only what the visitor may see."""

from __future__ import annotations

import re

from resources.models import Resource
from tests.conftest import make_resource


def listed_names(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h[23] class="result__name"><a href="[^"]+">([^<]+)</a>', html)


def test_anonymous_search_never_lists_a_staff_only_resource(client, public_salon, staff_only_cafe):
    response = client.get("/resources/")

    assert response.status_code == 200
    assert listed_names(response) == ["梅田ふれあいサロン"]
    assert "非公開の準備中カフェ" not in response.content.decode()
    assert "1件見つかりました" in response.content.decode()


def test_anonymous_search_for_the_staff_only_name_finds_nothing(
    client, public_salon, staff_only_cafe
):
    response = client.get("/resources/", {"q": "準備中カフェ"})

    assert "非公開の準備中カフェ" not in listed_names(response)
    assert "非公開の準備中カフェ" not in response.content.decode()


def test_a_care_manager_finds_staff_only_resources_too(
    client, care_manager, public_salon, staff_only_cafe
):
    client.force_login(care_manager)

    response = client.get("/resources/")

    assert set(listed_names(response)) == {"梅田ふれあいサロン", "非公開の準備中カフェ"}


def test_search_ignores_kana_and_width(client, public_salon):
    for query in ("ｻﾛﾝ", "サロン", "さろん", "ふれあい　サロン"):
        assert listed_names(client.get("/resources/", {"q": query})) == ["梅田ふれあいサロン"]


def test_search_by_ward_code_includes_its_districts(client, areas, public_salon, minato_salon):
    response = client.get("/resources/", {"area": "27127"})

    assert listed_names(response) == ["梅田ふれあいサロン"]


def test_search_by_category_name_or_code(client, areas, public_salon, minato_salon):
    by_name = listed_names(client.get("/resources/", {"category": "運動"}))
    by_code = listed_names(client.get("/resources/", {"category": "exercise"}))

    assert by_name == by_code == ["梅田ふれあいサロン"]


def test_an_unknown_area_code_says_so_in_japanese(client, public_salon):
    response = client.get("/resources/", {"area": "99999"})

    assert "区域「99999」は見つかりません" in response.content.decode()
    assert listed_names(response) == []


def test_search_lists_only_active_resources_by_default(client, public_salon):
    make_resource(name="休止中の体操教室", status=Resource.Status.PAUSED, lat=34.70, lng=135.49)

    assert listed_names(client.get("/resources/")) == ["梅田ふれあいサロン"]
