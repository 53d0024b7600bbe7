"""Public pages that suggest a change (thin views): a resident's correction, a new
place, and a group's own listing through its link. None changes the registry:
each makes a pending change request for the area's coordinators."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.roles import Reader
from resources.changes import (
    LinkRefused,
    change_request_submit,
    current_exceptions,
    exceptions_as_json,
    group_confirmed,
    group_link_open,
    resource_diff,
    rules_as_json,
)
from resources.editor_forms import (
    ScheduleFormSet,
    date_formsets,
    exceptions_from,
    rule_initial,
    rules_from,
)
from resources.models import ChangeRequest
from resources.policy import resource_for_user
from resources.presenter import resource_fields
from resources.suggest_forms import (
    CorrectionForm,
    GroupListingForm,
    NewPlaceForm,
    no_markup,
    suggestion_allowed,
)


def _client_address(request: HttpRequest) -> str:
    # The proxy in front sets REMOTE_ADDR (README "Deploy"); no header is trusted.
    return request.META.get("REMOTE_ADDR", "")


def _refused_for_rate(request, template, context) -> HttpResponse:
    context["rate_limited"] = True
    return render(request, template, context, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def resource_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    """「情報のまちがいを知らせる」: what is wrong, in a few words."""
    resource = resource_for_user(request.user, pk, related=("area",))
    view = resource_fields(resource, Reader.PUBLIC)
    form = CorrectionForm(request.POST or None)
    context = {"form": form, "resource": view, "sent": request.GET.get("sent") == "1"}
    if request.method == "POST":
        if not suggestion_allowed(_client_address(request)):
            return _refused_for_rate(request, "resources/suggest.html", context)
        if form.is_valid():
            if not form.is_spam:
                change_request_submit(
                    source=ChangeRequest.Source.RESIDENT,
                    resource=resource,
                    message=form.cleaned_data["message"],
                    changes=resource_diff(resource, form.proposed()),
                    sender_name=form.cleaned_data["sender_name"],
                    sender_contact=form.cleaned_data["sender_contact"],
                )
            return redirect(request.path + "?sent=1")
    return render(request, "resources/suggest.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def new_suggest(request: HttpRequest) -> HttpResponse:
    """「新しい通いの場を知らせる」."""
    form = NewPlaceForm(request.POST or None)
    context = {"form": form, "resource": None, "sent": request.GET.get("sent") == "1"}
    if request.method == "POST":
        if not suggestion_allowed(_client_address(request)):
            return _refused_for_rate(request, "resources/suggest.html", context)
        if form.is_valid():
            if not form.is_spam:
                data = form.cleaned_data
                message = data["message"]
                if data.get("schedule") and "schedules" not in form.proposed():
                    message = f"{message}\n（いつ）{data['schedule']}".strip()
                change_request_submit(
                    source=ChangeRequest.Source.RESIDENT,
                    message=message,
                    changes=form.proposed(),
                    sender_name=data["sender_name"],
                    sender_contact=data["sender_contact"],
                    address=data.get("address") or "",
                )
            return redirect(request.path + "?sent=1")
    return render(request, "resources/suggest.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def group_update(request: HttpRequest, token: str) -> HttpResponse:
    """A group's own listing: 「変わりありません」 or an edit that waits for approval."""
    posted = request.POST.get("resource") if request.method == "POST" else None
    try:
        link = group_link_open(token, resource_pk=int(posted) if posted else None)
    except (LinkRefused, ValueError) as refusal:
        message = (
            str(refusal) if isinstance(refusal, LinkRefused) else _("このリンクは使えません。")
        )
        response = render(request, "resources/group_refused.html", {"message": message}, status=404)
        response["Referrer-Policy"] = "same-origin"
        return response
    resource = link.resource
    existing = {rule.pk: rule for rule in resource.schedules.all()}
    data = request.POST if request.method == "POST" and "edit" in request.POST else None
    form = GroupListingForm(data, instance=resource)
    formset = ScheduleFormSet(
        data, prefix="rules", initial=[rule_initial(rule) for rule in existing.values()]
    )
    dates = {e.pk: e for e in current_exceptions(resource)}
    days_off, notices = date_formsets(data, dates)
    for row in [*days_off.forms, *notices.forms]:
        row.fields["text"].validators.append(no_markup)
    if request.method == "POST" and "confirm" in request.POST:
        group_confirmed(link=link)
        messages.success(
            request, _("ありがとうございました。「変わりありません」と受け付けました。")
        )
        return redirect(request.path)
    if data is not None and all(
        [form.is_valid(), formset.is_valid(), days_off.is_valid(), notices.is_valid()]
    ):
        proposed = form.proposed()
        proposed["schedules"] = rules_as_json(rules_from(formset, dict(existing)))
        proposed["exceptions"] = _proposed_dates(resource, dates, (days_off, notices))
        resource.refresh_from_db()
        diff = resource_diff(resource, proposed)
        if diff:
            change_request_submit(
                source=ChangeRequest.Source.GROUP_LINK,
                resource=resource,
                changes=diff,
                group_link=link,
                message=form.cleaned_data.get("note") or "",
            )
            messages.success(
                request,
                _("ありがとうございました。担当のコーディネーターが確かめてから載せます。"),
            )
        else:
            group_confirmed(link=link)
            messages.success(
                request, _("変更はありませんでした。「変わりありません」と受け付けました。")
            )
        return redirect(request.path)
    pending = resource.change_requests.filter(
        status=ChangeRequest.Status.PENDING, source=ChangeRequest.Source.GROUP_LINK
    ).exists()
    response = render(
        request,
        "resources/group_update.html",
        {
            "resource": resource_fields(resource, Reader.PUBLIC),
            "link": link,
            "form": form,
            "formset": formset,
            "days_off": days_off,
            "notices": notices,
            "formset_errors": _row_errors(formset, days_off, notices),
            "pending": pending,
        },
    )
    # The token is in the address: never sent to another site; same-origin (not
    # no-referrer) so that the form's POST keeps its Origin for the CSRF check.
    response["Referrer-Policy"] = "same-origin"
    return response


def _proposed_dates(resource, dates: dict, formsets) -> list[dict]:
    """The days off and notices as the group would have them (JSON for the diff)."""
    kept = dict(dates)
    added = []
    for each in formsets:
        saved, deleted = exceptions_from(each, kept, resource)
        for exception in deleted:
            kept.pop(exception.pk, None)
        added += [e for e in saved if e.pk is None]
    return exceptions_as_json([*kept.values(), *added])


def _row_errors(*formsets) -> list[str]:
    said = (
        _("開催日時（%(n)s件目）: %(message)s"),
        _("休みの日・時間変更（%(n)s件目）: %(message)s"),
        _("お知らせ（%(n)s件目）: %(message)s"),
    )
    return [
        text % {"n": number, "message": message}
        for each, text in zip(formsets, said, strict=True)
        if each.is_bound
        for number, row in enumerate(each.forms, start=1)
        for messages_of_field in row.errors.values()
        for message in messages_of_field
    ]
