"""``/staff/changes/``: the queue of suggested changes, scoped by the policy (thin
views). Each request is shown against the record as it is now; accepting applies
it through the write service, so it is in the resource's history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.decorators import records_page
from portal.qr import absolute_url
from resources.changes import (
    change_request_accept,
    change_request_reject,
    current_exceptions,
    exceptions_as_json,
    exceptions_describe,
    group_link_create,
    group_link_current,
    group_link_revoke,
    schedule_describe,
)
from resources.models import ChangeRequest, GroupLink, Resource
from resources.policy import change_request_for_user, change_requests_for, resource_for_user

PAGE_SIZE = 20


def _shown(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if name == "schedules":
        try:
            return schedule_describe(value) or "—"
        except ValidationError:
            return str(value)
    if name == "exceptions":
        try:
            return exceptions_describe(value) or "—"
        except (TypeError, ValueError):
            return str(value)
    if name == "status":
        return str(Resource.Status(value).label) if value in Resource.Status.values else value
    if isinstance(value, bool):
        return _("はい") if value else _("いいえ")
    return str(value)


def _label(name: str) -> str:
    if name == "schedules":
        return _("開催日時")
    if name == "exceptions":
        return _("休み・お知らせ")
    try:
        return str(Resource._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _rows(change: ChangeRequest) -> list[dict]:
    """Each proposed field: what the record holds now and what is suggested."""
    rows = []
    for name, value in change.changes.items():
        if not isinstance(value, dict):
            continue
        if change.resource is None:
            now = None
        elif name == "schedules":
            now = change.resource.schedule_text()
        elif name == "exceptions":
            now = exceptions_as_json(current_exceptions(change.resource))
        else:
            now = getattr(change.resource, name, None)
        rows.append(
            {"label": _label(name), "now": _shown(name, now), "new": _shown(name, value.get("new"))}
        )
    return rows


@records_page
@require_GET
def change_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or ChangeRequest.Status.PENDING
    if status not in ChangeRequest.Status.values:
        status = ChangeRequest.Status.PENDING
    changes = (
        change_requests_for(request.user)
        .filter(status=status)
        .select_related("resource", "area", "decided_by")
        .order_by("created_at" if status == ChangeRequest.Status.PENDING else "-decided_at")
    )
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    for change in page.object_list:
        change.rows = _rows(change)
    return render(
        request,
        "resources/changes.html",
        {"page": page, "status": status, "statuses": ChangeRequest.Status.choices},
    )


@records_page
@require_POST
def change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    change = change_request_for_user(request.user, pk)
    action = request.POST.get("action")
    if change.resource_id is not None:
        # The policy read the area; the write needs the resource editable too.
        resource_for_user(request.user, change.resource_id, write=True)
    try:
        if action == "accept":
            resource = change_request_accept(change=change, by=request.user)
            if change.kind == ChangeRequest.Kind.NEW and resource is not None:
                messages.success(
                    request,
                    _(
                        "「%(name)s」を関係者限定・準備中で登録しました。内容を確かめて公開してください。"
                    )
                    % {"name": resource.name},
                )
                return redirect("changes:resource_edit", pk=resource.pk)
            messages.success(request, _("知らせを反映しました。履歴に残っています。"))
        elif action == "reject":
            change_request_reject(change=change, by=request.user)
            messages.success(request, _("知らせを見送りにしました。"))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("changes:change_list")


@records_page
@require_POST
def group_link_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The group link of a resource: show the current one, or revoke and make a new one."""
    resource = resource_for_user(request.user, pk, write=True)
    if request.POST.get("action") == "renew":
        for link in GroupLink.objects.filter(resource=resource, revoked_at__isnull=True):
            group_link_revoke(link=link)
        link = group_link_create(resource=resource, by=request.user)
        messages.success(request, _("新しいリンクを作りました。前のリンクは使えなくなりました。"))
    else:
        link = group_link_current(resource=resource, by=request.user)
    messages.info(
        request,
        _("団体用リンク（%(day)sまで）: %(url)s")
        % {
            "day": link.expires_on.strftime("%Y-%m-%d"),
            "url": absolute_url(link.get_absolute_url()),
        },
    )
    return redirect("changes:resource_edit", pk=resource.pk)
