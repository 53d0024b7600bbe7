"""The 地域分析 pages: the table of every area, its CSV/XLSX, the map, an
area's profile and its meeting pack, and the participants of the 通いの場."""

from __future__ import annotations

import re
from functools import wraps
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from analysis.measures import MAPPABLE, MEASURE_BY_KEY, MEASURES, display
from analysis.models import ChomePopulation
from analysis.policy import analysis_areas, area_for_analysis, can_view_analysis
from analysis.population import INSURED_SOURCE, insured_aged_65
from analysis.tables import build_table, table_csv, table_xlsx
from portal.i18n import in_source_language
from portal.models import Area
from portal.municipality import city
from portal.pdf import safe_filename
from portal.spreadsheets import csv_bytes, xlsx_bytes
from portal.wareki import fiscal_year_of, format_fiscal_year

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_FISCAL_YEAR = 2015


def analysis_page(view):
    """Logged in, and city staff or a coordinator; everyone else gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not can_view_analysis(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class BadParameter(ValueError):
    pass


def fiscal_year_param(request: HttpRequest) -> int:
    text = (request.GET.get("fy") or "").strip()
    if not text:
        return fiscal_year_of(timezone.localdate())
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise BadParameter(_("年度は西暦4桁で指定してください（例: fy=2025 は令和7年度）。"))
    return int(text)


def tier_param(request: HttpRequest) -> int:
    text = (request.GET.get("tier") or "2").strip()
    if text not in ("1", "2"):
        raise BadParameter(_("層は tier=1（第1層）か tier=2（第2層）で指定してください。"))
    return int(text)


def year_choices() -> list[tuple[int, str]]:
    this_year = fiscal_year_of(timezone.localdate())
    return [
        (y, _("%(wareki)s（%(year)s年度）") % {"wareki": format_fiscal_year(y), "year": y})
        for y in range(this_year, FIRST_FISCAL_YEAR - 1, -1)
    ]


def population_source() -> dict:
    """Where the population comes from, and the city-wide cross-check: the census'
    65歳以上 summed over the 町丁 against the 介護保険 第1号被保険者数."""
    first = ChomePopulation.objects.order_by("-updated_at").first()
    current = city()
    return {
        "source": first.source if first else "",
        "surveyed_on": first.surveyed_on if first else None,
        "chome": ChomePopulation.objects.count(),
        "aged_65": ChomePopulation.objects.aggregate(n=Sum("aged_65"))["n"] or 0,
        "insured": insured_aged_65(current.prefecture, current.name),
        "insured_source": INSURED_SOURCE,
    }


def _params(request: HttpRequest) -> tuple[int, int, str, bool]:
    fiscal_year, tier = fiscal_year_param(request), tier_param(request)
    sort = request.GET.get("sort") or "name"
    return fiscal_year, tier, sort, request.GET.get("dir") == "desc"


@analysis_page
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    try:
        fiscal_year, tier, sort, descending = _params(request)
    except BadParameter as error:
        messages.warning(request, str(error))
        return redirect("analysis:index")
    table = build_table(
        request.user, fiscal_year=fiscal_year, tier=tier, sort=sort, descending=descending
    )
    base = {"fy": fiscal_year, "tier": tier}
    headers = []
    for key, label in [("name", _("区域")), *[(m.key, m.label) for m in MEASURES]]:
        current = table.sort == key
        flip = "asc" if current and table.descending else "desc"
        if key == "name":
            flip = "desc" if current and not table.descending else "asc"
        headers.append(
            {
                "key": key,
                "label": label,
                "unit": MEASURE_BY_KEY[key].unit if key in MEASURE_BY_KEY else "",
                "href": "?" + urlencode({**base, "sort": key, "dir": flip}),
                "current": current,
                "aria_sort": ("descending" if table.descending else "ascending")
                if current
                else None,
            }
        )
    query = urlencode(base)
    return render(
        request,
        "analysis/index.html",
        {
            "table": table,
            "headers": headers,
            "measures": MEASURES,
            "query": query,
            "years": year_choices(),
            "population": population_source(),
            "type_columns": table.type_columns(),
            "breakdown": [(row, table.breakdown_html(row)) for row in [*table.rows, table.total]],
            "mappable": MAPPABLE,
            "profile_base": reverse("analysis:index") + "areas/",
        },
    )


def _attachment(stem: str, fallback: str, suffix: str) -> str:
    name = safe_filename(stem, f".{suffix}")
    return f"attachment; filename=\"{fallback}.{suffix}\"; filename*=UTF-8''{quote(name, safe='')}"


def _file_view(kind: str):
    # Filed as the city files them: Japanese in every language.
    @in_source_language
    @analysis_page
    @require_safe
    def view(request: HttpRequest) -> HttpResponse:
        try:
            fiscal_year, tier, sort, descending = _params(request)
        except BadParameter as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        table = build_table(
            request.user, fiscal_year=fiscal_year, tier=tier, sort=sort, descending=descending
        )
        tier_label = "第1層" if tier == Area.Tier.CITY else "第2層"
        stem = f"{table.fiscal_year_label}_地域分析_{tier_label}"
        fallback = f"analysis_{fiscal_year}_tier{tier}"
        if kind == "csv":
            response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
        else:
            title = f"{city().name} {table.fiscal_year_label} 地域分析（{tier_label}）"
            response = HttpResponse(table_xlsx(table, title=title), content_type=XLSX_TYPE)
        response["Content-Disposition"] = _attachment(stem, fallback, kind)
        response["Cache-Control"] = "private, no-store"
        return response

    return view


areas_csv = _file_view("csv")
areas_xlsx = _file_view("xlsx")


@analysis_page
@require_safe
def profile(request: HttpRequest, code: str) -> HttpResponse:
    from analysis.profile import build_profile

    area = area_for_analysis(request.user, code)
    try:
        fiscal_year = fiscal_year_param(request)
    except BadParameter as error:
        messages.warning(request, str(error))
        return redirect("analysis:profile", code=code)
    return render(
        request,
        "analysis/profile.html",
        {
            "profile": build_profile(request.user, area, fiscal_year),
            "years": year_choices(),
            "population": population_source(),
            "measures": MEASURES,
            "csv_links": True,
        },
    )


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _as_number(value):
    """A figure of the profile's tables as a number cell (the label column stays text)."""
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return float(value) if "." in value else int(value)
    return value


