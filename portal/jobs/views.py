"""The job page (``/staff/jobs/<id>/``), its JSON, the result file and a retry.

The page is rendered on the server and survives a reload or a closed tab: the
job is a row, not a connection. While the job runs, ``static/js/job.js`` polls
``?format=json`` (``state``, ``done``, ``total``, ``result_url``, ``error``) and
moves the bar; without JavaScript the page refreshes itself (a meta refresh
inside ``<noscript>``) and has a reload link.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from portal.jobs.kinds import job_kind
from portal.jobs.policy import job_for_user
from portal.jobs.service import JobConflict, job_retry, jobs_fail_stale
from portal.jobs.storage import private_file_response, result_path
from portal.models import Job

# A job still waiting after this long suggests that no worker is running.
WAITING_HINT_SECONDS = 30


def _progress_label(job: Job) -> str:
    kind = job_kind(job.kind)
    unit = kind.unit if kind else ""
    if not job.total:
        return ""
    return f"{job.done:,} / {job.total:,} {unit}"


def job_json(job: Job) -> dict:
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "label": _progress_label(job),
        "stage": _(job.stage) if job.stage else "",
        "result_url": reverse("jobs:result", args=[job.pk]) if job.has_result_file else None,
        "error": _(job.error) if job.error else None,
    }


@never_cache
@login_required
@require_safe
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    jobs_fail_stale()
    job = job_for_user(request.user, pk)
    if request.GET.get("format") == "json":
        return JsonResponse(job_json(job), json_dumps_params={"ensure_ascii": False})
    kind = job_kind(job.kind)
    waited = (timezone.now() - job.created_at).total_seconds()
    return render(
        request,
        "portal/job.html",
        {
            "job": job,
            "kind": kind,
            "progress_label": _progress_label(job),
            "stage": _(job.stage) if job.stage else "",
            "error": _(job.error) if job.error else "",
            "download": job.has_result_file and (kind is None or kind.download),
            "links": kind.links(job) if kind else [],
            "no_worker_hint": job.state == Job.State.QUEUED and waited > WAITING_HINT_SECONDS,
            "json_url": reverse("jobs:detail", args=[job.pk]) + "?format=json",
            "job_result_days": settings.JOB_RESULT_DAYS,
        },
    )


@never_cache
@login_required
@require_safe
def job_result(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for_user(request.user, pk)
    kind = job_kind(job.kind)
    path = result_path(job.result_name) if job.has_result_file else None
    if path is None or (kind is not None and not kind.download) or not path.is_file():
        raise Http404("ファイルが見つかりません。")
    suffix = path.suffix.lower()
    return private_file_response(
        path,
        filename=job.result_filename or f"job-{job.pk}{suffix}",
        fallback=f"job-{job.pk}{suffix}",
    )


@login_required
@require_POST
def job_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for_user(request.user, pk)
    try:
        job_retry(job)
    except JobConflict as conflict:
        messages.error(request, job_conflict_message(conflict.holder))
    return redirect(job)


def job_conflict_message(holder: Job | None) -> str:
    """「…さんが 10:32 に始めた「…」が実行中です」: the job that holds the key."""
    if holder is None:
        return _("同じ作業が実行中です。終わってからもう一度お試しください。")
    who = str(holder.user) if holder.user else _("自動実行")
    when = timezone.localtime(holder.created_at).strftime("%m/%d %H:%M")
    return _(
        "%(who)sさんが %(when)s に始めた「%(label)s」が実行中です。終わってからもう一度お試しください。"
    ) % {"who": who, "when": when, "label": holder.label}
