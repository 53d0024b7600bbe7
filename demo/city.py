"""The demo municipality: 大阪市's real wards and 町丁, fictitious tier-2 areas,
resources and users. Deterministic (a fixed seed) and idempotent (keyed by codes).
"""

from __future__ import annotations

import csv
import json
import math
import random
from collections import defaultdict
from datetime import date, time, timedelta
from pathlib import Path

import shapely
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.ops import unary_union

from portal.address_points import load_address_points
from portal.cache import data_changed
from portal.models import AddressPoint, Area, User
from portal.roles import GROUP_CARE_MANAGER, GROUP_CITY_STAFF, GROUP_COORDINATOR
from portal.wareki import fiscal_year_bounds
from resources.models import Category, Feature, Resource, ScheduleRule, Target
from resources.services import NewResource, resources_bulk_create

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "demo"
WARDS_FILE = FIXTURES / "osaka_city_wards.geojson"
CHOME_FILE = FIXTURES / "osaka_city_chome_2015.csv"
SEED = 20241
RESOURCE_TOTAL = 1500
DEMO_PASSWORD = "chiiki-demo-2026"
CODE_PREFIX = "DEMO-"

WARD_KANA = {
    "27102": "みやこじまく",
    "27103": "ふくしまく",
    "27104": "このはなく",
    "27106": "にしく",
    "27107": "みなとく",
    "27108": "たいしょうく",
    "27109": "てんのうじく",
    "27111": "なにわく",
    "27113": "にしよどがわく",
    "27114": "ひがしよどがわく",
    "27115": "ひがしなりく",
    "27116": "いくのく",
    "27117": "あさひく",
    "27118": "じょうとうく",
    "27119": "あべのく",
    "27120": "すみよしく",
    "27121": "ひがしすみよしく",
    "27122": "にしなりく",
    "27123": "よどがわく",
    "27124": "つるみく",
    "27125": "すみのえく",
    "27126": "ひらのく",
    "27127": "きたく",
    "27128": "ちゅうおうく",
}

# Demo users: username -> (display name, group, area codes, is_staff, is_superuser)
DEMO_USERS = {
    "admin": ("管理者", None, [], True, True),
    "city": ("市職員（高齢福祉課）", GROUP_CITY_STAFF, [], True, False),
    "kita_coord": ("北区 第1層コーディネーター", GROUP_COORDINATOR, ["27127"], True, False),
    "kita1_coord": (
        "北区 第1圏域 第2層コーディネーター",
        GROUP_COORDINATOR,
        ["27127-1"],
        True,
        False,
    ),
    "minato_coord": ("港区 第1層コーディネーター", GROUP_COORDINATOR, ["27107"], True, False),
    "caremanager": ("ケアマネジャー（居宅介護支援）", GROUP_CARE_MANAGER, [], False, False),
}

# The city's own order of its wards (as 大阪市 lists them), not the order of
# their codes: the home page and every ward list follow it (Area.sort_order).
OSAKA_WARD_ORDER = [
    "北区",
    "都島区",
    "福島区",
    "此花区",
    "中央区",
    "西区",
    "港区",
    "大正区",
    "天王寺区",
    "浪速区",
    "西淀川区",
    "淀川区",
    "東淀川区",
    "東成区",
    "生野区",
    "旭区",
    "城東区",
    "鶴見区",
    "阿倍野区",
    "住之江区",
    "住吉区",
    "東住吉区",
    "平野区",
    "西成区",
]


def _ward_order(feature) -> tuple[int, str]:
    name, code = feature["properties"]["N03_004"], feature["properties"]["N03_007"]
    known = OSAKA_WARD_ORDER.index(name) if name in OSAKA_WARD_ORDER else len(OSAKA_WARD_ORDER)
    return known, code


