"""Demo councils: each ward's tier-1 council as seed 000's 協議体の設置状況 records
it (平成29年度: start, set-up month, 新設・既設, the existing body, the months it
met), a tier-2 council per tier-2 area from 令和元〜3年, members, meetings every
year since, and the 地域課題 of 令和7年度 and 令和8年度 to date, some passed up
to tier 1. Deterministic and idempotent: councils by code, meetings by
``external_ref``, members by order, issues by meeting and theme.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, time, timedelta

from django.db.models import Q

from councils.models import Council, CouncilMember, Meeting, RegionalIssue
from demo.coordinators import END, hokatsu_name
from portal.models import Area
from portal.municipality import city
from portal.wareki import fiscal_year_bounds, fiscal_year_months, fiscal_year_of
from resources.models import Resource

SEED = 20252
CODE_PREFIX = "DEMO-C-"
REF_PREFIX = "DEMO-M-"
MONTHLY = "monthly"

# 区名: (事業開始年度, 補足, 協議体設置 (年, 月), 既存の会議体 or "" for 新設, 開催月 in 平成29年度)
SEED_000 = {
    "北区": (
        2017,
        "",
        (2017, 11),
        "生活困窮者を地域でいかに支えるか 支援ネットワーク会議",
        [(2017, 11), (2018, 1), (2018, 2), (2018, 3)],
    ),
    "都島区": (2017, "", (2018, 3), "", [(2018, 3)]),
    "福島区": (2017, "", (2018, 3), "高齢者支援部会", [(2018, 3)]),
    "此花区": (2016, "先行区", (2017, 1), "", [(2018, 3)]),
    "中央区": (2017, "", (2018, 1), "", [(2018, 3)]),
    "西区": (2017, "", (2017, 12), "西区高齢者支援担当者部会", [(2017, 12)]),
    "港区": (2015, "モデル区", (2016, 2), "", MONTHLY),
    "大正区": (2017, "", (2018, 3), "区・包括連絡会", [(2018, 3)]),
    "天王寺区": (2017, "", (2017, 12), "", [(2017, 12)]),
    "浪速区": (2017, "", (2018, 1), "地域ケア会議", [(2018, 1)]),
    "西淀川区": (2017, "", (2017, 12), "", [(2017, 12), (2018, 2), (2018, 3)]),
    "淀川区": (2017, "", (2018, 3), "", [(2018, 3)]),
    "東淀川区": (2017, "", (2018, 3), "", [(2018, 3)]),
    "東成区": (
        2016,
        "先行区",
        (2016, 11),
        "地域生活支援システム実務者会議",
        [(2017, 9), (2017, 11), (2018, 3)],
    ),
    "生野区": (
        2016,
        "先行区",
        (2016, 10),
        "",
        [(2017, 5), (2017, 7), (2017, 9), (2017, 11), (2018, 3)],
    ),
    "旭区": (2017, "", (2018, 3), "", [(2018, 3)]),
    "城東区": (2017, "", (2018, 3), "", [(2018, 3)]),
    "鶴見区": (
        2015,
        "モデル区",
        (2016, 2),
        "鶴見区高齢者支援専門部会",
        [(2017, 4), (2017, 6), (2017, 8), (2017, 12), (2018, 2), (2018, 3)],
    ),
    "阿倍野区": (2017, "", (2018, 3), "地域包括支援センター運営協議会", [(2018, 3)]),
    "住之江区": (
        2015,
        "モデル区",
        (2016, 1),
        "SALIVE(住之江区の地域福祉について考える会)",
        MONTHLY,
    ),
    "住吉区": (2017, "", (2018, 3), "", [(2018, 3)]),
    "東住吉区": (2016, "先行区", (2016, 12), "地域見守り活動検討会", [(2017, 4), (2018, 3)]),
    "平野区": (2016, "先行区", (2017, 3), "", [(2017, 11), (2018, 3)]),
    "西成区": (2017, "", (2018, 3), "西成区地域支援調整チーム実務者会議", [(2018, 3)]),
}
TIER1_SECTORS = [
    ("commissioner", "区民生委員・児童委員協議会"),
    ("district_shakyo", "地区社会福祉協議会"),
    ("senior_club", "区老人クラブ連合会"),
    ("care_provider", "区介護事業者連絡会"),
    ("hokatsu", "地域包括支援センター"),
    ("npo", "NPO法人 地域たすけあいネット"),
    ("neighbourhood", "区地域振興会"),
    ("coordinator", "第2層生活支援コーディネーター"),
]
TIER2_SECTORS = [
    ("commissioner", "民生委員・児童委員"),
    ("neighbourhood", "町会"),
    ("district_shakyo", "地区社会福祉協議会"),
    ("resident", "地域住民"),
    ("hokatsu", "地域包括支援センター"),
    ("care_provider", "介護事業所"),
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
    "佐藤",
    "高橋",
    "伊藤",
]
GIVEN = [
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
    "正",
    "久美子",
]
PLACES = ["区民センター 会議室", "区役所 4階会議室", "老人福祉センター", "地域福祉センター 集会室"]
CYCLE = (
    RegionalIssue.Status.REPORTED,
    RegionalIssue.Status.RESOLVED,
    RegionalIssue.Status.CONTINUING,
    RegionalIssue.Status.DISCUSSING,
)
ISSUE_THEMES = [
    (
        "歩いて行ける範囲に買い物できる場所が少ない",
        "坂の多い地区で、スーパーの撤退後に買い物に困る高齢者が増えている。",
    ),
    ("通いの場の会場が足りない", "集会所の改修で使えない期間があり、体操の会の行き場がない。"),
    ("サロンの担い手が高齢化している", "世話役の多くが80代になり、後継者が見つからない。"),
    ("通院・外出の移動手段がない", "バス路線の減便で、通院が難しくなった方がいる。"),
    ("マンション住民が地域の活動につながらない", "タワーマンションの住民と町会の接点がない。"),
    ("男性の参加が少ない", "サロンや体操の参加者のほとんどが女性。"),
    (
        "ゴミ出しや電球交換など、ちょっとした困りごとの支援がない",
        "介護保険では頼めない小さな困りごとに応える仕組みがない。",
    ),
    ("認知症の方と家族が気軽に相談できる場がない", "認知症カフェが区内に少なく、遠い。"),
]


def _day(rng: random.Random, year: int, month: int) -> date:
    return date(year, month, rng.randint(5, 25))


def _member_name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"


def _council(code: str, **fields) -> Council:
    council = Council.objects.filter(code=code).first() or Council(code=code)
    for name, value in fields.items():
        setattr(council, name, value)
    council.save()
    return council


def _members(rng: random.Random, council: Council, sectors) -> list[CouncilMember]:
    members = []
    names: list[str] = []
    while len(names) < len(sectors):
        name = _member_name(rng)
        if name not in names:
            names.append(name)
    for order, ((sector, organisation), name) in enumerate(
        zip(sectors, names, strict=True), start=1
    ):
        member, _ = CouncilMember.objects.update_or_create(
            council=council,
            sort_order=order,
            defaults={
                "name": name,
                "sector": sector,
                "organisation": organisation,
                # 令和7・8年度
                "term_start": fiscal_year_bounds(2025)[0],
                "term_end": fiscal_year_bounds(2026)[1],
            },
        )
        members.append(member)
    return members


def _established_by(ward: Area) -> str:
    """大阪市北区 for a ward; 川口市 for a city that is its one tier-1 area."""
    current = city()
    return f"{current.name}{ward.name}" if current.has_wards else current.name


def build_councils_demo(*, say: Callable[[str], None] = lambda _m: None) -> dict[str, int]:
    rng = random.Random(SEED)
    end = END
    meeting_plans: list[tuple[str, dict, list[CouncilMember]]] = []
    councils: list[tuple[Council, list[CouncilMember]]] = []

    for ward in Area.objects.tier1().order_by("sort_order", "code"):
        start_fy, note, (est_year, est_month), existing, months_2017 = SEED_000.get(
            ward.name, (2017, "", (2018, 3), "", [(2018, 3)])
        )
        council = _council(
            f"{CODE_PREFIX}{ward.code}",
            tier=Area.Tier.CITY,
            area=ward,
            name=existing or f"{ward.name}生活支援体制推進会議",
            business_start_fy=start_fy,
            business_start_note=note,
            established_on=date(est_year, est_month, 1),
            origin=Council.Origin.EXISTING if existing else Council.Origin.NEW,
            existing_body=existing,
            established_by=_established_by(ward),
            operated_by=f"{ward.name}社会福祉協議会",
        )
        members = _members(rng, council, TIER1_SECTORS)
        councils.append((council, members))
        monthly = months_2017 == MONTHLY
        months = fiscal_year_months(2017) if monthly else months_2017
        for year, month in months:
            meeting_plans.append((council, _day(rng, year, month), []))
        for fiscal_year in range(2018, 2027):
            plan_months = (
                fiscal_year_months(fiscal_year)
                if monthly
                else [(fiscal_year, 6), (fiscal_year + 1, 1)]
            )
            for year, month in plan_months:
                day = _day(rng, year, month)
                if day <= end:
                    meeting_plans.append((council, day, members))
        # One planned meeting ahead, as the council pages show (予定).
        meeting_plans.append((council, date(2027, 1, 20 + ward.sort_order % 7), []))

        for area in ward.children.order_by("sort_order", "code"):
            est = date(rng.choice([2019, 2020, 2021]), rng.choice([6, 9, 11, 2]), 1)
            existing2 = "地域ケア会議" if rng.random() < 0.25 else ""
            council2 = _council(
                f"{CODE_PREFIX}{area.code}",
                tier=Area.Tier.DISTRICT,
                area=area,
                name=f"{area.name} 支え合い推進会議"
                if not existing2
                else f"{area.name} 地域ケア会議",
                business_start_fy=start_fy,
                business_start_note=note,
                established_on=est,
                origin=Council.Origin.EXISTING if existing2 else Council.Origin.NEW,
                existing_body=existing2,
                established_by=_established_by(ward),
                operated_by=hokatsu_name(ward, area),
            )
            members2 = _members(rng, council2, TIER2_SECTORS)
            councils.append((council2, members2))
            for fiscal_year in range(2019, 2027):
                plan_months = (6, 9, 12, 3) if fiscal_year >= 2025 else (7, 11, 2)
                for month in plan_months:
                    day = _day(rng, fiscal_year + (month < 4), month)
                    if est <= day <= end:
                        meeting_plans.append((council2, day, members2))

    existing_refs = set(
        Meeting.objects.filter(external_ref__startswith=REF_PREFIX).values_list(
            "external_ref", flat=True
        )
    )
    new_meetings = []
    attendance: dict[str, list[CouncilMember]] = {}
    for council, day, members in meeting_plans:
        ref = f"{REF_PREFIX}{council.code}-{day:%Y%m%d}"
        if ref in existing_refs or ref in attendance:
            continue
        # A generator per meeting: what exists already does not shift the others.
        own = random.Random(f"{SEED}-{ref}")
        present = [m for m in members if own.random() < 0.85]
        attendance[ref] = present
        tier1 = council.tier == Area.Tier.CITY
        recent = fiscal_year_of(day) >= 2025
        new_meetings.append(
            Meeting(
                council=council,
                date=day,
                starts_at=time(14, 0) if tier1 else time(10, 0),
                ends_at=time(15, 30) if tier1 else time(11, 30),
                place=f"{council.area.tier1.name}{own.choice(PLACES)}",
                other_attendees="区役所 保健福祉課\n生活支援コーディネーター" if recent else "",
                agenda=(
                    "1 各圏域の活動報告\n2 第2層からの地域課題の報告\n3 今後の取組について"
                    if tier1
                    else "1 地域の現状と資源の共有\n2 地域課題の整理\n3 次回までの取組"
                )
                if recent
                else "",
                minutes="各委員から活動の状況が報告され、課題について意見交換を行った。"
                if recent
                else "",
                external_ref=ref,
            )
        )
    Meeting.objects.bulk_create(new_meetings, batch_size=500)
    saved = {m.external_ref: m for m in Meeting.objects.filter(external_ref__in=list(attendance))}
    through = Meeting.members_present.through
    through.objects.bulk_create(
        [
            through(meeting_id=saved[ref].pk, councilmember_id=member.pk)
            for ref, present in attendance.items()
            for member in present
        ],
        batch_size=2000,
    )
    issues = _issues(random.Random(SEED + 1), end)
    say(
        f"協議体: {len(councils)}、会議: {len(new_meetings)} 件を追加（全 {len(meeting_plans)} 件）、地域課題: {issues} 件"
    )
    return {"councils": len(councils), "meetings": len(meeting_plans), "issues": issues}


def _issues(rng: random.Random, end: date) -> int:
    """地域課題 raised at tier-2 meetings of 令和7年度 and later, and where they went."""
    meetings = list(
        Meeting.objects.filter(
            external_ref__startswith=REF_PREFIX,
            council__tier=Area.Tier.DISTRICT,
            date__gte=fiscal_year_bounds(2025)[0],
            date__lte=end,
        )
        .select_related("council__area__parent")
        .order_by("date", "council__code")
    )
    tier1_meetings: dict[int, list[Meeting]] = {}
    for meeting in Meeting.objects.filter(
        external_ref__startswith=REF_PREFIX, council__tier=Area.Tier.CITY, date__lte=end
    ).order_by("date"):
        tier1_meetings.setdefault(meeting.council.area_id, []).append(meeting)
    tier1_councils = {
        c.area_id: c
        for c in Council.objects.filter(code__startswith=CODE_PREFIX, tier=Area.Tier.CITY)
    }
    count = 0
    seen: dict[int, int] = defaultdict(int)
    for meeting in meetings:
        if rng.random() >= 0.4:
            continue
        theme, description = rng.choice(ISSUE_THEMES)
        area = meeting.council.area
        age = (end - meeting.date).days
        # Older issues of each ward take the statuses in turn, so every ward
        # shows each step; recent ones are still 提起 or 検討中.
        seen[area.parent_id] += 1
        if age < 90:
            status = (
                RegionalIssue.Status.RAISED
                if rng.random() < 0.6
                else RegionalIssue.Status.DISCUSSING
            )
        else:
            status = CYCLE[seen[area.parent_id] % len(CYCLE)]
        issue, created = RegionalIssue.objects.get_or_create(
            meeting=meeting,
            theme=theme,
            defaults={"area": area, "description": description, "status": status},
        )
        count += 1
        if not created:
            continue
        ward_id = area.parent_id
        if status == RegionalIssue.Status.REPORTED and ward_id in tier1_councils:
            after = [m for m in tier1_meetings.get(ward_id, []) if m.date > meeting.date]
            issue.escalated_to = tier1_councils[ward_id]
            issue.escalated_on = meeting.date + timedelta(days=14)
            issue.reported_meeting = after[0] if after else None
            issue.response = (
                "第2層の協議体で検討したが、圏域だけでは解決が難しいため第1層の協議体へ報告した。"
            )
        elif status == RegionalIssue.Status.RESOLVED:
            issue.response = (
                "協議体の委員と生活支援コーディネーターが担い手を募り、新しい活動が始まった。"
            )
            launched = Resource.objects.filter(
                Q(area=area),
                origin__in=[Resource.Origin.NEW, Resource.Origin.EXPANDED],
                origin_date__gte=meeting.date,
            ).order_by("origin_date", "code")[:1]
            issue.save()
            issue.resources.set(list(launched))
        elif status == RegionalIssue.Status.CONTINUING:
            issue.response = "担い手の確保に時間がかかるため、次年度も継続して検討する。"
        issue.save()
    return count
