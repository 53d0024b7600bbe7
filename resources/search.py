"""The one selector every page uses to find resources: the search page, the map
data, printing and exports. It always starts from the access policy.

Keyword search matches the normalised search text (portal.text.normalize):
- PostgreSQL: the text's character bigrams are stored as a tsvector literal
  (``search_bigrams``) with a GIN expression index; a query is the phrase of its
  bigrams, which matches exactly where the text contains the query. The literal
  is cast, not parsed, so the text search parser never splits Japanese.
  One-character queries fall back to LIKE.
- SQLite: LIKE on the normalised text.

A query is words (resources/words.py): each is understood once, as a place, an
area, a weekday, a time of day, 「無料」, a label or a keyword; keywords and
labels are AND-ed. A word that empties the result is dropped, and the page says
so (``SearchFilters.dropped``), with 「もしかして」 (resources/suggest.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import weekdays
from portal.cache import versioned_value
from portal.geo import EARTH_RADIUS_KM, locator
from portal.models import AddressPoint, Area
from portal.text import normalize_address, search_key
from resources.models import Category, Feature, Resource, Target, TimeOfDay
from resources.policy import resources_visible_to
from resources.words import KIND_LABELS, Kind, Label, Word, classify

MAX_QUERY_LENGTH = 100
DEFAULT_RADIUS_KM = 1.0
MIN_RADIUS_KM = 0.1
MAX_RADIUS_KM = 20.0
TIME_CODES = {"am": TimeOfDay.MORNING, "pm": TimeOfDay.AFTERNOON, "night": TimeOfDay.EVENING}


def _clean_param(value: str | None, limit: int) -> str:
    # PostgreSQL text cannot hold NUL; nothing a person types contains it.
    return (value or "").replace("\x00", "").strip()[:limit]


@versioned_value
def reference_lists() -> dict[str, list]:
    """Areas, categories, targets and features, as every search reads them.

    They change rarely: each process keeps them for the current data version,
    which any change to them moves on (portal/cache.py).
    """
    return {
        "areas": [
            {"pk": a.pk, "code": a.code, "label": a.label, "tier": a.tier}
            for a in Area.objects.select_related("parent")
            .only("code", "name", "tier", "parent__name")
            .order_by("tier", "sort_order", "code")
        ],
        "categories": list(Category.objects.all()),
        "targets": list(Target.objects.all()),
        "features": list(Feature.objects.all()),
    }


class Sort(StrEnum):
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    KANA = "kana"
    UPDATED = "updated"


SORT_LABELS = {
    Sort.RELEVANCE: gettext_lazy("関連度順"),
    Sort.DISTANCE: gettext_lazy("近い順"),
    Sort.KANA: gettext_lazy("五十音順"),
    Sort.UPDATED: gettext_lazy("更新が新しい順"),
}


def bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)]


def bigram_vector(text: str) -> str:
    """``text``'s bigrams as a tsvector literal: 'たい':1 'いそ':2 …"""
    positions: dict[str, list[str]] = {}
    for index, gram in enumerate(bigrams(text)[:16000], start=1):
        positions.setdefault(gram, []).append(str(index))
    # Imports write thousands of these: quote only a text that needs it.
    quoted = "'" in text or "\\" in text
    return " ".join(
        f"'{_quote(gram) if quoted else gram}':{','.join(spots[:256])}"
        for gram, spots in positions.items()
    )


def _quote(token: str) -> str:
    return token.replace("\\", "\\\\").replace("'", "''")


def bigram_phrase(needle: str) -> str:
    """The tsquery literal matching texts that contain ``needle`` (2+ characters)."""
    return " <-> ".join(f"'{_quote(gram)}'" for gram in bigrams(needle))


@dataclass
class Point:
    lat: float
    lng: float
    label: str


@dataclass
class Chip:
    """An active filter, shown with a link that removes it."""

    label: str
    remove_query: str
    short: str = ""  # in titles: the word as typed, without how it was understood


