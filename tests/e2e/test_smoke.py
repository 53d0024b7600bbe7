"""The home page and login, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, make_resource


@pytest.fixture
def city(areas, exercise, city_staff):
    make_resource(name="梅田ふれあいサロン", lat=34.70, lng=135.49, categories=[exercise])
    return areas


def test_home_page_shows_japanese_entry_points_and_ward_counts(page: Page, live_server, city):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("地域資源ポータル"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("地域の通いの場やサービスを探す")
    for label in ("探す", "地図で探す", "印刷", "スタッフ"):
        expect(page.locator(".entry__title", has_text=label).first).to_be_visible()
    row = page.get_by_role("row", name=re.compile("北区"))
    expect(row).to_contain_text("1")


def test_city_staff_logs_in_and_reaches_the_admin(page: Page, live_server, city):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill("city")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page.locator(".signed-in")).to_contain_text("市 職員")
    page.get_by_role("link", name="スタッフ", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("スタッフのページ")
    page.get_by_role("link", name=re.compile("管理画面")).click()
    expect(page.locator("#site-name")).to_contain_text("地域資源ポータル 管理")
    page.get_by_role("link", name="区域").first.click()
    expect(page.locator("#result_list")).to_contain_text("北区")


def test_wrong_password_shows_a_japanese_error_and_keeps_the_username(
    page: Page, live_server, city
):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill("city")
    page.get_by_label("パスワード").fill("wrong-password")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("alert")).to_contain_text("正しくありません")
    expect(page.get_by_label("ユーザー名")).to_have_value("city")


def test_large_text_toggle_works_and_is_remembered(page: Page, live_server, city):
    page.goto(live_server.url + "/")
    size_before = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    page.get_by_role("button", name="文字を大きく").click()
    expect(page.get_by_role("button", name="文字を標準に戻す")).to_be_visible()
    size_after = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert float(size_after.rstrip("px")) > float(size_before.rstrip("px"))
    page.goto(live_server.url + "/resources/")
    expect(page.locator("html")).to_have_class(re.compile("text-large"))
