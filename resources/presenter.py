"""What a reader may read of one resource: the one field presenter.

``resource_fields(resource, reader)`` gives a ``ResourceView``, a read-only
mapping that holds exactly the fields the reader's tier reads
(``resources.policy.FIELD_TIERS``: public; 関係者 contact person and private
phone; 担当 internal notes, supporting coordinator, verifier) and the display
helpers made from them (schedule text, fee text, type and status labels, area
label …). A field the reader may not read is *absent* — ``"internal_notes" in
view`` is false, ``view["internal_notes"]`` raises ``KeyError`` and a template
prints nothing — never blank-but-present; a helper carries the tier of every
field it reads.

Every output renders from views: the detail page, search rows and map data
(``resources.views``), printed lists, sheets and area maps
(``resources.printing``), CSV/XLSX and open data (``resources.exporting``) and
HSDS (``resources.hsds``). *Which resources* a reader gets is the policy's
answer (``resources.policy``); the presenter never widens it. ``reader`` is a
user, or a ``Reader`` tier where an output decides it (open data and HSDS are
``Reader.PUBLIC`` for everyone; a print without ``?staff=1`` too).

A value is worked out when it is first read and then kept, so a view costs only
what its output reads. A caller that already holds a value for many rows (a
page's categories in one query, area labels from the cached reference lists)
passes it as ``known``; known values go through the same tier check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.geo import walking_minutes
from portal.roles import Reader, reader_tier
from resources.models import Resource
from resources.palette import NO_CATEGORY_COLOR, ink_on, shape_of
from resources.policy import FIELD_TIERS

# Kept out of every view: derived search data, never shown to anyone.
_NOT_PRESENTED = frozenset(
    {"search_text", "name_text", "search_bigrams", "schedule_days", "schedule_times"}
)


@dataclass(frozen=True)
class Field:
    """One key of a view: the model fields it reads, and how it is worked out."""

    key: str
    reads: tuple[str, ...]
    get: Callable[[ResourceView], Any]

    @property
    def tier(self) -> Reader:
        return max(
            (FIELD_TIERS.get(name, Reader.PUBLIC) for name in self.reads), default=Reader.PUBLIC
        )


def _attribute(name: str) -> Callable[[ResourceView], Any]:
    return lambda view: getattr(view._source, name)


def _choice(field_name: str, choices) -> Callable[[ResourceView], str]:
    labels = dict(choices)

    @cache
    def label(value, language: str | None) -> str:
        # Translated once per value and language, not once per row.
        return str(labels.get(value, value or ""))

    return lambda view: label(view[field_name], get_language())


def _related(name: str) -> Callable[[ResourceView], list]:
    return lambda view: list(getattr(view._source, name).all())


def _fee_text(view: ResourceView) -> str:
    if view["fee_free"]:
        text = _("無料")
    elif view["fee_amount"] is not None:
        text = _("%(yen)s円") % {"yen": f"{view['fee_amount']:,}"}
    else:
        text = ""
    return " ".join(p for p in (text, view["fee_note"]) if p)


def _distance_text(view: ResourceView) -> str:
    km = view["distance_km"]
    if km is None:
        return ""
    return _("約%(km).1fkm（徒歩%(minutes)d分）") % {"km": km, "minutes": walking_minutes(km)}


def _walk_minutes(view: ResourceView) -> int | None:
    km = view["distance_km"]
    return None if km is None else walking_minutes(km)


def _first_category(view: ResourceView):
    return next(iter(view["categories"]), None)


def _color(view: ResourceView) -> str:
    category = view["first_category"]
    return category.color if category else NO_CATEGORY_COLOR


def _area_label(view: ResourceView) -> str:
    area = view["area"]
    return area.label if area else ""


def _area_code(view: ResourceView) -> str:
    area = view["area"]
    return area.code if area else ""


def _ward_name(view: ResourceView) -> str:
    ward = view["area_tier1"]
    return ward.name if ward else ""


def verified_month(day) -> str:
    """「2026年10月に確認」: what the public pages and prints say of a record's check."""
    if not day:
        return ""
    return _("%(year)s年%(month)s月に確認") % {"year": day.year, "month": day.month}


def _model_fields() -> list[Field]:
    fields = [Field("pk", ("id",), _attribute("pk"))]
    for model_field in Resource._meta.concrete_fields:
        if model_field.name not in _NOT_PRESENTED:
            name = model_field.name
            fields.append(Field(name, (name,), _attribute(name)))
    for model_field in Resource._meta.many_to_many:
        name = model_field.name
        fields.append(Field(name, (name,), _related(name)))
    return fields


