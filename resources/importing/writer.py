"""Writing planned rows fast: executemany on SQLite, COPY on PostgreSQL, the
history as ``bulk_create_with_history`` would write it."""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from portal.cache import data_changed
from resources.models import Resource, ScheduleRule

CHUNK = 900  # ids per IN (…) query: under SQLite's old 999-variable limit

_HISTORY = Resource.history.model
_CONVERTED_TYPES = {
    "DateField",
    "DateTimeField",
    "TimeField",
    "DecimalField",
    "JSONField",
    "UUIDField",
}


def _row_values(model, obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}


def _converters(fields) -> list:
    """Per field, None (the driver takes the Python value) or a function giving
    the database value; dates repeat (the import's timestamp), so each is converted once."""
    conn = connections[DEFAULT_DB_ALIAS]
    result = []
    for f in fields:
        if f.get_internal_type() not in _CONVERTED_TYPES:
            result.append(None)
            continue
        cache: dict = {}

        def convert(value, f=f, cache=cache):
            if value is None:
                return None
            if value not in cache:
                cache[value] = f.get_db_prep_save(value, conn)
            return cache[value]

        result.append(convert)
    return result


def _placeholder(field) -> str:
    """%s, or what the field asks for (a tsvector column on PostgreSQL: %s::tsvector)."""
    placeholder = getattr(field, "get_placeholder", None)
    return placeholder(None, None, connection) if placeholder else "%s"


def _allocate_ids(model, count: int) -> list[int]:
    """``count`` new primary keys, taken before inserting so that executemany can
    write the rows (it returns no ids). Inside the import's transaction: SQLite
    holds the write lock, PostgreSQL hands out sequence values once."""
    meta = model._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)}")
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [meta.db_table])
        found = cursor.fetchone()
        start = max(highest, found[0] if found else 0) + 1
        return list(range(start, start + count))


def _insert_many(model, rows: list[dict]) -> list[int]:
    """INSERT rows (attname → Python value) with executemany; returns their ids.

    Django's bulk_create passes every value through the SQL compiler (SQLite also
    caps it at 23 rows of this model per statement), which was most of the time of
    a 10,000-row import; executemany with the ids taken first is several times
    faster. Other databases than SQLite and PostgreSQL use bulk_create.
    """
    if not rows:
        return []
    meta = model._meta
    pk = meta.pk
    if connection.vendor not in ("sqlite", "postgresql"):
        objs = model._default_manager.bulk_create([model(**row) for row in rows], batch_size=500)
        return [obj.pk for obj in objs]
    fields = [f for f in meta.concrete_fields if f is not pk]
    converters = _converters(fields)
    ids = _allocate_ids(model, len(rows))
    params = []
    for new_id, row in zip(ids, rows, strict=True):
        values = [new_id]
        for f, convert in zip(fields, converters, strict=True):
            value = row.get(f.attname)
            values.append(convert(value) if convert else value)
        params.append(values)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in [pk.column, *(f.column for f in fields)])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: the rows stream in one command, adapted by psycopg in C; a
            # text value in COPY is read by the column type's own input (tsvector too).
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for values in params:
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s", *(_placeholder(f) for f in fields)])
            sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"
            for start in range(0, len(params), 2000):
                cursor.executemany(sql, params[start : start + 2000])
    return ids


def _update_many(model, objs: list, attnames: list[str]) -> None:
    """UPDATE … SET the given fields WHERE id = … for each object, with executemany."""
    if not objs:
        return
    meta = model._meta
    fields = [
        meta.get_field(name.removesuffix("_id")) if name.endswith("_id") else meta.get_field(name)
        for name in attnames
    ]
    if connection.vendor not in ("sqlite", "postgresql"):
        model._default_manager.bulk_update(objs, [f.name for f in fields], batch_size=500)
        return
    converters = _converters(fields)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = {_placeholder(f)}" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    params = [
        [
            *(
                convert(getattr(obj, f.attname)) if convert else getattr(obj, f.attname)
                for f, convert in zip(fields, converters, strict=True)
            ),
            obj.pk,
        ]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 2000):
            cursor.executemany(sql, params[start : start + 2000])


