"""Printed lists, one-page sheets and area resource maps (PDF, WeasyPrint).

Every printed list comes from ``resource_search`` with the reading user, and a
sheet from ``resource_for_user``: a PDF shows exactly what the same user sees on
the search page, never more. Templates get the reader's views of the resources
(``resources.presenter``), never a model: staff-only fields are printed only
when asked (``?staff=1``), and then only those of the reader's tier (a care
manager's print has the contact person, never the internal notes); without
``?staff=1`` the views are ``Reader.PUBLIC``. A PDF holding any staff-only data
says 「関係者限定」 at the top of every page. ``?public=1`` narrows a staff
user's print to public resources and fields (handouts for residents).

The builders return a ``PrintDocument`` (template, context, file name), so the
views, ``manage.py print_booklet`` and ``print_bench_figures`` render the same
HTML through the one helper in ``portal.pdf``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_cookie

from portal.cache import cache_public_page
from portal.models import Area
from portal.municipality import city
from portal.pdf import html_to_pdf, pdf_response, safe_filename
from portal.qr import qr_svg
from portal.ratelimits import limit_anonymous
from portal.roles import Reader, can_see_staff_only, is_city_staff, reader_tier
from portal.wareki import format_both
from resources.models import Category, Resource
from resources.palette import NO_CATEGORY_COLOR, SHAPE_LABELS, SHAPES
from resources.policy import resource_for_user, resources_visible_to
from resources.presenter import ResourceView, resource_fields
from resources.search import SEARCH_PARAMS, SearchFilters, resource_search
from resources.svgmap import (
    AreaMap,
    LegendEntry,
    Marker,
    Outline,
    spot_map_svg,
)

# WeasyPrint makes about 3 pages a second, and a request should not take a web
# worker for long: prints of more rows than PRINT_JOB_ROWS are made as a job
# (resources/print_jobs.py), and of more than PRINT_MAX_ROWS get a one-page PDF
# pointing to the booklet command.
DEFAULT_MAX_PRINT_ROWS = 3000
DEFAULT_JOB_PRINT_ROWS = 300
SHEET_DESCRIPTION_CHARS = 360
GROUPS = {"area": gettext_lazy("区域"), "category": gettext_lazy("カテゴリ")}
UNCATEGORISED = gettext_lazy("カテゴリなし")
NO_AREA = gettext_lazy("区域の指定なし")

# Page geometry of the map page (mm): paper size, and the map's box on it.
PAPERS = {
    "a4": {"label": "A4", "map_width": 281.0, "map_height": 169.0, "scale": 1.0},
    "a3": {"label": "A3", "map_width": 404.0, "map_height": 250.0, "scale": 1.3},
}


# Options and rows -----------------------------------------------------------


@dataclass
class PrintOptions:
    """How to print, from the query: ?large=1, ?group=area|category, ?staff=1, ?public=1, ?paper=a3."""

    large: bool = False
    group: str = ""
    staff_fields: bool = False
    public_only: bool = False
    paper: str = "a4"
    # The tier of fields printed: the reader's own with ?staff=1, else public.
    tier: Reader = Reader.PUBLIC

    @classmethod
    def from_query(cls, params: QueryDict, user) -> PrintOptions:
        staff_user = can_see_staff_only(user)
        public_only = params.get("public") == "1" or not staff_user
        group = params.get("group") or ""
        paper = (params.get("paper") or "a4").lower()
        staff_fields = staff_user and not public_only and params.get("staff") == "1"
        return cls(
            large=params.get("large") == "1",
            group=group if group in GROUPS else "",
            staff_fields=staff_fields,
            public_only=public_only,
            paper=paper if paper in PAPERS else "a4",
            tier=reader_tier(user) if staff_fields else Reader.PUBLIC,
        )


@dataclass
class PrintRow:
    number: int
    resource: ResourceView  # what the print may show of the resource
    category: Category | None
    staff_only: bool
    on_map: bool
    # お知らせ not yet over on the day of printing.
    notices: list[str] = field(default_factory=list)


@dataclass
class PrintGroup:
    label: str
    rows: list[PrintRow] = field(default_factory=list)


@dataclass
class PrintDocument:
    """What to render: a template, its context and the file name of the PDF."""

    template: str
    context: dict
    filename: str
    fallback: str = "document.pdf"  # ASCII file name for old clients

    def html(self, request: HttpRequest | None = None) -> str:
        return render_to_string(self.template, self.context, request=request)

    def pdf(self, request: HttpRequest | None = None) -> bytes:
        return html_to_pdf(self.html(request))


def max_print_rows() -> int:
    return int(getattr(settings, "PRINT_MAX_ROWS", DEFAULT_MAX_PRINT_ROWS))


def job_print_rows(large: bool) -> int:
    """The most rows printed in a request; more are made as a job (resources/print_jobs.py).
    Large print takes about twice the pages, so half as many rows."""
    rows = int(getattr(settings, "PRINT_JOB_ROWS", DEFAULT_JOB_PRINT_ROWS))
    return rows // 2 if large else rows


class PrintNeedsJob(Exception):
    """Too many rows to print in a request (but not more than a print may hold)."""

    def __init__(self, count: int, large: bool) -> None:
        super().__init__(count)
        self.count = count
        self.large = large


def printable_resources(user, filters: SearchFilters, options: PrintOptions):
    """The search's resources for ``user``, with what the printed rows read in bulk."""
    resources = resource_search(fetched_by=user, filters=filters)
    if options.public_only:
        # Narrows the user's own search: a staff member's handout for residents.
        resources = resources.filter(visibility=Resource.Visibility.PUBLIC)
    resources = resources.select_related("area", "area__parent").prefetch_related(
        "categories", "schedules"
    )
    if options.tier >= Reader.IN_CHARGE:
        resources = resources.select_related("supporting_coordinator", "verified_by")
    return resources


