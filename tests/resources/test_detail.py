"""GET /resources/<id>/: who sees which resource, and which fields of it."""

from __future__ import annotations

import pytest

from resources.services import resource_update
from tests.conftest import add_schedule

STAFF_ONLY_VALUES = ("山田 花子", "090-1111-2222", "鍵は管理人室")


def detail(client, resource):
    return client.get(f"/resources/{resource.pk}/")


def test_anonymous_gets_404_for_a_staff_only_resource(client, staff_only_cafe):
    response = detail(client, staff_only_cafe)

    assert response.status_code == 404
    assert "非公開の準備中カフェ" not in response.content.decode()


def test_a_care_manager_sees_a_staff_only_resource(client, care_manager, staff_only_cafe):
    client.force_login(care_manager)

    response = detail(client, staff_only_cafe)

    assert response.status_code == 200
    html = response.content.decode()
    assert "非公開の準備中カフェ" in html
    assert "関係者限定" in html


@pytest.mark.parametrize("role", ["kita1_coordinator", "minato_coordinator", "city_staff"])
def test_staff_roles_see_a_staff_only_resource(client, request, role, staff_only_cafe):
    client.force_login(request.getfixturevalue(role))

    assert detail(client, staff_only_cafe).status_code == 200


def test_a_missing_resource_is_404_like_a_staff_only_one(client, db):
    assert client.get("/resources/999999/").status_code == 404


def test_anonymous_sees_a_public_resource_without_its_staff_only_fields(
    client, public_salon, kita_coordinator
):
    resource_update(resource=public_salon, supporting_coordinator=kita_coordinator)

    response = detail(client, public_salon)

    assert response.status_code == 200
    html = response.content.decode()
    assert "梅田ふれあいサロン" in html
    for secret in (*STAFF_ONLY_VALUES, "kita_coord", "関係者限定の情報"):
        assert secret not in html


def test_a_care_manager_sees_the_related_fields_of_a_public_resource_but_no_internal_notes(
    client, care_manager, public_salon, kita_coordinator
):
    resource_update(resource=public_salon, supporting_coordinator=kita_coordinator)
    client.force_login(care_manager)

    html = detail(client, public_salon).content.decode()

    for value in ("山田 花子", "090-1111-2222", "関係者限定の情報"):
        assert value in html
    for secret in ("鍵は管理人室", "kita_coord", "内部メモ", "支援しているコーディネーター"):
        assert secret not in html


def test_a_coordinator_sees_every_staff_only_field_of_a_resource(
    client, kita1_coordinator, public_salon, kita_coordinator
):
    public_salon.supporting_coordinator = kita_coordinator
    public_salon.save()
    client.force_login(kita1_coordinator)

    html = detail(client, public_salon).content.decode()

    for value in (*STAFF_ONLY_VALUES, "kita_coord", "関係者限定の情報", "内部メモ"):
        assert value in html


def test_a_logged_in_user_without_a_role_sees_what_anonymous_sees(
    client, public_salon, staff_only_cafe
):
    from tests.conftest import make_user

    client.force_login(make_user("plain"))

    assert detail(client, staff_only_cafe).status_code == 404
    html = detail(client, public_salon).content.decode()
    for secret in STAFF_ONLY_VALUES:
        assert secret not in html


def test_the_detail_page_says_when_it_meets(client, public_salon):
    add_schedule(
        resource=public_salon, kind="weekly", weekdays="TU", opens_at="10:00", closes_at="11:30"
    )

    assert "毎週火曜 10:00〜11:30" in detail(client, public_salon).content.decode()


def test_the_detail_page_shows_the_public_phone_as_a_link(client, public_salon):
    resource_update(
        resource=public_salon, contact_name="梅田地域活動協議会", contact_phone="06-1234-5678"
    )

    assert 'href="tel:06-1234-5678"' in detail(client, public_salon).content.decode()
