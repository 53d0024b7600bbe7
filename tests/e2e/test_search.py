"""Residents and care managers search, in a real browser."""

from __future__ import annotations

import re
from datetime import time

import pytest
from playwright.sync_api import Page, expect

from portal.geo import reset_locator
from portal.models import AddressPoint
from resources.models import Category, Resource
from tests.conftest import PASSWORD, add_schedule, make_resource
from tests.e2e.axe import assert_accessible
from tests.e2e.search_page import open_filters


@pytest.fixture
def city(areas, city_staff, care_manager):
    """北区 with a handful of resources around 梅田, one of them staff-only."""
    exercise = Category.objects.get(code="exercise")
    social = Category.objects.get(code="social")
    shopping = Category.objects.get(code="shopping")
    AddressPoint.objects.create(
        code="27127001001",
        city="大阪市",
        ward="北区",
        name="梅田１丁目",
        lat=34.700,
        lng=135.495,
        area=areas["kita1"],
    )
    AddressPoint.objects.create(
        code="27127002001",
        city="大阪市",
        ward="北区",
        name="中崎西２丁目",
        lat=34.730,
        lng=135.515,
        area=areas["kita2"],
    )
    reset_locator()
    taiso = make_resource(
        name="いきいき百歳体操 梅田会場",
        kana="いきいきひゃくさいたいそう うめだかいじょう",
        resource_type=Resource.Type.EXERCISE,
        lat=34.701,
        lng=135.496,
        fee_free=True,
        categories=[exercise],
        address="大阪市北区梅田1丁目3-1",
    )
    add_schedule(
        resource=taiso, kind="weekly", weekdays="TU", opens_at=time(10), closes_at=time(11)
    )
    salon = make_resource(
        name="ひまわりふれあいサロン",
        kana="ひまわりふれあいさろん",
        lat=34.705,
        lng=135.499,
        categories=[social],
        fee_amount=100,
        address="大阪市北区梅田1丁目8-2",
    )
    add_schedule(
        resource=salon,
        kind="monthly_nth",
        weekdays="WE",
        weeks_of_month="1,3",
        opens_at=time(13, 30),
        closes_at=time(15),
    )
    make_resource(
        name="買い物支援 あおぞら号",
        kana="かいものしえん あおぞらごう",
        resource_type=Resource.Type.LIFE_SUPPORT,
        lat=34.731,
        lng=135.516,
        categories=[shopping],
        address="大阪市北区中崎西2丁目1-1",
    )
    # Several resources close together, so that the map clusters them when zoomed out.
    for n in range(6):
        make_resource(
            name=f"囲碁の会 その{n + 1}",
            kana=f"いごのかい その{n + 1}",
            resource_type=Resource.Type.HOBBY,
            lat=34.7102 + n * 0.0004,
            lng=135.5051,
            categories=[social],
        )
    make_resource(
        name="準備中の認知症カフェ",
        kana="じゅんびちゅうのにんちしょうかふぇ",
        resource_type=Resource.Type.DEMENTIA_CAFE,
        visibility=Resource.Visibility.STAFF,
        lat=34.702,
        lng=135.497,
        contact_person="山田 花子",
        categories=[social],
    )
    return areas


def result_names(page: Page) -> list[str]:
    return page.locator(".result__name a").all_inner_texts()


def search(page: Page, live_server, query: str) -> None:
    page.goto(live_server.url + "/resources/")
    page.get_by_label("ことば・場所で探す").fill(query)
    page.get_by_role("button", name="探す", exact=True).click()


@pytest.mark.parametrize("query", ["体操", "たいそう", "ﾀｲｿｳ", "タイソウ"])
def test_a_keyword_in_any_kana_finds_the_exercise_class(page: Page, live_server, city, query):
    search(page, live_server, query)
    expect(page.locator(".result-count")).to_contain_text("1件")
    assert result_names(page) == ["いきいき百歳体操 梅田会場"]
    expect(page).to_have_url(re.compile(r"q="))


def test_half_width_katakana_finds_the_salon(page: Page, live_server, city):
    search(page, live_server, "ｻﾛﾝ")
    expect(page.locator(".result__name")).to_have_text(["ひまわりふれあいサロン"])


def test_the_list_works_without_javascript(browser, live_server, city):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/resources/?q=%E3%81%95%E3%82%8D%E3%82%93")
    expect(page.locator(".result__name")).to_have_text(["ひまわりふれあいサロン"])
    page.get_by_label("ことば・場所で探す").fill("囲碁")
    page.get_by_role("button", name="探す", exact=True).click()
    expect(page.locator(".result-count")).to_contain_text("6件")
    context.close()