def _fetch(resources, limit: int | None) -> tuple[list[Resource], int | None]:
    """The rows, or ([], total) when there are more than ``limit``."""
    if limit is None:
        return list(resources), None
    rows = list(resources[: limit + 1])
    if len(rows) > limit:
        return [], resources.count()
    return rows, None


def _group_key(resource: ResourceView, category: Category | None, group: str) -> tuple:
    if group == "area":
        area = resource["area"]
        if area is None:
            return (1, 0, 0, "", NO_AREA)
        parent_order = area.parent.sort_order if area.parent else area.sort_order
        return (0, parent_order, area.tier, area.sort_order, area.code, area.label)
    if category is None:
        return (1, 0, "", UNCATEGORISED)
    return (0, category.sort_order, category.code, category.name)


def number_rows(
    resources: list[Resource], group: str = "", tier: Reader = Reader.PUBLIC
) -> list[PrintGroup]:
    """Numbered rows in the search's order (stable within each group when grouped),
    each with the view of its resource for a reader of ``tier``."""
    items = []
    for resource in resources:
        view = resource_fields(resource, tier)
        items.append((view, view["first_category"]))
    if group:
        items.sort(key=lambda item: _group_key(item[0], item[1], group)[:-1])
    groups: list[PrintGroup] = []
    for number, (resource, category) in enumerate(items, start=1):
        label = _group_key(resource, category, group)[-1] if group else ""
        if not groups or groups[-1].label != label:
            groups.append(PrintGroup(label))
        groups[-1].rows.append(
            PrintRow(
                number=number,
                resource=resource,
                category=category,
                staff_only=resource["is_staff_only"],
                on_map=resource["on_map"],
            )
        )
    return groups


