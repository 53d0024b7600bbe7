"""The report pages: HTML, PDF, CSV and XLSX of the same tables (reports.tables)."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.i18n import in_source_language
from portal.models import Area
from portal.municipality import city
from portal.pdf import pdf_response, render_to_pdf, safe_filename
from portal.wareki import fiscal_year_of, format_date, format_fiscal_year
from reports.policy import can_view_reports
from reports.tables import (
    REPORT_TITLES,
    REPORTS,
    Report,
    build_report,
    report_csv,
    report_xlsx,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_FISCAL_YEAR = 2015


def report_page(view):
    """Logged in, and city staff or a coordinator; everyone else gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not can_view_reports(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class BadParameter(ValueError):
    pass


def _fiscal_year(request: HttpRequest) -> int:
    text = (request.GET.get("fy") or "").strip()
    if not text:
        return fiscal_year_of(timezone.localdate())
    try:
        year = int(text)
    except ValueError:
        raise BadParameter(
            _("年度は西暦4桁で指定してください（例: fy=2025 は令和7年度）。")
        ) from None
    if not 2000 <= year <= 2100:
        raise BadParameter(_("年度は2000〜2100の西暦4桁で指定してください。"))
    return year


def _area(request: HttpRequest) -> Area | None:
    code = (request.GET.get("area") or "").strip()
    if not code:
        return None
    area = Area.objects.select_related("parent").filter(code=code).first()
    if area is None:
        raise Http404(_("区域が見つかりません。"))
    return area


def _report(request: HttpRequest, name: str) -> Report:
    if name not in REPORTS:
        raise Http404(_("集計表が見つかりません。"))
    return build_report(
        name, fiscal_year=_fiscal_year(request), area=_area(request), fetched_by=request.user
    )


def _year_choices() -> list[tuple[int, str]]:
    this_year = fiscal_year_of(timezone.localdate())
    return [
        (y, _("%(wareki)s（%(year)s年度）") % {"wareki": format_fiscal_year(y), "year": y})
        for y in range(this_year, FIRST_FISCAL_YEAR - 1, -1)
    ]


def _file_stem(report: Report) -> str:
    return f"{report.fiscal_year_label}_{report.title}_{report.scope_label}"


def _query(report: Report) -> str:
    query = f"fy={report.fiscal_year}"
    if report.area:
        query += f"&area={report.area.code}"
    return query


@report_page
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    try:
        fiscal_year = _fiscal_year(request)
    except BadParameter as error:
        messages.warning(request, str(error))
        fiscal_year = fiscal_year_of(timezone.localdate())
    area = _area(request)
    query = f"fy={fiscal_year}" + (f"&area={area.code}" if area else "")
    return render(
        request,
        "reports/index.html",
        {
            "reports": [(name, REPORT_TITLES[name]) for name in REPORTS],
            "fiscal_year": fiscal_year,
            "fiscal_year_label": format_fiscal_year(fiscal_year),
            "area": area,
            "query": query,
            "years": _year_choices(),
            "areas": Area.objects.select_related("parent").order_by("tier", "sort_order", "code"),
        },
    )


@report_page
@require_safe
def report(request: HttpRequest, name: str) -> HttpResponse:
    try:
        built = _report(request, name)
    except BadParameter as error:
        messages.warning(request, str(error))
        built = build_report(
            name if name in REPORTS else "councils",
            fiscal_year=fiscal_year_of(timezone.localdate()),
            area=_area(request),
            fetched_by=request.user,
        )
    return render(
        request,
        "reports/report.html",
        {
            "report": built,
            "query": _query(built),
            "years": _year_choices(),
            "areas": Area.objects.select_related("parent").order_by("tier", "sort_order", "code"),
            "reports": [(key, REPORT_TITLES[key]) for key in REPORTS],
        },
    )


def _attachment(report: Report, stem: str, suffix: str) -> str:
    """A download with a Japanese name and an ASCII fallback (RFC 6266 / 5987)."""
    fallback = f"{report.name}_{report.fiscal_year}"
    if report.area:
        fallback += f"_{report.area.code}"
    name = safe_filename(stem, f".{suffix}")
    return f"attachment; filename=\"{fallback}.{suffix}\"; filename*=UTF-8''{quote(name, safe='')}"


def _file_view(kind: str):
    # The city's tables, filed as they are: Japanese in every language.
    @in_source_language
    @report_page
    @require_safe
    def view(request: HttpRequest, name: str) -> HttpResponse:
        try:
            built = _report(request, name)
        except BadParameter as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        stem = _file_stem(built)
        if kind == "csv":
            response = HttpResponse(report_csv(built), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = _attachment(built, stem, "csv")
        elif kind == "xlsx":
            response = HttpResponse(
                report_xlsx(built, city_name=city().name), content_type=XLSX_TYPE
            )
            response["Content-Disposition"] = _attachment(built, stem, "xlsx")
        else:
            pdf = render_to_pdf(
                "reports/print.html",
                {
                    "report": built,
                    "title": built.heading,
                    "printed_on": format_date(timezone.localdate()),
                    "staff_mark": name == "cases",
                },
                request=request,
            )
            response = pdf_response(pdf, safe_filename(stem, ".pdf"))
            response["Content-Disposition"] = _attachment(built, stem, "pdf").replace(
                "attachment;", "inline;", 1
            )
        response["Cache-Control"] = "private, no-store"
        return response

    view.__name__ = f"report_{kind}"
    return view


report_csv_view = _file_view("csv")
report_xlsx_view = _file_view("xlsx")
report_pdf_view = _file_view("pdf")
