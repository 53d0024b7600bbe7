"""/staff/activities/<id>/edit/ and delete/: the author, the ward's tier-1
coordinator and city staff; everyone else 404."""

from __future__ import annotations

from datetime import date

import pytest

from coordinators.models import Activity, Function, Kind
from tests.conftest import log


@pytest.fixture
def activity(profiles, areas):
    return log(
        profiles["kita1"],
        areas["kita1"],
        date(2025, 5, 10),
        Kind.VISIT,
        [Function.ASSESSMENT],
        2,
        heard="元の内容",
    )


def edit_data(activity, **overrides):
    data = {
        "date": "2025-05-11",
        "kind": "consultation",
        "functions": ["individual", "matching"],
        "count": "3",
        "area": str(activity.area_id),
        "heard": "直した内容",
        "response": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ["kita1_coordinator", "kita_coordinator", "city_staff"])
def test_the_author_the_ward_and_the_city_edit(client, request, activity, role):
    user = request.getfixturevalue(role)
    client.force_login(user)

    assert client.get(f"/staff/activities/{activity.pk}/edit/").status_code == 200
    response = client.post(f"/staff/activities/{activity.pk}/edit/", edit_data(activity))

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.heard == "直した内容"
    assert activity.count == 3
    assert sorted(activity.function_codes) == ["individual", "matching"]
    assert activity.updated_by == user
    assert activity.coordinator.user.username == "kita1_coord"


@pytest.mark.parametrize("role", ["kita2_coordinator", "minato_coordinator", "care_manager"])
def test_anyone_else_gets_404_and_changes_nothing(client, request, activity, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(f"/staff/activities/{activity.pk}/edit/").status_code == 404
    assert (
        client.post(f"/staff/activities/{activity.pk}/edit/", edit_data(activity)).status_code
        == 404
    )
    assert client.post(f"/staff/activities/{activity.pk}/delete/").status_code == 404
    activity.refresh_from_db()
    assert activity.heard == "元の内容"


def test_anonymous_edits_are_sent_to_login(client, activity):
    response = client.post(f"/staff/activities/{activity.pk}/edit/", edit_data(activity))

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.heard == "元の内容"


def test_a_tier2_coordinator_cannot_edit_the_tier1_coordinators_record_in_their_area(
    client, profiles, areas, kita1_coordinator
):
    record = log(profiles["kita"], areas["kita1"], date(2025, 5, 10), Kind.VISIT, [Function.TIER2])
    client.force_login(kita1_coordinator)

    assert client.get(f"/staff/activities/{record.pk}/").status_code == 200
    assert client.get(f"/staff/activities/{record.pk}/edit/").status_code == 404


def test_a_count_of_10000_is_refused_on_edit(client, activity, kita1_coordinator):
    client.force_login(kita1_coordinator)

    response = client.post(
        f"/staff/activities/{activity.pk}/edit/", edit_data(activity, count="10000")
    )

    assert response.status_code == 200
    assert "延件数は1〜999の数で入力してください。" in response.content.decode()
    assert "直した内容" in response.content.decode()
    activity.refresh_from_db()
    assert activity.count == 2


def test_moving_to_an_area_outside_mine_is_refused(client, activity, kita1_coordinator, minato1):
    client.force_login(kita1_coordinator)

    response = client.post(
        f"/staff/activities/{activity.pk}/edit/", edit_data(activity, area=str(minato1.pk))
    )

    assert response.status_code == 200
    assert "担当区域ではない" in response.content.decode()
    activity.refresh_from_db()
    assert activity.area.code == "27127-1"


def test_the_author_deletes_after_confirming(client, activity, kita1_coordinator):
    client.force_login(kita1_coordinator)

    assert "削除します" in client.get(f"/staff/activities/{activity.pk}/delete/").content.decode()
    response = client.post(f"/staff/activities/{activity.pk}/delete/")

    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
