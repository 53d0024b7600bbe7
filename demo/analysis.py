"""The demo city's 地域分析: the real 2020 population of 大阪市's 町丁, and
fictitious participants, need tags and unmet searches.

The population is real (令和2年国勢調査 小地域, ``fixtures/population/``) and read
by ``import_population`` as any city's would be; the tier-2 areas it sums to
are the demo's own (the analysis page says so). Participants per 通いの場, the
needs tagged on activities and the searches that found nothing are invented,
deterministic (a fixed seed) and idempotent.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from analysis.measures import KAYOI_TYPES
from analysis.models import Participation
from analysis.population import import_population
from coordinators.models import Activity
from portal.models import Area
from portal.wareki import fiscal_year_of
from resources.demand import week_of
from resources.models import Category, Resource, UnmetSearch

POPULATION_FILE = (
    Path(settings.BASE_DIR) / "fixtures/population/osaka_city_census2020_T001082_age5_smallarea.csv"
)
SOURCE = "総務省統計局『令和2年国勢調査』小地域集計（e-Stat）"
SEED = 17
# What residents of the demo search for and do not find (invented).
UNMET_WORDS = ["将棋", "男の料理", "麻雀", "スマホ教室", "ゴミ出し", "囲碁", "カラオケ", "草むしり"]
# Keywords of what was heard -> the category of the need (demo tagging).
NEED_WORDS = [
    ("買い物", "shopping"),
    ("ゴミ", "housework"),
    ("掃除", "housework"),
    ("外出", "outing"),
    ("通院", "outing"),
    ("体操", "exercise"),
    ("運動", "exercise"),
    ("交流", "social"),
    ("サロン", "social"),
    ("居場所", "social"),
    ("仕事", "work"),
    ("趣味", "hobby"),
]


def build_analysis_demo(*, say: Callable[[str], None] = lambda _m: None) -> dict[str, int]:
    result = import_population(POPULATION_FILE.read_bytes(), POPULATION_FILE.name, source=SOURCE)
    say(f"人口（令和2年国勢調査）: {result.written} 町丁、照合できない行 {len(result.unmatched)}")
    rng = random.Random(SEED)
    year = fiscal_year_of(timezone.localdate())
    participations = 0
    kayoi = Resource.objects.filter(
        status=Resource.Status.ACTIVE, resource_type__in=KAYOI_TYPES
    ).order_by("code")
    for resource in kayoi:
        if rng.random() < 0.6:
            for fy in (year - 1, year):
                Participation.objects.update_or_create(
                    resource=resource,
                    fiscal_year=fy,
                    defaults={
                        "participants": rng.randint(8, 45),
                        "note": "デモ用の架空の人数",
                    },
                )
                participations += 1
    categories = {c.code: c for c in Category.objects.all()}
    tagged = 0
    for activity in Activity.objects.exclude(heard="").order_by("pk"):
        wanted = {categories[code] for word, code in NEED_WORDS if word in activity.heard}
        if wanted or activity.pk % 7 == 0:
            activity.needs.set(sorted(wanted, key=lambda c: c.pk))
            none = not wanted or activity.pk % 5 == 0
            if activity.no_matching_resource != none:
                Activity.objects.filter(pk=activity.pk).update(no_matching_resource=none)
            tagged += 1
    searches = 0
    today = timezone.localdate()
    areas = list(Area.objects.filter(Q(tier=2)).order_by("code"))
    for weeks_ago in range(0, 26, 2):
        week = week_of(today - timedelta(weeks=weeks_ago))
        for area in areas:
            if rng.random() < 0.35:
                UnmetSearch.objects.update_or_create(
                    word=rng.choice(UNMET_WORDS),
                    area=area,
                    week=week,
                    defaults={"count": rng.randint(1, 4)},
                )
                searches += 1
    say(f"地域分析のデモ: 参加者数 {participations}、ニーズの記録 {tagged}、0件の検索 {searches}")
    return {"population": result.written, "participations": participations}
