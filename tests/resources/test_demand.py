"""Unmet-demand counts: per normalised word, area and week, nobody identified."""

import datetime

import pytest

from portal.text import normalize
from resources.demand import record_unmet, top_unmet_words, week_of
from resources.models import UnmetSearch

pytestmark = pytest.mark.django_db


def test_week_is_the_monday():
    assert week_of(datetime.date(2026, 12, 3)) == datetime.date(2026, 11, 30)


def test_counts_add_up_per_word_area_and_week(kita1, kita2):
    day = datetime.date(2026, 12, 2)
    record_unmet(["ヨガ", "ﾖｶﾞ"], kita1, day=day)  # one search, the same word twice
    record_unmet(["ヨガ"], kita1, day=day)
    record_unmet(["ヨガ"], kita2, day=day)
    record_unmet(["ヨガ"], kita1, day=day + datetime.timedelta(days=7))
    rows = UnmetSearch.objects.filter(area=kita1, week=week_of(day))
    assert [(r.word, r.count) for r in rows] == [(normalize("ヨガ"), 2)]
    assert top_unmet_words(areas=[kita1]) == [(normalize("ヨガ"), 3)]
    assert top_unmet_words() == [(normalize("ヨガ"), 4)]
    assert not any(hasattr(r, "ip") or hasattr(r, "user") for r in UnmetSearch.objects.all())
