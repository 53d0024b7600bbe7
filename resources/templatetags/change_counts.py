"""The count of pending change requests beside the staff page's link (the
kernel's template loads this library; the kernel's Python imports no app)."""

from __future__ import annotations

from django import template

from resources.models import ChangeRequest
from resources.policy import change_requests_for

register = template.Library()


@register.simple_tag
def pending_change_count(user) -> int:
    return change_requests_for(user).filter(status=ChangeRequest.Status.PENDING).count()
