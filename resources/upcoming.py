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

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from portal import weekdays
from resources.models import GATHERING_TYPES, Resource, ScheduleException, ScheduleRule
from resources.occurrences import (
    Occurrence,
    Schedule,
    day_label,
    notices,
    occurrences_many,
    time_span,
)
from resources.presenter import ResourceView, row_fields, tier_of
from resources.search import SearchFilters, resource_search

WHEN_LABELS = {
    "today": gettext_lazy("今日"),
    "week": gettext_lazy("今週（今日から7日間）"),
    "nextweek": gettext_lazy("来週（月曜〜日曜）"),
}
DEFAULT_WHEN = "week"
# The most lines one page lists; a whole ward's week is a few hundred.
MAX_LINES = 500

# What a line reads of each resource (VIEW_COLUMNS go to the presenter), and
# the most rule rows one page reads.
VIEW_COLUMNS = ("name", "venue", "visibility", "lat", "lng")
RESOURCE_COLUMNS = (*VIEW_COLUMNS, "resource_type", "holiday_rule")
MAX_RULE_ROWS = 20000
WEEKDAY_KINDS = (ScheduleRule.Kind.WEEKLY, ScheduleRule.Kind.MONTHLY_NTH)


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


class Line:
    """One dated line: 「12月3日（水）10:00〜11:30 いきいき百歳体操 さくら会場 0.4km」.

    What the line prints is worked out once, here: a ward's week is hundreds of
    lines, and lookups in the template were most of the page's time."""

    __slots__ = (
        "day_text",
        "distance_text",
        "name",
        "note",
        "notices",
        "occurrence",
        "staff_only",
        "time_text",
        "url",
        "venue",
    )

    def __init__(self, occurrence: Occurrence, resource: ResourceView, notices: list, day_text=""):
        self.occurrence = occurrence
        self.notices = [n.describe() for n in notices]
        self.day_text = day_text or day_label(occurrence.day)
        self.time_text = time_span(occurrence.opens_at, occurrence.closes_at)
        km = resource["distance_km"]
        self.distance_text = "" if km is None else f"{km:.1f}km"
        self.name = resource["name"]
        self.venue = resource["venue"]
        self.url = resource["detail_url"]
        self.staff_only = resource["is_staff_only"]
        self.note = occurrence.note

    def html(self, staff_badge: str, notice_label: str) -> str:
        """The line's <li>, escaped (format_html): a template loop over 500 lines
        cost more than the search behind them."""
        parts = [
            format_html('<span class="upcoming__when">{}{}</span> ', self.day_text, self.time_text),
            format_html('<a href="{}">{}</a>', self.url, self.name),
        ]
        if self.venue:
            parts.append(format_html(' <span class="upcoming__where">{}</span>', self.venue))
        if self.distance_text:
            parts.append(
                format_html(' <span class="upcoming__distance">{}</span>', self.distance_text)
            )
        if self.staff_only:
            parts.append(format_html(' <span class="badge badge--staff">{}</span>', staff_badge))
        if self.note:
            parts.append(format_html(' <span class="muted">（{}）</span>', self.note))
        for notice in self.notices:
            parts.append(
                format_html(
                    '\n      <p class="upcoming__notice"><strong>{}:</strong> {}</p>',
                    notice_label,
                    notice,
                )
            )
        return mark_safe('<li class="upcoming">' + "".join(parts) + "\n    </li>")

    @property
    def text(self) -> str:
        parts = [self.day_text + self.time_text, self.name, self.venue, self.distance_text]
        return " ".join(p for p in parts if p)


