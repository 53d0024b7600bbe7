"""Days off, time changes and notices in the coordinators' editor
(/staff/resources/<id>/edit/): typed on a phone, kept when wrong, saved into the
history, and shown on the resource page and in its calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time
from icalendar import Calendar

from resources.editor_forms import DayField
from resources.models import ScheduleException
from resources.services import resource_update, schedule_exception_save
from tests.conftest import add_schedule
from tests.resources.test_editor import empty_rows, form_data

TOKYO = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture(autouse=True)
def _tuesday_first_of_december():
    # 2026-12-01 is a Tuesday; no national holiday until 2027-01-01.
    with freeze_time("2026-12-01 09:00:00", tz_offset=0):
        yield


@pytest.fixture
def salon(public_salon):
    add_schedule(
        resource=public_salon,
        kind="weekly",
        weekdays="TU",
        opens_at=dt.time(10),
        closes_at=dt.time(11, 30),
    )
    return public_salon


def edit(client, user, resource, rows: dict, **more):
    client.force_login(user)
    data = form_data(resource, **empty_rows("days_off"), **empty_rows("notices"))
    rules = list(resource.schedules.all())
    data["rules-TOTAL_FORMS"] = data["rules-INITIAL_FORMS"] = str(len(rules))
    for n, rule in enumerate(rules):
        data |= {
            f"rules-{n}-id": str(rule.pk),
            f"rules-{n}-kind": rule.kind,
            f"rules-{n}-days": rule.weekday_list,
            f"rules-{n}-opens_at": f"{rule.opens_at:%H:%M}" if rule.opens_at else "",
            f"rules-{n}-closes_at": f"{rule.closes_at:%H:%M}" if rule.closes_at else "",
        }
    data.update(rows)
    data.update(more)
    return client.post(f"/staff/resources/{resource.pk}/edit/", data)


def day_off_row(n: int, **fields) -> dict:
    return {f"days_off-{n}-{name}": value for name, value in fields.items()}


def new_dates(days_off: int = 0, notices: int = 0, **rows) -> dict:
    return {
        **empty_rows("days_off", days_off),
        **empty_rows("notices", notices),
        **rows,
    }


def test_a_coordinator_adds_a_day_off_a_time_change_and_a_notice(client, salon, kita1_coordinator):
    rows = new_dates(
        days_off=2,
        notices=1,
        **day_off_row(0, kind="closed", starts_on="12/8", text="会場の点検"),
        **day_off_row(1, kind="moved", starts_on="12月15日", opens_at="13時", closes_at="1430"),
        **{"notices-0-text": "1月は北集会所で開きます", "notices-0-ends_on": "1/31"},
    )
    response = edit(client, kita1_coordinator, salon, rows)
    assert response.status_code == 302, response.content.decode()[:3000]

    saved = {e.kind: e for e in ScheduleException.objects.filter(resource=salon)}
    assert saved["closed"].starts_on == saved["closed"].ends_on == dt.date(2026, 12, 8)
    assert saved["closed"].text == "会場の点検"
    assert saved["moved"].starts_on == dt.date(2026, 12, 15)
    assert (saved["moved"].opens_at, saved["moved"].closes_at) == (dt.time(13), dt.time(14, 30))
    assert saved["notice"].ends_on == dt.date(2027, 1, 31)  # 1/31 typed in December
    assert saved["notice"].starts_on == dt.date(2026, 12, 1)

    entry = salon.history.first()
    assert entry.history_user == kita1_coordinator
    assert "12月8日はお休み（会場の点検）" in entry.history_change_reason

    client.logout()
    page = client.get(salon.get_absolute_url()).content.decode()
    assert "12月1日（火） 10:00〜11:30" in page
    assert "12月8日（火）" not in page  # the day off is not a date
    assert "12月15日（火） 13:00〜14:30" in page  # the time change is
    assert "12月22日（火） 10:00〜11:30" in page
    assert "12月8日はお休み（会場の点検）" in page
    assert "12月15日は13:00〜14:30に変更" in page
    assert "1月は北集会所で開きます" in page


def test_the_calendar_leaves_out_the_day_off_and_moves_the_changed_day(
    client, salon, kita1_coordinator
):
    rows = new_dates(
        days_off=2,
        **day_off_row(0, kind="closed", starts_on="2026/12/8"),
        **day_off_row(1, kind="moved", starts_on="2026/12/15", opens_at="13:00", closes_at="14:30"),
    )
    assert edit(client, kita1_coordinator, salon, rows).status_code == 302
    cal = Calendar.from_ical(client.get(f"/resources/{salon.pk}/calendar.ics").content)
    events = list(cal.walk("VEVENT"))
    (repeating,) = [e for e in events if "RRULE" in e]
    excluded = {d.dt for exdate in _list(repeating.get("EXDATE")) for d in exdate.dts}
    assert dt.datetime(2026, 12, 8, 10, tzinfo=TOKYO) in excluded
    assert dt.datetime(2026, 12, 15, 10, tzinfo=TOKYO) in excluded
    (moved,) = [e for e in events if "RRULE" not in e]
    assert moved.decoded("dtstart") == dt.datetime(2026, 12, 15, 13, tzinfo=TOKYO)
    assert moved.decoded("dtend") == dt.datetime(2026, 12, 15, 14, 30, tzinfo=TOKYO)


def _list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def test_a_bad_date_keeps_the_row_as_typed_and_saves_nothing(client, salon, kita1_coordinator):
    rows = new_dates(
        days_off=1,
        notices=1,
        **day_off_row(0, kind="closed", starts_on="12/32", text="会場の点検"),
        **{"notices-0-text": "1月は北集会所で開きます", "notices-0-ends_on": "1/31"},
    )
    response = edit(client, kita1_coordinator, salon, rows)
    html = response.content.decode()
    assert response.status_code == 200
    assert "「12/32」を日付として読み取れません（例: 12/29、12月29日、2027/1/3）。" in html
    assert "休みの日・時間変更（1件目）" in html  # in the summary at the top
    assert 'value="12/32"' in html and 'value="会場の点検"' in html
    assert "1月は北集会所で開きます" in html  # the other row stays too
    assert not ScheduleException.objects.exists()


@pytest.mark.parametrize(
    ("row", "said"),
    [
        (
            {"kind": "closed", "starts_on": "12/10", "ends_on": "12/8"},
            "終了日は開始日と同じか、それより後の日にしてください。",
        ),
        ({"kind": "moved", "starts_on": "12/15"}, "変更後の開始時刻を入力してください。"),
        ({"kind": "closed", "text": "点検"}, "日付を入力してください。"),
        (
            {"kind": "moved", "starts_on": "12/15", "opens_at": "15:00", "closes_at": "14:00"},
            "終了時刻は開始時刻より後にしてください。",
        ),
    ],
)
def test_rows_that_cannot_be_are_refused_in_japanese(client, salon, kita1_coordinator, row, said):
    response = edit(
        client, kita1_coordinator, salon, new_dates(days_off=1, **day_off_row(0, **row))
    )
    assert response.status_code == 200
    assert said in response.content.decode()
    assert not ScheduleException.objects.exists()


def test_a_notice_needs_its_last_day(client, salon, kita1_coordinator):
    rows = new_dates(notices=1, **{"notices-0-text": "1月は北集会所"})
    html = edit(client, kita1_coordinator, salon, rows).content.decode()
    assert "いつまで表示するかを入力してください。" in html
    assert not ScheduleException.objects.exists()


def test_a_day_off_is_changed_and_another_removed(client, salon, kita1_coordinator):
    first = schedule_exception_save(
        exception=ScheduleException(
            resource=salon,
            kind="closed",
            starts_on=dt.date(2026, 12, 8),
            ends_on=dt.date(2026, 12, 8),
        )
    )
    second = schedule_exception_save(
        exception=ScheduleException(
            resource=salon,
            kind="closed",
            starts_on=dt.date(2026, 12, 29),
            ends_on=dt.date(2027, 1, 3),
        )
    )
    client.force_login(kita1_coordinator)
    page = client.get(f"/staff/resources/{salon.pk}/edit/").content.decode()
    assert 'value="2026/12/29"' in page and 'value="2027/1/3"' in page
    rows = {
        "days_off-TOTAL_FORMS": "3",
        "days_off-INITIAL_FORMS": "2",
        **day_off_row(0, id=str(first.pk), kind="closed", starts_on="2026/12/8", text="点検"),
        **day_off_row(
            1, id=str(second.pk), kind="closed", starts_on="2026/12/29", ends_on="2027/1/3"
        ),
        "days_off-1-DELETE": "on",
        **day_off_row(2, kind="closed"),
    }
    assert edit(client, kita1_coordinator, salon, rows).status_code == 302
    (kept,) = ScheduleException.objects.filter(resource=salon)
    assert kept.pk == first.pk and kept.text == "点検"
    assert "12月29日〜1月3日はお休みを削除" in salon.history.first().history_change_reason


def test_a_row_of_another_resource_is_not_touched(client, salon, minato_salon, kita1_coordinator):
    theirs = schedule_exception_save(
        exception=ScheduleException(
            resource=minato_salon,
            kind="closed",
            starts_on=dt.date(2026, 12, 8),
            ends_on=dt.date(2026, 12, 8),
        )
    )
    rows = {
        "days_off-TOTAL_FORMS": "1",
        "days_off-INITIAL_FORMS": "1",
        **day_off_row(0, id=str(theirs.pk), kind="closed", starts_on="2026/12/9"),
        "days_off-0-DELETE": "",
    }
    assert edit(client, kita1_coordinator, salon, rows).status_code == 302
    theirs.refresh_from_db()
    assert theirs.resource == minato_salon and theirs.starts_on == dt.date(2026, 12, 8)


def test_another_row_keeps_what_was_typed(client, salon, kita1_coordinator):
    rows = new_dates(days_off=1, **day_off_row(0, kind="closed", starts_on="12/8"))
    response = edit(client, kita1_coordinator, salon, rows, add_day_off="1")
    html = response.content.decode()
    assert 'name="days_off-TOTAL_FORMS" value="2"' in html
    assert 'value="12/8"' in html
    assert "field-error" not in html
    assert not ScheduleException.objects.exists()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12/29", dt.date(2026, 12, 29)),
        ("１２月２９日", dt.date(2026, 12, 29)),
        ("1/3", dt.date(2027, 1, 3)),
        ("11/20", dt.date(2026, 11, 20)),  # a few days ago: this year
        ("2027/1/3", dt.date(2027, 1, 3)),
        ("2027-01-03", dt.date(2027, 1, 3)),
        ("令和9年1月3日", dt.date(2027, 1, 3)),
        ("12/29(火)", dt.date(2026, 12, 29)),
    ],
)
def test_the_day_field_reads_what_people_type(typed, expected):
    assert DayField().clean(typed) == expected


@pytest.mark.parametrize("typed", ["12/32", "2/30", "あした", "2026/12", "13/1"])
def test_the_day_field_refuses_what_is_no_day(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        DayField().clean(typed)


def test_a_new_resource_is_registered_with_its_day_off(client, kita1, kita1_coordinator):
    client.force_login(kita1_coordinator)
    data = form_data(
        None,
        area=str(kita1.pk),
        **{"rules-0-days": ["TU"], "rules-0-opens_at": "10:00"},
        **new_dates(days_off=1, **day_off_row(0, kind="closed", starts_on="12/8")),
    )
    response = client.post("/staff/resources/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (saved,) = ScheduleException.objects.all()
    assert saved.resource.name == "新しいサロン" and saved.starts_on == dt.date(2026, 12, 8)


def test_a_day_off_alone_does_not_mark_the_resource_checked(client, salon, kita1_coordinator):
    """Adding a day off checks nothing else of the resource: its 確認日 stays."""
    resource_update(resource=salon, verified_on=dt.date(2025, 4, 1))
    rows = new_dates(days_off=1, **day_off_row(0, kind="closed", starts_on="12/8"))
    # The page as the editor shows it, staff fields filled in.
    shown = {f: getattr(salon, f) for f in ("contact_person", "private_phone", "internal_notes")}
    shown["categories"] = [str(pk) for pk in salon.categories.values_list("pk", flat=True)]

    response = edit(client, kita1_coordinator, salon, rows, **shown)

    assert response.status_code == 302
    salon.refresh_from_db()
    assert salon.verified_on == dt.date(2025, 4, 1)
    assert ScheduleException.objects.filter(resource=salon, starts_on=dt.date(2026, 12, 8)).exists()
    said = client.get(response["Location"]).content.decode()
    assert "休みの日・お知らせを保存しました" in said and "確認日は今日" not in said


def test_a_changed_field_with_a_day_off_marks_the_resource_checked(
    client, salon, kita1_coordinator
):
    resource_update(resource=salon, verified_on=dt.date(2025, 4, 1))
    rows = new_dates(days_off=1, **day_off_row(0, kind="closed", starts_on="12/8"))

    edit(client, kita1_coordinator, salon, rows, venue="北集会所")

    salon.refresh_from_db()
    assert salon.verified_on == dt.date(2026, 12, 1) and salon.venue == "北集会所"