def test_filters_update_the_list_and_the_map_together(page: Page, live_server, city):
    page.goto(live_server.url + "/resources/")
    map_box = page.locator("#resource-map")
    expect(map_box).to_have_attribute("data-marker-count", "9")
    open_filters(page)
    page.get_by_label("火", exact=True).check()
    expect(page.locator(".result-count")).to_contain_text("1件")
    expect(map_box).to_have_attribute("data-marker-count", "1")
    assert result_names(page) == ["いきいき百歳体操 梅田会場"]
    # The URL keeps the search, so it can be shared and bookmarked.
    expect(page).to_have_url(re.compile(r"weekday=TU"))
    page.reload()
    assert result_names(page) == ["いきいき百歳体操 梅田会場"]
    # Removing the chip brings everything back.
    page.get_by_role("link", name="条件「火曜」を外す").click()
    expect(page.locator(".result-count")).to_contain_text("9件")


def test_the_pages_results_keep_their_numbers_and_the_others_cluster(page: Page, live_server, city):
    # 25 more at one spot, last in 五十音順: page 1 is the 9 above and 11 of these.
    for n in range(25):
        make_resource(name=f"ん会{n:02d}", kana=f"ん{n:02d}", lat=34.7000, lng=135.4900)
    page.goto(live_server.url + "/resources/")
    expect(page.locator("#resource-map")).to_have_attribute("data-marker-count", "34")
    page.evaluate("window['leafletmapresource-map'].setZoom(11, {animate: false})")

    # The 20 of the list's page are never clustered; the other 14 are.
    expect(page.locator(".marker-number")).to_have_count(20)
    expect(page.locator(".marker-cluster")).to_have_count(1)
    expect(page.locator(".marker-cluster")).to_contain_text("14")
    page.evaluate(
        "window['leafletmapresource-map'].setView([34.7000, 135.4900], 18, {animate: false})"
    )
    expect(page.locator(".marker-cluster")).to_have_count(0)


def test_a_typed_chome_finds_what_is_near_sorted_by_distance(page: Page, live_server, city):
    page.goto(live_server.url + "/resources/")
    open_filters(page)
    page.get_by_label("場所の近くで探す（町名・住所）").fill("梅田1丁目")
    page.get_by_role("button", name="探す", exact=True).click()
    expect(page.locator(".chip").first).to_contain_text("梅田1丁目から1km以内")
    names = result_names(page)
    assert names[:2] == ["いきいき百歳体操 梅田会場", "ひまわりふれあいサロン"]
    assert "買い物支援 あおぞら号" not in names
    expect(page.locator(".result__distance").first).to_contain_text("徒歩")


def test_opening_a_result_shows_its_detail_page(page: Page, live_server, city):
    search(page, live_server, "サロン")
    page.get_by_role("link", name="ひまわりふれあいサロン").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ひまわりふれあいサロン")
    expect(page.locator(".facts")).to_contain_text("第1・3水曜 13:30〜15:00")
    expect(page.locator(".facts")).to_contain_text("100円")
    expect(page.locator("#detail-map path.leaflet-interactive")).to_have_count(1)
    expect(page.get_by_role("heading", name="近くの地域資源")).to_be_visible()


def test_a_care_manager_sees_staff_only_resources_that_a_resident_does_not(
    page: Page, live_server, city
):
    search(page, live_server, "カフェ")
    expect(page.locator(".notice--dropped")).to_contain_text("「カフェ」では見つからない")
    assert "準備中の認知症カフェ" not in result_names(page)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill("caremanager")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    search(page, live_server, "カフェ")
    expect(page.locator(".result__name")).to_contain_text(["準備中の認知症カフェ"])
    page.get_by_role("link", name="準備中の認知症カフェ").click()
    expect(page.locator(".staff-only")).to_contain_text("山田 花子")


def test_search_and_detail_pages_are_accessible(page: Page, live_server, city):
    page.goto(live_server.url + "/resources/?q=%E4%BD%93%E6%93%8D")
    expect(page.locator("#resource-map")).to_have_attribute("data-marker-count", "1")
    # Map tiles come from outside and are not part of the page's own markup.
    assert_accessible(page, exclude=(".leaflet-tile-pane",))
    page.get_by_role("link", name="いきいき百歳体操 梅田会場").click()
    assert_accessible(page, exclude=(".leaflet-tile-pane",))
    page.goto(live_server.url + "/")
    assert_accessible(page)


