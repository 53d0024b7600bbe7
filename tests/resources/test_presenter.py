"""resources/presenter.py: a view holds exactly what its reader may read."""

from __future__ import annotations

import pytest
from django.template import TemplateSyntaxError, engines

from portal.roles import Reader
from resources.presenter import resource_fields, row_fields
from tests.resources.test_models import valid_resource


def test_known_values_pass_the_same_tier_check(public_salon):
    view = resource_fields(
        public_salon, Reader.PUBLIC, known={"internal_notes": "鍵は管理人室", "area_label": "X"}
    )

    assert "internal_notes" not in view
    with pytest.raises(KeyError):
        view["internal_notes"]
    assert view["area_label"] == "X"


def test_a_known_value_must_be_a_field_of_the_view(public_salon):
    with pytest.raises(KeyError, match="not_a_field"):
        resource_fields(public_salon, Reader.IN_CHARGE, known={"not_a_field": 1})


def test_a_template_cannot_reach_a_hidden_field_or_the_model(public_salon):
    template = engines["django"].from_string(
        "[{{ r.name }}|{{ r.internal_notes }}|{{ r.contact_person }}"
        "|{% if 'contact_person' in r %}yes{% else %}no{% endif %}]"
    )

    public = template.render({"r": resource_fields(public_salon, Reader.PUBLIC)})
    related = template.render({"r": resource_fields(public_salon, Reader.RELATED)})

    assert public == "[梅田ふれあいサロン|||no]"
    assert related == "[梅田ふれあいサロン||山田 花子|yes]"
    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{{ r._source.internal_notes }}")


def test_a_view_works_a_value_out_once_and_only_when_read(public_salon, django_assert_num_queries):
    view = resource_fields(public_salon, Reader.PUBLIC)

    with django_assert_num_queries(1):
        assert [c.code for c in view["categories"]] == ["exercise"]
        assert view["color"] == view["first_category"].color
        view["categories"]


def test_a_row_view_reads_the_rows_columns(db):
    view = row_fields(
        {"pk": 7, "name": "サロン", "resource_type": "salon", "visibility": "staff"},
        Reader.RELATED,
    )

    assert (view["pk"], view["type_label"], view["is_staff_only"]) == (7, "通いの場・サロン", True)
    assert str(view) == "サロン"


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"fee_free": True}, "無料"),
        ({"fee_amount": 1000}, "1,000円"),
        ({"fee_amount": 100, "fee_note": "お茶代"}, "100円 お茶代"),
        ({}, ""),
    ],
)
def test_the_fee_is_written_as_people_read_it(fields, text):
    assert resource_fields(valid_resource(**fields), Reader.PUBLIC)["fee_text"] == text