# The query parameters a search reads (the page, the map data, print and export).
SEARCH_PARAMS = frozenset(
    {
        "q", "area", "category", "target", "feature", "type", "weekday", "time", "free",
        "status", "lat", "lng", "near", "radius_km", "sort",
    }
)  # fmt: skip


@dataclass
class SearchFilters:
    q: str = ""
    area: Area | None = None
    categories: list[Category] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    weekdays: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    free: bool = False
    targets: list[Target] = field(default_factory=list)
    features: list[Feature] = field(default_factory=list)
    statuses: list[str] = field(default_factory=lambda: [Resource.Status.ACTIVE])
    point: Point | None = None
    radius_km: float | None = None
    sort: Sort = Sort.KANA
    place_from_area: bool = False
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    params: QueryDict = field(default_factory=QueryDict)
    words: list[Word] = field(default_factory=list)
    # Filled by resource_search: the words that emptied the result, and for each
    # unknown word a known one close to it.
    dropped: list[Word] = field(default_factory=list)
    suggestions: list[tuple[Word, str]] = field(default_factory=list)
    resolved: bool = False
    # The matching ids found while resolving the words, which the paginator
    # would otherwise ask again: the same query.
    matching_ids: list[int] | None = None
    # The search page and its map drop words that find nothing; prints, exports,
    # the API and calendars take the query as it is (a print link carries the
    # page's kept words, ``effective_query``).
    drop_words: bool = False

    def __post_init__(self) -> None:
        # Made with a query in code (the API, calendars): its words as from a URL.
        if self.q and not self.words:
            self.words = classify(self.q, text_exists=_public_text_exists)
            self._apply_words()

    @classmethod
    def from_query(cls, params: QueryDict, *, drop_words: bool = False) -> SearchFilters:
        """Filters from a URL's query. Bad values become Japanese messages, never errors."""
        f = cls(params=params, drop_words=drop_words)
        f._parse_keyword(params.get("q") or "")
        f._parse_area(params.get("area") or "")
        lists = reference_lists()
        f.categories = f._lookup(lists["categories"], params.getlist("category"), _("カテゴリ"))
        f.targets = f._lookup(lists["targets"], params.getlist("target"), _("対象者"))
        f.features = f._lookup(lists["features"], params.getlist("feature"), _("特徴"))
        f.types = f._choices(params.getlist("type"), dict(Resource.Type.choices), _("種別"))
        f.weekdays = f._weekdays(params.getlist("weekday"))
        f.times = f._choices(
            params.getlist("time"), {k: str(v.label) for k, v in TIME_CODES.items()}, _("時間帯")
        )
        f.free = params.get("free") in ("1", "on", "true")
        statuses = [s for s in params.getlist("status") if s]
        if "all" in statuses:
            f.statuses = []
        elif statuses:
            f.statuses = (
                f._choices(statuses, dict(Resource.Status.choices), _("状態")) or f.statuses
            )
        f._parse_point(params)
        f._apply_words()
        f._parse_sort(params.get("sort") or "")
        return f

    # Parsing ------------------------------------------------------------

    def _parse_keyword(self, raw: str) -> None:
        raw = raw.strip()
        if len(raw) > MAX_QUERY_LENGTH:
            self.notices.append(
                _("ことばが長すぎるため、最初の%(n)d文字で探しました。") % {"n": MAX_QUERY_LENGTH}
            )
            raw = raw[:MAX_QUERY_LENGTH]
        self.q = raw
        if raw:
            self.words = classify(raw, text_exists=_public_text_exists)

    def _apply_words(self) -> None:
        """What the words say beyond keywords: the area, the place, days, times, free."""
        for word in self.words:
            if word.kind is Kind.FREE:
                self.free = True
            elif word.kind is Kind.TIME and word.code not in self.times:
                self.times.append(word.code)
            elif word.kind is Kind.WEEKDAY and word.code not in self.weekdays:
                self.weekdays.append(word.code)
            elif word.kind is Kind.AREA:
                area = Area.objects.select_related("parent").filter(pk=word.area_pk).first()
                if area is not None:
                    self.area, word.understood = area, area.label
            elif word.kind is Kind.PLACE and self.point is None:
                place = word.place
                self.point = Point(place.lat, place.lng, place.name)
                # A typed place orders by distance; it narrows only with a radius.
                self.radius_km = self._typed_radius()
        if (
            self.point is None
            and self.area is not None
            and any(w.kind is Kind.AREA for w in self.words)
        ):
            centre = self.area.centroid_lat, self.area.centroid_lng
            if None not in centre:
                self.point = Point(centre[0], centre[1], self.area.label)
                self.place_from_area = True

    def _typed_radius(self) -> float | None:
        try:
            radius = float(self.params.get("radius_km") or "")
        except ValueError:
            return None
        return radius if MIN_RADIUS_KM <= radius <= MAX_RADIUS_KM else None

    @property
    def keywords(self) -> list[Word]:
        """The words matched on the text (keywords and labels), not dropped."""
        return [
            w for w in self.words if w.kind in (Kind.KEYWORD, Kind.LABEL) and w not in self.dropped
        ]

    def _parse_area(self, code: str) -> None:
        code = _clean_param(code, 40)
        if not code:
            return
        self.area = Area.objects.select_related("parent").filter(code=code[:32]).first()
        if self.area is None:
            self.errors.append(_("区域「%(code)s」は見つかりません。") % {"code": code[:40]})

    def _lookup(self, rows: list, wanted: list[str], label: str) -> list:
        """The rows named by code or by name; unknown ones become a message."""
        wanted = [w.strip()[:50] for w in wanted if w and w.strip()]
        if not wanted:
            return []
        found = [r for r in rows if r.code in wanted or r.name in wanted]
        known = {r.code for r in found} | {r.name for r in found}
        missing = [w for w in wanted if w not in known]
        if missing:
            self.errors.append(
                _("%(label)s「%(values)s」は見つかりません。")
                % {"label": label, "values": "、".join(missing)}
            )
        return found

    def _choices(self, wanted: list[str], choices: dict, label: str) -> list[str]:
        wanted = [w.strip()[:30] for w in wanted if w and w.strip()]
        missing = [w for w in wanted if w not in choices]
        if missing:
            self.errors.append(
                _("%(label)s「%(values)s」は選べません。")
                % {"label": label, "values": "、".join(missing)}
            )
        return [w for w in wanted if w in choices]

    def _weekdays(self, wanted: list[str]) -> list[str]:
        codes = []
        for value in wanted:
            value = (value or "").strip()
            code = weekdays.code_of(value)
            if code in weekdays.CODES:
                codes.append(code)
            elif value:
                self.errors.append(_("曜日「%(value)s」は選べません。") % {"value": value[:20]})
        return list(dict.fromkeys(codes))

    def _parse_point(self, params: QueryDict) -> None:
        lat_raw, lng_raw = (params.get("lat") or "").strip(), (params.get("lng") or "").strip()
        near = _clean_param(params.get("near"), 100)
        if lat_raw or lng_raw:
            try:
                lat, lng = float(lat_raw), float(lng_raw)
            except ValueError:
                self.errors.append(_("現在地の緯度・経度を読み取れません。"))
                return
            if not (-90 <= lat <= 90 and -180 <= lng <= 180) or math.isnan(lat + lng):
                self.errors.append(_("緯度は -90〜90、経度は -180〜180 で指定してください。"))
                return
            self.point = Point(lat, lng, near or _("指定した地点"))
        elif near and (area := _typed_area(near)) is not None:
            # An area typed as a place is the area (not a circle around its centre).
            self.area = self.area or area
            if area.centroid_lat is not None and area.centroid_lng is not None:
                self.point = Point(area.centroid_lat, area.centroid_lng, area.label)
                self.place_from_area = True
            return
        elif near:
            self.point = resolve_place(near)
            if self.point is None:
                self.notices.append(
                    _(
                        "「%(place)s」の場所が見つからないため、場所を除いて探しました。"
                        "町名（例: 梅田1丁目）で入力してください。"
                    )
                    % {"place": near}
                )
        radius_raw = (params.get("radius_km") or "").strip()
        if radius_raw:
            try:
                radius = float(radius_raw)
            except ValueError:
                radius = -1
            if not (MIN_RADIUS_KM <= radius <= MAX_RADIUS_KM):
                self.errors.append(
                    _("距離は %(min)s〜%(max)s km で指定してください。")
                    % {"min": MIN_RADIUS_KM, "max": int(MAX_RADIUS_KM)}
                )
                return
            self.radius_km = radius
        if self.point is None and self.radius_km is not None and self.area is not None:
            centre = self.area.centroid_lat, self.area.centroid_lng
            if None not in centre:
                self.point = Point(centre[0], centre[1], self.area.label)
        if self.point is not None and self.radius_km is None:
            self.radius_km = DEFAULT_RADIUS_KM

    def _parse_sort(self, raw: str) -> None:
        try:
            sort = Sort(raw)
        except ValueError:
            sort = None
        if sort is Sort.DISTANCE and self.point is None:
            sort = None
        if sort is None:
            sort = Sort.DISTANCE if self.point else Sort.RELEVANCE if self.keywords else Sort.KANA
        self.sort = sort

    # Describing ---------------------------------------------------------

    @property
    def is_empty(self) -> bool:
        return not (
            self.q
            or self.area
            or self.categories
            or self.types
            or self.weekdays
            or self.times
            or self.free
            or self.targets
            or self.features
            or self.point
        )

    @property
    def has_refinements(self) -> bool:
        """Filters beyond the keyword and the place (shown open on the page)."""
        return bool(
            self.area
            or self.categories
            or self.types
            or self.weekdays
            or self.times
            or self.free
            or self.targets
            or self.features
            or self.statuses != [Resource.Status.ACTIVE]
        )

    def chips(self) -> list[Chip]:
        """The active filters, each with the query that drops it."""
        chips: list[Chip] = []

        def without(key: str, value: str | None = None, also: tuple[str, ...] = ()) -> str:
            query = self.params.copy()
            query.pop("page", None)
            for extra in also:
                query.pop(extra, None)
            if value is None:
                query.pop(key, None)
            else:
                query.setlist(key, [v for v in query.getlist(key) if v != value])
            return query.urlencode()

        for word in self.words:
            if word in self.dropped:
                continue
            rest = " ".join(w.text for w in self.words if w is not word)
            query = self.params.copy()
            query.pop("page", None)
            query["q"] = rest
            if not rest:
                query.pop("q")
            label = f"「{word.text}」"
            if word.kind is not Kind.KEYWORD and word.understood in ("", word.text):
                label = _("%(word)s（%(kind)s）") % {"word": label, "kind": KIND_LABELS[word.kind]}
            elif word.kind is not Kind.KEYWORD:
                label = _("%(word)s（%(kind)s: %(meaning)s）") % {
                    "word": label,
                    "kind": KIND_LABELS[word.kind],
                    "meaning": word.understood,
                }
            chips.append(Chip(label, query.urlencode(), short=f"「{word.text}」"))
        if self.area and not any(w.kind is Kind.AREA for w in self.words):
            chips.append(Chip(self.area.label, without("area")))
        for values, key in (
            (self.categories, "category"),
            (self.targets, "target"),
            (self.features, "feature"),
        ):
            for item in values:
                raw = next(
                    (v for v in self.params.getlist(key) if v in (item.code, item.name)), item.code
                )
                chips.append(Chip(item.name, without(key, raw)))
        type_labels = dict(Resource.Type.choices)
        for code in self.types:
            chips.append(Chip(str(type_labels[code]), without("type", code)))
        for raw in self.params.getlist("weekday"):
            code = weekdays.code_of(raw)
            if code in self.weekdays:
                chips.append(
                    Chip(_("%(day)s曜") % {"day": weekdays.LABELS[code]}, without("weekday", raw))
                )
        for code in self.times:
            if code not in self.params.getlist("time"):
                continue  # a typed word's, with the word's chip
            chips.append(Chip(str(TIME_CODES[code].label), without("time", code)))
        if self.free and self.params.get("free") in ("1", "on", "true"):
            chips.append(Chip(_("無料"), without("free")))
        if self.statuses != [Resource.Status.ACTIVE]:
            labels = dict(Resource.Status.choices)
            shown = "・".join(str(labels[s]) for s in self.statuses) or _("すべての状態")
            chips.append(Chip(shown, without("status")))
        if self.point and not any(w.kind in (Kind.PLACE, Kind.AREA) for w in self.words):
            chips.append(
                Chip(
                    _("%(place)sから%(km)skm以内")
                    % {"place": self.point.label, "km": f"{self.radius_km:g}"},
                    without("near", also=("lat", "lng", "radius_km")),
                )
            )
        return chips

    def effective_query(self) -> QueryDict:
        """The query without the dropped words: what the page really searched."""
        query = self.params.copy()
        for key in ("page", "partial"):
            query.pop(key, None)
        if self.dropped:
            kept = " ".join(w.text for w in self.words if w not in self.dropped)
            if kept:
                query["q"] = kept
            else:
                query.pop("q", None)
        return query

    @property
    def suggestion_links(self) -> list[tuple[str, str]]:
        """「もしかして」: each suggested word with the query that searches with it."""
        links = []
        for word, suggested in self.suggestions:
            query = self.params.copy()
            query.pop("page", None)
            query["q"] = " ".join(suggested if w is word else w.text for w in self.words)
            links.append((suggested, query.urlencode()))
        return links

    def title(self) -> str:
        """The search in words, for headings and printed titles: 北区・運動・火曜."""
        parts = [c.short or c.label for c in self.chips()]
        return "・".join(parts) if parts else _("すべての地域資源")


