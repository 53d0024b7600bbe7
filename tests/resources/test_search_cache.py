"""The cache of public search pages (portal/cache.py): what a visitor who is
not logged in is served again, and that no change and no staff page is lost in it."""

from __future__ import annotations

import pytest
from django.test import override_settings

from resources.models import Category
from resources.services import resource_delete, resource_update
from tests.conftest import add_schedule, make_resource
from tests.resources.import_files import csv_bytes
from tests.resources.search_pages import listed_names, text

STAFF_ONLY_NAME = "非公開の準備中カフェ"


def test_the_same_public_search_is_served_again_from_the_cache(
    client, public_salon, django_assert_num_queries
):
    first = client.get("/resources/", {"q": "サロン"})

    with django_assert_num_queries(1):  # the data version, nothing else
        again = client.get("/resources/", {"q": "サロン"})

    assert listed_names(again) == listed_names(first) == ["梅田ふれあいサロン"]
    assert again.content == first.content


def test_the_map_data_is_served_again_too(client, public_salon, django_assert_num_queries):
    first = client.get("/resources/map.geojson", {"q": "サロン"})

    with django_assert_num_queries(1):
        again = client.get("/resources/map.geojson", {"q": "サロン"})

    assert again.json() == first.json()


def _rename(resource):
    resource_update(resource=resource, name="梅田こもれびサロン")


@pytest.mark.parametrize(
    ("change", "shown", "gone"),
    [
        pytest.param(
            lambda r: make_resource(name="梅田ひだまりサロン", area=r.area, lat=34.7, lng=135.5),
            "梅田ひだまりサロン",
            None,
            id="new",
        ),
        pytest.param(_rename, "梅田こもれびサロン", "梅田ふれあいサロン", id="renamed"),
        pytest.param(
            lambda r: resource_delete(resource=r), None, "梅田ふれあいサロン", id="deleted"
        ),
        pytest.param(
            lambda r: add_schedule(resource=r, kind="weekly", weekdays="TU"),
            "毎週火曜",
            None,
            id="schedule",
        ),
        pytest.param(
            lambda r: resource_update(resource=r, categories=[Category.objects.get(code="social")]),
            "交流</span>",  # the tag on the result
            None,
            id="categories",
        ),
    ],
)
def test_any_change_to_the_data_shows_at_once(client, public_salon, change, shown, gone):
    query = {"q": "サロン"}
    before = text(client.get("/resources/", query))
    before_map = client.get("/resources/map.geojson", query).content

    change(public_salon)
    after = text(client.get("/resources/", query))
    after_map = client.get("/resources/map.geojson", query).content

    if shown:
        assert shown not in before and shown in after
    if gone:
        assert gone in before and gone not in after
        assert gone in before_map.decode() and gone not in after_map.decode()


def test_an_import_shows_at_once(client, areas):
    from resources.importing import resources_import

    header = ["資源コード", "名称", "区"]
    resources_import(
        csv_bytes([header, ["S-1", "梅田ふれあいサロン", "北区"]]), dry_run=False, publish=True
    )
    assert listed_names(client.get("/resources/", {"q": "サロン"})) == ["梅田ふれあいサロン"]

    # Written in bulk, past the ORM's signals.
    resources_import(
        csv_bytes([header, ["S-2", "梅田ひだまりサロン", "北区"]]), dry_run=False, publish=True
    )

    assert sorted(listed_names(client.get("/resources/", {"q": "サロン"}))) == [
        "梅田ひだまりサロン",
        "梅田ふれあいサロン",
    ]


def test_a_staff_page_is_never_kept_for_visitors(
    client, public_salon, staff_only_cafe, care_manager
):
    client.force_login(care_manager)
    staff_page = text(client.get("/resources/"))
    staff_map = client.get("/resources/map.geojson").json()
    assert STAFF_ONLY_NAME in staff_page
    assert any(f["properties"]["name"] == STAFF_ONLY_NAME for f in staff_map["features"])

    client.logout()
    public_page = text(client.get("/resources/"))
    public_map = client.get("/resources/map.geojson").json()

    assert STAFF_ONLY_NAME not in public_page
    assert all(f["properties"]["name"] != STAFF_ONLY_NAME for f in public_map["features"])


