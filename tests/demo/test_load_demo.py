"""The demo municipality: what `make run` shows a new user."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

from portal.models import AddressPoint, Area, User
from resources.models import Resource

pytestmark = pytest.mark.slow


def test_load_demo_builds_osaka_and_is_idempotent(db, capsys):
    call_command("load_demo")
    first_output = capsys.readouterr().out

    wards = Area.objects.tier1()
    assert wards.count() == 24
    assert set(wards.values_list("name", flat=True)) >= {"北区", "港区", "平野区", "中央区"}
    assert all(w.boundary and w.population for w in wards)
    per_ward = dict(wards.annotate(n=Count("children")).values_list("name", "n"))
    assert all(2 <= n <= 4 for n in per_ward.values()), per_ward
    kita1 = Area.objects.get(code="27127-1")
    assert kita1.name == "北区 第1圏域"
    assert kita1.parent.name == "北区"
    assert kita1.boundary["type"] in ("Polygon", "MultiPolygon")
    # Tier-2 populations add up to the ward's.
    kita = kita1.parent
    assert sum(c.population for c in kita.children.all()) == kita.population

    assert AddressPoint.objects.count() > 1900
    assert not AddressPoint.objects.filter(area__isnull=True).exists()

    resources = Resource.objects.all()
    total = resources.count()
    assert 1400 <= total <= 1600
    staff_only = resources.filter(visibility=Resource.Visibility.STAFF).count()
    assert 0.07 * total <= staff_only <= 0.13 * total
    assert set(resources.values_list("status", flat=True)) == set(Resource.Status.values)
    assert set(resources.values_list("resource_type", flat=True)) >= {
        "salon",
        "exercise",
        "dementia_cafe",
        "life_support",
        "care_office",
        "consultation",
    }
    years = {
        d.year for d in resources.exclude(origin_date=None).values_list("origin_date", flat=True)
    }
    assert min(years) <= 2015 and max(years) >= 2024
    # Every resource is placed in a tier-2 area of the ward its address names.
    assert not resources.filter(area__isnull=True).exists()
    for resource in resources.select_related("area__parent")[:200]:
        assert resource.area.tier == 2
        assert resource.area.parent.name in resource.address
    assert all(r.schedules.exists() for r in resources[:50])

    for username in ("admin", "city", "kita_coord", "kita1_coord", "minato_coord", "caremanager"):
        assert username in first_output
        assert User.objects.get(username=username).check_password("chiiki-demo-2026")

    snapshot = list(resources.order_by("code").values_list("code", "name", "area__code", "lat"))
    call_command("load_demo")
    assert Area.objects.count() == 24 + sum(per_ward.values())
    assert (
        list(Resource.objects.order_by("code").values_list("code", "name", "area__code", "lat"))
        == snapshot
    )


def test_load_demo_if_empty_leaves_an_existing_city_alone(db, capsys):
    Area.objects.create(tier=1, code="11203", name="川口市")
    call_command("load_demo", "--if-empty")
    assert "省略" in capsys.readouterr().out
    assert Area.objects.count() == 1
