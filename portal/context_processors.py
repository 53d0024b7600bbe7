from __future__ import annotations

from django.conf import settings

from portal.roles import can_see_staff_only, role_label

TEXT_SIZE_COOKIE = "textsize"


def portal(request) -> dict:
    user = request.user
    return {
        "city_name": settings.CITY_NAME,
        "demo_mode": settings.DEMO_MODE,
        "large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
        "staff_view": can_see_staff_only(user),
        "role_label": role_label(user),
    }
