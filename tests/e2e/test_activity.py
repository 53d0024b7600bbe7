"""A tier-2 coordinator logs a visit on a phone, in under a minute."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coordinators.models import Activity, Affiliation
from coordinators.services import coordinator_save
from tests.conftest import PASSWORD, make_resource
from tests.e2e.axe import assert_accessible

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def coordinator(areas, kita1_coordinator):
    affiliation = Affiliation.objects.create(name="北区地域包括支援センター")
    coordinator_save(
        user=kita1_coordinator,
        tier=2,
        areas=[areas["kita1"]],
        affiliation=affiliation,
        active_from=date(2020, 4, 1),
    )
    make_resource(name="ひまわりふれあいサロン", area=areas["kita1"], area_locked=True)
    make_resource(name="港区のサロン", area=areas["minato1"], area_locked=True)
    return kita1_coordinator


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page.locator(".signed-in")).to_be_visible()


def test_a_coordinator_logs_a_visit_on_a_phone(browser, live_server, coordinator):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    log_in(page, live_server, "kita1_coord")

    page.goto(live_server.url + "/staff/")
    page.get_by_role("link", name=re.compile("活動記録")).click()
    page.get_by_role("link", name=re.compile("活動を記録する")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("活動を記録")
    # Today and my area are already there.
    expect(page.get_by_label("日付")).to_have_value(timezone.localdate().isoformat())
    expect(page.get_by_label("区域")).to_have_value(str(coordinator.areas.get().pk))
    expect(page.get_by_label("延件数")).to_have_value("1")
    # Nothing wider than the phone; big targets.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    visit = page.locator("label.choice", has_text="訪問")
    assert visit.bounding_box()["height"] >= 44

    visit.click()
    page.locator("label.choice", has_text="実態把握").click()
    page.get_by_label("関連する地域資源").select_option(label="ひまわりふれあいサロン")
    page.get_by_label("発言元", exact=True).select_option(label="サロン参加者")
    page.get_by_label("聴き取った内容").fill("買い物できる店を知りたい")
    page.get_by_label("対応", exact=True).fill("地域情報マップを案内")
    page.get_by_label("主な事例として報告する").check()
    submit = page.get_by_role("button", name="記録する", exact=True)
    assert submit.bounding_box()["height"] >= 44
    submit.click()

    expect(page.locator(".messages")).to_contain_text("「訪問」を記録しました。")
    card = page.locator(".activity-card").first
    expect(card).to_contain_text("訪問")
    expect(card).to_contain_text("買い物できる店を知りたい")
    expect(card).to_contain_text("主な事例")
    activity = Activity.objects.get()
    assert activity.function_codes == ["assessment"]
    assert [r.name for r in activity.resources.all()] == ["ひまわりふれあいサロン"]
    assert activity.is_case_example
    # base.html's message list has role="status" on its <ul> (axe: listitem);
    # that template belongs to the foundation, reported to its owner.
    assert_accessible(page, exclude=(".messages",))
    context.close()


def test_a_count_of_zero_is_refused_in_japanese_keeping_the_text(browser, live_server, coordinator):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    log_in(page, live_server, "kita1_coord")
    page.goto(live_server.url + "/staff/activities/new/")

    page.locator("label.choice", has_text="相談").click()
    page.locator("label.choice", has_text="個別支援").click()
    page.get_by_label("延件数").fill("0")
    page.get_by_label("聴き取った内容").fill("ゴミ出しが難しい")
    page.get_by_role("button", name="記録する", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("延件数は1〜999の数で入力してください。")
    expect(page.get_by_label("聴き取った内容")).to_have_value("ゴミ出しが難しい")
    expect(page.locator("label.choice", has_text="相談").locator("input")).to_be_checked()
    assert not Activity.objects.exists()
    assert_accessible(page)
    context.close()


def test_the_form_works_without_javascript(browser, live_server, coordinator):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    log_in(page, live_server, "kita1_coord")
    page.goto(live_server.url + "/staff/activities/new/")

    page.locator("label.choice", has_text="訪問").click()
    page.locator("label.choice", has_text="実態把握").click()
    page.get_by_role("button", name="記録する", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("記録しました")
    assert Activity.objects.count() == 1
    context.close()


def test_council_and_report_pages_are_accessible(
    browser, live_server, coordinator, areas, city_staff
):
    from councils.models import Council, CouncilMember, Meeting

    council = Council.objects.create(tier=2, area=areas["kita1"], name="北区第1圏域 支え合い会議")
    CouncilMember.objects.create(council=council, name="山田 花子", sector="commissioner")
    Meeting.objects.create(council=council, date=date(2025, 6, 10), minutes="議事録")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    log_in(page, live_server, "kita1_coord")
    for url in (
        f"/staff/councils/{council.pk}/",
        f"/staff/councils/{council.pk}/meetings/new/",
        "/staff/activities/",
        "/staff/resource-checks/",
        "/staff/resource-launches/",
        "/staff/reports/monthly/?fy=2025",
        "/staff/reports/creation/?fy=2025",
    ):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        assert_accessible(page, exclude=(".messages",))
    context.close()
