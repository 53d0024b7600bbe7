"""GET /resources/?q=: the keyword matches the normalised text, on SQLite and PostgreSQL.

PostgreSQL answers through the bigram tsvector (resources.search); SQLite and
one-character queries through LIKE. The tests below run on both.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from resources.models import Resource
from resources.search import SearchFilters, bigram_phrase, bigram_vector, resource_search
from tests.conftest import make_resource
from tests.resources.search_pages import (
    dropped,
    errors,
    listed_names,
    notices,
    result_count,
    text,
)


@pytest.fixture
def taiso(kita1) -> Resource:
    return make_resource(
        name="いきいき百歳体操",
        kana="いきいきひゃくさいたいそう",
        resource_type=Resource.Type.EXERCISE,
        lat=34.70,
        lng=135.49,
    )


@pytest.fixture
def salon(kita1) -> Resource:
    return make_resource(name="ふれあいサロン", kana="ふれあいさろん", lat=34.70, lng=135.49)


@pytest.fixture
def cafe(kita1) -> Resource:
    return make_resource(
        name="オレンジカフェ",
        kana="おれんじかふぇ",
        resource_type=Resource.Type.DEMENTIA_CAFE,
        description="百歳まで元気に。あいxう",
        lat=34.70,
        lng=135.49,
    )


@pytest.fixture
def three(taiso, salon, cafe) -> None:
    pass


def search(client, q: str):
    return client.get("/resources/", {"q": q})


def test_a_kanji_word_finds_the_resource_whose_name_contains_it(client, three):
    assert listed_names(search(client, "体操")) == ["いきいき百歳体操"]


@pytest.mark.parametrize("q", ["たいそう", "タイソウ", "タイソー"])
def test_a_reading_in_kana_finds_the_resource_through_its_kana_field(client, three, q):
    assert listed_names(search(client, q)) == ["いきいき百歳体操"]


def test_a_reading_finds_the_kanji_of_every_field_not_only_the_name(client, three):
    # オレンジカフェ's description says 百歳まで元気に: its reading holds ひゃくさい.
    assert sorted(listed_names(search(client, "ひゃくさい"))) == [
        "いきいき百歳体操",
        "オレンジカフェ",
    ]


@pytest.mark.parametrize("q", ["ｻﾛﾝ", "サロン", "さろん"])
def test_half_width_katakana_and_hiragana_all_find_a_salon(client, three, q):
    assert listed_names(search(client, q)) == ["ふれあいサロン"]


def test_a_one_character_query_finds_what_contains_that_character(client, three):
    assert listed_names(search(client, "操")) == ["いきいき百歳体操"]
    assert listed_names(search(client, "ﾛ")) == ["ふれあいサロン"]


def test_a_keyword_found_in_no_resource_is_dropped_and_the_page_says_so(client, three):
    response = search(client, "将棋")

    assert response.status_code == 200
    assert result_count(response) == 3
    assert dropped(response) == ["将棋"]


def test_a_phrase_matches_across_words_only_where_they_are_adjacent(client, three):
    make_resource(name="百歳 体操の会", kana="ひゃくさい たいそうのかい", lat=34.70, lng=135.49)
    make_resource(name="体操で百歳", kana="たいそうでひゃくさい", lat=34.70, lng=135.49)

    assert sorted(listed_names(search(client, "百歳体操"))) == ["いきいき百歳体操", "百歳 体操の会"]


def test_characters_present_but_apart_do_not_match(client, three):
    assert dropped(search(client, "あいう")) == ["あいう"]
    assert listed_names(search(client, "あいx")) == ["オレンジカフェ"]
    assert listed_names(search(client, "ｘう")) == ["オレンジカフェ"]


def test_sql_in_the_query_is_searched_as_text(client, three):
    response = search(client, "' OR 1=1 --")

    assert response.status_code == 200
    assert dropped(response) == ["OR", "1=1"]
    assert result_count(response) == 3
    assert 'value="&#x27; OR 1=1 --"' in text(response)


def test_html_in_the_query_is_shown_escaped_and_finds_nothing(client, three):
    response = search(client, "<script>alert(1)</script>")

    assert response.status_code == 200
    assert dropped(response) == ["<script>alert(1)</script>"]
    assert "<script>alert(1)</script>" not in text(response)
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in text(response)


def test_a_5000_character_query_is_shortened_with_a_notice(client, three):
    # Punctuation is dropped by the normaliser, so the first 100 characters mean 体操.
    response = search(client, "体操" + "！" * 4998)

    assert response.status_code == 200
    assert notices(response) == ["ことばが長すぎるため、最初の100文字で探しました。"]
    assert errors(response) == []
    assert listed_names(response) == ["いきいき百歳体操"]


def test_the_map_data_shortens_a_5000_character_query_too(client, three):
    response = client.get("/resources/map.geojson", {"q": "体操" + "！" * 4998})

    assert response.status_code == 200
    assert [f["properties"]["name"] for f in response.json()["features"]] == ["いきいき百歳体操"]


# The bigram index ---------------------------------------------------------


def test_bigram_vector_lists_each_pair_of_characters_with_its_positions():
    assert bigram_vector("たいそう") == "'たい':1 'いそ':2 'そう':3"
    assert bigram_vector("あいあい") == "'あい':1,3 'いあ':2"
    assert bigram_vector("あ") == ""
    assert bigram_vector("") == ""


def test_bigram_vector_quotes_apostrophes_and_backslashes():
    assert bigram_vector("a'b") == "'a''':1 '''b':2"
    assert bigram_vector("a\\b") == "'a\\\\':1 '\\\\b':2"


def test_a_saved_resource_keeps_the_bigrams_of_its_search_text(taiso):
    assert taiso.search_bigrams == bigram_vector(taiso.search_text)
    assert "'体操':" in taiso.search_bigrams
    assert "'たい':" in taiso.search_bigrams


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bigram tsvector is PostgreSQL only"
)


def _matches(vector_of: str, needle: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::tsvector @@ %s::tsquery", [bigram_vector(vector_of), bigram_phrase(needle)]
        )
        return cursor.fetchone()[0]


@needs_postgresql
@pytest.mark.parametrize(
    ("stored", "needle", "expected"),
    [
        ("あいxう", "あいう", False),
        ("あいxう", "あいx", True),
        ("あいxう", "xう", True),
        ("いきいき百歳体操", "百歳体操", True),
        ("体操で百歳", "百歳体操", False),
        ("あいあいう", "あいう", True),
        ("it's", "t's", True),
        ("a\\b", "\\b", True),
    ],
)
def test_postgresql_matches_a_phrase_of_bigrams_only_where_they_are_adjacent(
    db, stored, needle, expected
):
    assert _matches(stored, needle) is expected


@needs_postgresql
def test_postgresql_searches_two_or_more_characters_through_the_bigram_index(db):
    two = resource_search(fetched_by=AnonymousUser(), filters=SearchFilters(q="体操"))
    one = resource_search(fetched_by=AnonymousUser(), filters=SearchFilters(q="体"))

    assert '"search_bigrams" @@' in str(two.query)
    assert "@@" not in str(one.query)
    assert "LIKE" in str(one.query)
