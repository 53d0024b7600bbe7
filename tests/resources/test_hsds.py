"""The HSDS 3.0 API: valid against the Open Referral schema, paginated, public data only."""

from __future__ import annotations

import json
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from resources import hsds
from resources.models import Category, Resource, Target
from tests.conftest import add_schedule, make_resource

SCHEMAS = Path(__file__).resolve().parents[2] / "fixtures" / "hsds" / "schema"
SERVICE = json.loads((SCHEMAS / "compiled" / "service_with_definitions.json").read_text())
SERVICE_LIST = json.loads((SCHEMAS / "compiled" / "service_list.json").read_text())
PAGE = json.loads((SCHEMAS / "openapi.json").read_text())["components"]["schemas"]["Page"]
LIST_URL = "/api/hsds/services"


def assert_valid(instance: dict, schema: dict) -> None:
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.fixture
def services(areas):
    exercise = Category.objects.get(code="exercise")
    salon = make_resource(
        code="R-1",
        name="梅田ふれあいサロン",
        description="お茶とおしゃべりの会",
        address="大阪市北区梅田1丁目2-3",
        postal_code="530-0001",
        lat=34.70,
        lng=135.49,
        categories=[exercise],
        fee_amount=100,
        fee_note="お茶代",
        organiser="梅田町会",
        organiser_kind=Resource.OrganiserKind.RESIDENTS,
        contact_name="梅田町会",
        contact_phone="06-0000-0000",
        contact_email="umeda@example.jp",
        url="https://example.jp/umeda",
        how_to_join="直接会場へ",
        contact_person="山田 花子",
        private_phone="090-1111-2222",
        internal_notes="鍵は管理人室",
    )
    salon.targets.set([Target.objects.get(code="age65")])
    add_schedule(
        resource=salon,
        kind="monthly_nth",
        weekdays="WE",
        weeks_of_month="1,3",
        opens_at=clock(13, 30),
        closes_at=clock(15),
    )
    add_schedule(
        resource=salon, kind="weekly", weekdays="TU,FR", opens_at=clock(10), closes_at=clock(11, 30)
    )
    add_schedule(resource=salon, kind="monthly_date", day_of_month=15)
    add_schedule(resource=salon, kind="irregular", note="夏は休み")
    free = make_resource(
        code="R-2", name="築港いきいき百歳体操", fee_free=True, status=Resource.Status.PAUSED
    )
    staff_only = make_resource(
        code="R-3",
        name="非公開の準備中カフェ",
        visibility=Resource.Visibility.STAFF,
        lat=34.701,
        lng=135.491,
    )
    return {"salon": salon, "free": free, "staff_only": staff_only}


def test_every_listed_service_is_a_valid_hsds_service(client, services):
    page = client.get(LIST_URL).json()

    assert_valid(page, PAGE)
    assert page["contents"]
    for service in page["contents"]:
        assert_valid(service, SERVICE)
        assert_valid(service, SERVICE_LIST)


def test_a_service_by_its_id_is_valid_and_complete(client, services):
    salon = services["salon"]

    response = client.get(f"{LIST_URL}/{hsds.service_id(salon.pk)}")

    assert response.status_code == 200
    service = response.json()
    assert_valid(service, SERVICE)
    assert service["name"] == "梅田ふれあいサロン"
    assert service["status"] == "active"
    assert service["fees_description"] == "100円 お茶代"
    assert service["eligibility_description"] == "65歳以上"
    assert service["organization"]["name"] == "梅田町会"
    assert [s.get("freq") for s in service["schedules"]] == [
        "MONTHLY",
        "WEEKLY",
        "MONTHLY",
        None,
    ]
    nth, weekly, by_date, irregular = service["schedules"]
    assert (nth["byday"], nth["opens_at"], nth["closes_at"]) == ("1WE,3WE", "13:30", "15:00")
    assert (weekly["byday"], weekly["opens_at"], weekly["closes_at"]) == ("TU,FR", "10:00", "11:30")
    assert by_date["bymonthday"] == "15"
    assert irregular["description"] == "不定期（夏は休み）"
    assert service["cost_options"] == [
        {
            "id": service["cost_options"][0]["id"],
            "service_id": service["id"],
            "currency": "JPY",
            "amount": 100,
            "option": "100円",
            "amount_description": "お茶代",
        }
    ]
    [attribute] = service["attributes"]
    assert attribute["taxonomy_term"]["code"] == "exercise"
    assert attribute["taxonomy_term"]["name"] == "運動"
    location = service["service_at_locations"][0]["location"]
    assert (location["latitude"], location["longitude"]) == (34.70, 135.49)
    address = location["addresses"][0]
    assert (address["address_1"], address["city"], address["postal_code"]) == (
        "大阪市北区梅田1丁目2-3",
        "大阪市",
        "530-0001",
    )


