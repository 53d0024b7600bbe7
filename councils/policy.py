"""Who may see and edit which council record: the one policy of ``Council`` and
of what hangs from it (meetings, attachments, 地域課題).

Everything here is staff-only. A coordinator sees the councils of the areas they
serve and the tier-1 council of their ward, and edits those of the areas they
serve; city staff see and edit all. What a user may not see answers 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from councils.models import Council, Meeting, MeetingAttachment, RegionalIssue
from portal.roles import areas_served_by, is_city_staff, is_coordinator, wards_of


def councils_visible_to(user) -> QuerySet[Council]:
    if is_city_staff(user):
        return Council.objects.all()
    if not is_coordinator(user):
        return Council.objects.none()
    return Council.objects.filter(Q(area__in=areas_served_by(user)) | Q(area__in=wards_of(user)))


def councils_editable_by(user) -> QuerySet[Council]:
    if is_city_staff(user):
        return Council.objects.all()
    if not is_coordinator(user):
        return Council.objects.none()
    return Council.objects.filter(area__in=areas_served_by(user))


def council_for_user(user, pk, *, write: bool = False) -> Council:
    queryset = councils_editable_by(user) if write else councils_visible_to(user)
    try:
        return queryset.get(pk=pk)
    except (Council.DoesNotExist, ValueError, TypeError):
        raise Http404("協議体が見つかりません。") from None


def meeting_for_user(user, pk, *, write: bool = False) -> Meeting:
    councils = councils_editable_by(user) if write else councils_visible_to(user)
    try:
        return Meeting.objects.select_related("council__area").get(pk=pk, council__in=councils)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("会議の記録が見つかりません。") from None


def issues_visible_to(user) -> QuerySet[RegionalIssue]:
    return RegionalIssue.objects.filter(meeting__council__in=councils_visible_to(user))


def issue_for_user(user, pk, *, write: bool = False) -> RegionalIssue:
    """A 地域課題: its council's editors change it; a tier-1 council's editors also
    change the issues reported to it."""
    if write:
        editable = councils_editable_by(user)
        queryset = RegionalIssue.objects.filter(
            Q(meeting__council__in=editable) | Q(escalated_to__in=editable)
        )
    else:
        queryset = issues_visible_to(user)
    try:
        return queryset.select_related("meeting__council__area", "area").get(pk=pk)
    except (RegionalIssue.DoesNotExist, ValueError, TypeError):
        raise Http404("地域課題が見つかりません。") from None


def attachment_for_user(user, pk, *, write: bool = False) -> MeetingAttachment:
    councils = councils_editable_by(user) if write else councils_visible_to(user)
    try:
        return MeetingAttachment.objects.select_related("meeting").get(
            pk=pk, meeting__council__in=councils
        )
    except (MeetingAttachment.DoesNotExist, ValueError, TypeError):
        raise Http404("添付ファイルが見つかりません。") from None
