"""portal/access.py, activities: who sees and who edits which activity.

Activities, one per place a coordinator's reach can end:
- kita1_visit by the 北区 第1圏域 coordinator, in 第1圏域;
- kita2_visit by the 北区 第2圏域 coordinator, in 第2圏域;
- kita_meeting by the 北区 tier-1 coordinator, in 北区 itself;
- minato_visit by the 港区 coordinator, in 港区 第1圏域.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from coordinators.models import Function, Kind
from coordinators.policy import (
    activities_editable_by,
    activities_visible_to,
    activity_areas_for,
    activity_for_user,
    can_log_activities,
)
from reports.policy import can_view_reports
from tests.conftest import log, make_user

ALL = {"kita1_visit", "kita2_visit", "kita_meeting", "minato_visit"}
VISIBLE = {
    "anonymous": set(),
    "care_manager": set(),
    "kita1_coordinator": {"kita1_visit"},
    "kita2_coordinator": {"kita2_visit"},
    "kita_coordinator": {"kita1_visit", "kita2_visit", "kita_meeting"},
    "minato_coordinator": {"minato_visit"},
    "city_staff": ALL,
}
EDITABLE = {
    "anonymous": set(),
    "care_manager": set(),
    "kita1_coordinator": {"kita1_visit"},
    "kita2_coordinator": {"kita2_visit"},
    "kita_coordinator": {"kita1_visit", "kita2_visit", "kita_meeting"},
    "minato_coordinator": {"minato_visit"},
    "city_staff": ALL,
}


@pytest.fixture
def activities(profiles, areas):
    day = date(2025, 6, 1)
    return {
        "kita1_visit": log(
            profiles["kita1"], areas["kita1"], day, Kind.VISIT, [Function.ASSESSMENT]
        ),
        "kita2_visit": log(
            profiles["kita2"], areas["kita2"], day, Kind.VISIT, [Function.ASSESSMENT]
        ),
        "kita_meeting": log(profiles["kita"], areas["kita"], day, Kind.MEETING, [Function.TIER2]),
        "minato_visit": log(
            profiles["minato"], areas["minato1"], day, Kind.VISIT, [Function.ASSESSMENT]
        ),
    }


def user_for(request, role):
    if role == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(role)


def names(queryset, activities):
    pks = set(queryset.values_list("pk", flat=True))
    return {name for name, activity in activities.items() if activity.pk in pks}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_each_role_sees_the_activities_of_its_areas(request, role, activities):
    assert names(activities_visible_to(user_for(request, role)), activities) == VISIBLE[role]


@pytest.mark.parametrize("role", list(EDITABLE))
def test_each_role_edits_its_own_and_its_wards_activities(request, role, activities):
    assert names(activities_editable_by(user_for(request, role)), activities) == EDITABLE[role]


def test_a_tier2_coordinator_sees_a_tier1_coordinators_activity_in_their_area(
    profiles, areas, kita1_coordinator
):
    activity = log(profiles["kita"], areas["kita1"], date(2025, 6, 2), Kind.VISIT, [Function.TIER2])

    assert activities_visible_to(kita1_coordinator).filter(pk=activity.pk).exists()
    assert not activities_editable_by(kita1_coordinator).filter(pk=activity.pk).exists()


def test_the_author_still_sees_and_edits_after_moving_to_another_area(
    profiles, areas, kita1_coordinator
):
    activity = log(
        profiles["kita1"], areas["kita1"], date(2025, 6, 2), Kind.VISIT, [Function.ASSESSMENT]
    )
    kita1_coordinator.areas.set([areas["kita2"]])

    assert activities_visible_to(kita1_coordinator).filter(pk=activity.pk).exists()
    assert activities_editable_by(kita1_coordinator).filter(pk=activity.pk).exists()


def test_a_care_manager_with_areas_still_sees_no_activity(activities, areas, db):
    from portal.roles import GROUP_CARE_MANAGER

    manager = make_user("kita_caremanager", GROUP_CARE_MANAGER, [areas["kita"]])

    assert not activities_visible_to(manager).exists()


def test_forbidden_and_missing_activities_are_both_404(activities, minato_coordinator):
    with pytest.raises(Http404):
        activity_for_user(minato_coordinator, activities["kita1_visit"].pk)
    with pytest.raises(Http404):
        activity_for_user(minato_coordinator, 999999)
    with pytest.raises(Http404):
        activity_for_user(minato_coordinator, "not-a-number")
    with pytest.raises(Http404):
        activity_for_user(
            activities["kita1_visit"].coordinator.user, activities["kita2_visit"].pk, write=True
        )


@pytest.mark.parametrize(
    ("role", "areas_expected", "logs", "reports"),
    [
        ("anonymous", set(), False, False),
        ("care_manager", set(), False, False),
        ("kita1_coordinator", {"27127-1"}, True, True),
        ("kita_coordinator", {"27127", "27127-1", "27127-2"}, True, True),
        ("minato_coordinator", {"27107", "27107-1"}, True, True),
        ("city_staff", {"27127", "27127-1", "27127-2", "27107", "27107-1"}, True, True),
    ],
)
def test_who_logs_activities_where_and_who_reads_reports(
    request, areas, role, areas_expected, logs, reports
):
    user = user_for(request, role)

    assert set(activity_areas_for(user).values_list("code", flat=True)) == areas_expected
    assert can_log_activities(user) is logs
    assert can_view_reports(user) is reports