def write_plans(plans: list, *, user, reason: str) -> None:
    """Insert the new resources, update the changed ones, replace their categories,
    targets, features and schedules, and add one history entry each."""
    now = timezone.now()
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    new = [p.resource for p in plans if p.action == "new"]
    updated = [p.resource for p in plans if p.action == "updated"]
    if new:
        for resource in new:
            resource.created_at = resource.updated_at = now
        ids = _insert_many(Resource, [_row_values(Resource, r) for r in new])
        for resource, pk in zip(new, ids, strict=True):
            resource.pk = pk
        _write_m2m([p for p in plans if p.action == "new"], replace=False)
        _write_rules([p for p in plans if p.action == "new"], replace=False)
    if updated:
        touched = [p for p in plans if p.action == "updated"]
        # Each row writes the fields it changes, never the union of the file's
        # changes: rows are grouped by that set, one executemany per group.
        by_fields: dict[tuple[str, ...], list] = defaultdict(list)
        for plan in touched:
            plan.resource.updated_at = now
            by_fields[plan.written].append(plan.resource)
        for fields, resources in by_fields.items():
            _update_many(Resource, resources, list(fields))
        _write_m2m(touched, replace=True)
        _write_rules(touched, replace=True)
    # One history entry per created or changed resource, as
    # bulk_create_with_history / bulk_update_with_history would write; an updated
    # row's entry is read back, with what others changed in its other fields.
    tracked = [f.attname for f in _HISTORY.tracked_fields]
    stored = _stored_values([r.pk for r in updated], tracked)
    records = []
    new_ids = {r.pk for r in new}
    for resource in new + updated:
        values = stored.get(resource.pk) or {name: getattr(resource, name) for name in tracked}
        values.update(
            history_date=now,
            history_change_reason=reason,
            history_type="+" if resource.pk in new_ids else "~",
            history_user_id=user_id,
        )
        records.append(values)
    history_ids = _insert_many(_HISTORY, records)
    _write_m2m_history(list(zip(history_ids, [r.pk for r in new + updated], strict=True)))
    # Written around the ORM's signals: the cached public pages go stale here.
    data_changed()


def _stored_values(ids: list[int], attnames: list[str]) -> dict[int, dict]:
    """The rows as the database holds them now, by id."""
    found: dict[int, dict] = {}
    for start in range(0, len(ids), CHUNK):
        for values in Resource.objects.filter(pk__in=ids[start : start + CHUNK]).values(*attnames):
            found[values["id"]] = values
    return found


def _write_m2m(plans: list, *, replace: bool) -> None:
    for name, other in (
        ("categories", "category_id"),
        ("targets", "target_id"),
        ("features", "feature_id"),
    ):
        through = getattr(Resource, name).through
        touched = [p for p in plans if name in p.m2m]
        if replace and touched:
            ids = [p.resource.pk for p in touched]
            for start in range(0, len(ids), CHUNK):
                through.objects.filter(resource_id__in=ids[start : start + CHUNK]).delete()
        rows = [
            through(resource_id=p.resource.pk, **{other: pk})
            for p in touched
            for pk in sorted(p.m2m[name])
        ]
        through.objects.bulk_create(rows, batch_size=1000)


def _write_m2m_history(records: list[tuple[int, int]]) -> None:
    """The categories of each new history entry, as simple_history records them
    (``HistoricalResource_categories``: the through row, the history entry)."""
    m2m_model = apps.get_model("resources", "HistoricalResource_categories")
    through = Resource.categories.through
    ids = [resource_id for _history_id, resource_id in records]
    by_resource = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        for through_id, resource_id, category_id in through.objects.filter(
            resource_id__in=ids[start : start + CHUNK]
        ).values_list("id", "resource_id", "category_id"):
            by_resource[resource_id].append((through_id, category_id))
    rows = [
        m2m_model(
            id=through_id,
            resource_id=resource_id,
            category_id=category_id,
            history_id=history_id,
        )
        for history_id, resource_id in records
        for through_id, category_id in by_resource.get(resource_id, [])
    ]
    m2m_model.objects.bulk_create(rows, batch_size=1000)


def _write_rules(plans: list, *, replace: bool) -> None:
    touched = [p for p in plans if p.rules is not None]
    if replace and touched:
        ids = [p.resource.pk for p in touched]
        for start in range(0, len(ids), CHUNK):
            ScheduleRule.objects.filter(resource_id__in=ids[start : start + CHUNK]).delete()
    rules = []
    for plan in touched:
        for rule in plan.rules:
            rule.resource_id = plan.resource.pk
            rules.append(rule)
    ScheduleRule.objects.bulk_create(rules, batch_size=1000)
