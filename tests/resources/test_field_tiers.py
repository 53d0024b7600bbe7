"""Field tiers, output by output: what each reader gets of one resource's fields.

- anonymous visitors: public fields of public resources, nothing else;
- a care manager (関係者): staff-only resources, the contact person and their
  phone — never the internal notes, the supporting coordinator or the verifier;
- a coordinator (担当): every field the output carries.

Open data, HSDS and the map data carry public fields only, for everyone.
Each staff-only field holds a canary value that appears nowhere else.
"""

from __future__ import annotations

import io
import json

import pytest
from django.contrib import admin
from django.test import RequestFactory
from openpyxl import load_workbook

from resources.models import Resource
from resources.presenter import readable_keys
from tests.conftest import make_resource, make_user
from tests.resources.test_print_pdf import pdf_text

# Field → the ways its canary may be written (display name, or login name in files).
RELATED_CANARIES = {
    "contact_person": ("山川カナリア",),
    "private_phone": ("090-7777-0001",),
}
IN_CHARGE_CANARIES = {
    "internal_notes": ("鍵はカナリア室",),
    "supporting_coordinator": ("支援カナリア", "canary_supporter"),
    "verified_by": ("確認カナリア", "canary_verifier"),
}
STAFF_ONLY_NAME = "カナリア準備中サロン"
STAFF_ONLY_CONTACT = "谷口カナリア"
EVERY_FIELD = (*RELATED_CANARIES, *IN_CHARGE_CANARIES)


@pytest.fixture
def canary(areas, exercise):
    supporter = make_user("canary_supporter", display_name="支援カナリア")
    verifier = make_user("canary_verifier", display_name="確認カナリア")
    public = make_resource(
        name="梅田カナリアサロン",
        lat=34.70,
        lng=135.49,
        categories=[exercise],
        contact_person="山川カナリア",
        private_phone="090-7777-0001",
        internal_notes="鍵はカナリア室",
        supporting_coordinator=supporter,
        verified_by=verifier,
    )
    make_resource(
        name=STAFF_ONLY_NAME,
        visibility=Resource.Visibility.STAFF,
        lat=34.701,
        lng=135.491,
        contact_person=STAFF_ONLY_CONTACT,
    )
    return public


def _xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for row in sheet.iter_rows(values_only=True)
    )


def _json_text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


# Each output: its URL, how to read it, and the staff-only fields it carries for
# a reader who may read them all (empty: a public output for everyone).
OUTPUTS = {
    "detail": (lambda r: f"/resources/{r.pk}/", lambda resp: resp.content.decode(), EVERY_FIELD),
    "sheet_pdf": (
        lambda r: f"/resources/{r.pk}/sheet.pdf?staff=1",
        lambda resp: pdf_text(resp.content),
        ("contact_person", "private_phone", "internal_notes", "supporting_coordinator"),
    ),
    "list_pdf": (
        lambda r: "/resources/print.pdf?area=27127&staff=1",
        lambda resp: pdf_text(resp.content),
        ("contact_person", "private_phone", "internal_notes", "supporting_coordinator"),
    ),
    "area_map_pdf": (
        lambda r: "/areas/27127/map.pdf?staff=1",
        lambda resp: pdf_text(resp.content),
        ("contact_person", "private_phone", "internal_notes", "supporting_coordinator"),
    ),
    "csv": (
        lambda r: "/staff/export/?download=1&format=csv",
        lambda resp: resp.content.decode("utf-8-sig"),
        EVERY_FIELD,
    ),
    "xlsx": (
        lambda r: "/staff/export/?download=1&format=xlsx",
        lambda resp: _xlsx_text(resp.content),
        EVERY_FIELD,
    ),
    "open_data": (
        lambda r: "/opendata/resources.csv",
        lambda resp: resp.content.decode("utf-8-sig"),
        (),
    ),
    "hsds_list": (lambda r: "/api/hsds/services", _json_text, ()),
    "hsds_service": (lambda r: f"/api/hsds/services/{r.pk}", _json_text, ()),
    "geojson": (
        lambda r: "/resources/map.geojson",
        lambda resp: _json_text(resp),
        (),
    ),
    "admin_change": (
        lambda r: f"/admin/resources/resource/{r.pk}/change/",
        lambda resp: resp.content.decode(),
        EVERY_FIELD,
    ),
}
# Outputs that only staff receive (an anonymous visitor gets 404 or the login page).
STAFF_OUTPUTS = {"csv", "xlsx", "admin_change"}
# Outputs a care manager does not receive at all (the admin is for 担当).
NOT_FOR_CARE_MANAGERS = {"admin_change"}


