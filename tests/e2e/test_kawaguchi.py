"""The 川口市 demo in a real browser: a city without wards looks like one.

A cut-down demo (the real outline, 町丁 and the demo's 20 圏域, 60 resources,
no activity records) keeps the browser tests quick: live-server tests empty the
database after each test, so each loads it again.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from demo.kawaguchi import KawaguchiBuilder
from portal.models import Area
from tests.e2e.axe import assert_accessible
from tests.e2e.search_page import open_filters


@pytest.fixture
def kawaguchi(transactional_db):
    KawaguchiBuilder(resource_total=60, records=False).build()
    return Area.objects.get(code="11203")


def test_the_home_page_is_kawaguchi_with_its_districts(page: Page, live_server, kawaguchi):
    page.goto(live_server.url + "/")

    expect(page).to_have_title(re.compile("川口市 地域資源ポータル"))
    expect(page.locator(".site-title")).to_have_text("川口市 地域資源ポータル")
    expect(page.locator(".demo-banner")).to_contain_text("第2層の圏域と地域資源は架空のもの")
    expect(page.get_by_role("heading", name="圏域ごとの地域資源")).to_be_visible()
    expect(page.get_by_role("heading", name="区ごとの地域資源")).to_have_count(0)
    expect(page.locator(".ward-table tbody tr")).to_have_count(20)
    assert_accessible(page)

    page.get_by_role("link", name="東川口圏域").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("東川口圏域")
    expect(page.locator(".breadcrumb")).to_contain_text("川口市")
    assert_accessible(page)


def test_the_search_map_shows_the_districts_and_no_ward_selector(
    page: Page, live_server, kawaguchi
):
    public = page.request.get(live_server.url + "/resources/map.geojson").json()["features"]
    page.goto(live_server.url + "/resources/")

    map_box = page.locator("#resource-map")
    assert 40 <= len(public) <= 60
    expect(map_box).to_have_attribute("data-marker-count", str(len(public)))
    # The city's outline and its 20 圏域 (dashed) are drawn at once.
    expect(page.locator("#resource-map path[stroke-dasharray='4 4']")).to_have_count(20)
    open_filters(page)
    area = page.get_by_label("区域")
    expect(area.locator("optgroup")).to_have_count(1)
    expect(area.locator("optgroup")).to_have_attribute("label", "圏域")
    assert "第1層" not in area.inner_text()
    assert_accessible(page, exclude=(".leaflet-container",))

    area.select_option(label="川口圏域")
    expect(page).to_have_url(re.compile(r"area=11203-16"))
    expect(page.locator(".chip").first).to_contain_text("川口圏域")
    inside = page.request.get(live_server.url + "/resources/map.geojson?area=11203-16").json()
    assert 0 < len(inside["features"]) < len(public)
    expect(map_box).to_have_attribute("data-marker-count", str(len(inside["features"])))
