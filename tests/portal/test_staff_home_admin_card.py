"""/staff/: the 管理画面 (Django admin) card only for users who work in the admin."""

from __future__ import annotations

from django.contrib.auth.models import Permission

from tests.conftest import make_user

ADMIN_CARD = "区域・カテゴリ・利用者など"


def staff_home(client, user) -> str:
    client.force_login(user)
    response = client.get("/staff/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_coordinator_does_not_see_the_admin_card(client, kita1_coordinator):
    html = staff_home(client, kita1_coordinator)
    assert "スタッフのページ" in html
    assert ADMIN_CARD not in html
    assert 'href="/admin/"' not in html


def test_city_staff_and_superusers_see_it(client, city_staff, db):
    assert ADMIN_CARD in staff_home(client, city_staff)
    root = make_user("root", is_staff=True, is_superuser=True)
    assert ADMIN_CARD in staff_home(client, root)


def test_a_staff_account_with_admin_permissions_of_its_own_sees_it(client, kita1_coordinator):
    kita1_coordinator.user_permissions.add(Permission.objects.get(codename="change_user"))
    assert ADMIN_CARD in staff_home(client, kita1_coordinator)


def test_a_city_staff_member_without_staff_status_does_not_see_it(client, db):
    from portal.roles import GROUP_CITY_STAFF

    clerk = make_user("clerk", GROUP_CITY_STAFF, is_staff=False)
    assert ADMIN_CARD not in staff_home(client, clerk)
