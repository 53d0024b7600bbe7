"""The performance figures of DESIGN.md "Performance budgets", for ``manage.py bench``.

``run_bench`` generates a synthetic city with N resources in a database of its own,
runs each case through the real views (anonymous, ``django.test.Client``) many
times, and returns every figure with the budget it is held to. ``render_report``
turns that into the table the command prints; ``--json`` prints it as is.

The work is a list of sections (``SECTIONS``), each with the same three methods
(run, checks, render): search (five query shapes), the map GeoJSON, and at S the
PDF, import and throughput figures.

The search page is measured twice: warm (the cache of anonymous search pages as
configured, ``SEARCH_CACHE_SECONDS``, the same URL repeated) and cold
(``SEARCH_CACHE_SECONDS=0``: every request does all the work). Its "bare" figure
is the view's own SQL: the statements one cold request sends, replayed.

Throughput is the search page served the way it is deployed: gunicorn with two
workers on a free local port, against the bench database, driven by ``wrk``
(``scripts/system-deps.sh bench`` installs it; without it the figure is skipped).

The configured database is never written to. Each size has its own bench
database beside it (PostgreSQL: ``<name>_bench_<N>``; SQLite:
``<stem>_bench_<N>.sqlite3`` next to the file), so that S and L are both kept and
reused on the next run; a bench database that does not hold exactly the N
generated resources is wiped and regenerated.
"""

from __future__ import annotations

import copy
import gzip
import json
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import time as clock
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode

from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Count, Q
from django.db.utils import load_backend
from django.http import QueryDict
from django.test import Client, override_settings

from demo.city import NICKNAMES
from portal.cache import data_changed, forget_process_values
from portal.models import Area
from resources.models import Category, Resource, ScheduleRule
from resources.search import SearchFilters, distance_expression, resource_search
from resources.services import NewResource, resources_bulk_create
from resources.views import PAGE_SIZE

SIZE_S = 1_500
SIZE_L = 100_000
DEFAULT_SIZES = (SIZE_S, SIZE_L)
DEFAULT_REPEAT = 30
WARMUPS = 3
# The naive scans are slow by design; their median settles long before 30 runs.
NAIVE_REPEAT_MAX = 10
SEED = 20260
CODE_PREFIX = "BENCH-"
BATCH_SIZE = 2_000
BENCH_ALIAS = "bench"

# The synthetic city: 24 wards (6 rows x 4 columns) of 3 tier-2 strips each,
# tiling a box around Osaka.
LAT_MIN, LAT_MAX = 34.55, 34.80
LNG_MIN, LNG_MAX = 135.40, 135.60
WARD_ROWS, WARD_COLUMNS, DISTRICTS_PER_WARD = 6, 4, 3
CENTRE = (34.675, 135.50)


# Budgets (DESIGN.md) ------------------------------------------------------

SEARCH_P95_MS = {"S": 30.0, "M": 80.0, "L": 80.0}
RATIO_BARE_MAX = 3.0
RATIO_NAIVE_MIN = 10.0
GEOJSON_MS = 100.0
GEOJSON_KB = 300.0
GEOJSON_FEATURES = 2_000
THROUGHPUT_RPS = 200.0
THROUGHPUT_ERRORS = 0

# Throughput: gunicorn as deployed (README "Deploy"), wrk in one thread (light on
# the two cores it shares with the server).
GUNICORN_WORKERS = 2
WRK_SECONDS = 10
WRK_CONNECTIONS = 8
SERVER_START_SECONDS = 30


def size_label(size: int) -> str:
    """S up to one city (1,500), L from a prefecture (100,000), M between."""
    if size <= SIZE_S:
        return "S"
    return "L" if size >= SIZE_L else "M"


@dataclass
class Check:
    """One figure held to one budget."""

    name: str
    value: float
    limit: float
    op: str  # "<=" or ">="
    unit: str = ""

    @property
    def passed(self) -> bool:
        return self.value <= self.limit if self.op == "<=" else self.value >= self.limit

    def as_dict(self) -> dict:
        return {**asdict(self), "passed": self.passed}


@dataclass(frozen=True)
class Shape:
    key: str
    label: str
    query: str


QUERY_SHAPES = (
    Shape("keyword", "2文字キーワード", "q=体操"),
    Shape("category_area", "カテゴリ+区域", "category=exercise&area=B05"),
    Shape("nearby", "近く2km", f"lat={CENTRE[0]}&lng={CENTRE[1]}&radius_km=2"),
    Shape("weekday_free", "曜日+無料", "weekday=TU&free=1"),
    Shape("combined", "組み合わせ", "q=サロン&area=B05&weekday=WE&free=1"),
)


