"""The coordinators' editor (thin views): a resource of their areas, on a phone.

``/staff/resources/new/`` and ``/staff/resources/<id>/edit/``; a resource outside
the reader's areas answers 404 (``resources.policy``). Saving writes through
``resources.services`` and marks the record confirmed today by the editor.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.utils import ErrorDict, ErrorList
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.decorators import add_validation_errors, records_page
from portal.roles import areas_served_by
from resources.changes import current_exceptions
from resources.editor_forms import (
    ADD_ROW_BUTTONS,
    ResourceEditForm,
    ScheduleFormSet,
    date_formsets,
    exceptions_from,
    rule_initial,
    rules_from,
    with_one_more_row,
)
from resources.models import Resource
from resources.policy import resource_for_user, resources_editable_by
from resources.services import (
    RULE_FIELDS,
    resource_create,
    resource_update,
    schedule_exceptions_write,
)


@records_page
@require_http_methods(["GET", "POST"])
def resource_new(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@records_page
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _editor(request, resource_for_user(request.user, pk, write=True))


@records_page
@require_POST
def resource_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """「確認した」 on the resource page: the record is as it should be, today."""
    resource = resource_for_user(request.user, pk, write=True)
    resource_confirmed(resource=resource, by=request.user)
    messages.success(request, _("「%(name)s」を確認済みにしました。") % {"name": resource.name})
    return redirect(_next_url(request, resource.get_absolute_url()))


def resource_confirmed(*, resource: Resource, by, reason: str = "") -> Resource:
    return resource_update(
        resource=resource,
        by=by,
        reason=reason or _("情報を確認"),
        verified_on=timezone.localdate(),
        verified_by=by if getattr(by, "is_authenticated", False) else None,
    )


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


def _editor(request: HttpRequest, resource: Resource | None) -> HttpResponse:
    user = request.user
    areas = areas_served_by(user)
    existing = {rule.pk: rule for rule in resource.schedules.all()} if resource else {}
    # The days off and notices not yet over (the past ones stay as they are, unshown).
    dates = {e.pk: e for e in current_exceptions(resource)} if resource else {}
    data = request.POST if request.method == "POST" else None
    adding = next((b for b in ADD_ROW_BUTTONS if data is not None and b in data), None)
    if adding:
        data = with_one_more_row(data, *ADD_ROW_BUTTONS[adding])
    form = ResourceEditForm(data, areas=areas, instance=resource or Resource())
    formset = ScheduleFormSet(
        data, prefix="rules", initial=[rule_initial(rule) for rule in existing.values()]
    )
    days_off, notices = date_formsets(data, dates)
    rows = (
        (formset, _("開催日時（%(n)s件目）: %(message)s")),
        (days_off, _("休みの日・時間変更（%(n)s件目）: %(message)s")),
        (notices, _("お知らせ（%(n)s件目）: %(message)s")),
    )
    if adding:
        # Only a row more: what was typed stays, and nothing is judged yet.
        form._errors = ErrorDict()
        for each, _said in rows:
            for row in each.forms:
                row._errors = ErrorDict()
            each._errors, each._non_form_errors = [], ErrorList()
    elif data is not None and all(
        [form.is_valid(), formset.is_valid(), days_off.is_valid(), notices.is_valid()]
    ):
        # Only days off or notices written: that checks nothing else of the resource.
        dates_only = resource is not None and not _changes_resource(
            form, formset, resource, existing
        )
        saved = _save(
            request, form, formset, resource, existing, (days_off, notices), dates, dates_only
        )
        if saved is not None:
            said = (
                _("「%(name)s」の休みの日・お知らせを保存しました。")
                if dates_only
                else _("「%(name)s」を保存しました。確認日は今日になりました。")
            )
            messages.success(request, said % {"name": saved.name})
            return redirect(_next_url(request, saved.get_absolute_url()))
    formset_errors = [
        said % {"n": number, "message": message}
        for each, said in rows
        if each.is_bound and not adding
        for number, row in enumerate(each.forms, start=1)
        for field_errors in row.errors.values()
        for message in field_errors
    ]
    return render(
        request,
        "resources/editor.html",
        {
            "form": form,
            "formset": formset,
            "days_off": days_off,
            "notices": notices,
            "formset_errors": formset_errors,
            "resource": resource,
            "is_new": resource is None,
            "next": _next_url(request, ""),
        },
        status=200,
    )


def _changes_resource(form, formset, resource: Resource, existing: dict) -> bool:
    """Whether the page changes the resource itself (its fields, categories or
    schedules), not only its days off and notices."""
    if any(getattr(resource, name) != value for name, value in form.changes().items()):
        return True
    wanted = {category.pk for category in form.cleaned_data.get("categories") or []}
    if wanted != set(resource.categories.values_list("pk", flat=True)):
        return True
    before = [(pk, [getattr(rule, f) for f in RULE_FIELDS]) for pk, rule in existing.items()]
    after = rules_from(formset, {pk: copy.copy(rule) for pk, rule in existing.items()})
    return [(rule.pk, [getattr(rule, f) for f in RULE_FIELDS]) for rule in after] != before


def _save(
    request, form, formset, resource, existing, date_formsets, dates, dates_only=False
) -> Resource | None:
    """Write the editor's page; ``dates_only``: nothing but days off and notices
    changed, which are written without confirming the resource (確認日 stays)."""
    user = request.user
    fields = form.changes()
    rules = rules_from(formset, existing)
    reason = _("編集画面で更新") if resource else _("編集画面で登録")
    if resource and fields.get("status") != resource.status:
        reason = _("状態を「%(status)s」に変更: %(why)s") % {
            "status": Resource.Status(fields["status"]).label,
            "why": form.cleaned_data.get("status_reason") or "—",
        }
    confirmed = {"verified_on": timezone.localdate(), "verified_by": user}
    categories = form.cleaned_data.get("categories") or []
    try:
        with transaction.atomic():
            if dates_only:
                saved = resource
            elif resource is None:
                saved = resource_create(
                    by=user,
                    categories=categories,
                    schedules=rules,
                    reason=reason,
                    **fields,
                    **confirmed,
                )
            else:
                saved = resource_update(
                    resource=resource,
                    by=user,
                    categories=categories,
                    schedules=rules,
                    reason=reason,
                    **fields,
                    **confirmed,
                )
            save, delete = [], []
            for each in date_formsets:
                more_saved, more_deleted = exceptions_from(each, dates, saved)
                save += more_saved
                delete += more_deleted
            if save or delete:
                schedule_exceptions_write(resource=saved, save=save, delete=delete, by=user)
            if not resources_editable_by(user).filter(pk=saved.pk).exists():
                raise ValidationError(
                    {
                        "area": _(
                            "この住所・区域はあなたの担当区域の外です。担当区域から区域を選んでください。"
                        )
                    }
                )
    except ValidationError as error:
        add_validation_errors(form, error)
        return None
    return saved
