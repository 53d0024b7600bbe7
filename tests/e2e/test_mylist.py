"""わたしのリスト and これから in a real browser, on a 390 px phone."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.conftest import add_schedule, make_resource
from tests.e2e.axe import assert_accessible

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "device_scale_factor": 2}


@pytest.fixture
def city(areas, exercise):
    salon = make_resource(
        name="梅田ふれあいサロン", lat=34.70, lng=135.49, categories=[exercise], venue="さくら会場"
    )
    taiso = make_resource(name="築港いきいき百歳体操", lat=34.66, lng=135.44)
    for resource in (salon, taiso):
        add_schedule(
            resource=resource,
            kind="weekly",
            weekdays="MO,TU,WE,TH,FR,SA,SU",
            opens_at=dt.time(10),
            closes_at=dt.time(11, 30),
        )
    return {"salon": salon, "taiso": taiso}


def test_the_list_survives_a_reload_and_opens_from_its_link_elsewhere(browser, live_server, city):
    salon, taiso = city["salon"], city["taiso"]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/resources/{salon.pk}/")
    add = page.get_by_role("button", name="リストに入れる")
    expect(add).to_be_visible()
    add.click()
    expect(page.get_by_role("button", name="リストから外す")).to_be_visible()
    page.goto(f"{live_server.url}/resources/?q=百歳")
    page.locator(f'button.mylist-toggle[data-mylist-id="{taiso.pk}"]').click()
    page.reload()
    expect(page.locator(f'button.mylist-toggle[data-mylist-id="{taiso.pk}"]')).to_have_text(
        "リストから外す"
    )
    page.get_by_role("link", name="わたしのリスト").first.click()
    expect(page).to_have_url(f"{live_server.url}/mylist/?ids={salon.pk},{taiso.pk}")
    names = page.locator(".result__name")
    expect(names).to_have_text(["梅田ふれあいサロン", "築港いきいき百歳体操"])
    link = page.locator("#mylist-link").input_value()
    assert_accessible(page)
    context.close()

    other = browser.new_context(**PHONE)
    elsewhere = other.new_page()
    elsewhere.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    expect(elsewhere.locator(".result__name")).to_have_text(
        ["梅田ふれあいサロン", "築港いきいき百歳体操"]
    )
    keep = elsewhere.get_by_role("button", name="このリストをこの端末に保存")
    expect(keep).to_be_visible()
    keep.click()
    expect(keep).to_be_hidden()
    expect(elsewhere.get_by_role("button", name="リストから外す")).to_have_count(2)
    other.close()


def test_without_javascript_the_list_buttons_are_not_offered(browser, live_server, city):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/resources/{city['salon'].pk}/")
    expect(page.get_by_role("button", name="リストに入れる")).to_have_count(0)
    expect(page.get_by_role("link", name="カレンダーに追加")).to_be_visible()
    page.goto(f"{live_server.url}/resources/upcoming/?when=today")
    expect(page.locator(".upcoming").first).to_contain_text("10:00〜11:30")
    context.close()


def test_upcoming_on_a_phone_is_accessible(browser, live_server, city):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="これから").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("これからの予定")
    expect(page.locator(".upcoming")).to_have_count(14)  # two resources, every day for 7 days
    assert_accessible(page)
    page.get_by_role("link", name="今日", exact=True).click()
    expect(page.locator(".upcoming")).to_have_count(2)
    context.close()
