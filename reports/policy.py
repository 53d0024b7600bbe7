"""Who may read the report tables."""

from __future__ import annotations

from portal.roles import is_in_charge


def can_view_reports(user) -> bool:
    """The report tables (counts per area) are for city staff and coordinators."""
    return is_in_charge(user)
