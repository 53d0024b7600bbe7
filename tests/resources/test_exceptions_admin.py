"""Days off and notices in the admin (the inline 「休み・お知らせ」 on a resource)."""

from __future__ import annotations

import datetime as dt

from resources.models import ScheduleException
from tests.resources.test_admin import change_url, form_data

PREFIX = "schedule_exceptions"


def with_exception(data: dict, **fields) -> dict:
    data = {**data, f"{PREFIX}-TOTAL_FORMS": "1"}
    for key, value in fields.items():
        data[f"{PREFIX}-0-{key}"] = value
    return data


def test_a_new_year_break_added_in_the_admin_is_kept(client, city_staff, public_salon):
    client.force_login(city_staff)
    data = with_exception(
        form_data(client.get(change_url(public_salon)), holiday_rule="open"),
        kind="closed",
        starts_on="2026-12-29",
        ends_on="2027-01-03",
    )
    response = client.post(change_url(public_salon), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (kept,) = ScheduleException.objects.filter(resource=public_salon)
    assert kept.describe() == "12月29日〜1月3日はお休み"
    public_salon.refresh_from_db()
    assert public_salon.holiday_rule == "open" and not public_salon.closed_on_holidays


def test_an_exception_ending_before_it_starts_is_refused_in_japanese(
    client, city_staff, public_salon
):
    client.force_login(city_staff)
    data = with_exception(
        form_data(client.get(change_url(public_salon))),
        kind="closed",
        starts_on="2027-01-03",
        ends_on="2026-12-29",
    )
    response = client.post(change_url(public_salon), data)
    assert response.status_code == 200
    assert "終了日は開始日と同じか、それより後の日にしてください。" in response.content.decode()
    assert not ScheduleException.objects.exists()


def test_the_notice_shows_on_the_detail_page_until_it_ends(
    client, city_staff, public_salon, monkeypatch
):
    client.force_login(city_staff)
    data = with_exception(
        form_data(client.get(change_url(public_salon))),
        kind="notice",
        starts_on="2027-01-01",
        ends_on="2027-01-31",
        text="1月は会場を北集会所に変更",
    )
    assert client.post(change_url(public_salon), data).status_code == 302
    client.logout()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 12, 20))
    assert (
        "1月は会場を北集会所に変更" in client.get(f"/resources/{public_salon.pk}/").content.decode()
    )
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2027, 2, 1))
    assert (
        "1月は会場を北集会所に変更"
        not in client.get(f"/resources/{public_salon.pk}/").content.decode()
    )
