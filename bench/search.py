"""The search sections of ``manage.py bench``: the search page for five query
shapes (warm, cold, its own SQL replayed, a naive scan) and the map GeoJSON."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.http import QueryDict
from django.test import override_settings

from bench.data import CENTRE
from bench.measure import (
    WARMUPS,
    Check,
    Context,
    captured_sql,
    clip,
    num,
    percentile,
    ratio,
    run_statements,
    summary,
    timed,
    verdict,
)
from portal.models import Area
from resources.models import Resource
from resources.search import SearchFilters, distance_expression, resource_search
from resources.views import PAGE_SIZE

# Budgets (DESIGN.md "Performance budgets").
SEARCH_P95_MS = {"S": 30.0, "M": 80.0, "L": 80.0}
RATIO_BARE_MAX = 3.0
RATIO_NAIVE_MIN = 10.0
GEOJSON_MS = 100.0
GEOJSON_KB = 300.0
GEOJSON_FEATURES = 2_000
# The naive scans are slow by design; their median settles long before 30 runs.
NAIVE_REPEAT_MAX = 10


@dataclass(frozen=True)
class Shape:
    key: str
    label: str
    query: str


QUERY_SHAPES = (
    Shape("keyword", "2文字キーワード", "q=体操"),
    Shape("category_area", "カテゴリ+区域", "category=exercise&area=B05"),
    Shape("nearby", "近く2km", f"lat={CENTRE[0]}&lng={CENTRE[1]}&radius_km=2"),
    Shape("weekday_free", "曜日+無料", "weekday=TU&free=1"),
    Shape("combined", "組み合わせ", "q=サロン&area=B05&weekday=WE&free=1"),
    # Words (issue 14): three words; a place and a word in kana; a misspelt word,
    # dropped with 「もしかして」.
    Shape("three_words", "3語", "q=体操+火曜+無料"),
    Shape("kana_place", "かなの場所+かな", "q=てんま+たいそう"),
    Shape("misspelt", "書き誤り", "q=だいそう"),
)


def _naive_queryset(query: str):
    """The same intent without the index-aware selector: icontains and plain joins."""
    params = QueryDict(query)
    rows = Resource.objects.filter(
        visibility=Resource.Visibility.PUBLIC, status=Resource.Status.ACTIVE
    )
    if q := params.get("q"):
        rows = rows.filter(
            Q(name__icontains=q) | Q(description__icontains=q) | Q(kana__icontains=q)
        )
    if area := params.get("area"):
        rows = rows.filter(area__in=Area.objects.within(Area.objects.filter(code=area)))
    if category := params.get("category"):
        rows = rows.filter(Q(categories__code=category) | Q(categories__name=category))
    if weekday := params.get("weekday"):
        rows = rows.filter(schedules__weekdays__icontains=weekday)
    if params.get("free"):
        rows = rows.filter(fee_free=True)
    order = ["kana", "name", "pk"]
    if params.get("lat"):
        lat, lng = float(params["lat"]), float(params["lng"])
        rows = rows.annotate(distance_km=distance_expression(lat, lng)).filter(
            distance_km__lte=float(params.get("radius_km") or 1)
        )
        order = ["distance_km", "pk"]
    if category or weekday:
        rows = rows.distinct()
    return rows.order_by(*order)


def _count_and_page(queryset) -> Callable[[], object]:
    return lambda: (queryset.count(), list(queryset[:PAGE_SIZE]))


class SearchSection:
    """GET /resources/ for the eight query shapes, warm (cache as configured) and
    cold (SEARCH_CACHE_SECONDS=0), against the view's own SQL and a naive scan."""

    key = "shapes"
    title = "検索ページ（匿名）"

    def run(self, ctx: Context) -> dict:
        shapes = {}
        for shape in QUERY_SHAPES:
            ctx.say(f"  検索 {shape.key}: {shape.query}")
            shapes[shape.key] = self._shape(ctx, shape)
        return shapes

    def _shape(self, ctx: Context, shape: Shape) -> dict:
        url = f"/resources/?{shape.query}"

        def fetch():
            return ctx.client.get(url)

        response = fetch()
        if response.status_code != 200:
            raise CommandError(f"{url} が {response.status_code} を返しました。")
        filters = SearchFilters.from_query(QueryDict(shape.query))
        if filters.errors:
            raise CommandError(f"{url}: {' '.join(filters.errors)}")
        hits = resource_search(fetched_by=AnonymousUser(), filters=filters).count()

        # Warm: as configured, the same URL again and again (cached after the first).
        warm_sql = captured_sql(fetch)
        warm = timed(fetch, ctx.repeat)
        # Cold: every request does all the work; "bare" is the SQL it sends, replayed.
        with override_settings(SEARCH_CACHE_SECONDS=0):
            cold = timed(fetch, ctx.repeat)
            bare_sql = captured_sql(fetch)
        bare = timed(lambda: run_statements(bare_sql), ctx.repeat)

        naive = _naive_queryset(shape.query)
        naive_hits = naive.count()
        naive_sql = captured_sql(_count_and_page(naive))
        naive_times = timed(
            lambda: run_statements(naive_sql), max(3, min(ctx.repeat, NAIVE_REPEAT_MAX)), 1
        )

        warm_p50 = percentile(warm, 0.5)
        cold_p50 = percentile(cold, 0.5)
        bare_p50 = percentile(bare, 0.5)
        naive_p50 = percentile(naive_times, 0.5)
        cold_summary = summary(cold)
        return {
            "query": shape.query,
            "label": shape.label,
            "hits": hits,
            "cache_seconds": getattr(django_settings, "SEARCH_CACHE_SECONDS", None),
            **summary(warm),
            "warm_statements": len(warm_sql),
            "cold_p50": cold_summary["p50"],
            "cold_p95": cold_summary["p95"],
            "bare_statements": len(bare_sql),
            "bare_p50": round(bare_p50, 2),
            "ratio_bare": ratio(warm_p50, bare_p50),
            "ratio_bare_cold": ratio(cold_p50, bare_p50),
            "naive_p50": round(naive_p50, 2),
            "naive_hits": naive_hits,
            "ratio_naive": ratio(naive_p50, warm_p50),
            "ratio_naive_cold": ratio(naive_p50, cold_p50),
            "ratio_naive_sql": ratio(naive_p50, bare_p50),
        }

    # (check name suffix, p95 figure, view/bare figure, naive/view figure)
    MODES = (
        ("", "p95", "ratio_bare", "ratio_naive"),
        (" cold", "cold_p95", "ratio_bare_cold", "ratio_naive_cold"),
    )

    def checks(self, figures: dict, ctx: Context) -> list[Check]:
        checks = []
        for key, shape in figures.items():
            for suffix, p95, ratio_bare, ratio_naive in self.MODES:
                budget = SEARCH_P95_MS[ctx.label]
                checks.append(Check(f"{key} p95{suffix}", shape[p95], budget, "<=", "ms"))
                if shape[ratio_bare] is not None:
                    checks.append(
                        Check(f"{key} view/bare{suffix}", shape[ratio_bare], RATIO_BARE_MAX, "<=")
                    )
                # "ratio to a naive icontains scan >= 10 at L": the shapes with a keyword.
                if ctx.label == "L" and "q=" in shape["query"] and shape[ratio_naive] is not None:
                    checks.append(
                        Check(
                            f"{key} naive/view{suffix}", shape[ratio_naive], RATIO_NAIVE_MIN, ">="
                        )
                    )
        return checks

    def render(self, figures: dict, ctx: Context, checks: dict[str, Check]) -> list[str]:
        cache_seconds = next(iter(figures.values()), {}).get("cache_seconds")
        return [
            f"{self.title}  — ms, {ctx.repeat} runs after {WARMUPS} warm-ups; "
            "sql = statements per request; bare = the SQL of one cold request, replayed; "
            "naive = icontains scan",
            f"温 warm — cache as configured (SEARCH_CACHE_SECONDS={cache_seconds}), "
            "the same URL repeated",
            *self._table(figures, checks, warm=True),
            "冷 cold — SEARCH_CACHE_SECONDS=0, every request does all the work",
            *self._table(figures, checks, warm=False),
        ]

    def _table(self, figures: dict, checks: dict[str, Check], *, warm: bool) -> list[str]:
        suffix, p95, ratio_bare, ratio_naive = self.MODES[0 if warm else 1]
        p50 = "p50" if warm else "cold_p50"
        statements = "warm_statements" if warm else "bare_statements"
        lines = [
            f"  {'shape':<14}{'query':<40}{'hits':>7}{'sql':>5}{'p50':>8}{'p95':>8}  "
            f"{'budget':<11}{'bare':>7}{'view/bare':>10}  {'budget':<9}"
            f"{'naive':>9}{'naive/view':>11}  budget"
        ]
        for key, s in figures.items():
            lines.append(
                f"  {key:<14}{clip(s['query'], 39):<40}{s['hits']:>7,}{s[statements]:>5}"
                f"{s[p50]:>8.1f}{s[p95]:>8.1f}  {verdict(checks.get(f'{key} p95{suffix}')):<11}"
                f"{s['bare_p50']:>7.1f}{num(s[ratio_bare]):>10}  "
                f"{verdict(checks.get(f'{key} view/bare{suffix}')):<9}"
                f"{s['naive_p50']:>9.1f}{num(s[ratio_naive]):>11}  "
                f"{verdict(checks.get(f'{key} naive/view{suffix}'))}"
            )
        return lines


