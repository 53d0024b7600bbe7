from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_ratelimit.core import get_usage

from portal.context_processors import TEXT_SIZE_COOKIE
from portal.forms import LoginForm
from portal.jobs.policy import jobs_of
from portal.roles import (
    areas_served_by,
    can_see_staff_only,
    can_use_admin,
    is_city_staff,
    is_in_charge,
)


@login_required
@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    """The staff entry page: what this user's role can do, in one place."""
    if not can_see_staff_only(request.user):
        raise Http404
    return render(
        request,
        "portal/staff_home.html",
        {
            "editable_areas": areas_served_by(request.user).select_related("parent"),
            "is_city_staff": is_city_staff(request.user),
            "can_use_admin": can_use_admin(request.user),
            "is_in_charge": is_in_charge(request.user),
            "made_jobs": jobs_of(request.user),
        },
    )


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@require_safe
@never_cache
def text_size(request: HttpRequest) -> HttpResponse:
    """Large text on or off, remembered for a year; works without JavaScript.

    A GET form: it only sets a display preference, and pages whose forms carry no
    CSRF token can be served from the cache (portal/cache.py).
    """
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.GET.get("size") == "large":
        response.set_cookie(TEXT_SIZE_COOKIE, "large", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE)
    return response


@require_safe
@never_cache
def language(request: HttpRequest) -> HttpResponse:
    """Switch the pages' language, remembered for a year; works without JavaScript.

    A GET form for the reason text_size is one (Django's set_language takes only
    POST with a CSRF token, which would make every page uncacheable). The cookie
    is LocaleMiddleware's own, so the choice wins over Accept-Language; the page
    cache already files pages by request.LANGUAGE_CODE.
    """
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    code = request.GET.get("lang", "")
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


def _login_limited(request: HttpRequest, *, count: bool) -> bool:
    """Whether the client's address (portal.clientip) has failed too many logins,
    whatever usernames it tried; ``count``: this request is one more failure."""
    usage = get_usage(
        request,
        group="login-address",
        key="ip",
        rate=settings.LOGIN_RATE_PER_ADDRESS,
        increment=count,
    )
    # After as many failures as the rate allows, the next attempt waits.
    return bool(usage) and usage["count"] >= usage["limit"] + (1 if count else 0)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if _login_limited(request, count=False):
            return render(
                request,
                "registration/address_limited.html",
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        _login_limited(self.request, count=True)
        return super().form_invalid(form)

    def get_default_redirect_url(self) -> str:
        # Coordinators and city staff land on their entry page; care managers,
        # who mostly search, where settings say (the home page).
        if is_in_charge(self.request.user):
            return reverse("staff_home")
        return super().get_default_redirect_url()
