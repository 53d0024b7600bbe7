"""A small city built by hand for 地域分析, with every figure counted by hand.

The conftest's three tier-2 areas (北区 第1圏域, 北区 第2圏域, 港区 第1圏域), twelve
町丁 on one line of latitude 0.1° of longitude apart (9 km: no 町丁 is near
another's resources), and resources due north of them at known distances.
1° of latitude is 111,195 m on the sphere portal.geo measures on, so a
resource ``d`` metres north of a 町丁 is exactly ``d`` metres from it.

=========  =====  ====  =============================================  ========
町丁        area   65+   nearest resource (type, status, distance)      人口
=========  =====  ====  =============================================  ========
P1          kita1  100   salon, active, staff-only, 300 m               400
P2          kita1  200   体操教室, active, 800 m (新規立ち上げ FY2025)     1,000
P3          kita1   50   介護保険事業所, active, 100 m (not a 通いの場)    500
P4          kita1  150   salon, paused, 100 m (not active)              600
P5          kita2  300   認知症カフェ, active, 400 m (拡充 FY2025)         1,200
P6          kita2  100   趣味の会, active, 950 m (新規 FY2024)            300
P7          kita2    0   salon, active, 200 m                           50
P8          kita2  250   salon, active, 450 m, registered in minato1    900
P9          mina.  120   salon, active, 100 m                           480
P10         mina.   80   —                                              400
P11         mina.  200   —                                              700
P12         mina.  100   生活支援, active, 50 m (not a 通いの場)           600
=========  =====  ====  =============================================  ========
"""

from __future__ import annotations

from datetime import date

import pytest

from analysis.models import ChomePopulation, Participation
from coordinators.models import Function, Kind
from councils.models import RegionalIssue
from resources.demand import record_unmet
from resources.models import Category
from tests.conftest import log, make_address_point, make_resource

FY = 2025
M_PER_DEG = 111_195.08  # 2πR / 360 with portal.geo's R
LAT = 34.60

TOWNS = [
    # name, area key, 65+, population, resource (type, status, metres, extra) or None
    ("P1", "kita1", 100, 400, ("salon", "active", 300, {"visibility": "staff"})),
    (
        "P2",
        "kita1",
        200,
        1000,
        ("exercise", "active", 800, {"origin": "new", "origin_date": date(2025, 6, 1)}),
    ),
    ("P3", "kita1", 50, 500, ("care_office", "active", 100, {})),
    ("P4", "kita1", 150, 600, ("salon", "paused", 100, {})),
    (
        "P5",
        "kita2",
        300,
        1200,
        ("dementia_cafe", "active", 400, {"origin": "expanded", "origin_date": date(2026, 3, 31)}),
    ),
    (
        "P6",
        "kita2",
        100,
        300,
        ("hobby", "active", 950, {"origin": "new", "origin_date": date(2024, 7, 1)}),
    ),
    ("P7", "kita2", 0, 50, ("salon", "active", 200, {})),
    ("P8", "kita2", 250, 900, ("salon", "active", 450, {"area_key": "minato1"})),
    ("P9", "minato1", 120, 480, ("salon", "active", 100, {})),
    ("P10", "minato1", 80, 400, None),
    ("P11", "minato1", 200, 700, None),
    ("P12", "minato1", 100, 600, ("life_support", "active", 50, {})),
]


@pytest.fixture
def small_city(areas, profiles, meetings):
    resources = {}
    points = {}
    for index, (name, key, aged, population, resource) in enumerate(TOWNS):
        lng = 135.0 + index * 0.1
        point = make_address_point(
            code=f"9{index:04d}",
            city="大阪市",
            ward=areas[key].tier1.name,
            name=name,
            lat=LAT,
            lng=lng,
            area=areas[key],
        )
        points[name] = point
        ChomePopulation.objects.create(address_point=point, total=population, aged_65=aged)
        if resource is None:
            continue
        kind, status, metres, extra = resource
        extra = dict(extra)
        area = areas[extra.pop("area_key", key)]
        resources[name] = make_resource(
            name=f"{name}の資源",
            resource_type=kind,
            status=status,
            lat=LAT + metres / M_PER_DEG,
            lng=lng,
            area=area,
            area_locked=True,
            **extra,
        )
    social = Category.objects.get(code="social")
    resources["P1"].categories.add(social)
    resources["P9"].categories.add(social, Category.objects.get(code="exercise"))
    Participation.objects.create(resource=resources["P1"], fiscal_year=FY, participants=30)
    Participation.objects.create(resource=resources["P5"], fiscal_year=FY, participants=65)
    Participation.objects.create(resource=resources["P9"], fiscal_year=FY - 1, participants=99)
    # Searches that found nothing: 将棋 ×3 and 麻雀 ×1 in kita1, 将棋 ×2 in minato1,
    # 将棋 ×1 with no area (the city only), one in the year before (not counted).
    for _ in range(3):
        record_unmet(["将棋"], areas["kita1"], day=date(2025, 5, 12))
    record_unmet(["麻雀"], areas["kita1"], day=date(2026, 3, 30))
    record_unmet(["将棋"], areas["minato1"], day=date(2025, 10, 1))
    record_unmet(["将棋"], areas["minato1"], day=date(2025, 10, 2))
    record_unmet(["将棋"], None, day=date(2025, 10, 2))
    record_unmet(["将棋"], areas["kita1"], day=date(2025, 3, 20))
    # Needs heard: kita1 one (買い物); kita2 two tagged (買い物・外出 with 該当する資源なし,
    # and 該当する資源なし alone), one untagged; one kita1 tagged in FY2024 (not counted).
    shopping = Category.objects.get(code="shopping")
    outing = Category.objects.get(code="outing")
    day = date(2025, 9, 1)
    log(
        profiles["kita1"],
        areas["kita1"],
        day,
        Kind.CONSULTATION,
        [Function.ASSESSMENT],
        heard="買い物に行けない",
        needs=[shopping],
    )
    log(
        profiles["kita2"],
        areas["kita2"],
        day,
        Kind.VISIT,
        [Function.ASSESSMENT],
        heard="通院と買い物",
        needs=[shopping, outing],
        no_matching_resource=True,
    )
    log(
        profiles["kita2"],
        areas["kita2"],
        day,
        Kind.VISIT,
        [Function.ASSESSMENT],
        heard="男性の居場所がない",
        no_matching_resource=True,
    )
    log(profiles["kita2"], areas["kita2"], day, Kind.VISIT, [Function.ASSESSMENT], heard="元気")
    log(
        profiles["kita1"],
        areas["kita1"],
        date(2025, 3, 1),
        Kind.VISIT,
        [Function.ASSESSMENT],
        needs=[shopping],
    )
    # 地域課題: two open (kita1 提起, minato1 検討中), one 対応済 (kita1).
    for key, status, theme in (
        ("kita1", RegionalIssue.Status.RAISED, "坂の上の町に通いの場がない"),
        ("kita1", RegionalIssue.Status.RESOLVED, "ゴミ出しの支援"),
        ("minato1", RegionalIssue.Status.DISCUSSING, "買い物の足がない"),
    ):
        RegionalIssue.objects.create(
            meeting=meetings[key], area=areas[key], theme=theme, status=status
        )
    return {"resources": resources, "points": points}