def _common_context(*, title: str, options: PrintOptions) -> dict:
    today = timezone.localdate()
    return {
        "title": title,
        "printed_on": format_both(today),
        "city_name": city().display_name,
        "program_name": city().program_name,
        "large": options.large,
        "staff_fields": options.staff_fields,
        "booklet_url": reverse("printing:booklet"),
        "max_rows": max_print_rows(),
    }


def _list_context(
    *,
    user,
    filters: SearchFilters,
    options: PrintOptions,
    title: str,
    limit: int | None,
    map_marks: bool = False,
    in_request: bool = False,
) -> dict:
    rows, too_many = _fetch(printable_resources(user, filters, options), limit)
    if in_request and too_many is None and len(rows) > job_print_rows(options.large):
        raise PrintNeedsJob(len(rows), options.large)
    groups = number_rows(rows, options.group, options.tier)
    flat = [row for g in groups for row in g.rows]
    _add_notices(flat)
    context = _common_context(title=title, options=options)
    context.update(
        groups=groups,
        rows=flat,
        count=len(flat),
        grouped=bool(options.group),
        group_label=GROUPS.get(options.group, ""),
        errors=filters.errors,
        notices=filters.notices,
        too_many=too_many,
        map_marks=map_marks,
        unmapped=sum(1 for row in flat if not row.on_map),
        staff_mark=options.staff_fields or any(row.staff_only for row in flat),
    )
    return context


def _add_notices(rows: list[PrintRow]) -> None:
    """Each row's お知らせ not yet over (a printed list is kept for weeks), read
    for all rows at once."""
    from resources.models import ScheduleException

    by_resource: dict[int, list[str]] = {}
    in_force = ScheduleException.objects.filter(
        resource_id__in=[row.resource["pk"] for row in rows],
        kind=ScheduleException.Kind.NOTICE,
        ends_on__gte=timezone.localdate(),
    ).order_by("starts_on", "pk")
    for notice in in_force:
        by_resource.setdefault(notice.resource_id, []).append(notice.describe())
    for row in rows:
        row.notices = by_resource.get(row.resource["pk"], [])


# Builders ---------------------------------------------------------------------


def list_document(
    *, user, params: QueryDict, unlimited: bool = False, in_request: bool = False
) -> PrintDocument:
    """The numbered list of a search: ``GET /resources/print.pdf?<filters>``.

    ``in_request``: raises ``PrintNeedsJob`` for more rows than a request prints."""
    filters = SearchFilters.from_query(params)
    options = PrintOptions.from_query(params, user)
    title = filters.title()
    context = _list_context(
        user=user,
        filters=filters,
        options=options,
        title=title,
        limit=None if unlimited else max_print_rows(),
        in_request=in_request,
    )
    context["kind"] = _("地域資源一覧")
    context["qr"] = qr_svg(_search_path(params), size_mm=18)
    return PrintDocument(
        "resources/print_list.html",
        context,
        safe_filename(f"地域資源一覧_{title}"),
        f"resource-list-{timezone.localdate():%Y%m%d}.pdf",
    )


def _search_path(params: QueryDict) -> str:
    """The live search page of a printed list, for its QR code."""
    query = QueryDict(mutable=True)
    for key in sorted(SEARCH_PARAMS & set(params)):
        query.setlist(key, params.getlist(key))
    encoded = query.urlencode()
    return reverse("resources:search") + (f"?{encoded}" if encoded else "")


