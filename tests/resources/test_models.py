"""resources.models.Resource: validation, code, search text, history."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from portal.text import normalize
from resources.models import Resource
from resources.services import resource_update
from tests.conftest import make_resource


def refusal(resource: Resource, *, full: bool = True) -> dict[str, str]:
    with pytest.raises(ValidationError) as refused:
        resource.full_clean() if full else resource.clean()
    return {field: " ".join(messages) for field, messages in refused.value.message_dict.items()}


def valid_resource(**fields) -> Resource:
    return Resource(
        **{"name": "梅田ふれあいサロン", "resource_type": Resource.Type.SALON, **fields}
    )


def test_a_latitude_without_a_longitude_is_refused(db):
    errors = refusal(valid_resource(lat=34.70), full=False)

    assert "緯度と経度は両方入力するか" in errors["lng"]


def test_a_longitude_without_a_latitude_is_refused(db):
    errors = refusal(valid_resource(lng=135.49), full=False)

    assert "緯度と経度は両方入力するか" in errors["lat"]


def test_swapped_latitude_and_longitude_are_pointed_out(db):
    errors = refusal(valid_resource(lat=135.49, lng=34.70), full=False)

    assert "緯度と経度が逆になっていないか" in errors["lat"]


def test_a_latitude_of_100_is_refused_in_japanese(db):
    errors = refusal(valid_resource(lat=100, lng=135.49))

    assert "緯度は -90〜90 の範囲で入力してください" in errors["lat"]


def test_a_longitude_of_200_is_refused_in_japanese(db):
    errors = refusal(valid_resource(lat=34.70, lng=200))

    assert "経度は -180〜180 の範囲で入力してください" in errors["lng"]


def test_a_point_in_osaka_is_valid(db):
    valid_resource(lat=34.70, lng=135.49).full_clean()


def test_the_database_refuses_a_latitude_out_of_range_even_without_validation(db):
    with pytest.raises(IntegrityError):
        Resource.objects.create(
            name="範囲外", resource_type=Resource.Type.SALON, lat=100, lng=135.49
        )


def test_a_free_resource_cannot_have_a_fee(db):
    errors = refusal(valid_resource(fee_free=True, fee_amount=300), full=False)

    assert "無料の場合は参加費を空欄に" in errors["fee_amount"]


def test_a_locked_area_needs_an_area(db):
    errors = refusal(valid_resource(area_locked=True), full=False)

    assert "区域を選んでください" in errors["area"]


def test_a_new_resource_gets_a_code_from_its_number(db):
    resource = make_resource(name="梅田ふれあいサロン")

    assert re.fullmatch(r"R\d{6}", resource.code)
    assert resource.code == f"R{resource.pk:06d}"
    resource.refresh_from_db()
    assert resource.code == f"R{resource.pk:06d}"


def test_a_code_given_on_import_is_kept(db):
    resource = make_resource(name="梅田ふれあいサロン", code="KITA-0001")

    resource.refresh_from_db()
    assert resource.code == "KITA-0001"


def test_codes_of_two_new_resources_differ(db):
    first = make_resource(name="一つ目")
    second = make_resource(name="二つ目")

    assert first.code != second.code


def test_search_text_is_normalised_on_save(db):
    resource = make_resource(
        name="ｻﾛﾝ ひだまり",
        kana="さろんひだまり",
        venue="梅田会館　２Ｆ",
        address="大阪市北区梅田1-2-3",
    )

    resource.refresh_from_db()
    assert "さろん" in resource.search_text
    assert "梅田会館2f" in resource.search_text
    assert " " not in resource.search_text and "　" not in resource.search_text
    assert normalize("サロンひだまり") in resource.search_text


def test_search_text_follows_a_renamed_resource(db):
    resource = make_resource(name="梅田ふれあいサロン")

    resource_update(resource=resource, name="梅田いきいき体操")

    resource.refresh_from_db()
    assert "いきいき体操" in resource.search_text
    assert "ふれあい" not in resource.search_text


def test_a_change_is_recorded_in_the_history(db):
    resource = make_resource(name="梅田ふれあいサロン")
    before = resource.history.count()

    resource_update(resource=resource, name="梅田ふれあいサロン（新）")

    assert resource.history.count() == before + 1
    latest, previous = resource.history.all()[:2]
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(previous).changes}
    assert changes["name"] == ("梅田ふれあいサロン", "梅田ふれあいサロン（新）")


def test_the_history_shows_only_the_field_that_was_changed(db):
    resource = make_resource(name="梅田ふれあいサロン")

    resource_update(resource=resource, name="梅田ふれあいサロン（新）")

    latest, previous = resource.history.all()[:2]
    assert latest.diff_against(previous).changed_fields == ["name"]


def test_the_first_history_entry_carries_the_resource_code(db):
    resource = make_resource(name="梅田ふれあいサロン")

    assert resource.history.earliest().code == resource.code


def test_a_location_far_outside_a_locked_area_is_warned_about(areas):
    resource = make_resource(
        name="港区の体操", area=areas["minato1"], area_locked=True, lat=34.70, lng=135.49
    )

    warnings = [str(w) for w in resource.location_warnings()]

    assert len(warnings) == 1
    assert "港区 第1圏域" in warnings[0] and "km 離れています" in warnings[0]


def test_a_location_inside_its_area_has_no_warning(public_salon):
    assert public_salon.location_warnings() == []


def test_a_resource_links_to_its_detail_page(public_salon):
    assert public_salon.get_absolute_url() == f"/resources/{public_salon.pk}/"