# Nicknames with their readings, the way groups name themselves.
NICKNAMES = [
    ("ひまわり", "ひまわり"),
    ("さくら", "さくら"),
    ("すみれ", "すみれ"),
    ("あおぞら", "あおぞら"),
    ("なごみ", "なごみ"),
    ("ひだまり", "ひだまり"),
    ("やすらぎ", "やすらぎ"),
    ("わかば", "わかば"),
    ("もみじ", "もみじ"),
    ("つばき", "つばき"),
    ("たんぽぽ", "たんぽぽ"),
    ("コスモス", "こすもす"),
    ("かえで", "かえで"),
    ("希望", "きぼう"),
    ("笑顔", "えがお"),
    ("絆", "きずな"),
    ("憩い", "いこい"),
    ("若竹", "わかたけ"),
    ("ふじ", "ふじ"),
    ("あじさい", "あじさい"),
    ("ゆうゆう", "ゆうゆう"),
    ("いちょう", "いちょう"),
    ("なでしこ", "なでしこ"),
    ("さつき", "さつき"),
]

SURNAMES = [
    "山田",
    "田中",
    "中村",
    "小林",
    "吉田",
    "山本",
    "松本",
    "井上",
    "木村",
    "林",
    "清水",
    "森",
]
GIVEN_NAMES = [
    "花子",
    "和子",
    "節子",
    "幸子",
    "洋子",
    "次郎",
    "一郎",
    "茂",
    "博",
    "恵子",
    "美智子",
    "進",
]

# type -> (weight, name templates (name, kana), categories, organiser kinds)
TYPES = {
    Resource.Type.SALON: (
        28,
        [
            ("{n}ふれあいサロン", "{k}ふれあいさろん"),
            ("いきいきサロン{n}", "いきいきさろん{k}"),
            ("ふれあい喫茶 {n}", "ふれあいきっさ {k}"),
            ("{n}ほっとサロン", "{k}ほっとさろん"),
        ],
        ["social"],
        ["residents", "shakyo"],
    ),
    Resource.Type.EXERCISE: (
        25,
        [
            ("いきいき百歳体操 {n}会場", "いきいきひゃくさいたいそう {k}かいじょう"),
            ("{n}健康体操クラブ", "{k}けんこうたいそうくらぶ"),
            ("{n}ウォーキングの会", "{k}うぉーきんぐのかい"),
        ],
        ["exercise"],
        ["residents", "shakyo", "npo"],
    ),
    Resource.Type.DEMENTIA_CAFE: (
        7,
        [("認知症カフェ{n}", "にんちしょうかふぇ{k}"), ("オレンジカフェ{n}", "おれんじかふぇ{k}")],
        ["social", "learning"],
        ["social_welfare", "npo", "company"],
    ),
    Resource.Type.HOBBY: (
        10,
        [
            ("{n}囲碁将棋の会", "{k}いごしょうぎのかい"),
            ("{n}手芸サークル", "{k}しゅげいさーくる"),
            ("歌声サロン{n}", "うたごえさろん{k}"),
            ("男の料理教室 {n}", "おとこのりょうりきょうしつ {k}"),
            ("スマホ教室 {n}", "すまほきょうしつ {k}"),
            ("{n}花壇ボランティア", "{k}かだんぼらんてぃあ"),
        ],
        ["hobby", "learning", "contribution", "work"],
        ["residents", "npo"],
    ),
    Resource.Type.LIFE_SUPPORT: (
        12,
        [
            ("買い物支援 {n}", "かいものしえん {k}"),
            ("{n}お助け隊", "{k}おたすけたい"),
            ("外出付き添いボランティア {n}", "がいしゅつつきそいぼらんてぃあ {k}"),
            ("ゴミ出し支援 {n}", "ごみだししえん {k}"),
        ],
        ["shopping", "housework", "outing"],
        ["residents", "npo", "shakyo", "company", "coop"],
    ),
    Resource.Type.MEALS: (
        4,
        [
            ("配食サービス {n}", "はいしょくさーびす {k}"),
            ("{n}ふれあい食事会", "{k}ふれあいしょくじかい"),
        ],
        ["other"],
        ["company", "npo", "coop"],
    ),
    Resource.Type.WATCH: (
        4,
        [("{n}見守り隊", "{k}みまもりたい"), ("声かけ訪問 {n}", "こえかけほうもん {k}")],
        ["other", "contribution"],
        ["residents", "shakyo"],
    ),
    Resource.Type.CARE_OFFICE: (
        8,
        [
            ("デイサービス{n}", "でいさーびす{k}"),
            ("ケアプランセンター{n}", "けあぷらんせんたー{k}"),
            ("訪問介護ステーション{n}", "ほうもんかいごすてーしょん{k}"),
        ],
        ["other"],
        ["social_welfare", "company"],
    ),
}
CATEGORY_FOR_LIFE_SUPPORT = {
    "買い物支援": "shopping",
    "お助け隊": "housework",
    "外出付き添い": "outing",
    "ゴミ出し": "housework",
}


