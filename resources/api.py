"""The HSDS 3.0 API: ``GET /api/hsds/services`` and ``/api/hsds/services/<id>``.

Public data for everyone: a logged-in care manager gets exactly what an
anonymous visitor gets (the feed is for publication, not for staff work).
A staff-only or unknown service answers 404, alike.
"""

from __future__ import annotations

import math
from datetime import datetime, time

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_safe

from portal.cache import cache_public_page
from portal.i18n import in_source_language
from portal.ratelimits import limit_anonymous
from resources import hsds
from resources.search import MAX_QUERY_LENGTH, SearchFilters, resource_search

DEFAULT_PER_PAGE = 50
# Capped: a page of 100 services is about 0.5 s of a worker; more is paged.
MAX_PER_PAGE = 100


class BadParameter(ValueError):
    pass


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        data, status=status, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")}
    )
    # Public open data: any site may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _positive(request: HttpRequest, name: str, default: int, maximum: int) -> int:
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(f"{name} は 1 以上の整数で指定してください。") from None
    if not 1 <= value <= maximum:
        raise BadParameter(f"{name} は 1〜{maximum} で指定してください。")
    return value


def _modified_after(request: HttpRequest) -> datetime | None:
    raw = (request.GET.get("modified_after") or "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
        if moment is None:
            day = parse_date(raw)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameter(
            "modified_after は ISO 8601 の日時で指定してください（例: 2026-04-01T00:00:00+09:00）。"
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@require_safe
@in_source_language
@cache_public_page(params={"page", "per_page", "search", "modified_after"})
@limit_anonymous("hsds", "PUBLIC_API_RATE")
def services(request: HttpRequest) -> JsonResponse:
    """A page of services: ``page``, ``per_page``, ``search``, ``modified_after``."""
    try:
        page = _positive(request, "page", 1, 10**6)
        per_page = _positive(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
        modified_after = _modified_after(request)
    except BadParameter as exc:
        return _json({"error": str(exc)}, status=400)
    search = (request.GET.get("search") or "").strip()[:MAX_QUERY_LENGTH]
    filters = SearchFilters(q=search, statuses=[])
    resources = resource_search(fetched_by=AnonymousUser(), filters=filters)
    if modified_after is not None:
        resources = resources.filter(updated_at__gt=modified_after)
    total = resources.count()
    total_pages = math.ceil(total / per_page) if total else 0
    start = (page - 1) * per_page
    rows = (
        resources.select_related("area", "area__parent", "area_tier1").prefetch_related(
            "categories", "targets", "schedules"
        )[start : start + per_page]
        if start < total
        else []
    )
    contents = hsds.services(rows) if rows else []
    return _json(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


@require_safe
@in_source_language
def service_detail(request: HttpRequest, service_id: str) -> JsonResponse:
    pk = hsds.pk_from_service_id(service_id)
    resource = hsds.public_resources().filter(pk=pk).first() if pk is not None else None
    if resource is None:
        return _json({"error": "サービスが見つかりません。"}, status=404)
    return _json(hsds.service(resource))
