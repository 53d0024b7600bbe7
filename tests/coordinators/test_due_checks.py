"""/staff/resource-checks/: resources of my areas whose 確認日 is older than the period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coordinators.selectors import resources_due_for_check
from resources.models import Resource
from tests.conftest import make_resource

TODAY = timezone.localdate()


@pytest.fixture
def checked(kita1, kita2, minato1):
    return {
        "old": make_resource(
            name="古い確認の会",
            area=kita1,
            area_locked=True,
            verified_on=TODAY - timedelta(days=400),
        ),
        "never": make_resource(name="未確認の会", area=kita2, area_locked=True),
        "fresh": make_resource(
            name="最近確認した会",
            area=kita1,
            area_locked=True,
            verified_on=TODAY - timedelta(days=30),
        ),
        "ended": make_resource(
            name="終了した会",
            area=kita1,
            area_locked=True,
            status=Resource.Status.ENDED,
            verified_on=TODAY - timedelta(days=900),
        ),
        "minato": make_resource(
            name="港区の古い会",
            area=minato1,
            area_locked=True,
            verified_on=TODAY - timedelta(days=500),
        ),
    }


def due(user, **kwargs):
    return set(resources_due_for_check(fetched_by=user, **kwargs).values_list("name", flat=True))


def test_the_queue_holds_old_and_never_checked_resources_of_my_areas(
    checked, kita_coordinator, kita1_coordinator
):
    assert due(kita_coordinator) == {"古い確認の会", "未確認の会"}
    assert due(kita1_coordinator) == {"古い確認の会"}


def test_the_period_is_a_setting(checked, kita_coordinator, settings):
    settings.RESOURCE_CHECK_INTERVAL_DAYS = 20

    assert due(kita_coordinator) == {"古い確認の会", "未確認の会", "最近確認した会"}


def test_city_staff_see_every_area(checked, city_staff):
    assert due(city_staff) == {"古い確認の会", "未確認の会", "港区の古い会"}


def test_the_page_lists_the_oldest_first_and_marks_one_checked(client, checked, kita_coordinator):
    client.force_login(kita_coordinator)

    html = client.get("/staff/resource-checks/").content.decode()
    assert html.index("未確認の会") < html.index("古い確認の会")
    assert "港区の古い会" not in html

    response = client.post(f"/staff/resource-checks/{checked['old'].pk}/", {"page": "1"})

    assert response.status_code == 302
    checked["old"].refresh_from_db()
    assert checked["old"].verified_on == TODAY
    assert checked["old"].verified_by == kita_coordinator
    follow = client.get(response["Location"])
    assert "「古い確認の会」を確認済みにしました。" in follow.content.decode()
    assert [r.name for r in follow.context["page"].object_list] == ["未確認の会"]


def test_marking_a_resource_of_another_area_is_404(client, checked, kita1_coordinator):
    client.force_login(kita1_coordinator)

    assert client.post(f"/staff/resource-checks/{checked['minato'].pk}/").status_code == 404
    checked["minato"].refresh_from_db()
    assert checked["minato"].verified_on == TODAY - timedelta(days=500)


def test_anonymous_is_sent_to_login(client, checked):
    assert client.get("/staff/resource-checks/").status_code == 302
    assert client.post(f"/staff/resource-checks/{checked['old'].pk}/").status_code == 302


def test_the_queue_shows_the_phone_to_call_and_every_action(client, checked, kita_coordinator):
    from resources.services import resource_update

    resource_update(resource=checked["old"], contact_phone="06-1111-2222")
    client.force_login(kita_coordinator)

    html = client.get("/staff/resource-checks/").content.decode()

    assert 'href="tel:06-1111-2222"' in html
    for label in ("確認した", "直す", "休止", "終了"):
        assert label in html
    assert f"/staff/resources/{checked['old'].pk}/edit/?next=" in html


@pytest.mark.parametrize(
    ("action", "status", "said"),
    [
        ("verify", Resource.Status.ACTIVE, "確認済みにしました"),
        ("pause", Resource.Status.PAUSED, "休止中にしました"),
        ("end", Resource.Status.ENDED, "終了にしました"),
    ],
)
def test_each_action_of_the_queue_can_be_undone(
    client, checked, kita_coordinator, action, status, said
):
    old = checked["old"]
    client.force_login(kita_coordinator)

    done = client.post(f"/staff/resource-checks/{old.pk}/", {"action": action}, follow=True)

    old.refresh_from_db()
    assert old.status == status and old.verified_on == TODAY
    body = done.content.decode()
    assert said in body and "元に戻す" in body

    undone = client.post("/staff/resource-checks/undo/", follow=True)

    old.refresh_from_db()
    assert old.status == Resource.Status.ACTIVE
    assert old.verified_on == TODAY - timedelta(days=400)
    assert old.verified_by is None
    assert "「古い確認の会」を元に戻しました。" in undone.content.decode()
    assert old.history.first().history_change_reason == "確認を元に戻す"


def test_the_staff_page_links_the_queue_with_its_count(client, checked, kita_coordinator):
    client.force_login(kita_coordinator)

    html = client.get("/staff/").content.decode()

    assert 'href="/staff/resource-checks/"' in html
    assert '確認が必要な地域資源 <span class="count-badge">2件</span>' in html
    assert 'href="/staff/resources/new/"' in html
