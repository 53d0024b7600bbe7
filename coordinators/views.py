"""Staff pages of the activity log and the resource lifecycle (thin views)."""

from __future__ import annotations

import contextlib
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coordinators.forms import ActivityFilterForm, ActivityForm, LaunchForm
from coordinators.models import Activity
from coordinators.policy import activities_editable_by, activity_areas_for, activity_for_user
from coordinators.selectors import (
    ActivityFilters,
    coordinator_for,
    fiscal_years_for_filters,
    launch_candidates,
    recent_launches,
    resources_due_for_check,
)
from coordinators.selectors import (
    activity_list as select_activities,
)
from coordinators.services import (
    activity_delete as delete_activity,
)
from coordinators.services import (
    activity_log,
    activity_update,
    became_active_on,
    check_interval_days,
    launch_origin_for,
    resource_check_restore,
    resource_launch_record,
    resource_status_checked,
    resource_verify,
)
from portal.decorators import add_validation_errors, records_page
from portal.jobs.storage import private_file_response
from portal.roles import is_city_staff
from portal.wareki import fiscal_year_of, format_fiscal_year
from resources.models import Resource
from resources.policy import resource_for_user
from resources.recheck import recheck_sheet_for_user, recheck_sheets_for

PAGE_SIZE = 30


# Activities -------------------------------------------------------------------


@records_page
@require_http_methods(["GET"])
def activity_list(request: HttpRequest) -> HttpResponse:
    filters = ActivityFilters.from_query(request.GET)
    activities = select_activities(fetched_by=request.user, filters=filters)
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    editable = set(
        activities_editable_by(request.user)
        .filter(pk__in=[a.pk for a in page.object_list])
        .values_list("pk", flat=True)
    )
    for activity in page.object_list:
        activity.can_edit = activity.pk in editable
    areas = (
        activity_areas_for(request.user)
        .select_related("parent")
        .order_by("tier", "sort_order", "code")
    )
    form = ActivityFilterForm(
        request.GET or None, fiscal_years=fiscal_years_for_filters(), areas=areas
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordinators/activity_list.html",
        {
            "page": page,
            "filters": filters,
            "filter_form": form,
            "query_string": query.urlencode(),
            "coordinator": coordinator_for(request.user),
        },
    )


def _activity_fields(data: dict) -> dict:
    return {
        "date": data["date"],
        "kind": data["kind"],
        "count": data["count"],
        "area": data["area"],
        "source": data.get("source") or "",
        "source_note": data.get("source_note") or "",
        "heard": data.get("heard") or "",
        "response": data.get("response") or "",
        "follow_up_on": data.get("follow_up_on"),
        "is_case_example": bool(data.get("is_case_example")),
        "no_matching_resource": bool(data.get("no_matching_resource")),
    }


@records_page
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    coordinator = coordinator_for(request.user)
    if coordinator is None:
        return render(request, "coordinators/no_profile.html", status=200)
    initial = {}
    resource_pk = request.GET.get("resource")
    if resource_pk:
        with contextlib.suppress(Http404):
            initial["resources"] = [resource_for_user(request.user, resource_pk).pk]
    form = ActivityForm(
        request.POST or None, user=request.user, coordinator=coordinator, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = activity_log(
                created_by=request.user,
                coordinator=coordinator,
                functions=data["functions"],
                resources=data["resources"],
                needs=data.get("needs") or [],
                **_activity_fields(data),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                _("%(date)s の「%(kind)s」を記録しました。")
                % {
                    "date": date_format(activity.date, _("n月j日")),
                    "kind": activity.get_kind_display(),
                },
            )
            if "again" in request.POST:
                return redirect("coordinators:activity_create")
            return redirect("coordinators:activity_list")
    return render(
        request,
        "coordinators/activity_form.html",
        {"form": form, "coordinator": coordinator, "is_new": True},
    )


@records_page
@require_http_methods(["GET"])
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_user(request.user, pk)
    can_edit = activities_editable_by(request.user).filter(pk=activity.pk).exists()
    return render(
        request,
        "coordinators/activity_detail.html",
        {"activity": activity, "can_edit": can_edit},
    )


@records_page
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_user(request.user, pk, write=True)
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        user=request.user,
        coordinator=activity.coordinator,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity_update(
                activity=Activity.objects.get(pk=activity.pk),
                updated_by=request.user,
                functions=data["functions"],
                resources=data["resources"],
                needs=data.get("needs") or [],
                **_activity_fields(data),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("活動記録を更新しました。"))
            return redirect("coordinators:activity_detail", pk=activity.pk)
    return render(
        request,
        "coordinators/activity_form.html",
        {"form": form, "activity": activity, "coordinator": activity.coordinator, "is_new": False},
    )


@records_page
@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_user(request.user, pk, write=True)
    if request.method == "POST":
        delete_activity(activity=activity)
        messages.success(request, _("活動記録を削除しました。"))
        return redirect("coordinators:activity_list")
    return render(request, "coordinators/activity_confirm_delete.html", {"activity": activity})


# The resource lifecycle ----------------------------------------------------------


@records_page
@require_http_methods(["GET"])
def due_checks(request: HttpRequest) -> HttpResponse:
    days = check_interval_days()
    resources = resources_due_for_check(fetched_by=request.user, days=days)
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coordinators/due_checks.html",
        {
            "page": page,
            "days": days,
            "is_city_staff": is_city_staff(request.user),
            "undo": request.session.get(UNDO_KEY),
            "sheets": recheck_sheets_for(request.user, limit=SHEETS_SHOWN),
        },
    )


