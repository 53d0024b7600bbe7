"""The 協議体 meeting pack: an area's profile as one PDF (analysis.profile)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.http import require_safe

from analysis.measures import MEASURES
from analysis.policy import area_for_analysis
from analysis.profile import build_profile
from analysis.views import BadParameter, analysis_page, fiscal_year_param, population_source
from portal.pdf import pdf_response, render_to_pdf, safe_filename
from portal.wareki import format_date


@analysis_page
@require_safe
def profile_pdf(request: HttpRequest, code: str) -> HttpResponse:
    area = area_for_analysis(request.user, code)
    try:
        fiscal_year = fiscal_year_param(request)
    except BadParameter as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    profile = build_profile(request.user, area, fiscal_year)
    title = f"{profile.fiscal_year_label} {area.label} 地域分析"
    pdf = render_to_pdf(
        "analysis/pack.html",
        {
            "profile": profile,
            "title": title,
            "printed_on": format_date(timezone.localdate()),
            "staff_mark": True,
            "population": population_source(),
            "measures": MEASURES,
        },
        request=request,
    )
    stem = safe_filename(title, ".pdf")
    response = pdf_response(pdf, stem, fallback=f"profile_{area.code}_{fiscal_year}.pdf")
    response["Content-Disposition"] = (
        f'inline; filename="profile_{area.code}_{fiscal_year}.pdf"; '
        f"filename*=UTF-8''{quote(stem, safe='')}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