def _typed_area(text: str) -> Area | None:
    from resources.words import Kind as WordKind
    from resources.words import _classify_one

    word = _classify_one(text, lambda key: True)
    if word.kind is not WordKind.AREA:
        return None
    return Area.objects.select_related("parent").filter(pk=word.area_pk).first()


def resolve_place(text: str) -> Point | None:
    """A typed address, 町丁 or area name as a point, offline."""
    entry = locator().match_address(text)
    if entry:
        return Point(entry.lat, entry.lng, text)
    key = normalize_address(text)
    if len(key) >= 2:
        point = (
            AddressPoint.objects.filter(normalized_name__startswith=key)
            .order_by("normalized_name")
            .first()
        )
        if point:
            return Point(point.lat, point.lng, text)
    area = Area.objects.filter(name=text).exclude(centroid_lat=None).first()
    if area:
        return Point(area.centroid_lat, area.centroid_lng, area.label)
    return None


def distance_expression(lat: float, lng: float):
    """Haversine distance in km, with Django's math functions (SQLite and PostgreSQL)."""
    dlat = Radians(F("lat") - Value(lat)) / 2
    dlng = Radians(F("lng") - Value(lng)) / 2
    a = Power(Sin(dlat), 2) + Cos(Value(math.radians(lat))) * Cos(Radians(F("lat"))) * Power(
        Sin(dlng), 2
    )
    return Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(a), Value(1.0)))


