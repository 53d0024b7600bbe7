"""GET /resources/upcoming/: これから — dated lines with the search's filters."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from resources.models import ScheduleException
from resources.services import resource_update, schedule_exception_save
from tests.conftest import add_schedule, make_resource

WEDNESDAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("resources.upcoming.today", lambda: WEDNESDAY)


@pytest.fixture
def salon(public_salon):
    resource_update(resource=public_salon, venue="さくら会場")
    add_schedule(
        resource=public_salon,
        kind="weekly",
        weekdays="WE",
        opens_at=dt.time(10),
        closes_at=dt.time(11, 30),
    )
    add_schedule(resource=public_salon, kind="monthly_date", day_of_month=5, opens_at=dt.time(13))
    return public_salon


@pytest.fixture
def cafe(staff_only_cafe):
    add_schedule(resource=staff_only_cafe, kind="weekly", weekdays="TH", opens_at=dt.time(14))
    return staff_only_cafe


def lines(response) -> list[str]:
    """Each line as a reader reads it (tags removed, spaces squeezed)."""
    assert response.status_code == 200
    found = re.findall(
        r'<li class="upcoming">(.*?)(?:<p class="upcoming__notice"|</li>)',
        response.content.decode(),
        re.S,
    )
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", f)).split()) for f in found]


def test_this_week_lists_dates_in_order(client, salon):
    got = lines(client.get("/resources/upcoming/?when=week"))
    assert got == [
        "12月2日（水）10:00〜11:30 梅田ふれあいサロン さくら会場",
        "12月5日（土）13:00〜 梅田ふれあいサロン さくら会場",
    ]


def test_a_line_near_a_place_says_how_far(client, salon):
    got = lines(client.get("/resources/upcoming/?when=today&lat=34.7036&lng=135.49"))
    assert got == ["12月2日（水）10:00〜11:30 梅田ふれあいサロン さくら会場 0.4km"]


def test_next_week_is_monday_to_sunday(client, salon):
    got = lines(client.get("/resources/upcoming/?when=nextweek"))
    assert [line.split(" ")[0] for line in got] == ["12月9日（水）10:00〜11:30"]


def test_staff_only_resources_only_for_those_who_may_see_them(client, salon, cafe, care_manager):
    anonymous = " ".join(lines(client.get("/resources/upcoming/")))
    assert "非公開の準備中カフェ" not in anonymous
    client.force_login(care_manager)
    staff = lines(client.get("/resources/upcoming/"))
    assert "12月3日（木）14:00〜 非公開の準備中カフェ 関係者限定" in staff


def test_the_search_words_and_filters_apply(client, salon, minato_salon):
    add_schedule(resource=minato_salon, kind="weekly", weekdays="WE", opens_at=dt.time(9))
    everything = lines(client.get("/resources/upcoming/?when=today"))
    assert [line.split(" ")[1] for line in everything] == [
        "築港いきいき百歳体操",
        "梅田ふれあいサロン",
    ]
    assert lines(client.get("/resources/upcoming/?when=today&q=百歳")) == [
        "12月2日（水）09:00〜 築港いきいき百歳体操"
    ]
    minato_only = lines(
        client.get(f"/resources/upcoming/?when=today&area={minato_salon.area.code}")
    )
    assert len(minato_only) == 1 and "築港" in minato_only[0]


def test_days_off_remove_dates_and_notices_show(client, salon):
    schedule_exception_save(
        exception=ScheduleException(
            resource=salon,
            kind="closed",
            starts_on=dt.date(2026, 12, 2),
            ends_on=dt.date(2026, 12, 2),
        )
    )
    schedule_exception_save(
        exception=ScheduleException(
            resource=salon,
            kind="notice",
            starts_on=dt.date(2026, 12, 1),
            ends_on=dt.date(2026, 12, 31),
            text="12月は会場を北集会所に変更",
        )
    )
    response = client.get("/resources/upcoming/?when=week")
    assert lines(response) == ["12月5日（土）13:00〜 梅田ふれあいサロン さくら会場"]
    body = response.content.decode()
    assert "12月は会場を北集会所に変更（12月1日〜12月31日）" in body
    assert "12月2日はお休み" in body


def test_an_unknown_when_is_said_and_this_week_shown(client, salon):
    response = client.get("/resources/upcoming/?when=someday")
    assert "「いつ」は 今日・今週・来週 から選んでください。" in response.content.decode()
    assert len(lines(response)) == 2


def test_nothing_on_says_so(client, db):
    body = client.get("/resources/upcoming/").content.decode()
    assert "この期間に予定のある地域資源は見つかりませんでした。" in body


def test_bad_filters_answer_in_japanese_not_500(client, db):
    response = client.get("/resources/upcoming/?area=nowhere&lat=abc&lng=1")
    assert response.status_code == 200
    assert "区域「nowhere」は見つかりません。" in response.content.decode()


def test_home_and_search_link_here(client, salon):
    assert 'href="/resources/upcoming/"' in client.get("/").content.decode()
    search = client.get("/resources/?q=サロン").content.decode()
    assert 'href="/resources/upcoming/?q=' in search


def test_irregular_and_paused_resources_give_no_lines(client, kita1):
    irregular = make_resource(name="不定期の会")
    add_schedule(resource=irregular, kind="irregular", note="月1回程度")
    assert lines(client.get("/resources/upcoming/")) == []
