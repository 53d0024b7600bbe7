"""The admin of areas and resources: who opens what, and what a change leaves behind."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.text import search_key
from resources.models import Category, Resource
from resources.services import resource_update

AREAS_URL = "/admin/portal/area/"
RESOURCES_URL = "/admin/resources/resource/"


def change_url(resource: Resource) -> str:
    return f"{RESOURCES_URL}{resource.pk}/change/"


def _as_post_value(value):
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [str(getattr(v, "pk", v)) for v in value]
    return str(getattr(value, "pk", value))


def _form_fields(form, data: dict) -> None:
    for bound in form:
        value = bound.value()
        if bound.field.show_hidden_initial:  # the value the page showed, as a hidden input
            data[bound.html_initial_name] = _as_post_value(value)
        multiple = isinstance(
            bound.field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)
        )
        if value is False or (value is None and multiple):
            continue  # an unticked checkbox or an empty multiple choice sends nothing
        if value is True:
            data[bound.html_name] = "on"
        else:
            data[bound.html_name] = _as_post_value(value)


def form_data(response, **changes) -> dict:
    """What the browser would post back from an admin change page, with ``changes``."""
    data: dict = {}
    _form_fields(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _form_fields(formset.management_form, data)
        for form in formset.forms:
            _form_fields(form, data)
    data.update(changes)
    return data


def listed_names(response) -> set[str]:
    return set(
        re.findall(r'<th class="field-name"><a href="[^"]+">([^<]+)</a>', response.content.decode())
    )


# City staff


def test_city_staff_open_the_area_list(client, city_staff, areas):
    client.force_login(city_staff)

    response = client.get(AREAS_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "北区 第1圏域" in html and "港区" in html


def test_city_staff_open_an_area_with_its_boundary_map(client, city_staff, areas):
    client.force_login(city_staff)

    response = client.get(f"{AREAS_URL}{areas['kita'].pk}/change/")

    assert response.status_code == 200
    assert "boundary-preview" in response.content.decode()


def test_city_staff_see_every_resource_in_the_list(
    client, city_staff, areas, public_salon, staff_only_cafe, minato_salon
):
    client.force_login(city_staff)

    response = client.get(RESOURCES_URL)

    assert response.status_code == 200
    assert listed_names(response) == {
        "梅田ふれあいサロン",
        "非公開の準備中カフェ",
        "築港いきいき百歳体操",
    }


def test_the_resource_change_page_has_the_location_picker(client, city_staff, public_salon):
    client.force_login(city_staff)

    response = client.get(change_url(public_salon))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="location-picker"' in html
    assert 'data-lng-name="lng"' in html
    assert "梅田ふれあいサロン" in html


def test_the_add_page_has_the_location_picker_too(client, city_staff, areas):
    client.force_login(city_staff)

    response = client.get(f"{RESOURCES_URL}add/")

    assert response.status_code == 200
    assert 'class="location-picker"' in response.content.decode()


def test_a_change_through_the_admin_is_recorded_in_the_history(client, city_staff, public_salon):
    client.force_login(city_staff)
    before = public_salon.history.count()

    page = client.get(change_url(public_salon))
    response = client.post(
        change_url(public_salon), form_data(page, name="梅田ふれあいサロン（改）")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    public_salon.refresh_from_db()
    assert public_salon.name == "梅田ふれあいサロン（改）"
    assert public_salon.history.count() == before + 1
    latest = public_salon.history.first()
    assert latest.history_user == city_staff
    assert "name" in latest.diff_against(latest.prev_record).changed_fields


def test_a_schedule_added_through_the_admin_reads_in_japanese(client, city_staff, public_salon):
    client.force_login(city_staff)
    page = client.get(change_url(public_salon))
    data = form_data(page)
    data.update(
        {
            "schedules-TOTAL_FORMS": "1",
            "schedules-0-kind": "monthly_nth",
            "schedules-0-weekdays": ["WE"],
            "schedules-0-weeks_of_month": "1,3",
            "schedules-0-opens_at": "13:30",
            "schedules-0-closes_at": "15:00",
        }
    )

    response = client.post(change_url(public_salon), data)

    assert response.status_code == 302
    assert public_salon.schedule_text() == "第1・3水曜 13:30〜15:00"


def test_an_admin_schedule_closing_before_it_opens_is_refused(client, city_staff, public_salon):
    client.force_login(city_staff)
    data = form_data(client.get(change_url(public_salon)))
    data.update(
        {
            "schedules-TOTAL_FORMS": "1",
            "schedules-0-kind": "weekly",
            "schedules-0-weekdays": ["TU"],
            "schedules-0-opens_at": "11:30",
            "schedules-0-closes_at": "10:00",
        }
    )

    response = client.post(change_url(public_salon), data)

    assert response.status_code == 200
    assert "終了時刻は開始時刻より後にしてください" in response.content.decode()
    assert not public_salon.schedules.exists()


def test_moving_the_pin_by_hand_makes_the_location_exact(client, city_staff, public_salon):
    resource_update(resource=public_salon, location_source=Resource.LocationSource.ADDRESS_POINT)
    client.force_login(city_staff)
    data = form_data(client.get(change_url(public_salon)), lat="34.72", lng="135.51")

    client.post(change_url(public_salon), data)

    public_salon.refresh_from_db()
    assert (public_salon.lat, public_salon.lng) == (34.72, 135.51)
    assert public_salon.location_source == Resource.LocationSource.EXACT


# Coordinators


def test_a_coordinator_sees_only_resources_of_own_areas_in_the_list(
    client, minato_coordinator, areas, public_salon, staff_only_cafe, minato_salon
):
    client.force_login(minato_coordinator)

    response = client.get(RESOURCES_URL)

    assert response.status_code == 200
    assert listed_names(response) == {"築港いきいき百歳体操"}


def test_a_minato_coordinator_cannot_open_a_kita_resource(
    client, minato_coordinator, areas, public_salon
):
    client.force_login(minato_coordinator)

    response = client.get(change_url(public_salon))

    assert response.status_code in (302, 404)
    assert "梅田ふれあいサロン" not in response.content.decode()
    assert "鍵は管理人室" not in response.content.decode()


def test_a_minato_coordinator_cannot_change_a_kita_resource_by_post(
    client, city_staff, minato_coordinator, areas, public_salon
):
    # A complete form, as city staff would send it; the area left blank, as a
    # 港区 coordinator may not choose a 北区 area.
    client.force_login(city_staff)
    data = form_data(client.get(change_url(public_salon)), name="乗っ取り", area="")
    client.force_login(minato_coordinator)
    before = public_salon.history.count()

    client.post(change_url(public_salon), data)

    public_salon.refresh_from_db()
    assert public_salon.name == "梅田ふれあいサロン"
    assert public_salon.history.count() == before


def test_a_kita_coordinator_opens_a_resource_of_a_kita_district(
    client, kita_coordinator, areas, public_salon
):
    client.force_login(kita_coordinator)

    response = client.get(change_url(public_salon))

    assert response.status_code == 200
    assert "梅田ふれあいサロン" in response.content.decode()


def test_a_coordinator_chooses_only_among_own_areas(client, minato_coordinator, areas):
    client.force_login(minato_coordinator)

    response = client.get(f"{RESOURCES_URL}add/")

    select = re.search(r'<select name="area".*?</select>', response.content.decode(), re.S).group(0)
    assert "港区 第1圏域" in select
    assert "北区" not in select


def test_a_minato_coordinator_cannot_open_the_history_of_a_kita_resource(
    client, minato_coordinator, areas, public_salon
):
    client.force_login(minato_coordinator)

    response = client.get(f"{change_url(public_salon)[: -len('change/')]}history/")

    assert response.status_code in (302, 404)
    assert "梅田ふれあいサロン" not in response.content.decode()


def test_a_coordinator_adds_a_resource_in_own_area(client, minato_coordinator, areas):
    client.force_login(minato_coordinator)
    data = form_data(
        client.get(f"{RESOURCES_URL}add/"),
        name="築港ふれあい喫茶",
        resource_type="salon",
        lat="34.66",
        lng="135.44",
        area=str(areas["minato1"].pk),
    )

    response = client.post(f"{RESOURCES_URL}add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    added = Resource.objects.get(name="築港ふれあい喫茶")
    assert added.area == areas["minato1"]


def test_a_coordinator_cannot_place_a_new_resource_outside_own_areas(
    client, minato_coordinator, areas
):
    client.force_login(minato_coordinator)
    # 港区 第1圏域 chosen, but the pin is in 北区 第1圏域: the point would move it.
    data = form_data(
        client.get(f"{RESOURCES_URL}add/"),
        name="越境サロン",
        resource_type="salon",
        lat="34.70",
        lng="135.49",
        area=str(areas["minato1"].pk),
    )

    client.post(f"{RESOURCES_URL}add/", data)

    editable = Resource.objects.filter(area__in=[areas["minato"], areas["minato1"]])
    assert set(Resource.objects.filter(name="越境サロン")) <= set(editable)


def history_version_url(resource: Resource) -> str:
    return f"{RESOURCES_URL}{resource.pk}/history/{resource.history.first().history_id}/"


def test_a_minato_coordinator_cannot_see_a_past_version_of_a_kita_resource(
    client, minato_coordinator, areas, public_salon
):
    client.force_login(minato_coordinator)

    response = client.get(history_version_url(public_salon))

    assert response.status_code in (302, 403, 404)
    assert "鍵は管理人室" not in response.content.decode()


def test_a_minato_coordinator_cannot_revert_a_kita_resource_from_its_history(
    client, city_staff, minato_coordinator, areas, public_salon
):
    client.force_login(city_staff)
    # The form as the browser would send it; the area left blank, as a 港区
    # coordinator may not choose a 北区 area.
    data = form_data(client.get(change_url(public_salon)), name="乗っ取り", area="")
    client.force_login(minato_coordinator)

    client.post(history_version_url(public_salon), data)

    public_salon.refresh_from_db()
    assert public_salon.name == "梅田ふれあいサロン"


@pytest.mark.parametrize("role", ["care_manager", "anonymous"])
def test_people_without_admin_access_are_sent_to_log_in(client, request, role, public_salon):
    user = request.getfixturevalue(role)
    if user.is_authenticated:
        client.force_login(user)

    response = client.get(change_url(public_salon))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


# The save path: one write through the services


def _schedules(*days: str) -> dict:
    data = {"schedules-TOTAL_FORMS": str(len(days))}
    for index, day in enumerate(days):
        data |= {
            f"schedules-{index}-kind": "weekly",
            f"schedules-{index}-weekdays": [day],
            f"schedules-{index}-opens_at": "10:00",
            f"schedules-{index}-closes_at": "11:00",
        }
    return data


def _version_moves(captured) -> int:
    return sum(q["sql"].startswith('UPDATE "portal_dataversion"') for q in captured)


def test_a_resource_added_with_categories_and_three_schedules_is_one_write(
    client, city_staff, areas, django_assert_max_num_queries
):
    client.force_login(city_staff)
    exercise, social = Category.objects.get(code="exercise"), Category.objects.get(code="social")
    data = form_data(
        client.get(f"{RESOURCES_URL}add/"),
        name="梅田ふれあいサロン",
        resource_type="salon",
        lat="34.70",
        lng="135.49",
        categories=[str(exercise.pk), str(social.pk)],
    ) | _schedules("MO", "WE", "FR")

    with CaptureQueriesContext(connection) as captured:
        response = client.post(f"{RESOURCES_URL}add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _version_moves(captured.captured_queries) == 1
    added = Resource.objects.get(name="梅田ふれあいサロン")
    assert added.area == areas["kita1"]
    assert set(added.categories.all()) == {exercise, social}
    assert added.schedule_text() == (
        "毎週月曜 10:00〜11:00 / 毎週水曜 10:00〜11:00 / 毎週金曜 10:00〜11:00"
    )
    assert (added.history.count(), added.history.get().history_user) == (1, city_staff)


def test_a_change_of_categories_and_schedules_is_one_write(client, city_staff, public_salon):
    client.force_login(city_staff)
    social = Category.objects.get(code="social")
    data = form_data(
        client.get(change_url(public_salon)),
        name="梅田ふれあいサロン（改）",
        categories=[str(social.pk)],
    ) | _schedules("TU", "TH", "SA")
    before = public_salon.history.count()

    with CaptureQueriesContext(connection) as captured:
        response = client.post(change_url(public_salon), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _version_moves(captured.captured_queries) == 1
    public_salon.refresh_from_db()
    assert list(public_salon.categories.all()) == [social]
    assert public_salon.schedule_text().startswith("毎週火曜 10:00〜11:00")
    assert public_salon.schedule_days == 0b0101010  # TU, TH, SA: the search filters follow
    assert public_salon.history.count() == before + 1


def test_an_unchanged_form_writes_nothing(client, city_staff, public_salon):
    client.force_login(city_staff)
    data = form_data(client.get(change_url(public_salon)))
    before = public_salon.history.count()

    with CaptureQueriesContext(connection) as captured:
        response = client.post(change_url(public_salon), data)

    assert response.status_code == 302
    assert _version_moves(captured.captured_queries) == 0
    assert public_salon.history.count() == before


def test_an_edit_writes_only_the_fields_the_person_changed(client, city_staff, public_salon):
    client.force_login(city_staff)
    page = client.get(change_url(public_salon))
    # Meanwhile, someone else changes the internal notes.
    resource_update(resource=Resource.objects.get(pk=public_salon.pk), internal_notes="鍵は交番")

    client.post(change_url(public_salon), form_data(page, name="梅田ふれあいサロン（改）"))

    public_salon.refresh_from_db()
    assert public_salon.name == "梅田ふれあいサロン（改）"
    assert public_salon.internal_notes == "鍵は交番"


def test_deleting_in_the_admin_takes_the_resource_off_the_public_pages(
    client, city_staff, public_salon
):
    assert "梅田ふれあいサロン" in client.get("/resources/").content.decode()  # now cached
    client.force_login(city_staff)

    client.post(f"{RESOURCES_URL}{public_salon.pk}/delete/", {"post": "yes"})

    client.logout()
    assert not Resource.objects.filter(pk=public_salon.pk).exists()
    assert "梅田ふれあいサロン" not in client.get("/resources/").content.decode()


def test_reverting_to_a_past_version_writes_it_back_once(client, city_staff, public_salon):
    first = public_salon.history.earliest()
    resource_update(resource=public_salon, name="梅田ふれあいサロン（改）", fee_amount=300)
    client.force_login(city_staff)
    url = f"{change_url(public_salon)[: -len('change/')]}history/{first.history_id}/"
    data: dict = {}
    _form_fields(client.get(url).context["adminform"].form, data)

    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data)

    assert response.status_code == 302
    assert _version_moves(captured.captured_queries) == 1
    public_salon.refresh_from_db()
    assert (public_salon.name, public_salon.fee_amount) == ("梅田ふれあいサロン", None)
    assert public_salon.history.first().history_user == city_staff


def test_renaming_a_category_in_the_admin_renames_it_in_search(client, city_staff, public_salon):
    """A category's name is in the search text of its resources: after the rename
    the new name finds them and the old one no longer does."""
    category = public_salon.categories.get()
    url = f"/admin/resources/category/{category.pk}/change/"
    client.force_login(city_staff)

    page = client.get(url)
    response = client.post(url, form_data(page, name="いきいき筋トレ"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    found = client.get("/resources/", {"q": "筋トレ"}).content.decode()
    assert "梅田ふれあいサロン" in found
    public_salon.refresh_from_db()
    assert search_key("いきいき筋トレ") in public_salon.search_text.split("|")
    assert search_key(category.name) not in public_salon.search_text.split("|")


def test_deleting_a_category_in_the_admin_takes_its_name_out_of_search(client, public_salon):
    from portal.models import User

    category = public_salon.categories.get()
    assert search_key(category.name) in public_salon.search_text.split("|")
    client.force_login(User.objects.create_superuser("admin", "admin@example.jp", "x"))

    response = client.post(f"/admin/resources/category/{category.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Category.objects.filter(pk=category.pk).exists()
    public_salon.refresh_from_db()
    assert search_key(category.name) not in public_salon.search_text.split("|")
