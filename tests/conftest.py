"""Named people for every test (STYLE.md 8): who may and who may not.

The small city here has two wards (北区 with two tier-2 areas, 港区 with one);
users: a city staff member, a tier-1 coordinator of 北区, a tier-2 coordinator of
北区 第1圏域, a coordinator of 港区, a care manager, and anonymous visitors.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.cache import cache
from django.core.management import call_command

from coordinators.models import Affiliation, Function, Kind, Source
from coordinators.services import activity_log, coordinator_save
from councils.models import Council, CouncilMember, Meeting
from portal.cache import data_changed, forget_process_values
from portal.models import AddressPoint, Area, User
from portal.roles import GROUP_CARE_MANAGER, GROUP_CITY_STAFF, GROUP_COORDINATOR
from resources.models import Category, Resource, ScheduleRule
from resources.services import resource_create, schedule_rule_save

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
def _fast_password_hashing(settings):
    # PBKDF2 takes about 0.4 s per named user; the tests check access, not hashing
    # (tests/portal/test_login.py logs in through the real form all the same).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests use a database file, not memory: a real worker process
    (tests/portal/test_job_worker.py) and the live server's threads then read the
    same database as the test. TEST_DATABASE_NAME still names one."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not database["TEST"].get("NAME"):
        database["TEST"]["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings):
    """Jobs run inside the request that starts them (Django's immediate backend),
    without a heartbeat thread; the tests of the worker itself choose a real backend."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": [],  # any: tests of the worker use queues of their own
        }
    }
    settings.JOB_HEARTBEAT_SECONDS = 0


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts without the caches a previous test filled (its rolled-back
    writes leave the data version where it was)."""
    forget_process_values()
    cache.clear()
    yield
    forget_process_values()
    cache.clear()


def make_area(**fields) -> Area:
    """An area, written as every writer of areas writes one (the admin, the area
    import): with a move of the data version, so that the locator follows."""
    area = Area.objects.create(**fields)
    data_changed()
    return area


def make_address_point(**fields) -> AddressPoint:
    """A 町丁, written as the 町丁 loader and the admin write one (the version moves)."""
    point = AddressPoint.objects.create(**fields)
    data_changed()
    return point


@pytest.fixture
def kita(db) -> Area:
    return make_area(
        tier=1, code="27127", name="北区", kana="きたく", boundary=square(135.48, 34.69, 0.04)
    )


@pytest.fixture
def kita1(kita) -> Area:
    return make_area(
        tier=2,
        parent=kita,
        code="27127-1",
        name="北区 第1圏域",
        boundary=square(135.48, 34.69, 0.02),
    )


@pytest.fixture
def kita2(kita) -> Area:
    return make_area(
        tier=2,
        parent=kita,
        code="27127-2",
        name="北区 第2圏域",
        boundary=square(135.50, 34.71, 0.02),
    )


@pytest.fixture
def minato(db) -> Area:
    return make_area(
        tier=1, code="27107", name="港区", kana="みなとく", boundary=square(135.43, 34.65, 0.04)
    )


@pytest.fixture
def minato1(minato) -> Area:
    return make_area(
        tier=2,
        parent=minato,
        code="27107-1",
        name="港区 第1圏域",
        boundary=square(135.43, 34.65, 0.04),
    )


@pytest.fixture
def areas(kita, kita1, kita2, minato, minato1) -> dict[str, Area]:
    return {"kita": kita, "kita1": kita1, "kita2": kita2, "minato": minato, "minato1": minato1}


# 町丁 (address points) of the small city, for address look-up ---------------------


@pytest.fixture
def umeda(kita1) -> AddressPoint:
    """梅田１丁目 lies in 北区 第1圏域."""
    return make_address_point(
        code="27127001",
        city="大阪市",
        ward="北区",
        name="梅田１丁目",
        lat=34.7005,
        lng=135.4905,
        area=kita1,
    )


@pytest.fixture
def tenma(kita2) -> AddressPoint:
    """天満２丁目 lies in 北区 第2圏域."""
    return make_address_point(
        code="27127002",
        city="大阪市",
        ward="北区",
        name="天満２丁目",
        lat=34.7205,
        lng=135.5105,
        area=kita2,
    )


@pytest.fixture
def minato_umeda(minato1) -> AddressPoint:
    """A 町丁 of the same name in another ward: the ward in the address decides."""
    return make_address_point(
        code="27107001",
        city="大阪市",
        ward="港区",
        name="梅田1丁目",
        lat=34.66,
        lng=135.44,
        area=minato1,
    )


@pytest.fixture
def town_blocks(areas) -> None:
    """Two 町丁 of 北区 as a spreadsheet's addresses name them (梅田１丁目 in 第1圏域,
    中崎西２丁目 in 第2圏域), so that imported addresses find their area and point."""
    make_address_point(
        code="27127001001",
        city="大阪市",
        ward="北区",
        name="梅田１丁目",
        lat=34.700,
        lng=135.495,
        area=areas["kita1"],
    )
    make_address_point(
        code="27127002002",
        city="大阪市",
        ward="北区",
        name="中崎西２丁目",
        lat=34.712,
        lng=135.505,
        area=areas["kita2"],
    )


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
    """A resource written through the service, as the admin and the editors write one."""
    defaults = {"resource_type": Resource.Type.SALON, "status": Resource.Status.ACTIVE}
    return resource_create(**{**defaults, **fields})


def add_schedule(**fields) -> ScheduleRule:
    """A schedule rule of ``resource``, added through the service (the summary of the
    resource's weekdays and times follows)."""
    return schedule_rule_save(rule=ScheduleRule(**fields))


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


# Coordinators, their activities and councils ----------------------------------
#
# ``profiles`` makes coordinator profiles of the named coordinators (and one for
# 北区 第2圏域). ``report_year`` is the known set of activities, councils and
# resources of 令和6年度 (2024) that the report tests count by hand. ``councils``:
# 北区's tier-1 council, 北区 第1・第2圏域's and 港区 第1圏域's tier-2 ones, each
# with a member; ``meetings`` one meeting of each.

ACTIVE_FROM = date(2020, 4, 1)


@pytest.fixture
def affiliations(db) -> dict[str, Affiliation]:
    return {
        "kita1": Affiliation.objects.create(name="北区第1地域包括支援センター", sort_order=10),
        "kita2": Affiliation.objects.create(name="北区第2地域包括支援センター", sort_order=20),
        "kita": Affiliation.objects.create(name="北区社会福祉協議会", sort_order=30),
        "minato": Affiliation.objects.create(name="港区社会福祉協議会", sort_order=40),
    }


@pytest.fixture
def kita2_coordinator(kita2):
    return make_user("kita2_coord", GROUP_COORDINATOR, [kita2], is_staff=True)


@pytest.fixture
def profiles(
    areas, affiliations, kita_coordinator, kita1_coordinator, kita2_coordinator, minato_coordinator
):
    def profile(user, tier, area, affiliation):
        return coordinator_save(
            user=user, tier=tier, areas=[area], affiliation=affiliation, active_from=ACTIVE_FROM
        )

    return {
        "kita": profile(kita_coordinator, 1, areas["kita"], affiliations["kita"]),
        "kita1": profile(kita1_coordinator, 2, areas["kita1"], affiliations["kita1"]),
        "kita2": profile(kita2_coordinator, 2, areas["kita2"], affiliations["kita2"]),
        "minato": profile(minato_coordinator, 1, areas["minato"], affiliations["minato"]),
    }


def log(profile, area, day, kind, functions, count=1, **extra):
    return activity_log(
        created_by=profile.user,
        coordinator=profile,
        date=day,
        kind=kind,
        functions=functions,
        count=count,
        area=area,
        **extra,
    )


@pytest.fixture
def report_year(profiles, areas):
    """令和6年度 (2024-04-01 … 2025-03-31), counted by hand in test_reports.py."""
    kita, kita1, kita2, minato, minato1 = (
        areas["kita"],
        areas["kita1"],
        areas["kita2"],
        areas["minato"],
        areas["minato1"],
    )
    p = profiles
    cat = {c.code: c for c in Category.objects.all()}
    resources = {
        "r1": make_resource(
            name="梅田いきいき百歳体操",
            area=kita1,
            area_locked=True,
            origin=Resource.Origin.NEW,
            origin_date=date(2024, 5, 1),
            categories=[cat["exercise"], cat["social"]],
        ),
        "r2": make_resource(
            name="中津買い物ツアー",
            area=kita1,
            area_locked=True,
            origin=Resource.Origin.NEW,
            origin_date=date(2025, 3, 31),
            categories=[cat["shopping"]],
        ),
        "r3": make_resource(
            name="天満ふれあい喫茶",
            area=kita2,
            area_locked=True,
            origin=Resource.Origin.EXPANDED,
            origin_date=date(2024, 4, 1),
            categories=[cat["social"]],
        ),
        "r4": make_resource(
            name="扇町お助け隊",
            area=kita2,
            area_locked=True,
            origin=Resource.Origin.EXPANDED,
            origin_date=date(2024, 9, 9),
        ),
        "r5": make_resource(
            name="築港囲碁の会",
            area=minato1,
            area_locked=True,
            origin=Resource.Origin.NEW,
            origin_date=date(2024, 10, 10),
            categories=[cat["hobby"]],
        ),
        # Outside the year or not a creation: never counted.
        "r6": make_resource(
            name="前年度のサロン",
            area=kita1,
            area_locked=True,
            origin=Resource.Origin.NEW,
            origin_date=date(2024, 3, 31),
            categories=[cat["social"]],
        ),
        "r7": make_resource(
            name="既存の体操",
            area=kita1,
            area_locked=True,
            origin=Resource.Origin.EXISTING,
            origin_date=date(2024, 6, 1),
            categories=[cat["exercise"]],
        ),
        "r8": make_resource(
            name="翌年度のカフェ",
            area=kita1,
            area_locked=True,
            origin=Resource.Origin.NEW,
            origin_date=date(2025, 4, 1),
            categories=[cat["social"]],
        ),
    }
    activities = {
        "a1": log(p["kita1"], kita1, date(2024, 4, 10), Kind.VISIT, [Function.ASSESSMENT], 3),
        "a2": log(
            p["kita1"],
            kita1,
            date(2024, 4, 20),
            Kind.VISIT,
            [Function.ASSESSMENT, Function.RUNNING],
            2,
        ),
        "a3": log(
            p["kita1"],
            kita1,
            date(2024, 5, 1),
            Kind.CONSULTATION,
            [Function.INDIVIDUAL],
            1,
            source=Source.SALON,
            heard="買い物できる店を知りたい",
            response="地域情報マップを案内した",
            is_case_example=True,
        ),
        "a4": log(
            p["kita2"],
            kita2,
            date(2024, 12, 5),
            Kind.WORKSHOP,
            [Function.CARERS, Function.AWARENESS],
            1,
        ),
        "a5": log(
            p["kita"], kita, date(2025, 3, 31), Kind.MEETING, [Function.NETWORK, Function.TIER2], 1
        ),
        "a6": log(p["kita"], kita, date(2025, 1, 15), Kind.SYMPOSIUM, [Function.AWARENESS], 1),
        "a7": log(
            p["minato"],
            minato1,
            date(2024, 6, 30),
            Kind.VISIT,
            [Function.ASSESSMENT, Function.LAUNCH],
            5,
            resources=[resources["r5"]],
            source=Source.NEIGHBOURHOOD,
            source_note="町会長",
            heard="集まる場所がほしい",
            response="囲碁の会の立ち上げを支援した",
            is_case_example=True,
        ),
        "a8": log(p["minato"], minato, date(2024, 6, 1), Kind.CONSULTATION, [Function.MATCHING], 4),
        "a9": log(p["kita1"], kita1, date(2024, 3, 31), Kind.VISIT, [Function.ASSESSMENT], 7),
        "a10": log(p["kita1"], kita1, date(2025, 4, 1), Kind.VISIT, [Function.ASSESSMENT], 9),
        "a11": log(p["kita1"], kita1, date(2024, 8, 8), Kind.TRAINING, [Function.CARERS], 2),
        "a12": log(p["kita1"], kita1, date(2024, 10, 10), Kind.EVENT, [Function.AWARENESS], 1),
    }
    c1 = Council.objects.create(
        tier=1,
        area=kita,
        name="北区生活支援体制推進会議",
        business_start_fy=2017,
        established_on=date(2017, 11, 1),
        origin=Council.Origin.EXISTING,
        existing_body="支援ネットワーク会議",
    )
    c2 = Council.objects.create(
        tier=2, area=kita1, name="北区第1圏域 支え合い会議", established_on=date(2019, 6, 1)
    )
    c3 = Council.objects.create(
        tier=2, area=kita2, name="北区第2圏域 支え合い会議", established_on=date(2025, 6, 1)
    )
    c5 = Council.objects.create(
        tier=2, area=minato1, name="港区第1圏域 協議体", established_on=date(2020, 1, 1)
    )
    for council, day in [
        (c1, date(2024, 6, 5)),
        (c1, date(2025, 1, 20)),
        (c1, date(2025, 2, 10)),
        (c2, date(2024, 7, 1)),
        (c2, date(2024, 11, 11)),
        (c5, date(2024, 7, 15)),
        (c1, date(2024, 3, 15)),
        (c2, date(2025, 4, 2)),
    ]:
        Meeting.objects.create(council=council, date=day)
    return {"resources": resources, "activities": activities, "councils": [c1, c2, c3, c5]}


@pytest.fixture
def councils(areas):
    kita = Council.objects.create(
        tier=1,
        area=areas["kita"],
        name="北区生活支援体制推進会議",
        established_on=date(2017, 11, 1),
    )
    kita1 = Council.objects.create(
        tier=2,
        area=areas["kita1"],
        name="北区第1圏域 支え合い会議",
        established_on=date(2019, 6, 1),
    )
    kita2 = Council.objects.create(
        tier=2,
        area=areas["kita2"],
        name="北区第2圏域 支え合い会議",
        established_on=date(2019, 6, 1),
    )
    minato1 = Council.objects.create(
        tier=2, area=areas["minato1"], name="港区第1圏域 協議体", established_on=date(2020, 1, 1)
    )
    for council in (kita, kita1, kita2, minato1):
        CouncilMember.objects.create(
            council=council, name=f"{council.area.name}の民生委員", sector="commissioner"
        )
    return {"kita": kita, "kita1": kita1, "kita2": kita2, "minato1": minato1}


@pytest.fixture
def meetings(councils):
    return {
        name: Meeting.objects.create(
            council=council, date=date(2025, 6, 10), minutes=f"{council.name}の議事録"
        )
        for name, council in councils.items()
    }
