"""これから: what is on next — today, this week, next week — with the search's own
filters and words (resources/search.py), as dated lines in date and time order.

``GET /resources/upcoming/?<search filters>&when=today|week|nextweek``:
- today: today only;
- week (the default): today and the six days after it — what a resident can
  still go to, whichever day of the week they look;
- nextweek: next Monday to Sunday.

The dates come from resources/occurrences.py (holidays, days off, notices). The
resources are the search's, so visibility is the policy's, and every field shown
goes through the presenter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from resources.models import Resource, ScheduleRule
from resources.occurrences import (
    Occurrence,
    day_label,
    notices,
    occurrences,
    schedules_for,
    time_span,
)
from resources.presenter import ResourceView, resource_fields, tier_of
from resources.search import SearchFilters, resource_search

WHEN_LABELS = {
    "today": gettext_lazy("今日"),
    "week": gettext_lazy("今週（今日から7日間）"),
    "nextweek": gettext_lazy("来週（月曜〜日曜）"),
}
DEFAULT_WHEN = "week"
# The most lines one page lists; a whole ward's week is a few hundred.
MAX_LINES = 500
# The most resources whose dates one page works out.
MAX_RESOURCES = 5000

# What a line reads of each resource.
COLUMNS = (
    "name",
    "venue",
    "address",
    "resource_type",
    "status",
    "visibility",
    "holiday_rule",
    "lat",
    "lng",
)


def today() -> dt.date:
    """Today in the city's time zone (a function, so that tests can fix it)."""
    return timezone.localdate()


def date_range(when: str, base: dt.date) -> tuple[dt.date, dt.date]:
    if when == "today":
        return base, base
    if when == "nextweek":
        monday = base + dt.timedelta(days=7 - base.weekday())
        return monday, monday + dt.timedelta(days=6)
    return base, base + dt.timedelta(days=6)


@dataclass
class Line:
    """One dated line: 「12月3日（水）10:00〜11:30 いきいき百歳体操 さくら会場 0.4km」."""

    occurrence: Occurrence
    resource: ResourceView
    notices: list

    @property
    def day_text(self) -> str:
        return day_label(self.occurrence.day)

    @property
    def time_text(self) -> str:
        return time_span(self.occurrence.opens_at, self.occurrence.closes_at)

    @property
    def distance_text(self) -> str:
        km = self.resource["distance_km"]
        return "" if km is None else f"{km:.1f}km"

    @property
    def text(self) -> str:
        parts = [
            self.day_text + self.time_text,
            self.resource["name"],
            self.resource["venue"],
            self.distance_text,
        ]
        return " ".join(p for p in parts if p)


def scheduled(resources):
    """Only resources that have a rule to give dates."""
    return resources.filter(Exists(ScheduleRule.objects.filter(resource_id=OuterRef("pk"))))


def upcoming_lines(
    *, fetched_by, filters: SearchFilters, start: dt.date, end: dt.date
) -> tuple[list[Line], bool]:
    """The dated lines of the matching resources from ``start`` to ``end``, in
    date and time order (then by distance and name), and whether they were cut
    at MAX_LINES."""
    matches = scheduled(resource_search(fetched_by=fetched_by, filters=filters)).filter(
        status=Resource.Status.ACTIVE
    )
    resources = list(matches.only(*COLUMNS)[:MAX_RESOURCES])
    schedules = schedules_for(resources)
    tier = tier_of(fetched_by)
    lines: list[Line] = []
    for resource in resources:
        schedule = schedules[resource.pk]
        dates = occurrences(schedule, start, end)
        if not dates:
            continue
        view = resource_fields(resource, tier)
        shown = notices(schedule, start, end)
        lines.extend(Line(o, view, shown) for o in dates)
    lines.sort(
        key=lambda line: (
            line.occurrence.sort_key,
            line.resource["distance_km"] or 0,
            line.resource["name"],
        )
    )
    return lines[:MAX_LINES], len(lines) > MAX_LINES


@require_GET
@vary_on_cookie
def upcoming(request: HttpRequest) -> HttpResponse:
    filters = SearchFilters.from_query(request.GET)
    when = request.GET.get("when") or DEFAULT_WHEN
    if when not in WHEN_LABELS:
        filters.notices.append(
            _("「いつ」は 今日・今週・来週 から選んでください。今週を表示しています。")
        )
        when = DEFAULT_WHEN
    start, end = date_range(when, today())
    lines, cut = upcoming_lines(fetched_by=request.user, filters=filters, start=start, end=end)
    if cut:
        filters.notices.append(
            _("予定が多いため、はじめの%(n)d件を表示しています。条件を加えるとしぼり込めます。")
            % {"n": MAX_LINES}
        )
    query = request.GET.copy()
    query.pop("when", None)
    query.pop("page", None)
    days: list[tuple[str, list[Line]]] = []
    for line in lines:
        label = line.day_text
        if not days or days[-1][0] != label:
            days.append((label, []))
        days[-1][1].append(line)
    return render(
        request,
        "resources/upcoming.html",
        {
            "filters": filters,
            "when": when,
            "when_options": [(code, label, code == when) for code, label in WHEN_LABELS.items()],
            "start": start,
            "end": end,
            "range_text": _("%(start)s〜%(end)s")
            % {"start": day_label(start), "end": day_label(end)}
            if start != end
            else day_label(start),
            "days": days,
            "count": len(lines),
            "search_query": query.urlencode(),
        },
    )
