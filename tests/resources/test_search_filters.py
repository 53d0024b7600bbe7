"""GET /resources/ with filters: each one narrows the list as the form says, and shows a chip."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from portal.geo import reset_locator
from portal.models import AddressPoint
from resources.models import Category, Feature, Resource, ScheduleRule, Target
from tests.conftest import add_schedule, make_resource
from tests.resources.search_pages import chips, dropped, errors, listed_names, notices, text

# Places inside the conftest areas: 北区 第1圏域, 北区 第2圏域, 港区 第1圏域.
IN_KITA1 = {"lat": 34.70, "lng": 135.49}
IN_KITA2 = {"lat": 34.72, "lng": 135.51}
IN_MINATO1 = {"lat": 34.66, "lng": 135.44}


def names(client, params: dict) -> list[str]:
    response = client.get("/resources/", params)
    assert response.status_code == 200
    assert errors(response) == []
    return listed_names(response)


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def rule(resource: Resource, kind: str, **fields) -> ScheduleRule:
    return add_schedule(resource=resource, kind=kind, **fields)


# Area -----------------------------------------------------------------------


@pytest.fixture
def spread(areas) -> None:
    make_resource(name="第1圏域のサロン", kana="あ", **IN_KITA1)
    make_resource(name="第2圏域のサロン", kana="い", **IN_KITA2)
    make_resource(name="港区のサロン", kana="う", **IN_MINATO1)


def test_a_ward_code_lists_the_resources_of_all_its_districts(client, spread):
    assert names(client, {"area": "27127"}) == ["第1圏域のサロン", "第2圏域のサロン"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("27127-1", ["第1圏域のサロン"]),
        ("27127-2", ["第2圏域のサロン"]),
        ("27107-1", ["港区のサロン"]),
    ],
)
def test_a_district_code_lists_only_that_district(client, spread, code, expected):
    assert names(client, {"area": code}) == expected


# Category, type ---------------------------------------------------------------


@pytest.fixture
def by_category(kita1) -> None:
    make_resource(name="運動の会", kana="あ", categories=[category("exercise")], **IN_KITA1)
    make_resource(name="交流の会", kana="い", categories=[category("social")], **IN_KITA1)
    make_resource(name="買い物支援", kana="う", categories=[category("shopping")], **IN_KITA1)


@pytest.mark.parametrize("value", ["exercise", "運動"])
def test_a_category_is_chosen_by_code_or_by_name(client, by_category, value):
    assert names(client, {"category": value}) == ["運動の会"]


def test_several_categories_list_resources_in_any_of_them(client, by_category):
    found = names(client, {"category": ["exercise", "交流"]})

    assert found == ["運動の会", "交流の会"]


def test_a_type_lists_only_resources_of_that_type(client, kita1):
    make_resource(name="体操教室", kana="あ", resource_type=Resource.Type.EXERCISE, **IN_KITA1)
    make_resource(name="サロン", kana="い", resource_type=Resource.Type.SALON, **IN_KITA1)

    assert names(client, {"type": "exercise"}) == ["体操教室"]
    assert names(client, {"type": ["exercise", "salon"]}) == ["体操教室", "サロン"]


# Weekday, time of day ---------------------------------------------------------


@pytest.fixture
def schedules(kita1) -> None:
    monday = make_resource(name="月曜午前の体操", kana="あ", **IN_KITA1)
    rule(monday, "weekly", weekdays="MO", opens_at=time(10), closes_at=time(11, 30))
    tuesday = make_resource(name="火曜午後の囲碁", kana="い", **IN_KITA1)
    rule(tuesday, "weekly", weekdays="TU", opens_at=time(14), closes_at=time(16))
    first_third = make_resource(name="第1・3水曜のカフェ", kana="う", **IN_KITA1)
    rule(
        first_third,
        "monthly_nth",
        weekdays="WE",
        weeks_of_month="1,3",
        opens_at=time(13, 30),
        closes_at=time(15),
    )
    by_date = make_resource(name="毎月15日の夜の会", kana="え", **IN_KITA1)
    rule(by_date, "monthly_date", day_of_month=15, opens_at=time(18, 30), closes_at=time(20))
    sunday = make_resource(name="日曜の散歩", kana="お", **IN_KITA1)
    rule(sunday, "weekly", weekdays="SU", opens_at=time(9), closes_at=time(10))


@pytest.mark.parametrize(
    "value", ["MO", "mo", "月", "月曜", "月曜日"], ids=["MO", "mo", "getsu", "getsuyo", "getsuyobi"]
)
def test_monday_is_accepted_as_a_code_or_in_japanese(client, schedules, value):
    assert names(client, {"weekday": value}) == ["月曜午前の体操"]


@pytest.mark.parametrize("value", ["TU", "火"], ids=["TU", "ka"])
def test_tuesday_is_accepted_as_tu_or_火(client, schedules, value):
    assert names(client, {"weekday": value}) == ["火曜午後の囲碁"]


@pytest.mark.parametrize("value", ["SU", "日", "日曜"], ids=["SU", "nichi", "nichiyo"])
def test_sunday_is_accepted_as_su_or_in_japanese(client, schedules, value):
    response = client.get("/resources/", {"weekday": value})

    assert errors(response) == []
    assert listed_names(response) == ["日曜の散歩"]
    assert chips(response) == {"日曜": []}


def test_a_first_and_third_wednesday_rule_is_found_on_wednesday(client, schedules):
    assert names(client, {"weekday": "WE"}) == ["第1・3水曜のカフェ"]


@pytest.mark.parametrize("code", ["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
def test_a_rule_by_date_of_the_month_matches_no_weekday(client, schedules, code):
    assert "毎月15日の夜の会" not in names(client, {"weekday": code})


def test_several_weekdays_list_resources_on_any_of_them(client, schedules):
    assert names(client, {"weekday": ["MO", "水"]}) == ["月曜午前の体操", "第1・3水曜のカフェ"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("am", ["月曜午前の体操", "日曜の散歩"]),
        ("pm", ["火曜午後の囲碁", "第1・3水曜のカフェ"]),
        ("night", ["毎月15日の夜の会"]),
    ],
)
def test_time_of_day_lists_what_meets_then(client, schedules, value, expected):
    assert names(client, {"time": value}) == expected


# Fee, targets, features, status -------------------------------------------------


def test_free_lists_only_resources_free_of_charge(client, kita1):
    make_resource(name="無料のサロン", kana="あ", fee_free=True, **IN_KITA1)
    make_resource(name="300円のサロン", kana="い", fee_amount=300, **IN_KITA1)

    assert names(client, {"free": "1"}) == ["無料のサロン"]
    assert names(client, {}) == ["無料のサロン", "300円のサロン"]


def test_several_targets_list_resources_for_any_of_them(client, kita1):
    for kana, (name, code) in zip(
        "あいう",
        [("高齢者の会", "age65"), ("認知症カフェ", "dementia"), ("介護者の会", "carers")],
        strict=True,
    ):
        make_resource(name=name, kana=kana, **IN_KITA1).targets.set([Target.objects.get(code=code)])

    assert names(client, {"target": "age65"}) == ["高齢者の会"]
    assert names(client, {"target": ["age65", "認知症の方と家族"]}) == [
        "高齢者の会",
        "認知症カフェ",
    ]


def test_several_features_list_only_resources_with_all_of_them(client, kita1):
    pickup, barrier_free = (
        Feature.objects.get(code="pickup"),
        Feature.objects.get(code="barrier_free"),
    )
    make_resource(name="送迎とバリアフリー", kana="あ", **IN_KITA1).features.set(
        [pickup, barrier_free]
    )
    make_resource(name="送迎だけ", kana="い", **IN_KITA1).features.set([pickup])

    assert names(client, {"feature": "pickup"}) == ["送迎とバリアフリー", "送迎だけ"]
    assert names(client, {"feature": ["pickup", "バリアフリー"]}) == ["送迎とバリアフリー"]


@pytest.fixture
def statuses(kita1) -> None:
    make_resource(name="活動中の会", kana="あ", **IN_KITA1)
    make_resource(name="休止中の会", kana="い", status=Resource.Status.PAUSED, **IN_KITA1)
    make_resource(name="終了した会", kana="う", status=Resource.Status.ENDED, **IN_KITA1)
    make_resource(name="準備中の会", kana="え", status=Resource.Status.PREPARING, **IN_KITA1)


def test_only_active_resources_are_listed_by_default(client, statuses):
    assert names(client, {}) == ["活動中の会"]


def test_status_all_lists_every_status(client, statuses):
    assert names(client, {"status": "all"}) == [
        "活動中の会",
        "休止中の会",
        "終了した会",
        "準備中の会",
    ]


def test_a_chosen_status_lists_only_that_status(client, statuses):
    assert names(client, {"status": "paused"}) == ["休止中の会"]


# Near a place --------------------------------------------------------------------


@pytest.fixture
def umeda(kita1) -> AddressPoint:
    # The kana order is the reverse of the distance order, so the sort shows.
    make_resource(name="220m先のサロン", kana="わ", lat=34.702, lng=135.49)
    make_resource(name="560m先のサロン", kana="あ", lat=34.705, lng=135.49)
    make_resource(name="2.2km先のサロン", kana="か", lat=34.72, lng=135.49)
    point = AddressPoint.objects.create(
        code="27127001", city="大阪市", ward="北区", name="梅田1丁目", lat=34.70, lng=135.49
    )
    reset_locator()
    return point


@pytest.mark.parametrize(
    "near", ["梅田1丁目", "梅田１丁目", "北区梅田一丁目", "大阪市北区梅田1丁目"]
)
def test_a_typed_town_block_lists_what_is_within_1km_nearest_first(client, umeda, near):
    response = client.get("/resources/", {"near": near})

    assert errors(response) == []
    assert listed_names(response) == ["220m先のサロン", "560m先のサロン"]
    assert "約0.2km（徒歩3分）" in text(response)
    assert "約0.6km（徒歩7分）" in text(response)


def test_the_radius_widens_or_narrows_the_nearby_search(client, umeda):
    assert names(client, {"near": "梅田1丁目", "radius_km": "0.5"}) == ["220m先のサロン"]
    assert names(client, {"near": "梅田1丁目", "radius_km": "5"}) == [
        "220m先のサロン",
        "560m先のサロン",
        "2.2km先のサロン",
    ]


def test_a_point_and_radius_list_what_is_within_it_nearest_first(client, umeda):
    found = names(client, {"lat": "34.70", "lng": "135.49", "radius_km": "3"})

    assert found == ["220m先のサロン", "560m先のサロン", "2.2km先のサロン"]
    assert names(client, {"lat": "34.72", "lng": "135.49", "radius_km": "0.5"}) == [
        "2.2km先のサロン"
    ]


def test_an_area_with_a_radius_searches_around_the_area_centre(client, minato1):
    # 港区 第1圏域 is the square 135.43–135.47 E, 34.65–34.69 N: its centre is 34.67, 135.45.
    make_resource(name="圏域の真ん中", lat=34.671, lng=135.45)
    make_resource(name="圏域の隅", lat=34.652, lng=135.432)

    response = client.get("/resources/", {"area": "27107-1", "radius_km": "1"})

    assert listed_names(response) == ["圏域の真ん中"]
    assert "港区 第1圏域から1km以内" in chips(response)


def test_an_unknown_place_is_dropped_with_a_message_in_japanese(client, umeda, public_salon):
    response = client.get("/resources/", {"near": "存在しない町"})

    assert errors(response) == []
    assert notices(response) == [
        "「存在しない町」の場所が見つからないため、場所を除いて探しました。"
        "町名（例: 梅田1丁目）で入力してください。"
    ]
    assert "梅田ふれあいサロン" in listed_names(response)


# Sort ----------------------------------------------------------------------------


@pytest.fixture
def to_sort(kita1) -> dict[str, Resource]:
    rows = {
        "c": make_resource(name="たいそうの会", kana="たいそうのかい", **IN_KITA1),
        "a": make_resource(name="ささえあい体操", kana="ささえあいたいそう", **IN_KITA1),
        "b": make_resource(
            name="あおぞらクラブ", kana="あおぞらくらぶ", description="いすで たいそう", **IN_KITA1
        ),
    }
    start = datetime(2025, 4, 1, tzinfo=UTC)
    for days, key in enumerate(["c", "b", "a"]):
        Resource.objects.filter(pk=rows[key].pk).update(updated_at=start + timedelta(days=days))
    return rows


def test_sort_kana_lists_in_gojuon_order(client, to_sort):
    assert names(client, {"sort": "kana"}) == ["あおぞらクラブ", "ささえあい体操", "たいそうの会"]


def test_without_a_keyword_the_list_is_in_gojuon_order(client, to_sort):
    assert names(client, {}) == ["あおぞらクラブ", "ささえあい体操", "たいそうの会"]


def test_sort_updated_lists_the_most_recently_updated_first(client, to_sort):
    assert names(client, {"sort": "updated"}) == [
        "ささえあい体操",
        "あおぞらクラブ",
        "たいそうの会",
    ]


def test_sort_relevance_lists_name_matches_before_description_matches(client, to_sort):
    found = names(client, {"q": "たいそう", "sort": "relevance"})

    assert found == ["たいそうの会", "ささえあい体操", "あおぞらクラブ"]


def test_a_keyword_search_is_by_relevance_unless_told_otherwise(client, to_sort):
    assert names(client, {"q": "たいそう"}) == ["たいそうの会", "ささえあい体操", "あおぞらクラブ"]
    assert names(client, {"q": "たいそう", "sort": "kana"}) == [
        "あおぞらクラブ",
        "ささえあい体操",
        "たいそうの会",
    ]


# Chips ---------------------------------------------------------------------------

ALL_FILTERS = [
    ("q", "体操"),
    ("area", "27127"),
    ("category", "exercise"),
    ("category", "交流"),
    ("type", "exercise"),
    ("weekday", "MO"),
    ("weekday", "火"),
    ("time", "am"),
    ("free", "1"),
    ("target", "age65"),
    ("feature", "pickup"),
    ("near", "梅田1丁目"),
    ("radius_km", "2"),
    ("sort", "kana"),
]


def as_query(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    query: dict[str, list[str]] = {}
    for key, value in pairs:
        query.setdefault(key, []).append(value)
    return query


def without(*dropped: tuple[str, str] | str) -> list[tuple[str, str]]:
    return sorted(
        (key, value)
        for key, value in ALL_FILTERS
        if (key, value) not in dropped and key not in dropped
    )


def test_each_active_filter_shows_a_chip_whose_link_drops_only_that_filter(client, umeda, areas):
    response = client.get("/resources/", as_query([*ALL_FILTERS, ("page", "1")]))

    assert errors(response) == []
    # Nothing is registered: the word is left out, said so, and has no chip.
    assert dropped(response) == ["体操"]
    assert chips(response) == {
        "北区": without("area"),
        "運動": without(("category", "exercise")),
        "交流": without(("category", "交流")),
        "体操教室": without("type"),
        "月曜": without(("weekday", "MO")),
        "火曜": without(("weekday", "火")),
        "午前": without("time"),
        "無料": without("free"),
        "65歳以上": without("target"),
        "送迎あり": without("feature"),
        "梅田1丁目から2km以内": without("near", "radius_km"),
    }


def test_the_point_chip_drops_the_coordinates_and_radius_together(client, umeda):
    response = client.get("/resources/", {"lat": "34.70", "lng": "135.49", "radius_km": "1"})

    assert chips(response) == {"指定した地点から1km以内": []}


def test_following_a_chip_link_gives_the_search_without_that_filter(client, by_category):
    response = client.get("/resources/", {"category": ["exercise", "social"]})
    assert listed_names(response) == ["運動の会", "交流の会"]

    after = client.get("/resources/", as_query(chips(response)["交流"]))

    assert listed_names(after) == ["運動の会"]
    assert list(chips(after)) == ["運動"]


def test_no_filter_no_chips(client, by_category):
    response = client.get("/resources/")

    assert chips(response) == {}
    assert "すべて外す" not in text(response)


def test_the_cache_knows_every_parameter_the_search_reads(db):
    """SEARCH_PARAMS (what a cached page may vary by) is what from_query reads."""
    from django.http import QueryDict

    from resources.search import SEARCH_PARAMS, SearchFilters

    class Recording(QueryDict):
        read: set[str] = set()

        def get(self, key, default=None):
            self.read.add(key)
            return super().get(key, default)

        def getlist(self, key, default=None):
            self.read.add(key)
            return super().getlist(key, default)

    SearchFilters.from_query(Recording("q=体操&near=梅田&lat=34.7&lng=135.5"))

    assert Recording.read == SEARCH_PARAMS
