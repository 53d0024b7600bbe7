"""resources.importing.writer: an import writes, for each updated row, only the
fields that row changes — an edit made meanwhile to another field survives."""

from __future__ import annotations

import pytest
from django.db import connection, connections

from resources.importing import planning, resources_import
from resources.models import Resource
from tests.conftest import make_resource
from tests.resources.import_files import csv_bytes

# Row C-1 changes its name, row C-2 its phone: the file changes both fields,
# but each row only one of them.
FILE = csv_bytes(
    [
        ["資源コード", "名称", "電話番号"],
        ["C-1", "第一の会（改称）", "06-1111-1111"],
        ["C-2", "第二の会", "06-2222-9999"],
    ]
)
EDIT = {"contact_phone": "06-5555-5555", "internal_notes": "鍵は管理人室", "lat": 34.701}


def two_resources() -> tuple[Resource, Resource]:
    first = make_resource(
        code="C-1", name="第一の会", contact_phone="06-1111-1111", lat=34.700, lng=135.495
    )
    second = make_resource(code="C-2", name="第二の会", contact_phone="06-2222-2222")
    return first, second


def edit_between_read_and_write(monkeypatch, edit) -> None:
    """Run ``edit`` after the import has read the stored rows, before it writes."""
    write_plans = planning.write_plans

    def edited_then_written(plans, **kwargs):
        edit()
        write_plans(plans, **kwargs)

    monkeypatch.setattr(planning, "write_plans", edited_then_written)


def assert_both_changes_kept(first: Resource, second: Resource) -> None:
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.name == "第一の会（改称）"  # the import's change
    assert (first.contact_phone, first.internal_notes, first.lat) == (
        "06-5555-5555",
        "鍵は管理人室",
        34.701,
    )  # the other edit's
    assert second.contact_phone == "06-2222-9999"
    entry = first.history.first()  # the import's history entry: the row as it now is
    assert (entry.name, entry.contact_phone, entry.history_type) == (
        "第一の会（改称）",
        "06-5555-5555",
        "~",
    )


def test_an_edit_of_other_fields_after_the_import_read_the_row_survives(areas, monkeypatch):
    """The same on every database, the edit made in the import's own transaction."""
    first, second = two_resources()
    edit_between_read_and_write(
        monkeypatch, lambda: Resource.objects.filter(pk=first.pk).update(**EDIT)
    )

    result = resources_import(FILE, filename="l.csv", dry_run=False)

    assert result.written and result.updated == 2
    assert_both_changes_kept(first, second)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a concurrent edit needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_edit_committed_in_another_connection_survives_the_import(areas, monkeypatch):
    first, second = two_resources()

    def edit_in_another_connection() -> None:
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:  # autocommit: committed at once
                cursor.execute(
                    "UPDATE resources_resource SET contact_phone = %s, internal_notes = %s,"
                    " lat = %s WHERE id = %s",
                    [EDIT["contact_phone"], EDIT["internal_notes"], EDIT["lat"], first.pk],
                )
                assert cursor.rowcount == 1
        finally:
            other.close()

    edit_between_read_and_write(monkeypatch, edit_in_another_connection)

    result = resources_import(FILE, filename="l.csv", dry_run=False)

    assert result.written and result.updated == 2
    assert_both_changes_kept(first, second)


def test_each_updated_row_writes_only_its_own_fields(areas):
    two_resources()
    updates: list[str] = []

    def record(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and "resources_resource" in sql.split("SET")[0]:
            updates.append(sql.split("SET")[1].split("WHERE")[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = resources_import(FILE, filename="l.csv", dry_run=False)

    assert result.updated == 2
    columns = sorted(sorted(c.split("=")[0].strip(' "') for c in sql.split(",")) for sql in updates)
    assert columns == [
        ["contact_phone", "updated_at"],
        ["name", "name_text", "search_bigrams", "search_text", "updated_at"],
    ]
