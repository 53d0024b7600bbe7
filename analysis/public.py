"""The public summary of 地域分析 at ``/analysis/``: only when the city turns it
on (``portal.Municipality.public_analysis``, off by default); otherwise 404.

Per area: 65歳以上人口, the active *public* resources by type, per 1,000 aged 65+,
and the 徒歩圏カバー率 computed from public 通いの場 only
(``analysis.figures.gather_public``). No free text, no staff-only count, the
same page for everyone, logged in or not; visitors who are not logged in are
served it from the page cache (portal/cache.py) like the search page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from analysis.figures import gather_public
from analysis.measures import MEASURE_BY_KEY, Figures, display, value
from analysis.views import population_source
from portal.cache import cache_public_page
from portal.models import Area
from portal.municipality import city
from resources.models import Resource

# The measures shown, in order; their values come from public resources only.
PUBLIC_MEASURES = ("aged_65", "active", "per_1000", "coverage_near", "coverage_far")


@dataclass
class PublicRow:
    label: str
    by_type: list[str]
    cells: list[str]


def _cell(key: str, figures: Figures) -> str:
    """A count with thousands separators (residents read it), a ratio as the staff table."""
    measure = MEASURE_BY_KEY[key]
    number = value(measure, figures)
    return f"{number:,}" if isinstance(number, int) else display(measure, number)


def _row(label: str, figures: Figures, types: list[str]) -> PublicRow:
    return PublicRow(
        label,
        [f"{figures.by_type.get(t, 0):,}" for t in types],
        [_cell(key, figures) for key in PUBLIC_MEASURES],
    )


@require_safe
@cache_public_page(params={"tier"})
def public_summary(request: HttpRequest) -> HttpResponse:
    if not city().public_analysis:
        raise Http404("地域分析の概要は公開されていません。")
    tier = Area.Tier.CITY if request.GET.get("tier") == "1" else Area.Tier.DISTRICT
    gathered = gather_public(tier)
    types = [v for v, _label in Resource.Type.choices]
    rows = [_row(a.label, gathered.of(a), types) for a in gathered.areas]
    headers = {
        "aged_65": _("65歳以上人口（人）"),
        "active": _("公開中の活動中の資源（か所）"),
        "per_1000": _("65歳以上千人あたり（か所）"),
        "coverage_near": _("徒歩圏カバー率 500m（%）"),
        "coverage_far": _("徒歩圏カバー率 1km（%）"),
    }
    return render(
        request,
        "analysis/public.html",
        {
            "tier": tier,
            "rows": rows,
            "city_row": _row(_("市全体"), gathered.of(None), types),
            "type_labels": [label for _v, label in Resource.Type.choices],
            "headers": [headers[k] for k in PUBLIC_MEASURES],
            "population": population_source(),
        },
    )
