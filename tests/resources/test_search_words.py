"""GET /resources/?q=: a query is words, each understood once (resources/words.py).

「天満 体操」「体操 北区」「体操 火曜」「北区 体操 無料」 used to find nothing: the words
were one phrase. Now each word narrows, as a resident types them.
"""

from __future__ import annotations

from datetime import time

import pytest

from resources.models import Feature, Resource, UnmetSearch
from resources.services import resource_update
from tests.conftest import add_schedule, make_resource
from tests.resources.search_pages import (
    chips,
    dropped,
    listed_names,
    notices,
    suggestions,
    text,
)

NEAR_TENMA = {"lat": 34.7203, "lng": 135.5103}  # 北区 第2圏域, beside 天満２丁目
NEAR_UMEDA = {"lat": 34.7003, "lng": 135.4903}  # 北区 第1圏域, beside 梅田１丁目
IN_MINATO = {"lat": 34.65, "lng": 135.43}


def weekly(resource, days: str, opens: int) -> None:
    add_schedule(
        resource=resource,
        kind="weekly",
        weekdays=days,
        opens_at=time(opens),
        closes_at=time(opens + 1),
    )


@pytest.fixture
def town(areas, umeda, tenma) -> dict[str, Resource]:
    made = {
        "tenma_taiso": make_resource(
            name="天神橋いきいき百歳体操",
            resource_type=Resource.Type.EXERCISE,
            fee_free=True,
            **NEAR_TENMA,
        ),
        "umeda_taiso": make_resource(
            name="梅田体操の会", resource_type=Resource.Type.EXERCISE, fee_amount=100, **NEAR_UMEDA
        ),
        "minato_taiso": make_resource(
            name="港いきいき体操", resource_type=Resource.Type.EXERCISE, fee_free=True, **IN_MINATO
        ),
        "salon": make_resource(name="ふれあいサロン", venue="梅田集会所", **NEAR_UMEDA),
        "cafe": make_resource(
            name="オレンジカフェ", resource_type=Resource.Type.DEMENTIA_CAFE, **NEAR_TENMA
        ),
        "named_cafe": make_resource(name="認知症カフェ ひまわり", **NEAR_UMEDA),
        "shopping": make_resource(
            name="買物支援バス",
            resource_type=Resource.Type.LIFE_SUPPORT,
            description="スーパーまで送ります",
            **NEAR_UMEDA,
        ),
    }
    weekly(made["tenma_taiso"], "TU", 10)
    weekly(made["umeda_taiso"], "TH", 14)
    weekly(made["minato_taiso"], "TU", 10)
    weekly(made["salon"], "TU", 13)
    resource_update(resource=made["salon"], features=[Feature.objects.get(code="pickup")])
    resource_update(resource=made["cafe"], features=[Feature.objects.get(code="barrier_free")])
    return made


def search(client, q: str, **extra):
    return client.get("/resources/", {"q": q, **extra})


def names(client, q: str, **extra) -> list[str]:
    return listed_names(search(client, q, **extra))


# The four searches that found nothing ------------------------------------------------


def test_a_place_and_a_keyword_find_the_keyword_nearest_the_place_first(client, town):
    response = search(client, "天満 体操")

    assert listed_names(response) == ["天神橋いきいき百歳体操", "梅田体操の会", "港いきいき体操"]
    assert "「天満」（場所・近い順）" in chips(response)
    assert "近い順" in text(response)


def test_a_keyword_and_an_area_find_the_keyword_in_the_area(client, town):
    assert sorted(names(client, "体操 北区")) == ["天神橋いきいき百歳体操", "梅田体操の会"]


def test_a_keyword_and_a_weekday_find_the_keyword_on_that_day(client, town):
    assert sorted(names(client, "体操 火曜")) == ["天神橋いきいき百歳体操", "港いきいき体操"]


def test_an_area_a_keyword_and_free_find_all_three(client, town):
    assert names(client, "北区 体操 無料") == ["天神橋いきいき百歳体操"]


# Each kind of word ----------------------------------------------------------------


@pytest.mark.parametrize("day", ["火", "火曜", "火曜日", "毎週火曜"])
def test_a_weekday_is_understood_in_every_form(client, town, day):
    response = search(client, f"体操 {day}")

    assert sorted(listed_names(response)) == ["天神橋いきいき百歳体操", "港いきいき体操"]
    assert ("「火曜」（曜日）" if day == "火曜" else f"「{day}」（曜日: 火曜）") in chips(response)


@pytest.mark.parametrize(
    ("word", "found"),
    [("午前", ["天神橋いきいき百歳体操", "港いきいき体操"]), ("午後", ["梅田体操の会"])],
)
def test_a_time_of_day_is_a_filter(client, town, word, found):
    assert sorted(names(client, f"体操 {word}")) == found


def test_free_is_a_filter(client, town):
    response = search(client, "無料")

    assert sorted(listed_names(response)) == ["天神橋いきいき百歳体操", "港いきいき体操"]
    assert "「無料」（費用）" in chips(response)


@pytest.mark.parametrize("word", ["送迎", "送迎あり", "そうげい"])
def test_a_feature_typed_as_a_word_finds_resources_with_that_feature(client, town, word):
    assert names(client, word) == ["ふれあいサロン"]


def test_barrier_free_typed_as_a_word_is_the_feature(client, town):
    response = search(client, "バリアフリー")

    assert listed_names(response) == ["オレンジカフェ"]
    assert "「バリアフリー」（分類）" in chips(response)


