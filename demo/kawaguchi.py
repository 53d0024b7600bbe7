"""The second demo municipality: 川口市, a city without wards (``load_demo --city kawaguchi``).

Set up as any city is (``resources.citysetup.city_setup``, what ``manage.py
setup_city`` runs): the real outline (国土数値情報) and 町丁 (e-Stat 2015 小地域)
of 川口市, and a 圏域 table made for the demo (fixtures/demo/
kawaguchi_kenniki_demo.csv: 20 日常生活圏域, one per 地域包括支援センター, an
invented division, labelled so in the file and on the site). Tier 1 is the city
itself; its 20 圏域 are tier 2.

The resources are fictitious, generated as the 大阪市 demo's are (demo.city),
each with a 川口市 address; their 圏域 comes from that address through the 町丁
table, as for a resource imported by address. Deterministic and idempotent.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from demo.city import CODE_PREFIX, DEMO_PASSWORD, DemoBuilder
from portal.models import AddressPoint, Area, User
from portal.municipality import municipality_save
from portal.roles import GROUP_CARE_MANAGER, GROUP_CITY_STAFF, GROUP_COORDINATOR
from portal.sheets import problems_text
from resources.citysetup import city_setup
from resources.models import Resource

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "demo"
OUTLINE_FILE = FIXTURES / "kawaguchi_city_outline.geojson"
CHOME_FILE = FIXTURES / "kawaguchi_city_chome_2015.csv"
TABLE_FILE = FIXTURES / "kawaguchi_kenniki_demo.csv"
CITY_NAME = "川口市"
CITY_CODE = "11203"
SEED = 11203
RESOURCE_TOTAL = 700  # about 川口市's share of the 大阪市 demo's 1,500 by population

# username -> (display name, group, area codes, is_staff, is_superuser). The
# coordinators' usernames are the ones the coordinators' demo gives the
# coordinator of each area (coord-<area code>), so that they log in to a
# profile with a year of activity.
KAWAGUCHI_USERS = {
    "admin": ("管理者", None, [], True, True),
    "city": ("市職員（長寿支援課）", GROUP_CITY_STAFF, [], True, False),
    "coord-11203": ("川口市 第1層コーディネーター", GROUP_COORDINATOR, ["11203"], True, False),
    "coord-11203-1": (
        "第2層コーディネーター（東川口圏域）",
        GROUP_COORDINATOR,
        ["11203-1"],
        True,
        False,
    ),
    "coord-11203-16": (
        "第2層コーディネーター（川口圏域）",
        GROUP_COORDINATOR,
        ["11203-16"],
        True,
        False,
    ),
    "caremanager": ("ケアマネジャー（居宅介護支援）", GROUP_CARE_MANAGER, [], False, False),
}


class DemoError(Exception):
    """The demo cannot be loaded here (said in Japanese)."""


def other_city_areas(codes: set[str]) -> list[str]:
    """Names of tier-1 areas that are not among ``codes``: another city's."""
    return list(Area.objects.tier1().exclude(code__in=codes).values_list("name", flat=True)[:5])


class KawaguchiBuilder(DemoBuilder):
    def __init__(self, *, stdout=None, resource_total: int = RESOURCE_TOTAL, records: bool = True):
        super().__init__(stdout=stdout, resource_total=resource_total)
        self.rng.seed(SEED)
        self.records = records  # coordinators' activity and councils

    @transaction.atomic
    def build(self) -> dict[str, int]:
        others = other_city_areas({CITY_CODE})
        if others:
            raise DemoError(
                f"このデータベースにはほかの自治体の区域（{'、'.join(others)}）があります。"
                "川口市のデモは、空のデータベースに読み込んでください"
                "（例: DATABASE_URL=sqlite:////tmp/kawaguchi.sqlite3）。"
            )
        result = city_setup(
            name=CITY_NAME,
            code=CITY_CODE,
            outline=OUTLINE_FILE.read_bytes(),
            chome=CHOME_FILE.read_bytes(),
            chome_filename=CHOME_FILE.name,
            table=TABLE_FILE.read_bytes(),
            table_filename=TABLE_FILE.name,
        )
        if not result.written:
            raise DemoError(problems_text(result.errors, limit=10))
        municipality_save(name_en="Kawaguchi City")
        self.say(f"川口市: {result.summary()}")
        users = self.make_users()
        created = self.make_resources(users)
        if self.records:
            from demo.coordinators import build_coordinators_demo
            from demo.councils import build_councils_demo

            build_coordinators_demo(say=self.say)
            build_councils_demo(say=self.say)
        return {
            "areas": Area.objects.count(),
            "address_points": AddressPoint.objects.count(),
            "resources": Resource.objects.filter(code__startswith=CODE_PREFIX).count(),
            "resources_created": created,
        }

    def make_users(self) -> dict[str, User]:
        users = {}
        for username, spec in KAWAGUCHI_USERS.items():
            display, group, area_codes, is_staff, is_superuser = spec
            user, _ = User.objects.get_or_create(username=username)
            user.display_name = display
            user.is_staff, user.is_superuser = is_staff, is_superuser
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=group)] if group else [])
            user.areas.set(Area.objects.filter(code__in=area_codes))
            users[username] = user
        return users

    def make_resources(self, users: dict[str, User]) -> int:
        # demo.city's generator supports its resources with the demo's three
        # coordinators; here they are the 川口市 ones.
        return super().make_resources(
            {
                "kita_coord": users["coord-11203"],
                "kita1_coord": users["coord-11203-1"],
                "minato_coord": users["coord-11203-16"],
            }
        )

    def _address(self, ward: Area, point: AddressPoint) -> str:
        if re.search(r"[0-9０-９]丁目$", point.name):
            return f"{CITY_NAME}{point.name}{self.rng.randint(1, 30)}-{self.rng.randint(1, 25)}"
        return f"{CITY_NAME}{point.name}{self.rng.randint(1, 2500)}"

    def _phone(self) -> str:
        # 048-000-xxxx: the 000 exchange is not assigned, so no real line is printed.
        return f"048-000-{self.rng.randint(1000, 9999)}"

    def _consultation(self, serial: int, ward: Area, area: Area, point: AddressPoint):
        resource, *rest = super()._consultation(serial, ward, area, point)
        name = f"{area.name.removesuffix('圏域')}地域包括支援センター"
        resource.name = resource.venue = resource.contact_name = name
        resource.kana = "ちいきほうかつしえんせんたー"
        resource.organiser = f"社会福祉法人 {area.name.removesuffix('圏域')}福祉会"
        return (resource, *rest)


def kawaguchi_credentials() -> list[tuple[str, str, str]]:
    return [(username, DEMO_PASSWORD, spec[0]) for username, spec in KAWAGUCHI_USERS.items()]
