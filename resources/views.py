from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from portal import weekdays
from portal.cache import again_when_cached, cache_public_page
from portal.models import Area
from portal.municipality import city
from portal.qr import absolute_url
from portal.roles import Reader
from resources.demand import record_unmet
from resources.models import Resource, ScheduleRule
from resources.paging import CappedPaginator
from resources.palette import SHAPE_LABELS, shape_of
from resources.policy import resource_for_user, resources_editable_by, resources_visible_to
from resources.presenter import ResourceView, resource_fields, row_fields, tier_of
from resources.search import (
    COUNT_CAP,
    KANA_ORDER,
    SEARCH_PARAMS,
    SORT_LABELS,
    TIME_CODES,
    SearchFilters,
    Sort,
    distance_expression,
    reference_lists,
    resource_search,
)

PAGE_SIZE = 20
MAP_FEATURE_LIMIT = 5000
NEARBY_COUNT = 5


def _form_options(filters: SearchFilters) -> dict:
    """The filter form's choices as plain tuples, with what is chosen marked.

    Built here rather than looked up option by option in the template: the page
    has some 150 choices, and this keeps rendering it cheap.
    """
    lists = reference_lists()
    chosen_area = filters.area.code if filters.area else None
    area_groups = [
        (
            str(label),
            [
                (a["code"], a["label"], a["code"] == chosen_area)
                for a in lists["areas"]
                if a["tier"] == tier
            ],
        )
        for tier, label in _area_tiers()
    ]

    def boxes(name, items, chosen, colors=None):
        return [
            (name, value, str(label), (colors or {}).get(value, ""), value in chosen)
            for value, label in items
        ]

    categories = [(c.code, c.name) for c in lists["categories"]]
    colors = {c.code: c.color for c in lists["categories"]}
    times = [(code, bit.label) for code, bit in TIME_CODES.items()]
    checkbox_groups = [
        (
            _("カテゴリ（どれか）"),
            "",
            boxes("category", categories, {c.code for c in filters.categories}, colors),
        ),
        (
            _("種類"),
            "",
            boxes(
                "type",
                Resource.Type.choices,
                set(filters.types),
                {value: f"shape:{shape_of(value)}" for value, _label in Resource.Type.choices},
            ),
        ),
        (
            _("曜日"),
            " checkbox--compact",
            boxes("weekday", weekdays.CHOICES, set(filters.weekdays)),
        ),
        (
            _("時間帯・費用"),
            "",
            boxes("time", times, set(filters.times))
            + boxes("free", [("1", _("無料"))], {"1"} if filters.free else set()),
        ),
        (
            _("対象（どれか）"),
            "",
            boxes(
                "target",
                [(t.code, t.name) for t in lists["targets"]],
                {t.code for t in filters.targets},
            ),
        ),
        (
            _("特徴（すべて）"),
            "",
            boxes(
                "feature",
                [(f.code, f.name) for f in lists["features"]],
                {f.code for f in filters.features},
            ),
        ),
        (_("状態"), "", boxes("status", Resource.Status.choices, set(filters.statuses))),
    ]
    return {
        "area_groups": area_groups,
        "checkbox_groups": checkbox_groups,
        "sort_options": [(s.value, label, s is filters.sort) for s, label in SORT_LABELS.items()],
        "categories": lists["categories"],
        "marker_shapes": list(SHAPE_LABELS.items()),
    }


def _area_tiers() -> tuple[tuple[int, str], ...]:
    """The tiers the area choices offer: a city without wards is its one tier-1
    area, so only its 圏域 are offered (no 区 selector)."""
    if city().has_wards:
        return ((1, _("第1層（区）")), (2, _("第2層（圏域）")))
    return ((2, _("圏域")),)


