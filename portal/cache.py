"""What the public pages keep in Django's cache, and when it goes stale.

DESIGN.md: "Django's cache framework … for GeoJSON and rendered lists". Two things
are kept: the reference lists every search reads (areas, categories, targets,
features), and whole responses of the public search page and its map data for
visitors who are not logged in.

Everything kept is filed under the *data version*, a counter in the database
(``DataVersion``). Saving or deleting a resource, a schedule, an area, a 町丁 or a
reference item, changing a resource's categories, targets or features, every
import and every migration (``data_changed``) move it on, in the same transaction
as the change: a page filed under a version never shows older data, in any
process or on any host, whichever cache backend is configured.
``SEARCH_CACHE_SECONDS`` bounds how long a page is kept (0: never).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Collection
from functools import wraps

from asgiref.local import Local
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse

# A request reads the version once, and uses it throughout (request_started and
# request_finished reset this; outside requests it is read every time).
_request = Local()


def request_started(**_signal_kwargs) -> None:
    _request.active, _request.version = True, None


def request_finished(**_signal_kwargs) -> None:
    _request.active, _request.version = False, None


def data_version() -> str:
    """The current data version, with the database's name (a bench database's
    pages never pass for the real one's in a shared cache)."""
    from portal.models import DataVersion

    known = getattr(_request, "version", None)
    if known is not None:
        return known
    version = DataVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    key = f"{connection.settings_dict['NAME']}:{version or 0}"
    if getattr(_request, "active", False):
        _request.version = key
    return key


def data_changed(**_signal_kwargs) -> None:
    """Make everything kept under the old version stale (a signal receiver too).

    The new version is the clock in microseconds (or one more than the last, if
    that is later), never a number used before: a version that a rolled-back
    transaction took, or one of a database that was emptied, does not come back.
    """
    from portal.models import DataVersion

    _request.version = None
    now = time.time_ns() // 1000
    if not DataVersion.objects.filter(pk=1).update(version=Greatest(F("version") + 1, Value(now))):
        DataVersion.objects.update_or_create(pk=1, defaults={"version": now})


def versioned_key(name: str) -> str:
    return f"{name}:{data_version()}"


def _is_cacheable(request: HttpRequest, params: Collection[str]) -> bool:
    """Only pages that are the same for every visitor who is not logged in, for
    the parameters the page reads (others would only fill the cache)."""
    if not settings.SEARCH_CACHE_SECONDS or request.user.is_authenticated:
        return False
    if any(key not in params for key in request.GET):
        return False
    # A pending message belongs to this visitor alone.
    return not len(get_messages(request))


def _page_key(request: HttpRequest) -> str:
    from portal.context_processors import TEXT_SIZE_COOKIE

    varies = "\n".join(
        (
            request.get_full_path(),
            getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            str(request.COOKIES.get(TEXT_SIZE_COOKIE) == "large"),
        )
    )
    digest = hashlib.sha256(varies.encode()).hexdigest()[:32]
    return versioned_key(f"page:{digest}")


def cache_public_page(*, params: Collection[str]):
    """Serve the view's response from the cache to visitors who are not logged in.

    ``params`` are the query parameters the view reads. Logged-in users always
    get a fresh page (theirs may hold staff-only data, and it must never be kept
    where a visitor could be served it). A response that set a cookie or used a
    CSRF token is personal and is not kept either.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _is_cacheable(request, params):
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

    return decorator
