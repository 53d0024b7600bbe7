"""The resource lifecycle: 立上支援 on a 準備中 resource, then 活動中, gives the
新規立ち上げ / 既存資源の拡充 record with its date (coordinators.services)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coordinators.models import Function, Kind
from coordinators.services import launch_origin_for, resource_launch_record
from reports.tables import build_report
from resources.models import Resource
from resources.services import resource_update
from tests.conftest import log, make_resource

TODAY = timezone.localdate()


@pytest.fixture
def preparing(kita1, exercise):
    return make_resource(
        name="新しい体操の会",
        area=kita1,
        area_locked=True,
        status=Resource.Status.PREPARING,
        visibility=Resource.Visibility.STAFF,
        categories=[exercise],
    )


def support(profiles, area, resource, day, functions=(Function.LAUNCH,)):
    return log(profiles["kita1"], area, day, Kind.VISIT, list(functions), resources=[resource])


def test_a_supported_preparing_resource_becomes_new_with_its_date(
    profiles, kita1, preparing, kita1_coordinator
):
    support(profiles, kita1, preparing, TODAY - timedelta(days=40))

    resource_launch_record(
        resource=preparing, recorded_by=kita1_coordinator, on=TODAY - timedelta(days=3)
    )

    preparing.refresh_from_db()
    assert preparing.status == Resource.Status.ACTIVE
    assert preparing.origin == Resource.Origin.NEW
    assert preparing.origin_date == TODAY - timedelta(days=3)
    latest = preparing.history.latest()
    assert "立上支援" in latest.history_change_reason
    assert latest.history_user == kita1_coordinator


def test_a_running_resource_that_was_extended_is_expanded(profiles, kita1, public_salon):
    resource_update(resource=public_salon, status=Resource.Status.PREPARING)
    support(profiles, kita1, public_salon, TODAY - timedelta(days=20))

    assert launch_origin_for(public_salon) == Resource.Origin.EXPANDED
    resource_launch_record(resource=public_salon, recorded_by=None)

    public_salon.refresh_from_db()
    assert public_salon.origin == Resource.Origin.EXPANDED
    assert public_salon.origin_date == TODAY


def test_a_resource_switched_to_active_elsewhere_takes_the_day_of_the_switch(
    profiles, kita1, preparing
):
    support(profiles, kita1, preparing, TODAY - timedelta(days=30))
    resource_update(resource=preparing, status=Resource.Status.ACTIVE)  # e.g. in the admin

    resource_launch_record(resource=preparing, recorded_by=None)

    preparing.refresh_from_db()
    assert preparing.origin == Resource.Origin.NEW
    assert preparing.origin_date == TODAY


def test_without_launch_support_nothing_is_recorded(profiles, kita1, preparing):
    support(profiles, kita1, preparing, TODAY - timedelta(days=10), functions=[Function.ASSESSMENT])

    with pytest.raises(ValidationError, match="立上支援"):
        resource_launch_record(resource=preparing, recorded_by=None)
    preparing.refresh_from_db()
    assert preparing.status == Resource.Status.PREPARING


def test_the_start_cannot_precede_the_support_or_lie_in_the_future(profiles, kita1, preparing):
    support(profiles, kita1, preparing, TODAY - timedelta(days=10))

    with pytest.raises(ValidationError, match="最初の立上支援"):
        resource_launch_record(resource=preparing, recorded_by=None, on=TODAY - timedelta(days=11))
    with pytest.raises(ValidationError, match="未来"):
        resource_launch_record(resource=preparing, recorded_by=None, on=TODAY + timedelta(days=1))


def test_a_second_record_changes_nothing(profiles, kita1, preparing):
    support(profiles, kita1, preparing, TODAY - timedelta(days=10))
    resource_launch_record(resource=preparing, recorded_by=None, on=TODAY)
    versions = preparing.history.count()

    resource_launch_record(resource=preparing, recorded_by=None, on=TODAY)

    assert preparing.history.count() == versions


def test_the_record_counts_in_the_creation_report(profiles, kita1, preparing, city_staff):
    support(profiles, kita1, preparing, date(2025, 5, 1))
    resource_launch_record(resource=preparing, recorded_by=None, on=date(2025, 6, 1))

    rows = (
        build_report("creation", fiscal_year=2025, area=None, fetched_by=city_staff)
        .tables[0]
        .csv_rows()
    )

    kita_new = next(row for row in rows if row[0] == "北区")
    assert kita_new[1] == "新規立ち上げ"
    assert kita_new[2 + 3] == 1  # 運動
    assert kita_new[-3:] == [1, 1, 10]


# The pages ------------------------------------------------------------------------


def test_the_launch_page_lists_supported_resources_of_my_areas(
    client, profiles, kita1, preparing, minato_salon
):
    support(profiles, kita1, preparing, TODAY - timedelta(days=10))
    client.force_login(profiles["kita1"].user)

    response = client.get("/staff/resource-launches/")

    html = response.content.decode()
    assert "新しい体操の会" in html
    assert "築港いきいき百歳体操" not in html
    assert response.context["candidates"][0].launch_form.initial["origin"] == Resource.Origin.NEW


def test_recording_a_launch_from_the_page(client, profiles, kita1, preparing):
    support(profiles, kita1, preparing, TODAY - timedelta(days=10))
    client.force_login(profiles["kita1"].user)

    response = client.post(
        f"/staff/resource-launches/{preparing.pk}/",
        {f"r{preparing.pk}-origin": "new", f"r{preparing.pk}-on": TODAY.isoformat()},
    )

    assert response.status_code == 302
    preparing.refresh_from_db()
    assert (preparing.status, preparing.origin, preparing.origin_date) == ("active", "new", TODAY)
    page = client.get(response["Location"]).content.decode()
    assert "新規立ち上げとして記録しました" in page


def test_recording_a_launch_outside_my_areas_is_404(
    client, profiles, kita1, preparing, minato_coordinator
):
    support(profiles, kita1, preparing, TODAY - timedelta(days=10))
    client.force_login(minato_coordinator)

    response = client.post(
        f"/staff/resource-launches/{preparing.pk}/",
        {f"r{preparing.pk}-origin": "new", f"r{preparing.pk}-on": TODAY.isoformat()},
    )

    assert response.status_code == 404
    preparing.refresh_from_db()
    assert preparing.status == Resource.Status.PREPARING


def test_a_care_manager_gets_404_on_the_lifecycle_pages(client, care_manager, preparing):
    client.force_login(care_manager)

    assert client.get("/staff/resource-launches/").status_code == 404
    assert client.get("/staff/resource-checks/").status_code == 404
