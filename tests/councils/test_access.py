"""portal/access.py, councils: who sees and who edits which council."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from councils.policy import council_for_user, councils_editable_by, councils_visible_to

VISIBLE = {
    "anonymous": set(),
    "care_manager": set(),
    "kita1_coordinator": {"kita", "kita1"},
    "kita_coordinator": {"kita", "kita1", "kita2"},
    "minato_coordinator": {"minato1"},
    "city_staff": {"kita", "kita1", "kita2", "minato1"},
}
EDITABLE = {
    "anonymous": set(),
    "care_manager": set(),
    "kita1_coordinator": {"kita1"},
    "kita_coordinator": {"kita", "kita1", "kita2"},
    "minato_coordinator": {"minato1"},
    "city_staff": {"kita", "kita1", "kita2", "minato1"},
}


def user_for(request, role):
    return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)


def names(queryset, councils):
    pks = set(queryset.values_list("pk", flat=True))
    return {name for name, council in councils.items() if council.pk in pks}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_each_role_sees_its_areas_councils_and_its_wards_tier1_council(request, role, councils):
    assert names(councils_visible_to(user_for(request, role)), councils) == VISIBLE[role]


@pytest.mark.parametrize("role", list(EDITABLE))
def test_each_role_edits_the_councils_of_the_areas_it_serves(request, role, councils):
    assert names(councils_editable_by(user_for(request, role)), councils) == EDITABLE[role]


def test_forbidden_and_missing_councils_are_both_404(councils, kita1_coordinator):
    with pytest.raises(Http404):
        council_for_user(kita1_coordinator, councils["minato1"].pk)
    with pytest.raises(Http404):
        council_for_user(kita1_coordinator, 999999)
    with pytest.raises(Http404):
        council_for_user(kita1_coordinator, councils["kita"].pk, write=True)
