"""地域分析 in a browser: the table, sorting, an area's profile and the choropleth,
axe-clean, on the hand-built city of tests/analysis."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from portal.municipality import municipality_save
from tests.analysis.conftest import FY, small_city  # noqa: F401 (a fixture)
from tests.e2e.axe import assert_accessible
from tests.e2e.test_activity import log_in

TILES = (".leaflet-tile-pane",)


def test_the_analysis_page_sorts_and_opens_a_profile(
    page: Page,
    live_server,
    city_staff,
    small_city,  # noqa: F811
):
    log_in(page, live_server, "city")
    page.goto(f"{live_server.url}/staff/analysis/?fy={FY}&tier=2")
    expect(page.get_by_role("heading", level=1)).to_contain_text("地域分析")
    table = page.get_by_role("table", name="区域ごとの指標")
    expect(table.get_by_role("row", name=re.compile("北区 第2圏域"))).to_contain_text("84.6")
    assert_accessible(page)

    table.get_by_role("link", name=re.compile("徒歩圏カバー率 500m")).click()
    expect(page).to_have_url(re.compile("sort=coverage_near"))
    first = page.get_by_role("table", name="区域ごとの指標").locator("tbody tr").first
    expect(first).to_contain_text("北区 第2圏域")  # a measure sorts highest first: 84.6
    page.get_by_role("table", name="区域ごとの指標").get_by_role(
        "link", name=re.compile("徒歩圏カバー率 500m")
    ).click()
    expect(first).to_contain_text("北区 第1圏域")  # again: lowest first, 20.0

    page.get_by_role("link", name="北区 第2圏域").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("北区 第2圏域の地域分析")
    expect(page.locator(".analysis-svg svg")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="種別の CSV").click()
    assert download.value.suggested_filename.endswith("種別.csv")
    assert_accessible(page)


def test_the_choropleth_shades_each_area_and_marks_uncovered_towns(
    page: Page,
    live_server,
    city_staff,
    small_city,  # noqa: F811
):
    log_in(page, live_server, "city")
    page.goto(f"{live_server.url}/staff/analysis/map/?fy={FY}&tier=2&measure=coverage_near")
    # Three areas and seven 町丁 beyond 500 m, drawn by Leaflet.
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(3 + 7)
    fills = page.eval_on_selector_all(
        ".leaflet-overlay-pane path", "nodes => nodes.map(n => n.getAttribute('fill'))"
    )
    assert len(set(fills[:3])) == 3  # 20.0, 24.0 and 84.6 fall in different classes
    expect(page.get_by_role("table", name="区域ごとの値（地図と同じ）")).to_contain_text("84.6")
    assert_accessible(page, exclude=TILES)


def test_the_public_summary_when_the_city_turns_it_on(
    page: Page,
    live_server,
    small_city,  # noqa: F811
):
    municipality_save(public_analysis=True)
    page.goto(f"{live_server.url}/analysis/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("地域分析の概要")
    table = page.get_by_role("table", name="区域ごとの指標（公開中の地域資源）")
    expect(table.get_by_role("row", name=re.compile("北区 第1圏域"))).to_contain_text("40.0")
    assert_accessible(page)
