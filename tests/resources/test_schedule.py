"""resources.models.ScheduleRule: plain Japanese and HSDS schedule fields."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from portal import weekdays
from resources.models import ScheduleRule
from resources.services import schedule_rule_delete, schedule_rule_save
from tests.conftest import add_schedule


def rule(**fields) -> ScheduleRule:
    return ScheduleRule(**fields)


def every_tuesday_morning() -> ScheduleRule:
    return rule(kind="weekly", weekdays="TU", opens_at=dt.time(10), closes_at=dt.time(11, 30))


def first_and_third_wednesday() -> ScheduleRule:
    return rule(
        kind="monthly_nth",
        weekdays="WE",
        weeks_of_month="1,3",
        opens_at=dt.time(13, 30),
        closes_at=dt.time(15),
    )


def refusal(schedule: ScheduleRule) -> dict[str, str]:
    with pytest.raises(ValidationError) as refused:
        schedule.clean()
    return {field: " ".join(messages) for field, messages in refused.value.message_dict.items()}


def test_every_tuesday_reads_mai_shuu_ka_you():
    assert every_tuesday_morning().describe() == "毎週火曜 10:00〜11:30"


def test_first_and_third_wednesday_reads_dai_1_3_sui_you():
    assert first_and_third_wednesday().describe() == "第1・3水曜 13:30〜15:00"


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"kind": "weekly", "weekdays": "MO,TH"}, "毎週月・木曜"),
        ({"kind": "monthly_nth", "weekdays": "FR", "weeks_of_month": "-1"}, "最終金曜"),
        ({"kind": "monthly_nth", "weekdays": "SA", "weeks_of_month": "2,-1"}, "第2・最終土曜"),
        ({"kind": "monthly_date", "day_of_month": 15, "opens_at": dt.time(9)}, "毎月15日 09:00〜"),
        ({"kind": "irregular", "note": "月1回程度"}, "不定期（月1回程度）"),
    ],
)
def test_other_schedules_read_as_people_write_them(fields, text):
    assert rule(**fields).describe() == text


def test_a_weekly_rule_exports_as_hsds():
    assert every_tuesday_morning().hsds() == {
        "description": "毎週火曜 10:00〜11:30",
        "freq": "WEEKLY",
        "byday": "TU",
        "opens_at": "10:00",
        "closes_at": "11:30",
    }


def test_a_nth_weekday_rule_exports_as_hsds_monthly_byday():
    data = first_and_third_wednesday().hsds()

    assert (data["freq"], data["byday"]) == ("MONTHLY", "1WE,3WE")
    assert (data["opens_at"], data["closes_at"]) == ("13:30", "15:00")


def test_a_day_of_month_rule_exports_as_hsds_bymonthday():
    data = rule(kind="monthly_date", day_of_month=15).hsds()

    assert (data["freq"], data["bymonthday"]) == ("MONTHLY", "15")


def test_an_irregular_rule_has_no_recurrence_in_hsds():
    data = rule(kind="irregular").hsds()

    assert "freq" not in data and "byday" not in data


@pytest.mark.parametrize("closes_at", [dt.time(10), dt.time(9, 30)])
def test_closing_at_or_before_opening_is_refused(closes_at):
    errors = refusal(rule(kind="weekly", weekdays="TU", opens_at=dt.time(10), closes_at=closes_at))

    assert "終了時刻は開始時刻より後に" in errors["closes_at"]


def test_a_weekly_rule_needs_a_weekday():
    assert "曜日を選んでください" in refusal(rule(kind="weekly"))["weekdays"]


def test_an_unknown_weekday_code_is_refused():
    assert "MO,TU,WE,TH,FR,SA,SU" in refusal(rule(kind="weekly", weekdays="火"))["weekdays"]


@pytest.mark.parametrize("weeks", ["", "6", "1,x", "0"])
def test_a_nth_weekday_rule_needs_weeks_1_to_5_or_last(weeks):
    errors = refusal(rule(kind="monthly_nth", weekdays="WE", weeks_of_month=weeks))

    assert "1〜5（最終週は -1）" in errors["weeks_of_month"]


def test_a_day_of_month_rule_needs_the_day():
    assert "毎月何日か" in refusal(rule(kind="monthly_date"))["day_of_month"]


def test_saving_puts_weekdays_in_calendar_order(public_salon):
    saved = add_schedule(resource=public_salon, kind="weekly", weekdays="FR,MO,WE")

    saved.refresh_from_db()
    assert saved.weekdays == "MO,WE,FR"
    assert saved.describe() == "毎週月・水・金曜"


def test_a_resource_lists_all_its_schedules(public_salon):
    for order, schedule in enumerate((every_tuesday_morning(), first_and_third_wednesday())):
        schedule.resource, schedule.sort_order = public_salon, order
        schedule_rule_save(rule=schedule)

    assert public_salon.schedule_text() == "毎週火曜 10:00〜11:30 / 第1・3水曜 13:30〜15:00"


def test_a_rule_added_or_removed_updates_the_weekdays_the_search_filters_read(public_salon):
    added = add_schedule(resource=public_salon, kind="weekly", weekdays="TU,FR")

    assert public_salon.schedule_days == weekday_bits("TU", "FR")
    public_salon.refresh_from_db()
    assert public_salon.schedule_days == weekday_bits("TU", "FR")

    schedule_rule_delete(rule=added)

    public_salon.refresh_from_db()
    assert (public_salon.schedule_days, public_salon.schedule_text()) == (0, "")


def test_an_invalid_rule_is_refused_in_japanese_and_nothing_is_written(public_salon):
    with pytest.raises(ValidationError) as refused:
        add_schedule(resource=public_salon, kind="weekly", opens_at="11:30", closes_at="10:00")

    messages = " ".join(refused.value.message_dict["schedules"])
    assert "曜日を選んでください" in messages and "終了時刻は開始時刻より後に" in messages
    assert not public_salon.schedules.exists()


def weekday_bits(*codes: str) -> int:
    return sum(weekdays.bit(code) for code in codes)
