"""Resources as Open Referral HSDS 3.0 services (fixtures/hsds, CC BY-SA 4.0).

Public data only: the services come from what an anonymous visitor may see
(``resources_visible_to(AnonymousUser())``) and each service is made from the
resource's ``Reader.PUBLIC`` view (``resources.presenter``), whoever asks.

Mapping:

- service: name, description, url, email, status (活動中 → active, 休止中 →
  temporarily closed, 終了 → defunct, 準備中 → inactive), fees_description,
  application_process (参加方法), eligibility_description (対象者), last_modified;
- schedules: ``ScheduleRule.hsds()`` — freq WEEKLY/MONTHLY, byday (TU; 1WE,3WE;
  -1FR), bymonthday, opens_at/closes_at, description in Japanese; 不定期 has a
  description only;
- cost_options: one, in JPY: amount 0 when free, the fee when there is one, the
  補足 as amount_description;
- categories: attributes linking the service to taxonomy terms of the portal's
  own taxonomy (code = category code);
- location: one physical location per resource with coordinates and address.

Identifiers are UUIDs (the schema's format). A service's id keeps the
resource's primary key in its last 48 bits, so ``/services/<id>`` finds it
without a lookup table; the other ids are name-based UUIDs (uuid5), stable
between calls.
"""

from __future__ import annotations

import re
import uuid
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from portal.municipality import city
from portal.roles import Reader
from resources.models import Resource
from resources.policy import resources_visible_to
from resources.presenter import ResourceView, resource_fields

STATUS = {
    Resource.Status.ACTIVE: "active",
    Resource.Status.PAUSED: "temporarily closed",
    Resource.Status.ENDED: "defunct",
    Resource.Status.PREPARING: "inactive",
}
TAXONOMY_NAME = "地域資源ポータル カテゴリ"
_PK_BITS = 48
_PK_MASK = (1 << _PK_BITS) - 1
_PREFECTURE = re.compile(r"^(東京都|北海道|(?:京都|大阪)府|.{2,3}県)")
_CITY = re.compile(r"^(?:東京都|北海道|(?:京都|大阪)府|.{2,3}県)?(.+?[市区町村])")


def _namespace(kind: str) -> uuid.UUID:
    site = getattr(settings, "HSDS_NAMESPACE", "") or f"chiiki-shigen-portal:{city().name}"
    return _namespace_of(site, kind)


@cache
def _namespace_of(site: str, kind: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:{site}:{kind}")


def service_id(pk: int) -> str:
    """The service's UUID: the namespace's high bits and the resource's pk."""
    base = _namespace("service").int & ~_PK_MASK
    return str(uuid.UUID(int=base | (pk & _PK_MASK)))


def pk_from_service_id(value: str) -> int | None:
    """The resource pk in a service id, or in a plain number; None otherwise."""
    if value.isascii() and value.isdigit():
        number = int(value)
        return number if number <= _PK_MASK else None
    try:
        number = uuid.UUID(value).int
    except (ValueError, AttributeError):
        return None
    if number & ~_PK_MASK != _namespace("service").int & ~_PK_MASK:
        return None
    return number & _PK_MASK


def _id(kind: str, *parts: object) -> str:
    return str(uuid.uuid5(_namespace(kind), ":".join(str(p) for p in parts)))


def public_resources() -> QuerySet[Resource]:
    """What the HSDS feed publishes: public resources, for anyone who asks."""
    return (
        resources_visible_to(AnonymousUser())
        .select_related("area", "area__parent", "area_tier1")
        .prefetch_related("categories", "targets", "schedules")
    )


def _address(data: ResourceView, location_id: str) -> dict:
    address = data["address"]
    prefecture = _PREFECTURE.match(address)
    city_match = _CITY.match(address)
    return {
        "id": _id("address", data["pk"]),
        "location_id": location_id,
        "address_1": address,
        "city": city_match.group(1) if city_match else city().name,
        "region": data["ward_name"] if city().has_wards else "",
        "state_province": prefecture.group(1) if prefecture else city().prefecture,
        "postal_code": data["postal_code"],
        "country": "JP",
        "address_type": "physical",
    }


def service(resource: Resource) -> dict:
    """One resource as a full HSDS service (validates against service_with_definitions.json)."""
    data = resource_fields(resource, Reader.PUBLIC)
    pk = data["pk"]
    sid = service_id(pk)
    result: dict = {
        "id": sid,
        "name": data["name"],
        "description": data["description"],
        "status": STATUS.get(data["status"], "active"),
        "fees_description": data["fee_text"],
        "application_process": data["how_to_join"],
        "eligibility_description": "、".join(t.name for t in data["targets"]),
        "last_modified": data["updated_at"].isoformat() if data["updated_at"] else None,
        "phones": [],
        "schedules": [],
        "service_at_locations": [],
        "cost_options": [],
        "attributes": [],
        "contacts": [],
        "languages": [
            {
                "id": _id("language", pk, "ja"),
                "service_id": sid,
                "name": "日本語",
                "code": "ja",
            }
        ],
    }
    if data["url"]:
        result["url"] = data["url"]
    if data["contact_email"]:
        result["email"] = data["contact_email"]
    if not result["last_modified"]:
        del result["last_modified"]
    if data["organiser"]:
        result["organization"] = {
            "id": _id("organization", data["organiser"]),
            "name": data["organiser"],
            "description": data["organiser_kind_label"],
        }
    if data["contact_phone"]:
        result["phones"].append(
            {"id": _id("phone", pk), "service_id": sid, "number": data["contact_phone"]}
        )
    if data["contact_name"]:
        result["contacts"].append(
            {"id": _id("contact", pk), "service_id": sid, "name": data["contact_name"]}
        )
    for rule in data["schedules"]:
        result["schedules"].append(
            {"id": _id("schedule", rule.pk), "service_id": sid, **rule.hsds()}
        )
    if data["fee_free"] or data["fee_amount"] is not None or data["fee_note"]:
        option: dict = {"id": _id("cost_option", pk), "service_id": sid, "currency": "JPY"}
        if data["fee_free"]:
            option["amount"] = 0
            option["option"] = "無料"
        elif data["fee_amount"] is not None:
            option["amount"] = data["fee_amount"]
            option["option"] = f"{data['fee_amount']:,}円"
        if data["fee_note"]:
            option["amount_description"] = data["fee_note"]
        result["cost_options"].append(option)
    for category in data["categories"]:
        term_id = _id("taxonomy_term", category.code)
        result["attributes"].append(
            {
                "id": _id("attribute", pk, category.code),
                "link_id": sid,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": term_id,
                "value": category.name,
                "taxonomy_term": {
                    "id": term_id,
                    "code": category.code,
                    "name": category.name,
                    "description": str(category.get_group_display()),
                    "taxonomy": TAXONOMY_NAME,
                    "language": "ja",
                },
            }
        )
    if data["address"] or data["lat"] is not None:
        location_id = _id("location", pk)
        location: dict = {
            "id": location_id,
            "location_type": "physical",
            "name": data["venue"] or data["name"],
            "transportation": data["access"],
            "addresses": [],
        }
        if data["on_map"]:
            location["latitude"] = data["lat"]
            location["longitude"] = data["lng"]
        if data["address"]:
            location["addresses"].append(_address(data, location_id))
        result["service_at_locations"].append(
            {
                "id": _id("service_at_location", pk),
                "service_id": sid,
                "location_id": location_id,
                "location": location,
            }
        )
    return result


def services(resources: QuerySet[Resource]) -> list[dict]:
    return [service(resource) for resource in resources]
