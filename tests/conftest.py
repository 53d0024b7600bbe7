"""Named people for every test (STYLE.md 8): who may and who may not.

The small city here has two wards (北区 with two tier-2 areas, 港区 with one);
users: a city staff member, a tier-1 coordinator of 北区, a tier-2 coordinator of
北区 第1圏域, a coordinator of 港区, a care manager, and anonymous visitors.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.cache import cache
from django.core.management import call_command

from portal.access import GROUP_CARE_MANAGER, GROUP_CITY_STAFF, GROUP_COORDINATOR
from portal.geo import reset_locator
from portal.models import Area, User
from resources.models import Category, Resource

PASSWORD = "test-pass-1234"


def square(lng: float, lat: float, size: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [lng, lat],
                [lng + size, lat],
                [lng + size, lat + size],
                [lng, lat + size],
                [lng, lat],
            ]
        ],
    }


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that flush the database (live server, transactional) run last.

    A flush empties the tables the migrations seeded (categories, role groups);
    pytest-django sorts transactional tests before the ones it takes for non-db
    tests, and some tests that reach the database only through fixtures land
    there, after a flush.
    """

    def flushes(item) -> bool:
        marker = item.get_closest_marker("django_db")
        return (
            "live_server" in item.fixturenames
            or "transactional_db" in item.fixturenames
            or bool(marker and marker.kwargs.get("transaction"))
        )

    items.sort(key=flushes)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts without the process-wide caches a previous test filled."""
    reset_locator()
    cache.clear()
    yield
    reset_locator()
    cache.clear()


@pytest.fixture
def kita(db) -> Area:
    return Area.objects.create(
        tier=1, code="27127", name="北区", kana="きたく", boundary=square(135.48, 34.69, 0.04)
    )


@pytest.fixture
def kita1(kita) -> Area:
    return Area.objects.create(
        tier=2,
        parent=kita,
        code="27127-1",
        name="北区 第1圏域",
        boundary=square(135.48, 34.69, 0.02),
    )


@pytest.fixture
def kita2(kita) -> Area:
    return Area.objects.create(
        tier=2,
        parent=kita,
        code="27127-2",
        name="北区 第2圏域",
        boundary=square(135.50, 34.71, 0.02),
    )


@pytest.fixture
def minato(db) -> Area:
    return Area.objects.create(
        tier=1, code="27107", name="港区", kana="みなとく", boundary=square(135.43, 34.65, 0.04)
    )


@pytest.fixture
def minato1(minato) -> Area:
    return Area.objects.create(
        tier=2,
        parent=minato,
        code="27107-1",
        name="港区 第1圏域",
        boundary=square(135.43, 34.65, 0.04),
    )


@pytest.fixture
def areas(kita, kita1, kita2, minato, minato1) -> dict[str, Area]:
    return {"kita": kita, "kita1": kita1, "kita2": kita2, "minato": minato, "minato1": minato1}


def make_user(username: str, group: str | None = None, areas=(), **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if areas:
        user.areas.set(areas)
    return user


@pytest.fixture
def city_staff(db) -> User:
    return make_user("city", GROUP_CITY_STAFF, is_staff=True, display_name="市 職員")


@pytest.fixture
def kita_coordinator(kita) -> User:
    return make_user("kita_coord", GROUP_COORDINATOR, [kita], is_staff=True)


@pytest.fixture
def kita1_coordinator(kita1) -> User:
    return make_user("kita1_coord", GROUP_COORDINATOR, [kita1], is_staff=True)


@pytest.fixture
def minato_coordinator(minato) -> User:
    return make_user("minato_coord", GROUP_COORDINATOR, [minato], is_staff=True)


@pytest.fixture
def care_manager(db) -> User:
    return make_user("caremanager", GROUP_CARE_MANAGER)


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def exercise(db) -> Category:
    return Category.objects.get(code="exercise")


def make_resource(**fields) -> Resource:
    categories = fields.pop("categories", [])
    defaults = {"resource_type": Resource.Type.SALON, "status": Resource.Status.ACTIVE}
    resource = Resource.objects.create(**{**defaults, **fields})
    if categories:
        resource.categories.set(categories)
    return resource


@pytest.fixture
def public_salon(kita1, exercise) -> Resource:
    return make_resource(
        name="梅田ふれあいサロン",
        kana="うめだふれあいさろん",
        lat=34.70,
        lng=135.49,
        categories=[exercise],
        contact_person="山田 花子",
        private_phone="090-1111-2222",
        internal_notes="鍵は管理人室",
    )


@pytest.fixture
def staff_only_cafe(kita1) -> Resource:
    return make_resource(
        name="非公開の準備中カフェ",
        resource_type=Resource.Type.DEMENTIA_CAFE,
        visibility=Resource.Visibility.STAFF,
        lat=34.701,
        lng=135.491,
        contact_person="佐藤 次郎",
    )


@pytest.fixture
def minato_salon(minato1) -> Resource:
    return make_resource(name="築港いきいき百歳体操", lat=34.66, lng=135.44)


@pytest.fixture
def demo_city(db, django_db_blocker):
    """The whole demo municipality, for tests that need real wards and 町丁."""
    call_command("load_demo", verbosity=0)
    reset_locator()
