"""manage.py load_demo: coordinators, activities and councils fill every report
for 令和7年度 and 令和8年度 to date, and a second run changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

from coordinators.models import Activity, Coordinator
from councils.models import Council, CouncilMember, Meeting, RegionalIssue
from portal.models import Area, User
from reports.tables import build_report
from resources.models import Resource

pytestmark = pytest.mark.slow


def snapshot():
    return {
        "coordinators": list(
            Coordinator.objects.order_by("user__username").values_list(
                "user__username", "tier", "affiliation__name"
            )
        ),
        "activities": Activity.objects.count(),
        "activity_refs": Activity.objects.order_by("external_ref").values_list(
            "external_ref", "count", "kind"
        )[::97],
        "councils": list(
            Council.objects.order_by("code").values_list("code", "name", "established_on")
        ),
        "members": CouncilMember.objects.count(),
        "meetings": Meeting.objects.count(),
        "issues": list(
            RegionalIssue.objects.order_by("pk").values_list("theme", "status", "escalated_to")
        ),
        "launched": list(
            Resource.objects.exclude(origin="existing")
            .order_by("code")
            .values_list("code", "origin", "origin_date")
        ),
    }


def test_load_demo_fills_every_report_and_is_idempotent(db):
    call_command("load_demo", verbosity=0)
    first = snapshot()

    wards = Area.objects.tier1().count()
    per_ward = Coordinator.objects.values("user__areas__parent").annotate(n=Count("pk"))
    assert Coordinator.objects.filter(tier=1).count() == wards
    assert Coordinator.objects.filter(tier=2).count() == Area.objects.tier2().count()
    assert per_ward
    assert set(User.objects.get(username="kita1_coord").areas.values_list("code", flat=True)) == {
        "27127-1"
    }
    assert (
        Coordinator.objects.get(user__username="kita_coord").affiliation.name
        == "北区社会福祉協議会"
    )
    assert Council.objects.filter(tier=1).count() == wards
    assert RegionalIssue.objects.filter(escalated_to__isnull=False).exists()
    assert RegionalIssue.objects.filter(resources__isnull=False).exists()
    assert Resource.objects.filter(status="preparing").exists()

    city = User.objects.get(username="city")
    for fiscal_year in (2025, 2026):
        for name in ("councils", "creation", "monthly", "functions"):
            report = build_report(name, fiscal_year=fiscal_year, area=None, fetched_by=city)
            totals = report.tables[0].csv_rows()[-1]
            assert totals[0] == "合計"
            assert totals[-1 if name != "creation" else -2] > 0, (fiscal_year, name, totals)
        monthly = build_report("monthly", fiscal_year=fiscal_year, area=None, fetched_by=city)
        for row in monthly.tables[0].csv_rows()[1:]:
            assert row[-1] > 0, (fiscal_year, row)
        cases = build_report("cases", fiscal_year=fiscal_year, area=None, fetched_by=city)
        assert cases.tables[0].rows, fiscal_year
        councils = build_report("councils", fiscal_year=fiscal_year, area=None, fetched_by=city)
        for row in councils.tables[0].csv_rows()[1:-1]:
            assert row[5] not in ("", "-"), row  # every ward's tier-1 council met
        creation = build_report("creation", fiscal_year=fiscal_year, area=None, fetched_by=city)
        assert creation.tables[0].csv_rows()[-1][-3] > 0

    # 平成29年度 reproduces seed 000's 協議体の設置状況 rows.
    rows = {
        row[0]: row
        for row in build_report("councils", fiscal_year=2017, area=None, fetched_by=city)
        .tables[0]
        .csv_rows()
    }
    assert rows["北区"][1:6] == [
        "平成29年度",
        "平成29年11月",
        "既設",
        "生活困窮者を地域でいかに支えるか 支援ネットワーク会議",
        "平成29年11月、平成30年1月～3月",
    ]
    assert rows["生野区"][1:6] == [
        "平成28年度(先行区)",
        "平成28年10月",
        "新設",
        "-",
        "平成29年5月、7月、9月、11月、平成30年3月",
    ]

    call_command("load_demo", verbosity=0)
    assert snapshot() == first