def _map_config() -> dict:
    current = city()
    if current.has_wards:
        labels = {"tier1": _("第1層（区）の境界"), "tier2": _("第2層（圏域）の境界")}
    else:
        labels = {"tier1": _("%(city)sの境界") % {"city": current.display_name}}
        labels["tier2"] = _("圏域の境界")
    return {
        "geojson": reverse("resources:map_geojson"),
        "areas": reverse("resources:areas_geojson"),
        "search": reverse("resources:search"),
        "labels": labels,
        "center": [current.center_lat, current.center_lng],
        "zoom": current.zoom,
        # Without wards the 圏域 are what a resident places themselves in.
        "show_tier2": not current.has_wards,
    }


def _categories_by_resource(resource_ids) -> dict[int, list]:
    """Each resource's categories, in their display order, in one query: the
    categories themselves come from the cached reference lists."""
    listed = reference_lists()["categories"]  # in their display order
    categories = {c.pk: c for c in listed}
    order = {c.pk: position for position, c in enumerate(listed)}
    found: dict[int, list] = {}
    pairs = Resource.categories.through.objects.filter(resource_id__in=resource_ids)
    for resource_id, category_id in pairs.values_list("resource_id", "category_id"):
        if category_id in categories:  # one added since the lists were read: next time
            found.setdefault(resource_id, []).append(categories[category_id])
    for chosen in found.values():
        chosen.sort(key=lambda c: order[c.pk])
    return found


def _detail_url() -> str:
    """/resources/<id>/ with ``{}`` for the id: one reverse() for a whole list."""
    return reverse("resources:detail", args=[0]).removesuffix("0/") + "{}/"


def _result_rows(resources, reader, *, back: str = "") -> list[ResourceView]:
    """What each result shows, as the reader's views of the resources; what the
    rows share (categories, area labels, the detail URL) is worked out once for
    the page, so that the list template only prints (twenty rows of lookups in
    the template were most of the page)."""
    categories = _categories_by_resource([r.pk for r in resources])
    area_labels = {a["pk"]: a["label"] for a in reference_lists()["areas"]}
    detail_url = _detail_url()
    if back:
        # The detail page's 「検索結果に戻る」 returns to this search.
        detail_url += "?" + urlencode({"back": back})
    tier = tier_of(reader)
    return [
        resource_fields(
            resource,
            tier,
            known={
                "categories": categories.get(resource.pk, ()),
                "area_label": area_labels.get(resource.area_id, ""),
                "detail_url": detail_url.format(resource.pk),
            },
        )
        for resource in resources
    ]


# The columns a result row reads (the search's sort keys come with the query).
RESULT_COLUMNS = (
    "name",
    "kana",
    "resource_type",
    "venue",
    "address",
    "fee_free",
    "fee_amount",
    "fee_note",
    "status",
    "visibility",
    "updated_at",
    "area",  # its label comes from the cached reference lists
    "needs_recheck",
    "verified_on",
)


@require_safe
@vary_on_cookie
@cache_public_page(params=SEARCH_PARAMS | {"page", "partial", "view"})
def search(request: HttpRequest) -> HttpResponse:
    filters = SearchFilters.from_query(request.GET, drop_words=True)
    results = (
        resource_search(fetched_by=request.user, filters=filters)
        .only(*RESULT_COLUMNS)
        .prefetch_related("schedules")
    )
    nearest = filters.point if filters.sort is Sort.DISTANCE and filters.radius_km is None else None
    paginator = CappedPaginator(results, PAGE_SIZE, nearest=nearest, known_ids=filters.matching_ids)
    if paginator.is_capped and filters.sort is Sort.RELEVANCE:
        # Ranking thousands of matches is slow and says little: 五十音順.
        paginator.object_list = results.order_by(*KANA_ORDER)
        filters.notices.append(_("見つかった件数が多いため、五十音順で表示しています。"))
    page = paginator.get_page(request.GET.get("page"))
    if request.GET.get("page", "1") not in ("", str(page.number)) and page.paginator.count:
        filters.notices.append(
            _("ページ番号が範囲外のため、%(n)dページ目を表示しています。") % {"n": page.number}
        )
    query = request.GET.copy()
    for key in ("page", "partial"):
        query.pop(key, None)
    unmet = _unmet_words(filters, page.paginator.count)
    if unmet:
        record_unmet(unmet, filters.area)
    context = {
        "filters": filters,
        "page": page,
        "rows": _result_rows(page.object_list, request.user, back=_back_query(request.GET)),
        "query_string": query.urlencode(),
        "print_query": filters.effective_query().urlencode(),
        "share_url": absolute_url(
            reverse("resources:search") + (f"?{query.urlencode()}" if query else "")
        ),
    }
    if request.GET.get("partial") == "1":
        response = render(request, "resources/_results.html", context)
    else:
        context |= {
            "map_config": _map_config(),
            "show_map_first": request.GET.get("view") == "map",
            **_form_options(filters),
        }
        response = render(request, "resources/search.html", context)
    if unmet:  # the same page from the cache is a search that found nothing too
        area_id = filters.area.pk if filters.area else None
        again_when_cached(response, record_unmet, words=unmet, area=area_id)
    return response


