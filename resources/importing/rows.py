"""One row of a resource sheet read into model values, with its problems."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from portal import parsers
from portal.parsers import ParseError
from portal.sheets import Problem, cell_text
from portal.text import normalize, normalize_address
from resources.importing import extras
from resources.importing.layouts import service_type
from resources.importing.values import CREATABLE, variants
from resources.indexing import INDEX_INPUTS
from resources.models import Resource

if TYPE_CHECKING:
    from resources.importing.planning import Importer

_TEXT_FIELDS = {
    "name": 200,
    "kana": 300,
    "organiser": 200,
    "venue": 200,
    "access": 300,
    "how_to_join": 300,
    "contact_name": 200,
    "contact_person": 100,
    "private_phone": 30,
}
_MULTILINE_FIELDS = ("description", "internal_notes")
ALWAYS_CHECKED = {
    "resource_type",
    "lat",
    "lng",
    "location_source",
    "area_locked",
    "fee_free",
    "fee_amount",
}
# Checked as strictly by the parsers already (lengths, ranges, URL and e-mail syntax).
PARSER_CHECKED = {*_TEXT_FIELDS, "lat", "lng", "url", "contact_email", "capacity", "address"}
NOT_CHECKED = {"area_id", "area_tier1_id", "supporting_coordinator_id", "verified_by_id", "code"}
# What placing a resource may set (resource_prepare's outputs).
PLACED_FIELDS = {"lat", "lng", "location_source", "area_id", "area_locked"}
# The fields the search text is made of (resources/indexing.py).
SEARCH_INPUTS = set(INDEX_INPUTS)
LOCATION_INPUTS = {"address", "lat", "lng", "location_source", "area_id", "area_locked"}
RESOURCE_FIELDS = (
    "code",
    "name",
    "kana",
    "resource_type",
    "description",
    "organiser",
    "organiser_kind",
    "venue",
    "postal_code",
    "address",
    "access",
    "lat",
    "lng",
    "location_source",
    "area_id",
    "area_locked",
    "fee_free",
    "fee_amount",
    "fee_note",
    "capacity",
    "how_to_join",
    "contact_name",
    "contact_phone",
    "contact_email",
    "url",
    "contact_person",
    "private_phone",
    "internal_notes",
    "supporting_coordinator_id",
    "status",
    "visibility",
    "origin",
    "origin_date",
    "holiday_rule",
    "verified_on",
    "verified_by_id",
)
# Fields the import works out from the others (search text, schedule summary, the
# area's ward): written only when they come out different.
DERIVED_FIELDS = (
    "search_text",
    "name_text",
    "search_bigrams",
    "schedule_days",
    "schedule_times",
    "area_tier1_id",
)
# Model field → the column whose cell it came from (for messages).
FIELD_COLUMN = {
    "fee_free": "fee",
    "fee_amount": "fee",
    "area_id": "area",
    "area": "area",
    "area_locked": "area_locked",
    "supporting_coordinator_id": "supporting_coordinator",
    "verified_by_id": "verified_by",
    "weekdays": "schedule",
    "weeks_of_month": "schedule",
    "day_of_month": "schedule",
    "opens_at": "schedule",
    "closes_at": "schedule",
    "note": "schedule",
}
_TYPE_GUESSES = (
    ("認知症カフェ", Resource.Type.DEMENTIA_CAFE),
    ("オレンジカフェ", Resource.Type.DEMENTIA_CAFE),
    ("百歳体操", Resource.Type.EXERCISE),
    ("体操", Resource.Type.EXERCISE),
    ("サロン", Resource.Type.SALON),
    ("通いの場", Resource.Type.SALON),
    ("配食", Resource.Type.MEALS),
    ("見守り", Resource.Type.WATCH),
    ("包括支援センター", Resource.Type.CONSULTATION),
    ("相談", Resource.Type.CONSULTATION),
    ("デイサービス", Resource.Type.CARE_OFFICE),
    ("訪問介護", Resource.Type.CARE_OFFICE),
)


def guess_type(name: str) -> str:
    for word, rtype in _TYPE_GUESSES:
        if word in name:
            return rtype
    return Resource.Type.OTHER


def derived_code(name: str, address: str) -> str:
    """A stable code for a row without one: IMP- + hash of name and address."""
    digest = hashlib.sha1(f"{normalize(name)}|{normalize_address(address)}".encode()).hexdigest()
    return f"IMP-{digest[:12].upper()}"


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)  # model attname → value
    m2m: dict = field(default_factory=dict)  # categories/targets/features → set of ids
    rules: list | None = None  # list[parsers.Rule] when the file has a schedule column
    area_given: int | None = None
    code: str = ""
    outside: str = ""  # the other municipality the row names ("" for the city's)
    in_city: bool = False  # the address names the city itself
    notes: list[str] = field(default_factory=list)  # added to 内容 (service, hours …)
    unresolved: list[tuple[str, str, str]] = field(default_factory=list)  # key, value, why
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


class RowParser:
    """Reads the cells of one row into model values, collecting problems."""

    def __init__(self, importer: Importer, row: Row, cells: list) -> None:
        self.importer = importer
        self.refs = importer.refs
        self.row = row
        self.present = importer.columns
        self.values = row.values
        width = len(cells)
        self.raws = {
            key: (cell_text(cells[index]) if type(cells[index]) is str else cells[index])
            if index < width
            else None
            for key, index in self.present.items()
        }

    def raw(self, key: str) -> object:
        return self.raws.get(key)

    def text(self, key: str, *, multiline: bool = False) -> str:
        return parsers.text(self.raws.get(key), multiline=multiline)

    def error(self, key: str, message: str) -> None:
        self.row.errors.append(Problem(self.row.number, self.importer.header(key), message))

    def warn(self, key: str, message: str) -> None:
        self.row.warnings.append(Problem(self.row.number, self.importer.header(key), message))

    def attempt(self, key: str, parse, *args, **kwargs):
        try:
            return parse(*args, **kwargs)
        except ParseError as exc:
            self.error(key, exc.message)
            return _FAILED

    def put(self, key: str, attname: str, parse, *args, **kwargs) -> None:
        value = self.attempt(key, parse, *args, **kwargs)
        if value is not _FAILED:
            self.values[attname] = value

    def texts(self) -> None:
        for key, limit in _TEXT_FIELDS.items():
            if key in self.present:
                value = self.text(key)
                if len(value) > limit:
                    self.error(key, f"長すぎます（{len(value)}文字、{limit}文字まで）。")
                self.values[key] = value
        for key in _MULTILINE_FIELDS:
            if key in self.present:
                self.values[key] = self.text(key, multiline=True)
        for key, parse in (("url", parsers.url), ("contact_email", parsers.email)):
            # A broken link is dropped with a warning rather than holding up the
            # whole file: the rest of the row is still right (WAM NET has 21).
            if key in self.present:
                try:
                    self.values[key] = parse(self.raw(key))
                except ParseError as exc:
                    self.warn(key, exc.message + "この値は取り込みません。")
                    self.values[key] = ""
        for key in ("contact_phone", "private_phone"):
            if key in self.present:
                first, others = extras.phones(self.raw(key))
                self.values[key] = parsers.phone(first)
                if others:
                    self.row.notes.append("ほかの電話番号: " + "、".join(others))
        if "postal_code" in self.present:
            self.put("postal_code", "postal_code", parsers.postal_code, self.raw("postal_code"))
        address_keys = [k for k in ("address", "address_city", "address_rest") if k in self.present]
        if address_keys:
            whole = self.text("address") if "address" in self.present else ""
            parts = "".join(
                self.text(k) for k in ("address_city", "address_rest") if k in self.present
            )
            address = whole or parts
            if _NOT_WRITTEN.search(address):
                self.warn(
                    address_keys[0],
                    "住所が途中で切れています（以下略）。位置は町名までで決めます。",
                )
            address = _NOT_WRITTEN.sub("", address).strip()
            building = self.text("building") if "building" in self.present else ""
            if building and parsers.nfkc(building) not in parsers.nfkc(address):
                address = f"{address} {building}".strip()
            if len(address) > 300:
                self.error(address_keys[0], f"長すぎます（{len(address)}文字、300文字まで）。")
            self.values["address"] = address
        if "code" in self.present:
            code = parsers.nfkc(self.raw("code")).replace(" ", "")
            if len(code) > 32:
                self.error("code", f"資源コード「{code[:40]}」が長すぎます（32文字まで）。")
            self.row.code = code

    def check(self) -> None:
        """Signs of trouble in any cell (mojibake), and whether the row is the city's."""
        for key, raw in self.raws.items():
            if isinstance(raw, str) and "\ufffd" in raw:
                self.warn(
                    key, "読めない文字（�）があります。元のファイルの文字コードを確かめてください。"
                )
                break
        if self.importer.outside_check is not None:
            address = self.values.get("address", "")
            if not address and "address_city" in self.present:
                address = self.text("address_city")
            municipality = self.text("municipality") if "municipality" in self.present else ""
            check = self.importer.outside_check
            self.row.outside = check.other_place(
                address,
                municipality,
                self.text("prefecture") if "prefecture" in self.present else "",
            )
            self.row.in_city = not self.row.outside and check.names_city(address, municipality)

    def choose(self, key: str, lookup: parsers.Lookup, raw: str, *, resolve=None):
        """A list's value of ``raw``: the mapping's decision, the list, a normalised
        spelling; else the value waits for a decision (``row.unresolved``)."""
        decided, target = self.importer.decisions.lookup(key, raw)
        if decided:
            if target is None:
                return _SKIP
            found = lookup.get(target)
            if found is None and key in CREATABLE:
                found = self.importer.create_value(key, target)
            if found is None:
                self.error(key, f"割り当て先の「{target}」がありません。")
                return _FAILED
            return found
        try:
            return (resolve or lookup.resolve)(raw)
        except ParseError as exc:
            if exc.code == "ambiguous":  # 第1圏域 of a city where every ward has one
                self.row.unresolved.append((key, raw, "ambiguous"))
                return _FAILED
        for candidate in variants(raw):
            found = lookup.get(candidate)
            if found is not None:
                return found
        self.row.unresolved.append((key, raw, "unknown"))
        return _FAILED

    def choices(self) -> None:
        refs = self.refs
        service = self.text("service") if "service" in self.present else ""
        if service:
            rtype = service_type(service)
            if rtype is None:
                rtype = self.choose("service", refs.types, service)
            if rtype not in (_FAILED, _SKIP):
                self.values["resource_type"] = rtype
            if rtype is not _SKIP:
                self.row.notes.append(f"サービスの種類: {service}")
        if "resource_type" in self.present and self.text("resource_type"):
            raw = self.text("resource_type")
            rtype = refs.types.get(raw) or service_type(raw)
            if rtype is None:
                rtype = self.choose("resource_type", refs.types, raw)
            elif rtype != refs.types.get(raw):
                self.row.notes.append(f"サービスの種類: {raw}")
            if rtype not in (_FAILED, _SKIP):
                self.values["resource_type"] = rtype
        for key, lookup in (
            ("status", refs.statuses),
            ("visibility", refs.visibilities),
            ("origin", refs.origins),
            ("organiser_kind", refs.organiser_kinds),
            ("holiday_rule", refs.holiday_rules),
        ):
            if key not in self.present:
                continue
            raw = self.text(key)
            found = self.choose(key, lookup, raw) if raw else _SKIP
            if found is _SKIP:
                self.values[key] = Resource._meta.get_field(key).get_default()
            elif found is not _FAILED:
                self.values[key] = found

    def names(self) -> None:
        refs = self.refs
        for key, lookup in (
            ("categories", refs.categories),
            ("targets", refs.targets),
            ("features", refs.features),
        ):
            if key in self.present:
                ids = {
                    self.choose(key, lookup, name) for name in parsers.split_names(self.raw(key))
                }
                self.row.m2m[key] = ids - {_FAILED, _SKIP}
        if "pickup" in self.present and self.text("pickup"):
            try:
                pickup = parsers.boolean(self.raw("pickup"))
            except ParseError:
                pickup = self.text("pickup").startswith(("有", "あり", "○", "可"))
            feature = refs.features.get("送迎あり") or refs.features.get("pickup")
            if pickup and feature is not None:
                self.row.m2m.setdefault("features", set()).add(feature)

    def location(self) -> None:
        present = self.present
        if "lat" in present or "lng" in present:
            key = "lat" if "lat" in present else "lng"
            lat, lng = self.raw("lat"), self.raw("lng")
            if _swapped(lat, lng):
                # Japan's latitudes (20–46) and longitudes (122–154) do not overlap:
                # which is which is told by the values (X/Y columns, swapped cells).
                lat, lng = lng, lat
                if not self.importer.xy_columns:
                    self.warn(key, "緯度と経度が逆のようです。入れ替えて読みました。")
            point = self.attempt(key, parsers.coordinates, lat, lng)
            if point is not _FAILED:
                self.values["lat"], self.values["lng"] = point or (None, None)
                if point and parsers.outside_japan(*point):
                    self.warn(key, f"緯度 {point[0]:g}・経度 {point[1]:g} は日本の外です。")
        if "location_source" in present:
            raw = self.text("location_source")
            if raw:
                self.put(
                    "location_source", "location_source", self.refs.location_sources.resolve, raw
                )
            else:
                self.values["location_source"] = ""
        if "area_locked" in present:
            self.put("area_locked", "area_locked", parsers.boolean, self.raw("area_locked"))
        ward = self.text("ward") if "ward" in present else ""
        found = _FAILED
        if "area_code" in present and self.text("area_code"):
            found = self.attempt(
                "area_code", self.refs.area_by_code.resolve, parsers.nfkc(self.raw("area_code"))
            )
        elif "area" in present and self.text("area"):
            name = self.text("area")
            found = self.choose(
                "area", self.refs.areas, name, resolve=lambda n: self.refs.resolve_area(n, ward)
            )
        elif ward:
            found = self.choose("ward", self.refs.areas, ward)
        if found not in (_FAILED, _SKIP):
            self.row.area_given = found

    def fees(self) -> None:
        present = self.present
        if not {"fee", "fee_note", "fee_required"} & set(present):
            return
        key = next(k for k in ("fee", "fee_required", "fee_note") if k in present)
        parsed = (
            self.attempt("fee", parsers.fee, self.raw("fee")) if "fee" in present else parsers.Fee()
        )
        if parsed is _FAILED:
            return
        note = parsed.note
        if (
            parsed.note
            and parsed.amount is not None
            and _MORE_THAN_ONE_FEE.search(self.text("fee"))
        ):
            note = self.text("fee")  # 「一般500円、高校生以下無料」 kept whole
        if "fee_note" in present:
            extra = self.text("fee_note", multiline=True).replace("\n", " ")
            note = " ".join(p for p in (note, extra) if p)
        if "fee" in present or "fee_required" in present:
            free = parsed.free
            if "fee_required" in present and self.text("fee_required"):
                required = self.attempt("fee_required", parsers.boolean, self.raw("fee_required"))
                if required is False and parsed.amount is None:
                    free = True
            self.values["fee_free"], self.values["fee_amount"] = free, parsed.amount
        if len(note) > 200:
            # Kept whole in 内容; the field holds its start.
            self.warn(
                key if "fee_note" not in present else "fee_note",
                f"費用の説明が長い（{len(note)}文字）ため、全文は内容に残します。",
            )
            self.row.notes.append(f"費用: {note}")
            note = note[:199] + "…"
        self.values["fee_note"] = note

    def numbers_and_dates(self) -> None:
        if "capacity" in self.present:
            number, note, _read = extras.capacity(self.raw("capacity"))
            if number is not None and number > 100_000:
                self.error("capacity", f"定員 {number:,} は大きすぎます。")
                number = None
            self.values["capacity"] = number
            if note:
                self.row.notes.append(f"定員: {note}")
        for key in ("origin_date", "verified_on"):
            if key in self.present:
                self.put(key, key, parsers.a_date, self.raw(key))

    def people(self) -> None:
        for key in ("supporting_coordinator", "verified_by"):
            if key in self.present:
                raw = self.text(key)
                self.values[f"{key}_id"] = None
                if raw:
                    self.put(key, f"{key}_id", self.refs.users.resolve, raw)

    def schedule(self) -> None:
        present = self.present
        if "schedule_note" in present and self.text("schedule_note"):
            self.row.notes.append("利用日時の補足: " + self.text("schedule_note", multiline=True))
        keys = [k for k in present if k in _SCHEDULE_KEYS]
        if not keys:
            return
        key = next((k for k in ("schedule", "times", "opens") if k in present), keys[0])
        text, remark = (
            extras.schedule_text(self.raw("schedule")) if "schedule" in present else ("", "")
        )
        day_text, day_note = extras.day_hours_text(self.raws)
        if day_text:
            text = day_text
        times = None
        if "times" in present and self.raw("times") not in (None, ""):
            times = extras.clock_text(self.raw("times"))
        elif "opens" in present and self.raw("opens") not in (None, ""):
            closes = self.raw("closes") if "closes" in present else None
            times = extras.clock_text(self.raw("opens"))
            if closes not in (None, ""):
                times += "～" + extras.clock_text(closes)
        notes = [n for n in (remark, day_note) if n]
        if "closed_days" in present and self.text("closed_days"):
            closed = self.text("closed_days")
            if closed not in ("-", "－", "なし", "無し"):
                notes.append(f"定休日: {closed}")
        try:
            parsed = parsers.schedule(text, times=times)
        except ParseError as exc:
            if exc.code != "invalid":  # a date or time that does not exist
                self.error(key, exc.message)
                return
            # Kept as it is written, as a note: a resource is not held up by its dates.
            self.warn(key, exc.message + "書かれたとおり補足に残します。")
            parsed = parsers.Schedule(rules=[parsers.Rule(kind="irregular", note=text[:200])])
        if not parsed.rules and notes:
            parsed.rules.append(parsers.Rule(kind="irregular"))
        if parsed.rules and notes:
            rule = parsed.rules[0]
            note = "、".join(n for n in (rule.note, *notes) if n)
            if len(note) > 200:
                self.row.notes.append("開催日時の補足: " + "、".join(notes))
            else:
                rule.note = note
        self.row.rules = parsed.rules
        for warning in parsed.warnings:
            self.warn(key, warning)


_FAILED = object()
_SKIP = object()  # a value the mapping leaves out
_MORE_THAN_ONE_FEE = re.compile(r"\d\s*円.*(?:\d\s*円|無料)|無料.*\d\s*円")
_SCHEDULE_KEYS = {
    "schedule",
    "times",
    "opens",
    "closes",
    "closed_days",
    *(
        f"{p}_{k}"
        for p in ("hours", "opens", "closes")
        for k in ("weekday", "saturday", "sunday", "holiday", "mo", "tu", "we", "th", "fr")
    ),
}


def _swapped(lat: object, lng: object) -> bool:
    try:
        a, b = float(parsers.nfkc(lat)), float(parsers.nfkc(lng))
    except (TypeError, ValueError):
        return False
    return 122 <= a <= 154 and 20 <= b <= 46


_NOT_WRITTEN = re.compile(r"[（(]?(以下略|以下省略|以下、略)[)）]?")