def test_a_kept_public_page_is_never_served_to_staff(
    client, public_salon, staff_only_cafe, care_manager
):
    assert STAFF_ONLY_NAME not in text(client.get("/resources/"))

    client.force_login(care_manager)

    assert STAFF_ONLY_NAME in text(client.get("/resources/"))
    assert any(
        f["properties"]["name"] == STAFF_ONLY_NAME
        for f in client.get("/resources/map.geojson").json()["features"]
    )


def test_public_pages_carry_no_personal_token(client, public_salon):
    response = client.get("/resources/", {"q": "サロン"})

    assert "csrfmiddlewaretoken" not in text(response)
    assert "csrftoken" not in response.cookies


def test_large_text_is_its_own_page(client, public_salon):
    normal = text(client.get("/resources/"))

    response = client.get("/settings/text-size/", {"size": "large", "next": "/resources/"})
    assert response.status_code == 302 and response["Location"] == "/resources/"
    large = text(client.get("/resources/"))

    assert 'class="text-large"' in large and 'class="text-large"' not in normal
    assert "文字を標準に戻す" in large and "文字を大きく" in normal

    client.get("/settings/text-size/", {"size": "normal", "next": "/resources/"})
    assert text(client.get("/resources/")) == normal


def test_the_text_size_switch_goes_back_only_to_this_site(client):
    response = client.get("/settings/text-size/", {"size": "large", "next": "https://example.com/"})

    assert response["Location"] == "/"
    assert response.cookies["textsize"].value == "large"


def test_a_message_for_one_visitor_is_not_kept(rf, public_salon):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages import info
    from django.contrib.messages.storage.fallback import FallbackStorage

    from resources.views import search

    def visit(message=None):
        request = rf.get("/resources/")
        request.user, request.session = AnonymousUser(), {}
        request._messages = FallbackStorage(request)
        if message:
            info(request, message)
        return search(request).content.decode()

    with_message = visit("ご意見ありがとうございました")
    later = visit()

    assert "ご意見ありがとうございました" in with_message
    assert "ご意見ありがとうございました" not in later


@override_settings(SEARCH_CACHE_SECONDS=0)
def test_with_the_cache_off_every_page_is_searched_again(
    client, public_salon, django_assert_num_queries
):
    client.get("/resources/", {"q": "サロン"})

    # the data version, the matching ids (which also say the words find something),
    # page, schedules, categories
    with django_assert_num_queries(5):
        client.get("/resources/", {"q": "サロン"})


def test_the_version_moves_with_the_change_and_only_with_it(public_salon):
    from contextlib import suppress

    from django.db import transaction

    from portal.cache import data_version

    before = data_version()
    with suppress(RuntimeError), transaction.atomic():
        resource_update(resource=public_salon, name="梅田こもれびサロン")
        assert data_version() != before  # inside the change's own transaction
        raise RuntimeError("rolled back")

    assert data_version() == before  # the change was rolled back, and so was the version


def test_a_new_town_block_moves_the_version_for_nearby_searches(public_salon, kita1, tmp_path):
    from portal.address_points import load_address_points
    from portal.cache import data_version

    before = data_version()
    table = tmp_path / "chome.csv"
    table.write_text(
        "大字町丁目コード,大字町丁目名,緯度,経度,市区町村名\n"
        "27127099001,新町一丁目,34.7,135.49,大阪市北区\n",
        encoding="utf-8",
    )
    load_address_points(table)

    assert data_version() != before


def test_pages_with_parameters_the_search_does_not_read_are_not_kept(
    client, public_salon, django_assert_num_queries
):
    client.get("/resources/", {"q": "サロン", "utm_source": "mail"})

    with django_assert_num_queries(5):  # searched again: not filed in the cache
        client.get("/resources/", {"q": "サロン", "utm_source": "mail"})