def _profile_file(kind: str):
    """One of the profile's smaller tables (analysis.profile.PROFILE_TABLES) as
    CSV or XLSX, through the one formula-safe writer (portal/spreadsheets.py)."""

    @in_source_language
    @analysis_page
    @require_safe
    def view(request: HttpRequest, code: str, table: str) -> HttpResponse:
        from analysis.profile import PROFILE_TABLES, build_profile

        if table not in PROFILE_TABLES:
            raise Http404
        area = area_for_analysis(request.user, code)
        try:
            fiscal_year = fiscal_year_param(request)
        except BadParameter as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        profile = build_profile(request.user, area, fiscal_year, drawings=False)
        name, header, rows = PROFILE_TABLES[table]
        if kind == "csv":
            response = HttpResponse(
                csv_bytes(header, rows(profile)), content_type="text/csv; charset=utf-8"
            )
        else:
            cells = ([row[0], *map(_as_number, row[1:])] for row in rows(profile))
            response = HttpResponse(xlsx_bytes(header, cells, title=name), content_type=XLSX_TYPE)
        response["Content-Disposition"] = _attachment(
            f"{profile.fiscal_year_label}_{area.label}_{name}",
            f"profile_{area.code}_{fiscal_year}_{table}",
            kind,
        )
        response["Cache-Control"] = "private, no-store"
        return response

    return view


profile_csv = _profile_file("csv")
profile_xlsx = _profile_file("xlsx")


