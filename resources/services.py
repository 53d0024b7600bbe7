"""Writes of resources (STYLE.md 14): every change of a resource, its categories,
targets, features and schedules goes through these functions.

Each write is one transaction that validates what it is given (``full_clean``),
derives the search text, the location and the areas (``resource_prepare``) and
the weekdays and times of the schedules, names the columns it writes
(``save(update_fields=...)`` on the row locked with ``select_for_update``, so a
concurrent edit of other fields survives), writes one history entry, and moves
the data version once (portal/cache.py). Nothing of this hides in ``save()`` or
in signals: a bare ``Resource.objects.create`` or ``save()`` does none of it.

- ``resource_create`` / ``resource_update`` / ``resource_delete``: one resource
  (the admin, the coordinators' lifecycle, tests).
- ``schedule_rule_save`` / ``schedule_rule_delete``: one rule of a resource.
- ``schedule_exceptions_write``: days off, time changes and notices of a resource
  (the coordinators' editor), with one history entry naming them.
- ``resources_bulk_create``: thousands of new resources at once (the demo and the
  bench), with the same derived fields; one version move for all.
- ``resources_area_refresh``: the areas of all resources again, after the areas
  or the 町丁 changed (``manage.py setup_city``).
- The importer (resources/importing.py) writes in bulk with the same rules and
  calls ``data_changed`` once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from portal import weekdays
from portal.cache import data_changed
from portal.geo import Locator, locator
from portal.models import Area
from resources.indexing import (
    INDEX_INPUTS,
    M2M_FIELDS,
    Links,
    Names,
    all_label_names,
    index_resource,
    reindex,
)
from resources.models import (
    Category,
    Feature,
    Resource,
    ScheduleException,
    ScheduleRule,
    Target,
    schedule_summary,
)

if TYPE_CHECKING:
    from typing import TypeAlias

    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

    # Who writes: the history entry's user, when logged in.
    Actor: TypeAlias = User | AnonymousUser | None

# Columns no caller names: derived here, or kept by Django.
DERIVED_FIELDS = frozenset(
    {
        "id",
        "area_tier1",
        "search_text",
        "name_text",
        "search_bigrams",
        "schedule_days",
        "schedule_times",
        "created_at",
        "updated_at",
    }
)
RULE_FIELDS = (
    "kind",
    "weekdays",
    "weeks_of_month",
    "day_of_month",
    "opens_at",
    "closes_at",
    "note",
    "sort_order",
)
_FIELDS = list(Resource._meta.concrete_fields)
_WRITABLE = {f.name: f for f in _FIELDS if f.name not in DERIVED_FIELDS}
# A write names a field by its name or, for a foreign key, its column (area_id).
_NAME_OF = {f.name: f.name for f in _WRITABLE.values()} | {
    f.attname: f.name for f in _WRITABLE.values()
}
# The history of a resource records everything but the derived search columns.
_HISTORY_EXCLUDED = {"search_text", "name_text", "search_bigrams", "schedule_days"}
_HISTORY_EXCLUDED |= {"schedule_times", "updated_at"}
REASON_MAX = 100  # simple_history's history_change_reason


# Derived fields ---------------------------------------------------------------


def resource_prepare(
    resource: Resource,
    *,
    index: Locator | None = None,
    links: Links | None = None,
    names: Names | None = None,
) -> None:
    """Fill the derived fields of ``resource`` in memory: search text
    (resources/indexing.py, with the labels ``links`` holds; a stored resource's
    links not named there are those stored), location and areas (``resource_place``).

    ``index`` is the locator and ``names`` the label names to use (bulk writers
    pass them once for all rows).
    """
    index_resource(resource, links or {}, names=names, stored=resource.pk is not None)
    resource_place(resource, index=index)


def resource_place(resource: Resource, *, index: Locator | None = None) -> None:
    """Fill the location and areas of ``resource`` in memory.

    Area assignment follows DESIGN.md: address (町丁) first, point in polygon
    second, nearest area third; a staff override (``area_locked``) wins. A
    resource without coordinates gets its 町丁's representative point.
    """
    index = index or locator()
    has_point = resource.lat is not None and resource.lng is not None
    if has_point and resource.location_source != Resource.LocationSource.ADDRESS_POINT:
        resource.location_source = Resource.LocationSource.EXACT
    needs_area = not resource.area_locked
    needs_point = not has_point or resource.location_source == Resource.LocationSource.ADDRESS_POINT
    if needs_area or needs_point:
        match = index.locate(
            address=resource.address,
            lat=resource.lat if has_point else None,
            lng=resource.lng if has_point else None,
        )
        if needs_area and match.area_id:
            resource.area_id = match.area_id
        if needs_point and match.lat is not None:
            resource.lat, resource.lng = match.lat, match.lng
            resource.location_source = Resource.LocationSource.ADDRESS_POINT
        elif not has_point:
            resource.location_source = Resource.LocationSource.NONE
    resource.area_tier1_id = _tier1_id(resource.area_id, index)


def _tier1_id(area_id: int | None, index: Locator) -> int | None:
    if area_id is None:
        return None
    known = index.tier1_of.get(area_id)
    if known is not None:
        return known
    # An area written in this transaction, past the locator's version.
    tier, parent_id = Area.objects.values_list("tier", "parent_id").get(pk=area_id)
    return parent_id if tier == Area.Tier.DISTRICT else area_id


def schedule_rule_prepare(rule: ScheduleRule) -> None:
    """The weekdays of a rule as stored: known codes, once each, Monday first."""
    rule.weekdays = weekdays.joined(rule.weekday_list)


# One resource -------------------------------------------------------------------


@transaction.atomic
def resource_create(
    *,
    by: Actor = None,
    resource: Resource | None = None,
    categories: Iterable[Category | int] = (),
    targets: Iterable[Target | int] = (),
    features: Iterable[Feature | int] = (),
    schedules: Iterable[ScheduleRule] = (),
    reason: str = "",
    **fields,
) -> Resource:
    """A new resource from ``fields`` (or the unsaved ``resource`` a form built),
    with its categories, targets, features (objects or ids) and schedule rules.

    A resource without a code gets ``R`` and its number (R000123).
    """
    if resource is None:
        _check_names(fields)
        resource = Resource(**fields)
    elif fields or resource.pk is not None:
        raise TypeError("resource_create takes an unsaved resource or its fields, not both")
    exclude = set(DERIVED_FIELDS) | ({"code"} if not resource.code else set())
    _clean(resource, exclude=exclude)
    rules = _clean_rules(list(schedules))
    links = {"categories": _ids(categories), "targets": _ids(targets), "features": _ids(features)}
    resource_prepare(resource, links=links)
    resource.schedule_days, resource.schedule_times = schedule_summary(rules)
    with _history_skipped(resource):
        resource.save(force_insert=True)
        if not resource.code:
            # The code comes from the id, known only after the insert.
            resource.code = f"R{resource.pk:06d}"
            resource.save(update_fields=["code"])
    category_rows = _m2m_write(resource, "categories", links["categories"], new=True)
    _m2m_write(resource, "targets", links["targets"], new=True)
    _m2m_write(resource, "features", links["features"], new=True)
    _rules_write(resource, rules, existing={})
    _history_write(resource, kind="+", by=by, reason=reason, categories=category_rows)
    data_changed()
    return resource


@transaction.atomic
def resource_update(
    *,
    resource: Resource,
    by: Actor = None,
    categories: Iterable[Category | int] | None = None,
    targets: Iterable[Target | int] | None = None,
    features: Iterable[Feature | int] | None = None,
    schedules: Iterable[ScheduleRule] | None = None,
    reason: str = "",
    **changes,
) -> Resource:
    """Change the fields named in ``changes`` (and, where given, the categories,
    targets, features or the whole set of schedule rules) of ``resource``.

    The row is read again under a lock: fields not named keep what the database
    holds, whatever ``resource`` holds in memory. ``resource`` is brought up to
    date with what was written. A change that changes nothing writes nothing.
    """
    _check_names(changes)
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    _update_locked(
        locked,
        by=by,
        changes=changes,
        m2m={"categories": categories, "targets": targets, "features": features},
        schedules=None if schedules is None else list(schedules),
        reason=reason,
    )
    _copy_into(resource, locked)
    return locked


@transaction.atomic
def resource_delete(*, resource: Resource, by: Actor = None) -> None:
    """Delete a resource with its schedules (its history keeps a last entry)."""
    if by is not None and getattr(by, "is_authenticated", False):
        resource._history_user = by
    resource.delete()
    data_changed()


@transaction.atomic
def resources_delete(*, resources: Iterable[Resource], by: Actor = None) -> int:
    """Delete several resources (the admin's bulk action); one version move."""
    count = 0
    for resource in resources:
        if by is not None and getattr(by, "is_authenticated", False):
            resource._history_user = by
        resource.delete()
        count += 1
    if count:
        data_changed()
    return count


@transaction.atomic
def schedule_rule_save(*, rule: ScheduleRule, by: Actor = None) -> ScheduleRule:
    """Add or change one schedule rule of a resource (``rule.resource``); the
    resource's weekday and time summary follows."""
    caller = _cached_resource(rule)
    locked = Resource.objects.select_for_update().get(pk=rule.resource_id)
    others = [r for r in ScheduleRule.objects.filter(resource=locked) if r.pk != rule.pk]
    _update_locked(locked, by=by, schedules=[*others, rule])
    if caller is not None:
        _copy_into(caller, locked)
        rule.resource = caller
    return rule


@transaction.atomic
def schedule_rule_delete(*, rule: ScheduleRule, by: Actor = None) -> None:
    """Remove one schedule rule of a resource; the resource's summary follows."""
    caller = _cached_resource(rule)
    locked = Resource.objects.select_for_update().get(pk=rule.resource_id)
    others = [r for r in ScheduleRule.objects.filter(resource=locked) if r.pk != rule.pk]
    _update_locked(locked, by=by, schedules=others)
    if caller is not None:
        _copy_into(caller, locked)


def _cached_resource(rule: ScheduleRule) -> Resource | None:
    """The caller's resource instance the rule holds, to bring up to date."""
    return rule.resource if ScheduleRule.resource.field.is_cached(rule) else None


# Many new resources ---------------------------------------------------------------


@dataclass
class NewResource:
    """One resource of a bulk write, with its links (ids) and schedule rules."""

    resource: Resource
    categories: Sequence[int] = ()
    targets: Sequence[int] = ()
    features: Sequence[int] = ()
    schedules: list[ScheduleRule] = field(default_factory=list)


def resources_bulk_create(
    plans: Sequence[NewResource],
    *,
    reason: str = "",
    history: bool = True,
    batch_size: int = 1000,
) -> list[Resource]:
    """Insert many new resources (each with its code) with the derived fields
    ``resource_create`` gives, their links and schedules, in a few queries per
    batch, and move the data version once. ``history=False`` writes no history
    entries (the bench measures reads). Not validated: for generated data."""
    if not plans:
        return []
    index, names = locator(), all_label_names()
    for plan in plans:
        for rule in plan.schedules:
            schedule_rule_prepare(rule)
        links = {link: getattr(plan, link) for link in M2M_FIELDS}
        resource_prepare(plan.resource, index=index, links=links, names=names)
        plan.resource.schedule_days, plan.resource.schedule_times = schedule_summary(plan.schedules)
    resources = [plan.resource for plan in plans]
    with transaction.atomic():
        if history:
            created = bulk_create_with_history(
                resources, Resource, batch_size=batch_size, default_change_reason=reason
            )
        else:
            created = Resource.objects.bulk_create(resources, batch_size=batch_size)
        if any(resource.pk is None for resource in created):  # a backend without RETURNING
            ids = dict(
                Resource.objects.filter(code__in=[r.code for r in created]).values_list(
                    "code", "pk"
                )
            )
            for resource in created:
                resource.pk = ids[resource.code]
        for plan, resource in zip(plans, created, strict=True):
            plan.resource.pk = resource.pk
        for name, column in M2M_FIELDS.items():
            through = getattr(Resource, name).through
            through.objects.bulk_create(
                [
                    through(resource_id=plan.resource.pk, **{column: pk})
                    for plan in plans
                    for pk in getattr(plan, name)
                ],
                batch_size=batch_size,
            )
        rules = []
        for plan in plans:
            for order, rule in enumerate(plan.schedules):
                rule.resource_id, rule.sort_order = plan.resource.pk, order
                rules.append(rule)
        ScheduleRule.objects.bulk_create(rules, batch_size=batch_size)
        data_changed()
    return created


Label = Category | Target | Feature


def _carrying(label: Label) -> set[int]:
    """The ids of the resources carrying ``label``."""
    link = {Category: "categories", Target: "targets", Feature: "features"}[type(label)]
    through = getattr(Resource, link).through
    rows = through.objects.filter(**{M2M_FIELDS[link]: label.pk})
    return set(rows.values_list("resource_id", flat=True))


def resources_reindex(*, label: Label) -> int:
    """The search text of the resources carrying ``label`` again, after its name
    changed (resources/indexing.py); one version move."""
    count = reindex(Resource, _carrying(label))
    if count:
        data_changed()
    return count


@transaction.atomic
def labels_delete(*, labels: Iterable[Label]) -> int:
    """Delete categories, targets or features, and write again the search text
    of the resources that carried them (their names are in it); one version move."""
    carried: set[int] = set()
    for label in labels:
        carried |= _carrying(label)
        label.delete()
    reindex(Resource, carried)
    data_changed()
    return len(carried)


def resources_area_refresh(*, reason: str = "", by: Actor = None) -> int:
    """Give every resource whose area staff did not set by hand (``area_locked``)
    the area its address or point lies in now, by ``resource_prepare``'s rules
    (address first, point in polygon second, nearest area third): after the
    areas or the 町丁 changed (``manage.py setup_city``). The points are left as
    they are. One history entry per resource that moved, one version move.
    Returns how many moved."""
    from simple_history.utils import bulk_update_with_history

    index = locator()
    moved = []
    for resource in Resource.objects.filter(area_locked=False).order_by("pk").iterator():
        has_point = resource.lat is not None and resource.lng is not None
        match = index.locate(
            address=resource.address,
            lat=resource.lat if has_point else None,
            lng=resource.lng if has_point else None,
        )
        area_id = match.area_id or resource.area_id
        tier1_id = _tier1_id(area_id, index)
        if (area_id, tier1_id) != (resource.area_id, resource.area_tier1_id):
            resource.area_id, resource.area_tier1_id = area_id, tier1_id
            moved.append(resource)
    if moved:
        with transaction.atomic():
            bulk_update_with_history(
                moved,
                Resource,
                ["area", "area_tier1"],
                batch_size=500,
                default_user=by if getattr(by, "is_authenticated", False) else None,
                default_change_reason=str(reason)[:REASON_MAX] or None,
            )
            data_changed()
    return len(moved)


# The write --------------------------------------------------------------------------


def _check_names(fields: dict) -> None:
    unknown = sorted(set(fields) - set(_NAME_OF))
    if unknown:
        raise TypeError(f"not a field a resource write may name: {', '.join(unknown)}")


def _clean(resource: Resource, *, exclude: Iterable[str]) -> None:
    # The check constraints repeat the fields' own range validators (which give
    # the Japanese messages); validating them would cost a query each.
    resource.full_clean(exclude=list(exclude), validate_constraints=False)


def _clean_rules(rules: list[ScheduleRule]) -> list[ScheduleRule]:
    errors: list[str] = []
    for number, rule in enumerate(rules, start=1):
        try:
            rule.full_clean(exclude=["resource"])
        except ValidationError as error:
            for messages in error.message_dict.values():
                errors += [
                    _("開催日時（%(n)s件目）: %(message)s") % {"n": number, "message": message}
                    for message in messages
                ]
        schedule_rule_prepare(rule)
    if errors:
        raise ValidationError({"schedules": errors})
    return rules


def _update_locked(
    locked: Resource,
    *,
    by: Actor,
    changes: dict | None = None,
    m2m: dict[str, Iterable | None] | None = None,
    schedules: list[ScheduleRule] | None = None,
    reason: str = "",
) -> None:
    before = {f.attname: getattr(locked, f.attname) for f in _FIELDS}
    for name, value in (changes or {}).items():
        setattr(locked, name, value)
    if locked.verified_on and locked.verified_on != before["verified_on"]:
        # Confirmed again: no longer 要確認 (the verification cycle's flag).
        locked.needs_recheck = False
    named = {_NAME_OF[name] for name in changes or {}}
    changed = {f.name for f in _FIELDS if getattr(locked, f.attname) != before[f.attname]}
    _clean(locked, exclude=[f.name for f in _FIELDS if f.name not in (named & changed)])
    existing = {}
    if schedules is not None:
        schedules = _clean_rules(schedules)
        existing = {r.pk: r for r in ScheduleRule.objects.filter(resource=locked)}
        foreign = [r for r in schedules if r.pk is not None and r.pk not in existing]
        if foreign:
            raise ValueError("a schedule rule of another resource")
        locked.schedule_days, locked.schedule_times = schedule_summary(schedules)
    links = {name: _ids(values) for name, values in (m2m or {}).items() if values is not None}
    if links or changed & set(INDEX_INPUTS):
        index_resource(locked, links, stored=True)
    # else the search text stays as it is (a confirmation, a status: no label names read)
    resource_place(locked)
    update_fields = [f.name for f in _FIELDS if getattr(locked, f.attname) != before[f.attname]]
    if "search_bigrams" in update_fields and "search_text" not in update_fields:
        # The same vector: PostgreSQL reads a tsvector back in its own spelling.
        update_fields.remove("search_bigrams")
    with _history_skipped(locked):
        if update_fields:
            locked.save(update_fields=[*update_fields, "updated_at"])
        category_rows = None
        links_changed = False
        for name, values in (m2m or {}).items():
            if values is None:
                continue
            rows = _m2m_write(locked, name, _ids(values), new=False)
            if rows is not None and name == "categories":
                category_rows = rows
            links_changed |= rows is not None
        rules_changed = schedules is not None and _rules_write(locked, schedules, existing=existing)
    tracked = [name for name in update_fields if name not in _HISTORY_EXCLUDED]
    if not (update_fields or links_changed or rules_changed):
        return
    # A change of the schedule alone is one too: the entry names who and why.
    if tracked or category_rows is not None or rules_changed:
        _history_write(locked, kind="~", by=by, reason=reason, categories=category_rows)
    data_changed()


def _ids(values: Iterable) -> set[int]:
    return {getattr(value, "pk", value) for value in values}


def _m2m_write(
    resource: Resource, name: str, wanted: set[int], *, new: bool
) -> list[tuple[int, int]] | None:
    """Make the links of ``name`` exactly ``wanted``; the rows (id, other id) when
    they changed, None when they were already so."""
    through = getattr(Resource, name).through
    column = M2M_FIELDS[name]
    current = (
        {}
        if new
        else dict(through.objects.filter(resource_id=resource.pk).values_list(column, "id"))
    )
    removed, added = set(current) - wanted, sorted(wanted - set(current))
    if not removed and not added:
        return [] if new else None
    if removed:
        through.objects.filter(resource_id=resource.pk, **{f"{column}__in": removed}).delete()
    made = through.objects.bulk_create(
        [through(resource_id=resource.pk, **{column: pk}) for pk in added]
    )
    rows = {other: row_id for other, row_id in current.items() if other not in removed}
    if any(row.pk is None for row in made):  # a backend without RETURNING
        return list(through.objects.filter(resource_id=resource.pk).values_list("id", column))
    rows |= {getattr(row, column): row.pk for row in made}
    return [(row_id, other) for other, row_id in sorted(rows.items())]


def _rules_write(
    resource: Resource, rules: list[ScheduleRule], *, existing: dict[int, ScheduleRule]
) -> bool:
    """Make the resource's rules exactly ``rules``: True when anything changed."""
    for rule in rules:
        rule.resource = resource
    kept = {rule.pk for rule in rules if rule.pk is not None}
    removed = [pk for pk in existing if pk not in kept]
    changed = [
        rule
        for rule in rules
        if rule.pk is not None
        and any(getattr(rule, name) != getattr(existing[rule.pk], name) for name in RULE_FIELDS)
    ]
    added = [rule for rule in rules if rule.pk is None]
    if removed:
        ScheduleRule.objects.filter(pk__in=removed).delete()
    if changed:
        ScheduleRule.objects.bulk_update(changed, RULE_FIELDS)
    if added:
        ScheduleRule.objects.bulk_create(added)
    return bool(removed or changed or added)


@contextmanager
def _history_skipped(resource: Resource) -> Iterator[None]:
    """simple_history writes an entry on every save and link change; a write here
    makes one entry of its own, once the links and the code are known."""
    resource.skip_history_when_saving = True
    try:
        yield
    finally:
        del resource.skip_history_when_saving


def _history_write(
    resource: Resource,
    *,
    kind: str,
    by: Actor,
    reason: str,
    categories: list[tuple[int, int]] | None,
) -> None:
    """One history entry as simple_history writes it, with the categories' rows
    (``categories``: (through id, category id), None when they were not read)."""
    History = Resource.history.model
    entry = History(
        history_date=timezone.now(),
        history_type=kind,
        history_user=by if getattr(by, "is_authenticated", False) else None,
        history_change_reason=str(reason)[:REASON_MAX] or None,
        **{f.attname: getattr(resource, f.attname) for f in History.tracked_fields},
    )
    entry.save()
    if categories is None:
        through = Resource.categories.through
        categories = list(
            through.objects.filter(resource_id=resource.pk).values_list("id", "category_id")
        )
    if categories:
        CategoryHistory = apps.get_model("resources", "HistoricalResource_categories")
        CategoryHistory.objects.bulk_create(
            [
                CategoryHistory(
                    id=row_id, resource_id=resource.pk, category_id=category_id, history=entry
                )
                for row_id, category_id in categories
            ]
        )


def _copy_into(target: Resource, source: Resource) -> None:
    """Bring a caller's instance up to date with the row as written."""
    if target is source:
        return
    for f in _FIELDS:
        setattr(target, f.attname, getattr(source, f.attname))
    prefetched = getattr(target, "_prefetched_objects_cache", None)
    if prefetched:
        for name in ("categories", "targets", "features", "schedules"):
            prefetched.pop(name, None)


# Days off and notices -------------------------------------------------------------


@transaction.atomic
def schedule_exception_save(*, exception: ScheduleException) -> ScheduleException:
    """Add or change a day off or notice of a resource; refused in Japanese when it
    ends before it starts (ValidationError)."""
    exception.full_clean()
    exception.save()
    data_changed()
    return exception


@transaction.atomic
def schedule_exception_delete(*, exception: ScheduleException) -> None:
    exception.delete()
    data_changed()


EXCEPTION_FIELDS = ("kind", "starts_on", "ends_on", "opens_at", "closes_at", "text")


@transaction.atomic
def schedule_exceptions_write(
    *,
    resource: Resource,
    save: Iterable[ScheduleException] = (),
    delete: Iterable[ScheduleException] = (),
    by: Actor = None,
) -> bool:
    """Add or change (``save``) and remove (``delete``) days off, time changes and
    notices of ``resource``; True when anything changed.

    Each is validated (``full_clean``: Japanese errors, ValidationError) before
    anything is written; one history entry of the resource names what changed
    (「休み・お知らせ: 12月29日〜1月3日はお休み」), and the data version moves once.
    Rows of another resource are not touched."""
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    current = {e.pk: e for e in ScheduleException.objects.filter(resource=locked)}
    changed = []
    for exception in save:
        before = current.get(exception.pk) if exception.pk is not None else None
        if exception.pk is not None and before is None:
            continue  # removed meanwhile, or not this resource's
        exception.resource = locked
        if before is not None and all(
            getattr(before, name) == getattr(exception, name) for name in EXCEPTION_FIELDS
        ):
            continue
        exception.full_clean()
        changed.append(exception)
    removed = [current[e.pk] for e in delete if e.pk in current]
    if not changed and not removed:
        return False
    for exception in changed:
        exception.save()
    words = [e.describe() for e in changed]
    words += [_("%(what)sを削除") % {"what": e.describe()} for e in removed]
    ScheduleException.objects.filter(pk__in=[e.pk for e in removed]).delete()
    _history_write(
        locked,
        kind="~",
        by=by,
        reason=_("休み・お知らせ: %(what)s") % {"what": "、".join(words)},
        categories=None,
    )
    data_changed()
    return True