def _outlines(area: Area) -> list[Outline]:
    """The area, its tier-2 parts, and the areas around it (one query)."""
    rows = list(
        Area.objects.exclude(boundary=None).only("id", "tier", "parent_id", "name", "boundary")
    )
    names = {a.pk: a.name for a in rows}

    def short(a: Area) -> str:
        parent = names.get(a.parent_id, "")
        # 北区 第1圏域 inside 北区's map reads 第1圏域.
        return a.name[len(parent) :].strip() if parent and a.name.startswith(parent) else a.name

    outlines: list[Outline] = []
    for other in rows:
        if other.pk == area.pk:
            outlines.append(Outline(other.shape, "", "focus"))
        elif area.tier == Area.Tier.CITY and other.parent_id == area.pk:
            outlines.append(Outline(other.shape, short(other), "part"))
        elif other.tier == area.tier:
            label = short(other) if other.parent_id == area.parent_id else other.name
            outlines.append(Outline(other.shape, label, "neighbour"))
        elif (
            area.tier == Area.Tier.DISTRICT
            and other.tier == Area.Tier.CITY
            and other.pk != area.parent_id
            and not any(r.parent_id == other.pk for r in rows)
        ):
            # A ward without tier-2 areas still shows as a neighbour of a tier-2 map.
            outlines.append(Outline(other.shape, other.name, "neighbour"))
    return outlines


def marker_shape(view: ResourceView) -> str:
    """The shape of the resource's kind, as on the search map (resources/palette.py)."""
    return view["shape"]


def _legend(rows: list[PrintRow]) -> list[LegendEntry]:
    """Colours (a chip per category), then shapes (one per kind shown), with counts."""
    counts: dict[int | None, int] = {}
    categories: dict[int | None, Category | None] = {}
    shapes: dict[str, int] = {}
    for row in rows:
        if not row.on_map:
            continue
        key = row.category.pk if row.category else None
        counts[key] = counts.get(key, 0) + 1
        categories[key] = row.category
        shape = marker_shape(row.resource)
        shapes[shape] = shapes.get(shape, 0) + 1
    entries = sorted(
        counts,
        key=lambda k: (k is None, categories[k].sort_order if categories[k] else 0, k or 0),
    )
    return [
        *(
            LegendEntry(
                categories[k].name if categories[k] else UNCATEGORISED,
                categories[k].color if categories[k] else NO_CATEGORY_COLOR,
                counts[k],
                "chip",
            )
            for k in entries
        ),
        *(
            LegendEntry(str(SHAPE_LABELS[shape]), "#1a1a1a", shapes[shape], shape)
            for shape in SHAPES
            if shape in shapes
        ),
    ]


def area_map_document(
    *, user, code: str, params: QueryDict, unlimited: bool = False, in_request: bool = False
) -> PrintDocument:
    """The area resource map: ``GET /areas/<code>/map.pdf?<filters>`` (map, then the list)."""
    query = params.copy()
    query["area"] = code
    filters = SearchFilters.from_query(query)
    area = filters.area
    if area is None:
        raise Http404("区域が見つかりません。")
    options = PrintOptions.from_query(params, user)
    others = [chip.label for chip in filters.chips() if chip.label != area.label]
    title = _("%(area)s 地域資源マップ") % {"area": area.label}
    context = _list_context(
        user=user,
        filters=filters,
        options=options,
        title=title,
        limit=None if unlimited else max_print_rows(),
        map_marks=True,
        in_request=in_request,
    )
    paper = PAPERS[options.paper]
    rows = context["rows"]
    markers = [
        Marker(
            number=row.number,
            lat=row.resource["lat"],
            lng=row.resource["lng"],
            color=row.category.color if row.category else NO_CATEGORY_COLOR,
            label=row.resource["name"],
            shape=marker_shape(row.resource),
        )
        for row in rows
        if row.on_map
    ]
    area_map = AreaMap(
        width=paper["map_width"],
        height=paper["map_height"],
        outlines=_outlines(area),
        markers=markers,
        legend=_legend(rows),
        unmapped=context["unmapped"],
        paper_scale=paper["scale"],
        title=title,
        note="" if rows else _("この区域には条件に合う地域資源がありません。"),
    )
    context.update(
        kind=_("地域資源マップ"),
        area=area,
        conditions="・".join(others),
        paper=options.paper,
        paper_label=paper["label"],
        map_svg=area_map.svg() if not context["too_many"] else "",
        list_title=_("%(area)s 地域資源一覧") % {"area": area.label},
        qr=qr_svg(reverse("area_detail", args=[area.code]), size_mm=18),
    )
    return PrintDocument(
        "resources/print_area_map.html",
        context,
        safe_filename(f"地域資源マップ_{area.label}"),
        f"resource-map-{area.code}.pdf",
    )