# Timing ------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Linear-interpolated percentile (fraction 0.5 = median)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def timed(action: Callable[[], object], repeat: int, warmups: int = WARMUPS) -> list[float]:
    """Milliseconds of each of ``repeat`` runs of ``action``, after ``warmups``."""
    for _ in range(warmups):
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict:
    return {"p50": round(percentile(samples, 0.5), 2), "p95": round(percentile(samples, 0.95), 2)}


def captured_sql(action: Callable[[], object]) -> list[tuple[str, object]]:
    """The statements (SQL and parameters) that ``action`` sends to the database."""
    statements: list[tuple[str, object]] = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        action()
    return statements


def run_statements(statements: list[tuple[str, object]]) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            if cursor.description is not None:  # a SELECT, not a SAVEPOINT
                cursor.fetchall()


# The bench database ------------------------------------------------------


def _is_in_memory(name: str) -> bool:
    return name in ("", ":memory:") or "mode=memory" in name


def bench_database_settings(base: dict, size: int) -> dict:
    """Settings of the bench database for ``size``: a copy of ``base`` with NAME changed."""
    settings = copy.deepcopy(base)
    vendor = base["ENGINE"].rsplit(".", 1)[-1]
    name = str(base["NAME"] or "")
    if vendor == "sqlite3":
        if _is_in_memory(name):
            path = Path(tempfile.gettempdir()) / f"portal_bench_{size}.sqlite3"
        else:
            configured = Path(name)
            path = configured.with_name(f"{configured.stem}_bench_{size}.sqlite3")
        settings["NAME"] = str(path)
    elif vendor in ("postgresql", "postgis"):
        settings["NAME"] = f"{name}_bench_{size}"
    else:
        raise CommandError(f"bench は SQLite と PostgreSQL に対応しています（{base['ENGINE']}）。")
    return settings


def _vendor(settings: dict) -> str:
    return "sqlite" if settings["ENGINE"].endswith("sqlite3") else "postgresql"


@contextmanager
def _maintenance_cursor(settings: dict) -> Iterator:
    """A cursor on PostgreSQL's ``postgres`` database, for CREATE/DROP DATABASE."""
    wrapper = load_backend(settings["ENGINE"]).DatabaseWrapper(
        {**settings, "NAME": "postgres"}, alias="__bench_maintenance__"
    )
    try:
        with wrapper.cursor() as cursor:
            yield cursor, wrapper.ops.quote_name
    finally:
        wrapper.close()


def ensure_database(settings: dict) -> bool:
    """Create the bench database if it is missing; True when it was created."""
    if _vendor(settings) == "sqlite":
        path = Path(settings["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        return not path.exists()
    with _maintenance_cursor(settings) as (cursor, quote):
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]])
        if cursor.fetchone():
            return False
        cursor.execute(f"CREATE DATABASE {quote(settings['NAME'])}")
        return True


def drop_database(settings: dict) -> None:
    """Remove a bench database (tests; a developer may also drop it by hand)."""
    if _vendor(settings) == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{settings['NAME']}{suffix}").unlink(missing_ok=True)
        return
    with _maintenance_cursor(settings) as (cursor, quote):
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(settings['NAME'])} WITH (FORCE)")


def _reset_process_caches() -> None:
    # The process values (locator, reference lists) follow the data version of
    # the database they were built from; the content types are kept by alias.
    forget_process_values()
    ContentType.objects.clear_cache()


@contextmanager
def bench_database(settings: dict) -> Iterator:
    """Point the ``default`` alias at the bench database for the duration.

    Why swap ``default`` instead of querying a ``bench`` alias with ``using()``:
    the views, the access policy and the search selector all read through the
    default alias, and so do the project's data migrations (0002 seeds reference
    data, 0004 backfills search fields) and the post_migrate role groups, which
    do not pass ``using``: ``migrate --database bench`` would write those into the
    configured database. So the default alias's *connection object* is replaced
    (in this thread) by a new wrapper built from the bench settings; the original
    wrapper is put aside untouched (an open transaction in it, such as a test's,
    stays as it was) and restored afterwards. The settings are also registered
    as the ``bench`` alias while the block runs. Works the same on SQLite and
    PostgreSQL.
    """
    backend = load_backend(settings["ENGINE"])
    saved = connections[DEFAULT_DB_ALIAS]
    wrapper = backend.DatabaseWrapper(settings, DEFAULT_DB_ALIAS)
    connections.databases[BENCH_ALIAS] = settings
    connections[DEFAULT_DB_ALIAS] = wrapper
    _reset_process_caches()
    try:
        yield wrapper
    finally:
        try:
            wrapper.close()
        finally:
            connections[DEFAULT_DB_ALIAS] = saved
            connections.databases.pop(BENCH_ALIAS, None)
            with suppress(AttributeError):
                del connections[BENCH_ALIAS]
            _reset_process_caches()


