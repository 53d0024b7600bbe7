"""resources/occurrences.py against calendars counted by hand.

April 2026 has five Wednesdays (1, 8, 15, 22, 29) and 29 is 昭和の日; September
2026's fourth Wednesday (23) is 秋分の日; 15 November 2026 is a Sunday and 23
November (a Monday) is 勤労感謝の日.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from resources.models import Resource, ScheduleException, ScheduleRule
from resources.occurrences import (
    Schedule,
    day_label,
    notices,
    occurrences,
    schedule_of,
    schedules_for,
    skipped_days,
)
from resources.services import schedule_exception_save
from tests.conftest import add_schedule, make_resource

D = dt.date


@pytest.fixture(autouse=True)
def _japanese():
    """Dates read in Japanese, whatever language an earlier test left active."""
    with translation.override("ja"):
        yield


def days(schedule: Schedule, start: dt.date, end: dt.date) -> list[int]:
    return [o.day.day for o in occurrences(schedule, start, end)]


def schedule(*rules, closed_on_holidays=True, exceptions=()) -> Schedule:
    return Schedule(1, list(rules), list(exceptions), closed_on_holidays)


APRIL = (D(2026, 4, 1), D(2026, 4, 30))


def test_second_and_fourth_wednesday_in_a_month_of_five():
    rule = ScheduleRule(kind="monthly_nth", weekdays="WE", weeks_of_month="2,4")
    assert days(schedule(rule), *APRIL) == [8, 22]


def test_last_wednesday_is_the_fifth_and_a_holiday_closes_it():
    rule = ScheduleRule(kind="monthly_nth", weekdays="WE", weeks_of_month="-1")
    assert days(schedule(rule), *APRIL) == []  # 29日 昭和の日
    assert days(schedule(rule, closed_on_holidays=False), *APRIL) == [29]


def test_fifth_wednesday_only_in_months_that_have_one():
    rule = ScheduleRule(kind="monthly_nth", weekdays="WE", weeks_of_month="5")
    assert days(schedule(rule, closed_on_holidays=False), D(2026, 3, 1), D(2026, 4, 30)) == [29]


def test_every_wednesday_skips_the_holiday():
    rule = ScheduleRule(kind="weekly", weekdays="WE", opens_at=dt.time(10))
    assert days(schedule(rule), *APRIL) == [1, 8, 15, 22]
    assert days(schedule(rule, closed_on_holidays=False), *APRIL) == [1, 8, 15, 22, 29]


def test_second_and_fourth_wednesday_when_the_fourth_is_shubun_no_hi():
    rule = ScheduleRule(kind="monthly_nth", weekdays="WE", weeks_of_month="2,4")
    september = (D(2026, 9, 1), D(2026, 9, 30))
    assert days(schedule(rule), *september) == [9]
    assert days(schedule(rule, closed_on_holidays=False), *september) == [9, 23]


def test_fifteenth_of_every_month_on_a_sunday():
    rule = ScheduleRule(kind="monthly_date", day_of_month=15)
    assert [o.day for o in occurrences(schedule(rule), D(2026, 10, 1), D(2026, 12, 31))] == [
        D(2026, 10, 15),
        D(2026, 11, 15),  # a Sunday: not a holiday, so it is on
        D(2026, 12, 15),
    ]


def test_thirty_first_skips_short_months():
    rule = ScheduleRule(kind="monthly_date", day_of_month=31)
    got = [o.day for o in occurrences(schedule(rule), D(2026, 1, 1), D(2026, 6, 30))]
    assert got == [D(2026, 1, 31), D(2026, 3, 31), D(2026, 5, 31)]


def test_every_monday_and_thursday_in_november_without_kinro_kansha_no_hi():
    rule = ScheduleRule(kind="weekly", weekdays="MO,TH")
    got = days(schedule(rule), D(2026, 11, 1), D(2026, 11, 30))
    assert got == [2, 5, 9, 12, 16, 19, 26, 30]  # 3日 is a Tuesday; 23日 is off


def test_irregular_gives_no_dates():
    rule = ScheduleRule(kind="irregular", note="月1回程度")
    assert days(schedule(rule), *APRIL) == []


def test_two_rules_come_in_date_and_time_order():
    morning = ScheduleRule(kind="weekly", weekdays="FR", opens_at=dt.time(10))
    early = ScheduleRule(kind="monthly_date", day_of_month=3, opens_at=dt.time(9))
    got = occurrences(schedule(morning, early), D(2026, 4, 1), D(2026, 4, 10))
    assert [(o.day.day, o.opens_at.hour) for o in got] == [(3, 9), (3, 10), (10, 10)]
    assert got[0].label() == "4月3日（金） 09:00〜"


def test_days_off_over_the_new_year_and_a_notice_that_expires():
    tuesday = ScheduleRule(kind="weekly", weekdays="TU", opens_at=dt.time(10))
    off = ScheduleException(kind="closed", starts_on=D(2026, 12, 29), ends_on=D(2027, 1, 3))
    moved = ScheduleException(
        kind="notice",
        starts_on=D(2027, 1, 1),
        ends_on=D(2027, 1, 31),
        text="1月は会場を北集会所に変更",
    )
    s = schedule(tuesday, exceptions=[off, moved])
    got = [o.day for o in occurrences(s, D(2026, 12, 20), D(2027, 1, 10))]
    assert got == [D(2026, 12, 22), D(2027, 1, 5)]
    assert skipped_days(s, D(2026, 12, 20), D(2027, 1, 10)) == [
        (D(2026, 12, 29), "12月29日〜1月3日はお休み")
    ]
    assert notices(s, D(2026, 12, 1), D(2026, 12, 7)) == []
    assert notices(s, D(2027, 1, 4), D(2027, 1, 10)) == [off, moved][1:]
    assert notices(s, D(2027, 2, 1), D(2027, 2, 28)) == []  # expired
    assert moved.describe() == "1月は会場を北集会所に変更（1月1日〜1月31日）"


def test_day_label_reads_month_day_and_weekday():
    assert day_label(D(2026, 12, 3)) == "12月3日（木）"


@pytest.mark.django_db
def test_gatherings_close_on_holidays_unless_told_otherwise(kita1):
    salon = make_resource(name="さくらサロン")
    office = make_resource(name="ひまわり事業所", resource_type=Resource.Type.CARE_OFFICE)
    open_salon = make_resource(name="祝日もサロン", holiday_rule="open")
    for r in (salon, office, open_salon):
        add_schedule(resource=r, kind="weekly", weekdays="WE")
    by_id = schedules_for([salon, office, open_salon])
    assert days(by_id[salon.pk], *APRIL) == [1, 8, 15, 22]
    assert days(by_id[office.pk], *APRIL) == [1, 8, 15, 22, 29]
    assert days(by_id[open_salon.pk], *APRIL) == [1, 8, 15, 22, 29]


@pytest.mark.django_db
def test_paused_resource_has_no_dates(kita1):
    paused = make_resource(name="休止中サロン", status=Resource.Status.PAUSED)
    add_schedule(resource=paused, kind="weekly", weekdays="WE")
    assert days(schedule_of(paused), *APRIL) == []


@pytest.mark.django_db
def test_an_exception_that_ends_before_it_starts_is_refused_in_japanese(kita1):
    salon = make_resource(name="さくらサロン")
    backwards = ScheduleException(
        resource=salon, kind="closed", starts_on=D(2027, 1, 3), ends_on=D(2026, 12, 29)
    )
    with pytest.raises(ValidationError) as refused:
        schedule_exception_save(exception=backwards)
    assert "終了日は開始日と同じか、それより後の日にしてください。" in str(refused.value)
    assert not ScheduleException.objects.exists()


@pytest.mark.django_db
def test_a_notice_needs_its_words(kita1):
    salon = make_resource(name="さくらサロン")
    empty = ScheduleException(
        resource=salon, kind="notice", starts_on=D(2027, 1, 1), ends_on=D(2027, 1, 31)
    )
    with pytest.raises(ValidationError) as refused:
        schedule_exception_save(exception=empty)
    assert "お知らせの内容を入力してください。" in str(refused.value)


def test_many_schedules_at_once_give_the_same_dates_as_one_by_one():
    from resources.occurrences import occurrences_many

    rules = [
        ScheduleRule(kind="monthly_nth", weekdays="WE", weeks_of_month="2,4,-1"),
        ScheduleRule(kind="weekly", weekdays="MO,TH", opens_at=dt.time(9)),
        ScheduleRule(kind="monthly_date", day_of_month=15),
    ]
    off = ScheduleException(kind="closed", starts_on=D(2026, 4, 20), ends_on=D(2026, 4, 24))
    schedules = [
        Schedule(1, rules[:2]),
        Schedule(2, rules, [off]),
        Schedule(3, rules[1:], closed_on_holidays=False),
        Schedule(4, rules, active=False),
    ]
    start, end = D(2026, 4, 1), D(2026, 5, 31)
    many = sorted(((s.resource_id, o.sort_key) for s, o in occurrences_many(schedules, start, end)))
    one_by_one = sorted(
        (s.resource_id, o.sort_key) for s in schedules for o in occurrences(s, start, end)
    )
    assert many == one_by_one and len(many) > 30


def test_a_time_change_moves_the_days_it_covers_once_in_both_ways_of_counting():
    from resources.occurrences import occurrences_many

    morning = ScheduleRule(kind="weekly", weekdays="TU", opens_at=dt.time(10))
    afternoon = ScheduleRule(kind="weekly", weekdays="TU", opens_at=dt.time(14))
    moved = ScheduleException(
        kind="moved",
        starts_on=D(2026, 4, 14),
        ends_on=D(2026, 4, 14),
        opens_at=dt.time(13),
        closes_at=dt.time(15),
        text="会場の都合",
    )
    s = schedule(morning, afternoon, exceptions=[moved])
    got = occurrences(s, D(2026, 4, 7), D(2026, 4, 21))
    assert [(o.day.day, o.opens_at.hour) for o in got] == [
        (7, 10),
        (7, 14),
        (14, 13),
        (21, 10),
        (21, 14),
    ]
    assert got[2].label() == "4月14日（火） 13:00〜15:00" and got[2].note == "会場の都合"
    many = sorted(o.sort_key for _s, o in occurrences_many([s], D(2026, 4, 7), D(2026, 4, 21)))
    assert many == [o.sort_key for o in got]
    assert skipped_days(s, D(2026, 4, 7), D(2026, 4, 21)) == []  # moved, not skipped
    assert moved.describe() == "4月14日は13:00〜15:00に変更（会場の都合）"


def test_a_time_change_on_a_holiday_says_the_group_meets_that_day():
    """昭和の日 (2026-04-29, a Wednesday) closes a gathering; a 時間変更 entered
    for it brings the meeting back at the new time, in both ways of counting."""
    from resources.occurrences import occurrences_many

    rule = ScheduleRule(kind="weekly", weekdays="WE", opens_at=dt.time(10))
    plain = schedule(rule)
    assert 29 not in days(plain, *APRIL)
    moved = ScheduleException(
        kind="moved", starts_on=D(2026, 4, 29), ends_on=D(2026, 4, 29), opens_at=dt.time(13)
    )
    s = schedule(rule, exceptions=[moved])

    got = occurrences(s, *APRIL)
    assert [(o.day.day, o.opens_at.hour) for o in got] == [
        (1, 10),
        (8, 10),
        (15, 10),
        (22, 10),
        (29, 13),
    ]
    many = sorted(o.sort_key for _s, o in occurrences_many([s], *APRIL))
    assert many == [o.sort_key for o in got]
    assert skipped_days(s, *APRIL) == []