def sheet_document(*, user, pk: int, params: QueryDict) -> PrintDocument:
    """One A4 page about one resource, for a resident: ``GET /resources/<id>/sheet.pdf``."""
    options = PrintOptions.from_query(params, user)
    related = ["area__parent"]
    if options.tier >= Reader.IN_CHARGE:
        related += ["supporting_coordinator", "verified_by"]
    resource = resource_fields(resource_for_user(user, pk, related=tuple(related)), options.tier)
    if options.public_only and resource["is_staff_only"] and can_see_staff_only(user):
        raise Http404("地域資源が見つかりません。")
    category = resource["first_category"]
    color = category.color if category else NO_CATEGORY_COLOR
    map_svg = ""
    if resource["on_map"]:
        outline_area = resource["area"]
        outlines = _outlines(outline_area) if outline_area and outline_area.boundary else []
        for outline in outlines:
            if outline.kind == "focus" and outline_area:
                outline.label = outline_area.label
        map_svg = spot_map_svg(
            lat=resource["lat"],
            lng=resource["lng"],
            color=color,
            outlines=outlines,
            width=100,
            height=75,
        )
    verified_on = resource["verified_on"]
    context = _common_context(title=resource["name"], options=options)
    context.update(
        kind=_("地域資源のご案内"),
        resource=resource,
        description=Truncator(resource["description"]).chars(SHEET_DESCRIPTION_CHARS),
        verified_on=resource["verified_month"] if verified_on else "",
        map_svg=map_svg,
        staff_mark=options.staff_fields or resource["is_staff_only"],
        large=True,
        qr=qr_svg(resource["detail_url"], size_mm=26),
        **_sheet_dates(resource),
    )
    return PrintDocument(
        "resources/print_sheet.html",
        context,
        safe_filename(f"{resource['name']}_ご案内"),
        f"resource-{resource['pk']}.pdf",
    )


def _sheet_dates(resource: ResourceView) -> dict:
    """The next dates and the notices in force, for the sheet."""
    from resources.occurrences import next_dates, notices, schedule_of_view

    today = timezone.localdate()
    schedule = schedule_of_view(resource)
    return {
        "next_dates": next_dates(schedule, today),
        "schedule_notices": notices(schedule, today, today.replace(year=today.year + 1)),
    }


# Views ------------------------------------------------------------------------


# The print options a visitor's PDF reads (besides the search's filters).
PRINT_PARAMS = frozenset({"large", "group", "staff", "paper", "public"})


def _respond(document: PrintDocument, request: HttpRequest) -> HttpResponse:
    response = pdf_response(document.pdf(request), document.filename, fallback=document.fallback)
    patch_cache_control(response, private=True, max_age=0)
    return response


@require_safe
@vary_on_cookie
@cache_public_page(params=SEARCH_PARAMS | PRINT_PARAMS)
@limit_anonymous("public-pdf", "PUBLIC_PDF_RATE")
def list_pdf(request: HttpRequest) -> HttpResponse:
    try:
        document = list_document(user=request.user, params=request.GET, in_request=True)
    except PrintNeedsJob as big:
        from resources.print_jobs import print_job_offer

        return print_job_offer(request, big, code="")
    return _respond(document, request)


@require_safe
@vary_on_cookie
@cache_public_page(params=PRINT_PARAMS)
@limit_anonymous("public-pdf", "PUBLIC_PDF_RATE")
def sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(sheet_document(user=request.user, pk=pk, params=request.GET), request)