# The synthetic city ------------------------------------------------------

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
    data_changed()  # areas written: the locator follows
    return city


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


# Sections ----------------------------------------------------------------


@dataclass
class Context:
    size: int
    label: str
    repeat: int
    vendor: str
    say: Callable[[str], None]
    client: Client = field(default_factory=Client)


def _naive_queryset(query: str):
    """The same intent without the index-aware selector: icontains and plain joins."""
    params = QueryDict(query)
    rows = Resource.objects.filter(
        visibility=Resource.Visibility.PUBLIC, status=Resource.Status.ACTIVE
    )
    if q := params.get("q"):
        rows = rows.filter(
            Q(name__icontains=q) | Q(description__icontains=q) | Q(kana__icontains=q)
        )
    if area := params.get("area"):
        rows = rows.filter(Q(area__code=area) | Q(area__parent__code=area))
    if category := params.get("category"):
        rows = rows.filter(Q(categories__code=category) | Q(categories__name=category))
    if weekday := params.get("weekday"):
        rows = rows.filter(schedules__weekdays__icontains=weekday)
    if params.get("free"):
        rows = rows.filter(fee_free=True)
    order = ["kana", "name", "pk"]
    if params.get("lat"):
        lat, lng = float(params["lat"]), float(params["lng"])
        rows = rows.annotate(distance_km=distance_expression(lat, lng)).filter(
            distance_km__lte=float(params.get("radius_km") or 1)
        )
        order = ["distance_km", "pk"]
    if category or weekday:
        rows = rows.distinct()
    return rows.order_by(*order)


def _count_and_page(queryset) -> Callable[[], object]:
    return lambda: (queryset.count(), list(queryset[:PAGE_SIZE]))