def within_km(resources: QuerySet[Resource], point: Point, radius: float) -> QuerySet[Resource]:
    """The resources (annotated with ``distance_km``) within ``radius`` km of
    ``point``: first the box around the circle, which the (lat, lng) index
    answers; a little wider than the circle, never narrower (the nearest page
    relies on every match inside the circle being in the box)."""
    km_per_degree = EARTH_RADIUS_KM * math.pi / 180
    dlat = radius / km_per_degree * 1.001
    dlng = radius / (km_per_degree * max(math.cos(math.radians(point.lat)), 0.01)) * 1.001
    return resources.filter(
        lat__gte=point.lat - dlat,
        lat__lte=point.lat + dlat,
        lng__gte=point.lng - dlng,
        lng__lte=point.lng + dlng,
        distance_km__lte=radius,
    )


def keyword_condition(needle: str) -> Q | None:
    """The indexed condition for resources whose text contains ``needle``, where
    there is one (PostgreSQL, two or more characters)."""
    if connection.vendor == "postgresql" and len(needle) >= 2:
        return Q(search_bigrams__phrase=bigram_phrase(needle))
    return None


def _any(rows: QuerySet) -> bool:
    """Whether ``rows`` has a row. On PostgreSQL asked as the paginator asks, for
    up to COUNT_CAP + 1 ids: for EXISTS or LIMIT 1 the planner scans the table
    hoping to meet a match early, casting every row's vector when the phrase is
    rare (seconds at 100,000 rows); a count is planned on the GIN index but
    checks the phrase in every match (0.2 s for 19,000); the bounded ids are
    planned on the index and stop early."""
    if connection.vendor != "postgresql":
        return rows.exists()
    return bool(bounded_ids(rows))