def upcoming_lines(
    *, fetched_by, filters: SearchFilters, start: dt.date, end: dt.date
) -> tuple[list[Line], bool]:
    """The dated lines of the matching resources from ``start`` to ``end``, in
    date and time order (then by distance and name), and whether they were cut
    at MAX_LINES.

    A whole ward at L is thousands of resources: their dates are worked out from
    plain rows (no model instances), and only the resources of the lines shown
    are then read as models for the presenter."""
    matches = resource_search(fetched_by=fetched_by, filters=filters).filter(
        status=Resource.Status.ACTIVE
    )
    columns = ["pk", *RESOURCE_COLUMNS]
    if filters.point is not None:
        columns.append("distance_km")
    rule_columns = [f"schedules__{name}" for name in RuleRow.COLUMNS[1:]]
    width = len(columns)
    at = {name: index for index, name in enumerate(columns)}
    name_at, type_at, holiday_at = at["name"], at["resource_type"], at["holiday_rule"]
    distance_at = at.get("distance_km")
    # Days off and notices are few: those in force in the range.
    exceptions: dict[int, list[ScheduleException]] = {}
    for exception in ScheduleException.objects.filter(ends_on__gte=start, starts_on__lte=end):
        exceptions.setdefault(exception.resource_id, []).append(exception)
    resources: dict[int, tuple] = {}
    schedules: dict[int, Schedule] = {}
    found = []

    # The first day reads only the rules that can fall on it: a ward at L has a
    # thousand lines that day alone, a page's worth. When it has fewer, the rest
    # of the range is read in one more query (one row per rule, the columns its
    # line prints, no models).
    def read(rows, first: dt.date, last: dt.date) -> None:
        rules: dict[int, list[RuleRow]] = {}
        for row in rows.order_by().values_list(*columns, *rule_columns)[:MAX_RULE_ROWS]:
            pk = row[0]
            if pk not in resources:
                resources[pk] = row[:width]
            rules.setdefault(pk, []).append(RuleRow(pk, *row[width:]))
        batch = []
        for pk, pk_rules in rules.items():
            row = resources[pk]
            schedule = Schedule(
                pk,
                pk_rules,
                exceptions.get(pk, []),
                closed_on_holidays=row[holiday_at] == "closed"
                if row[holiday_at]
                else row[type_at] in GATHERING_TYPES,
            )
            schedules.setdefault(pk, schedule)
            batch.append(schedule)
        for schedule, o in occurrences_many(batch, first, last):
            row = resources[schedule.resource_id]
            distance = row[distance_at] or 0 if distance_at is not None else 0
            found.append((o.sort_key, distance, row[name_at], schedule.resource_id, o))

    code = weekdays.CODES[start.weekday()]
    read(
        matches.filter(
            Q(schedules__kind__in=WEEKDAY_KINDS, schedules__weekdays__contains=code)
            | Q(schedules__kind=ScheduleRule.Kind.MONTHLY_DATE, schedules__day_of_month=start.day)
        ),
        start,
        start,
    )
    if len(found) <= MAX_LINES and end > start:
        read(matches.filter(schedules__isnull=False), start + dt.timedelta(days=1), end)
    found.sort(key=lambda item: item[:4])
    cut = len(found) > MAX_LINES
    found = found[:MAX_LINES]
    tier = tier_of(fetched_by)
    detail_url = reverse("resources:detail", args=[0]).removesuffix("0/") + "{}/"
    views = {}
    for pk in {item[3] for item in found}:
        row = resources[pk]
        views[pk] = row_fields(
            {"pk": pk, **{name: row[at[name]] for name in VIEW_COLUMNS}},
            tier,
            known={
                "distance_km": row[distance_at] if distance_at is not None else None,
                "detail_url": detail_url.format(pk),
            },
        )
    labels: dict[dt.date, str] = {}
    lines = [
        Line(
            o,
            views[pk],
            notices(schedules[pk], start, end),
            labels.get(o.day) or labels.setdefault(o.day, day_label(o.day)),
        )
        for _key, _distance, _name, pk, o in found
    ]
    return lines, cut


@dataclass(frozen=True)
class RuleRow:
    """A schedule rule read as a plain row, with what resources/occurrences.py reads."""

    COLUMNS = (
        "resource_id",
        "kind",
        "weekdays",
        "weeks_of_month",
        "day_of_month",
        "opens_at",
        "closes_at",
        "note",
    )

    resource_id: int
    kind: str
    weekdays: str
    weeks_of_month: str
    day_of_month: int | None
    opens_at: dt.time | None
    closes_at: dt.time | None
    note: str

    @property
    def weekday_list(self) -> list[str]:
        return [code for code in self.weekdays.split(",") if code]

    @property
    def week_list(self) -> list[int]:
        return [int(n) for n in self.weeks_of_month.split(",") if n.strip()]


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
    days: list[tuple[str, list[str]]] = []
    staff_badge, notice_label = _("関係者限定"), _("お知らせ")
    for line in lines:
        label = line.day_text
        if not days or days[-1][0] != label:
            days.append((label, []))
        days[-1][1].append(line.html(staff_badge, notice_label))
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
