"""/staff/resources/new/ and /staff/resources/<id>/edit/: the coordinators' editor."""

from __future__ import annotations

from datetime import time

import pytest
from django.utils import timezone

from portal import parsers
from resources.models import Resource, ScheduleRule
from tests.conftest import PASSWORD, add_schedule


def login(client, user):
    client.force_login(user)
    return client


def empty_rows(prefix: str, total: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }


def form_data(resource=None, **overrides) -> dict:
    """What the editor posts for ``resource`` unchanged (or a new one), with overrides."""
    data = {
        "name": resource.name if resource else "新しいサロン",
        "kana": resource.kana if resource else "",
        "resource_type": resource.resource_type if resource else "salon",
        "status": resource.status if resource else "active",
        "visibility": resource.visibility if resource else "public",
        "area": resource.area_id if resource and resource.area_id else "",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "12",
        "rules-0-kind": "weekly",
        **empty_rows("days_off"),
        **empty_rows("notices"),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13:30", time(13, 30)),
        ("1330", time(13, 30)),
        ("13時30分", time(13, 30)),
        ("１３：３０", time(13, 30)),
        ("午後1時半", time(13, 30)),
        ("930", time(9, 30)),
        ("10時", time(10, 0)),
    ],
)
def test_the_clock_parser_reads_what_people_type(typed, expected):
    assert parsers.clock_time(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "1370", "ごご"])
def test_the_clock_parser_refuses_times_that_do_not_exist(typed):
    with pytest.raises(parsers.ParseError):
        parsers.clock_time(typed)


def test_a_coordinator_changes_the_day_and_time_and_the_record_is_confirmed_today(
    client, public_salon, kita1_coordinator
):
    rule = add_schedule(resource=public_salon, kind="weekly", weekdays="TU")
    login(client, kita1_coordinator)
    data = form_data(
        public_salon,
        **{
            "rules-TOTAL_FORMS": "2",
            "rules-INITIAL_FORMS": "1",
            "rules-0-id": str(rule.pk),
            "rules-0-kind": "weekly",
            "rules-0-days": ["WE", "FR"],
            "rules-0-opens_at": "13時30分",
            "rules-0-closes_at": "1500",
            "rules-1-kind": "weekly",
            "fee_amount": "100",
        },
    )

    response = client.post(f"/staff/resources/{public_salon.pk}/edit/", data)

    assert response.status_code == 302
    assert response["Location"] == f"/resources/{public_salon.pk}/"
    public_salon.refresh_from_db()
    assert public_salon.schedule_text() == "毎週水・金曜 13:30〜15:00"
    assert public_salon.fee_amount == 100
    assert public_salon.verified_on == timezone.localdate()
    assert public_salon.verified_by == kita1_coordinator
    latest = public_salon.history.first()
    assert latest.history_user == kita1_coordinator
    page = client.get(f"/resources/{public_salon.pk}/").content.decode()
    assert "毎週水・金曜 13:30〜15:00" in page


