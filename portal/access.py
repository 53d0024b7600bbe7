"""The access policy: the one place that decides who sees and edits what.

Roles come from Django groups (names below), areas from ``User.areas``:

- anonymous: public resources, public fields;
- 関係者 (care managers): + staff-only resources and fields, no edits;
- 生活支援コーディネーター: + edit resources of their own areas (a tier-1 area
  includes all its tier-2 areas);
- 市職員 (city staff) and superusers: everything, all areas.

Every page, map, PDF, export and API reads resources through
``resources_visible_to`` and renders fields through ``strip_staff_only`` or
``can_see_staff_only``. Objects a user may not see answer 404, never 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from portal.models import Area

if TYPE_CHECKING:
    from resources.models import Resource

GROUP_CARE_MANAGER = "関係者"
GROUP_COORDINATOR = "生活支援コーディネーター"
GROUP_CITY_STAFF = "市職員"
ROLE_GROUPS = (GROUP_CARE_MANAGER, GROUP_COORDINATOR, GROUP_CITY_STAFF)

# Fields that only logged-in 関係者 and above may receive, on every resource.
STAFF_ONLY_FIELDS = (
    "contact_person",
    "private_phone",
    "internal_notes",
    "supporting_coordinator",
    "verified_by",
)


def _groups(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_portal_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._portal_groups = cached
    return cached


def is_city_staff(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or GROUP_CITY_STAFF in _groups(user)


def is_coordinator(user) -> bool:
    return GROUP_COORDINATOR in _groups(user)


def can_see_staff_only(user) -> bool:
    """関係者限定 data: care managers, coordinators, city staff and admins."""
    return is_city_staff(user) or bool(_groups(user) & set(ROLE_GROUPS))


def role_label(user) -> str:
    if not getattr(user, "is_authenticated", False):
        return ""
    if user.is_superuser:
        return "管理者"
    for group in (GROUP_CITY_STAFF, GROUP_COORDINATOR, GROUP_CARE_MANAGER):
        if group in _groups(user):
            return group
    return "一般"


def areas_editable_by(user) -> QuerySet[Area]:
    if is_city_staff(user):
        return Area.objects.all()
    if not is_coordinator(user):
        return Area.objects.none()
    own = user.areas.all()
    return Area.objects.filter(Q(pk__in=own) | Q(parent__in=own)).distinct()


def resources_visible_to(user) -> QuerySet[Resource]:
    from resources.models import Resource

    resources = Resource.objects.all()
    if can_see_staff_only(user):
        return resources
    return resources.filter(visibility=Resource.Visibility.PUBLIC)


def resources_editable_by(user) -> QuerySet[Resource]:
    from resources.models import Resource

    if is_city_staff(user):
        return Resource.objects.all()
    if not is_coordinator(user):
        return Resource.objects.none()
    return Resource.objects.filter(area__in=areas_editable_by(user))


def resource_for_user(user, pk, *, write: bool = False) -> Resource:
    """The resource, or 404 alike for one that does not exist and one not allowed."""
    queryset = resources_editable_by(user) if write else resources_visible_to(user)
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("地域資源が見つかりません。") from None


def strip_staff_only(data: dict, user) -> dict:
    """``data`` without the staff-only fields, unless ``user`` may see them."""
    if can_see_staff_only(user):
        return data
    return {key: value for key, value in data.items() if key not in STAFF_ONLY_FIELDS}


# Coordinators' activities and councils ------------------------------------
#
# Activity text may hold personal information: it is never public and never
# shown to 関係者 without areas. A coordinator sees the activities of the areas
# they serve (a tier-1 coordinator: the whole ward) and their own; city staff see
# all. Edits: the author, the tier-1 coordinator of the ward, city staff.
# Councils: a coordinator sees the councils of the areas they serve and the
# tier-1 council of their ward, and edits those of the areas they serve.


def _wards_of(user) -> QuerySet[Area]:
    """The tier-1 areas a coordinator serves directly (as a tier-1 coordinator)."""
    return user.areas.filter(tier=Area.Tier.CITY)


def _ward_areas_of(user) -> QuerySet[Area]:
    """The tier-1 areas a user's areas belong to (their own wards and parents)."""
    own = user.areas.all()
    return Area.objects.filter(
        Q(pk__in=own.filter(tier=Area.Tier.CITY)) | Q(children__in=own)
    ).distinct()