def _back_query(params) -> str:
    """The search a detail page returns to: only the search's own parameters."""
    kept = QueryDict(mutable=True)
    for key in sorted(SEARCH_PARAMS | {"page"}):
        values = [v[:200] for v in params.getlist(key)[:20] if v]
        if values:
            kept.setlist(key, values)
    return kept.urlencode()


def _unmet_words(filters: SearchFilters, count: int) -> list[str]:
    """The words to count of a search that found nothing, or whose words were
    dropped, for the analysis pages (resources/demand.py: no person, address or
    cookie). Only the first page counts, so that paging through a result is one
    search."""
    if filters.params.get("page", "1") not in ("", "1"):
        return []
    return [w.text for w in filters.dropped] or (
        [w.text for w in filters.words] if not count else []
    )


# What a map feature reads of each resource.
MAP_COLUMNS = (
    "pk", "name", "lat", "lng", "resource_type", "visibility",
    "venue", "address", "fee_free", "fee_amount", "fee_note",
)  # fmt: skip


@require_safe
@gzip_page
@vary_on_cookie
@cache_public_page(params=SEARCH_PARAMS)
def map_geojson(request: HttpRequest) -> JsonResponse:
    """The search's results as GeoJSON points: same filters, same access policy."""
    filters = SearchFilters.from_query(request.GET, drop_words=True)
    matches = resource_search(fetched_by=request.user, filters=filters)
    if filters.sort is Sort.RELEVANCE and matches.order_by()[COUNT_CAP : COUNT_CAP + 1].exists():
        matches = matches.order_by(*KANA_ORDER)  # as the list does past 1,000 matches
    # In the list's order, unplaced ones included: each marker carries its number
    # in the list.
    rows = list(matches.values(*MAP_COLUMNS)[:MAP_FEATURE_LIMIT])
    ids = [row["pk"] for row in rows if row["lat"] is not None]
    # Each marker takes the colour of its resource's first category.
    categories = _categories_by_resource(ids)
    schedules: dict[int, list] = {}
    for rule in ScheduleRule.objects.filter(resource_id__in=ids):
        schedules.setdefault(rule.resource_id, []).append(rule)
    detail_url = _detail_url()
    tier = tier_of(request.user)
    features = []
    for number, row in enumerate(rows, start=1):
        if row["lat"] is None:
            continue
        view = row_fields(
            row,
            tier,
            known={
                "categories": categories.get(row["pk"], ()),
                "detail_url": detail_url.format(row["pk"]),
                "schedules": schedules.get(row["pk"], ()),
            },
        )
        category = view["first_category"]
        properties = {
            "id": view["pk"],
            "name": view["name"],
            "category": category.name if category else "",
            "color": view["color"],
            "ink": view["ink"],
            "shape": view["shape"],
            "type": view["type_label"],
            "url": view["detail_url"],
            "n": number,
            "when": view["schedule_text"],
            "where": view["place_text"],
            "fee": view["fee_text"],
        }
        if view["is_staff_only"]:
            properties["staff_only"] = True
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(view["lng"], 6), round(view["lat"], 6)],
                },
                "properties": properties,
            }
        )
    body = {"type": "FeatureCollection", "features": features}
    if filters.errors:
        body["errors"] = filters.errors
    if filters.notices:
        body["notices"] = filters.notices
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


