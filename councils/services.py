"""Writes of the councils app: councils with members, meetings with attachments
and issues, and the way an issue moves up from tier 2 to tier 1.

``import_councils`` (councils/importing.py): a row of seed 000's 協議体の設置状況 maps to ``Council`` (idempotent by
``code``; 事業開始時期 → ``business_start_fy`` + ``business_start_note``,
協議体設置時期 → ``established_on``, 新設・既設, 既存の会議体) and, for each month
named in 協議体開催時期, one ``Meeting`` (``external_ref`` keeps re-imports
idempotent); ``meeting_record`` refuses dates too far ahead, which a
historical import never hits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.files import attachment_check
from councils.models import Council, CouncilMember, Meeting, MeetingAttachment, RegionalIssue
from portal.models import Area, User
from portal.wareki import format_date
from resources.models import Resource


@transaction.atomic
def council_save(
    *,
    council: Council,
    members: Iterable[CouncilMember] = (),
    removed: Iterable[CouncilMember] = (),
) -> Council:
    """Save a council with its changed and removed members; the tier follows the area."""
    if council.area_id:
        council.tier = council.area.tier
    council.full_clean()
    council.save()
    for member in removed:
        if member.pk and member.council_id == council.pk:
            member.delete()
    errors = []
    for member in members:
        member.council = council
        try:
            member.full_clean()
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        member.save()
    if errors:
        raise ValidationError(errors)
    return council


def _check_attachments(uploads: Iterable) -> list:
    uploads = [upload for upload in uploads if upload]
    errors = []
    for upload in uploads:
        try:
            attachment_check(upload)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"attachments": errors})
    return uploads


def attachment_add(*, meeting: Meeting, upload, uploaded_by: User | None) -> MeetingAttachment:
    checked = attachment_check(upload)
    attachment = MeetingAttachment(
        meeting=meeting,
        original_name=checked.name[:200],
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=uploaded_by,
    )
    attachment.file.save(checked.name, upload, save=False)
    attachment.save()
    return attachment


def attachment_delete(*, attachment: MeetingAttachment) -> None:
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def _issue_areas(council: Council):
    return Area.objects.within(council.area_id)


@transaction.atomic
def meeting_record(
    *,
    council: Council,
    recorded_by: User | None,
    date: date,
    starts_at: time | None = None,
    ends_at: time | None = None,
    place: str = "",
    members_present: Iterable[CouncilMember] = (),
    other_attendees: str = "",
    agenda: str = "",
    minutes: str = "",
    attachments: Iterable = (),
    issue_themes: Iterable[str] = (),
    external_ref: str = "",
) -> Meeting:
    """Record a meeting with who attended, its attachments and the issues raised."""
    meeting = Meeting(
        council=council,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        other_attendees=other_attendees,
        agenda=agenda,
        minutes=minutes,
        created_by=recorded_by,
        external_ref=external_ref,
    )
    errors: dict[str, list[str]] = {}
    try:
        meeting.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        uploads = _check_attachments(attachments)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    meeting.save()
    meeting.members_present.set([m for m in members_present if m.council_id == council.pk])
    for upload in uploads:
        attachment_add(meeting=meeting, upload=upload, uploaded_by=recorded_by)
    for theme in issue_themes:
        theme = theme.strip()
        if theme:
            issue_raise(meeting=meeting, area=council.area, theme=theme, raised_by=recorded_by)
    return meeting


MEETING_FIELDS = ("date", "starts_at", "ends_at", "place", "other_attendees", "agenda", "minutes")


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    updated_by: User | None,
    members_present: Iterable[CouncilMember] | None = None,
    attachments: Iterable = (),
    issue_themes: Iterable[str] = (),
    **fields,
) -> Meeting:
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update() got unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(meeting, name, value)
    errors: dict[str, list[str]] = {}
    try:
        meeting.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        uploads = _check_attachments(attachments)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    meeting.save()
    if members_present is not None:
        meeting.members_present.set(
            [m for m in members_present if m.council_id == meeting.council_id]
        )
    for upload in uploads:
        attachment_add(meeting=meeting, upload=upload, uploaded_by=updated_by)
    for theme in issue_themes:
        theme = theme.strip()
        if theme:
            issue_raise(
                meeting=meeting, area=meeting.council.area, theme=theme, raised_by=updated_by
            )
    return meeting


# Regional issues ---------------------------------------------------------------


def issue_raise(
    *,
    meeting: Meeting,
    area: Area,
    theme: str,
    raised_by: User | None,
    description: str = "",
) -> RegionalIssue:
    if not _issue_areas(meeting.council).filter(pk=area.pk).exists():
        raise ValidationError(
            {"area": _("課題の区域は、協議体の区域（またはその中の圏域）から選んでください。")}
        )
    issue = RegionalIssue(
        meeting=meeting, area=area, theme=theme, description=description, created_by=raised_by
    )
    issue.full_clean()
    issue.save()
    return issue


@transaction.atomic
def issue_update(
    *,
    issue: RegionalIssue,
    theme: str,
    description: str,
    area: Area,
    response: str,
    resources: Iterable[Resource],
) -> RegionalIssue:
    if not _issue_areas(issue.meeting.council).filter(pk=area.pk).exists():
        raise ValidationError(
            {"area": _("課題の区域は、協議体の区域（またはその中の圏域）から選んでください。")}
        )
    issue.theme, issue.description, issue.area, issue.response = theme, description, area, response
    issue.full_clean()
    issue.save()
    issue.resources.set(list(resources))
    return issue


def _append_note(issue: RegionalIssue, label: str, note: str, day: date) -> None:
    line = f"［{format_date(day)}］{label}"
    if note.strip():
        line += f"：{note.strip()}"
    issue.response = f"{issue.response.rstrip()}\n{line}".strip()


@transaction.atomic
def issue_change_status(
    *, issue: RegionalIssue, status: str, changed_by: User | None, note: str = ""
) -> RegionalIssue:
    """Move an issue along 提起 → 検討中 → 対応済 / 継続 (第1層へ報告: issue_escalate)."""
    allowed = {value for value, _label in issue.next_statuses()}
    if status not in allowed:
        labels = dict(RegionalIssue.Status.choices)
        raise ValidationError(
            {
                "status": _("「%(now)s」から「%(next)s」には変えられません。")
                % {
                    "now": labels.get(issue.status, issue.status),
                    "next": labels.get(status, status),
                }
            }
        )
    issue.status = status
    _append_note(issue, RegionalIssue.Status(status).label, note, timezone.localdate())
    issue.save()
    return issue


def tier1_council_for(area: Area, *, on: date | None = None) -> Council | None:
    """The ward's tier-1 council (the oldest one established by ``on``)."""
    councils = Council.objects.filter(tier=Area.Tier.CITY, area=area.tier1)
    if on is not None:
        councils = councils.filter(Q(established_on__isnull=True) | Q(established_on__lte=on))
    return councils.order_by("established_on", "pk").first()


