"""What the public pages keep in Django's cache, and when it goes stale.

DESIGN.md: "Django's cache framework … for GeoJSON and rendered lists". Two things
are kept: the reference lists every search reads (areas, categories, targets,
features), and whole responses of the public search page and its map data for
visitors who are not logged in.

Everything kept is filed under one *data version*. Saving or deleting a resource,
a schedule, an area or a reference item, changing a resource's categories, targets
or features, and every import (``data_changed``) moves the version on, so nothing
kept is older than the data it shows. ``SEARCH_CACHE_SECONDS`` bounds how long a
page is kept (0: never), which also bounds how stale a page can be on a server
whose processes do not share the cache (the default local-memory cache; use
Redis with CACHE_URL when there is more than one process).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from uuid import uuid4

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

VERSION_KEY = "resources:data-version"


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid4().hex[:12], None)
        version = cache.get(VERSION_KEY, "")
    return version


def data_changed(**_signal_kwargs) -> None:
    """Make everything kept under the old version stale (a signal receiver too)."""
    cache.set(VERSION_KEY, uuid4().hex[:12], None)


def versioned_key(name: str) -> str:
    return f"{name}:{data_version()}"


def _is_cacheable(request: HttpRequest) -> bool:
    """Only pages that are the same for every visitor who is not logged in."""
    if not settings.SEARCH_CACHE_SECONDS or request.user.is_authenticated:
        return False
    # A pending message ("ログアウトしました") belongs to this visitor alone.
    return not len(get_messages(request))


def _page_key(request: HttpRequest) -> str:
    from portal.context_processors import TEXT_SIZE_COOKIE

    varies = "\n".join(
        (
            request.get_full_path(),
            getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            request.COOKIES.get(TEXT_SIZE_COOKIE, ""),
        )
    )
    digest = hashlib.sha256(varies.encode()).hexdigest()[:32]
    return versioned_key(f"resources:page:{digest}")


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view``'s response from the cache to visitors who are not logged in.

    Logged-in users always get a fresh page (theirs may hold staff-only data, and
    it must never be kept where a visitor could be served it). A response that
    set a cookie or used a CSRF token is personal and is not kept either.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _is_cacheable(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        if response.status_code == 200 and not response.streaming and not personal:
            cache.set(
                key, (response.content, response["Content-Type"]), settings.SEARCH_CACHE_SECONDS
            )
        return response

    return wrapper
