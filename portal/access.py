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
