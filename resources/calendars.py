"""Calendars (iCalendar, RFC 5545) of resources, for 「カレンダーに追加」 and feeds.

- ``GET /resources/<id>/calendar.ics``: one resource. Each schedule rule is one
  event that repeats (RRULE) until a year from today, with EXDATE for the
  national holidays it skips and its days off, so that a phone's calendar holds
  a few events and not a hundred copies.
- ``GET /resources/calendar.ics?<search filters>``: a feed of the matching
  resources, each date its own event for the next FEED_DAYS days (a feed is
  fetched again by the calendar that subscribed to it).

Times are Asia/Tokyo with its VTIMEZONE (JST, no summer time since 1951). A
calendar with no dates says why in X-WR-CALDESC (and a COMMENT) and is still a
valid calendar. The dates are resources/occurrences.py's; the resources and
fields the search's and the presenter's, so visibility is as everywhere.

icalendar writes the format: it is the maintained RFC 5545 library for Python
(folding, escaping, parameters), and the tests parse with it too.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event, Timezone, TimezoneStandard

from portal.qr import absolute_url
from resources.models import Resource, ScheduleRule
from resources.occurrences import (
    Occurrence,
    Schedule,
    moved_on,
    notices,
    occurrences,
    rule_days,
    schedule_of,
    schedules_for,
    skipped_days,
)
from resources.policy import resource_for_user
from resources.presenter import ResourceView, resource_fields, tier_of
from resources.search import SearchFilters, resource_search

TOKYO = ZoneInfo("Asia/Tokyo")
RESOURCE_DAYS = 365
FEED_DAYS = 90
FEED_MAX_RESOURCES = 500
PRODID = "-//chiiki-shigen-portal//resources//JA"


def today() -> dt.date:
    return timezone.localdate()


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Tokyo")
    cal.add_component(_tokyo())
    return cal


def _tokyo() -> Timezone:
    """Asia/Tokyo: +09:00 all year (no summer time since 1951)."""
    zone = Timezone()
    zone.add("tzid", "Asia/Tokyo")
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1951, 9, 8))
    standard.add("tzoffsetfrom", dt.timedelta(hours=9))
    standard.add("tzoffsetto", dt.timedelta(hours=9))
    standard.add("tzname", "JST")
    zone.add_component(standard)
    return zone


def _start(day: dt.date, at: dt.time | None) -> dt.date | dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=TOKYO) if at else day


def _describe(view: ResourceView, shown: list, url: str) -> str:
    lines = [view["schedule_text"]]
    lines += [_("お知らせ: %(text)s") % {"text": n.describe()} for n in shown]
    if view["contact_phone"]:
        lines.append(_("問い合わせ: %(phone)s") % {"phone": view["contact_phone"]})
    lines.append(url)
    return "\n".join(line for line in lines if line)


def _event(view: ResourceView, uid: str, day: dt.date, opens, closes, description: str, url):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("summary", view["name"])
    event.add("dtstart", _start(day, opens))
    if opens and closes:
        event.add("dtend", _start(day, closes))
    elif not opens:
        event.add("dtend", day + dt.timedelta(days=1))
    if view["place_text"]:
        event.add("location", view["place_text"])
    if view["on_map"]:
        event.add("geo", (view["lat"], view["lng"]))
    event.add("description", description)
    event.add("url", url)
    return event


def _rrule(rule: ScheduleRule, until: dt.date, timed: bool) -> dict:
    end = (
        dt.datetime.combine(until, dt.time(23, 59, 59), tzinfo=TOKYO).astimezone(dt.UTC)
        if timed
        else until
    )
    if rule.kind == ScheduleRule.Kind.WEEKLY:
        return {"freq": "weekly", "byday": rule.weekday_list, "until": end}
    if rule.kind == ScheduleRule.Kind.MONTHLY_NTH:
        byday = [f"{n}{code}" for n in rule.week_list for code in rule.weekday_list]
        return {"freq": "monthly", "byday": byday, "until": end}
    return {"freq": "monthly", "bymonthday": [rule.day_of_month], "until": end}


def resource_events(view: ResourceView, schedule: Schedule, start: dt.date, end: dt.date):
    """One repeating event per rule, with the skipped days as EXDATE."""
    url = absolute_url(view["detail_url"])
    shown = notices(schedule, start, end)
    description = _describe(view, shown, url)
    events = []
    if not schedule.active:
        return events
    skipped = {day for day, _reason in skipped_days(schedule, start, end)}
    # A 時間変更 day leaves its rules (EXDATE) and is an event of its own.
    moved = {
        o.day: o for o in occurrences(schedule, start, end) if moved_on(schedule, o.day) is not None
    }
    skipped |= set(moved)
    for index, rule in enumerate(schedule.rules):
        days = rule_days(rule, start, end)
        if rule.kind == ScheduleRule.Kind.IRREGULAR or not days:
            continue
        event = _event(
            view,
            f"resource-{view['pk']}-rule-{rule.pk or index}@{_host()}",
            days[0],
            rule.opens_at,
            rule.closes_at,
            description,
            url,
        )
        event.add("rrule", _rrule(rule, end, bool(rule.opens_at)))
        excluded = [_start(d, rule.opens_at) for d in days if d in skipped]
        if excluded:
            event.add("exdate", excluded)
        events.append(event)
    for occurrence in moved.values():
        events.append(occurrence_event(view, occurrence, shown))
    return events


def occurrence_event(view: ResourceView, occurrence: Occurrence, shown: list) -> Event:
    url = absolute_url(view["detail_url"])
    opens = occurrence.opens_at
    stamp = f"{occurrence.day:%Y%m%d}" + (f"T{opens:%H%M}" if opens else "")
    return _event(
        view,
        f"resource-{view['pk']}-{stamp}@{_host()}",
        occurrence.day,
        opens,
        occurrence.closes_at,
        _describe(view, [n for n in shown if n.starts_on <= occurrence.day], url),
        url,
    )


def _host() -> str:
    return absolute_url("/").split("://", 1)[-1].strip("/") or "localhost"


def _empty(cal: Calendar, why: str) -> None:
    cal.add("x-wr-caldesc", why)
    cal.add("comment", why)


def _response(cal: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def resource_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    resource = resource_for_user(
        request.user, pk, related=("area",)
    )  # 404 alike for missing and not allowed
    view = resource_fields(resource, request.user)
    schedule = schedule_of(resource)
    start = today()
    end = start + dt.timedelta(days=RESOURCE_DAYS)
    cal = _calendar(view["name"])
    events = resource_events(view, schedule, start, end)
    for event in events:
        cal.add_component(event)
    if not events:
        if resource.status != Resource.Status.ACTIVE:
            why = _("%(name)sは現在%(status)sのため、予定はありません。") % {
                "name": view["name"],
                "status": view["status_label"],
            }
        else:
            why = _(
                "%(name)sには決まった開催日が登録されていません（不定期など）。日時はお問い合わせください。"
            ) % {"name": view["name"]}
        _empty(cal, why)
    else:
        cal.add("x-wr-caldesc", view["schedule_text"])
    return _response(cal, f"resource-{resource.pk}.ics")


@require_GET
def search_calendar(request: HttpRequest) -> HttpResponse:
    filters = SearchFilters.from_query(request.GET)
    start = today()
    end = start + dt.timedelta(days=FEED_DAYS - 1)
    cal = _calendar(_("%(title)s の予定") % {"title": filters.title()})
    matches = resource_search(fetched_by=request.user, filters=filters).filter(
        status=Resource.Status.ACTIVE
    )
    resources = list(matches[: FEED_MAX_RESOURCES + 1])
    cut = len(resources) > FEED_MAX_RESOURCES
    resources = resources[:FEED_MAX_RESOURCES]
    schedules = schedules_for(resources)
    tier = tier_of(request.user)
    count = 0
    for resource in resources:
        schedule = schedules[resource.pk]
        dates = occurrences(schedule, start, end)
        if not dates:
            continue
        view = resource_fields(resource, tier)
        shown = notices(schedule, start, end)
        for occurrence in dates:
            cal.add_component(occurrence_event(view, occurrence, shown))
            count += 1
    if filters.errors:
        _empty(cal, " ".join(filters.errors))
    elif not count:
        _empty(
            cal,
            _("この条件で、これから%(days)d日間に予定のある地域資源はありません。")
            % {"days": FEED_DAYS},
        )
    else:
        text = _("%(title)s：これから%(days)d日間の予定（%(n)d件）") % {
            "title": filters.title(),
            "days": FEED_DAYS,
            "n": count,
        }
        if cut:
            text += _("。多いため、はじめの%(n)d件の地域資源だけです。") % {"n": FEED_MAX_RESOURCES}
        cal.add("x-wr-caldesc", text)
    return _response(cal, "resources.ics")