class MapSection:
    """GET /resources/map.geojson for the tier-1 area with the most resources."""

    key = "geojson"
    title = "地図 GeoJSON（第1層の区域まるごと、gzip）"

    def run(self, ctx: Context) -> dict:
        top = (
            Resource.objects.exclude(area_tier1=None)
            .values("area_tier1__code")
            .annotate(n=Count("pk"))
            .order_by("-n", "area_tier1__code")
            .first()
        )
        if top is None:
            raise CommandError("区域に属する地域資源がありません。")
        code = top["area_tier1__code"]
        url = f"/resources/map.geojson?area={code}"
        ctx.say(f"  地図 {url}")

        def fetch():
            return ctx.client.get(url, HTTP_ACCEPT_ENCODING="gzip")

        response = fetch()
        if response.status_code != 200:
            raise CommandError(f"{url} が {response.status_code} を返しました。")
        body = response.content
        raw = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
        features = len(json.loads(raw)["features"])
        samples = timed(fetch, ctx.repeat)
        return {
            "area": code,
            "resources_in_area": top["n"],
            "features": features,
            **summary(samples),
            "gzip_kb": round(len(body) / 1024, 1),
            "raw_kb": round(len(raw) / 1024, 1),
            "gzip": response.get("Content-Encoding") == "gzip",
        }

    @staticmethod
    def scale(figures: dict) -> float:
        """Budgets are for 2,000 features; a bigger area gets them pro rata."""
        return max(1.0, figures["features"] / GEOJSON_FEATURES)

    def checks(self, figures: dict, ctx: Context) -> list[Check]:
        scale = self.scale(figures)
        return [
            Check("geojson p95", figures["p95"], round(GEOJSON_MS * scale, 1), "<=", "ms"),
            Check("geojson gzip", figures["gzip_kb"], round(GEOJSON_KB * scale, 1), "<=", "KB"),
        ]

    def render(self, figures: dict, ctx: Context, checks: dict[str, Check]) -> list[str]:
        f = figures
        return [
            f"{self.title}",
            f"area={f['area']}: {f['features']:,} features  p50 {f['p50']:.1f} ms  "
            f"p95 {f['p95']:.1f} ms {verdict(checks['geojson p95'])}  "
            f"gzip {f['gzip_kb']:.1f} KB {verdict(checks['geojson gzip'])}  (raw {f['raw_kb']:.1f} KB)",
            f"  (budget {GEOJSON_MS:g} ms / {GEOJSON_KB:g} KB per {GEOJSON_FEATURES:,} features,"
            f" x{self.scale(f):.2f} for this area)",
        ]
