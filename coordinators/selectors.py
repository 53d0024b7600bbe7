"""Reads of the coordinators app; each takes the reading user (STYLE.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from coordinators.models import Activity, ActivityFunction, Coordinator, Function, Kind
from coordinators.policy import activities_visible_to, activity_areas_for
from coordinators.services import check_interval_days
from portal.models import Area, User
from portal.wareki import fiscal_year_bounds, fiscal_year_of
from resources.models import Resource
from resources.policy import resources_editable_by


def coordinator_for(user) -> Coordinator | None:
    """The user's coordinator profile, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Coordinator.objects.select_related("affiliation", "user")
        .prefetch_related("user__areas")
        .filter(user=user)
        .first()
    )


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()) if text else None
    except ValueError:
        return None


def _parse_int(text: str | None) -> int | None:
    try:
        return int((text or "").strip()) if text else None
    except ValueError:
        return None


@dataclass
class ActivityFilters:
    """The filters of the activity list, read leniently from the query string."""

    fiscal_year: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    kinds: list[str] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)
    area: Area | None = None
    mine: bool = False
    case_only: bool = False
    follow_up: bool = False
    q: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> ActivityFilters:
        fiscal_year = _parse_int(query.get("fy"))
        if fiscal_year is not None and not 2000 <= fiscal_year <= 2100:
            fiscal_year = None
        code = (query.get("area") or "").strip()
        area = Area.objects.select_related("parent").filter(code=code).first() if code else None
        return cls(
            fiscal_year=fiscal_year,
            date_from=_parse_date(query.get("from")),
            date_to=_parse_date(query.get("to")),
            kinds=[k for k in query.getlist("kind") if k in Kind.values],
            functions=[f for f in query.getlist("function") if f in Function.values],
            area=area,
            mine=query.get("mine") == "1",
            case_only=query.get("case") == "1",
            follow_up=query.get("follow_up") == "1",
            q=(query.get("q") or "").strip()[:100],
        )

    @property
    def is_filtered(self) -> bool:
        return any(
            (
                self.fiscal_year,
                self.date_from,
                self.date_to,
                self.kinds,
                self.functions,
                self.area,
                self.mine,
                self.case_only,
                self.follow_up,
                self.q,
            )
        )


def activity_list(*, fetched_by: User, filters: ActivityFilters) -> QuerySet[Activity]:
    activities = activities_visible_to(fetched_by)
    if filters.fiscal_year:
        activities = activities.in_fiscal_year(filters.fiscal_year)
    if filters.date_from:
        activities = activities.filter(date__gte=filters.date_from)
    if filters.date_to:
        activities = activities.filter(date__lte=filters.date_to)
    if filters.kinds:
        activities = activities.filter(kind__in=filters.kinds)
    if filters.functions:
        activities = activities.filter(
            Exists(
                ActivityFunction.objects.filter(
                    activity=OuterRef("pk"), function__in=filters.functions
                )
            )
        )
    if filters.area:
        activities = activities.in_area(filters.area)
    if filters.mine:
        activities = activities.filter(Q(coordinator__user=fetched_by) | Q(created_by=fetched_by))
    if filters.case_only:
        activities = activities.filter(is_case_example=True)
    if filters.follow_up:
        activities = activities.filter(follow_up_on__isnull=False)
    if filters.q:
        activities = activities.filter(
            Q(heard__icontains=filters.q)
            | Q(response__icontains=filters.q)
            | Q(source_note__icontains=filters.q)
        )
    return activities.select_related(
        "area__parent", "affiliation", "coordinator__user"
    ).prefetch_related("function_rows", "resources")


def fiscal_years_for_filters() -> list[int]:
    """The 年度 offered in filters: from the oldest record to this one."""
    this_year = fiscal_year_of(timezone.localdate())
    first = Activity.objects.order_by("date").values_list("date", flat=True).first()
    start = min(fiscal_year_of(first) if first else this_year, this_year)
    return list(range(this_year, start - 1, -1))


def linkable_resources(*, fetched_by: User) -> QuerySet[Resource]:
    """Resources an activity may be linked to: those of the areas the user serves."""
    return (
        Resource.objects.filter(area__in=activity_areas_for(fetched_by))
        .exclude(status=Resource.Status.ENDED)
        .select_related("area")
        .order_by("area__sort_order", "area__code", "kana", "name")
    )


def resources_due_for_check(
    *, fetched_by: User, days: int | None = None, today: date | None = None
) -> QuerySet[Resource]:
    """Resources of my areas whose 確認日 is older than the check interval (or missing)."""
    days = check_interval_days() if days is None else days
    cutoff = (today or timezone.localdate()) - timedelta(days=days)
    return (
        resources_editable_by(fetched_by)
        .exclude(status=Resource.Status.ENDED)
        .filter(Q(verified_on__lt=cutoff) | Q(verified_on__isnull=True))
        .select_related("area__parent")
        .order_by(F("verified_on").asc(nulls_first=True), "kana", "name")
    )


def launch_candidates(*, fetched_by: User) -> QuerySet[Resource]:
    """Resources of my areas with 立上支援 activities whose start is not yet recorded."""
    supported = Activity.objects.filter(
        resources=OuterRef("pk"), function_rows__function=Function.LAUNCH
    )
    return (
        resources_editable_by(fetched_by)
        .filter(Exists(supported))
        .filter(status__in=[Resource.Status.PREPARING, Resource.Status.ACTIVE])
        .filter(Q(origin=Resource.Origin.EXISTING) | Q(origin_date__isnull=True))
        .select_related("area__parent")
        .order_by("status", "kana", "name")
    )


def recent_launches(*, fetched_by: User, fiscal_year: int) -> QuerySet[Resource]:
    """Resources of my areas recorded as 新規立ち上げ / 既存資源の拡充 in a 年度."""
    return (
        resources_editable_by(fetched_by)
        .filter(
            origin__in=[Resource.Origin.NEW, Resource.Origin.EXPANDED],
            origin_date__range=fiscal_year_bounds(fiscal_year),
        )
        .select_related("area__parent")
        .order_by("-origin_date", "kana")
    )
