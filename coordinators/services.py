"""Writes of the coordinators app: profiles, the activity log, and the resource
lifecycle that coordinators' 立上支援 drives (新規立ち上げ / 既存資源の拡充).

Spreadsheets of past activity (coordinators/importing.py, ``import_activities``)
call ``activity_log`` with ``check_area=False`` (an admin imports for every
area), ``coordinator=None`` where a sheet counts per 所属, an ``Affiliation``
got or created by name, and ``external_ref`` (unique when set) so that a
re-import is idempotent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordinators.models import (
    TIER1_ONLY_FUNCTIONS,
    Activity,
    ActivityFunction,
    Affiliation,
    Coordinator,
    Function,
)
from coordinators.policy import activity_areas_for
from portal.models import Area, User
from portal.wareki import format_date
from resources.models import Resource
from resources.services import resource_update

DEFAULT_CHECK_INTERVAL_DAYS = 365


def check_interval_days() -> int:
    """How old a resource's 確認日 may be before it is due for a check."""
    return int(getattr(settings, "RESOURCE_CHECK_INTERVAL_DAYS", DEFAULT_CHECK_INTERVAL_DAYS))


# Profiles -----------------------------------------------------------------


def coordinator_areas_check(*, tier: int, areas: Iterable[Area]) -> None:
    """The one rule for a coordinator's areas: all of the coordinator's tier.

    Every editor of ``User.areas`` for a coordinator calls it: ``coordinator_save``,
    the coordinator admin and the user admin (coordinators/admin.py)."""
    wrong = [area.name for area in areas if area.tier != tier]
    if wrong:
        raise ValidationError(
            {
                "areas": _(
                    "第%(tier)s層のコーディネーターの担当区域は第%(tier)s層の区域から選んでください（%(names)s）。"
                )
                % {"tier": tier, "names": "、".join(wrong)}
            }
        )


@transaction.atomic
def coordinator_save(
    *,
    user: User,
    tier: int,
    areas: Iterable[Area],
    affiliation: Affiliation,
    active_from: date,
    active_until: date | None = None,
) -> Coordinator:
    """Create or update a user's coordinator profile, and set the areas the user
    serves (stored once, on ``User.areas``)."""
    areas = list(areas)
    coordinator_areas_check(tier=tier, areas=areas)
    coordinator = Coordinator.objects.filter(user=user).first() or Coordinator(user=user)
    coordinator.tier = tier
    coordinator.affiliation = affiliation
    coordinator.active_from = active_from
    coordinator.active_until = active_until
    coordinator.full_clean()
    coordinator.save()
    user.areas.set(areas)
    return coordinator


# The activity log -----------------------------------------------------------


