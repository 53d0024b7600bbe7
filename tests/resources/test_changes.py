"""Residents' corrections and new places, the /staff/changes/ queue, and groups'
own listings through their link: suggestions change nothing until accepted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from resources.changes import (
    group_link_create,
    group_link_revoke,
    suggestion_personal_data_purge,
)
from resources.models import ChangeRequest, Resource
from tests.conftest import add_schedule


def suggest(client, resource, **data):
    return client.post(f"/resources/{resource.pk}/suggest/", {"message": "曜日が違います", **data})


def test_every_resource_page_links_to_the_correction_and_new_place_forms(client, public_salon):
    body = client.get(f"/resources/{public_salon.pk}/").content.decode()

    assert f'href="/resources/{public_salon.pk}/suggest/"' in body
    assert "情報のまちがいを知らせる" in body
    assert 'href="/resources/suggest/"' in body
    assert "新しい通いの場を知らせる" in body


def test_a_resident_correction_is_pending_and_changes_nothing(client, public_salon):
    add_schedule(resource=public_salon, kind="weekly", weekdays="TU")

    response = suggest(
        client,
        public_salon,
        schedule="毎週木曜 13:30～15:00",
        contact_phone="06-2222-3333",
        sender_name="梅田 太郎",
        sender_contact="06-0000-1111",
    )

    assert response.status_code == 302
    assert "ありがとうございました" in client.get(response["Location"]).content.decode()
    change = ChangeRequest.objects.get()
    assert change.status == ChangeRequest.Status.PENDING
    assert change.source == ChangeRequest.Source.RESIDENT
    assert change.changes["contact_phone"] == {"old": "", "new": "06-2222-3333"}
    assert change.changes["schedules"]["old"] == "毎週火曜"
    public_salon.refresh_from_db()
    assert public_salon.contact_phone == "" and public_salon.schedule_text() == "毎週火曜"


def test_the_loop_resident_to_queue_to_accept_to_history(client, public_salon, kita1_coordinator):
    add_schedule(resource=public_salon, kind="weekly", weekdays="TU")
    suggest(client, public_salon, schedule="毎週木曜 13:30～15:00", sender_name="梅田 太郎")
    client.force_login(kita1_coordinator)

    queue = client.get("/staff/changes/").content.decode()
    assert "梅田ふれあいサロン" in queue
    assert "毎週火曜" in queue and "毎週木曜 13:30〜15:00" in queue
    assert "梅田 太郎" in queue
    assert "変更の知らせ" in client.get("/staff/").content.decode()

    change = ChangeRequest.objects.get()
    response = client.post(f"/staff/changes/{change.pk}/", {"action": "accept"})

    assert response.status_code == 302
    public_salon.refresh_from_db()
    assert public_salon.schedule_text() == "毎週木曜 13:30〜15:00"
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.ACCEPTED
    assert change.decided_by == kita1_coordinator and change.decided_at
    entry = public_salon.history.first()
    assert entry.history_user == kita1_coordinator
    assert f"受付番号 {change.pk}" in entry.history_change_reason


def test_a_rejected_suggestion_changes_nothing(client, public_salon, kita1_coordinator):
    suggest(client, public_salon, contact_phone="06-2222-3333")
    client.force_login(kita1_coordinator)
    change = ChangeRequest.objects.get()

    client.post(f"/staff/changes/{change.pk}/", {"action": "reject"})

    change.refresh_from_db()
    public_salon.refresh_from_db()
    assert change.status == ChangeRequest.Status.REJECTED
    assert public_salon.contact_phone == ""


def test_accepting_outside_my_area_is_404_and_changes_nothing(
    client, public_salon, minato_coordinator
):
    suggest(client, public_salon, contact_phone="06-2222-3333")
    change = ChangeRequest.objects.get()
    client.force_login(minato_coordinator)

    assert "梅田ふれあいサロン" not in client.get("/staff/changes/").content.decode()
    assert client.post(f"/staff/changes/{change.pk}/", {"action": "accept"}).status_code == 404
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.PENDING


@pytest.mark.parametrize("who", ["care_manager", None])
def test_the_queue_is_not_for_care_managers_or_visitors(client, request, public_salon, who):
    if who:
        client.force_login(request.getfixturevalue(who))

    response = client.get("/staff/changes/")

    assert response.status_code in (302, 404)


def test_a_new_place_goes_to_the_coordinators_of_its_area_and_becomes_a_draft(
    client, umeda, kita1_coordinator, minato_coordinator
):
    client.post(
        "/resources/suggest/",
        {"name": "ひまわりサロン", "address": umeda.name, "schedule": "毎週金曜 10時～"},
    )
    change = ChangeRequest.objects.get()
    assert change.kind == ChangeRequest.Kind.NEW and change.area == umeda.area

    client.force_login(minato_coordinator)
    assert "ひまわりサロン" not in client.get("/staff/changes/").content.decode()
    client.force_login(kita1_coordinator)
    assert "ひまわりサロン" in client.get("/staff/changes/").content.decode()

    response = client.post(f"/staff/changes/{change.pk}/", {"action": "accept"})

    created = Resource.objects.get(name="ひまわりサロン")
    assert response["Location"] == f"/staff/resources/{created.pk}/edit/"
    assert created.visibility == Resource.Visibility.STAFF
    assert created.status == Resource.Status.PREPARING
    assert created.schedule_text() == "毎週金曜 10:00〜"


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"message": "<script>alert(1)</script>"}, "HTML やスクリプトは書けません"),
        ({"message": "あ" * 100_000}, "1000文字以内で書いてください"),
        ({"message": ""}, "ここを書いてください。"),
    ],
)
def test_bad_suggestions_are_refused_in_japanese(client, public_salon, data, said):
    response = client.post(f"/resources/{public_salon.pk}/suggest/", data)

    assert response.status_code == 200
    assert said in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_the_honeypot_is_thanked_and_dropped(client, public_salon):
    response = suggest(client, public_salon, website="http://spam.example")

    assert response.status_code == 302
    assert not ChangeRequest.objects.exists()


def test_thirty_suggestions_from_one_address_in_a_minute_are_refused(client, public_salon):
    statuses = [suggest(client, public_salon).status_code for _ in range(30)]

    assert statuses[:5] == [302] * 5
    assert set(statuses[5:]) == {429}
    assert ChangeRequest.objects.count() == 5
    refused = suggest(client, public_salon).content.decode()
    assert "しばらく" in refused or "10分ほどしてから" in refused


def test_personal_data_is_deleted_after_the_period(client, public_salon, settings):
    settings.SUGGESTION_PERSONAL_DAYS = 30
    suggest(client, public_salon, sender_name="梅田 太郎", sender_contact="06-0000-1111")

    assert suggestion_personal_data_purge() == 0
    assert suggestion_personal_data_purge(now=timezone.now() + timedelta(days=31)) == 1

    change = ChangeRequest.objects.get()
    assert change.sender_name == "" and change.sender_contact == ""
    assert change.message == "曜日が違います"


def test_the_purge_is_a_periodic_job():
    from portal.jobs.schedule import periodic_jobs

    assert "resources.suggestion_personal_data_purge" in {job.name for job in periodic_jobs()}


def test_the_sender_is_never_shown_on_public_pages(client, public_salon):
    suggest(client, public_salon, sender_name="梅田 太郎")

    for url in (f"/resources/{public_salon.pk}/", f"/resources/{public_salon.pk}/suggest/"):
        assert "梅田 太郎" not in client.get(url).content.decode()


# Group links -----------------------------------------------------------------------


def group_data(resource, **overrides):
    data = {
        "resource": str(resource.pk),
        "edit": "1",
        "status": resource.status,
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "12",
        "rules-0-kind": "weekly",
    }
    for prefix in ("days_off", "notices"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "30",
        }
    data["days_off-0-kind"] = "closed"
    data.update(overrides)
    return data


def test_the_loop_group_link_to_diff_to_approval(client, public_salon, kita1_coordinator):
    link = group_link_create(resource=public_salon)

    page = client.get(f"/update/{link.token}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "梅田ふれあいサロン" in body and "変わりありません" in body
    assert "山田 花子" not in body and "鍵は管理人室" not in body

    client.post(
        f"/update/{link.token}/",
        group_data(
            public_salon,
            fee_amount="300",
            **{"rules-0-days": ["SA"], "rules-0-opens_at": "10時"},
        ),
    )

    public_salon.refresh_from_db()
    assert public_salon.fee_amount is None
    change = ChangeRequest.objects.get()
    assert change.source == ChangeRequest.Source.GROUP_LINK
    assert change.changes["fee_amount"] == {"old": None, "new": 300}

    client.force_login(kita1_coordinator)
    queue = client.get("/staff/changes/").content.decode()
    assert "団体からの更新" in queue and "毎週土曜 10:00〜" in queue
    client.post(f"/staff/changes/{change.pk}/", {"action": "accept"})

    public_salon.refresh_from_db()
    assert public_salon.fee_amount == 300
    assert public_salon.schedule_text() == "毎週土曜 10:00〜"


def test_a_group_confirms_its_listing_as_it_is(client, public_salon):
    link = group_link_create(resource=public_salon)

    client.post(f"/update/{link.token}/", {"resource": str(public_salon.pk), "confirm": "1"})

    public_salon.refresh_from_db()
    assert public_salon.verified_on == timezone.localdate()
    assert not ChangeRequest.objects.exists()


def test_expired_revoked_unknown_and_other_resource_links_are_refused(
    client, public_salon, minato_salon
):
    expired = group_link_create(resource=public_salon, days=1)
    expired.expires_on = timezone.localdate() - timedelta(days=1)
    expired.save()
    revoked = group_link_create(resource=public_salon)
    group_link_revoke(link=revoked)
    other = group_link_create(resource=minato_salon)

    cases = [
        (client.get(f"/update/{expired.token}/"), "有効期限"),
        (client.get(f"/update/{revoked.token}/"), "取り消されました"),
        (client.get("/update/not-a-token/"), "このリンクは使えません"),
        (
            client.post(f"/update/{other.token}/", group_data(public_salon, fee_amount="1")),
            "別の活動のためのもの",
        ),
    ]
    for response, said in cases:
        assert response.status_code == 404
        assert said in response.content.decode()
    assert not ChangeRequest.objects.exists()
    public_salon.refresh_from_db()
    assert public_salon.verified_on is None


def test_a_coordinator_shows_and_renews_the_group_link(client, public_salon, kita1_coordinator):
    client.force_login(kita1_coordinator)

    shown = client.post(
        f"/staff/resources/{public_salon.pk}/group-link/", {"action": "show"}, follow=True
    )
    first = public_salon.group_links.get()
    assert f"/update/{first.token}/" in shown.content.decode()

    client.post(f"/staff/resources/{public_salon.pk}/group-link/", {"action": "renew"})
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert public_salon.group_links.filter(revoked_at__isnull=True).count() == 1


def test_group_links_of_another_area_are_404(client, public_salon, minato_coordinator):
    client.force_login(minato_coordinator)

    response = client.post(f"/staff/resources/{public_salon.pk}/group-link/", {"action": "show"})

    assert response.status_code == 404


def test_a_staff_only_resource_has_no_public_correction_form(client, staff_only_cafe):
    assert client.get(f"/resources/{staff_only_cafe.pk}/suggest/").status_code == 404


def test_city_staff_read_the_requests_in_the_admin_and_coordinators_do_not(
    client, public_salon, city_staff, kita1_coordinator
):
    suggest(client, public_salon)
    client.force_login(city_staff)

    page = client.get("/admin/resources/changerequest/")

    assert page.status_code == 200
    assert "梅田ふれあいサロン" in page.content.decode()
    client.force_login(kita1_coordinator)
    assert client.get("/admin/resources/changerequest/").status_code == 404
