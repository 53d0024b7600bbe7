"""Who may see and edit which activity record: the one policy of ``Activity``.

Activity text may hold personal information: it is never public and never
shown to 関係者 (care managers). A coordinator sees the activities of the areas
they serve (a tier-1 coordinator: the whole ward) and their own; city staff see
all. Edits: the author, the tier-1 coordinator of the ward, city staff. What a
user may not see answers 404, like a missing record.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from coordinators.models import Activity
from portal.models import Area
from portal.roles import (
    areas_served_by,
    is_city_staff,
    is_coordinator,
    is_in_charge,
    wards_served_by,
)


def can_log_activities(user) -> bool:
    """Coordinators and city staff (担当) keep the activity log."""
    return is_in_charge(user)


def activity_areas_for(user) -> QuerySet[Area]:
    """The areas a user may record activities in: the areas they serve."""
    return areas_served_by(user)


def activities_visible_to(user) -> QuerySet[Activity]:
    if is_city_staff(user):
        return Activity.objects.all()
    if not is_coordinator(user):
        return Activity.objects.none()
    return Activity.objects.filter(
        Q(area__in=areas_served_by(user)) | Q(coordinator__user=user) | Q(created_by=user)
    )


def activities_editable_by(user) -> QuerySet[Activity]:
    if is_city_staff(user):
        return Activity.objects.all()
    if not is_coordinator(user):
        return Activity.objects.none()
    return Activity.objects.filter(
        Q(coordinator__user=user)
        | Q(created_by=user)
        | Q(area__in=Area.objects.within(wards_served_by(user)))
    )


def activity_for_user(user, pk, *, write: bool = False) -> Activity:
    """The activity, or 404 alike for one that does not exist and one not allowed."""
    queryset = activities_editable_by(user) if write else activities_visible_to(user)
    try:
        return queryset.get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404("活動記録が見つかりません。") from None
