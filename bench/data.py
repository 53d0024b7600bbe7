"""The synthetic city of ``manage.py bench``: 24 wards of 3 tier-2 areas each and
N deterministic resources, written as the demo writes them
(resources.services.resources_bulk_create)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time as clock

from django.core.management.color import no_style
from django.db import connection, transaction

from demo.city import NICKNAMES
from portal.cache import data_changed
from portal.models import AddressPoint, Area
from resources.models import Category, Resource, ScheduleRule
from resources.services import NewResource, resources_bulk_create

SEED = 20260
CODE_PREFIX = "BENCH-"
BATCH_SIZE = 2_000

# The synthetic city: 24 wards (6 rows x 4 columns) of 3 tier-2 strips each,
# tiling a box around Osaka.
LAT_MIN, LAT_MAX = 34.55, 34.80
LNG_MIN, LNG_MAX = 135.40, 135.60
WARD_ROWS, WARD_COLUMNS, DISTRICTS_PER_WARD = 6, 4, 3
CENTRE = (34.675, 135.50)


TOWNS = [
    ("梅田", "うめだ"),
    ("天満", "てんま"),
    ("中津", "なかつ"),
    ("福島", "ふくしま"),
    ("野田", "のだ"),
    ("九条", "くじょう"),
    ("築港", "ちっこう"),
    ("難波", "なんば"),
    ("桃谷", "ももだに"),
    ("鶴橋", "つるはし"),
    ("今里", "いまざと"),
    ("森ノ宮", "もりのみや"),
    ("京橋", "きょうばし"),
    ("蒲生", "がもう"),
    ("千林", "せんばやし"),
    ("十三", "じゅうそう"),
    ("塚本", "つかもと"),
    ("加島", "かしま"),
    ("淡路", "あわじ"),
    ("上新庄", "かみしんじょう"),
    ("阿倍野", "あべの"),
    ("昭和町", "しょうわちょう"),
    ("田辺", "たなべ"),
    ("長居", "ながい"),
    ("我孫子", "あびこ"),
    ("住吉", "すみよし"),
    ("平野", "ひらの"),
    ("喜連", "きれ"),
    ("加美", "かみ"),
    ("玉出", "たまで"),
    ("岸里", "きしのさと"),
    ("天下茶屋", "てんがちゃや"),
    ("北加賀屋", "きたかがや"),
    ("南港", "なんこう"),
    ("弁天町", "べんてんちょう"),
    ("鶴見", "つるみ"),
    ("放出", "はなてん"),
    ("緑橋", "みどりばし"),
    ("関目", "せきめ"),
    ("野江", "のえ"),
]


@dataclass(frozen=True)
class Kind:
    type: str
    weight: int
    names: tuple[tuple[str, str], ...]  # (name, kana) templates with {n} / {k}
    categories: tuple[str, ...]  # the first is always given
    descriptions: tuple[str, ...]  # with {town}


KINDS = (
    Kind(
        Resource.Type.SALON,
        28,
        (
            ("{n}ふれあいサロン", "{k}ふれあいさろん"),
            ("いきいきサロン{n}", "いきいきさろん{k}"),
            ("{n}ほっとサロン", "{k}ほっとさろん"),
            ("ふれあい喫茶 {n}", "ふれあいきっさ {k}"),
        ),
        ("social",),
        (
            "{town}の住民が集まり、お茶を飲みながらおしゃべりや季節の行事を楽しむ集いの場です。初めての方も歓迎します。",
            "{town}の集会所で月に数回ひらく、顔なじみの仲間と過ごすサロンです。手作りのお菓子もあります。",
        ),
    ),
    Kind(
        Resource.Type.EXERCISE,
        25,
        (
            ("いきいき百歳体操 {n}会場", "いきいきひゃくさいたいそう {k}かいじょう"),
            ("{n}健康体操クラブ", "{k}けんこうたいそうくらぶ"),
            ("{n}ウォーキングの会", "{k}うぉーきんぐのかい"),
        ),
        ("exercise",),
        (
            "おもりを使った筋力運動の体操です。椅子に座ってできるので、{town}周辺の体力に自信のない方も参加できます。",
            "{town}の公園や集会所で、ストレッチと軽い運動を続けています。運動が苦手な方もご自分のペースでどうぞ。",
        ),
    ),
    Kind(
        Resource.Type.DEMENTIA_CAFE,
        8,
        (
            ("認知症カフェ{n}", "にんちしょうかふぇ{k}"),
            ("オレンジカフェ{n}", "おれんじかふぇ{k}"),
            ("{n}みんなのカフェ", "{k}みんなのかふぇ"),
        ),
        ("social", "learning"),
        ("認知症の方やご家族、{town}の地域の方が気軽に集い、専門職に相談もできるカフェです。",),
    ),
    Kind(
        Resource.Type.HOBBY,
        12,
        (
            ("{n}囲碁将棋の会", "{k}いごしょうぎのかい"),
            ("{n}手芸サークル", "{k}しゅげいさーくる"),
            ("歌声サロン{n}", "うたごえさろん{k}"),
            ("スマホ教室 {n}", "すまほきょうしつ {k}"),
        ),
        ("hobby", "learning"),
        ("{town}周辺の仲間と趣味や学びを楽しむ会です。見学歓迎、道具の貸し出しもあります。",),
    ),
    Kind(
        Resource.Type.LIFE_SUPPORT,
        15,
        (
            ("買い物支援 {n}", "かいものしえん {k}"),
            ("{n}お助け隊", "{k}おたすけたい"),
            ("外出付き添いボランティア {n}", "がいしゅつつきそいぼらんてぃあ {k}"),
        ),
        ("shopping", "housework", "outing"),
        (
            "{town}でちょっとした困りごとを地域のボランティアがお手伝いします。買い物の付き添いもご相談ください。",
        ),
    ),
    Kind(
        Resource.Type.MEALS,
        4,
        (("配食サービス {n}", "はいしょくさーびす {k}"),),
        ("other",),
        ("栄養バランスのとれたお弁当を{town}のご自宅へお届けし、あわせて安否確認も行います。",),
    ),
    Kind(
        Resource.Type.WATCH,
        4,
        (("{n}見守り隊", "{k}みまもりたい"),),
        ("other", "contribution"),
        ("{town}の担い手が定期的に声かけ・訪問し、ひとり暮らしの高齢者の暮らしを見守ります。",),
    ),
    Kind(
        Resource.Type.CARE_OFFICE,
        4,
        (("デイサービス{n}", "でいさーびす{k}"),),
        ("other",),
        (
            "{town}にある介護保険のサービスを提供する事業所です。見学や体験利用のご相談を受け付けています。",
        ),
    ),
)


OPENING_TIMES = (
    clock(9, 30),
    clock(10, 0),
    clock(10, 30),
    clock(13, 0),
    clock(13, 30),
    clock(18, 0),
)
WEEKDAY_CHOICES = ("MO", "TU", "WE", "TH", "FR", "SA")
OTHER_STATUSES = (Resource.Status.PREPARING, Resource.Status.PAUSED, Resource.Status.ENDED)


def _square(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


@dataclass
class City:
    wards: list[Area]
    districts: dict[int, list[Area]]  # ward id -> its tier-2 areas
    boxes: dict[int, tuple[float, float, float, float]] = field(default_factory=dict)


def ensure_city() -> City:
    """24 tier-1 wards B01..B24 and their tier-2 strips B01-1..; idempotent."""
    lat_step = (LAT_MAX - LAT_MIN) / WARD_ROWS
    lng_step = (LNG_MAX - LNG_MIN) / WARD_COLUMNS
    strip = lng_step / DISTRICTS_PER_WARD
    city = City(wards=[], districts={})
    for index in range(WARD_ROWS * WARD_COLUMNS):
        row, column = divmod(index, WARD_COLUMNS)  # row 0 is the north
        north = LAT_MAX - row * lat_step
        south, west = north - lat_step, LNG_MIN + column * lng_step
        number = index + 1
        ward, _ = Area.objects.update_or_create(
            code=f"B{number:02d}",
            defaults={
                "tier": Area.Tier.CITY,
                "parent": None,
                "name": f"ベンチ{number}区",
                "kana": f"べんち{number}く",
                "boundary": _square(west, south, west + lng_step, north),
                "centroid_lat": round(south + lat_step / 2, 6),
                "centroid_lng": round(west + lng_step / 2, 6),
                "population": 100_000,
                "sort_order": number,
            },
        )
        city.wards.append(ward)
        city.districts[ward.pk] = []
        for part in range(1, DISTRICTS_PER_WARD + 1):
            left = west + (part - 1) * strip
            district, _ = Area.objects.update_or_create(
                code=f"B{number:02d}-{part}",
                defaults={
                    "tier": Area.Tier.DISTRICT,
                    "parent": ward,
                    "name": f"ベンチ{number}区 第{part}圏域",
                    "kana": f"べんち{number}く だい{part}けんいき",
                    "boundary": _square(left, south, left + strip, north),
                    "centroid_lat": round(south + lat_step / 2, 6),
                    "centroid_lng": round(left + strip / 2, 6),
                    "population": 100_000 // DISTRICTS_PER_WARD,
                    "sort_order": number * 10 + part,
                },
            )
            city.districts[ward.pk].append(district)
            city.boxes[district.pk] = (south, left, north, left + strip)
    _ensure_town_blocks()
    data_changed()  # areas written: the locator follows
    return city


def _ensure_town_blocks() -> None:
    """A 町丁 for each town name, so that a typed place (天満, てんま) is a place.
    Filed under a city of their own, so that no resource's address moves to them."""
    for index, (town, _kana) in enumerate(TOWNS):
        column, row = divmod(index, 4)
        AddressPoint.objects.update_or_create(
            code=f"BENCH-T{index:03d}",
            defaults={
                "city": "ベンチ町丁",
                "ward": "",
                "name": f"{town}1丁目",
                "lat": LAT_MIN + (LAT_MAX - LAT_MIN) * (row + 0.5) / 4,
                "lng": LNG_MIN + (LNG_MAX - LNG_MIN) * (column + 0.5) / 8,
            },
        )