class SearchSection:
    """GET /resources/ for the five query shapes, warm (cache as configured) and
    cold (SEARCH_CACHE_SECONDS=0), against the view's own SQL and a naive scan."""

    key = "shapes"
    title = "検索ページ（匿名）"

    def run(self, ctx: Context) -> dict:
        shapes = {}
        for shape in QUERY_SHAPES:
            ctx.say(f"  検索 {shape.key}: {shape.query}")
            shapes[shape.key] = self._shape(ctx, shape)
        return shapes

    def _shape(self, ctx: Context, shape: Shape) -> dict:
        url = f"/resources/?{shape.query}"

        def fetch():
            return ctx.client.get(url)

        response = fetch()
        if response.status_code != 200:
            raise CommandError(f"{url} が {response.status_code} を返しました。")
        filters = SearchFilters.from_query(QueryDict(shape.query))
        if filters.errors:
            raise CommandError(f"{url}: {' '.join(filters.errors)}")
        hits = resource_search(fetched_by=AnonymousUser(), filters=filters).count()

        # Warm: as configured, the same URL again and again (cached after the first).
        warm_sql = captured_sql(fetch)
        warm = timed(fetch, ctx.repeat)
        # Cold: every request does all the work; "bare" is the SQL it sends, replayed.
        with override_settings(SEARCH_CACHE_SECONDS=0):
            cold = timed(fetch, ctx.repeat)
            bare_sql = captured_sql(fetch)
        bare = timed(lambda: run_statements(bare_sql), ctx.repeat)

        naive = _naive_queryset(shape.query)
        naive_hits = naive.count()
        naive_sql = captured_sql(_count_and_page(naive))
        naive_times = timed(
            lambda: run_statements(naive_sql), max(3, min(ctx.repeat, NAIVE_REPEAT_MAX)), 1
        )

        warm_p50 = percentile(warm, 0.5)
        cold_p50 = percentile(cold, 0.5)
        bare_p50 = percentile(bare, 0.5)
        naive_p50 = percentile(naive_times, 0.5)
        cold_summary = summary(cold)
        return {
            "query": shape.query,
            "label": shape.label,
            "hits": hits,
            "cache_seconds": getattr(django_settings, "SEARCH_CACHE_SECONDS", None),
            **summary(warm),
            "warm_statements": len(warm_sql),
            "cold_p50": cold_summary["p50"],
            "cold_p95": cold_summary["p95"],
            "bare_statements": len(bare_sql),
            "bare_p50": round(bare_p50, 2),
            "ratio_bare": _ratio(warm_p50, bare_p50),
            "ratio_bare_cold": _ratio(cold_p50, bare_p50),
            "naive_p50": round(naive_p50, 2),
            "naive_hits": naive_hits,
            "ratio_naive": _ratio(naive_p50, warm_p50),
            "ratio_naive_cold": _ratio(naive_p50, cold_p50),
            "ratio_naive_sql": _ratio(naive_p50, bare_p50),
        }

    # (check name suffix, p95 figure, view/bare figure, naive/view figure)
    MODES = (
        ("", "p95", "ratio_bare", "ratio_naive"),
        (" cold", "cold_p95", "ratio_bare_cold", "ratio_naive_cold"),
    )

    def checks(self, figures: dict, ctx: Context) -> list[Check]:
        checks = []
        for key, shape in figures.items():
            for suffix, p95, ratio_bare, ratio_naive in self.MODES:
                budget = SEARCH_P95_MS[ctx.label]
                checks.append(Check(f"{key} p95{suffix}", shape[p95], budget, "<=", "ms"))
                if shape[ratio_bare] is not None:
                    checks.append(
                        Check(f"{key} view/bare{suffix}", shape[ratio_bare], RATIO_BARE_MAX, "<=")
                    )
                # "ratio to a naive icontains scan >= 10 at L": the shapes with a keyword.
                if ctx.label == "L" and "q=" in shape["query"] and shape[ratio_naive] is not None:
                    checks.append(
                        Check(
                            f"{key} naive/view{suffix}", shape[ratio_naive], RATIO_NAIVE_MIN, ">="
                        )
                    )
        return checks

    def render(self, figures: dict, ctx: Context, checks: dict[str, Check]) -> list[str]:
        cache_seconds = next(iter(figures.values()), {}).get("cache_seconds")
        return [
            f"{self.title}  — ms, {ctx.repeat} runs after {WARMUPS} warm-ups; "
            "sql = statements per request; bare = the SQL of one cold request, replayed; "
            "naive = icontains scan",
            f"温 warm — cache as configured (SEARCH_CACHE_SECONDS={cache_seconds}), "
            "the same URL repeated",
            *self._table(figures, checks, warm=True),
            "冷 cold — SEARCH_CACHE_SECONDS=0, every request does all the work",
            *self._table(figures, checks, warm=False),
        ]

    def _table(self, figures: dict, checks: dict[str, Check], *, warm: bool) -> list[str]:
        suffix, p95, ratio_bare, ratio_naive = self.MODES[0 if warm else 1]
        p50 = "p50" if warm else "cold_p50"
        statements = "warm_statements" if warm else "bare_statements"
        lines = [
            f"  {'shape':<14}{'query':<40}{'hits':>7}{'sql':>5}{'p50':>8}{'p95':>8}  "
            f"{'budget':<11}{'bare':>7}{'view/bare':>10}  {'budget':<9}"
            f"{'naive':>9}{'naive/view':>11}  budget"
        ]
        for key, s in figures.items():
            lines.append(
                f"  {key:<14}{_clip(s['query'], 39):<40}{s['hits']:>7,}{s[statements]:>5}"
                f"{s[p50]:>8.1f}{s[p95]:>8.1f}  {_verdict(checks.get(f'{key} p95{suffix}')):<11}"
                f"{s['bare_p50']:>7.1f}{_num(s[ratio_bare]):>10}  "
                f"{_verdict(checks.get(f'{key} view/bare{suffix}')):<9}"
                f"{s['naive_p50']:>9.1f}{_num(s[ratio_naive]):>11}  "
                f"{_verdict(checks.get(f'{key} naive/view{suffix}'))}"
            )
        return lines