def _chome_town(name: str) -> str:
    """梅田１丁目 -> 梅田."""
    import re

    return re.sub(r"[0-9０-９]+丁目$", "", name)


class DemoBuilder:
    def __init__(self, *, stdout=None, resource_total: int = RESOURCE_TOTAL) -> None:
        self.rng = random.Random(SEED)
        self.stdout = stdout
        self.resource_total = resource_total

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    @transaction.atomic
    def build(self) -> dict[str, int]:
        wards = self.load_wards()
        load_address_points(CHOME_FILE, areas_by_ward={w.name: w for w in wards.values()})
        self.make_tier2_areas(wards)
        users = self.make_users()
        created = self.make_resources(users)
        # Coordinators with a year of activities, and councils: their own builders.
        from demo.coordinators import build_coordinators_demo
        from demo.councils import build_councils_demo

        build_coordinators_demo(say=self.say)
        build_councils_demo(say=self.say)
        # The real 2020 population of the 町丁, and the analysis' demo records.
        from demo.analysis import build_analysis_demo

        build_analysis_demo(say=self.say)
        return {
            "areas": Area.objects.count(),
            "address_points": AddressPoint.objects.count(),
            "resources": Resource.objects.filter(code__startswith=CODE_PREFIX).count(),
            "resources_created": created,
        }

    # Areas ---------------------------------------------------------------

    def load_wards(self) -> dict[str, Area]:
        data = json.loads(WARDS_FILE.read_text(encoding="utf-8"))
        population: dict[str, int] = defaultdict(int)
        with CHOME_FILE.open(encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                population[row["KEY_CODE"][:5]] += int(row["JINKO"] or 0)
        wards: dict[str, Area] = {}
        for order, feature in enumerate(sorted(data["features"], key=_ward_order), start=1):
            code = feature["properties"]["N03_007"]
            geom = shape(feature["geometry"])
            point = geom.representative_point()
            area, _ = Area.objects.update_or_create(
                code=code,
                defaults={
                    "tier": Area.Tier.CITY,
                    "parent": None,
                    "name": feature["properties"]["N03_004"],
                    "kana": WARD_KANA.get(code, ""),
                    "boundary": feature["geometry"],
                    "centroid_lat": round(point.y, 6),
                    "centroid_lng": round(point.x, 6),
                    "population": population.get(code),
                    "sort_order": order,
                },
            )
            wards[code] = area
        self.say(f"区（第1層）: {len(wards)}")
        return wards

    def make_tier2_areas(self, wards: dict[str, Area]) -> None:
        """2–4 圏域 per ward from its 町丁: equal-population sectors, Voronoi-shaped."""
        points_by_ward: dict[str, list[AddressPoint]] = defaultdict(list)
        for point in AddressPoint.objects.order_by("code"):
            points_by_ward[point.code[:5]].append(point)
        count = 0
        for code, ward in wards.items():
            points = points_by_ward.get(code, [])
            if len(points) < 4:
                continue
            total = sum(p.population or 0 for p in points)
            k = min(4, max(2, round(total / 50000)))
            groups = self._sectors(points, k)
            ward_geom = shape(ward.boundary)
            cells = self._voronoi_cells(points, ward_geom)
            for index, members in enumerate(groups, start=1):
                geom = unary_union([cells[p.code] for p in members if p.code in cells])
                geom = geom.intersection(ward_geom)
                if geom.is_empty:
                    geom = MultiPoint([(p.lng, p.lat) for p in members]).convex_hull.buffer(0.002)
                geom = shapely.set_precision(geom.simplify(0.0003), 0.000001)
                if geom.geom_type not in ("Polygon", "MultiPolygon"):
                    geom = geom.buffer(0)
                point = geom.representative_point()
                area, _ = Area.objects.update_or_create(
                    code=f"{code}-{index}",
                    defaults={
                        "tier": Area.Tier.DISTRICT,
                        "parent": ward,
                        "name": f"{ward.name} 第{index}圏域",
                        "kana": f"{ward.kana} だい{index}けんいき",
                        "boundary": mapping(geom),
                        "centroid_lat": round(point.y, 6),
                        "centroid_lng": round(point.x, 6),
                        "population": sum(p.population or 0 for p in members),
                        "sort_order": ward.sort_order * 10 + index,
                    },
                )
                AddressPoint.objects.filter(pk__in=[p.pk for p in members]).update(area=area)
                count += 1
        data_changed()  # areas and 町丁 written in bulk: the locator follows
        self.say(f"圏域（第2層）: {count}")

    @staticmethod
    def _sectors(points: list[AddressPoint], k: int) -> list[list[AddressPoint]]:
        weights = [max(p.population or 0, 1) for p in points]
        total = sum(weights)
        clat = sum(p.lat * w for p, w in zip(points, weights, strict=True)) / total
        clng = sum(p.lng * w for p, w in zip(points, weights, strict=True)) / total
        # Clockwise from north, so 第1圏域 is the northern sector.
        ordered = sorted(
            zip(points, weights, strict=True),
            key=lambda pw: (math.atan2(pw[0].lng - clng, pw[0].lat - clat)) % (2 * math.pi),
        )
        groups: list[list[AddressPoint]] = [[] for _ in range(k)]
        running = 0
        for point, weight in ordered:
            index = min(k - 1, int(running * k / total))
            groups[index].append(point)
            running += weight
        return [g for g in groups if g]

    @staticmethod
    def _voronoi_cells(points: list[AddressPoint], ward_geom) -> dict[str, object]:
        unique: dict[tuple[float, float], AddressPoint] = {}
        for p in points:
            unique.setdefault((round(p.lng, 6), round(p.lat, 6)), p)
        envelope = ward_geom.envelope.buffer(0.05)
        regions = shapely.voronoi_polygons(MultiPoint(list(unique)), extend_to=envelope)
        cells: dict[str, object] = {}
        for region in regions.geoms:
            for (lng, lat), p in unique.items():
                if p.code not in cells and region.covers(Point(lng, lat)):
                    cells[p.code] = region
                    break
        # 町丁 at the same spot as another share its cell.
        for p in points:
            key = (round(p.lng, 6), round(p.lat, 6))
            cells.setdefault(p.code, cells.get(unique[key].code))
        return {code: cell for code, cell in cells.items() if cell is not None}

    # Users ---------------------------------------------------------------

    def make_users(self) -> dict[str, User]:
        users = {}
        for username, (display, group, area_codes, is_staff, is_superuser) in DEMO_USERS.items():
            user, _ = User.objects.get_or_create(username=username)
            user.display_name = display
            user.is_staff, user.is_superuser = is_staff, is_superuser
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=group)] if group else [])
            user.areas.set(Area.objects.filter(code__in=area_codes))
            users[username] = user
        return users

    # Resources -----------------------------------------------------------

    def make_resources(self, users: dict[str, User]) -> int:
        existing = set(
            Resource.objects.filter(code__startswith=CODE_PREFIX).values_list("code", flat=True)
        )
        categories = {c.code: c for c in Category.objects.all()}
        targets = {t.code: t for t in Target.objects.all()}
        features = {f.code: f for f in Feature.objects.all()}
        wards = list(Area.objects.tier1())
        tier2 = defaultdict(list)
        for area in Area.objects.tier2():
            tier2[area.parent_id].append(area)
        points_by_ward = defaultdict(list)
        for point in AddressPoint.objects.select_related("area").order_by("code"):
            points_by_ward[point.code[:5]].append(point)
        population = sum(w.population or 0 for w in wards)
        coordinators = [users["kita_coord"], users["kita1_coord"], users["minato_coord"]]

        plans: list[tuple[Resource, list, list, list, list[ScheduleRule]]] = []
        serial = 0
        for ward in wards:
            points = points_by_ward.get(ward.code, [])
            if not points:
                continue
            share = round(self.resource_total * (ward.population or 0) / population)
            # One 相談窓口 per tier-2 area: the 地域包括支援センター (or its branch).
            for area in sorted(tier2[ward.pk], key=lambda a: a.code):
                serial += 1
                point = self.rng.choice([p for p in points if p.area_id == area.pk] or points)
                plans.append(self._consultation(serial, ward, area, point))
            for _ in range(share - len(tier2[ward.pk])):
                serial += 1
                point = self.rng.choices(
                    points, weights=[max(p.population or 1, 1) for p in points]
                )[0]
                plans.append(
                    self._resource(serial, ward, point, categories, targets, features, coordinators)
                )

        new_plans = [plan for plan in plans if plan[0].code not in existing]
        resources_bulk_create(
            [
                NewResource(
                    resource,
                    categories=[c.pk for c in cats],
                    targets=[t.pk for t in tgts],
                    features=[f.pk for f in feats],
                    schedules=schedules,
                )
                for resource, cats, tgts, feats, schedules in new_plans
            ],
            reason="デモデータの読み込み",
        )
        self.say(f"地域資源: {len(new_plans)} 件を追加（全 {len(plans)} 件）")
        return len(new_plans)

    def _address(self, ward: Area, point: AddressPoint) -> str:
        return f"大阪市{ward.name}{point.name}{self.rng.randint(1, 20)}-{self.rng.randint(1, 30)}"

    def _jitter(self, point: AddressPoint) -> tuple[float, float]:
        return (
            round(point.lat + self.rng.uniform(-0.0012, 0.0012), 6),
            round(point.lng + self.rng.uniform(-0.0015, 0.0015), 6),
        )

    def _phone(self) -> str:
        # 06-0000-xxxx: the 0000 exchange is not assigned, so no real line is printed.
        return f"06-0000-{self.rng.randint(1000, 9999)}"

    def _consultation(self, serial: int, ward: Area, area: Area, point: AddressPoint):
        lat, lng = self._jitter(point)
        index = area.code.rsplit("-", 1)[-1]
        name = (
            f"{ward.name}地域包括支援センター"
            if index == "1"
            else f"{ward.name}第{index}地域包括支援センター"
        )
        resource = Resource(
            code=f"{CODE_PREFIX}{serial:05d}",
            name=name,
            kana=f"{ward.kana}ちいきほうかつしえんせんたー",
            resource_type=Resource.Type.CONSULTATION,
            description="高齢者の介護・福祉・健康の総合相談窓口です。介護保険の申請、地域の通いの場の紹介なども行います。",
            organiser=f"社会福祉法人 {ward.name}社会福祉協議会",
            organiser_kind=Resource.OrganiserKind.SOCIAL_WELFARE,
            venue=name,
            address=self._address(ward, point),
            lat=lat,
            lng=lng,
            fee_free=True,
            how_to_join="電話または窓口でご相談ください。",
            contact_name=name,
            contact_phone=self._phone(),
            status=Resource.Status.ACTIVE,
            origin=Resource.Origin.EXISTING,
            verified_on=date(2026, 4, 1) - timedelta(days=self.rng.randint(0, 400)),
        )
        schedule = ScheduleRule(
            kind=ScheduleRule.Kind.WEEKLY,
            weekdays="MO,TU,WE,TH,FR",
            opens_at=time(9, 0),
            closes_at=time(17, 30),
            note="祝日・年末年始を除く",
        )
        return resource, [], [], [], [schedule]

    def _resource(self, serial, ward, point, categories, targets, features, coordinators):
        rng = self.rng
        types = list(TYPES)
        rtype = rng.choices(types, weights=[TYPES[t][0] for t in types])[0]
        _, templates, category_codes, organiser_kinds = TYPES[rtype]
        template, kana_template = rng.choice(templates)
        nick, nick_kana = rng.choice(NICKNAMES)
        name = template.format(n=nick)
        kana = kana_template.format(k=nick_kana)
        town = _chome_town(point.name)
        lat, lng = self._jitter(point)

        if rtype == Resource.Type.LIFE_SUPPORT:
            cats = [next(c for k, c in CATEGORY_FOR_LIFE_SUPPORT.items() if k in name)]
        elif rtype == Resource.Type.HOBBY:
            cats = [rng.choice(category_codes)]
            if rng.random() < 0.4:
                cats.append("social")
        else:
            cats = list(category_codes[:1])
            if rtype == Resource.Type.EXERCISE and rng.random() < 0.3:
                cats.append("social")

        status = rng.choices(
            [
                Resource.Status.ACTIVE,
                Resource.Status.PREPARING,
                Resource.Status.PAUSED,
                Resource.Status.ENDED,
            ],
            weights=[84, 6, 5, 5],
        )[0]
        staff_only = status == Resource.Status.PREPARING or rng.random() < 0.05
        origin = rng.choices(
            [Resource.Origin.NEW, Resource.Origin.EXPANDED, Resource.Origin.EXISTING],
            weights=[22, 14, 64],
        )[0]
        origin_date = None
        if origin != Resource.Origin.EXISTING or rng.random() < 0.3:
            fiscal_year = rng.randint(2015, 2024)
            origin_date = fiscal_year_bounds(fiscal_year)[0] + timedelta(days=rng.randint(0, 364))

        fee_free, fee_amount, fee_note = self._fee(rtype)
        target_codes = self._targets(rtype)
        feature_codes = [
            code
            for code, p in (
                ("pickup", 0.08 if rtype != Resource.Type.CARE_OFFICE else 0.7),
                ("barrier_free", 0.35),
                (
                    "no_booking",
                    0.45
                    if rtype
                    in (Resource.Type.SALON, Resource.Type.EXERCISE, Resource.Type.DEMENTIA_CAFE)
                    else 0.1,
                ),
                ("men_welcome", 0.15),
                ("online", 0.04),
                ("trial", 0.4),
            )
            if rng.random() < p
        ]

        venue = rng.choice(
            [
                f"{town}会館",
                f"{point.name}集会所",
                f"{town}老人憩の家",
                f"{ward.name}民センター",
                f"{town}公園集会所",
                f"{town}地域福祉センター",
            ]
        )
        if rtype in (Resource.Type.CARE_OFFICE, Resource.Type.MEALS, Resource.Type.LIFE_SUPPORT):
            venue = ""
        organiser_kind = rng.choice(organiser_kinds)
        organiser = {
            "residents": f"{town}地域活動協議会",
            "shakyo": f"{ward.name}社会福祉協議会",
            "npo": f"NPO法人 {nick}の会",
            "social_welfare": f"社会福祉法人 {nick}福祉会",
            "company": f"株式会社{nick}ケア",
            "coop": f"{nick}生活協同組合",
        }[organiser_kind]

        resource = Resource(
            code=f"{CODE_PREFIX}{serial:05d}",
            name=name,
            kana=kana,
            resource_type=rtype,
            description=self._description(rtype, town),
            organiser=organiser,
            organiser_kind=organiser_kind,
            venue=venue,
            address=self._address(ward, point),
            lat=lat,
            lng=lng,
            fee_free=fee_free,
            fee_amount=fee_amount,
            fee_note=fee_note,
            capacity=rng.choice([None, 10, 15, 20, 30])
            if rtype != Resource.Type.CARE_OFFICE
            else 30,
            how_to_join=rng.choice(
                [
                    "直接会場へお越しください。",
                    "初めての方はお電話ください。",
                    "地域包括支援センターにご相談ください。",
                ]
            ),
            contact_name=organiser,
            contact_phone=self._phone(),
            contact_person=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}",
            private_phone=f"090-0000-{rng.randint(1000, 9999)}",
            internal_notes=rng.choice(
                [
                    "会場の鍵は自治会長が管理。",
                    "担い手が高齢化、後継者を探している。",
                    "参加者が増え、会場が手狭。",
                    "立ち上げ時に備品を助成。",
                    "",
                ]
            ),
            supporting_coordinator=rng.choice(coordinators) if rng.random() < 0.2 else None,
            status=status,
            visibility=Resource.Visibility.STAFF if staff_only else Resource.Visibility.PUBLIC,
            origin=origin,
            origin_date=origin_date,
            verified_on=date(2026, 10, 1) - timedelta(days=rng.randint(0, 900)),
        )
        schedules = self._schedules(rtype)
        return (
            resource,
            [categories[c] for c in dict.fromkeys(cats)],
            [targets[c] for c in target_codes],
            [features[c] for c in feature_codes],
            schedules,
        )

    def _fee(self, rtype) -> tuple[bool, int | None, str]:
        rng = self.rng
        if rtype in (Resource.Type.EXERCISE, Resource.Type.WATCH):
            return True, None, ""
        if rtype == Resource.Type.CARE_OFFICE:
            return False, None, "介護保険の自己負担分"
        if rtype == Resource.Type.MEALS:
            return False, rng.choice([450, 500, 550]), "1食"
        if rtype == Resource.Type.LIFE_SUPPORT:
            return False, rng.choice([200, 300, 500]), "30分あたり"
        if rng.random() < 0.3:
            return True, None, ""
        return False, rng.choice([100, 100, 200, 300, 500]), rng.choice(["お茶代", "材料費", ""])

    def _targets(self, rtype) -> list[str]:
        if rtype == Resource.Type.DEMENTIA_CAFE:
            return ["dementia", "carers", "anyone"]
        if rtype == Resource.Type.CARE_OFFICE:
            return ["support", "care"]
        if rtype in (Resource.Type.LIFE_SUPPORT, Resource.Type.MEALS, Resource.Type.WATCH):
            return ["age65", "support"] if self.rng.random() < 0.6 else ["age65"]
        return ["anyone"] if self.rng.random() < 0.5 else ["age65"]

    @staticmethod
    def _description(rtype, town: str) -> str:
        return {
            Resource.Type.SALON: f"{town}の住民が集まり、お茶を飲みながらおしゃべりや季節の行事を楽しむ集いの場です。",
            Resource.Type.EXERCISE: "おもりを使った筋力運動の体操です。椅子に座ってできるので、体力に自信のない方も参加できます。",
            Resource.Type.DEMENTIA_CAFE: "認知症の方やご家族、地域の方が気軽に集い、専門職に相談もできるカフェです。",
            Resource.Type.HOBBY: f"{town}周辺の仲間と趣味や学びを楽しむ会です。見学歓迎。",
            Resource.Type.LIFE_SUPPORT: "ちょっとした困りごとを地域のボランティアがお手伝いします。",
            Resource.Type.MEALS: "栄養バランスのとれたお弁当をお届けし、安否確認も行います。",
            Resource.Type.WATCH: "地域の担い手が定期的に声かけ・訪問し、暮らしを見守ります。",
            Resource.Type.CARE_OFFICE: "介護保険のサービスを提供する事業所です。",
        }[rtype]

    def _schedules(self, rtype) -> list[ScheduleRule]:
        rng = self.rng
        days = ["MO", "TU", "WE", "TH", "FR"]
        if rtype == Resource.Type.EXERCISE:
            picked = rng.sample(days, rng.choice([1, 1, 2]))
            start = rng.choice([time(10, 0), time(10, 30), time(13, 30), time(14, 0)])
            return [
                ScheduleRule(
                    kind=ScheduleRule.Kind.WEEKLY,
                    weekdays=",".join(picked),
                    opens_at=start,
                    closes_at=time(start.hour + 1, start.minute),
                )
            ]
        if rtype in (Resource.Type.SALON, Resource.Type.DEMENTIA_CAFE, Resource.Type.HOBBY):
            start = rng.choice(
                [time(10, 0), time(13, 0), time(13, 30), time(18, 30)]
                if rtype == Resource.Type.HOBBY
                else [time(10, 0), time(13, 0), time(13, 30)]
            )
            end = time(start.hour + 2, start.minute)
            roll = rng.random()
            if roll < 0.45:
                weeks = rng.choice(["1,3", "2,4", "2", "3", "1"])
                return [
                    ScheduleRule(
                        kind=ScheduleRule.Kind.MONTHLY_NTH,
                        weekdays=rng.choice(days),
                        weeks_of_month=weeks,
                        opens_at=start,
                        closes_at=end,
                    )
                ]
            if roll < 0.8:
                return [
                    ScheduleRule(
                        kind=ScheduleRule.Kind.WEEKLY,
                        weekdays=rng.choice([*days, "SA"]),
                        opens_at=start,
                        closes_at=end,
                    )
                ]
            if roll < 0.92:
                return [
                    ScheduleRule(
                        kind=ScheduleRule.Kind.MONTHLY_DATE,
                        day_of_month=rng.choice([1, 5, 10, 15, 20, 25]),
                        opens_at=start,
                        closes_at=end,
                        note="土日祝の場合は翌平日",
                    )
                ]
            return [ScheduleRule(kind=ScheduleRule.Kind.IRREGULAR, note="広報紙でお知らせします")]
        if rtype == Resource.Type.MEALS:
            return [
                ScheduleRule(
                    kind=ScheduleRule.Kind.WEEKLY,
                    weekdays="MO,TU,WE,TH,FR",
                    opens_at=time(11, 0),
                    closes_at=time(13, 0),
                    note="お届けの時間帯",
                )
            ]
        if rtype == Resource.Type.CARE_OFFICE:
            return [
                ScheduleRule(
                    kind=ScheduleRule.Kind.WEEKLY,
                    weekdays="MO,TU,WE,TH,FR,SA",
                    opens_at=time(8, 30),
                    closes_at=time(17, 30),
                )
            ]
        if rtype == Resource.Type.LIFE_SUPPORT and rng.random() < 0.5:
            return [
                ScheduleRule(
                    kind=ScheduleRule.Kind.WEEKLY,
                    weekdays="MO,WE,FR",
                    opens_at=time(9, 0),
                    closes_at=time(16, 0),
                    note="要予約",
                )
            ]
        return [ScheduleRule(kind=ScheduleRule.Kind.IRREGULAR, note="ご相談に応じて")]


def demo_credentials() -> list[tuple[str, str, str]]:
    return [(username, DEMO_PASSWORD, spec[0]) for username, spec in DEMO_USERS.items()]