def bounded_ids(rows: QuerySet) -> list[int]:
    """The ids of up to COUNT_CAP + 1 of ``rows``: which rows match, not their order."""
    return list(rows.order_by().values_list("pk", flat=True)[: COUNT_CAP + 1])


def _public_text_exists(key: str) -> bool:
    """Whether a public resource's text holds ``key`` (for understanding words)."""
    public = Resource.objects.filter(visibility=Resource.Visibility.PUBLIC)
    return _any(public.filter(_text_condition(key)))


def _text_condition(needle: str) -> Q:
    condition = keyword_condition(needle)
    return condition if condition is not None else Q(search_text__contains=needle)


def word_condition(word: Word) -> Q:
    """What a keyword or label word asks of a resource: its indexed text holds the
    word or, for a label, the label's name (the text holds the names of the
    resource's type and labels: resources/indexing.py). Kana also matches the
    readings, indexed with the text; a kanji word matches only kanji, so 囲碁
    never finds 介護 by its reading かいご.

    On PostgreSQL the forms are one tsquery (phrase | phrase …), which the GIN
    index answers in one scan."""
    needles = list(dict.fromkeys([*word.needles, *(_indexed_name(label) for label in word.labels)]))
    needles = [needle for needle in needles if needle]
    if connection.vendor == "postgresql" and all(len(needle) >= 2 for needle in needles):
        query = " | ".join(f"({bigram_phrase(needle)})" for needle in needles)
        return Q(search_bigrams__phrase=query)
    condition = Q()
    for needle in needles:
        condition |= _text_condition(needle)
    return condition