@require_safe
@vary_on_cookie
@cache_public_page(params=PRINT_PARAMS | {"paper"})
@limit_anonymous("public-pdf", "PUBLIC_PDF_RATE")
def area_map_pdf(request: HttpRequest, code: str) -> HttpResponse:
    try:
        document = area_map_document(
            user=request.user, code=code, params=request.GET, in_request=True
        )
    except PrintNeedsJob as big:
        from resources.print_jobs import print_job_offer

        return print_job_offer(request, big, code=code)
    return _respond(document, request)


@login_required
@require_http_methods(["GET", "POST"])
def booklet(request: HttpRequest) -> HttpResponse:
    """The staff page: each area's map and list as a PDF, public or for 関係者;
    ``POST`` (city staff) starts the whole-city booklet as a job."""
    if not can_see_staff_only(request.user):
        raise Http404
    from resources.print_jobs import booklet_jobs, booklet_start

    if request.method == "POST":
        return booklet_start(request)
    limit = max_print_rows()
    request_limit = job_print_rows(large=False)
    visible = resources_visible_to(request.user).filter(status=Resource.Status.ACTIVE)
    public = Q(visibility=Resource.Visibility.PUBLIC)
    by_tier1 = {
        row["area_tier1"]: row
        for row in visible.values("area_tier1").annotate(
            n=Count("pk"), public=Count("pk", filter=public)
        )
    }
    by_area = {
        row["area"]: row
        for row in visible.values("area").annotate(n=Count("pk"), public=Count("pk", filter=public))
    }
    entries: list[dict] = []
    parts: dict[int, list[dict]] = {}
    for area in Area.objects.select_related("parent").order_by("tier", "sort_order", "code"):
        counts = (by_tier1 if area.tier == Area.Tier.CITY else by_area).get(area.pk) or {}
        entry = {
            "area": area,
            "count": counts.get("n", 0),
            "public": counts.get("public", 0),
            "too_many": counts.get("n", 0) > limit,
            "as_job": request_limit < counts.get("n", 0) <= limit,
        }
        if area.tier == Area.Tier.CITY:
            entries.append(entry)
        else:
            parts.setdefault(area.parent_id, []).append(entry)
    # Each ward followed by its tier-2 areas.
    ordered = []
    for entry in entries:
        ordered += [entry, *parts.get(entry["area"].pk, [])]
    return render(
        request,
        "resources/booklet.html",
        {
            "entries": ordered,
            "max_rows": limit,
            "request_rows": request_limit,
            "is_city_staff": is_city_staff(request.user),
            "booklet_jobs": booklet_jobs(request.user),
        },
    )


# The booklet (manage.py print_booklet) -------------------------------------


def booklet_viewer(*, staff: bool):
    """Who a booklet is printed for: residents (anonymous) or city staff."""
    if not staff:
        return AnonymousUser()
    from portal.models import User

    # Never saved: the access policy lets superusers see everything.
    return User(username="print_booklet", is_superuser=True)


def booklet_areas(code: str | None = None, tier: str = "1") -> list[Area]:
    areas = Area.objects.select_related("parent").order_by("tier", "sort_order", "code")
    if code:
        found = list(areas.filter(code=code))
        if not found:
            raise Area.DoesNotExist(code)
        return found
    if tier == "all":
        wards = list(areas.filter(tier=Area.Tier.CITY))
        parts = list(areas.filter(tier=Area.Tier.DISTRICT))
        ordered = []
        for ward in wards:
            ordered.append(ward)
            ordered += [p for p in parts if p.parent_id == ward.pk]
        return ordered
    return list(areas.filter(tier=int(tier)))


def write_area_booklet(
    area: Area, path: Path, *, user, params: QueryDict | None = None
) -> tuple[int, int]:
    """One area's map and list as a PDF at ``path``; (rows, bytes). No row limit."""
    document = area_map_document(
        user=user, code=area.code, params=params or QueryDict(), unlimited=True
    )
    pdf = document.pdf()
    path.write_bytes(pdf)
    return document.context["count"], len(pdf)
