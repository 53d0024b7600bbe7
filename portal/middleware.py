"""Responses that hold staff data are never kept by a browser or proxy cache.

Everything under /staff/ and /admin/, and every page served to a reader who
sees staff-only resources or fields (a care manager's search, a coordinator's
detail page with 内部メモ), is sent with ``Cache-Control: private, no-store``:
a shared computer's back button or a proxy's cache does not show it to the
next person. Public pages for visitors keep their cache headers.
"""

from __future__ import annotations

from django.utils.cache import patch_cache_control

from portal.roles import can_see_staff_only

STAFF_PREFIXES = ("/staff/", "/admin/", "/accounts/")


class StaffNoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        staff_reader = bool(user and user.is_authenticated and can_see_staff_only(user))
        if request.path.startswith(STAFF_PREFIXES) or staff_reader:
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(response, private=True, no_store=True)
            response.headers.pop("Expires", None)
        return response
