"""Pinned query counts: the hot pages cost the same number of queries for 30 or 60 resources.

A new query here is a deliberate change: update the number and say why.
"""

from __future__ import annotations

from datetime import time

from portal.geo import locator
from portal.municipality import city
from resources.models import Category, Feature, Resource, ScheduleRule, Target
from resources.search import reference_lists
from resources.services import resource_create, resource_update
from resources.words import vocabulary
from tests.conftest import add_schedule, make_resource
from tests.resources.search_pages import listed_names, text

# The data version, the area look-up, the matching ids (the count; when the words
# together find nothing, the words that empty the result are dropped), the page,
# and the page's categories and schedules; areas, categories, targets and
# features come from the cached reference lists, labels, areas and 町丁 from the
# cached vocabulary of words (resources/words.py).
SEARCH_QUERIES = 6
# The data version, the rows, then each row's categories and schedules (one query
# each for all rows: the popups show when, where and the cost).
MAP_QUERIES = 4
# The map with an area filter adds the area look-up.
MAP_FILTERED_QUERIES = 5
# The resource with its area and the area's parent, its nearby resources, then its
# categories (the marker and the page read them once, from the view), schedules,
# targets and features; and the data version, read once per request for the city's
# settings that every page shows (portal.municipality.city, kept per version); and its
# days off and notices (the next dates, resources/templatetags/resource_dates.py).
DETAIL_QUERIES = 8

FILTERS = {
    "q": "サロン",
    "area": "27127",
    "category": "exercise",
    "weekday": "MO",
    "time": "am",
    "free": "1",
    "target": "age65",
    "feature": "pickup",
}


def add_resources(count: int) -> list[Resource]:
    """``count`` more resources that all match FILTERS, close together in 北区 第1圏域."""
    exercise, social = Category.objects.get(code="exercise"), Category.objects.get(code="social")
    age65 = Target.objects.get(code="age65")
    pickup = Feature.objects.get(code="pickup")
    first = Resource.objects.count()
    made = []
    for i in range(first, first + count):
        resource = make_resource(
            name=f"ふれあいサロン{i:03d}",
            kana=f"ふれあいさろん{i:03d}",
            lat=34.700 + (i % 10) * 0.0005,
            lng=135.490 + (i // 10) * 0.0005,
            fee_free=True,
            categories=[exercise, social],
        )
        resource.targets.set([age65])
        resource.features.set([pickup])
        add_schedule(
            resource=resource,
            kind="weekly",
            weekdays="MO,TH",
            opens_at=time(10),
            closes_at=time(11),
        )
        made.append(resource)
    return made


def test_the_filtered_search_page_costs_the_same_queries_for_30_or_60_resources(
    client, kita1, django_assert_num_queries
):
    for total in (30, 60):
        add_resources(30)
        reference_lists()  # areas and categories come from the cache, filled after a change
        vocabulary()  # and the words' vocabulary
        city()  # and the city's settings

        with django_assert_num_queries(SEARCH_QUERIES):
            first = client.get("/resources/", FILTERS)
        with django_assert_num_queries(SEARCH_QUERIES):
            second = client.get("/resources/", {**FILTERS, "page": "2"})

        assert f"{total}件見つかりました" in text(first)
        assert len(listed_names(first)) == 20
        assert len(listed_names(second)) == (10 if total == 30 else 20)


def test_the_map_data_costs_the_same_queries_for_30_or_60_features(
    client, kita1, django_assert_num_queries
):
    for total in (30, 60):
        add_resources(30)
        reference_lists()
        city()

        with django_assert_num_queries(MAP_QUERIES):
            everything = client.get("/resources/map.geojson")
        with django_assert_num_queries(MAP_FILTERED_QUERIES):
            filtered = client.get("/resources/map.geojson", {"area": "27127", "category": "運動"})

        assert len(everything.json()["features"]) == total
        assert len(filtered.json()["features"]) == total


def test_the_detail_page_costs_the_same_queries_with_30_or_60_neighbours(
    client, kita1, django_assert_num_queries
):
    first = add_resources(30)[0]
    for _total in (30, 60):
        city()  # the city's settings, built once per data version
        with django_assert_num_queries(DETAIL_QUERIES):
            response = client.get(f"/resources/{first.pk}/")

        assert response.status_code == 200
        assert text(response).count('</a> <span class="muted">') == 5  # the nearby list
        add_resources(30)


# Writes: one resource with its categories and three schedules -------------------------
#
# Inside the savepoint: the names of its labels (for the search text), the data version
# (for the locator), the insert, its code, the categories, the three schedules (one
# insert), the history entry and its categories, the one move of the data version.
CREATE_QUERIES = 9
# The lock (the row read again), its schedules, the names of its labels (one query for
# the given categories and the stored targets and features), the data version, the row's update, its
# categories read, the removed one deleted, the removed schedules deleted, the new ones
# inserted, the history entry and its categories, the one move of the data version.
UPDATE_QUERIES = 12


def _three_schedules() -> list[ScheduleRule]:
    return [
        ScheduleRule(kind="weekly", weekdays=day, opens_at=time(10), closes_at=time(11))
        for day in ("MO", "WE", "FR")
    ]


def _version_moves(captured) -> int:
    return sum(
        query["sql"].startswith('UPDATE "portal_dataversion"')
        for query in captured.captured_queries
    )


def test_a_resource_with_categories_and_three_schedules_is_one_write(
    kita1, django_assert_num_queries
):
    exercise, social = Category.objects.get(code="exercise"), Category.objects.get(code="social")
    locator()  # as kept since the last change

    with django_assert_num_queries(CREATE_QUERIES + 2) as captured:  # + SAVEPOINT, RELEASE
        resource = resource_create(
            name="梅田ふれあいサロン",
            resource_type=Resource.Type.SALON,
            lat=34.70,
            lng=135.49,
            categories=[exercise, social],
            schedules=_three_schedules(),
        )

    assert _version_moves(captured) == 1
    resource.refresh_from_db()
    assert (
        resource.schedule_text()
        == "毎週月曜 10:00〜11:00 / 毎週水曜 10:00〜11:00 / 毎週金曜 10:00〜11:00"
    )
    assert resource.area == kita1 and resource.code == f"R{resource.pk:06d}"
    assert list(resource.categories.order_by("code")) == [exercise, social]
    assert resource.history.count() == 1


def test_changing_a_resource_its_categories_and_schedules_is_one_write(
    kita1, django_assert_num_queries
):
    exercise, social = Category.objects.get(code="exercise"), Category.objects.get(code="social")
    resource = resource_create(
        name="梅田ふれあいサロン",
        resource_type=Resource.Type.SALON,
        lat=34.70,
        lng=135.49,
        categories=[exercise, social],
        schedules=_three_schedules(),
    )
    locator()

    with django_assert_num_queries(UPDATE_QUERIES + 2) as captured:
        resource_update(
            resource=resource,
            name="梅田いきいきサロン",
            categories=[social],
            schedules=[ScheduleRule(kind="weekly", weekdays="SA", opens_at=time(13))],
        )

    assert _version_moves(captured) == 1
    resource.refresh_from_db()
    assert resource.name == "梅田いきいきサロン" and "いきいき" in resource.search_text
    assert list(resource.categories.all()) == [social]
    assert resource.schedule_text() == "毎週土曜 13:00〜"
    assert resource.history.count() == 2