def _check_activity(
    activity: Activity,
    *,
    functions: list[str],
    acting_user: User | None,
    check_area: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    try:
        activity.full_clean(exclude=["affiliation"] if activity.affiliation_id is None else None)
    except ValidationError as error:
        errors.update(error.message_dict)
    unknown = [code for code in functions if code not in Function.values]
    if not functions or unknown:
        errors.setdefault("functions", []).append(_("機能を1つ以上選んでください。"))
    coordinator = activity.coordinator
    if coordinator and coordinator.tier != Area.Tier.CITY:
        tier1_only = [code for code in functions if code in TIER1_ONLY_FUNCTIONS]
        if tier1_only:
            errors.setdefault("functions", []).append(
                _("「2層支援」は第1層のコーディネーターだけが選べます。")
            )
    if coordinator and activity.date and not coordinator.is_active_on(activity.date):
        until = format_date(coordinator.active_until) if coordinator.active_until else _("現在")
        errors.setdefault("date", []).append(
            _("この日付はコーディネーターの活動期間（%(start)s〜%(end)s）の外です。")
            % {"start": format_date(coordinator.active_from), "end": until}
        )
    if (
        check_area
        and activity.area_id
        and not activity_areas_for(acting_user).filter(pk=activity.area_id).exists()
    ):
        errors.setdefault("area", []).append(
            _("「%(area)s」はあなたの担当区域ではないため、活動を記録できません。")
            % {"area": activity.area.label}
        )
    if errors:
        raise ValidationError(errors)


def _set_functions(activity: Activity, functions: Iterable[str]) -> None:
    wanted = set(functions)
    activity.function_rows.exclude(function__in=wanted).delete()
    have = set(activity.function_rows.values_list("function", flat=True))
    ActivityFunction.objects.bulk_create(
        [
            ActivityFunction(activity=activity, function=code)
            for code in Function.values
            if code in wanted - have
        ]
    )


@transaction.atomic
def activity_log(
    *,
    created_by: User | None,
    coordinator: Coordinator | None,
    kind: str,
    functions: Iterable[str],
    area: Area,
    date: date | None = None,
    count: int = 1,
    resources: Iterable[Resource] = (),
    source: str = "",
    source_note: str = "",
    heard: str = "",
    response: str = "",
    follow_up_on: date | None = None,
    is_case_example: bool = False,
    needs: Iterable = (),
    no_matching_resource: bool = False,
    affiliation: Affiliation | None = None,
    external_ref: str = "",
    check_area: bool = True,
) -> Activity:
    """Record one activity. ``check_area`` is off only for imports run by an admin."""
    functions = list(dict.fromkeys(functions))
    if affiliation is None and coordinator is not None:
        affiliation = coordinator.affiliation
    activity = Activity(
        date=date or timezone.localdate(),
        kind=kind,
        count=count,
        area=area,
        source=source,
        source_note=source_note,
        heard=heard,
        response=response,
        follow_up_on=follow_up_on,
        is_case_example=is_case_example,
        no_matching_resource=no_matching_resource,
        coordinator=coordinator,
        affiliation=affiliation,
        created_by=created_by,
        updated_by=created_by,
        external_ref=external_ref,
    )
    _check_activity(activity, functions=functions, acting_user=created_by, check_area=check_area)
    if affiliation is None:
        raise ValidationError(_("所属のわからない活動は記録できません。"))
    activity.save()
    _set_functions(activity, functions)
    activity.resources.set(list(resources))
    activity.needs.set(list(needs))
    return activity


ACTIVITY_FIELDS = (
    "date",
    "kind",
    "count",
    "area",
    "source",
    "source_note",
    "heard",
    "response",
    "follow_up_on",
    "is_case_example",
    "no_matching_resource",
)


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    updated_by: User,
    functions: Iterable[str],
    resources: Iterable[Resource] | None = None,
    needs: Iterable | None = None,
    **fields,
) -> Activity:
    """Change an activity (by its author, the ward's tier-1 coordinator or city staff)."""
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"activity_update() got unexpected fields: {sorted(unknown)}")
    functions = list(dict.fromkeys(functions))
    area_changed = "area" in fields and fields["area"].pk != activity.area_id
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.updated_by = updated_by
    _check_activity(activity, functions=functions, acting_user=updated_by, check_area=area_changed)
    activity.save()
    _set_functions(activity, functions)
    if resources is not None:
        activity.resources.set(list(resources))
    if needs is not None:
        activity.needs.set(list(needs))
    return activity


def activity_delete(*, activity: Activity) -> None:
    activity.delete()


# The resource lifecycle -------------------------------------------------------


def launch_activities(resource: Resource):
    """The 立上支援 activities linked to a resource, oldest first."""
    return Activity.objects.filter(
        resources=resource, function_rows__function=Function.LAUNCH
    ).order_by("date", "id")


def launch_origin_for(resource: Resource) -> str:
    """新規立ち上げ when the resource was first registered while being set up
    (準備中); 既存資源の拡充 when it was already running and was extended."""
    if resource.origin in (Resource.Origin.NEW, Resource.Origin.EXPANDED):
        return resource.origin
    first_status = (
        resource.history.order_by("history_date", "history_id")
        .values_list("status", flat=True)
        .first()
    )
    if first_status in (None, Resource.Status.PREPARING):
        return Resource.Origin.NEW
    return Resource.Origin.EXPANDED


