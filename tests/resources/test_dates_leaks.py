"""The routes of issue 16 (これから, calendars, 予定表, わたしのリスト), swept as in
tests/resources/test_leaks.py: nothing staff-only for an anonymous visitor, by any
of them; a care manager sees the staff-only resource where it belongs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from tests.conftest import add_schedule
from tests.resources.test_leaks import STAFF_ONLY_NAME, secret_values, secrets  # noqa: F401


@pytest.fixture
def scheduled(secrets):  # noqa: F811
    for resource in secrets.values():
        add_schedule(
            resource=resource, kind="weekly", weekdays="MO,TU,WE,TH,FR,SA,SU", opens_at=dt.time(10)
        )
    return secrets


def body(response) -> str:
    if response["Content-Type"] == "application/pdf":
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    return response.content.decode()


def routes(secrets) -> list[str]:  # noqa: F811
    public, staff = secrets["public"].pk, secrets["staff"].pk
    return [
        "/resources/upcoming/",
        "/resources/upcoming/?area=27127-1&status=all&when=today",
        "/resources/upcoming/?q=準備中カフェ",
        "/resources/upcoming/?lat=34.701&lng=135.491&radius_km=1",
        "/resources/calendar.ics",
        "/resources/calendar.ics?area=27127-1",
        f"/resources/{public}/calendar.ics",
        f"/resources/{staff}/calendar.ics",
        f"/mylist/?ids={public},{staff}",
        f"/mylist/print.pdf?ids={public},{staff}",
        "/areas/27127-1/calendar.pdf",
        "/areas/27127/calendar.pdf?size=a3",
    ]


def test_no_anonymous_route_has_the_staff_only_resource_or_fields(client, scheduled):
    for url in routes(scheduled):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        text = body(response)
        for secret in secret_values(scheduled):
            assert secret not in text, f"{secret} in {url}"
        assert "関係者限定" not in text, url


def test_the_care_manager_sees_the_staff_only_resource_where_it_belongs(
    client, scheduled, care_manager
):
    client.force_login(care_manager)
    staff = scheduled["staff"].pk
    for url in (
        "/resources/upcoming/",
        "/resources/calendar.ics",
        f"/resources/{staff}/calendar.ics",
        "/areas/27127-1/calendar.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert STAFF_ONLY_NAME in body(response), url
    # A shared list is public whoever opens it.
    assert STAFF_ONLY_NAME not in body(client.get(f"/mylist/?ids={staff}"))
    # Internal notes are never in a calendar or a これから page.
    for url in ("/resources/upcoming/", "/resources/calendar.ics"):
        assert "開設は来年4月の予定" not in body(client.get(url))
