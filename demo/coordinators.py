"""Demo coordinators: one tier-1 coordinator per ward (社会福祉協議会) and one per
tier-2 area (地域包括支援センター), a year and a half of activities (令和7年度 and
令和8年度 to date), and the 立上支援 that turned resources into 新規立ち上げ /
既存資源の拡充. Deterministic (a fixed seed) and idempotent (keyed by
``external_ref`` and usernames): a second run adds nothing.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from coordinators.models import (
    Activity,
    ActivityFunction,
    Affiliation,
    Coordinator,
    Function,
    Kind,
    Source,
)
from coordinators.services import coordinator_save, resource_launch_record
from portal.models import Area, User
from portal.municipality import city
from portal.roles import GROUP_COORDINATOR
from portal.wareki import fiscal_year_bounds
from resources.models import Resource

SEED = 20251
REF_PREFIX = "DEMO-A-"
START = fiscal_year_bounds(2025)[0]  # 令和7年度
# The demo is the city as of this day, whatever day it is loaded: the same data
# (and the same tests) from one day to the next.
END = date(2026, 11, 20)
ACTIVE_FROM = date(2017, 10, 1)

# (kind, source, source note, heard, response): after seed 002's 主な事例.
STORIES = [
    (
        Kind.VISIT,
        Source.SALON,
        "",
        "区内の活動や、買い物しやすいお店など知りたい",
        "地域の活動場所や食事処、買い物の情報を載せた地域情報マップを案内しました。",
    ),
    (
        Kind.VISIT,
        Source.SALON,
        "",
        "会場までの坂がつらくなってきた。近くで集まれる場所はないか",
        "近くの集会所で開いている体操の会を紹介し、世話役の方に声をかけてもらうよう依頼しました。",
    ),
    (
        Kind.VISIT,
        Source.NEIGHBOURHOOD,
        "",
        "町会の担い手が高齢化して、見守り活動を続けられるか不安",
        "見守り活動の担い手講座を案内し、近隣の町会と合同で行う方法を一緒に検討しています。",
    ),
    (
        Kind.CONSULTATION,
        Source.MANAGEMENT,
        "タワーマンションの管理人",
        "マンション内で住民同士の活動がしたい。高齢者の安否確認の仕組みをどう作るか",
        "住人・管理会社を巻き込みながら勉強会を実施し、集会室を使ったサロンの準備を進めています。",
    ),
    (
        Kind.CONSULTATION,
        Source.CARE_MANAGER,
        "区内の居宅介護支援事業所",
        "長時間の外出が難しくなりデイサービスに通えなくなった方に、近くの自主活動グループを紹介してほしい",
        "絵手紙の好きな方だったので、近隣の絵手紙の自主活動グループを紹介しました。参加後、生活の意欲が増したと報告を受けました。",
    ),
    (
        Kind.CONSULTATION,
        Source.NEIGHBOURHOOD,
        "",
        "町会会館を使ってサロン活動を始めたいがどうすればよいか",
        "会場を訪問し、サロン登録に向けた準備に協力しました。見守りや住民交流にもつなげる予定です。",
    ),
    (
        Kind.CONSULTATION,
        Source.COMMISSIONER,
        "",
        "一人暮らしの方のゴミ出しが難しくなっている",
        "ゴミ出し支援のボランティアグループにつなぎ、週1回の支援が始まりました。",
    ),
    (
        Kind.WORKSHOP,
        Source.RESIDENT,
        "",
        "地域活動に開放している家がある。そこでサロン活動がしたい",
        "協力者を集めて勉強会を開き、その家を使ったサロンの開始に向けて準備を進めています。",
    ),
    (
        Kind.WORKSHOP,
        Source.RESIDENT,
        "タワーマンションの住民",
        "住民同士のつながりをつくるため、食事をみんなで食べる企画をしてはどうか",
        "問題意識のある住人と管理会社を中心に、活動者・協力者を選ぶところから検討することになりました。",
    ),
    (
        Kind.VISIT,
        Source.PROVIDER,
        "",
        "デイサービスの送迎車が空いている時間を、買い物の送迎に使えないか",
        "事業所と地域の担い手をつなぎ、月2回の買い物送迎の試行を始めました。",
    ),
]
PLAIN_HEARD = [
    ("参加者が増えて会場が手狭になってきた", "近くの会場を一緒に探しています。"),
    ("世話役の交代を考えている", "次の世話役候補の方と話し合いの場を設けました。"),
    ("男性の参加者が少ない", "男性向けの料理教室の情報を紹介しました。"),
    ("", ""),
    ("", ""),
]


def _months(start: date, end: date):
    year, month = start.year, start.month
    while date(year, month, 1) <= end:
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _day(rng: random.Random, year: int, month: int, end: date) -> date:
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    day = date(year, month, rng.randint(1, last))
    return min(day, end)


def _affiliation(name: str, order: int) -> Affiliation:
    affiliation, _ = Affiliation.objects.update_or_create(name=name, defaults={"sort_order": order})
    return affiliation


def hokatsu_name(ward: Area, area: Area) -> str:
    if not city().has_wards:
        # 川口市: each 圏域's centre is named after it (青木圏域 → 青木地域包括支援センター).
        return f"{area.name.removesuffix('圏域')}地域包括支援センター"
    index = area.code.rsplit("-", 1)[-1]
    if index == "1":
        return f"{ward.name}地域包括支援センター"
    return f"{ward.name}第{index}地域包括支援センター"


def make_coordinators() -> list[Coordinator]:
    """A tier-1 coordinator per ward and a tier-2 one per tier-2 area.

    The demo users of demo.city (kita_coord, kita1_coord, minato_coord) get the
    profiles of their areas; the others are users that cannot log in.
    """
    group = Group.objects.get(name=GROUP_COORDINATOR)
    named = {"27127": "kita_coord", "27127-1": "kita1_coord", "27107": "minato_coord"}
    no_password = make_password(None)
    coordinators = []
    for ward in Area.objects.tier1().order_by("sort_order", "code"):
        children = list(ward.children.order_by("sort_order", "code"))
        plan = [(ward, f"{ward.name}社会福祉協議会", ward.sort_order * 10 + 9)]
        plan += [
            (area, hokatsu_name(ward, area), ward.sort_order * 10 + index)
            for index, area in enumerate(children, start=1)
        ]
        for area, affiliation_name, order in plan:
            username = named.get(area.code) or f"coord-{area.code}"
            user = User.objects.filter(username=username).first()
            if user is None:
                tier_label = "第1層" if area.tier == Area.Tier.CITY else "第2層"
                user = User.objects.create(
                    username=username,
                    display_name=f"{area.name} {tier_label}コーディネーター",
                    password=no_password,
                )
            user.groups.add(group)
            coordinators.append(
                coordinator_save(
                    user=user,
                    tier=area.tier,
                    areas=[area],
                    affiliation=_affiliation(affiliation_name, order),
                    active_from=ACTIVE_FROM,
                )
            )
    return coordinators


def _original_states() -> dict[int, tuple[str, str]]:
    """Each demo resource's status and origin when it was first loaded (history '+')."""
    return {
        pk: (status, origin)
        for pk, status, origin in Resource.history.filter(
            history_type="+", code__startswith="DEMO-"
        ).values_list("id", "status", "origin")
    }