def test_a_bad_form_keeps_what_was_typed_and_says_what_is_wrong_next_to_the_field(
    client, public_salon, kita1_coordinator
):
    login(client, kita1_coordinator)
    data = form_data(
        public_salon,
        name="",
        contact_phone="06-1234-5678",
        **{"rules-0-days": ["MO"], "rules-0-opens_at": "25時"},
    )

    response = client.post(f"/staff/resources/{public_salon.pk}/edit/", data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "入力を確かめてください" in body
    assert "名称を入力してください。" in body
    assert "時刻として読み取れません" in body
    assert 'value="06-1234-5678"' in body
    assert 'value="25時"' in body
    public_salon.refresh_from_db()
    assert public_salon.name == "梅田ふれあいサロン"


def test_a_status_change_to_paused_needs_a_reason_which_goes_into_the_history(
    client, public_salon, kita1_coordinator
):
    login(client, kita1_coordinator)
    url = f"/staff/resources/{public_salon.pk}/edit/"

    refused = client.post(url, form_data(public_salon, status="paused"))
    assert "「休止中」にする理由を書いてください。" in refused.content.decode()

    client.post(url, form_data(public_salon, status="paused", status_reason="会場の改修のため"))
    public_salon.refresh_from_db()
    assert public_salon.status == Resource.Status.PAUSED
    assert "会場の改修のため" in public_salon.history.first().history_change_reason


def test_a_rule_is_removed_with_its_checkbox(client, public_salon, kita1_coordinator):
    rule = add_schedule(resource=public_salon, kind="weekly", weekdays="TU")
    login(client, kita1_coordinator)
    data = form_data(
        public_salon,
        **{
            "rules-INITIAL_FORMS": "1",
            "rules-0-id": str(rule.pk),
            "rules-0-days": ["TU"],
            "rules-0-DELETE": "on",
        },
    )

    client.post(f"/staff/resources/{public_salon.pk}/edit/", data)

    assert not ScheduleRule.objects.filter(resource=public_salon).exists()


def test_adding_a_row_without_javascript_keeps_the_typing_and_saves_nothing(
    client, public_salon, kita1_coordinator
):
    login(client, kita1_coordinator)
    data = form_data(public_salon, name="名前を変えた", add_rule="1")

    response = client.post(f"/staff/resources/{public_salon.pk}/edit/", data)

    body = response.content.decode()
    assert 'name="rules-TOTAL_FORMS" value="2"' in body
    assert 'value="名前を変えた"' in body
    assert "入力を確かめてください" not in body
    public_salon.refresh_from_db()
    assert public_salon.name == "梅田ふれあいサロン"


def test_a_coordinator_registers_a_new_resource_in_their_area(client, kita1, kita1_coordinator):
    login(client, kita1_coordinator)
    data = form_data(
        name="ひまわり体操",
        area=str(kita1.pk),
        **{"rules-0-kind": "monthly_nth", "rules-0-days": ["WE"], "rules-0-weeks": ["1", "3"]},
    )

    response = client.post("/staff/resources/new/", data)

    created = Resource.objects.get(name="ひまわり体操")
    assert response["Location"] == f"/resources/{created.pk}/"
    assert created.area == kita1
    assert created.schedule_text() == "第1・3水曜"
    assert created.verified_by == kita1_coordinator


def test_a_coordinator_cannot_place_a_new_resource_outside_their_areas(
    client, kita1, minato1, kita1_coordinator
):
    login(client, kita1_coordinator)

    response = client.post("/staff/resources/new/", form_data(area=str(minato1.pk)))

    assert response.status_code == 200
    assert not Resource.objects.filter(name="新しいサロン").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("kita1_coordinator", 200),
        ("kita_coordinator", 200),
        ("city_staff", 200),
        ("minato_coordinator", 404),
        ("care_manager", 404),
    ],
)
def test_the_editor_of_a_resource_is_for_those_who_serve_its_area(
    client, request, public_salon, who, status
):
    login(client, request.getfixturevalue(who))

    response = client.get(f"/staff/resources/{public_salon.pk}/edit/")

    assert response.status_code == status
    if status == 200:
        assert "梅田ふれあいサロンの編集" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client, public_salon):
    response = client.get(f"/staff/resources/{public_salon.pk}/edit/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_resource_page_offers_edit_log_and_confirm_to_those_who_may_edit(
    client, public_salon, kita1_coordinator, minato_coordinator
):
    url = f"/resources/{public_salon.pk}/"
    assert "この資源の活動を記録" not in client.get(url).content.decode()

    login(client, minato_coordinator)
    assert "この資源の活動を記録" not in client.get(url).content.decode()

    login(client, kita1_coordinator)
    body = client.get(url).content.decode()
    assert f'href="/staff/resources/{public_salon.pk}/edit/"' in body
    assert f'href="/staff/activities/new/?resource={public_salon.pk}"' in body
    assert "確認した" in body


def test_confirmed_from_the_resource_page(client, public_salon, kita1_coordinator):
    login(client, kita1_coordinator)

    response = client.post(f"/staff/resources/{public_salon.pk}/confirm/")

    assert response["Location"] == f"/resources/{public_salon.pk}/"
    public_salon.refresh_from_db()
    assert public_salon.verified_on == timezone.localdate()
    assert public_salon.verified_by == kita1_coordinator


def test_confirming_outside_my_areas_is_404(client, public_salon, minato_coordinator):
    login(client, minato_coordinator)

    assert client.post(f"/staff/resources/{public_salon.pk}/confirm/").status_code == 404
    public_salon.refresh_from_db()
    assert public_salon.verified_on is None


def test_staff_land_on_the_staff_page_after_login(client, kita1_coordinator):
    response = client.post("/accounts/login/", {"username": "kita1_coord", "password": PASSWORD})

    assert response["Location"] == "/staff/"
