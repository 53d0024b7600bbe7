"""Readings: a word typed in kana finds the same resources as its kanji, on the whole
demo city (about 1,500 resources), and the variants of a word fold together."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from resources.readings import reading, split_particles
from resources.search import SearchFilters, resource_search


def found(q: str) -> set[int]:
    params = QueryDict(mutable=True)
    params["q"] = q
    filters = SearchFilters.from_query(params)
    return set(
        resource_search(fetched_by=AnonymousUser(), filters=filters).values_list("pk", flat=True)
    )


PAIRS = [
    ("体操", "たいそう"),
    ("サロン", "さろん"),
    ("買い物", "かいもの"),
    ("買物", "おかいもの"),
    ("認知症カフェ", "にんちしょうかふぇ"),
    ("百歳体操", "100歳体操"),
    ("百歳体操", "ひゃくさいたいそう"),
    ("見守り", "みまもり"),
    ("配食", "はいしょく"),
    ("送迎", "そうげい"),
    ("体操 北区", "たいそう きたく"),
]


@pytest.mark.slow
def test_kana_and_kanji_find_the_same_resources_in_the_demo_city(demo_city):
    for kanji, kana in PAIRS:
        written, spoken = found(kanji), found(kana)
        assert written, kanji
        assert written == spoken, (kanji, kana, sorted(written ^ spoken)[:5])


@pytest.mark.slow
def test_a_dementia_cafe_search_finds_the_orange_cafes_too(demo_city):
    from resources.models import Resource

    cafes = set(
        Resource.objects.filter(
            resource_type=Resource.Type.DEMENTIA_CAFE, visibility="public", status="active"
        ).values_list("pk", flat=True)
    )
    assert cafes <= found("認知症カフェ")
    assert cafes & found("オレンジカフェ") <= found("認知症カフェ")


def test_readings_come_from_the_analyser_in_search_form():
    assert reading("いきいき百歳体操") == "いきいきひゃくさいたいそー"
    assert reading("買い物支援") == "かいものしえん"
    assert reading("100歳体操") == "100さいたいそー"


def test_kana_is_split_on_particles_the_analyser_sees():
    assert split_particles("てんまのたいそう") == ["てんま", "たいそう"]
    assert split_particles("きたくでたいそう") == ["きたく", "たいそう"]
    assert split_particles("たいそう") == ["たいそう"]
    assert split_particles("体操の会") == ["体操の会"]
