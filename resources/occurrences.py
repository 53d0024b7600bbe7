"""A resource's dates: its schedule rules (resources.models.ScheduleRule) turned
into the days between two dates, less national holidays where the resource is
closed on them and less its days off (ScheduleException, kind お休み), with the
notices in force beside them.

Every output that shows dates reads them here: これから (resources/upcoming.py),
the calendars (resources/calendars.py) and the 月間予定表.

National holidays come from jpholiday: it knows only Japan's holidays (内閣府's
list, with 振替休日 and 国民の休日 computed by the law's rules, so future years
need no update), is pure Python without dependencies and names each day in
Japanese. ``holidays`` covers 150 countries and is ten times the size for one
country we need.

An irregular rule (不定期) gives no dates: 「お問い合わせください」 stays the answer.
A resource that is not active (準備中, 休止中, 終了) gives none either.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

import jpholiday
from django.utils.translation import gettext as _

from portal import weekdays
from resources.models import GATHERING_TYPES, Resource, ScheduleException, ScheduleRule

# The longest span one call expands (a year and a bit): a calendar feed asks for
# months, not decades.
MAX_DAYS = 400


@dataclass(frozen=True)
class Occurrence:
    """One date a resource meets on, with the times of the rule that gives it."""

    day: dt.date
    resource_id: int
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None
    note: str = ""

    @property
    def sort_key(self) -> tuple:
        return (self.day, self.opens_at or dt.time(0), self.closes_at or dt.time(0))

    def label(self) -> str:
        """「12月3日（水）10:00〜11:30」"""
        return f"{day_label(self.day)} {time_span(self.opens_at, self.closes_at)}".rstrip()


@dataclass
class Schedule:
    """What one resource's dates come from: its rules, days off and notices."""

    resource_id: int
    rules: list[ScheduleRule]
    exceptions: list[ScheduleException] = field(default_factory=list)
    closed_on_holidays: bool = True
    active: bool = True


def month_day(day: dt.date) -> str:
    """「12月3日」"""
    return _("%(month)d月%(day)d日") % {"month": day.month, "day": day.day}


def day_label(day: dt.date) -> str:
    """「12月3日（水）」"""
    return _("%(date)s（%(weekday)s）") % {
        "date": month_day(day),
        "weekday": weekdays.LABELS[weekdays.CODES[day.weekday()]],
    }


def time_span(opens: dt.time | None, closes: dt.time | None) -> str:
    """「10:00〜11:30」, 「10:00〜」 or nothing."""
    if not opens:
        return ""
    return f"{opens:%H:%M}〜{closes:%H:%M}" if closes else f"{opens:%H:%M}〜"


@functools.cache
def _holidays(year: int) -> dict[dt.date, str]:
    """A year's national holidays and their names (jpholiday works each call out
    from the law's rules: a ward's week asks thousands of times)."""
    return dict(jpholiday.year_holidays(year))


def is_holiday(day: dt.date) -> bool:
    return day in _holidays(day.year)


def holiday_name(day: dt.date) -> str:
    return _holidays(day.year).get(day, "")


