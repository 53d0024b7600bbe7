"""portal/cache.py: values kept in a process follow the data version, and nothing
else: no timer, no signal. A write seen by another process is seen here on the
next call."""

from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F

from portal.cache import data_changed, versioned_value
from portal.geo import locator
from portal.models import Area, DataVersion
from resources.search import reference_lists
from tests.conftest import make_area, make_user, square

MINATO = {"tier": 1, "code": "27107", "name": "港区", "boundary": square(135.43, 34.65, 0.04)}


def test_a_value_is_built_once_per_data_version(db):
    builds = []

    @versioned_value
    def numbers() -> list[int]:
        builds.append(1)
        return [len(builds)]

    assert numbers() == numbers() == [1]

    data_changed()

    assert numbers() == [2]
    assert len(builds) == 2


def test_the_locator_keeps_its_areas_until_the_version_moves(kita):
    first = locator()
    # A write past the services: no signal tells the locator.
    Area.objects.create(**MINATO)

    assert locator() is first
    assert len(first.tier1) == 1

    # Another process's write moves the version in the database; this process
    # learns of it only from there.
    DataVersion.objects.filter(pk=1).update(version=F("version") + 1)

    assert {Area.objects.get(pk=pk).code for pk in locator().tier1} == {"27127", "27107"}
    found = locator().locate(lat=34.66, lng=135.44)
    assert Area.objects.get(pk=found.area_id).code == "27107"


@pytest.mark.django_db(transaction=True)
def test_areas_imported_by_another_worker_are_used_on_the_next_call():
    make_area(tier=1, code="27127", name="北区", boundary=square(135.48, 34.69, 0.04))
    assert locator().locate(lat=34.66, lng=135.44).method == "nearest"  # no 港区 yet
    # Another worker: its own connection writes the area and moves the version
    # (as the area import does), and commits. Nothing runs in this process.
    settings = connections[DEFAULT_DB_ALIAS].settings_dict
    other = connections[DEFAULT_DB_ALIAS].__class__(settings, alias="other-worker")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "UPDATE portal_area SET boundary = %s, code = %s, name = %s WHERE code = %s",
                [_json(MINATO["boundary"]), "27107", "港区", "27127"],
            )
            cursor.execute("UPDATE portal_dataversion SET version = version + 1")
    finally:
        other.close()

    found = locator().locate(lat=34.66, lng=135.44)

    assert found.method == "polygon"
    assert Area.objects.get(pk=found.area_id).code == "27107"


def test_a_category_added_in_the_admin_is_in_the_reference_lists_at_once(client, db):
    admin_user = make_user("admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    before = [c.name for c in reference_lists()["categories"]]

    response = client.post(
        "/admin/resources/category/add/",
        {"code": "garden", "name": "園芸", "group": "prevention", "color": "#336633",
         "sort_order": "999"},
    )  # fmt: skip

    assert response.status_code == 302
    after = [c.name for c in reference_lists()["categories"]]
    assert "園芸" not in before and after[-1] == "園芸"


def test_an_area_added_in_the_admin_is_used_by_the_locator_at_once(client, kita):
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    assert locator().locate(lat=34.66, lng=135.44).method == "nearest"

    response = client.post(
        "/admin/portal/area/add/",
        {"tier": "1", "code": "27107", "name": "港区", "kana": "", "sort_order": "0",
         "boundary": _json(MINATO["boundary"]), "population": "", "elderly_population": "",
         "centroid_lat": "", "centroid_lng": ""},
    )  # fmt: skip

    assert response.status_code == 302, response.context["adminform"].form.errors
    found = locator().locate(lat=34.66, lng=135.44)
    assert (found.method, Area.objects.get(pk=found.area_id).code) == ("polygon", "27107")


def _json(value) -> str:
    import json

    return json.dumps(value)
