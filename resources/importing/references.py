"""Reference data of a resource import, loaded once: categories, targets, features,
fixed choices, areas (by name, code or 全国地方公共団体コード) and users."""

from __future__ import annotations

import re

from portal import parsers
from portal.models import Area, User
from portal.municipality import city as current_city
from portal.parsers import ParseError
from resources.models import Category, Feature, Resource, Target


class References:
    """Categories, targets, features, areas and users, looked up by name in memory."""

    def __init__(self) -> None:
        self.categories = parsers.Lookup("カテゴリ")
        for category in Category.objects.all():
            self.categories.add(
                category.pk,
                category.code,
                category.name,
                *parsers.CATEGORY_SYNONYMS.get(category.code, ()),
            )
            self.categories.examples.append(category.name)
        self.targets = self._named(Target, "対象者")
        self.features = self._named(Feature, "特徴")
        self.types = parsers.choice_lookup("種別", Resource.Type.choices, parsers.TYPE_SYNONYMS)
        self.statuses = parsers.choice_lookup(
            "状態", Resource.Status.choices, parsers.STATUS_SYNONYMS
        )
        self.visibilities = parsers.choice_lookup(
            "公開範囲", Resource.Visibility.choices, parsers.VISIBILITY_SYNONYMS
        )
        self.origins = parsers.choice_lookup(
            "区分", Resource.Origin.choices, parsers.ORIGIN_SYNONYMS
        )
        self.holiday_rules = parsers.choice_lookup(
            "祝日の開催",
            [c for c in Resource._meta.get_field("holiday_rule").choices if c[0]],
            {
                "closed": ("休み", "祝日休み", "祝日は休む", "休む", "なし"),
                "open": ("開催", "祝日開催", "祝日も", "あり", "祝日も開く"),
            },
        )
        self.organiser_kinds = parsers.choice_lookup(
            "運営主体の種類", Resource.OrganiserKind.choices, parsers.ORGANISER_KIND_SYNONYMS
        )
        self.location_sources = parsers.choice_lookup(
            "位置の出どころ",
            [c for c in Resource.LocationSource.choices if c[0]],
            {"address_point": ("住所から求めた位置", "町丁の代表点（住所から）")},
        )
        self.location_sources.add("", "位置なし")
        self._load_areas()
        self._load_users()

    @staticmethod
    def _named(model, label: str) -> parsers.Lookup:
        lookup = parsers.Lookup(label)
        for row in model.objects.all():
            lookup.add(row.pk, row.code, row.name)
            lookup.examples.append(row.name)
        return lookup

    def _load_areas(self) -> None:
        city = current_city().name
        rows = list(Area.objects.values_list("id", "tier", "parent_id", "code", "name"))
        self.area_info = {pk: (tier, parent_id) for pk, tier, parent_id, _c, _n in rows}
        names = {pk: name for pk, _t, _p, _c, name in rows}
        self.area_codes = {pk: code for pk, _t, _p, code, _n in rows}
        self.area_names = names
        self.areas = parsers.Lookup("区域")
        self.area_by_code = parsers.Lookup("区域コード", key=parsers.code_key)
        for pk, tier, parent_id, code, name in rows:
            parent = names.get(parent_id, "")
            label = name if not parent or name.startswith(parent) else f"{parent} {name}"
            self.area_by_code.add(pk, code)
            if re.fullmatch(r"\d{5}", code):  # 全国地方公共団体コード with its check digit
                self.area_by_code.add(pk, code + _check_digit(code))
            self.areas.add(pk, code, name, label, f"{city}{label}")
            if parent and name.startswith(parent) and name[len(parent) :].strip():
                # 第1圏域 of 北区 第1圏域: unambiguous in one ward, ambiguous (an
                # error asking for the ward) in a city where every ward has one.
                self.areas.add(pk, name[len(parent) :].strip())
            if city and name.startswith(city):
                self.areas.add(pk, name[len(city) :])
            if tier == Area.Tier.CITY:
                self.areas.examples.append(name)
        self.ward_names = {
            pk: names[pk] for pk, (tier, _p) in self.area_info.items() if tier == Area.Tier.CITY
        }

    def _load_users(self) -> None:
        self.users = parsers.Lookup("利用者")
        for pk, username, display, first, last in User.objects.values_list(
            "id", "username", "display_name", "first_name", "last_name"
        ):
            self.users.add(pk, username)
            if display:
                self.users.add(pk, display)
            full = f"{last} {first}".strip()
            if full:
                self.users.add(pk, full)
        self.usernames = dict(User.objects.values_list("id", "username"))

    def tier1_of(self, area_id: int | None) -> int | None:
        if area_id is None:
            return None
        tier, parent_id = self.area_info.get(area_id, (None, None))
        return parent_id if tier == Area.Tier.DISTRICT else area_id

    def resolve_area(self, name: str, ward: str) -> int:
        try:
            return self.areas.resolve(name)
        except ParseError:
            if ward:
                found = self.areas.get(f"{ward}{name}") or self.areas.get(f"{ward} {name}")
                if found:
                    return found
            raise


def _check_digit(code: str) -> str:
    total = sum(int(d) * w for d, w in zip(code, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)