@transaction.atomic
def issue_escalate(
    *,
    issue: RegionalIssue,
    escalated_by: User | None,
    to_council: Council | None = None,
    reported_meeting: Meeting | None = None,
    on: date | None = None,
    note: str = "",
) -> RegionalIssue:
    """Pass a tier-2 council's issue up to the ward's tier-1 council (第1層へ報告)."""
    if issue.meeting.council.tier != Area.Tier.DISTRICT:
        raise ValidationError(_("第1層へ報告できるのは、第2層の協議体で提起された課題です。"))
    if issue.escalated_to_id:
        raise ValidationError(_("この課題はすでに第1層へ報告済みです。"))
    if RegionalIssue.Status.REPORTED not in issue.TRANSITIONS.get(issue.status, ()):
        raise ValidationError(
            _("「%(now)s」の課題は第1層へ報告できません。") % {"now": issue.get_status_display()}
        )
    day = on or timezone.localdate()
    to_council = to_council or tier1_council_for(issue.meeting.council.area)
    if to_council is None or to_council.tier != Area.Tier.CITY:
        raise ValidationError(
            _(
                "この区には第1層の協議体が登録されていないため、報告できません。先に第1層の協議体を登録してください。"
            )
        )
    if to_council.area_id != issue.meeting.council.area.tier1.pk:
        raise ValidationError(_("報告先は同じ区の第1層の協議体にしてください。"))
    if reported_meeting is not None and reported_meeting.council_id != to_council.pk:
        raise ValidationError(_("報告した会議は、報告先の協議体の会議から選んでください。"))
    issue.status = RegionalIssue.Status.REPORTED
    issue.escalated_to = to_council
    issue.escalated_on = day
    issue.reported_meeting = reported_meeting
    _append_note(
        issue,
        _("第1層へ報告（%(council)s）") % {"council": to_council.name},
        note,
        day,
    )
    issue.save()
    return issue
