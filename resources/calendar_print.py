"""The 月間予定表 of an area: ``GET /areas/<code>/calendar.pdf?month=YYYY-MM``.

A4 landscape (``size=a3``: A3): page one the month as a calendar, each day
with its gatherings (time and number); then the area map with the same
numbers, the numbered list of venues with their phone numbers, the notices of
the month, and a QR code to the area's page — the sheet a 包括 pins to its wall.

The resources are the printed lists' (resources.printing: the search, the
reader's policy, public fields unless ``?staff=1``); the dates are
resources/occurrences.py's.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from portal.pdf import pdf_response, safe_filename
from portal.qr import absolute_url, qr_svg
from resources.models import Resource
from resources.occurrences import (
    Occurrence,
    holiday_name,
    notices,
    occurrences,
    schedules_for,
    time_span,
)
from resources.palette import NO_CATEGORY_COLOR
from resources.presenter import ResourceView, resource_fields
from resources.printing import (
    PrintDocument,
    PrintOptions,
    _common_context,
    _outlines,
    marker_shape,
    printable_resources,
)
from resources.search import SearchFilters
from resources.svgmap import AreaMap, Marker

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
# The most resources one 予定表 holds: a ward's gatherings are a few hundred.
MAX_RESOURCES = 400
COMPACT_AFTER = 4
SIDE_BY_SIDE_MAX = 24
SIZES = {
    "a4": {"map_width": 150.0, "map_height": 150.0, "scale": 1.0},
    "a3": {"map_width": 215.0, "map_height": 215.0, "scale": 1.3},
}


class BadMonth(ValueError):
    pass


def parse_month(raw: str | None, today: dt.date) -> dt.date:
    """The first day of the month ``YYYY-MM`` (this month when empty)."""
    raw = (raw or "").strip()
    if not raw:
        return today.replace(day=1)
    found = MONTH.match(raw)
    if not found:
        raise BadMonth(raw)
    year, month = int(found.group(1)), int(found.group(2))
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise BadMonth(raw)
    return dt.date(year, month, 1)


@dataclass
class Entry:
    number: int
    occurrence: Occurrence
    resource: ResourceView

    @property
    def time_text(self) -> str:
        return time_span(self.occurrence.opens_at, self.occurrence.closes_at)


@dataclass
class Day:
    day: dt.date | None
    in_month: bool
    holiday: str = ""
    entries: list[Entry] = field(default_factory=list)

    @property
    def css(self) -> str:
        if self.day is None or not self.in_month:
            return "cal-day cal-day--out"
        if self.holiday or self.day.weekday() == 6:
            return "cal-day cal-day--holiday"
        if self.day.weekday() == 5:
            return "cal-day cal-day--saturday"
        return "cal-day"


@dataclass
class Venue:
    number: int
    resource: ResourceView
    dates: list[Occurrence]
    notices: list


def month_weeks(first: dt.date, entries: dict[dt.date, list[Entry]]) -> list[list[Day]]:
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                Day(
                    d,
                    d.month == first.month,
                    holiday_name(d) if d.month == first.month else "",
                    entries.get(d, []) if d.month == first.month else [],
                )
                for d in week
            ]
        )
    return weeks


def calendar_document(*, user, code: str, params: QueryDict, today: dt.date) -> PrintDocument:
    query = params.copy()
    query["area"] = code
    for key in ("month", "size"):
        query.pop(key, None)
    filters = SearchFilters.from_query(query)
    area = filters.area
    if area is None:
        raise Http404("区域が見つかりません。")
    first = parse_month(params.get("month"), today)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    size = (params.get("size") or "a4").lower()
    size = size if size in SIZES else "a4"
    options = PrintOptions.from_query(params, user)
    resources = list(
        printable_resources(user, filters, options).filter(status=Resource.Status.ACTIVE)[
            : MAX_RESOURCES + 1
        ]
    )
    cut = len(resources) > MAX_RESOURCES
    resources = resources[:MAX_RESOURCES]
    schedules = schedules_for(resources)
    venues: list[Venue] = []
    by_day: dict[dt.date, list[Entry]] = {}
    for resource in resources:
        schedule = schedules[resource.pk]
        dates = occurrences(schedule, first, last)
        if not dates:
            continue
        view = resource_fields(resource, options.tier)
        venue = Venue(len(venues) + 1, view, dates, notices(schedule, first, last))
        venues.append(venue)
        for occurrence in dates:
            by_day.setdefault(occurrence.day, []).append(Entry(venue.number, occurrence, view))
    for entries in by_day.values():
        entries.sort(key=lambda e: (e.occurrence.sort_key, e.number))
    month_label = _("%(year)d年%(month)d月") % {"year": first.year, "month": first.month}
    title = _("%(area)s %(month)s の予定表") % {"area": area.label, "month": month_label}
    paper = SIZES[size]
    markers = []
    for venue in venues:
        view = venue.resource
        if not view["on_map"]:
            continue
        category = view["first_category"]
        markers.append(
            Marker(
                number=venue.number,
                lat=view["lat"],
                lng=view["lng"],
                color=category.color if category else NO_CATEGORY_COLOR,
                label=view["name"],
                shape=marker_shape(view),
            )
        )
    area_map = AreaMap(
        width=paper["map_width"],
        height=paper["map_height"],
        outlines=_outlines(area),
        markers=markers,
        unmapped=sum(1 for v in venues if not v.resource["on_map"]),
        paper_scale=paper["scale"],
        title=title,
        note="" if venues else _("この月に予定のある地域資源はありません。"),
    )
    area_path = reverse("area_detail", args=[area.code])
    context = _common_context(title=title, options=options)
    context.update(
        kind=_("月間予定表"),
        area=area,
        month_label=month_label,
        weekday_names=[_("月"), _("火"), _("水"), _("木"), _("金"), _("土"), _("日")],
        weeks=month_weeks(first, by_day),
        # Many gatherings a day: the cells give number and time only (the names
        # are in the numbered list), and the list has a page of its own.
        compact=max((len(e) for e in by_day.values()), default=0) > COMPACT_AFTER,
        side_by_side=len(venues) <= SIDE_BY_SIDE_MAX,
        venues=venues,
        month_notices=[(v, n) for v in venues for n in v.notices],
        map_svg=area_map.svg(),
        qr=qr_svg(area_path, size_mm=24),
        qr_url=absolute_url(area_path),
        size=size,
        cut=cut,
        max_resources=MAX_RESOURCES,
        errors=filters.errors,
        staff_mark=options.staff_fields or any(v.resource["is_staff_only"] for v in venues),
    )
    return PrintDocument(
        "resources/print_calendar.html",
        context,
        safe_filename(f"予定表_{area.label}_{first:%Y-%m}"),
        f"calendar-{area.code}-{first:%Y-%m}.pdf",
    )


@require_GET
@vary_on_cookie
def area_calendar_pdf(request: HttpRequest, code: str) -> HttpResponse:
    try:
        document = calendar_document(
            user=request.user, code=code, params=request.GET, today=timezone.localdate()
        )
    except BadMonth as bad:
        return render(
            request,
            "resources/print_calendar_bad_month.html",
            {"month": str(bad)[:20], "code": code},
            status=400,
        )
    response = pdf_response(document.pdf(request), document.filename, fallback=document.fallback)
    patch_cache_control(response, private=True, max_age=0)
    return response