def test_on_a_phone_the_search_is_usable_with_big_targets(browser, live_server, city):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/resources/?view=map")
    button = page.get_by_role("button", name="探す", exact=True)
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The map comes first when asked for it.
    map_top = page.locator("#resource-map").bounding_box()["y"]
    list_top = page.locator("#results").bounding_box()["y"]
    assert map_top < list_top
    context.close()


# Results first on a phone (issue 14) ------------------------------------------------


def phone(browser):
    return browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)


def first_result_is_on_the_first_screen(page: Page) -> None:
    first = page.locator(".result__name").first
    expect(first).to_be_visible()
    box = first.bounding_box()
    assert box["y"] + box["height"] <= 844, box


def test_on_a_phone_the_first_result_is_on_the_first_screen_after_a_search(
    browser, live_server, city
):
    context = phone(browser)
    page = context.new_page()
    search(page, live_server, "梅田 体操 火曜")
    expect(page.locator(".result-count")).to_contain_text("1件")
    assert result_names(page) == ["いきいき百歳体操 梅田会場"]
    first_result_is_on_the_first_screen(page)
    assert_accessible(page, exclude=(".leaflet-tile-pane",))
    context.close()


def test_on_a_phone_a_shared_link_opens_with_the_first_result_on_the_first_screen(
    browser, live_server, city
):
    context = phone(browser)
    page = context.new_page()
    shared = "/resources/?q=%E3%82%B5%E3%83%AD%E3%83%B3&area=27127&free=&weekday=WE&type=salon"
    page.goto(live_server.url + shared)
    # The drawer stays shut although the link chose filters.
    expect(page.locator("details.filters")).not_to_have_attribute("open", "")
    first_result_is_on_the_first_screen(page)
    context.close()


def test_after_a_change_a_sticky_button_takes_the_reader_to_the_count(browser, live_server, city):
    context = phone(browser)
    page = context.new_page()
    page.goto(live_server.url + "/resources/")
    open_filters(page)
    page.get_by_label("火", exact=True).check()
    see = page.locator("#see-results")
    expect(see).to_have_text("1件を見る")
    see.click()
    expect(page.locator(".result-count")).to_be_focused()
    context.close()


def test_a_marker_carries_its_list_number_and_its_popup_says_when_where_and_cost(
    page: Page, live_server, city
):
    page.goto(live_server.url + "/resources/?q=%E4%BD%93%E6%93%8D")
    marker = page.locator(".marker-number")
    expect(marker).to_have_count(1)
    expect(marker).to_have_text("1")
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("1. いきいき百歳体操 梅田会場")
    expect(popup).to_contain_text("毎週火曜 10:00〜11:00")
    expect(popup).to_contain_text("大阪市北区梅田1丁目3-1")
    expect(popup).to_contain_text("無料")


def test_without_javascript_there_is_no_empty_map_box(browser, live_server, city):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/resources/")
    expect(page.locator("#map-panel")).to_be_hidden()
    expect(page.get_by_role("link", name="LINEで送る")).to_be_visible()
    context.close()


def test_the_detail_page_returns_to_the_search(page: Page, live_server, city):
    search(page, live_server, "サロン 水曜")
    expect(page.locator(".result-count")).to_contain_text("1件")
    page.get_by_role("link", name="ひまわりふれあいサロン").click()
    page.get_by_role("link", name="‹ 検索結果に戻る").click()
    expect(page.get_by_label("ことば・場所で探す")).to_have_value("サロン 水曜")
    assert result_names(page) == ["ひまわりふれあいサロン"]


# Desktop: filters, list and map side by side (issue 14) ------------------------------

DESKTOP = {"width": 1280, "height": 800}


