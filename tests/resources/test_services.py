"""resources/services.py: what a write of a resource does, and what it leaves alone."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from portal.cache import data_version
from resources.models import Resource
from resources.services import resource_create, resource_update


def test_an_update_keeps_what_others_wrote_since_the_instance_was_read(public_salon):
    stale = Resource.objects.get(pk=public_salon.pk)
    resource_update(resource=public_salon, internal_notes="鍵は交番")

    resource_update(resource=stale, fee_amount=200)

    fresh = Resource.objects.get(pk=public_salon.pk)
    assert (fresh.internal_notes, fresh.fee_amount) == ("鍵は交番", 200)
    assert stale.internal_notes == "鍵は交番"  # the caller's instance is brought up to date


def test_a_change_that_changes_nothing_writes_nothing(public_salon):
    version, entries = data_version(), public_salon.history.count()

    resource_update(resource=public_salon, name=public_salon.name, categories=[
        *public_salon.categories.all()
    ])  # fmt: skip

    assert (data_version(), public_salon.history.count()) == (version, entries)


def test_a_bad_value_is_refused_in_japanese_and_nothing_is_written(public_salon):
    version = data_version()

    with pytest.raises(ValidationError) as refused:
        resource_update(resource=public_salon, fee_free=True, fee_amount=300)

    assert "無料の場合は参加費を空欄に" in " ".join(refused.value.message_dict["fee_amount"])
    public_salon.refresh_from_db()
    assert (public_salon.fee_free, data_version()) == (False, version)


def test_a_new_resource_without_a_name_is_refused(kita1):
    with pytest.raises(ValidationError) as refused:
        resource_create(name="", resource_type=Resource.Type.SALON)

    assert "name" in refused.value.message_dict
    assert not Resource.objects.exists()


@pytest.mark.parametrize("field", ["search_text", "schedule_days", "area_tier1", "updated_at"])
def test_derived_columns_cannot_be_written_by_hand(public_salon, field):
    with pytest.raises(TypeError, match=field):
        resource_update(resource=public_salon, **{field: None})
