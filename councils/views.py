"""Staff pages of councils, meetings, attachments and regional issues (thin views)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from councils.forms import (
    CouncilForm,
    EscalateForm,
    IssueForm,
    IssueStatusForm,
    MeetingForm,
    MemberFormSet,
)
from councils.models import Council, RegionalIssue
from councils.policy import (
    attachment_for_user,
    council_for_user,
    councils_editable_by,
    issue_for_user,
    meeting_for_user,
)
from councils.selectors import council_list as select_councils
from councils.selectors import issue_list as select_issues
from councils.selectors import issues_reported_to
from councils.services import (
    attachment_delete as delete_attachment,
)
from councils.services import (
    council_save,
    issue_change_status,
    issue_escalate,
    issue_raise,
    issue_update,
    meeting_record,
    meeting_update,
    tier1_council_for,
)
from portal.decorators import add_validation_errors, records_page
from portal.models import Area
from portal.roles import areas_served_by
from portal.wareki import fiscal_year_of, format_fiscal_year


def _can_edit(user, council: Council) -> bool:
    return councils_editable_by(user).filter(pk=council.pk).exists()


# Councils ---------------------------------------------------------------------


@records_page
@require_http_methods(["GET"])
def council_list(request: HttpRequest) -> HttpResponse:
    councils = select_councils(fetched_by=request.user, query=request.GET)
    areas = (
        areas_served_by(request.user)
        .select_related("parent")
        .order_by("tier", "sort_order", "code")
    )
    return render(
        request,
        "councils/council_list.html",
        {
            "councils": councils,
            "areas": areas,
            "selected_area": request.GET.get("area", ""),
            "selected_tier": request.GET.get("tier", ""),
            "can_create": areas.exists(),
        },
    )


def _council_form(request: HttpRequest, council: Council | None) -> HttpResponse:
    instance = council or Council()
    form = CouncilForm(request.POST or None, instance=instance, user=request.user)
    formset = MemberFormSet(request.POST or None, instance=instance, prefix="members")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                saved = council_save(
                    council=form.save(commit=False),
                    members=formset.save(commit=False),
                    removed=formset.deleted_objects,
                )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, _("協議体「%(name)s」を保存しました。") % {"name": saved.name}
            )
            return redirect(saved)
    return render(
        request,
        "councils/council_form.html",
        {"form": form, "formset": formset, "council": council},
    )


@records_page
@require_http_methods(["GET", "POST"])
def council_create(request: HttpRequest) -> HttpResponse:
    if not areas_served_by(request.user).exists():
        raise Http404
    return _council_form(request, None)


@records_page
@require_http_methods(["GET", "POST"])
def council_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _council_form(request, council_for_user(request.user, pk, write=True))


@records_page
@require_http_methods(["GET"])
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    council = council_for_user(request.user, pk)
    council = Council.objects.select_related("area__parent").get(pk=council.pk)
    meetings = list(council.meetings.prefetch_related("attachments").order_by("-date", "-id"))
    today = timezone.localdate()
    issues = (
        RegionalIssue.objects.filter(meeting__council=council)
        .select_related("area", "meeting", "escalated_to")
        .order_by("-meeting__date", "-id")
    )
    held = [m for m in meetings if m.date <= today]
    by_year: list[tuple[str, list]] = []
    for item in held:
        label = format_fiscal_year(fiscal_year_of(item.date))
        if not by_year or by_year[-1][0] != label:
            by_year.append((label, []))
        by_year[-1][1].append(item)
    return render(
        request,
        "councils/council_detail.html",
        {
            "council": council,
            "members": council.members.all(),
            "held": held,
            "held_by_year": by_year,
            "planned": [m for m in reversed(meetings) if m.date > today],
            "issues": issues,
            "reported": issues_reported_to(council) if council.tier == Area.Tier.CITY else [],
            "can_edit": _can_edit(request.user, council),
            "business_start_label": (
                format_fiscal_year(council.business_start_fy) if council.business_start_fy else ""
            ),
        },
    )


# Meetings -----------------------------------------------------------------------


def _meeting_fields(data: dict) -> dict:
    return {
        "date": data["date"],
        "starts_at": data.get("starts_at"),
        "ends_at": data.get("ends_at"),
        "place": data.get("place") or "",
        "other_attendees": data.get("other_attendees") or "",
        "agenda": data.get("agenda") or "",
        "minutes": data.get("minutes") or "",
    }


@records_page
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    council = council_for_user(request.user, pk, write=True)
    form = MeetingForm(request.POST or None, request.FILES or None, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_record(
                council=council,
                recorded_by=request.user,
                members_present=form.cleaned_data["members_present"],
                attachments=form.cleaned_data["attachments"],
                issue_themes=form.issue_theme_list(),
                **_meeting_fields(form.cleaned_data),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("会議を記録しました。"))
            return redirect(meeting)
    return render(
        request,
        "councils/meeting_form.html",
        {"form": form, "council": council, "meeting": None},
    )


@records_page
@require_http_methods(["GET"])
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, pk)
    return render(
        request,
        "councils/meeting_detail.html",
        {
            "meeting": meeting,
            "council": meeting.council,
            "members_present": meeting.members_present.all(),
            "attachments": meeting.attachments.all(),
            "issues": meeting.issues.select_related("area", "escalated_to"),
            "reported_issues": meeting.reported_issues.select_related("meeting__council"),
            "can_edit": _can_edit(request.user, meeting.council),
        },
    )


@records_page
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, pk, write=True)
    form = MeetingForm(
        request.POST or None, request.FILES or None, instance=meeting, council=meeting.council
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_update(
                meeting=meeting,
                updated_by=request.user,
                members_present=form.cleaned_data["members_present"],
                attachments=form.cleaned_data["attachments"],
                issue_themes=form.issue_theme_list(),
                **_meeting_fields(form.cleaned_data),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("会議の記録を更新しました。"))
            return redirect(meeting)
    return render(
        request,
        "councils/meeting_form.html",
        {
            "form": form,
            "council": meeting.council,
            "meeting": meeting,
            "attachments": meeting.attachments.all(),
        },
    )


@records_page
@never_cache
@require_http_methods(["GET"])
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment, only to those who may see its council; never from MEDIA_URL."""
    item = attachment_for_user(request.user, pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("添付ファイルが見つかりません。")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@records_page
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = attachment_for_user(request.user, pk, write=True)
    meeting = item.meeting
    delete_attachment(attachment=item)
    messages.success(request, _("添付ファイルを削除しました。"))
    return redirect("councils:meeting_edit", pk=meeting.pk)


# Regional issues ---------------------------------------------------------------


@records_page
@require_http_methods(["GET"])
def issue_list(request: HttpRequest) -> HttpResponse:
    issues = select_issues(fetched_by=request.user, query=request.GET)
    areas = (
        areas_served_by(request.user)
        .select_related("parent")
        .order_by("tier", "sort_order", "code")
    )
    return render(
        request,
        "councils/issue_list.html",
        {
            "issues": issues[:300],
            "areas": areas,
            "statuses": RegionalIssue.Status.choices,
            "selected_statuses": request.GET.getlist("status"),
            "selected_area": request.GET.get("area", ""),
            "escalated_only": request.GET.get("escalated") == "1",
        },
    )


@records_page
@require_http_methods(["GET", "POST"])
def issue_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, pk, write=True)
    form = IssueForm(
        request.POST or None,
        council=meeting.council,
        initial={"area": meeting.council.area_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                issue = issue_raise(
                    meeting=meeting,
                    area=data["area"],
                    theme=data["theme"],
                    description=data.get("description") or "",
                    raised_by=request.user,
                )
                issue_update(
                    issue=issue,
                    theme=issue.theme,
                    description=issue.description,
                    area=issue.area,
                    response=data.get("response") or "",
                    resources=data["resources"],
                )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("地域課題を記録しました。"))
            return redirect(issue)
    return render(
        request,
        "councils/issue_form.html",
        {"form": form, "meeting": meeting, "issue": None},
    )


@records_page
@require_http_methods(["GET"])
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = issue_for_user(request.user, pk)
    can_edit = _can_edit(request.user, issue.meeting.council) or (
        issue.escalated_to_id is not None and _can_edit(request.user, issue.escalated_to)
    )
    to_council = None
    if issue.can_escalate:
        to_council = tier1_council_for(issue.meeting.council.area)
    return render(
        request,
        "councils/issue_detail.html",
        {
            "issue": issue,
            "resources": issue.resources.select_related("area"),
            "can_edit": can_edit,
            "status_form": IssueStatusForm(issue=issue) if issue.next_statuses() else None,
            "escalate_form": EscalateForm(to_council=to_council) if issue.can_escalate else None,
            "to_council": to_council,
        },
    )


@records_page
@require_http_methods(["GET", "POST"])
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    issue = issue_for_user(request.user, pk, write=True)
    form = IssueForm(request.POST or None, instance=issue, council=issue.meeting.council)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issue_update(
                issue=RegionalIssue.objects.get(pk=issue.pk),
                theme=data["theme"],
                description=data.get("description") or "",
                area=data["area"],
                response=data.get("response") or "",
                resources=data["resources"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("地域課題を更新しました。"))
            return redirect(issue)
    return render(
        request,
        "councils/issue_form.html",
        {"form": form, "meeting": issue.meeting, "issue": issue},
    )


@records_page
@require_POST
def issue_status(request: HttpRequest, pk: int) -> HttpResponse:
    issue = issue_for_user(request.user, pk, write=True)
    form = IssueStatusForm(request.POST, issue=issue)
    if form.is_valid():
        try:
            issue_change_status(
                issue=issue,
                status=form.cleaned_data["status"],
                changed_by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("状況を「%(status)s」にしました。") % {"status": issue.get_status_display()},
            )
    else:
        messages.error(request, _("新しい状況を選んでください。"))
    return redirect(issue)


@records_page
@require_POST
def issue_escalate_view(request: HttpRequest, pk: int) -> HttpResponse:
    issue = issue_for_user(request.user, pk, write=True)
    to_council = tier1_council_for(issue.meeting.council.area)
    form = EscalateForm(request.POST, to_council=to_council)
    if form.is_valid():
        try:
            issue_escalate(
                issue=issue,
                escalated_by=request.user,
                to_council=to_council,
                reported_meeting=form.cleaned_data["reported_meeting"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("「%(theme)s」を第1層（%(council)s）へ報告しました。")
                % {"theme": issue.theme, "council": to_council.name},
            )
    else:
        messages.error(request, _("報告した会議を選び直してください。"))
    return redirect(issue)