def build_coordinators_demo(*, say: Callable[[str], None] = lambda _m: None) -> dict[str, int]:
    rng = random.Random(SEED)
    end = END
    coordinators = make_coordinators()
    by_area: dict[int, Coordinator] = {}
    for coordinator in coordinators:
        for area in coordinator.user.areas.all():
            by_area[area.pk] = coordinator
    resources_by_area: dict[int, list[int]] = defaultdict(list)
    for pk, area_id in (
        Resource.objects.filter(code__startswith="DEMO-")
        .exclude(resource_type=Resource.Type.CONSULTATION)
        .order_by("code")
        .values_list("pk", "area_id")
    ):
        resources_by_area[area_id].append(pk)

    plans: list[tuple[str, dict, list[str], list[int]]] = []

    def plan(
        ref: str,
        coordinator: Coordinator,
        area: Area,
        day: date,
        kind: str,
        functions,
        count=1,
        resources=(),
        story=None,
        case=False,
        follow_up=None,
    ) -> None:
        source, note, heard, response = "", "", "", ""
        if story is not None:
            _kind, source, note, heard, response = story
        fields = {
            "date": day,
            "kind": kind,
            "count": count,
            "area_id": area.pk,
            "source": source,
            "source_note": note,
            "heard": heard,
            "response": response,
            "is_case_example": case,
            "follow_up_on": follow_up,
            "coordinator_id": coordinator.pk,
            "affiliation_id": coordinator.affiliation_id,
            "created_by_id": coordinator.user_id,
            "updated_by_id": coordinator.user_id,
        }
        plans.append((ref, fields, list(functions), list(resources)))

    for coordinator in coordinators:
        area = next(iter(coordinator.user.areas.all()))
        tier1 = coordinator.tier == Area.Tier.CITY
        own_resources = resources_by_area.get(area.pk, [])
        if tier1:
            own_resources = [
                pk for child in area.children.all() for pk in resources_by_area.get(child.pk, [])
            ]
        for year, month in _months(START, end):
            serials = itertools.count(1)

            def ref(
                prefix: str = f"{REF_PREFIX}{area.code}-{year}{month:02d}", serials=serials
            ) -> str:
                return f"{prefix}-{next(serials):02d}"

            if tier1:
                plan(
                    ref(),
                    coordinator,
                    area,
                    _day(rng, year, month, end),
                    Kind.MEETING,
                    [Function.NETWORK, Function.TIER2],
                )
                for _ in range(rng.randint(1, 3)):
                    plan(
                        ref(),
                        coordinator,
                        area,
                        _day(rng, year, month, end),
                        Kind.VISIT,
                        [Function.TIER2],
                        count=rng.randint(1, 3),
                    )
                if rng.random() < 0.5:
                    plan(
                        ref(),
                        coordinator,
                        area,
                        _day(rng, year, month, end),
                        Kind.CONSULTATION,
                        [Function.MATCHING, Function.INDIVIDUAL],
                        count=rng.randint(1, 2),
                    )
                if month == (11 if area.sort_order % 2 else 2):
                    plan(
                        ref(),
                        coordinator,
                        area,
                        _day(rng, year, month, end),
                        Kind.SYMPOSIUM,
                        [Function.AWARENESS],
                    )
                if month in (6, 10) or rng.random() < 0.15:
                    plan(
                        ref(),
                        coordinator,
                        area,
                        _day(rng, year, month, end),
                        Kind.TRAINING,
                        [Function.CARERS],
                    )
                continue
            for _ in range(rng.randint(3, 5)):
                story = None
                roll = rng.random()
                if roll < 0.3:
                    story = rng.choice([s for s in STORIES if s[0] == Kind.VISIT])
                elif roll < 0.6:
                    heard, response = rng.choice(PLAIN_HEARD)
                    story = (Kind.VISIT, Source.SALON, "", heard, response) if heard else None
                linked = [rng.choice(own_resources)] if own_resources and rng.random() < 0.6 else []
                functions = [Function.ASSESSMENT] + (
                    [Function.RUNNING] if linked and rng.random() < 0.5 else []
                )
                plan(
                    ref(),
                    coordinator,
                    area,
                    _day(rng, year, month, end),
                    Kind.VISIT,
                    functions,
                    count=rng.randint(1, 4),
                    resources=linked,
                    story=story,
                    case=story is not None and rng.random() < 0.05,
                )
            for _ in range(rng.randint(1, 3)):
                story = (
                    rng.choice([s for s in STORIES if s[0] == Kind.CONSULTATION])
                    if rng.random() < 0.4
                    else None
                )
                day = _day(rng, year, month, end)
                follow = day + timedelta(days=14) if story and rng.random() < 0.3 else None
                plan(
                    ref(),
                    coordinator,
                    area,
                    day,
                    Kind.CONSULTATION,
                    rng.choice(
                        [
                            [Function.INDIVIDUAL],
                            [Function.MATCHING],
                            [Function.INDIVIDUAL, Function.MATCHING],
                        ]
                    ),
                    count=rng.randint(1, 3),
                    story=story,
                    case=story is not None and rng.random() < 0.06,
                    follow_up=follow,
                )
            if rng.random() < 0.3:
                story = (
                    rng.choice([s for s in STORIES if s[0] == Kind.WORKSHOP])
                    if rng.random() < 0.5
                    else None
                )
                plan(
                    ref(),
                    coordinator,
                    area,
                    _day(rng, year, month, end),
                    Kind.WORKSHOP,
                    [Function.CARERS, Function.AWARENESS],
                    story=story,
                    case=story is not None and rng.random() < 0.12,
                )
            if rng.random() < 0.1:
                plan(
                    ref(),
                    coordinator,
                    area,
                    _day(rng, year, month, end),
                    Kind.EVENT,
                    [Function.AWARENESS],
                )

    launches = _plan_launches(rng, end, by_area, plan)

    existing = set(
        Activity.objects.filter(external_ref__startswith=REF_PREFIX).values_list(
            "external_ref", flat=True
        )
    )
    new = [
        (ref, fields, functions, resources)
        for ref, fields, functions, resources in plans
        if ref not in existing
    ]
    Activity.objects.bulk_create(
        [Activity(external_ref=ref, **fields) for ref, fields, _f, _r in new], batch_size=1000
    )
    ids = dict(
        Activity.objects.filter(external_ref__in=[n[0] for n in new]).values_list(
            "external_ref", "pk"
        )
    )
    ActivityFunction.objects.bulk_create(
        [
            ActivityFunction(activity_id=ids[ref], function=code)
            for ref, _fields, functions, _r in new
            for code in functions
        ],
        batch_size=2000,
    )
    through = Activity.resources.through
    through.objects.bulk_create(
        [
            through(activity_id=ids[ref], resource_id=pk)
            for ref, _fields, _f, resources in new
            for pk in resources
        ],
        batch_size=2000,
    )
    recorded = 0
    for resource_id, day, origin, coordinator in launches:
        resource = Resource.objects.get(pk=resource_id)
        before = (resource.origin, resource.origin_date)
        resource_launch_record(
            resource=resource, recorded_by=coordinator.user, on=day, origin=origin
        )
        recorded += before != (resource.origin, resource.origin_date)
    say(
        f"コーディネーター: {len(coordinators)} 人、活動記録: {len(new)} 件を追加（全 {len(plans)} 件）、立ち上げ・拡充: {recorded} 件を記録"
    )
    return {"coordinators": len(coordinators), "activities": len(plans), "launches": len(launches)}


