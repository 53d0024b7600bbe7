"""The print buttons, in a real browser: a search's 「印刷用PDF」 gives its PDF."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from playwright.sync_api import Page, expect

from resources.models import Category, Resource
from tests.conftest import PASSWORD, make_resource
from tests.e2e.axe import assert_accessible


@pytest.fixture
def city(areas, exercise):
    social = Category.objects.get(code="social")
    make_resource(
        name="いきいき百歳体操 梅田会場",
        kana="いきいきひゃくさいたいそう うめだかいじょう",
        resource_type=Resource.Type.EXERCISE,
        lat=34.701,
        lng=135.496,
        categories=[exercise],
    )
    make_resource(
        name="ひまわりふれあいサロン",
        kana="ひまわりふれあいさろん",
        lat=34.705,
        lng=135.499,
        categories=[social],
    )
    make_resource(
        name="非公開の体操準備会",
        kana="ひこうかいのたいそうじゅんびかい",
        visibility=Resource.Visibility.STAFF,
        lat=34.702,
        lng=135.497,
        categories=[exercise],
    )
    return areas


def pdf_from_click(page: Page, link_name: str) -> tuple[str, bytes]:
    """Click a link to a PDF; return its URL and the body the browser received.

    Chromium shows a PDF in its viewer (whose page then replaces the body), so the
    response is read on its way in.
    """
    captured: dict = {}

    def keep(route):
        response = route.fetch()
        captured.update(url=route.request.url, body=response.body(), headers=response.headers)
        captured["status"] = response.status
        route.fulfill(response=response)

    page.route("**/*.pdf*", keep)
    with page.expect_response(lambda r: ".pdf" in r.url.split("?")[0]):
        page.get_by_role("link", name=link_name, exact=True).click()
    page.unroute("**/*.pdf*")
    assert captured["status"] == 200
    assert captured["headers"]["content-type"] == "application/pdf"
    return captured["url"], captured["body"]


def test_the_print_button_of_a_search_gives_the_numbered_list(page: Page, live_server, city):
    page.goto(live_server.url + "/resources/")
    page.get_by_label("ことば・場所で探す").fill("体操")
    page.get_by_role("button", name="探す", exact=True).click()
    expect(page.locator(".result-count")).to_contain_text("1件")
    url, content = pdf_from_click(page, "印刷用PDF")
    assert "/resources/print.pdf?" in url and "q=" in url
    assert content.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "「体操」" in text
    assert "1 いきいき百歳体操 梅田会場" in text.replace("\n", " ")
    assert "ひまわりふれあいサロン" not in text
    assert "非公開の体操準備会" not in text


def test_the_large_print_link_keeps_the_search(page: Page, live_server, city):
    page.goto(live_server.url + "/resources/?category=social")
    url, content = pdf_from_click(page, "大きな文字で印刷（PDF）")
    assert "category=social" in url and "large=1" in url
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "ひまわりふれあいサロン" in text and "いきいき百歳体操" not in text


def test_the_detail_page_prints_a_sheet(page: Page, live_server, city):
    resource = Resource.objects.get(name="ひまわりふれあいサロン")
    page.goto(live_server.url + f"/resources/{resource.pk}/")
    url, content = pdf_from_click(page, "この資源の案内を印刷（PDF）")
    assert url.endswith(f"/resources/{resource.pk}/sheet.pdf")
    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) == 1


def test_staff_print_an_area_map_from_the_booklet_page(page: Page, live_server, city, city_staff):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill(city_staff.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.goto(live_server.url + "/staff/")
    page.get_by_role("link", name=re.compile("地域資源マップの印刷")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("地域資源マップの印刷")
    assert_accessible(page)
    url, content = pdf_from_click(page, "北区 関係者用 A4")
    assert url.endswith("/areas/27127/map.pdf?staff=1")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "北区 地域資源マップ" in text and "非公開の体操準備会" in text and "関係者限定" in text
