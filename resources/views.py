from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.access import can_see_staff_only, resource_for_user
from portal.models import Area
from resources.models import Category
from resources.search import SearchFilters, resource_search

PAGE_SIZE = 20


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    filters = SearchFilters.from_query(request.GET)
    results = resource_search(fetched_by=request.user, filters=filters)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "resources/search.html",
        {
            "filters": filters,
            "page": page,
            "query_string": query.urlencode(),
            "areas": Area.objects.select_related("parent"),
            "categories": Category.objects.all(),
            "selected_categories": {c.pk for c in filters.categories},
        },
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = resource_for_user(request.user, pk)
    return render(
        request,
        "resources/detail.html",
        {"resource": resource, "show_staff_fields": can_see_staff_only(request.user)},
    )
