"""resources.importing.columns: the column registry of the resource import and export.
Which columns are staff-only is the field policy's answer, not a second list."""

from __future__ import annotations

from portal.roles import Reader
from resources import policy
from resources.importing import COLUMN_REGISTRY, COLUMNS, IMPORTABLE_KEYS
from resources.importing.columns import Column


def test_the_staff_only_columns_are_the_fields_of_the_policys_tiers():
    assert {c.key for c in COLUMNS if c.staff_only} == set(policy.FIELD_TIERS)
    assert {c.key: c.tier for c in COLUMNS if c.staff_only} == policy.FIELD_TIERS
    assert all(c.tier == Reader.PUBLIC for c in COLUMNS if not c.staff_only)


def test_a_field_moved_to_another_tier_moves_its_column(monkeypatch):
    monkeypatch.setitem(policy.FIELD_TIERS, "contact_phone", Reader.RELATED)
    monkeypatch.delitem(policy.FIELD_TIERS, "verified_by")
    by_key = {c.key: c for c in COLUMNS}

    assert by_key["contact_phone"].staff_only and by_key["contact_phone"].tier == Reader.RELATED
    assert not by_key["verified_by"].staff_only


def test_the_registry_reads_every_importable_column_by_its_export_header():
    assert COLUMN_REGISTRY.anchor == "name"
    # The hours per kind of day (運営日（平日）－開始 …) are read by their headers only.
    hidden = [k for k in IMPORTABLE_KEYS if k not in COLUMN_REGISTRY.importable_keys]
    assert len(hidden) == 27 and all(k.startswith(("hours_", "opens_", "closes_")) for k in hidden)
    assert all(COLUMN_REGISTRY.lookup(c.header) == (c.key, 0) for c in COLUMNS)
    assert Column("x", "X").export and not Column("x", "X").read_only