def _indexed_name(label: Label) -> str:
    """The label's name as the indexed text holds it (in the site's language)."""
    if label.kind == "type":
        with translation.override(settings.LANGUAGE_CODE):
            return search_key(str(Resource.Type(label.value).label))
    return search_key(label.name)


def _drop_words(base: QuerySet[Resource], filters: SearchFilters) -> None:
    """Drop the words that leave nothing: first those that match nothing with the
    other filters, then from the last typed, until something is found."""
    words = filters.keywords
    conditions = {id(w): word_condition(w) for w in words}

    def matches(kept: list[Word]) -> bool:
        rows = base
        for w in kept:
            rows = rows.filter(conditions[id(w)])
        return _any(rows)

    if not words:
        return
    every = base
    for w in words:
        every = every.filter(conditions[id(w)])
    # Found: they are the matches the paginator needs (the same query).
    filters.matching_ids = bounded_ids(every) or None
    if filters.matching_ids:
        return
    kept = [w for w in words if matches([w])]
    for w in words:
        if w not in kept:
            w.extra["unknown"] = True
    while kept and not matches(kept):
        kept.pop()
    filters.dropped = [w for w in words if w not in kept]


def resource_search(*, fetched_by, filters: SearchFilters) -> QuerySet[Resource]:
    """Resources matching ``filters`` that ``fetched_by`` may see, in the chosen order.

    Where the keywords together find nothing, the words that emptied the result
    are dropped (``filters.dropped``, once per ``filters``)."""
    if filters.errors:
        return Resource.objects.none()
    resources = resources_visible_to(fetched_by)
    if filters.statuses:
        resources = resources.filter(status__in=filters.statuses)
    if filters.area is not None:
        key = "area_tier1" if filters.area.tier == Area.Tier.CITY else "area"
        resources = resources.filter(**{key: filters.area})
    if filters.types:
        resources = resources.filter(resource_type__in=filters.types)
    if filters.free:
        resources = resources.filter(fee_free=True)
    if filters.categories:
        resources = resources.filter(
            Exists(
                Resource.categories.through.objects.filter(
                    resource_id=OuterRef("pk"), category__in=filters.categories
                )
            )
        )
    if filters.targets:
        resources = resources.filter(
            Exists(
                Resource.targets.through.objects.filter(
                    resource_id=OuterRef("pk"), target__in=filters.targets
                )
            )
        )
    for feature in filters.features:  # all of the chosen conditions
        resources = resources.filter(
            Exists(
                Resource.features.through.objects.filter(
                    resource_id=OuterRef("pk"), feature=feature
                )
            )
        )
    if filters.weekdays:
        mask = sum(weekdays.bit(code) for code in filters.weekdays)
        resources = resources.annotate(day_hits=F("schedule_days").bitand(mask)).filter(
            day_hits__gt=0
        )
    if filters.times:
        mask = sum(TIME_CODES[code] for code in filters.times)
        resources = resources.annotate(time_hits=F("schedule_times").bitand(mask)).filter(
            time_hits__gt=0
        )

    if filters.point is not None:
        p = filters.point
        resources = resources.annotate(distance_km=distance_expression(p.lat, p.lng))
        if filters.radius_km is not None:
            resources = within_km(resources, p, filters.radius_km)
        # else a typed place: nearest first, nothing left out (the unplaced last).

    if filters.drop_words and not filters.resolved:
        filters.resolved = True
        _drop_words(resources, filters)
        if filters.dropped:
            from resources.suggest import suggestions_for

            filters.suggestions = suggestions_for(
                [w for w in filters.dropped if w.extra.get("unknown")]
            )
    for word in filters.keywords:
        resources = resources.filter(word_condition(word))
    needle = next((w.key for w in filters.keywords), "")

    if filters.sort is Sort.DISTANCE and filters.point is not None:
        order = [F("distance_km").asc(nulls_last=True), "pk"]
    elif filters.sort is Sort.RELEVANCE and needle:
        resources = resources.annotate(
            relevance=Case(
                When(name_text__startswith=needle, then=Value(3)),
                When(name_text__contains=needle, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        order = ["needs_recheck", "-relevance", "kana", "name", "pk"]
    elif filters.sort is Sort.UPDATED:
        order = ["-updated_at", "pk"]
    else:
        order = KANA_ORDER
    # The derived search columns are large and never shown.
    return resources.defer("search_text", "search_bigrams").order_by(*order)


# 要確認 records (unanswered after the last reminder) rank below confirmed ones.
KANA_ORDER = ["needs_recheck", "kana", "name", "pk"]
COUNT_CAP = 1000
