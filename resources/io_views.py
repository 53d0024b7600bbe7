"""Pages of data out: the staff export of the current search and the open-data CSV.

Export is for everyone who may see staff-only data (関係者 and up), with the
columns they may see. Anyone else gets 404, as for every staff page the access
policy hides (DESIGN.md). The staff import (upload → preview → confirm) is the
sheet engine's shared pages (``portal.sheets.views``), routed in ``io_urls``.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from portal.i18n import in_source_language, source_language
from portal.roles import can_see_staff_only
from resources import exporting
from resources.search import SearchFilters, resource_search


def _require_exporter(request: HttpRequest) -> None:
    if not can_see_staff_only(request.user):
        raise Http404


@require_safe
def export(request: HttpRequest) -> HttpResponse:
    """The current search (the query of /resources/) as CSV or XLSX, chosen columns."""
    _require_exporter(request)
    filters = SearchFilters.from_query(request.GET)
    resources = resource_search(fetched_by=request.user, filters=filters)
    allowed = exporting.columns_for(request.user)
    if request.GET.get("download"):
        fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        columns = exporting.chosen_columns(request.GET.getlist("col"), request.user) or allowed
        with source_language():  # read back by the importer: Japanese labels
            export_file = exporting.export_file(resources, columns, user=request.user, fmt=fmt)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = f"地域資源_{stamp}.{export_file.extension}"
        response = HttpResponse(export_file.content, content_type=export_file.content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="resources_{stamp}.{export_file.extension}"; '
            f"filename*=UTF-8''{quote(name)}"
        )
        response["Cache-Control"] = "private, no-store"
        return response
    search_params = [
        (key, value)
        for key in request.GET
        if key not in ("download", "format", "col", "page", "partial")
        for value in request.GET.getlist(key)
    ]
    query = request.GET.copy()
    for key in ("download", "format", "col", "page", "partial"):
        query.pop(key, None)
    return render(
        request,
        "resources/export.html",
        {
            "filters": filters,
            "count": resources.count(),
            "columns": allowed,
            "search_params": search_params,
            "search_query": query.urlencode(),
        },
    )


@require_safe
@in_source_language
def opendata(request: HttpRequest) -> HttpResponse:
    """Public resources, public fields, the columns of ``opendata_columns``."""
    response = HttpResponse(exporting.opendata_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="resources.csv"'
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@in_source_language
def opendata_columns(request: HttpRequest) -> HttpResponse:
    """The data dictionary of the open-data CSV."""
    response = HttpResponse(
        exporting.opendata_columns_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="resources-columns.csv"'
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
@in_source_language
def opendata_layout(request: HttpRequest, layout: str) -> HttpResponse:
    """Public resources in the MHLW 通いの場 or the 自治体標準 layout."""
    from resources import opendata_layouts

    writers = {
        "kayoinoba": opendata_layouts.kayoinoba_csv,
        "jichitai": opendata_layouts.jichitai_csv,
    }
    response = HttpResponse(writers[layout](), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{layout}.csv"'
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response