# Display helpers: each names the model fields it reads, for its tier.
_HELPERS = (
    Field("schedules", ("id",), _related("schedules")),
    Field("type_label", ("resource_type",), _choice("resource_type", Resource.Type.choices)),
    Field("status_label", ("status",), _choice("status", Resource.Status.choices)),
    Field(
        "organiser_kind_label",
        ("organiser_kind",),
        _choice("organiser_kind", Resource.OrganiserKind.choices),
    ),
    Field("visibility_label", ("visibility",), _choice("visibility", Resource.Visibility.choices)),
    Field("origin_label", ("origin",), _choice("origin", Resource.Origin.choices)),
    # Blank when the resource follows its type (the export's empty cell reads back so).
    Field(
        "holiday_rule_label",
        ("holiday_rule",),
        _choice(
            "holiday_rule", [c for c in Resource._meta.get_field("holiday_rule").choices if c[0]]
        ),
    ),
    Field(
        "location_source_label",
        ("location_source",),
        _choice("location_source", Resource.LocationSource.choices),
    ),
    Field("is_staff_only", ("visibility",), lambda v: v["visibility"] == Resource.Visibility.STAFF),
    Field("is_active", ("status",), lambda v: v["status"] == Resource.Status.ACTIVE),
    Field("on_map", ("lat", "lng"), lambda v: v["lat"] is not None and v["lng"] is not None),
    Field("area_label", ("area",), _area_label),
    Field("area_code", ("area",), _area_code),
    Field("ward_name", ("area_tier1",), _ward_name),
    Field(
        "schedule_text",
        ("id",),
        lambda v: " / ".join(rule.describe() for rule in v["schedules"]),
    ),
    Field("fee_text", ("fee_free", "fee_amount", "fee_note"), _fee_text),
    Field("verified_month", ("verified_on",), lambda v: verified_month(v["verified_on"])),
    Field(
        "place_text",
        ("venue", "address"),
        lambda v: " ".join(p for p in (v["venue"], v["address"]) if p),
    ),
    # A search near a point annotates each row with its distance.
    Field("distance_km", ("lat", "lng"), lambda v: getattr(v._source, "distance_km", None)),
    Field("distance_text", ("lat", "lng"), _distance_text),
    Field("walk_minutes", ("lat", "lng"), _walk_minutes),
    Field("first_category", ("categories",), _first_category),
    Field("color", ("categories",), _color),
    # The map mark: the number's ink on that colour, the shape of the resource's kind.
    Field("ink", ("categories",), lambda v: ink_on(v["color"])),
    Field("shape", ("resource_type",), lambda v: shape_of(v["resource_type"])),
    Field("detail_url", ("id",), lambda v: reverse("resources:detail", args=[v["pk"]])),
)

FIELDS: dict[str, Field] = {f.key: f for f in (*_model_fields(), *_HELPERS)}
_FIELD_KEYS = frozenset(FIELDS)
_MISSING = object()


@cache
def readable_keys(tier: Reader) -> tuple[str, ...]:
    """The keys of a view for a reader of ``tier``, in a fixed order."""
    return tuple(key for key, f in FIELDS.items() if f.tier <= tier)


@cache
def _key_set(tier: Reader) -> frozenset[str]:
    return frozenset(readable_keys(tier))


def tier_of(reader) -> Reader:
    """A ``Reader`` as given, or the tier of a user."""
    return reader if isinstance(reader, Reader) else reader_tier(reader)


class ResourceView(Mapping):
    """The fields of one resource that one reader may read (module docstring).

    Read as a mapping (``view["name"]``, ``view.get("contact_person")``) or by
    attribute (``view.name``; templates: ``{{ r.name }}``). There is no way back
    to the model instance from a template: names that begin with ``_`` are not
    reachable there.
    """

    __slots__ = ("_keys", "_source", "_values", "tier")

    def __init__(self, source, tier: Reader, known: Mapping[str, Any] | None = None):
        self._source = source
        self.tier = tier
        self._keys = _key_set(tier)
        if known:
            unknown = known.keys() - _FIELD_KEYS
            if unknown:
                raise KeyError(f"not fields of a resource view: {sorted(unknown)}")
            self._values = {key: value for key, value in known.items() if key in self._keys}
        else:
            self._values = {}

    def __getitem__(self, key: str) -> Any:
        value = self._values.get(key, _MISSING)
        if value is not _MISSING:
            return value
        if key not in self._keys:
            raise KeyError(key)
        value = self._values[key] = FIELDS[key].get(self)
        return value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __contains__(self, key: object) -> bool:
        # Whether the reader may read ``key``, without working its value out.
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(readable_keys(self.tier))

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"<ResourceView {self._values.get('pk', '?')} for {self.tier.name}>"

    def __str__(self) -> str:
        return str(self["name"])


def resource_fields(
    resource: Resource, reader, *, known: Mapping[str, Any] | None = None
) -> ResourceView:
    """What ``reader`` (a user or a ``Reader``) may read of ``resource``."""
    return ResourceView(resource, tier_of(reader), known)


class _Row:
    """The columns of one ``values()`` row, read by attribute like a model."""

    def __init__(self, values: Mapping[str, Any]):
        self.__dict__.update(values)


def row_fields(
    values: Mapping[str, Any], reader, *, known: Mapping[str, Any] | None = None
) -> ResourceView:
    """A view of a ``values()`` row (model field names; ``pk`` for the id), for
    outputs of many rows that read a few columns (the map data). The row's
    columns are known values: they pass the tier check like any other."""
    return ResourceView(_Row(values), tier_of(reader), {**values, **(known or {})})