def get(client, name: str, resource: Resource):
    url, read, _carries = OUTPUTS[name]
    response = client.get(url(resource))
    body = read(response) if response.status_code == 200 else response.content.decode()
    return response, body


def present(body: str, field: str) -> bool:
    forms = {**RELATED_CANARIES, **IN_CHARGE_CANARIES}[field]
    return any(form in body for form in forms)


@pytest.mark.parametrize("name", OUTPUTS)
def test_an_anonymous_visitor_gets_no_staff_only_field_or_resource(client, canary, name):
    response, body = get(client, name, canary)

    if name in STAFF_OUTPUTS:
        assert response.status_code in (302, 404), name
    else:
        assert response.status_code == 200, name
        assert "梅田カナリアサロン" in body, name
    for field in EVERY_FIELD:
        assert not present(body, field), f"{field} in {name}"
    assert STAFF_ONLY_NAME not in body and STAFF_ONLY_CONTACT not in body


@pytest.mark.parametrize("name", OUTPUTS)
def test_a_care_manager_gets_the_related_fields_and_never_the_internal_ones(
    client, canary, care_manager, name
):
    client.force_login(care_manager)

    response, body = get(client, name, canary)

    for field in IN_CHARGE_CANARIES:
        assert not present(body, field), f"{field} in {name}"
    if name in NOT_FOR_CARE_MANAGERS:
        assert response.status_code == 302 and "/login/" in response["Location"]
        return
    assert response.status_code == 200, name
    carries = OUTPUTS[name][2]
    for field in RELATED_CANARIES:
        assert present(body, field) == (field in carries), f"{field} in {name}"


@pytest.mark.parametrize("name", OUTPUTS)
def test_a_coordinator_gets_every_field_the_output_carries(client, canary, kita1_coordinator, name):
    client.force_login(kita1_coordinator)

    response, body = get(client, name, canary)

    assert response.status_code == 200, name
    carries = OUTPUTS[name][2]
    for field in EVERY_FIELD:
        assert present(body, field) == (field in carries), f"{field} in {name}"


@pytest.mark.parametrize("name", ["detail", "list_pdf", "csv", "geojson"])
def test_the_staff_only_resource_reaches_care_managers_and_coordinators(
    client, canary, care_manager, kita1_coordinator, name
):
    for reader in (care_manager, kita1_coordinator):
        client.force_login(reader)
        if name == "detail":
            resource = Resource.objects.get(name=STAFF_ONLY_NAME)
            _response, body = get(client, name, resource)
        else:
            _response, body = get(client, name, canary)
        assert STAFF_ONLY_NAME in body, (reader, name)


def test_the_admin_never_builds_a_field_above_the_readers_tier(canary, care_manager):
    """A care manager given admin rights by hand still gets no 担当 field in the form."""
    request = RequestFactory().get("/admin/")
    request.user = care_manager
    resource_admin = admin.site._registry[Resource]

    fields = {
        name
        for _title, options in resource_admin.get_fieldsets(request, canary)
        for name in options["fields"]
    }

    assert {"contact_person", "private_phone"} <= fields
    assert not fields & set(IN_CHARGE_CANARIES)
    assert not set(resource_admin.get_form(request, canary).base_fields) & set(IN_CHARGE_CANARIES)


def test_the_admin_sections_of_tiered_fields_are_the_policys_list(canary, city_staff):
    from resources.policy import FIELD_TIERS

    request = RequestFactory().get("/admin/")
    request.user = city_staff
    fieldsets = dict(admin.site._registry[Resource].get_fieldsets(request, canary))

    assert set(fieldsets["関係者限定"]["fields"]) | set(fieldsets["担当者限定"]["fields"]) == set(
        FIELD_TIERS
    )


def test_every_model_field_not_in_the_tiers_is_public_and_the_tiers_nest():
    from portal.roles import Reader

    public, related, in_charge = (set(readable_keys(t)) for t in Reader)

    assert public < related < in_charge
    assert related - public == set(RELATED_CANARIES)
    assert in_charge - related == set(IN_CHARGE_CANARIES)
