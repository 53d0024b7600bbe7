"""Who may see and edit which resource: the one policy of ``Resource``.

- anonymous visitors and users without a role: public resources;
- 関係者 and above (``portal.roles``): staff-only (関係者限定) resources too;
- coordinators: edit the resources of the areas they serve;
- city staff and admins: edit everything.

Which *fields* a reader gets: ``FIELD_TIERS`` below names every field above
the public tier and the tier that reads it (README "Roles and visibility");
``resources.presenter`` renders exactly those for every output, and nothing
else restates the list. A resource a user may not see answers 404, like a
missing one.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from portal.roles import (
    Reader,
    areas_served_by,
    can_see_staff_only,
    is_city_staff,
    is_coordinator,
    reader_tier,
)
from resources.models import ChangeRequest, Resource

# Fields above the public tier, and the tier that reads them; every other field
# of a visible resource is public.
FIELD_TIERS: dict[str, Reader] = {
    "contact_person": Reader.RELATED,
    "private_phone": Reader.RELATED,
    "internal_notes": Reader.IN_CHARGE,
    "supporting_coordinator": Reader.IN_CHARGE,
    "verified_by": Reader.IN_CHARGE,
}
STAFF_ONLY_FIELDS = tuple(FIELD_TIERS)


def resources_visible_to(user) -> QuerySet[Resource]:
    resources = Resource.objects.all()
    if can_see_staff_only(user):
        return resources
    return resources.filter(visibility=Resource.Visibility.PUBLIC)


def resources_editable_by(user) -> QuerySet[Resource]:
    if is_city_staff(user):
        return Resource.objects.all()
    if not is_coordinator(user):
        return Resource.objects.none()
    return Resource.objects.filter(area__in=areas_served_by(user))


def resource_for_user(user, pk, *, write: bool = False, related: tuple[str, ...] = ()) -> Resource:
    """The resource, or 404 alike for one that does not exist and one not allowed.

    ``related``: foreign keys to read in the same query (``select_related``)."""
    queryset = resources_editable_by(user) if write else resources_visible_to(user)
    if related:
        queryset = queryset.select_related(*related)
    try:
        return queryset.get(pk=pk)
    except (Resource.DoesNotExist, ValueError, TypeError):
        raise Http404("地域資源が見つかりません。") from None


def hidden_fields(reader) -> frozenset[str]:
    """The fields of a resource that ``reader`` (a user or a ``Reader``) may not read."""
    tier = reader if isinstance(reader, Reader) else reader_tier(reader)
    return frozenset(name for name, needs in FIELD_TIERS.items() if needs > tier)


# Change requests (resources.changes): one policy beside the resource's, since a
# request is read and decided by whoever may edit the resource it is about.


def change_requests_for(user) -> QuerySet[ChangeRequest]:
    """The requests a user may read and decide: of resources they may edit, and
    new places suggested in their areas (city staff: all, also those without an area)."""
    if is_city_staff(user):
        return ChangeRequest.objects.all()
    if not is_coordinator(user):
        return ChangeRequest.objects.none()
    areas = areas_served_by(user)
    return ChangeRequest.objects.filter(
        Q(resource__area__in=areas) | Q(resource__isnull=True, area__in=areas)
    )


def change_request_for_user(user, pk) -> ChangeRequest:
    try:
        return change_requests_for(user).select_related("resource", "area").get(pk=pk)
    except (ChangeRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("知らせが見つかりません。") from None


# 確認票 (resources.recheck): a file per area and day, read by whoever edits that
# area's resources; the file of resources without an area only by city staff.


def recheck_sheet_visible(user, area_code: str, *, codes: set[str] | None = None) -> bool:
    """May ``user`` read the 確認票 of the area ``area_code``? (``codes``: the
    user's area codes, read once for a list.)"""
    if is_city_staff(user):
        return True
    if not is_coordinator(user):
        return False
    if codes is None:
        codes = recheck_sheet_codes(user)
    return area_code in codes


def recheck_sheet_codes(user) -> set[str]:
    """The area codes of the 確認票 a coordinator reads (their areas')."""
    return set(areas_served_by(user).values_list("code", flat=True))
