"""The coordinators' workbench on a 390 px phone: a schedule edited and an
activity logged from the resource page in under 15 actions each; the new pages
(editor, queues, public suggestion forms, a group's own listing) axe clean."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from coordinators.models import Activity, Affiliation
from coordinators.services import coordinator_save
from resources.changes import group_link_create
from tests.conftest import PASSWORD, add_schedule, make_resource
from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.e2e

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


class Counted:
    """The page, counting what the user does (navigations, taps, typing)."""

    def __init__(self, page: Page):
        self.page, self.actions = page, 0

    def do(self, locator_action):
        self.actions += 1
        return locator_action


@pytest.fixture
def salon(areas, kita1_coordinator):
    coordinator_save(
        user=kita1_coordinator,
        tier=2,
        areas=[areas["kita1"]],
        affiliation=Affiliation.objects.create(name="北区地域包括支援センター"),
        active_from=date(2020, 4, 1),
    )
    resource = make_resource(
        name="ひまわりふれあいサロン",
        area=areas["kita1"],
        area_locked=True,
        contact_phone="06-1234-5678",
    )
    add_schedule(resource=resource, kind="weekly", weekdays="TU")
    return resource


def log_in(counted: Counted, live_server) -> None:
    page = counted.page
    counted.do(page.goto(live_server.url + "/accounts/login/"))
    counted.do(page.get_by_label("ユーザー名").fill("kita1_coord"))
    counted.do(page.get_by_label("パスワード").fill(PASSWORD))
    counted.do(page.get_by_role("button", name="ログイン").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("スタッフのページ")


def test_a_coordinator_changes_the_day_and_time_on_a_phone(browser, live_server, salon):
    context = browser.new_context(**PHONE)
    counted = Counted(context.new_page())
    page = counted.page
    log_in(counted, live_server)

    counted.do(page.goto(live_server.url + f"/resources/{salon.pk}/"))
    counted.do(page.get_by_role("link", name="編集", exact=True).click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("ひまわりふれあいサロンの編集")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first_rule = page.locator(".rule-row").first
    thursday = first_rule.locator("label.choice", has_text=re.compile("^木$"))
    assert thursday.bounding_box()["height"] >= 44
    counted.do(first_rule.locator("label.choice", has_text=re.compile("^火$")).click())
    counted.do(thursday.click())
    counted.do(first_rule.get_by_label("開始時刻").fill("13時30分"))
    counted.do(first_rule.get_by_label("終了時刻").fill("1500"))
    assert_accessible(page, exclude=(".messages",))
    counted.do(page.get_by_role("button", name="保存する").click())

    expect(page.locator(".messages")).to_contain_text("確認日は今日になりました")
    expect(page.locator(".facts").first).to_contain_text("毎週木曜 13:30〜15:00")
    salon.refresh_from_db()
    assert salon.schedule_text() == "毎週木曜 13:30〜15:00"
    assert counted.actions < 15, counted.actions
    context.close()


def test_a_coordinator_adds_a_day_off_on_a_phone(browser, live_server, salon):
    """From the resource page to a saved day off in a few actions; the page then
    says so and no longer lists the day."""
    day = next_tuesday_without_holiday()
    context = browser.new_context(**PHONE)
    counted = Counted(context.new_page())
    page = counted.page
    log_in(counted, live_server)

    counted.do(page.goto(live_server.url + f"/resources/{salon.pk}/"))
    expect(page.locator(".next-dates")).to_contain_text(f"{day.month}月{day.day}日（火）")
    counted.do(page.get_by_role("link", name="休みの日・お知らせ").click())
    row = page.locator("#days-off .rule-row").first
    expect(row).to_be_in_viewport()  # the link opens the editor at its days off
    assert row.locator("label.choice", has_text="休み").bounding_box()["height"] >= 44
    counted.do(row.get_by_label("日付").fill(f"{day.month}/{day.day}"))
    counted.do(row.get_by_label("理由（短く）").fill("会場の点検"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, exclude=(".messages",))
    counted.do(page.get_by_role("button", name="保存する").click())

    # Only a day off: the resource is not marked as checked by it.
    expect(page.locator(".messages")).to_contain_text("休みの日・お知らせを保存しました")
    expect(page.locator(".messages")).not_to_contain_text("確認日は今日")
    said = f"{day.month}月{day.day}日はお休み（会場の点検）"
    expect(page.locator(".schedule-notice")).to_contain_text(said)
    expect(page.locator(".next-dates")).not_to_contain_text(f"{day.month}月{day.day}日（火）")
    assert counted.actions < 12, counted.actions

    # A date that is no date: the row keeps what was typed, the error says why.
    page.goto(live_server.url + f"/staff/resources/{salon.pk}/edit/")
    row = page.locator("#days-off .rule-row").nth(1)
    row.get_by_label("日付").fill("12/32")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".error-summary")).to_contain_text("「12/32」を日付として読み取れません")
    expect(page.locator("#days-off .rule-row").nth(1).get_by_label("日付")).to_have_value("12/32")
    assert_accessible(page)
    context.close()


def next_tuesday_without_holiday() -> date:
    import jpholiday
    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != 1 or jpholiday.is_holiday(day):
        day += timedelta(days=1)
    return day


def test_a_coordinator_logs_an_activity_from_the_resource_page(browser, live_server, salon):
    context = browser.new_context(**PHONE)
    counted = Counted(context.new_page())
    page = counted.page
    log_in(counted, live_server)

    counted.do(page.goto(live_server.url + f"/resources/{salon.pk}/"))
    counted.do(page.get_by_role("link", name="この資源の活動を記録").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("活動を記録")
    counted.do(page.locator("label.choice", has_text="訪問").click())
    counted.do(page.locator("label.choice", has_text="運営支援").click())
    counted.do(page.get_by_role("button", name="記録する", exact=True).click())

    expect(page.locator(".messages")).to_contain_text("「訪問」を記録しました。")
    activity = Activity.objects.get()
    assert [r.name for r in activity.resources.all()] == ["ひまわりふれあいサロン"]
    assert counted.actions < 15, counted.actions
    context.close()


def test_the_new_staff_pages_are_accessible(browser, live_server, salon, kita1_coordinator):
    from resources.recheck import recheck_folder

    folder = recheck_folder(date(2026, 11, 30))
    folder.mkdir(parents=True)
    (folder / f"確認票_{salon.area.code}.pdf").write_bytes(b"%PDF-1.4")
    (folder / "index.json").write_text(f'{{"{salon.area.code}": 2}}')
    context = browser.new_context(**PHONE)
    page = context.new_page()
    counted = Counted(page)
    log_in(counted, live_server)
    page.goto(live_server.url + f"/resources/{salon.pk}/suggest/")
    page.get_by_label("どこがまちがっていますか").fill("曜日が木曜に変わりました")
    page.get_by_role("button", name="送る").click()

    for path in ("/staff/", "/staff/changes/", "/staff/resource-checks/", "/staff/resources/new/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert_accessible(page, exclude=(".messages",))
    page.goto(live_server.url + "/staff/changes/")
    expect(page.locator(".change-item")).to_contain_text("曜日が木曜に変わりました")
    page.goto(live_server.url + "/staff/resource-checks/")
    expect(page.locator(".sheet-list")).to_contain_text("2026年11月30日")
    expect(page.locator(".sheet-list")).to_contain_text("（2団体）")
    page.goto(live_server.url + "/staff/")
    expect(page.locator(".entry__title", has_text="管理画面")).to_have_count(0)
    context.close()


def test_the_public_forms_and_the_group_page_are_accessible(browser, live_server, salon):
    link = group_link_create(resource=salon)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    for path in (
        f"/resources/{salon.pk}/suggest/",
        "/resources/suggest/",
        f"/update/{link.token}/",
        "/update/no-such-link/",
    ):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert_accessible(page)

    # A bad suggestion: the summary at the top, the message next to the field.
    page.goto(live_server.url + f"/resources/{salon.pk}/suggest/")
    page.get_by_label("どこがまちがっていますか").fill("<b>太字</b>")
    page.get_by_role("button", name="送る").click()
    expect(page.locator(".error-summary")).to_contain_text("HTML やスクリプトは書けません")
    expect(page.get_by_label("どこがまちがっていますか")).to_have_value("<b>太字</b>")
    assert_accessible(page)

    # The group confirms its listing from the phone.
    page.goto(live_server.url + f"/update/{link.token}/")
    page.get_by_role("button", name="変わりありません").click()
    expect(page.locator(".messages")).to_contain_text("受け付けました")
    salon.refresh_from_db()
    assert salon.verified_on is not None
    context.close()
