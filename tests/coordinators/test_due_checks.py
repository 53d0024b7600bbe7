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
