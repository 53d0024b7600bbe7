"""One area's profile: its measures against the city's, the coverage map, its
resources by type and category, unmet searches and needs, open 地域課題, recent
case examples and the numbered list of its resources — the page
``/staff/analysis/areas/<code>/`` and the 協議体 meeting pack
``/areas/<code>/profile.pdf`` are both written from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from analysis.charts import bars_svg, coverage_svg, coverage_view
from analysis.figures import gather
from analysis.measures import KAYOI_TYPES, MEASURES, Figures, Measure, display, value
from councils.models import RegionalIssue
from councils.policy import issues_visible_to
from portal.models import Area
from portal.wareki import format_fiscal_year
from reports.policy import report_reader
from resources.models import Category, Resource
from resources.policy import resources_visible_to

CASES_SHOWN = 5
# The numbered list of the meeting pack stops here (WeasyPrint: ~1 s per 100 rows;
# a 圏域 has 30–150 resources); the rest are counted, the area's printed list has them all.
LIST_MAX = 150


@dataclass
class Comparison:
    measure: Measure
    area: str
    city: str
    city_is_mean: bool  # a count: the city's mean per area of the tier


@dataclass
class Profile:
    area: Area
    fiscal_year: int
    figures: Figures
    comparisons: list[Comparison]
    by_type: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    unmet_words: list[tuple[str, int]]
    needs: list[tuple[str, int]]
    issues: list[RegionalIssue]
    cases: list[dict]
    resources: list[tuple[int, Resource]]
    trend: list[tuple[str, int]]
    coverage_map: str = ""
    trend_chart: str = ""
    coverage_chart: str = ""
    chome_count: int = 0
    uncovered: list[tuple[str, float, int]] = field(default_factory=list)  # name, m, 65+
    resources_more: int = 0  # active resources beyond the list's LIST_MAX
    text_notes: list[str] = field(default_factory=list)

    @property
    def fiscal_year_label(self) -> str:
        return format_fiscal_year(self.fiscal_year)


def build_profile(user, area: Area, fiscal_year: int, *, drawings: bool = True) -> Profile:
    """The profile of ``area`` as ``user`` may read it (analysis.policy has let them in);
    without ``drawings``, no map, charts or resource list (a table's CSV)."""
    gathered = gather(fiscal_year, area.tier)
    mine, city = gathered.of(area), gathered.of(None)
    n_areas = max(len(gathered.areas), 1)
    comparisons = []
    for measure in MEASURES:
        ratio = bool(measure.decimals)
        city_value = value(measure, city)
        if measure.key == "target" and area.tier != Area.Tier.CITY:
            city_value = None  # tier-2 areas have no target
        if not ratio and city_value is not None:
            city_value = round(city_value / n_areas, 1)
        comparisons.append(
            Comparison(
                measure,
                display(measure, value(measure, mine)),
                (
                    f"{city_value:.1f}"
                    if not ratio and city_value is not None
                    else display(measure, city_value)
                ),
                not ratio,
            )
        )
    categories = {c.pk: c.name for c in Category.objects.all()}
    inside = list(Area.objects.within(area).values_list("pk", flat=True))
    reader = report_reader(user)
    cases = [
        {
            "date": a.date,
            "kind": a.get_kind_display(),
            "area": a.area.label,
            "heard": reader.text(a.heard.strip(), a.area_id),
            "response": reader.text(a.response.strip(), a.area_id),
        }
        for a in reader.case_activities()
        .filter(area__in=inside, is_case_example=True)
        .select_related("area__parent")
        .order_by("-date", "-pk")[:CASES_SHOWN]
    ]
    listed = (
        resources_visible_to(user)
        .filter(status=Resource.Status.ACTIVE, area__in=inside)
        .select_related("area")
        .prefetch_related("categories")
        .order_by("resource_type", "kana", "name")
    )
    resources = list(listed[:LIST_MAX]) if drawings else []
    more = listed.count() - len(resources) if len(resources) == LIST_MAX else 0
    chome = [c for c in gathered.chome if c.area_id in inside]
    years = range(fiscal_year - len(mine.created_trend) + 1, fiscal_year + 1)
    trend = [(format_fiscal_year(y), n) for y, n in zip(years, mine.created_trend, strict=True)]
    profile = Profile(
        area=area,
        fiscal_year=fiscal_year,
        figures=mine,
        comparisons=comparisons,
        by_type=[(str(label), mine.by_type.get(v, 0)) for v, label in Resource.Type.choices],
        by_category=[
            (categories[pk], n)
            for pk, n in sorted(mine.by_category.items(), key=lambda item: -item[1])
            if pk in categories
        ],
        unmet_words=mine.unmet_words,
        needs=[
            (categories.get(pk, "?"), n)
            for pk, n in sorted(mine.needs_by_category.items(), key=lambda item: -item[1])
        ],
        issues=list(
            issues_visible_to(user)
            .filter(area__in=inside)
            .exclude(status=RegionalIssue.Status.RESOLVED)
            .select_related("meeting", "area")
            .order_by("-meeting__date", "-pk")
        ),
        cases=cases,
        resources=list(enumerate(resources, start=1)),
        trend=trend,
        chome_count=len(chome),
        uncovered=sorted(
            ((c.name, c.distance_m, c.aged_65) for c in chome if c.distance_m > 500),
            key=lambda item: -item[2],
        ),
        text_notes=reader.text_notes(),
        resources_more=more,
    )
    if not drawings:
        return profile
    profile.coverage_map = _coverage_map(area, chome)
    profile.trend_chart = bars_svg(
        trend, title=_("創出数の推移（5年度）"), unit=_("か所"), highlight=len(trend) - 1
    )
    near = next(c for c in comparisons if c.measure.key == "coverage_near")
    far = next(c for c in comparisons if c.measure.key == "coverage_far")
    profile.coverage_chart = bars_svg(
        [
            (_("この区域 500m"), _float(near.area)),
            (_("市全体 500m"), _float(near.city)),
            (_("この区域 1km"), _float(far.area)),
            (_("市全体 1km"), _float(far.city)),
        ],
        title=_("徒歩圏カバー率（65歳以上人口の割合）"),
        unit="%",
    )
    return profile


def _float(text: str) -> float | None:
    return float(text) if text else None


def _coverage_map(area: Area, chome) -> str:
    focus = area.shape
    if focus is None:
        return coverage_svg(focus=None, neighbours=[], chome=[], sites=[], title=area.label)
    # Only the sites the map shows, clipped by its box in SQL (indexed lat/lng).
    minx, miny, maxx, maxy = coverage_view(focus)
    sites = list(
        Resource.objects.filter(
            status=Resource.Status.ACTIVE,
            resource_type__in=KAYOI_TYPES,
            lat__range=(miny, maxy),
            lng__range=(minx, maxx),
        ).values_list("lat", "lng")
    )
    neighbours = [
        other.shape
        for other in Area.objects.filter(tier=area.tier).exclude(pk=area.pk).only("boundary")
    ]
    return coverage_svg(
        focus=focus,
        neighbours=neighbours,
        chome=[(c.lat, c.lng, c.distance_m, c.aged_65) for c in chome],
        sites=sites,
        title=_("%(area)s の通いの場と町丁（徒歩圏）") % {"area": area.label},
    )


# The profile's smaller tables as CSV (``/staff/analysis/areas/<code>/<table>.csv``):
# slug -> (the file's name, header, rows of a profile). Headers are fixed Japanese,
# as the city files them.
def _needs_rows(profile: Profile) -> list[list]:
    return [
        *([label, n] for label, n in profile.needs),
        ["該当する資源なし", profile.figures.no_resource],
    ]


PROFILE_TABLES: dict[str, tuple[str, list[str], Callable[[Profile], list[list]]]] = {
    "measures": (
        "指標",
        ["指標", "この区域", "市全体", "単位"],
        lambda p: [
            [str(c.measure.label), c.area, c.city, str(c.measure.unit)] for c in p.comparisons
        ],
    ),
    "types": (
        "種別",
        ["種別", "活動中の資源数"],
        lambda p: [[label, n] for label, n in p.by_type if n],
    ),
    "categories": (
        "カテゴリ",
        ["カテゴリ", "活動中の資源数"],
        lambda p: [[label, n] for label, n in p.by_category],
    ),
    "trend": ("創出数の推移", ["年度", "創出数"], lambda p: [[label, n] for label, n in p.trend]),
    "unmet": (
        "見つからなかった検索",
        ["検索語", "回数"],
        lambda p: [[word, n] for word, n in p.unmet_words],
    ),
    "needs": ("聴き取ったニーズ", ["ニーズ", "件数"], _needs_rows),
    "uncovered": (
        "500m以内に通いの場がない町丁",
        ["町丁", "最寄りの通いの場まで_m", "65歳以上人口"],
        lambda p: [[name, round(metres), aged] for name, metres, aged in p.uncovered],
    ),
}
