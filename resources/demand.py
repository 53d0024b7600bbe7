"""Unmet demand: the words of searches that ended with nothing.

Counted by normalised word, area and week (UnmetSearch), never by person.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from portal.cache import replayable
from portal.text import normalize
from resources.models import UnmetSearch


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week holding `day`."""
    return day - datetime.timedelta(days=day.weekday())


@replayable
def record_unmet(words: Iterable[str], area=None, *, day: datetime.date | None = None) -> None:
    """Count each word once for this search (area: the Area searched in or its
    id, or None)."""
    area = getattr(area, "pk", area)
    week = week_of(day or datetime.date.today())
    for word in {normalize(w)[:100] for w in words if w and w.strip()}:
        if not word:
            continue
        updated = UnmetSearch.objects.filter(word=word, area_id=area, week=week).update(
            count=F("count") + 1
        )
        if updated:
            continue
        try:
            with transaction.atomic():
                UnmetSearch.objects.create(word=word, area_id=area, week=week, count=1)
        except IntegrityError:
            UnmetSearch.objects.filter(word=word, area_id=area, week=week).update(
                count=F("count") + 1
            )


def top_unmet_words(*, areas=None, since: datetime.date | None = None, limit: int = 10):
    """[(word, count)] most often unmet, within `areas` (a queryset or list) if given."""
    rows = UnmetSearch.objects.all()
    if areas is not None:
        rows = rows.filter(area__in=areas)
    if since is not None:
        rows = rows.filter(week__gte=week_of(since))
    return list(
        rows.values_list("word").annotate(total=Sum("count")).order_by("-total", "word")[:limit]
    )
