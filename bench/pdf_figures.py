"""The PDF figures of ``manage.py bench``: list, area map and booklet, through the views."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.http import QueryDict
from django.urls import reverse

from bench.measure import SIZE_S, Check, Context, verdict
from portal.models import Area
from portal.pdf import html_to_pdf
from resources.models import Category, Resource
from resources.policy import resources_visible_to
from resources.printing import booklet_areas, job_print_rows, list_document, write_area_booklet
from resources.search import SearchFilters, resource_search


def _pages(pdf: bytes) -> int | None:
    """The page count, where pypdf (a development dependency) is installed."""
    try:
        import io

        import pypdf
    except ImportError:  # pragma: no cover
        return None
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _closest_query(target: int) -> tuple[str, int]:
    """The search query (area, category or both) whose public result count is nearest ``target``."""
    visible = resources_visible_to(AnonymousUser()).filter(status=Resource.Status.ACTIVE)
    candidates: list[tuple[str, int]] = [("", visible.count())]
    codes = dict(Area.objects.values_list("pk", "code"))
    categories = dict(Category.objects.values_list("pk", "code"))
    for pk, n in visible.values_list("area_tier1").annotate(n=Count("pk")):
        if pk:
            candidates.append((f"area={codes[pk]}", n))
    for pk, n in visible.values_list("area").annotate(n=Count("pk")):
        if pk:
            candidates.append((f"area={codes[pk]}", n))
    through = Resource.categories.through.objects.filter(resource__in=visible)
    for pk, n in through.values_list("category").annotate(n=Count("pk")):
        candidates.append((f"category={categories[pk]}", n))
    for ward, pk, n in through.values_list("resource__area_tier1", "category").annotate(
        n=Count("pk")
    ):
        if ward:
            candidates.append((f"area={codes[ward]}&category={categories[pk]}", n))
    # Any of several categories, across the city: added smallest first until the
    # count passes the target (a ~10-page list where no single area is that big).
    anonymous = AnonymousUser()
    chosen: list[str] = []
    for pk, _n in sorted(
        through.values_list("category").annotate(n=Count("pk")), key=lambda c: c[1]
    ):
        chosen.append(f"category={categories[pk]}")
        query = "&".join(chosen)
        n = resource_search(
            fetched_by=anonymous, filters=SearchFilters.from_query(QueryDict(query))
        ).count()
        candidates.append((query, n))
        if n >= target:
            break
    # What a request prints (more is made as a job: resources/print_jobs.py).
    fitting = [c for c in candidates if 0 < c[1] <= job_print_rows(False)] or candidates
    return min(fitting, key=lambda c: (abs(c[1] - target), len(c[0]), c[0]))


def _timed(action, repeat: int, warmups: int = 1) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of ``action`` (CPU time shows what a busy
    machine adds to the wall clock), and its last result."""
    result = None
    for _ in range(warmups):  # fonts loaded, templates compiled
        result = action()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu), result


