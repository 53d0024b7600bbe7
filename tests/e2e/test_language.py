"""The language switch in the header, on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import make_resource
from tests.e2e.axe import assert_accessible


@pytest.fixture
def city(areas, exercise):
    make_resource(name="梅田ふれあいサロン", lat=34.70, lng=135.49, categories=[exercise])
    return areas


def test_on_a_phone_the_switch_is_a_big_target_and_turns_the_pages_english(
    browser, live_server, city
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/resources/?q=サロン")

    english = page.get_by_role("button", name="English")
    box = english.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    english.click()

    # Back on the same search, in English, and remembered on the next page.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_visible()
    expect(page.locator("#results")).to_contain_text("梅田ふれあいサロン")
    assert_accessible(page, exclude=(".leaflet-tile-pane",))
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Find community gathering places and services near you"
    )
    assert_accessible(page)

    japanese = page.get_by_role("button", name="日本語")
    assert japanese.bounding_box()["height"] >= 44
    japanese.click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=1)).to_have_text("地域の通いの場やサービスを探す")
    context.close()