@require_safe
@gzip_page
def areas_geojson(request: HttpRequest) -> JsonResponse:
    """Area boundaries (tier 1 and 2) for the map's boundary layers. Public data."""
    features = [
        {
            "type": "Feature",
            "geometry": area.boundary,
            "properties": {"code": area.code, "name": area.label, "tier": area.tier},
        }
        for area in Area.objects.select_related("parent").exclude(boundary=None)
    ]
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features},
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
@vary_on_cookie
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    tier = tier_of(request.user)
    related = ["area__parent"]
    if tier >= Reader.IN_CHARGE:
        related += ["supporting_coordinator", "verified_by"]
    resource = resource_fields(resource_for_user(request.user, pk, related=tuple(related)), tier)
    nearby = []
    if resource["on_map"]:
        lat, lng, d = resource["lat"], resource["lng"], 0.02
        nearby = [
            resource_fields(other, tier)
            for other in resources_visible_to(request.user)
            .filter(status=Resource.Status.ACTIVE)
            .exclude(pk=resource["pk"])
            .filter(lat__range=(lat - d, lat + d), lng__range=(lng - d, lng + d))
            .annotate(distance_km=distance_expression(lat, lng))
            .order_by("distance_km")
            .only("name", "resource_type", "lat", "lng")[:NEARBY_COUNT]
        ]
    back = _back_query(QueryDict(request.GET.get("back", "")[:2000]))
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "nearby": nearby,
            "marker": _marker(resource),
            # Back to the result that was opened, not the top of the list.
            "back_url": (
                reverse("resources:search") + f"?{back}#r{resource['pk']}" if back else ""
            ),
            "can_edit": tier >= Reader.IN_CHARGE
            and resources_editable_by(request.user).filter(pk=resource["pk"]).exists(),
        },
    )


def _marker(resource: ResourceView) -> dict | None:
    if not resource["on_map"]:
        return None
    return {
        "lat": resource["lat"],
        "lng": resource["lng"],
        "name": resource["name"],
        "color": resource["color"],
    }


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    visible = resources_visible_to(request.user).exclude(status=Resource.Status.ENDED)
    counts = dict(
        visible.values("area_tier1").annotate(n=Count("pk")).values_list("area_tier1", "n")
    )
    total = sum(counts.values())
    if city().has_wards:
        wards = [(area, counts.get(area.pk, 0)) for area in Area.objects.tier1()]
        return render(request, "resources/home.html", {"wards": wards, "total": total})
    # One tier-1 area, the city: its 圏域 are the places to list.
    counts = dict(visible.values("area").annotate(n=Count("pk")).values_list("area", "n"))
    districts = [(area, counts.get(area.pk, 0)) for area in Area.objects.tier2()]
    return render(
        request,
        "resources/home.html",
        {"by_district": True, "districts": districts, "total": total},
    )


@require_safe
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("parent"), code=code)
    visible = resources_visible_to(request.user).exclude(status=Resource.Status.ENDED)
    field = "area_tier1" if area.tier == Area.Tier.CITY else "area"
    by_type = (
        visible.filter(**{field: area}).values("resource_type").annotate(n=Count("pk")).order_by()
    )
    type_labels = dict(Resource.Type.choices)
    children = area.children.annotate(
        n=Count(
            "resources",
            filter=Q(resources__in=visible),
        )
    )
    return render(
        request,
        "resources/area_detail.html",
        {
            "area": area,
            "children": children,
            "by_type": [(type_labels[row["resource_type"]], row["n"]) for row in by_type],
            "total": sum(row["n"] for row in by_type),
        },
    )
