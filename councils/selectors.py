"""Reads of the councils app; each takes the reading user."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from councils.models import Council, RegionalIssue
from councils.policy import councils_visible_to, issues_visible_to
from portal.models import Area, User


def _area_from(query: QueryDict) -> Area | None:
    code = (query.get("area") or "").strip()
    return Area.objects.select_related("parent").filter(code=code).first() if code else None


def _in_area(field: str, area: Area | None) -> Q:
    if area is None:
        return Q()
    return Q(**{f"{field}__in": Area.objects.within(area)})


def council_list(*, fetched_by: User, query: QueryDict) -> QuerySet[Council]:
    councils = councils_visible_to(fetched_by).filter(_in_area("area", _area_from(query)))
    tier = query.get("tier")
    if tier in ("1", "2"):
        councils = councils.filter(tier=int(tier))
    return (
        councils.select_related("area__parent")
        .annotate(
            member_count=Count("members", distinct=True),
            meeting_count=Count("meetings", distinct=True),
            last_meeting=Max("meetings__date", filter=Q(meetings__date__lte=timezone.localdate())),
        )
        .order_by("area__sort_order", "area__code", "tier", "name")
    )


def issue_list(*, fetched_by: User, query: QueryDict) -> QuerySet[RegionalIssue]:
    issues = issues_visible_to(fetched_by).filter(_in_area("area", _area_from(query)))
    statuses = [s for s in query.getlist("status") if s in RegionalIssue.Status.values]
    if statuses:
        issues = issues.filter(status__in=statuses)
    if query.get("escalated") == "1":
        issues = issues.filter(escalated_to__isnull=False)
    return issues.select_related("meeting__council__area", "area__parent", "escalated_to").order_by(
        "-meeting__date", "-id"
    )


def issues_reported_to(council: Council) -> QuerySet[RegionalIssue]:
    """Issues tier-2 councils passed up to this tier-1 council."""
    return council.escalated_issues.select_related("meeting__council", "area").order_by(
        "-escalated_on", "-id"
    )
