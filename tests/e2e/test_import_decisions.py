"""Upload → value mapping → sample rows → confirm, on a phone and on a desktop (issue 13)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from resources.models import Resource
from tests.e2e.axe import assert_accessible
from tests.e2e.test_import import log_in_as_city_staff, ward  # noqa: F401 (a fixture)
from tests.resources.import_files import csv_bytes

ROWS = [
    ["名称", "種別", "対象者", "住所"],
    ["梅田ふれあい会", "通所介護（デイサービス）", "概ね65歳以上の方", "大阪市北区梅田1丁目"],
    ["中崎の会", "サロン", "地域の高齢者", "大阪市北区中崎西2丁目"],
    ["天満の会", "サロン", "地域の高齢者", "大阪市北区天満2丁目"],
]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    "viewport",
    [{"width": 390, "height": 844}, {"width": 1280, "height": 900}],
    ids=["phone", "desktop"],
)
@pytest.mark.usefixtures("ward")
def test_upload_map_a_value_see_samples_and_confirm(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    log_in_as_city_staff(page, live_server)
    page.goto(live_server.url + "/staff/import/")
    page.get_by_label("ファイル（Excel .xlsx または CSV）").set_input_files(
        {"name": "サロン一覧.csv", "mimeType": "text/csv", "buffer": csv_bytes(ROWS)}
    )
    page.get_by_role("button", name="確認する").click()

    values = page.locator("#decide-values")
    expect(values).to_contain_text("対象者: 地域の高齢者 — 2行")
    expect(page.get_by_role("button", name="取り込む", exact=False)).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("対象者「地域の高齢者」の割り当て").select_option("65歳以上")
    page.locator("form", has=values).get_by_role("button", name="この割り当てで確認し直す").click()

    samples = page.locator("#import-samples")
    expect(samples).to_contain_text("梅田ふれあい会")
    expect(samples).to_contain_text("介護保険事業所")
    expect(samples).to_contain_text("関係者限定")
    expect(samples).to_contain_text("北区 第1圏域")
    expect(page.locator("#decide-values")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="取り込む（新規 3件・更新 0件）").click()

    expect(page.locator("#import-done")).to_contain_text("新規 3件・更新 0件を登録しました")
    assert set(Resource.objects.values_list("visibility", flat=True)) == {"staff"}
    assert Resource.objects.get(name="中崎の会").targets.get().name == "65歳以上"
    context.close()
