"""Counts the staff entry page shows beside its links (the kernel's template
loads this library; the kernel's Python never imports the app)."""

from __future__ import annotations

from django import template

from coordinators.selectors import resources_due_for_check

register = template.Library()


@register.simple_tag
def due_check_count(user) -> int:
    return resources_due_for_check(fetched_by=user).count()
