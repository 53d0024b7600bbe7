"""What the portal keeps between requests, and when it goes stale: one rule for all.

Everything kept is filed under the *data version*, a counter in the database
(``DataVersion``). Every write of what the public pages show moves it on once,
in the same transaction as the change (``data_changed``): the services of
resources (resources/services.py), the admin of areas, 町丁 and reference lists,
every import and 町丁 load, and every migration. So a value filed under a version
never shows older data, in any process or on any host, whichever cache backend
is configured. Nothing expires on a timer.

Two kinds of thing are kept:
- *process values* (``versioned_value``): built from the database and kept in
  the memory of each process until the version moves: the reference lists every
  search reads (areas, categories, targets, features) and the area locator
  (portal/geo.py). After an import of areas in one worker, every other worker
  rebuilds its locator on its next use.
- *pages* (``cache_public_page``): whole responses of the public search page and
  its map data for visitors who are not logged in, in Django's cache (shared
  between processes where the backend is), for at most ``SEARCH_CACHE_SECONDS``
  (0: never). What a page did besides rendering that must happen on every
  visit (the unmet-search count of resources/demand.py) is kept with it
  (``again_when_cached``) and done again when the page is served from the cache.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Collection
from functools import update_wrapper, wraps
from typing import Generic, TypeVar

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


def data_changed() -> None:
    """Make everything kept under the old version stale: call it once per write.

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


T = TypeVar("T")


class VersionedValue(Generic[T]):
    """A value built from the database, kept in this process for one data version.

    Calling it returns the value of the current version, built on the first call
    after the version moved (one query to read the version, once per request).
    """

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._version: str | None = None
        self._value: T | None = None
        update_wrapper(self, build)
        _process_values.append(self)

    def __call__(self) -> T:
        version = data_version()
        with self._lock:  # one build per version, whichever thread asks first
            if self._version != version:
                self._value = self._build()
                self._version = version
            return self._value  # type: ignore[return-value]

    def forget(self) -> None:
        """Build again on the next call, whatever the version (tests, a new database)."""
        with self._lock:
            self._version, self._value = None, None


_process_values: list[VersionedValue] = []


def versioned_value(build: Callable[[], T]) -> VersionedValue[T]:
    """Decorator: ``build()``'s value, kept in this process until the data version moves."""
    return VersionedValue(build)


def forget_process_values() -> None:
    """Forget every process value (between tests, whose rolled-back writes leave
    the version as it was)."""
    for value in _process_values:
        value.forget()


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


KEPT_HEADERS = ("Content-Disposition",)
# A response larger than this (a long PDF) is not kept: the memory cache holds
# up to 1,000 entries, and the rate limit guards what is not kept.
PAGE_CACHE_MAX_BYTES = 512 * 1024


# What a cached page may have done again, by name: only functions that said so
# (``replayable``), so a name read back from a shared cache calls nothing else.
_REPLAYABLE: dict[str, Callable] = {}


def replayable(function: Callable) -> Callable:
    """Decorator: ``function`` may be done again when a page is served from the
    cache (``again_when_cached``)."""
    _REPLAYABLE[f"{function.__module__}.{function.__qualname__}"] = function
    return function


def again_when_cached(response: HttpResponse, function: Callable, **kwargs) -> None:
    """Have ``function`` (a ``replayable`` one) called with ``kwargs`` each time
    this response is served from the page cache, as the view itself called it."""
    name = f"{function.__module__}.{function.__qualname__}"
    if _REPLAYABLE.get(name) is not function:
        raise ValueError(f"{name} is not replayable")
    if not hasattr(response, "again_when_cached"):
        response.again_when_cached = []
    response.again_when_cached.append((name, kwargs))


def _serve_stored(stored: tuple) -> HttpResponse:
    content, content_type, *rest = stored
    kept = rest[0] if rest else {}  # pages kept before a deploy may lack the last parts
    again = rest[1] if len(rest) > 1 else []
    response = HttpResponse(content, content_type=content_type)
    for name, value in kept.items():
        response[name] = value
    for name, kwargs in again:
        if function := _REPLAYABLE.get(name):
            function(**kwargs)
    return response


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
                return _serve_stored(stored)
            response = view(request, *args, **kwargs)
            personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            small = len(getattr(response, "content", b"")) <= PAGE_CACHE_MAX_BYTES
            if response.status_code == 200 and not response.streaming and not personal and small:
                # A file keeps its name (PDFs, CSVs: Content-Disposition).
                kept = {h: response[h] for h in KEPT_HEADERS if h in response}
                again = getattr(response, "again_when_cached", [])
                cache.set(
                    key,
                    (response.content, response["Content-Type"], kept, again),
                    settings.SEARCH_CACHE_SECONDS,
                )
            return response

        return wrapper

    return decorator
