"""The admin of areas and resources: who opens what, and what a change leaves behind."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms

from resources.models import Resource

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
    public_salon.location_source = Resource.LocationSource.ADDRESS_POINT
    public_salon.save()
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