def test_a_type_name_finds_the_type_and_the_names_that_hold_it(client, town):
    # オレンジカフェ is a 認知症カフェ by its type; ひまわり by its name.
    assert sorted(names(client, "認知症カフェ")) == ["オレンジカフェ", "認知症カフェ ひまわり"]


def test_part_of_a_type_name_finds_the_resources_of_that_type(client, town):
    # 「認知症」 names a target (認知症の方と家族) that nobody here has; the name of
    # オレンジカフェ's type, 認知症カフェ, is in its indexed text.
    response = search(client, "認知症")

    assert sorted(listed_names(response)) == ["オレンジカフェ", "認知症カフェ ひまわり"]
    assert "「認知症」（分類: 認知症の方と家族）" in chips(response)


def test_the_reading_of_a_feature_finds_it_as_a_keyword_too(client, town):
    # ばりあ is the start of the feature's name as read: a keyword on the reading.
    assert names(client, "げいあり") == ["ふれあいサロン"]


def test_a_label_word_is_one_text_condition_without_a_join(town):
    """The label's name is in the text: the word asks the index alone (no EXISTS on
    the link table beside it, which made PostgreSQL read every row)."""
    from django.http import QueryDict

    from resources.search import SearchFilters, resource_search

    filters = SearchFilters.from_query(QueryDict("q=送迎"))
    rows = resource_search(fetched_by=None, filters=filters)

    assert "EXISTS" not in str(rows.query).upper()
    assert [r.name for r in rows] == ["ふれあいサロン"]


@pytest.mark.parametrize("word", ["北区", "きたく"])
def test_an_area_name_in_kanji_or_kana_becomes_the_area(client, town, word):
    response = search(client, f"ふれあい {word}")

    assert listed_names(response) == ["ふれあいサロン"]
    assert ("「北区」（区域）" if word == "北区" else f"「{word}」（区域: 北区）") in chips(
        response
    )


@pytest.mark.parametrize(
    "word", ["天満", "てんま", "天満2丁目", "天満二丁目", "天満２丁目", "天満駅"]
)
def test_a_town_block_in_kanji_kana_or_with_its_chome_is_the_place(client, town, word):
    response = search(client, f"{word} 体操")

    assert names(client, f"{word} 体操")[0] == "天神橋いきいき百歳体操"
    assert any(label.startswith(f"「{word}」（場所・近い順") for label in chips(response))


def test_a_chosen_order_wins_over_the_place(client, town):
    assert names(client, "梅田 体操")[0] == "梅田体操の会"
    assert names(client, "梅田 体操", sort="kana")[0] == "天神橋いきいき百歳体操"


def test_each_word_chip_removes_only_that_word(client, town):
    found = chips(search(client, "天満 体操 火曜"))

    assert found["「体操」（分類: 体操教室）"] == [("q", "天満 火曜")]
    assert found["「火曜」（曜日）"] == [("q", "天満 体操")]


# Readings and variants -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("たいそう", "体操"),
        ("タイソー", "体操"),
        ("100歳体操", "百歳体操"),
        ("ひゃくさいたいそう", "百歳体操"),
        ("買い物", "買物"),
        ("かいもの", "買物"),
        ("おかいもの", "買物"),
    ],
)
def test_a_reading_or_a_variant_finds_what_the_written_word_finds(client, town, typed, written):
    assert sorted(names(client, typed)) == sorted(names(client, written))
    assert names(client, typed)


def test_kana_with_a_particle_is_split_into_words(client, town):
    response = search(client, "てんまのたいそう")

    assert listed_names(response)[0] == "天神橋いきいき百歳体操"
    assert "「てんま」（場所・近い順: 天満）" in chips(response)


# Never nothing -------------------------------------------------------------------


def test_a_misspelt_word_is_dropped_with_a_suggestion(client, town):
    response = search(client, "だいそう 北区")

    assert dropped(response) == ["だいそう"]
    assert suggestions(response) == ["体操"]
    assert sorted(listed_names(response)) == sorted(names(client, "北区"))
    assert "「だいそう」では見つからないため、このことばを除いて探しました。" in text(response)


def test_the_suggestion_link_searches_with_the_suggested_word(client, town):
    response = search(client, "だいそう 北区")
    link = text(response).split('<p class="suggestion">')[1].split('href="?')[1].split('"')[0]

    assert "q=%E4%BD%93%E6%93%8D+%E5%8C%97%E5%8C%BA" in link  # 体操 北区


def test_words_that_together_find_nothing_drop_the_last_one(client, town):
    response = search(client, "体操 サロン")

    assert dropped(response) == ["サロン"]
    assert "梅田体操の会" in listed_names(response)


def test_a_dropped_or_empty_search_is_counted_as_unmet_demand(client, town):
    search(client, "将棋 北区")
    search(client, "将棋")

    rows = {
        (row.word, row.area.name if row.area else None): row.count
        for row in UnmetSearch.objects.all()
    }
    assert rows == {("将棋", "北区"): 1, ("将棋", None): 1}


def test_the_same_unmet_search_served_from_the_page_cache_is_counted_each_time(client, town):
    first = search(client, "将棋 北区")
    again = search(client, "将棋 北区")

    assert again.content == first.content  # the second page came from the cache
    assert UnmetSearch.objects.get(word="将棋", area__name="北区").count == 2


def test_a_search_that_finds_something_records_nothing(client, town):
    search(client, "体操")

    assert not UnmetSearch.objects.exists()


def test_the_print_link_carries_only_the_words_kept(client, town):
    response = search(client, "将棋 体操")

    assert "/resources/print.pdf?q=%E4%BD%93%E6%93%8D" in text(response)
    assert notices(response) == []
