"""Suggested changes of the registry (services): residents' corrections and new
places, groups' edits through their own link, held until a coordinator decides.

A change request changes nothing by itself. Accepting one applies its diff
through ``resources.services`` (so it is in the resource's history, with the
coordinator as its author); rejecting one only records the decision. The
sender's name and contact are blanked after ``SUGGESTION_PERSONAL_DAYS``
(``suggestion_personal_data_purge``, a periodic job).
"""

from __future__ import annotations

import secrets
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import parsers
from portal.geo import locator
from resources.models import ChangeRequest, GroupLink, Resource, ScheduleException, ScheduleRule
from resources.services import resource_create, resource_update, schedule_exceptions_write

# The fields a suggestion may change, in the order the queue shows them.
DIFF_FIELDS = (
    "name",
    "status",
    "description",
    "venue",
    "address",
    "fee_free",
    "fee_amount",
    "fee_note",
    "how_to_join",
    "contact_name",
    "contact_phone",
    "contact_email",
    "url",
)
RULE_KEYS = ("kind", "weekdays", "weeks_of_month", "day_of_month", "opens_at", "closes_at", "note")


def personal_days() -> int:
    return int(getattr(settings, "SUGGESTION_PERSONAL_DAYS", 90))


def link_days() -> int:
    return int(getattr(settings, "GROUP_LINK_DAYS", 120))


# The diff ----------------------------------------------------------------------------


def rules_as_json(rules) -> list[dict]:
    """Schedule rules as JSON (times as HH:MM), to keep in a diff."""
    return [
        {
            key: (value.strftime("%H:%M") if isinstance(value, time) else value)
            for key in RULE_KEYS
            for value in [getattr(rule, key)]
        }
        for rule in rules
    ]


def rules_from_json(value) -> list[ScheduleRule]:
    """The rules of a diff: a list made by ``rules_as_json``, or text (毎週火曜 13:30〜)."""
    if isinstance(value, str):
        try:
            parsed = parsers.schedule(value)
        except parsers.ParseError as error:
            raise ValidationError({"schedules": str(error)}) from None
        return [ScheduleRule(**rule.model_fields()) for rule in parsed.rules]
    rules = []
    for order, data in enumerate(value or []):
        fields = dict(data)
        for key in ("opens_at", "closes_at"):
            fields[key] = time.fromisoformat(fields[key]) if fields.get(key) else None
        rules.append(ScheduleRule(sort_order=order, **{k: fields.get(k) for k in RULE_KEYS}))
    return rules


def schedule_describe(value) -> str:
    """A diff's schedule as it would be written (text as the parser reads it)."""
    if isinstance(value, str):
        try:
            return " / ".join(rule.describe() for rule in rules_from_json(value)) or value
        except ValidationError:
            return value
    return " / ".join(rule.describe() for rule in rules_from_json(value))


EXCEPTION_KEYS = ("kind", "starts_on", "ends_on", "opens_at", "closes_at", "text")


def exceptions_as_json(exceptions) -> list[dict]:
    """Days off, time changes and notices as JSON (dates ISO, times HH:MM), in
    date order, to keep in a diff."""
    rows = []
    for exception in exceptions:
        row = {}
        for key in EXCEPTION_KEYS:
            value = getattr(exception, key)
            if isinstance(value, time):
                value = value.strftime("%H:%M")
            elif isinstance(value, date):
                value = value.isoformat()
            row[key] = value
        rows.append(row)
    return sorted(rows, key=lambda r: (r["starts_on"] or "", r["kind"], r["text"] or ""))


def exceptions_from_json(value) -> list[ScheduleException]:
    found = []
    for data in value or []:
        fields = {k: data.get(k) for k in EXCEPTION_KEYS}
        for key in ("starts_on", "ends_on"):
            fields[key] = date.fromisoformat(fields[key]) if fields[key] else None
        for key in ("opens_at", "closes_at"):
            fields[key] = time.fromisoformat(fields[key]) if fields[key] else None
        fields["text"] = fields["text"] or ""
        found.append(ScheduleException(**fields))
    return found


def exceptions_describe(value) -> str:
    """A diff's days off and notices as they read on the resource page."""
    if isinstance(value, str):
        return value
    return " / ".join(e.describe() for e in exceptions_from_json(value))


def current_exceptions(resource: Resource) -> list[ScheduleException]:
    """The days off, time changes and notices not yet over (what a group sees)."""
    return list(resource.schedule_exceptions.filter(ends_on__gte=timezone.localdate()))


def resource_diff(resource: Resource, proposed: dict) -> dict:
    """``{field: {"old", "new"}}`` for each proposed value that differs."""
    diff = {}
    for name, new in proposed.items():
        if name == "schedules":
            old_rules = rules_as_json(resource.schedules.all())
            if new != old_rules:
                diff[name] = {"old": resource.schedule_text(), "new": new}
            continue
        if name == "exceptions":
            old_rows = exceptions_as_json(current_exceptions(resource))
            if new != old_rows:
                diff[name] = {"old": old_rows, "new": new}
            continue
        old = getattr(resource, name)
        if new != old and not (new in ("", None) and old in ("", None)):
            diff[name] = {"old": old, "new": new}
    return diff


# Submitting and deciding ---------------------------------------------------------------