def test_free_services_cost_zero_and_paused_ones_are_temporarily_closed(client, services):
    service = client.get(f"{LIST_URL}/{hsds.service_id(services['free'].pk)}").json()

    assert service["status"] == "temporarily closed"
    assert service["cost_options"][0]["amount"] == 0


def test_a_service_is_also_found_by_the_resource_number(client, services):
    response = client.get(f"{LIST_URL}/{services['salon'].pk}")

    assert response.json()["id"] == hsds.service_id(services["salon"].pk)


# Public data only ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "care_manager", "city_staff"])
def test_staff_only_resources_and_fields_never_appear(client, services, request, who):
    if who:
        client.force_login(request.getfixturevalue(who))

    listing = client.get(LIST_URL, {"per_page": 100})
    detail = client.get(f"{LIST_URL}/{hsds.service_id(services['staff_only'].pk)}")
    by_number = client.get(f"{LIST_URL}/{services['staff_only'].pk}")

    assert listing.json()["total_items"] == 2
    text = listing.content.decode()
    for secret in ("非公開の準備中カフェ", "山田 花子", "090-1111-2222", "鍵は管理人室"):
        assert secret not in text
    assert detail.status_code == 404
    assert by_number.status_code == 404


@pytest.mark.parametrize(
    "bad", ["0", "abc", "00000000-0000-0000-0000-000000000000", "99999999999999999999999"]
)
def test_unknown_ids_are_404(client, services, bad):
    assert client.get(f"{LIST_URL}/{bad}").status_code == 404


# Pages, search, modified_after -----------------------------------------------------------------


def test_pages_follow_the_hsds_envelope(client, services):
    first = client.get(LIST_URL, {"per_page": 1}).json()
    second = client.get(LIST_URL, {"per_page": 1, "page": 2}).json()
    beyond = client.get(LIST_URL, {"per_page": 1, "page": 3}).json()

    assert {k: v for k, v in first.items() if k != "contents"} == {
        "total_items": 2,
        "total_pages": 2,
        "page_number": 1,
        "size": 1,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    assert (second["first_page"], second["last_page"], second["size"]) == (False, True, 1)
    assert first["contents"][0]["id"] != second["contents"][0]["id"]
    assert (beyond["empty"], beyond["contents"], beyond["last_page"]) == (True, [], True)


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "x"},
        {"per_page": "0"},
        {"per_page": "101"},
        {"modified_after": "きのう"},
    ],
)
def test_bad_parameters_are_400_with_a_message(client, services, params):
    response = client.get(LIST_URL, params)

    assert response.status_code == 400
    assert response.json()["error"]


def test_search_finds_services_by_keyword(client, services):
    found = client.get(LIST_URL, {"search": "体操"}).json()
    none = client.get(LIST_URL, {"search": "カラオケ"}).json()

    assert [s["name"] for s in found["contents"]] == ["築港いきいき百歳体操"]
    assert (none["total_items"], none["empty"]) == (0, True)


def test_modified_after_lists_recent_changes_only(client, services):
    Resource.objects.filter(code="R-2").update(updated_at=timezone.now() - timedelta(days=30))
    since = (timezone.now() - timedelta(days=1)).isoformat()

    page = client.get(LIST_URL, {"modified_after": since}).json()
    by_day = client.get(
        LIST_URL, {"modified_after": (timezone.localdate() - timedelta(days=60)).isoformat()}
    ).json()

    assert [s["name"] for s in page["contents"]] == ["梅田ふれあいサロン"]
    assert by_day["total_items"] == 2


def test_the_feed_is_open_to_other_sites(client, services):
    response = client.get(LIST_URL)

    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "application/json"


def test_service_ids_are_stable_uuids_that_lead_back_to_the_resource(db):
    # The ids' namespace is the city's name, from its settings (portal.municipality).
    service_id = hsds.service_id(1234)

    assert hsds.pk_from_service_id(service_id) == 1234
    assert hsds.pk_from_service_id(service_id.replace(service_id[:8], "ffffffff")) is None