class MapSection:
    """GET /resources/map.geojson for the tier-1 area with the most resources."""

    key = "geojson"
    title = "地図 GeoJSON（第1層の区域まるごと、gzip）"

    def run(self, ctx: Context) -> dict:
        top = (
            Resource.objects.exclude(area_tier1=None)
            .values("area_tier1__code")
            .annotate(n=Count("pk"))
            .order_by("-n", "area_tier1__code")
            .first()
        )
        if top is None:
            raise CommandError("区域に属する地域資源がありません。")
        code = top["area_tier1__code"]
        url = f"/resources/map.geojson?area={code}"
        ctx.say(f"  地図 {url}")

        def fetch():
            return ctx.client.get(url, HTTP_ACCEPT_ENCODING="gzip")

        response = fetch()
        if response.status_code != 200:
            raise CommandError(f"{url} が {response.status_code} を返しました。")
        body = response.content
        raw = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
        features = len(json.loads(raw)["features"])
        samples = timed(fetch, ctx.repeat)
        return {
            "area": code,
            "resources_in_area": top["n"],
            "features": features,
            **summary(samples),
            "gzip_kb": round(len(body) / 1024, 1),
            "raw_kb": round(len(raw) / 1024, 1),
            "gzip": response.get("Content-Encoding") == "gzip",
        }

    @staticmethod
    def scale(figures: dict) -> float:
        """Budgets are for 2,000 features; a bigger area gets them pro rata."""
        return max(1.0, figures["features"] / GEOJSON_FEATURES)

    def checks(self, figures: dict, ctx: Context) -> list[Check]:
        scale = self.scale(figures)
        return [
            Check("geojson p95", figures["p95"], round(GEOJSON_MS * scale, 1), "<=", "ms"),
            Check("geojson gzip", figures["gzip_kb"], round(GEOJSON_KB * scale, 1), "<=", "KB"),
        ]

    def render(self, figures: dict, ctx: Context, checks: dict[str, Check]) -> list[str]:
        f = figures
        return [
            f"{self.title}",
            f"area={f['area']}: {f['features']:,} features  p50 {f['p50']:.1f} ms  "
            f"p95 {f['p95']:.1f} ms {_verdict(checks['geojson p95'])}  "
            f"gzip {f['gzip_kb']:.1f} KB {_verdict(checks['geojson gzip'])}  (raw {f['raw_kb']:.1f} KB)",
            f"  (budget {GEOJSON_MS:g} ms / {GEOJSON_KB:g} KB per {GEOJSON_FEATURES:,} features,"
            f" x{self.scale(f):.2f} for this area)",
        ]


class PdfSection:
    """The printing budgets (resources.printing.print_bench_figures), at S only:
    a city's own prints, not a prefecture's."""

    key = "pdf"
    title = "印刷 PDF（WeasyPrint、秒）"

    def run(self, ctx: Context) -> dict | None:
        if ctx.size > SIZE_S:
            return None
        from bench.pdf_figures import print_bench_figures

        ctx.say("  印刷 PDF（一覧・地図・冊子）")
        return print_bench_figures(repeat=3, booklet_areas_max=24)

    def checks(self, figures: dict | None, ctx: Context) -> list[Check]:
        if not figures:
            return []
        budgets = figures["budgets"]
        checks = [
            Check("pdf list 100", figures["list_100"]["seconds"], budgets["list_100"], "<=", "s"),
            Check(
                "pdf list/bare", figures["ratio_list_to_bare"], budgets["ratio_list_to_bare"], "<="
            ),
        ]
        if "area_map" in figures:
            checks.append(
                Check(
                    "pdf area map", figures["area_map"]["seconds"], budgets["area_map"], "<=", "s"
                )
            )
        return checks

    def render(self, figures: dict | None, ctx: Context, checks: dict[str, Check]) -> list[str]:
        if not figures:
            return []
        f = figures
        lines = [
            self.title,
            f"list of {f['list_100']['rows']} rows ({f['list_100']['pages']} pages): "
            f"{f['list_100']['seconds']:.2f} s {_verdict(checks.get('pdf list 100'))}; "
            f"bare WeasyPrint {f['bare_100']['seconds']:.2f} s; "
            f"ratio {f['ratio_list_to_bare']:.2f} {_verdict(checks.get('pdf list/bare'))}",
            f"list of {f['list_10_pages']['rows']} rows ({f['list_10_pages']['pages']} pages): "
            f"{f['list_10_pages']['seconds']:.2f} s",
        ]
        if "area_map" in f:
            lines.append(
                f"area map {f['area_map']['area']} ({f['area_map']['rows']} rows): "
                f"{f['area_map']['seconds']:.2f} s {_verdict(checks.get('pdf area map'))}"
            )
        if "booklet" in f:
            lines.append(
                f"booklet, {f['booklet']['areas']} areas ({f['booklet']['rows']} rows): "
                f"{f['booklet']['seconds']:.1f} s"
            )
        return lines