def rule_days(rule: ScheduleRule, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days from ``start`` to ``end`` (both included) that ``rule`` names,
    before holidays and days off."""
    if end < start:
        return []
    if rule.kind == ScheduleRule.Kind.WEEKLY:
        wanted = {weekdays.CODES.index(c) for c in rule.weekday_list if c in weekdays.CODES}
        span = (end - start).days + 1
        days = (start + dt.timedelta(n) for n in range(span))
        return [d for d in days if d.weekday() in wanted]
    found: list[dt.date] = []
    for year, month in _months(start, end):
        for day in _month_days(rule, year, month):
            if start <= day <= end:
                found.append(day)
    return sorted(found)


def _months(start: dt.date, end: dt.date) -> Iterable[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _month_days(rule: ScheduleRule, year: int, month: int) -> list[dt.date]:
    length = calendar.monthrange(year, month)[1]
    if rule.kind == ScheduleRule.Kind.MONTHLY_DATE:
        # 毎月31日 has no day in a month of 30: that month has none (as RFC 5545).
        n = rule.day_of_month
        return [dt.date(year, month, n)] if n and n <= length else []
    if rule.kind != ScheduleRule.Kind.MONTHLY_NTH:
        return []  # irregular: no dates
    try:
        weeks = rule.week_list
    except ValueError:
        return []
    days = []
    for code in rule.weekday_list:
        if code not in weekdays.CODES:
            continue
        target = weekdays.CODES.index(code)
        matching = [
            dt.date(year, month, d)
            for d in range(1, length + 1)
            if dt.date(year, month, d).weekday() == target
        ]
        for n in weeks:
            if n == -1:
                days.append(matching[-1])
            elif 1 <= n <= len(matching):
                days.append(matching[n - 1])
    return sorted(set(days))


def skipped_reason(schedule: Schedule, day: dt.date) -> str:
    """Why a day a rule names has no meeting: a day off, a holiday, or ''. A
    時間変更 entered for a holiday says the group meets that day after all."""
    for exception in schedule.exceptions:
        if exception.kind == ScheduleException.Kind.CLOSED and exception.covers(day):
            return exception.describe()
    if schedule.closed_on_holidays and is_holiday(day) and moved_on(schedule, day) is None:
        return _("祝日（%(name)s）のためお休み") % {"name": holiday_name(day)}
    return ""


def moved_on(schedule: Schedule, day: dt.date) -> ScheduleException | None:
    """The 時間変更 that covers ``day``, if any (the latest added wins)."""
    found = None
    for exception in schedule.exceptions:
        if exception.kind == ScheduleException.Kind.MOVED and exception.covers(day):
            found = exception
    return found


def _occurrence(schedule: Schedule, rule: ScheduleRule, day: dt.date) -> Occurrence:
    moved = moved_on(schedule, day) if schedule.exceptions else None
    if moved is not None:
        return Occurrence(
            day, schedule.resource_id, moved.opens_at, moved.closes_at, moved.text or _("時間変更")
        )
    return Occurrence(day, schedule.resource_id, rule.opens_at, rule.closes_at, rule.note)


def occurrences(schedule: Schedule, start: dt.date, end: dt.date) -> list[Occurrence]:
    """The dates of one resource from ``start`` to ``end`` (both included), in order;
    a day of a 時間変更 at its new times (once, however many rules name it)."""
    if not schedule.active:
        return []
    end = min(end, start + dt.timedelta(MAX_DAYS))
    found: dict[tuple, Occurrence] = {}
    for rule in schedule.rules:
        for day in rule_days(rule, start, end):
            if not skipped_reason(schedule, day):
                occurrence = _occurrence(schedule, rule, day)
                found.setdefault((occurrence.sort_key, occurrence.note), occurrence)
    return sorted(found.values(), key=lambda o: o.sort_key)


def skipped_days(schedule: Schedule, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """The days a rule names that have no meeting, with the reason (EXDATE)."""
    end = min(end, start + dt.timedelta(MAX_DAYS))
    days = sorted({d for rule in schedule.rules for d in rule_days(rule, start, end)})
    return [(d, reason) for d in days if (reason := skipped_reason(schedule, d))]


def notices(schedule: Schedule, start: dt.date, end: dt.date) -> list[ScheduleException]:
    """Notices and days off in force at some time from ``start`` to ``end``
    (an expired one is not shown)."""
    return [e for e in schedule.exceptions if e.ends_on >= start and e.starts_on <= end]


def schedule_of(resource: Resource) -> Schedule:
    """The schedule of one resource (its rules and exceptions: prefetched, or read)."""
    return Schedule(
        resource_id=resource.pk,
        rules=list(resource.schedules.all()),
        exceptions=list(resource.schedule_exceptions.all()),
        closed_on_holidays=resource.closed_on_holidays,
        active=resource.status == Resource.Status.ACTIVE,
    )


def schedules_for(resources: Iterable[Resource]) -> dict[int, Schedule]:
    """Schedules of many resources in two queries (rules, then exceptions)."""
    resources = list(resources)
    ids = [r.pk for r in resources]
    rules: dict[int, list[ScheduleRule]] = {}
    for rule in ScheduleRule.objects.filter(resource_id__in=ids).order_by("sort_order", "id"):
        rules.setdefault(rule.resource_id, []).append(rule)
    exceptions: dict[int, list[ScheduleException]] = {}
    for exception in ScheduleException.objects.filter(resource_id__in=ids):
        exceptions.setdefault(exception.resource_id, []).append(exception)
    return {
        r.pk: Schedule(
            resource_id=r.pk,
            rules=rules.get(r.pk, []),
            exceptions=exceptions.get(r.pk, []),
            closed_on_holidays=r.closed_on_holidays,
            active=r.status == Resource.Status.ACTIVE,
        )
        for r in resources
    }


def schedule_of_view(view) -> Schedule:
    """The schedule of a presenter's view of a resource (resources.presenter):
    its rules as the view holds them, its exceptions read by id."""
    holiday_rule = view["holiday_rule"]
    closed = holiday_rule == "closed" if holiday_rule else view["resource_type"] in GATHERING_TYPES
    return Schedule(
        resource_id=view["pk"],
        rules=list(view["schedules"]),
        exceptions=list(ScheduleException.objects.filter(resource_id=view["pk"])),
        closed_on_holidays=closed,
        active=view["status"] == Resource.Status.ACTIVE,
    )


def next_dates(schedule: Schedule, start: dt.date, *, count: int = 5, days: int = 92):
    """The next ``count`` dates within ``days`` days of ``start``."""
    return occurrences(schedule, start, start + dt.timedelta(days=days))[:count]


def occurrences_many(schedules: Iterable[Schedule], start: dt.date, end: dt.date):
    """``occurrences`` of many schedules, as (schedule, occurrence) pairs, unsorted.

    The same as calling ``occurrences`` for each, faster for thousands (a ward at
    L): the days of each distinct rule are worked out once, and holidays and days
    off are looked at only where a resource has them."""
    end = min(end, start + dt.timedelta(MAX_DAYS))
    span = (end - start).days + 1
    holidays = {d for d in (start + dt.timedelta(n) for n in range(span)) if is_holiday(d)}
    by_rule: dict[tuple, list[dt.date]] = {}
    moved_seen: set[tuple[int, dt.date]] = set()
    for schedule in schedules:
        if not schedule.active:
            continue
        closed = schedule.exceptions
        skip_holidays = schedule.closed_on_holidays and holidays
        for rule in schedule.rules:
            key = (rule.kind, rule.weekdays, rule.weeks_of_month, rule.day_of_month)
            days = by_rule.get(key)
            if days is None:
                days = by_rule[key] = rule_days(rule, start, end)
            for day in days:
                if skip_holidays and day in holidays and moved_on(schedule, day) is None:
                    continue
                if closed and skipped_reason(schedule, day):
                    continue
                if closed and moved_on(schedule, day) is not None:
                    if (schedule.resource_id, day) in moved_seen:
                        continue
                    moved_seen.add((schedule.resource_id, day))
                    yield schedule, _occurrence(schedule, rule, day)
                    continue
                yield (
                    schedule,
                    Occurrence(day, schedule.resource_id, rule.opens_at, rule.closes_at, rule.note),
                )