SHEETS_SHOWN = 30


@records_page
@require_safe
def recheck_sheet(request: HttpRequest, sheet: str) -> HttpResponse:
    """A 確認票 PDF of the daily run, for the coordinators of its area (404 else)."""
    found = recheck_sheet_for_user(request.user, sheet)
    return private_file_response(found.path, filename=found.filename, fallback=f"{sheet}.pdf")


# What each action of the queue writes, and what it says afterwards.
CHECK_ACTIONS = {
    "verify": (None, gettext_lazy("「%(name)s」を確認済みにしました。")),
    "pause": (Resource.Status.PAUSED, gettext_lazy("「%(name)s」を休止中にしました。")),
    "end": (Resource.Status.ENDED, gettext_lazy("「%(name)s」を終了にしました。")),
}
UNDO_KEY = "resource_check_undo"


@records_page
@require_POST
def resource_verified(request: HttpRequest, pk: int) -> HttpResponse:
    """確認した / 休止 / 終了 from the queue, each undoable once (「元に戻す」)."""
    resource = resource_for_user(request.user, pk, write=True)
    action = request.POST.get("action", "verify")
    if action not in CHECK_ACTIONS:
        raise Http404
    status, said = CHECK_ACTIONS[action]
    request.session[UNDO_KEY] = {
        "pk": resource.pk,
        "name": resource.name,
        "verified_on": resource.verified_on.isoformat() if resource.verified_on else None,
        "verified_by": resource.verified_by_id,
        "status": resource.status,
    }
    if status is None:
        resource_verify(resource=resource, verified_by=request.user)
    else:
        resource_status_checked(resource=resource, status=status, checked_by=request.user)
    messages.success(request, str(said) % {"name": resource.name})
    return redirect(reverse("coordinators:due_checks") + f"?page={request.POST.get('page', 1)}")


@records_page
@require_POST
def resource_check_undo(request: HttpRequest) -> HttpResponse:
    """「元に戻す」: the last action of the queue undone, as written before it."""
    undo = request.session.pop(UNDO_KEY, None)
    if undo:
        resource = resource_for_user(request.user, undo["pk"], write=True)
        resource_check_restore(
            resource=resource,
            by=request.user,
            verified_on=date.fromisoformat(undo["verified_on"]) if undo["verified_on"] else None,
            verified_by_id=undo["verified_by"],
            status=undo["status"],
        )
        messages.success(request, _("「%(name)s」を元に戻しました。") % {"name": resource.name})
    return redirect(reverse("coordinators:due_checks") + f"?page={request.POST.get('page', 1)}")


@records_page
@require_http_methods(["GET"])
def launches(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    candidates = list(launch_candidates(fetched_by=request.user)[:200])
    for resource in candidates:
        resource.launch_form = LaunchForm(
            prefix=f"r{resource.pk}",
            initial={
                "origin": launch_origin_for(resource),
                "on": became_active_on(resource) or today,
            },
        )
    fiscal_year = fiscal_year_of(today)
    return render(
        request,
        "coordinators/launches.html",
        {
            "candidates": candidates,
            "recent": recent_launches(fetched_by=request.user, fiscal_year=fiscal_year)[:100],
            "fiscal_year_label": format_fiscal_year(fiscal_year),
        },
    )


@records_page
@require_POST
def resource_launched(request: HttpRequest, pk: int) -> HttpResponse:
    resource = resource_for_user(request.user, pk, write=True)
    form = LaunchForm(request.POST, prefix=f"r{resource.pk}")
    if form.is_valid():
        try:
            resource_launch_record(
                resource=resource,
                recorded_by=request.user,
                on=form.cleaned_data["on"],
                origin=form.cleaned_data["origin"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, f"{resource.name}: {message}")
        else:
            messages.success(
                request,
                _("「%(name)s」を%(origin)sとして記録しました。")
                % {"name": resource.name, "origin": resource.get_origin_display()},
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, f"{resource.name}: {message}")
    return redirect("coordinators:launches")