class ImportSection:
    """Importing the 10,386-row cp932 WAM NET file (resources.importing), at S only;
    the real import is rolled back, so the bench data stays as it was."""

    key = "import"
    title = "取込（cp932 CSV 10,386行）"

    def run(self, ctx: Context) -> dict | None:
        if ctx.size > SIZE_S:
            return None
        from bench.import_figures import import_bench_figures

        ctx.say("  取込 WAM NET cp932")
        return import_bench_figures()

    def checks(self, figures: dict | None, ctx: Context) -> list[Check]:
        if not figures:
            return []
        budget = figures["budget_rows_per_second"]
        return [
            Check("import dry run", figures["dry_run"]["rows_per_second"], budget, ">=", "rows/s"),
            Check("import real", figures["real"]["rows_per_second"], budget, ">=", "rows/s"),
        ]

    def render(self, figures: dict | None, ctx: Context, checks: dict[str, Check]) -> list[str]:
        if not figures:
            return []
        f = figures
        return [
            self.title,
            f"dry run {f['dry_run']['rows_per_second']:,.0f} rows/s ({f['dry_run']['seconds']:.1f} s) "
            f"{_verdict(checks.get('import dry run'))}; real {f['real']['rows_per_second']:,.0f} rows/s "
            f"({f['real']['seconds']:.1f} s) {_verdict(checks.get('import real'))}",
        ]


# wrk's script: the search URLs in turn; every answer other than 200 counted; one
# line of JSON at the end (wrk's own summary counts only status >= 400).
WRK_SCRIPT = """
local paths = {PATHS}
local threads = {}
local index = 0
non200 = 0

function setup(thread)
  table.insert(threads, thread)
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

function done(summary, latency, requests)
  local non200_total = 0
  for _, thread in ipairs(threads) do non200_total = non200_total + thread:get("non200") end
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %.0f, "duration_us": %.0f, "non_200": %.0f, "connect": %.0f, '
    .. '"read": %.0f, "write": %.0f, "timeout": %.0f, "p50_us": %.0f, "p99_us": %.0f, '
    .. '"max_us": %.0f}\\n',
    "WRK_MARKER", summary.requests, summary.duration, non200_total, e.connect, e.read,
    e.write, e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
"""
WRK_MARKER = "bench-wrk "


def search_paths() -> list[str]:
    """The five shapes' URLs, percent-encoded as they go on the wire."""
    return [f"/resources/?{urlencode(parse_qsl(shape.query))}" for shape in QUERY_SHAPES]


def wrk_script(paths: list[str]) -> str:
    listed = ", ".join(json.dumps(path) for path in paths)  # ASCII: Lua reads them as is
    return WRK_SCRIPT.replace("{PATHS}", "{" + listed + "}").replace("WRK_MARKER", WRK_MARKER)


def database_url(settings: dict) -> str:
    """A DATABASE_URL (as portal/settings.py reads it) for these database settings."""
    if _vendor(settings) == "sqlite":
        return f"sqlite:///{Path(settings['NAME']).resolve()}"
    scheme = "postgis" if settings["ENGINE"].endswith("postgis") else "postgres"
    auth = quote(str(settings.get("USER") or ""), safe="")
    if settings.get("PASSWORD"):
        auth += ":" + quote(str(settings["PASSWORD"]), safe="")
    host = quote(str(settings.get("HOST") or ""), safe="")
    if settings.get("PORT"):
        host += f":{settings['PORT']}"
    options = {k: v for k, v in (settings.get("OPTIONS") or {}).items() if isinstance(v, str)}
    query = f"?{urlencode(options)}" if options else ""
    name = quote(settings["NAME"], safe="")
    return f"{scheme}://{auth + '@' if auth else ''}{host}/{name}{query}"


