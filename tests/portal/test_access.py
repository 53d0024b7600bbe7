"""portal/access.py: every role against every action of the access policy.

The city of tests/conftest.py: 北区 (第1圏域, 第2圏域) and 港区 (第1圏域).
Resources used here, one per place a coordinator's reach can end:
- public_salon and staff_only_cafe in 北区 第1圏域,
- kita2_salon in 北区 第2圏域,
- kita_ward_salon in 北区 itself (a point outside both tier-2 areas),
- minato_salon in 港区 第1圏域.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.models import Area, User
from portal.roles import areas_served_by, can_see_staff_only, role_label
from resources.policy import (
    STAFF_ONLY_FIELDS,
    resource_for_user,
    resources_editable_by,
    resources_visible_to,
)
from resources.presenter import resource_fields
from tests.conftest import make_resource, make_user

ALL_RESOURCES = {
    "public_salon",
    "staff_only_cafe",
    "kita2_salon",
    "kita_ward_salon",
    "minato_salon",
}
PUBLIC_RESOURCES = ALL_RESOURCES - {"staff_only_cafe"}
KITA1_RESOURCES = {"public_salon", "staff_only_cafe"}
KITA_RESOURCES = KITA1_RESOURCES | {"kita2_salon", "kita_ward_salon"}
ALL_AREAS = {"kita", "kita1", "kita2", "minato", "minato1"}

VISIBLE = {
    "anonymous": PUBLIC_RESOURCES,
    "plain_user": PUBLIC_RESOURCES,
    "care_manager": ALL_RESOURCES,
    "kita1_coordinator": ALL_RESOURCES,
    "kita_coordinator": ALL_RESOURCES,
    "minato_coordinator": ALL_RESOURCES,
    "city_staff": ALL_RESOURCES,
    "superuser": ALL_RESOURCES,
}
EDITABLE = {
    "anonymous": set(),
    "plain_user": set(),
    "care_manager": set(),
    "kita1_coordinator": KITA1_RESOURCES,
    "kita_coordinator": KITA_RESOURCES,
    "minato_coordinator": {"minato_salon"},
    "city_staff": ALL_RESOURCES,
    "superuser": ALL_RESOURCES,
}
EDITABLE_AREAS = {
    "anonymous": set(),
    "plain_user": set(),
    "care_manager": set(),
    "kita1_coordinator": {"kita1"},
    "kita_coordinator": {"kita", "kita1", "kita2"},
    "minato_coordinator": {"minato", "minato1"},
    "city_staff": ALL_AREAS,
    "superuser": ALL_AREAS,
}
ROLES = list(VISIBLE)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(username="admin", password="x", email="a@example.jp")


@pytest.fixture
def plain_user(db) -> User:
    """Logged in, but in no role group: no more than an anonymous visitor."""
    return make_user("plain")


@pytest.fixture
def kita2_salon(kita2):
    return make_resource(name="天満うたごえ喫茶", lat=34.72, lng=135.51)


@pytest.fixture
def kita_ward_salon(kita):
    return make_resource(name="北区ボランティア買い物支援", lat=34.72, lng=135.485)


@pytest.fixture
def city(areas, public_salon, staff_only_cafe, kita2_salon, kita_ward_salon, minato_salon):
    """Every area and resource, by the names the tables above use."""
    resources = {
        "public_salon": public_salon,
        "staff_only_cafe": staff_only_cafe,
        "kita2_salon": kita2_salon,
        "kita_ward_salon": kita_ward_salon,
        "minato_salon": minato_salon,
    }
    return {"areas": areas, "resources": resources}


def names_of(queryset, named: dict) -> set[str]:
    pks = set(queryset.values_list("pk", flat=True))
    return {name for name, obj in named.items() if obj.pk in pks}


def test_the_fixture_resources_sit_in_the_areas_the_tables_assume(city):
    areas, resources = city["areas"], city["resources"]

    assert resources["public_salon"].area == areas["kita1"]
    assert resources["kita2_salon"].area == areas["kita2"]
    assert resources["kita_ward_salon"].area == areas["kita"]
    assert resources["minato_salon"].area == areas["minato1"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_resources(role, request, city):
    user = request.getfixturevalue(role)

    assert names_of(resources_visible_to(user), city["resources"]) == VISIBLE[role]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_edits_exactly_its_resources(role, request, city):
    user = request.getfixturevalue(role)

    assert names_of(resources_editable_by(user), city["resources"]) == EDITABLE[role]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_edits_exactly_its_areas(role, request, city):
    user = request.getfixturevalue(role)

    assert names_of(areas_served_by(user), city["areas"]) == EDITABLE_AREAS[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_resource_for_user_gives_allowed_resources_and_404_for_the_rest(role, write, request, city):
    user = request.getfixturevalue(role)
    allowed = EDITABLE[role] if write else VISIBLE[role]

    for name, resource in city["resources"].items():
        if name in allowed:
            assert resource_for_user(user, resource.pk, write=write) == resource
        else:
            with pytest.raises(Http404):
                resource_for_user(user, resource.pk, write=write)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_a_missing_resource_is_404_like_a_forbidden_one(role, write, request, city):
    user = request.getfixturevalue(role)
    missing = max(r.pk for r in city["resources"].values()) + 1

    with pytest.raises(Http404) as forbidden_or_missing:
        resource_for_user(user, missing, write=write)

    assert not isinstance(forbidden_or_missing.value, PermissionDenied)


@pytest.mark.parametrize("bad_pk", ["abc", None, "1; DROP TABLE"])
def test_a_malformed_id_is_404_too(bad_pk, city_staff, city):
    with pytest.raises(Http404):
        resource_for_user(city_staff, bad_pk)


def test_forbidden_and_missing_answer_with_the_same_message(minato_coordinator, city):
    kita_salon = city["resources"]["public_salon"]
    with pytest.raises(Http404) as forbidden:
        resource_for_user(minato_coordinator, kita_salon.pk, write=True)
    with pytest.raises(Http404) as missing:
        resource_for_user(minato_coordinator, 999_999, write=True)

    assert str(forbidden.value) == str(missing.value)


def test_a_tier1_coordinator_also_edits_a_tier2_area_added_later(kita_coordinator, kita):
    later = Area.objects.create(tier=2, parent=kita, code="27127-9", name="北区 第9圏域")
    resource = make_resource(name="新しい圏域の体操", area=later, area_locked=True)

    assert later in areas_served_by(kita_coordinator)
    assert resource_for_user(kita_coordinator, resource.pk, write=True) == resource


def test_a_tier2_coordinator_does_not_edit_the_ward_level_resources(kita1_coordinator, city):
    with pytest.raises(Http404):
        resource_for_user(kita1_coordinator, city["resources"]["kita_ward_salon"].pk, write=True)


def test_a_coordinator_of_no_area_edits_nothing(city):
    from portal.roles import GROUP_COORDINATOR

    unassigned = make_user("new_coord", GROUP_COORDINATOR, is_staff=True)

    assert not areas_served_by(unassigned).exists()
    assert not resources_editable_by(unassigned).exists()


def test_admin_site_access_alone_does_not_show_staff_only_data(db):
    staff_without_role = make_user("clerk", is_staff=True)

    assert not can_see_staff_only(staff_without_role)


@pytest.fixture
def record(kita_coordinator, city_staff):
    return make_resource(
        name="梅田ふれあいサロン",
        contact_phone="06-1234-5678",
        contact_person="secret contact_person",
        private_phone="secret private_phone",
        internal_notes="secret internal_notes",
        supporting_coordinator=kita_coordinator,
        verified_by=city_staff,
    )


def staff_only_values(view) -> dict:
    return {name: view[name] for name in STAFF_ONLY_FIELDS if name in view}


@pytest.mark.parametrize("role", ["anonymous", "plain_user"])
def test_the_presenter_gives_the_public_no_staff_only_field(role, request, record):
    view = resource_fields(record, request.getfixturevalue(role))

    assert (view["name"], view["contact_phone"]) == ("梅田ふれあいサロン", "06-1234-5678")
    assert staff_only_values(view) == {}
    for name in STAFF_ONLY_FIELDS:
        assert name not in set(view)
        with pytest.raises(KeyError):
            view[name]


@pytest.mark.parametrize(
    "role", ["kita1_coordinator", "minato_coordinator", "city_staff", "superuser"]
)
def test_the_presenter_gives_those_in_charge_every_field(role, request, record):
    view = resource_fields(record, request.getfixturevalue(role))

    assert staff_only_values(view) == {
        "contact_person": "secret contact_person",
        "private_phone": "secret private_phone",
        "internal_notes": "secret internal_notes",
        "supporting_coordinator": record.supporting_coordinator,
        "verified_by": record.verified_by,
    }


def test_a_care_manager_reads_the_contact_person_but_not_internal_notes(care_manager, record):
    view = resource_fields(record, care_manager)

    assert staff_only_values(view) == {
        "contact_person": "secret contact_person",
        "private_phone": "secret private_phone",
    }


def test_presenting_a_resource_does_not_change_it(anonymous, record):
    before = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}

    dict(resource_fields(record, anonymous))

    assert {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields} == before


@pytest.mark.parametrize(
    ("role", "label"),
    [
        ("anonymous", ""),
        ("plain_user", "一般"),
        ("care_manager", "関係者"),
        ("kita_coordinator", "生活支援コーディネーター"),
        ("city_staff", "市職員"),
        ("superuser", "管理者"),
    ],
)
def test_role_label_names_the_role_shown_in_the_header(role, label, request):
    assert role_label(request.getfixturevalue(role)) == label