def can_log_activities(user) -> bool:
    return is_city_staff(user) or is_coordinator(user)


def can_view_reports(user) -> bool:
    """The report tables (counts per area) are for city staff and coordinators."""
    return is_city_staff(user) or is_coordinator(user)


def activity_areas_for(user) -> QuerySet[Area]:
    """The areas a user may record activities in: the areas they serve."""
    return areas_editable_by(user)


def activities_visible_to(user):
    from coordinators.models import Activity

    if is_city_staff(user):
        return Activity.objects.all()
    if not is_coordinator(user):
        return Activity.objects.none()
    return Activity.objects.filter(
        Q(area__in=areas_editable_by(user)) | Q(coordinator__user=user) | Q(created_by=user)
    )


def activities_editable_by(user):
    from coordinators.models import Activity

    if is_city_staff(user):
        return Activity.objects.all()
    if not is_coordinator(user):
        return Activity.objects.none()
    wards = _wards_of(user)
    return Activity.objects.filter(
        Q(coordinator__user=user)
        | Q(created_by=user)
        | Q(area__in=wards)
        | Q(area__parent__in=wards)
    )


def activity_for_user(user, pk, *, write: bool = False):
    """The activity, or 404 alike for one that does not exist and one not allowed."""
    queryset = activities_editable_by(user) if write else activities_visible_to(user)
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("活動記録が見つかりません。") from None


def councils_visible_to(user):
    from councils.models import Council

    if is_city_staff(user):
        return Council.objects.all()
    if not is_coordinator(user):
        return Council.objects.none()
    return Council.objects.filter(
        Q(area__in=areas_editable_by(user)) | Q(area__in=_ward_areas_of(user))
    )


def councils_editable_by(user):
    from councils.models import Council

    if is_city_staff(user):
        return Council.objects.all()
    if not is_coordinator(user):
        return Council.objects.none()
    return Council.objects.filter(area__in=areas_editable_by(user))


def council_for_user(user, pk, *, write: bool = False):
    queryset = councils_editable_by(user) if write else councils_visible_to(user)
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("協議体が見つかりません。") from None


def meeting_for_user(user, pk, *, write: bool = False):
    from councils.models import Meeting

    councils = councils_editable_by(user) if write else councils_visible_to(user)
    try:
        return Meeting.objects.select_related("council__area").get(pk=pk, council__in=councils)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("会議の記録が見つかりません。") from None


def issues_visible_to(user):
    from councils.models import RegionalIssue

    return RegionalIssue.objects.filter(meeting__council__in=councils_visible_to(user))


def issue_for_user(user, pk, *, write: bool = False):
    """A 地域課題: its council's editors change it; a tier-1 council's editors also
    change the issues reported to it."""
    from councils.models import RegionalIssue

    if write:
        editable = councils_editable_by(user)
        queryset = RegionalIssue.objects.filter(
            Q(meeting__council__in=editable) | Q(escalated_to__in=editable)
        )
    else:
        queryset = issues_visible_to(user)
    try:
        return queryset.select_related("meeting__council__area", "area").get(pk=pk)
    except (RegionalIssue.DoesNotExist, ValueError, TypeError):
        raise Http404("地域課題が見つかりません。") from None


def attachment_for_user(user, pk, *, write: bool = False):
    from councils.models import MeetingAttachment

    councils = councils_editable_by(user) if write else councils_visible_to(user)
    try:
        return MeetingAttachment.objects.select_related("meeting").get(
            pk=pk, meeting__council__in=councils
        )
    except (MeetingAttachment.DoesNotExist, ValueError, TypeError):
        raise Http404("添付ファイルが見つかりません。") from None