@analysis_page
@require_http_methods(["GET", "POST"])
def participants(request: HttpRequest) -> HttpResponse:
    from analysis.forms import ParticipationForm

    try:
        fiscal_year = fiscal_year_param(request)
    except BadParameter as error:
        messages.warning(request, str(error))
        return redirect("analysis:participants")
    areas = list(analysis_areas(request.user, Area.Tier.DISTRICT))
    code = request.GET.get("area") or ""
    area = next((a for a in areas if a.code == code), areas[0] if areas else None)
    form = ParticipationForm(
        request.POST or None, user=request.user, fiscal_year=fiscal_year, area=area
    )
    if request.method == "POST" and form.is_valid():
        changed = form.save()
        messages.success(request, _("参加者数を %(n)s 件保存しました。") % {"n": changed})
        query = urlencode({"fy": fiscal_year, "area": area.code if area else ""})
        return redirect(f"{request.path}?{query}")
    return render(
        request,
        "analysis/participants.html",
        {
            "form": form,
            "fiscal_year": fiscal_year,
            "fiscal_year_label": format_fiscal_year(fiscal_year),
            "years": year_choices(),
            "areas": areas,
            "area": area,
        },
    )


@analysis_page
@require_safe
def area_map(request: HttpRequest) -> HttpResponse:
    from analysis.charts import choropleth_svg, classes, legend_entries, shade, shade_class

    try:
        fiscal_year, tier, _sort, _descending = _params(request)
    except BadParameter as error:
        messages.warning(request, str(error))
        return redirect("analysis:map")
    measure = MEASURE_BY_KEY.get(request.GET.get("measure") or "", MEASURE_BY_KEY["coverage_near"])
    if measure not in MAPPABLE:
        measure = MEASURE_BY_KEY["coverage_near"]
    table = build_table(request.user, fiscal_year=fiscal_year, tier=tier, boundaries=True)
    bounds = classes([row.values[measure.key] for row in table.rows])
    legend = legend_entries(measure, bounds)
    shown = {row.area.pk for row in table.rows}
    key_areas = set(Area.objects.filter(pk__in=shown).values_list("pk", flat=True)) | set(
        Area.objects.filter(parent__in=shown).values_list("pk", flat=True)
    )
    uncovered = [
        (c.lat, c.lng, c.distance_m, c.name, c.aged_65)
        for c in table.gathered.chome
        if c.area_id in key_areas and c.distance_m > 500
    ]
    features, shapes, rows = [], [], []
    for row in table.rows:
        number = row.values[measure.key]
        color = shade(number, bounds)
        text = display(measure, number)
        rows.append({"row": row, "swatch": shade_class(color), "text": text})
        shapes.append((row.area.shape, row.area.name, color))
        if row.area.boundary:
            features.append(
                {
                    "type": "Feature",
                    "geometry": row.area.boundary,
                    "properties": {
                        "label": row.label,
                        "value": f"{text}{measure.unit}" if text else _("値なし"),
                        "color": color,
                        "href": reverse("analysis:profile", args=[row.code]) + f"?fy={fiscal_year}",
                    },
                }
            )
    title = f"{table.fiscal_year_label} {measure.label}"
    return render(
        request,
        "analysis/map.html",
        {
            "table": table,
            "measure": measure,
            "mappable": MAPPABLE,
            "years": year_choices(),
            "legend": [(shade_class(color), label) for color, label in legend],
            "rows": rows,
            "uncovered_count": len(uncovered),
            "map_data": {
                "features": features,
                "uncovered": [
                    [lat, lng, round(d), name, aged] for lat, lng, d, name, aged in uncovered
                ],
                "labels": {
                    "far": _("1km以内に通いの場がない町丁"),
                    "near": _("500m以内に通いの場がない町丁"),
                    "aged": _("65歳以上"),
                    "open": _("この区域の分析を開く"),
                },
            },
            "svg": choropleth_svg(
                shapes=shapes,
                uncovered=[(lat, lng, d) for lat, lng, d, _n, _a in uncovered],
                legend=legend,
                title=title,
            ),
            "query": urlencode({"fy": fiscal_year, "tier": tier}),
        },
    )
