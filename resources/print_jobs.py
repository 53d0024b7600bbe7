"""Prints made as jobs (portal/jobs): the whole-city booklet, and a list or area
map with more rows than a request prints (``PRINT_JOB_ROWS``).

- ``POST /staff/booklet/`` (city staff) starts the booklet: every tier-1 area's
  map and list, one after the other in one PDF, public (for residents) or for
  関係者; the job page counts the areas (「12 / 24 区域」). Asking for a booklet
  that is already being made opens that job instead of making it twice.
- A print over the limit answers with a page instead of the PDF: staff (関係者
  and above) get a button that makes it as a job, printed with their own access
  when the job runs; everyone else — anonymous visitors included — is asked to
  narrow the search (a job needs a person to give it to, and a public button
  would let anyone fill the queue).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, gettext_noop, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.jobs import JobError, JobKind, job_kind_register
from portal.jobs.policy import jobs_visible_to
from portal.jobs.service import JobConflict, job_start
from portal.models import Area, Job
from portal.municipality import city
from portal.pdf import documents_write_pdf, html_to_document, safe_filename
from portal.roles import can_see_staff_only, is_city_staff
from resources.printing import (
    PrintNeedsJob,
    area_map_document,
    booklet_areas,
    job_print_rows,
    list_document,
    max_print_rows,
)

BOOKLET = "booklet"
PRINT = "print"
STAGE_LAYOUT = gettext_noop("地図と一覧を組んでいます")
STAGE_WRITE = gettext_noop("PDFを書き出しています")


# The booklet ------------------------------------------------------------------


def booklet_label(staff: bool) -> str:
    return _("市全体の冊子（関係者用）") if staff else _("市全体の冊子（公開用）")


def booklet_run(context) -> None:
    staff = bool(context.params.get("staff"))
    user = context.user if staff else AnonymousUser()
    if staff and (user is None or not can_see_staff_only(user)):
        raise JobError(gettext_noop("関係者用の冊子を作る権限がありません。"))
    areas = booklet_areas(tier="1")
    if not areas:
        raise JobError(gettext_noop("区域が登録されていません。"))
    params = QueryDict("staff=1" if staff else "public=1")
    documents, rows = [], 0
    context.progress(0, len(areas), STAGE_LAYOUT)
    for done, area in enumerate(areas, start=1):
        document = area_map_document(user=user, code=area.code, params=params, unlimited=True)
        documents.append(html_to_document(document.html()))
        rows += document.context["count"]
        context.progress(done, len(areas), STAGE_LAYOUT)
    context.progress(len(areas), len(areas), STAGE_WRITE)
    variant = _("関係者用") if staff else _("公開用")
    filename = safe_filename(f"地域資源マップ_{city().display_name}_{variant}")
    with context.result_file(filename) as path:
        documents_write_pdf(documents, path)
    context.result_data(
        {"areas": len(areas), "rows": rows, "pages": sum(len(d.pages) for d in documents)}
    )


def booklet_jobs(user, limit: int = 5) -> list[Job]:
    """The latest booklets the user may see (the booklet page lists them)."""
    return list(jobs_visible_to(user).filter(kind=BOOKLET).select_related("user")[:limit])


@require_POST
def booklet_start(request: HttpRequest) -> HttpResponse:
    """``POST /staff/booklet/``: start the booklet and go to its job page."""
    if not is_city_staff(request.user):
        raise Http404
    staff = request.POST.get("variant") == "staff"
    try:
        job = job_start(
            BOOKLET,
            user=request.user,
            label=booklet_label(staff),
            params={"staff": staff, "language": get_language()},
            exclusive_key=f"booklet:{'staff' if staff else 'public'}",
        )
    except JobConflict as conflict:
        if conflict.holder is None:
            raise
        job = conflict.holder  # being made already: follow that one
    return redirect(job)


# Large prints -------------------------------------------------------------------


def print_run(context) -> None:
    params = context.params
    user = context.user
    if user is None or not user.is_active:
        raise JobError(gettext_noop("依頼した利用者が無効になっています。"))
    query = QueryDict(params.get("query", ""))
    context.progress(0, 1, STAGE_LAYOUT)
    if params.get("code"):
        try:
            document = area_map_document(user=user, code=params["code"], params=query)
        except Http404:
            raise JobError(gettext_noop("区域が見つかりません。")) from None
    else:
        document = list_document(user=user, params=query)
    layout = html_to_document(document.html())
    context.progress(1, 1, STAGE_WRITE)
    with context.result_file(document.filename) as path:
        documents_write_pdf([layout], path)
    context.result_data({"rows": document.context["count"], "pages": len(layout.pages)})


def _print_label(code: str, query: QueryDict) -> str:
    if code:
        area = Area.objects.filter(code=code).first()
        name = area.label if area else code
        return _("%(area)s 地域資源マップ（PDF）") % {"area": name}
    from resources.search import SearchFilters

    return _("地域資源一覧（%(title)s）") % {"title": SearchFilters.from_query(query).title()}


def print_job_offer(request: HttpRequest, big: PrintNeedsJob, *, code: str) -> HttpResponse:
    """The page a print over ``PRINT_JOB_ROWS`` answers with, instead of the PDF."""
    query = request.GET.urlencode()
    staff = can_see_staff_only(request.user)
    if code:
        back = reverse("area_detail", args=[code])
    else:
        back = reverse("resources:search") + (f"?{query}" if query else "")
    response = render(
        request,
        "resources/print_job.html",
        {
            "count": big.count,
            "limit": job_print_rows(big.large),
            "large": big.large,
            "staff": staff,
            "code": code,
            "query": query,
            "back_url": back,
            "label": _print_label(code, request.GET),
            "max_rows": max_print_rows(),
        },
    )
    response["Cache-Control"] = "private, max-age=0"
    return response


@never_cache
@login_required
@require_POST
def print_job_start(request: HttpRequest) -> HttpResponse:
    """``POST /resources/print/job/``: make a large list or area map as a job."""
    if not can_see_staff_only(request.user):
        raise Http404
    code = request.POST.get("code", "")[:32]
    query = request.POST.get("query", "")[:2000]
    if code and not Area.objects.filter(code=code).exists():
        raise Http404
    job = job_start(
        PRINT,
        user=request.user,
        label=_print_label(code, QueryDict(query)),
        params={"code": code, "query": query, "language": get_language()},
    )
    return redirect(job)


def print_links(job: Job) -> list[tuple[str, str]]:
    """Back to where the print was asked for, on the job page."""
    code = job.params.get("code")
    if code:
        return [(str(_("区域のページへ")), reverse("area_detail", args=[code]))]
    query = job.params.get("query", "")
    return [
        (str(_("検索結果へ戻る")), reverse("resources:search") + (f"?{query}" if query else ""))
    ]


def print_job_kinds_register() -> None:
    """Called from ResourcesConfig.ready()."""
    job_kind_register(
        JobKind(
            slug=BOOKLET,
            title=gettext_lazy("市全体の冊子"),
            run=booklet_run,
            unit=pgettext_lazy("progress unit", "区域"),
        )
    )
    job_kind_register(
        JobKind(
            slug=PRINT,
            title=gettext_lazy("大きな印刷"),
            run=print_run,
            unit=pgettext_lazy("progress unit", "段階"),
            links=print_links,
        )
    )
