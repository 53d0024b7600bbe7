"""Every measure of analysis.measures for the hand-built city (conftest), against
the values counted by hand from its table."""

from __future__ import annotations

import pytest

from analysis.figures import gather
from analysis.measures import MEASURE_BY_KEY, MEASURES, value, walk_minutes
from portal.models import Area
from resources.models import Category, Resource
from tests.analysis.conftest import FY

pytestmark = pytest.mark.django_db


def _row(gathered, area):
    figures = gathered.of(area)
    return {m.key: value(m, figures) for m in MEASURES}


# key: (kita1, kita2, minato1, 合計 of the three)
EXPECTED_TIER2 = {
    "population": (2500, 2450, 2180, 7130),
    "aged_65": (500, 650, 500, 1650),
    "aging_rate": (20.0, 26.5, 22.9, 23.1),
    "active": (3, 3, 3, 9),
    "per_1000": (6.0, 4.6, 6.0, 5.5),
    "kayoi": (2, 3, 2, 7),
    "kayoi_per_1000": (4.0, 4.6, 4.0, 4.2),
    # P1 (100) | P5, P7, P8 (550) | P9 (120)
    "coverage_near": (20.0, 84.6, 24.0, 46.7),
    # + P2 (200) | + P6 (100) | —
    "coverage_far": (60.0, 100.0, 24.0, 64.8),
    "participation": (6.0, 10.0, None, 5.8),
    "created": (1, 1, 0, 2),
    "target": (None, None, None, None),
    "unmet": (4, 0, 2, 6),
    "need_records": (1, 2, 0, 3),
    "no_resource": (0, 2, 0, 2),
    "open_issues": (1, 0, 1, 2),
}


def test_every_measure_of_the_tier2_areas_and_their_total(small_city, areas):
    gathered = gather(FY, Area.Tier.DISTRICT)
    total = type(gathered.of(areas["kita1"]))()
    for area in gathered.areas:
        total += gathered.of(area)
    rows = [_row(gathered, areas[k]) for k in ("kita1", "kita2", "minato1")]
    rows.append({m.key: value(m, total) for m in MEASURES})

    for key, expected in EXPECTED_TIER2.items():
        assert tuple(row[key] for row in rows) == expected, key
    assert set(EXPECTED_TIER2) | {"walk_minutes"} == set(MEASURE_BY_KEY)


def test_walking_minutes_are_the_65_weighted_mean_distance_at_80m_a_minute(small_city, areas):
    gathered = gather(FY, Area.Tier.DISTRICT)

    # kita2: (300×400 + 100×950 + 0×200 + 250×450) / 650 = 503.8 m → 6.3 分
    assert value(MEASURE_BY_KEY["walk_minutes"], gathered.of(areas["kita2"])) == 6.3
    assert walk_minutes(500) == 7 and walk_minutes(1000) == 13 and walk_minutes(80) == 1


def test_tier1_areas_hold_their_tier2_areas(small_city, areas):
    gathered = gather(FY, Area.Tier.CITY)
    kita, minato = _row(gathered, areas["kita"]), _row(gathered, areas["minato"])

    assert (kita["population"], kita["aged_65"], kita["active"]) == (4950, 1150, 6)
    assert (kita["coverage_near"], kita["coverage_far"]) == (56.5, 82.6)
    assert (kita["created"], kita["target"], kita["unmet"]) == (2, 10, 4)
    assert (minato["aged_65"], minato["coverage_near"], minato["open_issues"]) == (500, 24.0, 1)


def test_the_city_holds_what_no_row_holds(small_city, areas):
    city = gather(FY, Area.Tier.DISTRICT).of(None)

    assert city.unmet == 7  # the search without an area
    assert city.target == 20  # two wards
    assert city.unmet_words[0] == ("将棋", 6)


def test_counts_by_type_category_need_and_the_trend(small_city, areas):
    gathered = gather(FY, Area.Tier.DISTRICT)
    kita1, kita2, minato1 = (gathered.of(areas[k]) for k in ("kita1", "kita2", "minato1"))
    social = Category.objects.get(code="social").pk
    shopping = Category.objects.get(code="shopping").pk

    assert kita1.by_type == {
        Resource.Type.SALON: 1,
        Resource.Type.EXERCISE: 1,
        Resource.Type.CARE_OFFICE: 1,
    }
    assert kita1.by_category[social] == 1 and minato1.by_category[social] == 1
    assert kita2.needs_by_category[shopping] == 1 and kita1.needs_by_category[shopping] == 1
    assert kita1.unmet_words == [("将棋", 3), ("麻雀", 1)]
    # FY2021 … FY2025: 趣味の会 in FY2024, 認知症カフェ in FY2025.
    assert kita2.created_trend == [0, 0, 0, 1, 1]
