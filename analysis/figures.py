"""Gathering the counts behind the measures (analysis.measures), per area.

``gather(fiscal_year, tier)`` returns one ``Figures`` per area of the tier,
plus the whole city's, in a fixed number of queries whatever the number of
areas (each grouped by area in the database), and the distance of every 町丁
to its nearest 通いの場 (analysis.coverage).

A tier-2 area holds the 町丁, resources, searches, activities and issues
recorded against it; a tier-1 area also those of its tier-2 areas.
Counts include staff-only resources: the analysis is read by staff only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, Sum

from analysis.coverage import nearest_distances_m
from analysis.measures import FAR_M, KAYOI_TYPES, NEAR_M, Figures
from analysis.models import ChomePopulation, Participation
from coordinators.models import Activity
from councils.models import RegionalIssue
from portal.cache import versioned_value
from portal.models import Area
from portal.wareki import fiscal_year_bounds, fiscal_year_of
from reports.tables import created_in, creation_target
from resources.demand import week_of
from resources.models import Resource, UnmetSearch
from resources.policy import resources_visible_to

CITY = "city"
TREND_YEARS = 5


@dataclass
class Chome:
    pk: int
    code: str
    name: str
    lat: float
    lng: float
    area_id: int | None
    aged_65: int
    population: int
    distance_m: float  # to the nearest active 通いの場 (inf: none in the city)


@dataclass
class Gathered:
    fiscal_year: int
    tier: int
    areas: list[Area]
    figures: dict[object, Figures]  # area pk or CITY
    chome: list[Chome] = field(default_factory=list)

    def of(self, area: Area | None) -> Figures:
        return self.figures[CITY if area is None else area.pk]


def _keys(areas: list[Area], tier: int) -> dict[int, int]:
    """area pk -> the pk of the row it counts in (a tier-2 area in its ward's row)."""
    rows = {a.pk for a in areas}
    mapping: dict[int, int] = {}
    for pk, parent in Area.objects.values_list("pk", "parent_id"):
        if pk in rows:
            mapping[pk] = pk
        elif tier == Area.Tier.CITY and parent in rows:
            mapping[pk] = parent
    return mapping


def _counting(areas: list[Area], tier: int):
    """The empty figures of ``areas`` and of the city, and ``add(area_id, apply)``,
    which applies a count to the city and to the row the area counts in."""
    key_of = _keys(areas, tier)
    figures: dict[object, Figures] = {a.pk: Figures() for a in areas}
    city = Figures()

    def add(area_id, apply) -> None:
        apply(city)
        row = key_of.get(area_id)
        if row is not None:
            apply(figures[row])

    return key_of, figures, city, add


def gather(fiscal_year: int, tier: int, areas: list[Area] | None = None) -> Gathered:
    """The figures of ``areas`` (default: every area of ``tier``) and of the city."""
    if areas is None:
        areas = list(
            Area.objects.filter(tier=tier).select_related("parent").order_by("sort_order", "code")
        )
    key_of, figures, city, add = _counting(areas, tier)
    snapshot = _snapshot()
    chome = _coverage(add, snapshot)
    _resources(add, tier, snapshot)
    _participation(add, fiscal_year)
    _creation(add, fiscal_year, areas, key_of, figures, city)
    _unmet(add, fiscal_year, key_of, figures, city)
    _needs(add, fiscal_year)
    for area_id, count in (
        RegionalIssue.objects.exclude(status=RegionalIssue.Status.RESOLVED)
        .values_list("area_id")
        .annotate(n=Count("id"))
    ):
        add(area_id, lambda f, count=count: setattr(f, "open_issues", f.open_issues + count))
    figures[CITY] = city
    return Gathered(fiscal_year, tier, areas, figures, chome)


def gather_public(tier: int) -> Gathered:
    """The figures of the public summary (analysis.public): population, and the
    active resources and the 徒歩圏 counted from public resources only; nothing
    else (no searches, needs, issues, creation: those are for staff)."""
    areas = list(
        Area.objects.filter(tier=tier)
        .select_related("parent")
        .defer("boundary", "parent__boundary")
        .order_by("parent__sort_order", "parent__code", "sort_order", "code")
    )
    _key_of, figures, city, add = _counting(areas, tier)
    snapshot = _public_snapshot()
    chome = _coverage(add, snapshot)
    _resources(add, tier, snapshot)
    figures[CITY] = city
    return Gathered(0, tier, areas, figures, chome)


@dataclass(frozen=True)
class _Snapshot:
    """What the figures read of the resources and 町丁, for one data version."""

    chome: tuple[Chome, ...]
    # (area_id, area_tier1_id, type or category id, count)
    by_type: tuple[tuple[int | None, int | None, str, int], ...]
    by_category: tuple[tuple[int | None, int | None, int, int], ...]


@versioned_value
def _snapshot() -> _Snapshot:
    """The 町丁 with their distance to the nearest 通いの場, and the active
    resources counted by area, type and category: kept in each process until
    the data version moves (every write of resources, 町丁 and population moves
    it), since at 100,000 resources they are most of the page's work."""
    return _snapshot_of(public=False)


@versioned_value
def _public_snapshot() -> _Snapshot:
    """The same of public resources only (the public summary page)."""
    return _snapshot_of(public=True)


def _snapshot_of(*, public: bool) -> _Snapshot:
    # Public: what an anonymous visitor may read, as the resources' policy says.
    resources = resources_visible_to(AnonymousUser()) if public else Resource.objects.all()
    rows = list(
        ChomePopulation.objects.values_list(
            "address_point_id",
            "address_point__code",
            "address_point__name",
            "address_point__lat",
            "address_point__lng",
            "address_point__area_id",
            "aged_65",
            "total",
        ).order_by("address_point__code")
    )
    sites = list(
        resources.filter(
            status=Resource.Status.ACTIVE,
            resource_type__in=KAYOI_TYPES,
            lat__isnull=False,
            lng__isnull=False,
        ).values_list("lat", "lng")
    )
    distances = nearest_distances_m([(r[3], r[4]) for r in rows], sites)
    chome = tuple(
        Chome(*row, distance_m=float(distance))
        for row, distance in zip(rows, distances, strict=True)
    )
    active = resources.filter(status=Resource.Status.ACTIVE)
    by_type = tuple(
        active.values_list("area_id", "area_tier1_id", "resource_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    through = Resource.categories.through.objects.filter(resource__status=Resource.Status.ACTIVE)
    if public:
        through = through.filter(resource__in=resources)
    by_category = tuple(
        through.values_list("resource__area_id", "resource__area_tier1_id", "category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _Snapshot(chome, by_type, by_category)


def _coverage(add, snapshot: _Snapshot) -> list[Chome]:
    chome = list(snapshot.chome)
    for item in chome:

        def apply(f: Figures, item=item) -> None:
            f.population += item.population
            f.aged_65 += item.aged_65
            f.chome += 1
            if item.distance_m <= NEAR_M:
                f.covered_near += item.aged_65
            if item.distance_m <= FAR_M:
                f.covered_far += item.aged_65
            if item.distance_m != float("inf"):
                f.distance_weighted += item.aged_65 * item.distance_m
                f.distance_known += item.aged_65

        add(item.area_id, apply)
    return chome


def _resources(add, tier: int, snapshot: _Snapshot) -> None:
    tier1 = tier == Area.Tier.CITY
    for area_id, ward_id, kind, count in snapshot.by_type:

        def apply(f: Figures, kind=kind, count=count) -> None:
            f.active += count
            f.by_type[kind] += count
            if kind in KAYOI_TYPES:
                f.kayoi += count

        add(ward_id if tier1 else area_id, apply)
    for area_id, ward_id, category_id, count in snapshot.by_category:
        add(
            ward_id if tier1 else area_id,
            lambda f, c=category_id, n=count: f.by_category.update({c: n}),
        )


def _participation(add, fiscal_year: int) -> None:
    for area_id, total, records in (
        Participation.objects.filter(fiscal_year=fiscal_year)
        .values_list("resource__area_id")
        .annotate(total=Sum("participants"), records=Count("id"))
        .order_by()
    ):

        def apply(f: Figures, total=total, records=records) -> None:
            f.participants += total or 0
            f.participation_records += records

        add(area_id, apply)


def _creation(add, fiscal_year, areas, key_of, figures, city) -> None:
    years = list(range(fiscal_year - TREND_YEARS + 1, fiscal_year + 1))
    for f in [*figures.values(), city]:
        f.created_trend = [0] * len(years)
    # One query for the five 年度: the report's rule for each, joined by OR.
    created = created_in(Resource.objects.all(), years[0])
    for year in years[1:]:
        created = created | created_in(Resource.objects.all(), year)
    for area_id, day, count in (
        created.values_list("area_id", "origin_date").annotate(n=Count("id")).order_by()
    ):
        position = years.index(fiscal_year_of(day))

        def apply(f: Figures, position=position, count=count) -> None:
            f.created_trend[position] += count
            if years[position] == fiscal_year:
                f.created += count

        add(area_id, apply)
    target = creation_target()
    for area in areas:
        if area.tier == Area.Tier.CITY:
            figures[area.pk].target = target
    city.target = target * Area.objects.tier1().count()


def _unmet(add, fiscal_year, key_of, figures, city) -> None:
    start, end = fiscal_year_bounds(fiscal_year)
    searches = UnmetSearch.objects.filter(week__gte=week_of(start), week__lte=end)
    words: dict[object, Counter] = defaultdict(Counter)
    for area_id, word, count in (
        searches.values_list("area_id", "word").annotate(n=Sum("count")).order_by()
    ):
        add(area_id, lambda f, count=count: setattr(f, "unmet", f.unmet + count))
        words[CITY][word] += count
        row = key_of.get(area_id)
        if row is not None:
            words[row][word] += count
    for key, counter in words.items():
        target = city if key == CITY else figures[key]
        target.unmet_words = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:5]


def _needs(add, fiscal_year: int) -> None:
    activities = Activity.objects.in_fiscal_year(fiscal_year)
    tagged = activities.filter(Q(needs__isnull=False) | Q(no_matching_resource=True))
    for area_id, count in (
        tagged.values_list("area_id").annotate(n=Count("id", distinct=True)).order_by()
    ):
        add(area_id, lambda f, count=count: setattr(f, "need_records", f.need_records + count))
    for area_id, count in (
        activities.filter(no_matching_resource=True)
        .values_list("area_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        add(area_id, lambda f, count=count: setattr(f, "no_resource", f.no_resource + count))
    through = Activity.needs.through.objects.filter(activity__in=activities)
    for area_id, category_id, count in (
        through.values_list("activity__area_id", "category_id").annotate(n=Count("id")).order_by()
    ):
        add(area_id, lambda f, c=category_id, n=count: f.needs_by_category.update({c: n}))
