from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

from portal.roles import can_see_staff_only, role_label

TEXT_SIZE_COOKIE = "textsize"


def city_name() -> str:
    """The municipality's name in the language of the page."""
    if (get_language() or "").startswith("en") and settings.CITY_NAME_EN:
        return settings.CITY_NAME_EN
    return settings.CITY_NAME


def portal(request) -> dict:
    user = request.user
    return {
        "city_name": city_name(),
        "demo_mode": settings.DEMO_MODE,
        "large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
        "staff_view": can_see_staff_only(user),
        "role_label": role_label(user),
    }