def became_active_on(resource: Resource) -> date | None:
    """The day the resource last went from 準備中 to 活動中, from its history."""
    became = None
    previous = None
    for status, when in resource.history.order_by("history_date", "history_id").values_list(
        "status", "history_date"
    ):
        if status == Resource.Status.ACTIVE and previous == Resource.Status.PREPARING:
            became = timezone.localtime(when).date()
        previous = status
    return became


@transaction.atomic
def resource_launch_record(
    *,
    resource: Resource,
    recorded_by: User | None,
    on: date | None = None,
    origin: str | None = None,
) -> Resource:
    """A resource that coordinators supported with 立上支援 starts (活動中): record
    it as 新規立ち上げ or 既存資源の拡充 with its date, for the creation report.

    A resource still 準備中 becomes 活動中 on ``on`` (today by default); one
    already switched to 活動中 elsewhere takes the day of that switch.
    """
    if not launch_activities(resource).exists():
        raise ValidationError(
            _(
                "この地域資源には「立上支援」の活動記録がありません。先に活動記録で資源を選んでください。"
            )
        )
    if resource.status not in (Resource.Status.PREPARING, Resource.Status.ACTIVE):
        raise ValidationError(_("休止中・終了の地域資源は、立ち上げ・拡充として記録できません。"))
    if origin is not None and origin not in (Resource.Origin.NEW, Resource.Origin.EXPANDED):
        raise ValidationError({"origin": _("区分は「新規立ち上げ」か「既存資源の拡充」です。")})
    today = timezone.localdate()
    if on is not None and on > today:
        raise ValidationError({"on": _("活動を始めた日に未来の日付は入力できません。")})
    origin = origin or launch_origin_for(resource)
    if resource.status == Resource.Status.PREPARING:
        day = on or today
    else:
        day = on or resource.origin_date or became_active_on(resource) or today
    first_support = launch_activities(resource).first()
    if first_support and day < first_support.date:
        raise ValidationError(
            {
                "on": _("活動を始めた日は、最初の立上支援（%(date)s）より後にしてください。")
                % {"date": format_date(first_support.date)}
            }
        )
    unchanged = (
        resource.status == Resource.Status.ACTIVE
        and resource.origin == origin
        and resource.origin_date == day
    )
    if unchanged:
        return resource
    return resource_update(
        resource=resource,
        by=recorded_by,
        reason=_("立上支援の結果を記録（%(origin)s）") % {"origin": Resource.Origin(origin).label},
        status=Resource.Status.ACTIVE,
        origin=origin,
        origin_date=day,
    )


def resource_verify(*, resource: Resource, verified_by: User, on: date | None = None) -> Resource:
    """Mark a resource's information as checked (確認日) today or on ``on``."""
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError(_("確認日に未来の日付は入力できません。"))
    return resource_update(
        resource=resource,
        by=verified_by,
        reason=_("情報を確認"),
        verified_on=day,
        verified_by=verified_by,
    )


def resource_status_checked(*, resource: Resource, status: str, checked_by: User) -> Resource:
    """A check found the resource paused or ended: the status, confirmed today."""
    return resource_update(
        resource=resource,
        by=checked_by,
        reason=_("確認の結果「%(status)s」") % {"status": Resource.Status(status).label},
        status=status,
        verified_on=timezone.localdate(),
        verified_by=checked_by,
    )


def resource_check_restore(
    *, resource: Resource, by: User, verified_on, verified_by_id, status: str
) -> Resource:
    """「元に戻す」 of the due-check queue: the check's fields as they were."""
    return resource_update(
        resource=resource,
        by=by,
        reason=_("確認を元に戻す"),
        verified_on=verified_on,
        verified_by_id=verified_by_id,
        status=status,
    )