def bench_data_ready(city: City, size: int) -> bool:
    """True when the database holds exactly the ``size`` resources this generator
    makes: all codes BENCH-…, the last one present, and the first one as the
    generator (seed and templates) would make it today."""
    generated = Resource.objects.filter(code__startswith=CODE_PREFIX)
    first = ResourceFactory(city).make(1)[0]
    return (
        Resource.objects.count() == size
        and generated.count() == size
        and generated.filter(code=f"{CODE_PREFIX}{size:06d}").exists()
        and generated.filter(
            code=first.code, name=first.name, lat=first.lat, lng=first.lng
        ).exists()
    )


def wipe_resources() -> None:
    """Empty the resource tables (and whatever references them) of the bench database."""
    tables = [Resource._meta.db_table, Resource.history.model._meta.db_table]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    connection.ops.execute_sql_flush(statements)


class ResourceFactory:
    """Deterministic resources for the synthetic city (random.Random(seed))."""

    def __init__(self, city: City, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.city = city
        self.categories = {c.code: c.pk for c in Category.objects.all()}
        self.category_codes = list(self.categories)
        weights = [self.rng.uniform(0.5, 1.5) for _ in city.wards]
        self.ward_weights = weights
        self.kind_weights = [kind.weight for kind in KINDS]

    def make(self, serial: int) -> tuple[Resource, list[int], list[ScheduleRule]]:
        rng = self.rng
        ward = rng.choices(self.city.wards, weights=self.ward_weights)[0]
        district = rng.choice(self.city.districts[ward.pk])
        south, west, north, east = self.city.boxes[district.pk]
        lat = round(rng.uniform(south + 1e-4, north - 1e-4), 6)
        lng = round(rng.uniform(west + 1e-4, east - 1e-4), 6)
        kind = rng.choices(KINDS, weights=self.kind_weights)[0]
        town, town_kana = rng.choice(TOWNS)
        nick, nick_kana = rng.choice(NICKNAMES)
        name_template, kana_template = rng.choice(kind.names)
        name = name_template.format(n=f"{town}{nick}")
        kana = kana_template.format(k=f"{town_kana}{nick_kana}")

        categories = [kind.categories[0]]
        if rng.random() < 0.35:
            second = rng.choice(self.category_codes)
            if second not in categories:
                categories.append(second)

        fee_free = rng.random() < 0.30
        roll = rng.random()
        status = Resource.Status.ACTIVE if roll < 0.85 else rng.choice(OTHER_STATUSES)
        visibility = (
            Resource.Visibility.STAFF if rng.random() < 0.10 else Resource.Visibility.PUBLIC
        )
        resource = Resource(
            code=f"{CODE_PREFIX}{serial:06d}",
            name=name,
            kana=kana,
            resource_type=kind.type,
            description=rng.choice(kind.descriptions).format(town=town),
            organiser=f"{town}地域活動協議会",
            organiser_kind=Resource.OrganiserKind.RESIDENTS,
            venue=f"{town}会館",
            address=f"ベンチ市{ward.name}{town}{rng.randint(1, 5)}-{rng.randint(1, 30)}",
            lat=lat,
            lng=lng,
            fee_free=fee_free,
            fee_amount=None if fee_free else rng.choice((100, 200, 300, 500)),
            contact_phone=f"06-0000-{rng.randint(1000, 9999)}",
            status=status,
            visibility=visibility,
        )
        opens = rng.choice(OPENING_TIMES)
        closes = clock(opens.hour + rng.choice((1, 2)), opens.minute)
        rule = ScheduleRule(
            kind=ScheduleRule.Kind.WEEKLY,
            weekdays=rng.choice(WEEKDAY_CHOICES),
            opens_at=opens,
            closes_at=closes,
        )
        return resource, [self.categories[c] for c in categories], [rule]


def generate_resources(city: City, size: int, *, say: Callable[[str], None]) -> None:
    """Insert ``size`` resources, their categories and schedules, in batches."""
    factory = ResourceFactory(city)
    with transaction.atomic():
        for first in range(1, size + 1, BATCH_SIZE):
            plans = [
                NewResource(resource, categories=category_ids, schedules=rules)
                for resource, category_ids, rules in (
                    factory.make(serial)
                    for serial in range(first, min(first + BATCH_SIZE, size + 1))
                )
            ]
            # No history entries: the bench measures reads.
            resources_bulk_create(plans, history=False, batch_size=BATCH_SIZE)
            done = min(first + BATCH_SIZE - 1, size)
            if done == size or done % 20_000 == 0:
                say(f"  {done:,} / {size:,} 件")
    Through = Resource.categories.through
    if connection.vendor == "postgresql":
        # What autovacuum would do soon after a bulk load: planner statistics.
        with connection.cursor() as cursor:
            for model in (Resource, Through, ScheduleRule):
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
