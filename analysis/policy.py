"""Who reads the 地域分析, and which areas.

The analysis is for 担当: city staff read every area; a coordinator the areas
they serve (``portal.roles.areas_served_by``: a tier-1 coordinator's ward with
its 圏域) and, in the tier-1 table, the wards those areas belong to. Everyone
else gets 404, as for what does not exist. Nothing of it is public.

Counts include staff-only resources (every reader is staff). Free text — what
was heard, case examples, the 地域課題's themes — follows the policies of the
records it comes from: the report reader's (``reports.policy``) for activities,
``councils.policy`` for 地域課題.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from analysis.measures import KAYOI_TYPES
from portal.models import Area
from portal.roles import areas_served_by, is_city_staff, is_in_charge, wards_of
from resources.models import Resource
from resources.policy import resources_editable_by


def can_view_analysis(user) -> bool:
    return is_in_charge(user)


def analysis_areas(user, tier: int) -> QuerySet[Area]:
    """The rows of ``user``'s analysis table at ``tier``; 404 for other users."""
    if not can_view_analysis(user):
        raise Http404("地域分析が見つかりません。")
    areas = (
        Area.objects.filter(tier=tier)
        .select_related("parent")
        .order_by("parent__sort_order", "parent__code", "sort_order", "code")
    )
    if is_city_staff(user):
        return areas
    served = areas_served_by(user)
    if tier == Area.Tier.CITY:
        return areas.filter(pk__in=served | wards_of(user))
    return areas.filter(pk__in=served)


def area_for_analysis(user, code: str) -> Area:
    """An area's profile: one of the reader's rows at its tier, or 404."""
    area = Area.objects.select_related("parent").filter(code=code).first()
    if area is None or not analysis_areas(user, area.tier).filter(pk=area.pk).exists():
        raise Http404("区域が見つかりません。")
    return area


def participation_resources(user) -> QuerySet[Resource]:
    """The 通いの場 whose participants ``user`` records: the ones they may edit."""
    return resources_editable_by(user).filter(resource_type__in=KAYOI_TYPES)
