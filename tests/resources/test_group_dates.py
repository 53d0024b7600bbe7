"""Days off and notices sent by a group through its own link (/update/<token>/):
they wait as a diff like the group's other edits, and a coordinator applies them."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from resources.changes import group_link_create
from resources.models import ChangeRequest, ScheduleException
from resources.services import schedule_exception_save
from tests.conftest import add_schedule
from tests.resources.test_changes import group_data


@pytest.fixture(autouse=True)
def _tuesday_first_of_december():
    with freeze_time("2026-12-01 09:00:00", tz_offset=0):
        yield


@pytest.fixture
def salon(public_salon):
    add_schedule(resource=public_salon, kind="weekly", weekdays="TU", opens_at=dt.time(10))
    return public_salon


def group_post(client, resource, link, **rows):
    rule = resource.schedules.get()
    data = group_data(
        resource,
        **{
            "rules-INITIAL_FORMS": "1",
            "rules-0-id": str(rule.pk),
            "rules-0-days": ["TU"],
            "rules-0-opens_at": "10:00",
        },
    )
    data.update(rows)
    return client.post(f"/update/{link.token}/", data)


def closed(resource, day: dt.date, text: str = "") -> ScheduleException:
    return schedule_exception_save(
        exception=ScheduleException(
            resource=resource, kind="closed", starts_on=day, ends_on=day, text=text
        )
    )


def test_a_groups_day_off_waits_for_the_coordinator_and_is_applied(
    client, salon, kita1_coordinator
):
    link = group_link_create(resource=salon)
    page = client.get(f"/update/{link.token}/").content.decode()
    assert "休みの日・時間の変更" in page and "お知らせ" in page
    assert "休みの日をもう1件加える" not in page  # no row buttons on the group page

    response = group_post(
        client,
        salon,
        link,
        **{"days_off-0-starts_on": "12/8", "days_off-0-text": "会場の点検"},
    )
    assert response.status_code == 302
    assert not ScheduleException.objects.exists()  # nothing written yet
    change = ChangeRequest.objects.get()
    assert change.changes["exceptions"]["old"] == []
    assert change.changes["exceptions"]["new"][0]["starts_on"] == "2026-12-08"

    client.force_login(kita1_coordinator)
    queue = client.get("/staff/changes/").content.decode()
    assert "休み・お知らせ" in queue and "12月8日はお休み（会場の点検）" in queue
    client.post(f"/staff/changes/{change.pk}/", {"action": "accept"})
    (saved,) = ScheduleException.objects.filter(resource=salon)
    assert (saved.starts_on, saved.text) == (dt.date(2026, 12, 8), "会場の点検")
    entry = salon.history.first()
    assert entry.history_user == kita1_coordinator
    assert "12月8日はお休み" in entry.history_change_reason


def test_a_removal_by_the_group_keeps_what_the_coordinator_added_meanwhile(
    client, salon, kita1_coordinator
):
    old = closed(salon, dt.date(2026, 12, 8))
    link = group_link_create(resource=salon)
    group_post(
        client,
        salon,
        link,
        **{
            "days_off-TOTAL_FORMS": "2",
            "days_off-INITIAL_FORMS": "1",
            "days_off-0-id": str(old.pk),
            "days_off-0-kind": "closed",
            "days_off-0-starts_on": "2026/12/8",
            "days_off-0-DELETE": "on",
            "days_off-1-kind": "closed",
        },
    )
    change = ChangeRequest.objects.get()
    meanwhile = closed(salon, dt.date(2026, 12, 22), "研修")
    client.force_login(kita1_coordinator)
    client.post(f"/staff/changes/{change.pk}/", {"action": "accept"})
    assert list(ScheduleException.objects.filter(resource=salon)) == [meanwhile]


def test_a_notice_from_the_group_and_its_refusals(client, salon):
    link = group_link_create(resource=salon)
    html = group_post(
        client,
        salon,
        link,
        **{"notices-0-text": "<b>1月</b>は北集会所", "notices-0-ends_on": "1/31"},
    ).content.decode()
    assert "HTML やスクリプトは書けません" in html
    html = group_post(
        client, salon, link, **{"days_off-0-starts_on": "12/32", "days_off-0-text": "点検"}
    ).content.decode()
    assert "「12/32」を日付として読み取れません" in html and 'value="12/32"' in html
    assert not ChangeRequest.objects.exists()

    group_post(
        client, salon, link, **{"notices-0-text": "1月は北集会所", "notices-0-ends_on": "1/31"}
    )
    (change,) = ChangeRequest.objects.all()
    (notice,) = change.changes["exceptions"]["new"]
    assert notice["kind"] == "notice" and notice["ends_on"] == "2027-01-31"


def test_no_change_to_the_dates_makes_no_diff(client, salon):
    closed(salon, dt.date(2026, 12, 8))
    link = group_link_create(resource=salon)
    existing = ScheduleException.objects.get()
    group_post(
        client,
        salon,
        link,
        **{
            "days_off-TOTAL_FORMS": "2",
            "days_off-INITIAL_FORMS": "1",
            "days_off-0-id": str(existing.pk),
            "days_off-0-kind": "closed",
            "days_off-0-starts_on": "2026/12/8",
            "days_off-1-kind": "closed",
        },
    )
    assert not ChangeRequest.objects.exists()  # 「変わりありません」 instead


def test_the_groups_errors_are_summed_up_at_the_top(client, salon):
    link = group_link_create(resource=salon)
    html = group_post(client, salon, link, **{"rules-0-opens_at": "25時"}).content.decode()
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "開催日時（1件目）" in summary
    assert not ChangeRequest.objects.exists()