def in_first_screen(page: Page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    assert box["y"] >= 0 and box["y"] + min(box["height"], 40) <= DESKTOP["height"], (selector, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"], (selector, box)
    return box


def test_on_a_desktop_the_filters_list_and_map_sit_side_by_side(browser, live_server, city):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    search(page, live_server, "梅田")
    expect(page.locator(".chip").first).to_contain_text("梅田")
    expect(page.locator("#resource-map")).to_have_attribute("data-marker-count", "9")
    expect(page.locator(".result").first).to_be_visible()
    first = in_first_screen(page, ".result")
    map_box = in_first_screen(page, "#resource-map")
    # The whole map and the first result card on the first screen, the map beside the list.
    assert map_box["y"] + map_box["height"] <= DESKTOP["height"], map_box
    assert page.locator(".result").first.bounding_box()["y"] + 200 <= DESKTOP["height"]
    assert map_box["x"] >= first["x"] + first["width"] - 1
    # The filters are open, beside them, without a click: the drawer's summary is not shown.
    area = page.get_by_label("区域")
    expect(area).to_be_visible()
    filters = in_first_screen(page, "#near")
    assert filters["x"] + filters["width"] <= first["x"]
    expect(page.locator("details.filters > summary")).to_be_hidden()
    expect(page.get_by_role("heading", name="場所・条件をしぼる")).to_be_visible()
    # No sticky 「n件を見る」 here: the list is already in sight.
    page.get_by_label("火", exact=True).check()
    expect(page.locator(".result-count")).to_contain_text("1件")
    expect(page.locator("#see-results")).to_be_hidden()
    # The note says where the list is on this screen.
    expect(page.locator(".map-note")).to_have_text(re.compile("左の一覧"))
    assert_accessible(page, exclude=(".leaflet-tile-pane",))
    context.close()


def test_on_a_desktop_the_filters_are_reached_with_the_keyboard(browser, live_server, city):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/resources/")
    page.get_by_label("ことば・場所で探す").focus()
    page.keyboard.press("Tab")  # 探す
    page.keyboard.press("Tab")
    expect(page.get_by_label("場所の近くで探す（町名・住所）")).to_be_focused()
    context.close()


def test_on_a_phone_the_filters_stay_a_closed_drawer(browser, live_server, city):
    context = phone(browser)
    page = context.new_page()
    search(page, live_server, "梅田")
    expect(page.get_by_label("区域")).to_be_hidden()
    expect(page.locator("details.filters > summary")).to_be_visible()
    expect(page.locator(".map-note")).to_have_text(re.compile("下の一覧"))
    assert_accessible(page, exclude=(".leaflet-tile-pane",))
    context.close()


def test_markers_of_different_kinds_have_different_shapes_in_the_documented_palette(
    page: Page, live_server, city
):
    from resources.palette import CATEGORY_COLORS, OKABE_ITO, SHAPE_SVG, TYPE_SHAPES

    page.goto(live_server.url + "/resources/?q=%E6%A2%85%E7%94%B0")  # 梅田: 体操, サロン, 買い物…
    expect(page.locator("#resource-map")).to_have_attribute("data-marker-count", "9")
    page.evaluate(
        "window['leafletmapresource-map'].setView([34.703, 135.4975], 17, {animate: false})"
    )
    taiso = page.locator(".leaflet-marker-icon[title^='1. いきいき百歳体操']")
    salon = page.locator(".leaflet-marker-icon[title$='ひまわりふれあいサロン']")
    expect(taiso.locator(".marker-number")).to_have_attribute("data-shape", "triangle")
    expect(salon.locator(".marker-number")).to_have_attribute("data-shape", "circle")
    assert TYPE_SHAPES["exercise"] != TYPE_SHAPES["salon"]
    # Colour by category, from the Okabe–Ito palette; the number's ink passes AA on it.
    expect(taiso.locator(".marker-number")).to_have_attribute(
        "data-color", CATEGORY_COLORS["exercise"]
    )
    assert CATEGORY_COLORS["exercise"] == OKABE_ITO["bluish_green"]
    fill = taiso.locator("svg > :last-child").get_attribute("fill")
    assert fill == OKABE_ITO["bluish_green"]
    ink = taiso.locator(".marker-number__n").evaluate("e => getComputedStyle(e).color")
    assert ink == "rgb(0, 0, 0)"
    # The number is drawn on top of its shape (Leaflet lifts map svgs above other content).
    # What lies at the middle of the number is not the shape's SVG (the other
    # markers hidden first: a neighbour may overlap it at this zoom).
    number_on_top = taiso.locator(".marker-number__n").evaluate(
        """async e => { await document.fonts.ready;
                  const icon = e.closest('.leaflet-marker-icon');
                  document.querySelectorAll('.leaflet-marker-icon, .marker-cluster').forEach(
                      m => { if (m !== icon) m.style.visibility = 'hidden'; });
                  const r = document.createRange(); r.selectNodeContents(e);
                  const b = r.getBoundingClientRect();
                  const hit = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
                  return !!hit && (hit === e || e.contains(hit) || !hit.closest('svg')); }"""
    )
    assert number_on_top
    # The list shows the same shape beside the type, and the legend names every shape.
    expect(page.locator(".result").first.locator(".shape-mark")).to_have_attribute(
        "data-shape", "triangle"
    )
    expect(page.locator(".legend--shapes .shape-mark")).to_have_count(len(SHAPE_SVG))
