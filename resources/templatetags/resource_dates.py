"""The detail page's block of dates (issue 16): next dates, days off and notices,
「カレンダーに追加」, 「道順」 and 「リストに入れる」 — one inclusion tag, so that the
detail template holds one line of it."""

from __future__ import annotations

from django import template
from django.utils import timezone

from resources.occurrences import next_dates, notices, schedule_of_view

register = template.Library()


@register.inclusion_tag("resources/_detail_dates.html")
def resource_dates(resource):
    today = timezone.localdate()
    schedule = schedule_of_view(resource)
    return {
        "resource": resource,
        "dates": next_dates(schedule, today),
        "notices": notices(schedule, today, today.replace(year=today.year + 1)),
        "directions": (
            f"https://www.google.com/maps/dir/?api=1&destination={resource['lat']:.6f},{resource['lng']:.6f}"
            if resource["on_map"]
            else ""
        ),
    }
