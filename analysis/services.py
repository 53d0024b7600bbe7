"""Writes of 地域分析: the participants of a resource in a 年度."""

from __future__ import annotations

from django.db import transaction

from analysis.models import Participation
from resources.models import Resource


@transaction.atomic
def participation_save(
    *, resource: Resource, fiscal_year: int, participants: int | None, by=None
) -> bool:
    """Record (or with ``None`` remove) the 参加者実人数; True when something changed."""
    current = Participation.objects.filter(resource=resource, fiscal_year=fiscal_year).first()
    if participants is None:
        if current is None:
            return False
        current.delete()
        return True
    if current is not None and current.participants == participants:
        return False
    Participation.objects.update_or_create(
        resource=resource,
        fiscal_year=fiscal_year,
        defaults={"participants": participants, "recorded_by": by},
    )
    return True
