"""Rate limits on what costs the server most, for visitors who are not logged in.

A list PDF of a few hundred rows takes seconds of a worker; an HSDS page of
many services a second or more. The pages are also kept in the versioned page
cache (``portal.cache.cache_public_page``), so a repeated request costs
nothing; these limits stop one address from asking for many *different* ones
(``?x=1``, ``?x=2`` … pass the cache). Staff are not limited: they are few,
logged in, and their prints over a size are jobs. The address is the client's
behind the proxy (``portal.clientip``); counts live in Django's cache
(django-ratelimit), shared between workers when ``CACHE_URL`` is Redis.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def limit_anonymous(group: str, setting: str) -> Callable:
    """Answer 429 (in Japanese) to an address over the rate named by ``setting``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            rate = getattr(settings, setting, "")
            if (
                rate
                and not request.user.is_authenticated
                and is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)
            ):
                response = render(request, "portal/rate_limited.html", status=429)
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
