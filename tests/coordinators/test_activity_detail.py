"""/staff/activities/<id>/: an activity's text, to those who may read it only."""

from __future__ import annotations

from datetime import date

import pytest

from coordinators.models import Function, Kind
from tests.conftest import log


@pytest.fixture
def activity(profiles, areas, public_salon):
    return log(
        profiles["kita1"],
        areas["kita1"],
        date(2025, 5, 10),
        Kind.VISIT,
        [Function.ASSESSMENT],
        heard="Aさんが買い物に困っている",
        response="買い物支援を紹介",
        resources=[public_salon],
    )


def url(activity):
    return f"/staff/activities/{activity.pk}/"


def test_anonymous_is_sent_to_login_without_the_text(client, activity):
    response = client.get(url(activity))

    assert response.status_code == 302
    assert "Aさん" not in response.content.decode()


@pytest.mark.parametrize("role", ["care_manager", "minato_coordinator", "kita2_coordinator"])
def test_others_get_404(client, request, activity, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(url(activity))

    assert response.status_code == 404
    assert "Aさん" not in response.content.decode()


@pytest.mark.parametrize("role", ["kita1_coordinator", "kita_coordinator", "city_staff"])
def test_the_area_the_ward_and_the_city_read_it(client, request, activity, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(url(activity))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Aさんが買い物に困っている" in html
    assert "梅田ふれあいサロン" in html
    assert "関係者限定" in html


def test_a_missing_activity_is_404(client, profiles):
    client.force_login(profiles["kita1"].user)

    assert client.get("/staff/activities/999999/").status_code == 404