def _plan_launches(rng, end, by_area, plan):
    """立上支援 activities, and the launches they lead to.

    Resources first loaded as 準備中: two in three start (新規立ち上げ) between
    April 2025 and the demo's end; the others are still being set up. Per ward,
    some running resources are extended (既存資源の拡充) in each 年度.
    """
    states = _original_states()
    resources = list(Resource.objects.filter(pk__in=states).select_related("area").order_by("code"))
    launches = []
    span = (end - START).days
    preparing = [r for r in resources if states[r.pk][0] == Resource.Status.PREPARING]
    # Each ward, and the demo user's 北区 第1圏域, keep one still being set up.
    pending = {r.area.parent_id: r.pk for r in preparing}
    pending |= {r.area.code: r.pk for r in preparing if r.area.code == "27127-1"}
    for resource in preparing:
        coordinator = by_area.get(resource.area_id)
        if coordinator is None:
            continue
        launched = resource.pk not in pending.values()
        first = START + timedelta(days=rng.randint(0, max(span - 120, 1)))
        support_days = sorted(
            {first + timedelta(days=rng.randint(0, 90)) for _ in range(rng.randint(2, 3))}
        )
        for n, day in enumerate(support_days, start=1):
            day = min(day, end)
            plan(
                f"{REF_PREFIX}L-{resource.code}-{n}",
                coordinator,
                resource.area,
                day,
                Kind.VISIT,
                [Function.LAUNCH] + ([Function.CARERS] if n == 1 else []),
                resources=[resource.pk],
                story=(
                    Kind.VISIT,
                    Source.RESIDENT,
                    "",
                    "新しく集まりの場を始めたい",
                    "会場の確保と担い手の募集を一緒に進めています。",
                ),
            )
        if launched:
            day = min(support_days[-1] + timedelta(days=rng.randint(14, 60)), end)
            launches.append((resource.pk, day, Resource.Origin.NEW, coordinator))
    extendable = defaultdict(list)
    for resource in resources:
        status, origin = states[resource.pk]
        if (
            status == Resource.Status.ACTIVE
            and origin == Resource.Origin.EXISTING
            and resource.resource_type
            in (
                Resource.Type.SALON,
                Resource.Type.EXERCISE,
                Resource.Type.HOBBY,
                Resource.Type.LIFE_SUPPORT,
            )
        ):
            extendable[resource.area.parent_id].append(resource)
    for ward_id in sorted(extendable):
        candidates = extendable[ward_id]
        picked = rng.sample(candidates, min(len(candidates), rng.randint(5, 9)))
        for resource in sorted(picked, key=lambda r: r.code):
            coordinator = by_area.get(resource.area_id)
            if coordinator is None:
                continue
            day = START + timedelta(days=rng.randint(20, max((end - START).days, 21)))
            day = min(day, end)
            support = day - timedelta(days=rng.randint(10, 60))
            plan(
                f"{REF_PREFIX}E-{resource.code}-1",
                coordinator,
                resource.area,
                support,
                Kind.VISIT,
                [Function.LAUNCH, Function.RUNNING],
                resources=[resource.pk],
                story=(
                    Kind.VISIT,
                    Source.SALON,
                    "",
                    "活動の日を増やしたい・新しいメニューを始めたい",
                    "担い手の確保と会場の調整に協力しました。",
                ),
            )
            launches.append((resource.pk, day, Resource.Origin.EXPANDED, coordinator))
    return launches