def change_request_submit(
    *,
    source: str,
    resource: Resource | None = None,
    message: str = "",
    changes: dict | None = None,
    sender_name: str = "",
    sender_contact: str = "",
    group_link: GroupLink | None = None,
    address: str = "",
) -> ChangeRequest:
    """A pending change request; the resource is not touched."""
    kind = ChangeRequest.Kind.CORRECTION if resource else ChangeRequest.Kind.NEW
    area_id = resource.area_id if resource else locator().locate(address=address).area_id
    return ChangeRequest.objects.create(
        resource=resource,
        area_id=area_id,
        source=source,
        kind=kind,
        message=message,
        changes=changes or {},
        sender_name=sender_name,
        sender_contact=sender_contact,
        group_link=group_link,
    )


@transaction.atomic
def change_request_accept(*, change: ChangeRequest, by) -> Resource | None:
    """Apply a pending request's diff through the write service; mark it accepted."""
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeRequest.Status.PENDING:
        raise ValidationError(_("この知らせはすでに対応済みです。"))
    fields = {
        name: value["new"]
        for name, value in change.changes.items()
        if name in DIFF_FIELDS and isinstance(value, dict)
    }
    schedules = change.changes.get("schedules")
    rules = rules_from_json(schedules["new"]) if schedules else None
    reason = _("%(source)sを反映（受付番号 %(pk)s）") % {
        "source": change.get_source_display(),
        "pk": change.pk,
    }
    resource = change.resource
    if change.kind == ChangeRequest.Kind.NEW:
        resource = resource_create(
            by=by,
            reason=reason,
            resource_type=fields.pop("resource_type", Resource.Type.SALON),
            visibility=Resource.Visibility.STAFF,
            status=Resource.Status.PREPARING,
            schedules=rules or [],
            **{k: v for k, v in fields.items() if k != "status"},
        )
        change.resource = resource
    elif fields or rules is not None:
        resource = resource_update(
            resource=resource,
            by=by,
            reason=reason,
            schedules=rules,
            **fields,
        )
    dates = change.changes.get("exceptions")
    if isinstance(dates, dict) and resource is not None:
        _exceptions_apply(resource, dates, by=by)
    change.status = ChangeRequest.Status.ACCEPTED
    change.decided_by = by
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at", "resource"])
    return resource


def _exceptions_apply(resource: Resource, dates: dict, *, by) -> None:
    """What a group added and removed (the diff's old and new lists compared by
    content), applied to the days off as they are now: those a coordinator
    added meanwhile stay."""
    old, new = list(dates.get("old") or []), list(dates.get("new") or [])
    removed = [row for row in old if row not in new]
    added = [row for row in new if row not in old]
    current = list(resource.schedule_exceptions.all())
    delete = [e for e in current if exceptions_as_json([e])[0] in removed]
    save = exceptions_from_json(added)
    for exception in save:
        exception.resource = resource
    schedule_exceptions_write(resource=resource, save=save, delete=delete, by=by)


@transaction.atomic
def change_request_reject(*, change: ChangeRequest, by) -> None:
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeRequest.Status.PENDING:
        raise ValidationError(_("この知らせはすでに対応済みです。"))
    change.status = ChangeRequest.Status.REJECTED
    change.decided_by = by
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])


def suggestion_personal_data_purge(*, now=None) -> int:
    """Blank the senders' names and contacts older than the kept period (periodic)."""
    cutoff = (now or timezone.now()) - timedelta(days=personal_days())
    return ChangeRequest.objects.filter(created_at__lt=cutoff, personal_data_removed=False).update(
        sender_name="", sender_contact="", personal_data_removed=True
    )


# Group links ---------------------------------------------------------------------------------


class LinkRefused(Exception):
    """A group link that may not open a listing; the message is for the group."""


def group_link_create(*, resource: Resource, by=None, days: int | None = None) -> GroupLink:
    return GroupLink.objects.create(
        resource=resource,
        token=secrets.token_urlsafe(24),
        expires_on=timezone.localdate() + timedelta(days=days or link_days()),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )


def group_link_current(*, resource: Resource, by=None) -> GroupLink:
    """The resource's link that still works (a new one when none does)."""
    link = (
        GroupLink.objects.filter(
            resource=resource,
            revoked_at__isnull=True,
            expires_on__gte=timezone.localdate() + timedelta(days=14),
        )
        .order_by("-expires_on")
        .first()
    )
    return link or group_link_create(resource=resource, by=by)


def group_link_revoke(*, link: GroupLink) -> None:
    GroupLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def group_link_open(token: str, *, resource_pk: int | None = None) -> GroupLink:
    """The link of ``token`` if it may open its listing, else ``LinkRefused``."""
    link = GroupLink.objects.select_related("resource").filter(token=token).first()
    if link is None:
        raise LinkRefused(
            _("このリンクは使えません。届いた確認票かメールのリンクをお確かめください。")
        )
    if resource_pk is not None and link.resource_id != resource_pk:
        raise LinkRefused(_("このリンクは別の活動のためのものです。"))
    if link.revoked_at is not None:
        raise LinkRefused(
            _(
                "このリンクは取り消されました。新しいリンクは区域の生活支援コーディネーターにお問い合わせください。"
            )
        )
    if link.expires_on < timezone.localdate():
        raise LinkRefused(
            _(
                "このリンクの有効期限（%(day)s）が過ぎました。区域の生活支援コーディネーターにお問い合わせください。"
            )
            % {"day": link.expires_on.strftime("%Y-%m-%d")}
        )
    return link


def group_confirmed(*, link: GroupLink) -> Resource:
    """The group says its listing is as it should be: confirmed today."""
    GroupLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return resource_update(
        resource=link.resource,
        reason=_("団体が確認"),
        verified_on=timezone.localdate(),
        verified_by=None,
    )
