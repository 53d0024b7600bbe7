"""The admin answers as every other page does: forbidden is 404, like missing."""

from __future__ import annotations

from tests.conftest import make_user


def test_the_history_of_a_user_opens(client, db, city_staff):
    admin = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(f"/admin/portal/user/{city_staff.pk}/history/")
    assert response.status_code == 200
    assert "変更履歴: 市 職員" in response.content.decode()


def test_another_areas_resource_answers_404_in_the_admin(
    client, public_salon, minato_salon, minato_coordinator
):
    client.force_login(minato_coordinator)
    mine = client.get(f"/admin/resources/resource/{minato_salon.pk}/change/")
    assert mine.status_code == 200
    for page in ("change", "history", "delete"):
        other = client.get(f"/admin/resources/resource/{public_salon.pk}/{page}/")
        assert other.status_code == 404, page
    assert client.get("/admin/resources/resource/999999/change/").status_code == 404


def test_a_page_without_the_permission_answers_404(client, kita1_coordinator):
    client.force_login(kita1_coordinator)
    assert client.get("/admin/auth/group/add/").status_code == 404
    assert client.get("/admin/portal/user/add/").status_code == 404
