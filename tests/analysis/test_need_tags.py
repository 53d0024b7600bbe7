"""Need tags on the activity form: the categories heard, and 「該当する資源なし」."""

from __future__ import annotations

from coordinators.models import Activity
from resources.models import Category
from tests.coordinators.test_activity_create import URL, form_data


def test_a_coordinator_tags_what_was_heard_and_edits_it(client, profiles, kita1):
    client.force_login(profiles["kita1"].user)
    shopping = Category.objects.get(code="shopping")
    outing = Category.objects.get(code="outing")

    page = client.get(URL).content.decode()
    assert "聴き取ったニーズ" in page and "該当する資源なし" in page

    client.post(
        URL, form_data(kita1, needs=[str(shopping.pk), str(outing.pk)], no_matching_resource="on")
    )
    activity = Activity.objects.get()
    assert set(activity.needs.all()) == {shopping, outing}
    assert activity.no_matching_resource is True
    detail = client.get(f"/staff/activities/{activity.pk}/").content.decode()
    assert "買い物、外出" in detail or "外出、買い物" in detail
    assert "（該当する資源なし）" in detail

    client.post(f"/staff/activities/{activity.pk}/edit/", form_data(kita1, needs=[str(outing.pk)]))
    activity.refresh_from_db()
    assert list(activity.needs.all()) == [outing]
    assert activity.no_matching_resource is False
