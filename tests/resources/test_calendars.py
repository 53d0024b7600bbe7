"""Calendars (.ics): they parse with icalendar and hold the occurrences' dates."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from resources.models import ScheduleException
from resources.occurrences import occurrences, schedule_of
from resources.services import resource_update, schedule_exception_save
from tests.conftest import add_schedule, make_resource

TODAY = dt.date(2026, 4, 1)  # April 2026: 29日 (a Wednesday) is 昭和の日


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("resources.calendars.today", lambda: TODAY)


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def expanded(cal: Calendar, until: dt.date) -> list[dt.date]:
    """Every date the calendar's events give up to ``until``: RRULE less EXDATE."""
    found = []
    for event in cal.walk("VEVENT"):
        start = event.decoded("dtstart")
        if "RRULE" in event:
            rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
            days = list(rule)
            exdates = event.get("EXDATE") or []
            if not isinstance(exdates, list):
                exdates = [exdates]
            excluded = {d.dt for exdate in exdates for d in exdate.dts}
            days = [d for d in days if d not in excluded]
        else:
            days = [start]
        found += [d.date() if isinstance(d, dt.datetime) else d for d in days]
    return sorted(d for d in found if d <= until)


@pytest.fixture
def salon(public_salon):
    add_schedule(
        resource=public_salon,
        kind="monthly_nth",
        weekdays="WE",
        weeks_of_month="2,4,-1",
        opens_at=dt.time(10),
        closes_at=dt.time(11, 30),
    )
    add_schedule(resource=public_salon, kind="monthly_date", day_of_month=15)
    schedule_exception_save(
        exception=ScheduleException(
            resource=public_salon,
            kind="closed",
            starts_on=dt.date(2026, 12, 29),
            ends_on=dt.date(2027, 1, 3),
        )
    )
    add_schedule(resource=public_salon, kind="weekly", weekdays="TU", opens_at=dt.time(14))
    return public_salon


def test_a_resource_calendar_gives_the_occurrences_dates(client, salon):
    cal = parse(client.get(f"/resources/{salon.pk}/calendar.ics"))
    until = TODAY + dt.timedelta(days=365)
    expected = [o.day for o in occurrences(schedule_of(salon), TODAY, until)]
    assert expanded(cal, until) == expected
    days = expanded(cal, dt.date(2026, 4, 30))
    assert dt.date(2026, 4, 8) in days and dt.date(2026, 4, 22) in days
    assert dt.date(2026, 4, 29) not in days  # 昭和の日: the salon is closed
    assert dt.date(2026, 4, 15) in days
    assert dt.date(2026, 12, 29) not in expanded(cal, until)  # 年末年始のお休み


def test_the_calendar_is_in_tokyo_time_with_its_vtimezone(client, salon):
    cal = parse(client.get(f"/resources/{salon.pk}/calendar.ics"))
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Asia/Tokyo"]
    timed = [e for e in cal.walk("VEVENT") if isinstance(e.decoded("dtstart"), dt.datetime)]
    first = timed[0]
    assert first["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert first.decoded("dtstart").utcoffset() == dt.timedelta(hours=9)
    assert str(first["SUMMARY"]) == "梅田ふれあいサロン"
    assert f"/resources/{salon.pk}/" in str(first["URL"])


def test_a_resource_open_on_holidays_keeps_them(client, salon):
    resource_update(resource=salon, holiday_rule="open")
    cal = parse(client.get(f"/resources/{salon.pk}/calendar.ics"))
    assert dt.date(2026, 4, 29) in expanded(cal, dt.date(2026, 4, 30))


def test_a_resource_without_a_schedule_says_so(client, public_salon):
    cal = parse(client.get(f"/resources/{public_salon.pk}/calendar.ics"))
    assert cal.walk("VEVENT") == []
    assert "決まった開催日が登録されていません" in str(cal["X-WR-CALDESC"])


def test_a_paused_resource_says_it_is_paused(client, kita1):
    paused = make_resource(name="休止中の会", status="paused")
    add_schedule(resource=paused, kind="weekly", weekdays="MO")
    cal = parse(client.get(f"/resources/{paused.pk}/calendar.ics"))
    assert cal.walk("VEVENT") == []
    assert "休止中" in str(cal["X-WR-CALDESC"])


def test_a_staff_only_resource_calendar_is_404_for_anonymous(client, staff_only_cafe, care_manager):
    add_schedule(resource=staff_only_cafe, kind="weekly", weekdays="MO")
    assert client.get(f"/resources/{staff_only_cafe.pk}/calendar.ics").status_code == 404
    assert client.get("/resources/999999/calendar.ics").status_code == 404
    client.force_login(care_manager)
    cal = parse(client.get(f"/resources/{staff_only_cafe.pk}/calendar.ics"))
    assert str(cal.walk("VEVENT")[0]["SUMMARY"]) == "非公開の準備中カフェ"


def test_no_staff_only_field_in_a_calendar(client, salon):
    body = client.get(f"/resources/{salon.pk}/calendar.ics").content.decode()
    for secret in ("山田 花子", "090-1111-2222", "鍵は管理人室"):
        assert secret not in body


def test_the_search_feed_holds_each_date_of_the_matching_resources(
    client, salon, staff_only_cafe, minato_salon
):
    add_schedule(resource=staff_only_cafe, kind="weekly", weekdays="MO")
    add_schedule(resource=minato_salon, kind="weekly", weekdays="FR", opens_at=dt.time(9))
    cal = parse(client.get("/resources/calendar.ics?area=27127"))
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert summaries == {"梅田ふれあいサロン"}
    until = TODAY + dt.timedelta(days=89)
    assert expanded(cal, until) == [o.day for o in occurrences(schedule_of(salon), TODAY, until)]
    whole = parse(client.get("/resources/calendar.ics"))
    assert {str(e["SUMMARY"]) for e in whole.walk("VEVENT")} == {
        "梅田ふれあいサロン",
        "築港いきいき百歳体操",
    }


def test_an_empty_feed_says_so(client, db):
    cal = parse(client.get("/resources/calendar.ics?q=どこにもない"))
    assert cal.walk("VEVENT") == []
    assert "予定のある地域資源はありません" in str(cal["X-WR-CALDESC"])
    bad = parse(client.get("/resources/calendar.ics?area=nowhere"))
    assert "区域「nowhere」は見つかりません。" in str(bad["X-WR-CALDESC"])


def test_the_detail_page_offers_the_calendar_directions_and_the_next_dates(
    client, salon, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: TODAY)
    schedule_exception_save(
        exception=ScheduleException(
            resource=salon,
            kind="notice",
            starts_on=dt.date(2026, 4, 1),
            ends_on=dt.date(2026, 4, 30),
            text="4月は会場を北集会所に変更",
        )
    )
    body = client.get(f"/resources/{salon.pk}/").content.decode()
    assert f'href="/resources/{salon.pk}/calendar.ics"' in body
    assert "カレンダーに追加" in body
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=34.700000,135.490000" in body
    assert "4月は会場を北集会所に変更（4月1日〜4月30日）" in body
    assert "<li>4月7日（火） 14:00〜</li>" in body
    assert "<li>4月8日（水） 10:00〜11:30</li>" in body
