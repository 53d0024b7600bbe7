"""Who a user is to the portal: role groups, the tier of fields they read, and
the areas a coordinator serves.

Roles come from Django groups (names below) plus superusers; a coordinator's
areas are stored once, on ``User.areas``. Each app's ``policy`` module decides
which of its objects and fields a user may see or edit from these answers; no
view asks the groups itself.

Field tiers (README "Roles and visibility"):

- ``Reader.PUBLIC``: anyone, logged in or not, without a role;
- ``Reader.RELATED`` (関係者: care managers, 包括 staff): + staff-only resources,
  the contact person and their phone;
- ``Reader.IN_CHARGE`` (担当: coordinators, city staff, admins): + internal
  notes, the supporting coordinator and who verified the record.
"""

from __future__ import annotations

from enum import IntEnum

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet
from django.utils.translation import gettext, gettext_noop

from portal.models import Area

# Group names are stored in the database: marked for translation, never translated
# there (role_label translates them for display).
GROUP_CARE_MANAGER = gettext_noop("関係者")
GROUP_COORDINATOR = gettext_noop("生活支援コーディネーター")
GROUP_CITY_STAFF = gettext_noop("市職員")
ROLE_GROUPS = (GROUP_CARE_MANAGER, GROUP_COORDINATOR, GROUP_CITY_STAFF)


class Reader(IntEnum):
    """The tier of fields a user reads; each tier reads everything below it."""

    PUBLIC = 0
    RELATED = 1
    IN_CHARGE = 2


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


def reader_tier(user) -> Reader:
    if is_city_staff(user) or is_coordinator(user):
        return Reader.IN_CHARGE
    if GROUP_CARE_MANAGER in _groups(user):
        return Reader.RELATED
    return Reader.PUBLIC


def can_see_staff_only(user) -> bool:
    """関係者限定 data: care managers, coordinators, city staff and admins."""
    return reader_tier(user) >= Reader.RELATED


def is_in_charge(user) -> bool:
    """担当: coordinators and city staff (internal notes, records of work)."""
    return reader_tier(user) >= Reader.IN_CHARGE


def role_label(user) -> str:
    if not getattr(user, "is_authenticated", False):
        return ""
    if user.is_superuser:
        return gettext("管理者")
    for group in (GROUP_CITY_STAFF, GROUP_COORDINATOR, GROUP_CARE_MANAGER):
        if group in _groups(user):
            return gettext(group)
    return gettext("一般")


def can_use_admin(user) -> bool:
    """The Django admin's card on the staff home: city staff and admins (staff
    accounts with permissions of their own). Coordinators work on the staff
    pages; their group's admin permissions alone do not count."""
    if not (getattr(user, "is_active", False) and getattr(user, "is_staff", False)):
        return False
    if is_city_staff(user):
        return True
    own = user.get_all_permissions()
    if not is_coordinator(user):
        return bool(own)
    coordinator = Group.objects.filter(name=GROUP_COORDINATOR).first()
    granted = {
        f"{app}.{codename}"
        for app, codename in (
            coordinator.permissions.values_list("content_type__app_label", "codename")
            if coordinator
            else ()
        )
    }
    return bool(own - granted)


def areas_served_by(user) -> QuerySet[Area]:
    """The areas a user works in: every area for city staff; for a coordinator
    the areas on ``User.areas``, a tier-1 area with all its tier-2 areas."""
    if is_city_staff(user):
        return Area.objects.all()
    if not is_coordinator(user):
        return Area.objects.none()
    return Area.objects.within(user.areas.all())


def wards_served_by(user) -> QuerySet[Area]:
    """The tier-1 areas a coordinator serves directly (as a tier-1 coordinator)."""
    return user.areas.filter(tier=Area.Tier.CITY)


def wards_of(user) -> QuerySet[Area]:
    """The tier-1 areas a user's areas belong to (their own wards and parents)."""
    own = user.areas.all()
    return Area.objects.filter(
        Q(pk__in=own.filter(tier=Area.Tier.CITY)) | Q(children__in=own)
    ).distinct()


# What each role may do in the Django admin, kept in step after every migrate.
# app_label.model -> actions; area scoping for coordinators is each app's policy.
ADMIN_PERMISSIONS = {
    GROUP_CITY_STAFF: {
        "portal.area": ("view", "add", "change", "delete"),
        "portal.addresspoint": ("view", "add", "change", "delete"),
        "resources.resource": ("view", "add", "change", "delete"),
        "resources.schedulerule": ("view", "add", "change", "delete"),
        "resources.scheduleexception": ("view", "add", "change", "delete"),
        "resources.category": ("view", "add", "change"),
        "resources.target": ("view", "add", "change"),
        "resources.feature": ("view", "add", "change"),
        "resources.changerequest": ("view", "delete"),
        "resources.grouplink": ("view",),
        "resources.verificationrequest": ("view",),
        # Coordinators record activities and councils on the staff pages,
        # scoped by area; the admin (no area scoping) is for city staff.
        "coordinators.affiliation": ("view", "add", "change", "delete"),
        "coordinators.coordinator": ("view", "add", "change", "delete"),
        "coordinators.activity": ("view", "change", "delete"),
        "councils.council": ("view", "add", "change", "delete"),
        "councils.councilmember": ("view", "add", "change", "delete"),
        "councils.meeting": ("view", "change", "delete"),
        "councils.meetingattachment": ("view", "delete"),
        "councils.regionalissue": ("view", "change", "delete"),
    },
    GROUP_COORDINATOR: {
        "resources.resource": ("view", "add", "change"),
        "resources.schedulerule": ("view", "add", "change", "delete"),
        "resources.scheduleexception": ("view", "add", "change", "delete"),
        "portal.area": ("view",),
    },
    GROUP_CARE_MANAGER: {},
}


def ensure_role_groups(**_kwargs) -> None:
    for name, grants in ADMIN_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for model_key, actions in grants.items():
            app_label, model = model_key.split(".")
            wanted += list(
                Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )
        group.permissions.set(wanted)
