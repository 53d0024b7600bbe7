"""The one selector every page uses to find resources (always through the access policy)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from portal.access import resources_visible_to
from portal.models import Area
from portal.text import normalize
from resources.models import Category, Resource

MAX_QUERY_LENGTH = 100


@dataclass
class SearchFilters:
    q: str = ""
    area: Area | None = None
    categories: list[Category] = field(default_factory=list)
    statuses: list[str] = field(default_factory=lambda: [Resource.Status.ACTIVE])
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> SearchFilters:
        filters = cls(q=(params.get("q") or "").strip()[:MAX_QUERY_LENGTH])
        area_code = (params.get("area") or "").strip()
        if area_code:
            filters.area = Area.objects.filter(code=area_code).select_related("parent").first()
            if filters.area is None:
                filters.errors.append(f"区域「{area_code[:40]}」は見つかりません。")
        wanted = [v.strip() for v in params.getlist("category") if v.strip()]
        if wanted:
            found = list(Category.objects.filter(code__in=wanted)) + list(
                Category.objects.filter(name__in=wanted)
            )
            filters.categories = list({c.pk: c for c in found}.values())
            missing = set(wanted) - {c.code for c in found} - {c.name for c in found}
            if missing:
                filters.errors.append(
                    "カテゴリ「"
                    + "、".join(sorted(m[:40] for m in missing))
                    + "」は見つかりません。"
                )
        return filters


def resource_search(*, fetched_by, filters: SearchFilters) -> QuerySet[Resource]:
    if filters.errors:
        return Resource.objects.none()
    resources = resources_visible_to(fetched_by)
    if filters.statuses:
        resources = resources.filter(status__in=filters.statuses)
    if filters.area is not None:
        key = "area_tier1" if filters.area.tier == Area.Tier.CITY else "area"
        resources = resources.filter(**{key: filters.area})
    if filters.categories:
        resources = resources.filter(categories__in=filters.categories).distinct()
    needle = normalize(filters.q)
    if needle:
        resources = resources.filter(search_text__contains=needle)
    return resources.select_related("area", "area__parent").prefetch_related(
        "categories", "schedules"
    )