def print_bench_figures(
    *,
    repeat: int = 3,
    warmups: int = 1,
    booklet: bool = True,
    booklet_areas_max: int | None = None,
) -> dict:
    """Seconds (median of ``repeat`` runs after ``warmups``) for DESIGN.md's PDF budgets.

    Measured on the configured database, anonymously, through the views
    (``django.test.Client``):

    - ``list_100``: the list PDF of the public search whose count is nearest 100;
    - ``bare_100``: WeasyPrint alone on the same list's HTML, in the same run;
    - ``list_10_pages``: a list of about 10 pages;
    - ``area_map``: the map PDF of the ward with the most resources;
    - ``booklet``: every ward's map and list written to a temporary folder, once
      (the first ``booklet_areas_max`` wards only, when given: at 100,000
      resources the whole booklet takes many minutes).

    Each entry has ``seconds`` (wall clock, what the budgets are about),
    ``cpu_seconds`` (this process only), ``query`` or ``area``, ``rows`` and ``pages``;
    ``area_map.limited`` is true when the ward has more rows than a request may
    print (the figure is then that of the one-page message).
    ``ratio_list_to_bare`` and ``budgets`` (seconds) are for the report.
    """
    from django.test import Client

    client = Client()
    figures: dict = {"repeat": repeat, "warmups": warmups}

    def through_view(url: str) -> dict:
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response.content

        seconds, cpu, pdf = _timed(get, repeat, warmups)
        return {
            "seconds": round(seconds, 3),
            "cpu_seconds": round(cpu, 3),
            "pages": _pages(pdf),
            "bytes": len(pdf),
        }

    query, rows = _closest_query(100)
    url = reverse("printing:list_pdf") + (f"?{query}" if query else "")
    figures["list_100"] = {"query": query, "rows": rows, **through_view(url)}

    html = list_document(user=AnonymousUser(), params=QueryDict(query)).html()
    seconds, cpu, _pdf = _timed(lambda: html_to_pdf(html), repeat, warmups)
    figures["bare_100"] = {
        "query": query,
        "rows": rows,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
    }
    figures["ratio_list_to_bare"] = round(
        figures["list_100"]["seconds"] / max(figures["bare_100"]["seconds"], 1e-6), 2
    )

    per_page = rows / (figures["list_100"]["pages"] or max(rows / 12, 1))
    query10, rows10 = _closest_query(round(per_page * 10))
    url = reverse("printing:list_pdf") + (f"?{query10}" if query10 else "")
    figures["list_10_pages"] = {"query": query10, "rows": rows10, **through_view(url)}

    visible = resources_visible_to(AnonymousUser()).filter(status=Resource.Status.ACTIVE)
    counts = dict(visible.values_list("area_tier1").annotate(n=Count("pk")))
    ward = max(
        Area.objects.filter(tier=Area.Tier.CITY),
        key=lambda a: (counts.get(a.pk, 0), a.code),
        default=None,
    )
    if ward is not None:
        url = reverse("printing:area_map_pdf", args=[ward.code])
        figures["area_map"] = {
            "area": ward.code,
            "label": ward.label,
            "rows": counts.get(ward.pk, 0),
            "limited": counts.get(ward.pk, 0) > job_print_rows(False),
            **through_view(url),
        }

    if booklet:
        user = AnonymousUser()
        areas = booklet_areas()[:booklet_areas_max]
        started, started_cpu = time.perf_counter(), time.process_time()
        total_rows = 0
        with tempfile.TemporaryDirectory() as folder:
            for area in areas:
                n, _size = write_area_booklet(area, Path(folder) / f"{area.code}.pdf", user=user)
                total_rows += n
        figures["booklet"] = {
            "areas": len(areas),
            "rows": total_rows,
            "seconds": round(time.perf_counter() - started, 3),
            "cpu_seconds": round(time.process_time() - started_cpu, 3),
        }

    figures["budgets"] = {"list_100": 2.0, "ratio_list_to_bare": 1.5, "area_map": 3.0}
    return figures


class PdfSection:
    """The printing budgets (resources.printing.print_bench_figures), at S only:
    a city's own prints, not a prefecture's."""

    key = "pdf"
    title = "印刷 PDF（WeasyPrint、秒）"

    def run(self, ctx: Context) -> dict | None:
        if ctx.size > SIZE_S:
            return None
        from bench.pdf_figures import print_bench_figures

        ctx.say("  印刷 PDF（一覧・地図・冊子）")
        return print_bench_figures(repeat=3, booklet_areas_max=24)

    def checks(self, figures: dict | None, ctx: Context) -> list[Check]:
        if not figures:
            return []
        budgets = figures["budgets"]
        checks = [
            Check("pdf list 100", figures["list_100"]["seconds"], budgets["list_100"], "<=", "s"),
            Check(
                "pdf list/bare", figures["ratio_list_to_bare"], budgets["ratio_list_to_bare"], "<="
            ),
        ]
        if "area_map" in figures:
            checks.append(
                Check(
                    "pdf area map", figures["area_map"]["seconds"], budgets["area_map"], "<=", "s"
                )
            )
        return checks

    def render(self, figures: dict | None, ctx: Context, checks: dict[str, Check]) -> list[str]:
        if not figures:
            return []
        f = figures
        lines = [
            self.title,
            f"list of {f['list_100']['rows']} rows ({f['list_100']['pages']} pages): "
            f"{f['list_100']['seconds']:.2f} s {verdict(checks.get('pdf list 100'))}; "
            f"bare WeasyPrint {f['bare_100']['seconds']:.2f} s; "
            f"ratio {f['ratio_list_to_bare']:.2f} {verdict(checks.get('pdf list/bare'))}",
            f"list of {f['list_10_pages']['rows']} rows ({f['list_10_pages']['pages']} pages): "
            f"{f['list_10_pages']['seconds']:.2f} s",
        ]
        if "area_map" in f:
            lines.append(
                f"area map {f['area_map']['area']} ({f['area_map']['rows']} rows): "
                f"{f['area_map']['seconds']:.2f} s {verdict(checks.get('pdf area map'))}"
            )
        if "booklet" in f:
            lines.append(
                f"booklet, {f['booklet']['areas']} areas ({f['booklet']['rows']} rows): "
                f"{f['booklet']['seconds']:.1f} s"
            )
        return lines
