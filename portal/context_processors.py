from __future__ import annotations

from django.conf import settings

from portal.municipality import city
from portal.roles import can_see_staff_only, role_label

TEXT_SIZE_COOKIE = "textsize"


def city_name() -> str:
    """The municipality's name in the language of the page."""
    return city().display_name


def portal(request) -> dict:
    user = request.user
    current = city()
    return {
        "city_name": current.display_name,
        "program_name": current.program_name,
        "city_has_wards": current.has_wards,
        "public_analysis": current.public_analysis,
        "demo_mode": settings.DEMO_MODE,
        "large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
        "staff_view": can_see_staff_only(user),
        "role_label": role_label(user),
    }
