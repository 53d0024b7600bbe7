"""The words of a typed search, each understood once: 「天満 体操 火曜」 is a place,
a keyword and a weekday.

A query is split on spaces (full or half width) and commas; a kana word with a
particle the analyser sees is split there too (てんまのたいそう → てんま, たいそう).
Each word is compared, in its search form (portal.text.search_key) and by its
reading, with the reference lists and kept as the first of:

- 「無料」, a time of day (午前, 午後, 夜), a weekday (火, 火曜, 火曜日);
- a label: a category, resource type, target or feature (送迎 = 送迎あり);
  it matches resources with that label *or* with the word in their text;
- an area name (北区, きたく): the area filter;
- a 町丁 (天満, てんま, 天満1丁目, 天満一丁目): the place, sorted by distance;
- else a keyword, AND-ed with the others on the indexed text.

The vocabulary is built from the database once per data version (portal/cache.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import weekdays
from portal.cache import versioned_value
from portal.models import AddressPoint, Area
from portal.text import is_kana, search_key
from resources.models import Category, Feature, Resource, Target, TimeOfDay
from resources.readings import reading, split_particles

MAX_WORDS = 10
_SPLIT = re.compile(r"[\s\u3000、,，・]+")
_CHOME = re.compile(r"\d+丁目$")
_CHOME_READING = re.compile(r"\d*ちょーめ$")
_NAME_CHOME = re.compile(r"[0-9０-９〇一二三四五六七八九十]+丁目$")
# A place typed with what is around it: 天満駅, 天満のあたり.
_PLACE_SUFFIX = re.compile(r"(駅|えき|付近|周辺|あたり|近く|ちかく)$")
# Endings a label is typed without: 送迎(あり), 体操(教室), 配食(サービス).
_LABEL_ENDINGS = re.compile(r"(あり|歓迎|できる|教室|サービス|の方と家族|の方)$")

FREE_WORDS = {"無料", "むりょう", "参加費無料", "0円", "無償"}
TIME_WORDS = {
    "am": {"午前", "ごぜん", "朝", "あさ"},
    "pm": {"午後", "ごご", "昼", "ひる"},
    "night": {"夜", "よる", "夕方", "ゆうがた", "夜間"},
}


class Kind(StrEnum):
    FREE = "free"
    TIME = "time"
    WEEKDAY = "weekday"
    LABEL = "label"
    AREA = "area"
    PLACE = "place"
    KEYWORD = "keyword"


KIND_LABELS = {
    Kind.FREE: gettext_lazy("費用"),
    Kind.TIME: gettext_lazy("時間帯"),
    Kind.WEEKDAY: gettext_lazy("曜日"),
    Kind.LABEL: gettext_lazy("分類"),
    Kind.AREA: gettext_lazy("区域"),
    Kind.PLACE: gettext_lazy("場所・近い順"),
    Kind.KEYWORD: gettext_lazy("ことば"),
}


@dataclass(frozen=True)
class Label:
    """A reference item a word names: ``kind`` is category, type, target or feature."""

    kind: str
    value: str  # the code (category, target, feature, type)
    name: str


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lng: float


@dataclass
class Word:
    text: str  # as typed
    kind: Kind
    key: str  # search form
    readings: tuple[str, ...] = ()
    code: str = ""  # weekday or time code
    area_pk: int | None = None
    labels: tuple[Label, ...] = ()
    place: Place | None = None
    understood: str = ""  # how it was understood, shown on its chip
    extra: dict = field(default_factory=dict)

    @property
    def needles(self) -> tuple[str, ...]:
        """The forms matched on the indexed text: the word and, typed in kana with
        お/ご in front (おかいもの), the word without it."""
        found = [self.key]
        if is_kana(self.key) and len(self.key) >= 4 and self.key[0] in "おご":
            found.append(self.key[1:])
        return tuple(found)


def _label_keys(name: str) -> set[str]:
    keys = {search_key(name), reading(name)}
    for part in _SPLIT.split(name):
        if len(part) >= 2:
            keys |= {search_key(part), reading(part)}
    for key in list(keys):
        stripped = _LABEL_ENDINGS.sub("", key)
        if len(stripped) >= 2:
            keys.add(stripped)
    keys |= {reading(_LABEL_ENDINGS.sub("", name))} if _LABEL_ENDINGS.search(name) else set()
    return {k for k in keys if len(k) >= 2}


@versioned_value
def vocabulary() -> dict:
    """What words are compared with: labels, areas and 町丁 by search form and reading."""
    labels: dict[str, list[Label]] = {}

    def add_label(label: Label) -> None:
        for key in _label_keys(label.name):
            if label not in labels.setdefault(key, []):
                labels[key].append(label)

    for kind, model in (("category", Category), ("target", Target), ("feature", Feature)):
        for item in model.objects.all():
            add_label(Label(kind, item.code, item.name))
    for code, name in Resource.Type.choices:
        if code != Resource.Type.OTHER:
            add_label(Label("type", code, str(name)))

    areas: dict[str, int] = {}
    area_rows = list(Area.objects.select_related("parent").order_by("tier", "sort_order", "code"))
    names = [a.name for a in area_rows]
    for area in area_rows:
        keys = {search_key(area.label), reading(area.label)}
        if names.count(area.name) == 1:  # 第1圏域 alone names several
            keys |= {search_key(area.name), reading(area.name)}
            if area.kana:
                keys.add(search_key(area.kana))
        for key in keys:
            if len(key) >= 2:
                areas.setdefault(key, area.pk)

    places: dict[str, Place] = {}
    bases: dict[str, list] = {}
    for point in AddressPoint.objects.order_by("code").only("name", "lat", "lng"):
        key = search_key(point.name)
        places.setdefault(key, Place(point.name, point.lat, point.lng))
        base = _CHOME.sub("", key)
        bases.setdefault(base, []).append(point)
    base_readings: list[tuple[str, Place]] = []
    for base, points in bases.items():
        first = points[0]
        name = _NAME_CHOME.sub("", first.name)
        place = Place(
            name,
            sum(p.lat for p in points) / len(points),
            sum(p.lng for p in points) / len(points),
        )
        places.setdefault(base, place)
        # Read in its context (天満1丁目 てんま…, where 天満 alone reads てんまん).
        for spoken in {reading(name), _CHOME_READING.sub("", reading(first.name))}:
            if len(spoken) >= 2:
                places.setdefault(spoken, place)
                base_readings.append((spoken, place))
    base_readings.sort(key=lambda pair: len(pair[0]))
    return {"labels": labels, "areas": areas, "places": places, "place_readings": base_readings}


def split_words(query: str) -> list[str]:
    return [w for w in _SPLIT.split(query.strip()) if w][:MAX_WORDS]


def classify(query: str, *, text_exists: Callable[[str], bool]) -> list[Word]:
    """The words of ``query``, each understood once. ``text_exists(key)`` says
    whether any resource's text holds a key (a kana word that only begins a 町丁
    reading is a place only where it is no word of the resources)."""
    found: list[Word] = []
    for raw in split_words(query):
        word = _classify_one(raw, text_exists)
        if not word.key:
            continue  # punctuation alone: nothing to look for
        if word.kind is Kind.KEYWORD and is_kana(word.key):
            parts = split_particles(raw)
            if len(parts) > 1:
                found.extend(_classify_one(part, text_exists) for part in parts)
                continue
        found.append(word)
    return found


def _classify_one(raw: str, text_exists: Callable[[str], bool]) -> Word:
    key = search_key(raw)
    spoken = key if is_kana(key) else reading(raw)
    word = Word(raw, Kind.KEYWORD, key, readings=(spoken,))
    if not key:
        return word
    if raw in FREE_WORDS or key in FREE_WORDS:
        word.kind, word.understood = Kind.FREE, _("無料")
        return word
    for code, names in TIME_WORDS.items():
        if raw in names or key in names:
            word.kind, word.code = Kind.TIME, code
            word.understood = str(
                {"am": TimeOfDay.MORNING, "pm": TimeOfDay.AFTERNOON}.get(
                    code, TimeOfDay.EVENING
                ).label
            )
            return word
    day = weekdays.code_of(raw.removeprefix("毎週"))
    if day in weekdays.CODES and len(raw) <= 5:
        word.kind, word.code = Kind.WEEKDAY, day
        word.understood = _("%(day)s曜") % {"day": weekdays.LABELS[day]}
        return word
    vocab = vocabulary()
    labels = vocab["labels"].get(key) or vocab["labels"].get(spoken)
    if labels:
        word.kind, word.labels = Kind.LABEL, tuple(labels)
        word.understood = "・".join(dict.fromkeys(label.name for label in labels))
        return word
    area_pk = vocab["areas"].get(key) or vocab["areas"].get(spoken)
    if area_pk:
        word.kind, word.area_pk = Kind.AREA, area_pk
        return word
    place = _place(key, spoken, vocab, text_exists)
    if place is not None:
        word.kind, word.place, word.understood = Kind.PLACE, place, place.name
    return word


def _place(key: str, spoken: str, vocab: dict, text_exists) -> Place | None:
    places = vocab["places"]
    if key in places:
        return places[key]
    bare = _PLACE_SUFFIX.sub("", key)
    if bare != key and len(bare) >= 2:
        if bare in places:
            return places[bare]
        key = bare
        spoken = bare if is_kana(bare) else spoken
    if not is_kana(key) or len(key) < 3 or text_exists(key):
        return None
    # A reading typed short, or as the analyser does not read it (てんま for 天満).
    for place_reading, place in vocab["place_readings"]:
        if place_reading.startswith(key):
            return place
    return None