def parse_wrk(output: str) -> dict:
    """The figures of a wrk run from the line WRK_SCRIPT writes at the end."""
    for line in output.splitlines():
        if line.startswith(WRK_MARKER):
            raw = json.loads(line[len(WRK_MARKER) :])
            break
    else:
        raise CommandError(f"wrk の出力に結果がありません:\n{output[-2000:]}")
    seconds = raw["duration_us"] / 1e6
    socket_errors = {name: int(raw[name]) for name in ("connect", "read", "write", "timeout")}
    return {
        "requests": int(raw["requests"]),
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "non_200": int(raw["non_200"]),
        "socket_errors": socket_errors,
        "errors": int(raw["non_200"]) + sum(socket_errors.values()),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@contextmanager
def gunicorn_server(database: str, environ: dict[str, str]) -> Iterator[str]:
    """gunicorn (portal.wsgi, GUNICORN_WORKERS workers, DEBUG off) on a free local
    port against ``database``; yields its base URL once the search page answers 200,
    and stops it afterwards, whatever happened."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database, "DEBUG": "0", **environ}
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi"]
    command += ["--workers", str(GUNICORN_WORKERS), "--bind", f"127.0.0.1:{port}"]
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(
            command,
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers go with it
        )

        def fail(message: str) -> CommandError:
            log.seek(0)
            return CommandError(f"{message}\n{log.read()[-3000:]}")

        try:
            deadline = time.monotonic() + SERVER_START_SECONDS
            ready = base + search_paths()[0]
            while (status := _get_status(ready)) != 200:
                if server.poll() is not None:
                    raise fail(f"gunicorn が終了しました（{server.returncode}）。")
                if status is not None or time.monotonic() > deadline:
                    raise fail(f"gunicorn が {ready} に 200 を返しません（{status}）。")
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


class ThroughputSection:
    """Requests per second of the search page from gunicorn with two workers, as
    deployed, driven by wrk over the five shapes; at S only. Warm (the cache as
    configured) is held to the budget; cold (SEARCH_CACHE_SECONDS=0) is shown."""

    key = "throughput"
    title = "スループット（検索ページ、gunicorn）"

    def run(self, ctx: Context) -> dict | None:
        if ctx.label != "S":
            return None
        wrk = shutil.which("wrk")
        if wrk is None:
            message = (
                "wrk がありません（make bench か apt-get install wrk で入ります）。"
                "スループットは測りません。"
            )
            ctx.say(f"  {message}")
            return {"skipped": message}
        database = database_url(connection.settings_dict)
        cache_seconds = getattr(django_settings, "SEARCH_CACHE_SECONDS", 300)
        figures: dict = {
            "workers": GUNICORN_WORKERS,
            "connections": WRK_CONNECTIONS,
            "duration_s": WRK_SECONDS,
            "paths": search_paths(),
            "cache_seconds": cache_seconds,
        }
        for mode, seconds in (("warm", cache_seconds), ("cold", 0)):
            ctx.say(f"  スループット {mode}: SEARCH_CACHE_SECONDS={seconds}, {WRK_SECONDS} 秒")
            with gunicorn_server(database, {"SEARCH_CACHE_SECONDS": str(seconds)}) as base:
                figures[mode] = self._load(wrk, base)
        return figures

    def _load(self, wrk: str, base: str) -> dict:
        paths = search_paths()
        for path in paths * 4:  # both workers: templates loaded, pages cached
            _get_status(base + path)
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as file:
            file.write(wrk_script(paths))
            file.flush()
            command = [wrk, "--threads", "1", "--connections", str(WRK_CONNECTIONS)]
            command += ["--duration", f"{WRK_SECONDS}s", "--timeout", "5s", "--script", file.name]
            done = subprocess.run(
                [*command, base],
                capture_output=True,
                text=True,
                timeout=WRK_SECONDS + 60,
            )
        if done.returncode != 0:
            raise CommandError(f"wrk が失敗しました（{done.returncode}）: {done.stderr[-2000:]}")
        return parse_wrk(done.stdout)

    def checks(self, figures: dict | None, ctx: Context) -> list[Check]:
        if not figures or "skipped" in figures:
            return []
        warm = figures["warm"]
        return [
            Check("throughput rps", warm["rps"], THROUGHPUT_RPS, ">=", "req/s"),
            Check("throughput errors", warm["errors"], THROUGHPUT_ERRORS, "<="),
        ]

    def render(self, figures: dict | None, ctx: Context, checks: dict[str, Check]) -> list[str]:
        if not figures:
            return []
        if "skipped" in figures:
            return [self.title, f"skipped: {figures['skipped']}"]
        f = figures
        lines = [
            f"{self.title} — {f['workers']} workers, wrk 1 thread {f['connections']} connections "
            f"{f['duration_s']} s, the {len(f['paths'])} shapes in turn",
        ]
        for mode, label in (("warm", "温 warm"), ("cold", "冷 cold")):
            m = f[mode]
            seconds = f["cache_seconds"] if mode == "warm" else 0
            if mode == "warm":
                rps = _verdict(checks.get("throughput rps"))
                errors = _verdict(checks.get("throughput errors"))
            else:
                rps = errors = "(info)"
            lines.append(
                f"{label} (SEARCH_CACHE_SECONDS={seconds}): {m['rps']:,.1f} req/s {rps}  "
                f"errors {m['errors']} {errors}  p50 {m['p50_ms']:.1f} ms  "
                f"p99 {m['p99_ms']:.1f} ms  ({m['requests']:,} requests in {m['seconds']:.1f} s)"
            )
            if m["errors"]:
                kinds = {"non-200": m["non_200"], **m["socket_errors"]}
                lines.append("  errors: " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
        return lines


SECTIONS: list = [
    SearchSection(),
    MapSection(),
    PdfSection(),
    ImportSection(),
    ThroughputSection(),
]


def _verdict(check: Check | None) -> str:
    if check is None:
        return "—"
    mark = "PASS" if check.passed else "FAIL"
    return f"{check.op}{check.limit:g} {mark}"


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 2) if denominator else None


def _num(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# Orchestration -------------------------------------------------------------


def run_bench(
    *,
    sizes: tuple[int, ...] | list[int] = DEFAULT_SIZES,
    repeat: int = DEFAULT_REPEAT,
    regenerate: bool = False,
    only: list[str] | None = None,
    say: Callable[[str], None] = lambda message: None,
) -> dict:
    """Every figure of every section for every size, as one JSON-ready dict."""
    base = connections[DEFAULT_DB_ALIAS].settings_dict
    report: dict = {
        "database": {"vendor": _vendor(base), "configured": str(base["NAME"])},
        "repeat": repeat,
        "warmups": WARMUPS,
        "load_average_before": _load_average(),
        "sizes": [],
    }
    with warnings.catch_warnings():
        # WhiteNoise warns about a missing STATIC_ROOT on every new client; not ours.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        for size in sizes:
            report["sizes"].append(_run_size(base, size, repeat, regenerate, say, only))
    # Other processes on the machine skew every figure: say how busy it was.
    report["load_average_after"] = _load_average()
    return report


def _load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _run_size(
    base: dict, size: int, repeat: int, regenerate: bool, say, only: list[str] | None = None
) -> dict:
    settings = bench_database_settings(base, size)
    created = ensure_database(settings)
    label = size_label(size)
    say(f"== {label} = {size:,} 件: {settings['NAME']}{'（新規作成）' if created else ''}")
    with bench_database(settings) as wrapper:
        call_command("migrate", database=DEFAULT_DB_ALIAS, interactive=False, verbosity=0)
        city = ensure_city()
        reused = not regenerate and bench_data_ready(city, size)
        seconds = None
        if reused:
            say("  生成済みのデータを再利用します。")
        else:
            say("  地域資源を生成しています…")
            start = time.perf_counter()
            wipe_resources()
            generate_resources(city, size, say=say)
            seconds = round(time.perf_counter() - start, 1)
            say(f"  生成 {seconds} 秒")
        if wrapper.vendor == "postgresql":
            # Fresh statistics, as autovacuum keeps them in production: without
            # them the planner guesses how many rows a bigram phrase matches.
            with wrapper.cursor() as cursor:
                cursor.execute("ANALYZE")
        ctx = Context(size=size, label=label, repeat=repeat, vendor=wrapper.vendor, say=say)
        entry: dict = {
            "size": size,
            "label": label,
            "database": settings["NAME"],
            "server_version": _server_version(wrapper),
            "reused": reused,
            "generation_seconds": seconds,
        }
        checks: list[Check] = []
        for section in SECTIONS:
            if only and section.key not in only:
                continue
            figures = section.run(ctx)
            entry[section.key] = figures
            checks += section.checks(figures, ctx)
        entry["checks"] = [check.as_dict() for check in checks]
        return entry


def _server_version(wrapper) -> str:
    with wrapper.cursor() as cursor:
        if wrapper.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return str(cursor.fetchone()[0])


def render_report(report: dict) -> str:
    lines: list[str] = []
    vendor = report["database"]["vendor"]
    for entry in report["sizes"]:
        ctx = Context(
            size=entry["size"],
            label=entry["label"],
            repeat=report["repeat"],
            vendor=vendor,
            say=lambda message: None,
            client=None,  # type: ignore[arg-type]
        )
        generated = (
            "reused (generated earlier)"
            if entry["reused"]
            else f"generated in {entry['generation_seconds']} s"
        )
        lines += [
            "",
            f"== {entry['label']} = {entry['size']:,} resources — {vendor} "
            f"{entry['server_version']} ({entry['database']}) — {generated}",
        ]
        checks = {
            c["name"]: Check(c["name"], c["value"], c["limit"], c["op"], c["unit"])
            for c in entry["checks"]
        }
        for section in SECTIONS:
            if section.key in entry:
                lines += ["", *section.render(entry[section.key], ctx, checks)]
        failed = [c for c in checks.values() if not c.passed]
        lines += [
            "",
            f"budgets: {len(checks) - len(failed)} PASS, {len(failed)} FAIL"
            + (": " + ", ".join(c.name for c in failed) if failed else ""),
        ]
    load = report.get("load_average_before"), report.get("load_average_after")
    if None not in load:
        lines += ["", f"load average (1, 5, 15 min): before {load[0]}, after {load[1]}"]
    if vendor != "postgresql":
        lines += ["", "Note: the budgets are set for PostgreSQL; SQLite figures are for reference."]
    return "\n".join(lines).lstrip("\n")
