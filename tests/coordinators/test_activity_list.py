"""/staff/activities/: the activity list with filters, scoped by role."""

from __future__ import annotations

from datetime import date

import pytest

from coordinators.models import Function, Kind
from tests.conftest import log

URL = "/staff/activities/"


@pytest.fixture
def activities(profiles, areas):
    return {
        "kita1_visit": log(
            profiles["kita1"],
            areas["kita1"],
            date(2025, 5, 10),
            Kind.VISIT,
            [Function.ASSESSMENT],
            heard="サロンの会場が狭い",
        ),
        "kita1_case": log(
            profiles["kita1"],
            areas["kita1"],
            date(2026, 4, 10),
            Kind.CONSULTATION,
            [Function.INDIVIDUAL],
            heard="買い物に困っている",
            is_case_example=True,
        ),
        "kita2_workshop": log(
            profiles["kita2"],
            areas["kita2"],
            date(2025, 7, 1),
            Kind.WORKSHOP,
            [Function.CARERS],
            heard="担い手を増やしたい",
        ),
        "minato_visit": log(
            profiles["minato"],
            areas["minato1"],
            date(2025, 8, 1),
            Kind.VISIT,
            [Function.LAUNCH],
            heard="港区の秘密の話",
        ),
    }


def shown(response):
    return {a.heard for a in response.context["page"].object_list}


def test_anonymous_is_sent_to_login(client, activities):
    response = client.get(URL)

    assert response.status_code == 302
    assert "港区の秘密の話" not in response.content.decode()


def test_a_care_manager_gets_404(client, activities, care_manager):
    client.force_login(care_manager)

    assert client.get(URL).status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("kita1_coordinator", {"サロンの会場が狭い", "買い物に困っている"}),
        ("kita_coordinator", {"サロンの会場が狭い", "買い物に困っている", "担い手を増やしたい"}),
        ("minato_coordinator", {"港区の秘密の話"}),
        (
            "city_staff",
            {"サロンの会場が狭い", "買い物に困っている", "担い手を増やしたい", "港区の秘密の話"},
        ),
    ],
)
def test_each_role_lists_the_activities_of_its_areas(client, request, activities, role, expected):
    client.force_login(request.getfixturevalue(role))

    response = client.get(URL)

    assert shown(response) == expected
    if role != "city_staff" and role != "minato_coordinator":
        assert "港区の秘密の話" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fy=2025", {"サロンの会場が狭い", "担い手を増やしたい", "港区の秘密の話"}),
        ("fy=2026", {"買い物に困っている"}),
        ("kind=workshop", {"担い手を増やしたい"}),
        (
            "kind=visit&kind=workshop",
            {"サロンの会場が狭い", "担い手を増やしたい", "港区の秘密の話"},
        ),
        ("function=launch", {"港区の秘密の話"}),
        ("area=27127", {"サロンの会場が狭い", "買い物に困っている", "担い手を増やしたい"}),
        ("area=27127-2", {"担い手を増やしたい"}),
        ("case=1", {"買い物に困っている"}),
        ("q=担い手", {"担い手を増やしたい"}),
        ("from=2025-06-01&to=2025-07-31", {"担い手を増やしたい"}),
        (
            "fy=abc&area=nowhere&kind=salary",
            {"サロンの会場が狭い", "買い物に困っている", "担い手を増やしたい", "港区の秘密の話"},
        ),
    ],
)
def test_filters(client, activities, city_staff, query, expected):
    client.force_login(city_staff)

    assert shown(client.get(f"{URL}?{query}")) == expected


def test_mine_lists_only_my_records(client, activities, kita_coordinator, profiles, areas):
    log(
        profiles["kita"],
        areas["kita"],
        date(2025, 9, 9),
        Kind.MEETING,
        [Function.TIER2],
        heard="区の会議",
    )
    client.force_login(kita_coordinator)

    assert shown(client.get(f"{URL}?mine=1")) == {"区の会議"}


def test_only_editable_records_offer_an_edit_link(
    client, activities, kita1_coordinator, profiles, areas
):
    other = log(
        profiles["kita"],
        areas["kita1"],
        date(2025, 9, 9),
        Kind.VISIT,
        [Function.TIER2],
        heard="区から",
    )
    client.force_login(kita1_coordinator)

    html = client.get(URL).content.decode()

    assert f"/staff/activities/{activities['kita1_visit'].pk}/edit/" in html
    assert f"/staff/activities/{other.pk}/edit/" not in html
    assert "区から" in html


def test_the_list_pages_in_thirties(client, profiles, areas, kita1_coordinator):
    for day in range(1, 32):
        log(
            profiles["kita1"], areas["kita1"], date(2025, 5, day), Kind.VISIT, [Function.ASSESSMENT]
        )
    client.force_login(kita1_coordinator)

    first = client.get(URL)
    second = client.get(f"{URL}?page=2")

    assert len(first.context["page"].object_list) == 30
    assert len(second.context["page"].object_list) == 1


def test_the_list_uses_a_fixed_number_of_queries(
    client, profiles, areas, kita1_coordinator, django_assert_max_num_queries
):
    for day in range(1, 21):
        log(
            profiles["kita1"], areas["kita1"], date(2025, 5, day), Kind.VISIT, [Function.ASSESSMENT]
        )
    client.force_login(kita1_coordinator)
    client.get(URL)

    with django_assert_max_num_queries(16):
        client.get(URL)
