"""The role groups and what each may do in the admin, kept in step after every migrate."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from portal.access import GROUP_CARE_MANAGER, GROUP_CITY_STAFF, GROUP_COORDINATOR

# app_label.model -> actions. Area scoping for coordinators is enforced by the
# access policy on top of these model permissions.
ADMIN_PERMISSIONS = {
    GROUP_CITY_STAFF: {
        "portal.area": ("view", "add", "change", "delete"),
        "portal.addresspoint": ("view", "add", "change", "delete"),
        "resources.resource": ("view", "add", "change", "delete"),
        "resources.schedulerule": ("view", "add", "change", "delete"),
        "resources.category": ("view", "add", "change"),
        "resources.target": ("view", "add", "change"),
        "resources.feature": ("view", "add", "change"),
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
