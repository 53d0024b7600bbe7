"""load_demo --city kawaguchi: the second demo, a city without wards."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from coordinators.models import Activity
from councils.models import Council
from portal.geo import locator
from portal.models import AddressPoint, Area, Municipality, User
from portal.municipality import city
from resources.models import Resource


@pytest.mark.slow
def test_the_kawaguchi_demo_is_one_city_with_20_districts_and_is_idempotent(db, capsys):
    call_command("load_demo", "--city", "kawaguchi")
    output = capsys.readouterr().out

    assert list(Area.objects.tier1().values_list("code", "name")) == [("11203", "川口市")]
    districts = Area.objects.tier2()
    assert districts.count() == 20
    assert all(d.name.endswith("圏域") and d.boundary and d.population for d in districts)
    assert AddressPoint.objects.count() == 272
    assert not AddressPoint.objects.exclude(area__tier=2).exists()
    current = city()
    assert (current.name, current.prefecture, current.code, current.has_wards) == (
        "川口市",
        "埼玉県",
        "112038",
        False,
    )
    assert Municipality.objects.get().name_en == "Kawaguchi City"

    resources = Resource.objects.select_related("area")
    assert 650 <= resources.count() <= 750
    # Each resource is in the 圏域 of the 町丁 its address names.
    index = locator()
    for resource in resources:
        assert resource.address.startswith("川口市")
        assert resource.area.tier == 2
        assert index.match_address(resource.address).area_id == resource.area_id
    centres = resources.filter(resource_type=Resource.Type.CONSULTATION)
    assert centres.count() == 20
    assert set(centres.values_list("area__name", flat=True)) == set(
        districts.values_list("name", flat=True)
    )
    assert centres.filter(name="東川口地域包括支援センター", area__name="東川口圏域").exists()

    for username in ("admin", "city", "coord-11203", "coord-11203-1", "caremanager"):
        assert username in output
        assert User.objects.get(username=username).check_password("chiiki-demo-2026")
    assert Activity.objects.filter(coordinator__user__username="coord-11203-1").exists()
    assert Council.objects.filter(area__code="11203", established_by="川口市").exists()

    snapshot = list(resources.order_by("code").values_list("code", "area__code", "lat"))
    call_command("load_demo", "--city", "kawaguchi", verbosity=0)
    assert Area.objects.count() == 21
    assert list(resources.order_by("code").values_list("code", "area__code", "lat")) == snapshot


def test_the_kawaguchi_demo_refuses_a_database_of_another_city(db):
    Area.objects.create(tier=1, code="27127", name="北区")

    with pytest.raises(CommandError, match="ほかの自治体の区域（北区）があります"):
        call_command("load_demo", "--city", "kawaguchi", verbosity=0)

    assert Area.objects.count() == 1


def test_the_osaka_demo_refuses_a_database_of_another_city(db):
    Area.objects.create(tier=1, code="11203", name="川口市")

    with pytest.raises(CommandError, match="ほかの自治体の区域（川口市）があります"):
        call_command("load_demo", verbosity=0)
