"""City staff import the ward's サロン list in a real browser: upload → preview → confirm."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from resources.models import Resource
from tests.conftest import PASSWORD, make_address_point, make_resource
from tests.e2e.axe import assert_accessible
from tests.resources.import_files import csv_bytes, salon_rows, salon_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ward(areas, city_staff):
    make_address_point(
        code="27127001001",
        city="大阪市",
        ward="北区",
        name="梅田１丁目",
        lat=34.700,
        lng=135.495,
        area=areas["kita1"],
    )
    make_address_point(
        code="27127002002",
        city="大阪市",
        ward="北区",
        name="中崎西２丁目",
        lat=34.712,
        lng=135.505,
        area=areas["kita2"],
    )
    return areas


def log_in_as_city_staff(page: Page, live_server) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill("city")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()


def test_city_staff_upload_preview_and_confirm_an_excel_list(page: Page, live_server, ward):
    log_in_as_city_staff(page, live_server)
    page.goto(live_server.url + "/staff/")
    page.get_by_role("link", name="表計算ファイルの取込").click()
    assert_accessible(page)

    page.get_by_label("ファイル（Excel .xlsx または CSV）").set_input_files(
        {"name": "北区サロン一覧.xlsx", "mimeType": XLSX, "buffer": salon_workbook()}
    )
    page.get_by_role("button", name="確認する").click()

    expect(page.get_by_role("heading", name="取込の確認")).to_be_visible()
    expect(page.locator('[data-count="new"]')).to_have_text("3")
    expect(page.locator("#import-rows")).to_contain_text("梅田ふれあいサロン")
    expect(page.locator("#column-mapping")).to_contain_text("団体名")
    assert_accessible(page)
    assert Resource.objects.count() == 0

    page.get_by_role("button", name="取り込む（新規 3件・更新 0件）").click()

    expect(page.locator("#import-done")).to_contain_text("新規 3件・更新 0件を登録しました")
    assert Resource.objects.count() == 3
    page.get_by_role("link", name="更新が新しい順に地域資源を見る").click()
    expect(page.locator(".result__name").first).to_be_visible()


def test_a_file_with_a_problem_shows_where_and_offers_no_import(page: Page, live_server, ward):
    rows = salon_rows()
    rows[2][6] = "2023年2月第5水曜"
    log_in_as_city_staff(page, live_server)
    page.goto(live_server.url + "/staff/import/")

    page.get_by_label("ファイル（Excel .xlsx または CSV）").set_input_files(
        {"name": "list.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows, encoding="cp932")}
    )
    page.get_by_role("button", name="確認する").click()

    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("2023年2月に第5水曜日はありません")
    expect(errors.locator("tbody tr").first.locator("td").first).to_have_text("3")
    expect(page.get_by_role("button", name="取り込む", exact=False)).to_have_count(0)
    page.get_by_role("button", name="やめて別のファイルを選ぶ").click()
    expect(page.get_by_role("heading", name="表計算ファイルの取込")).to_be_visible()
    assert Resource.objects.count() == 0


def test_city_staff_export_the_current_search_to_excel(page: Page, live_server, ward):
    make_resource(name="梅田ふれあいサロン", resource_type="salon", lat=34.70, lng=135.495)
    log_in_as_city_staff(page, live_server)
    page.goto(live_server.url + "/staff/export/?q=%E3%82%B5%E3%83%AD%E3%83%B3")
    expect(page.locator("main")).to_contain_text("の 1件を書き出します")
    assert_accessible(page)

    page.get_by_label("Excel（.xlsx）").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="書き出す").click()

    assert download.value.suggested_filename.endswith(".xlsx")
