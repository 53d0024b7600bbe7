"""Who sees which job: the person who started it, and city staff every job.

A job of someone else, like one that does not exist, answers 404 (its page, its
JSON and its file alike).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from portal.models import Job
from portal.roles import is_city_staff


def jobs_visible_to(user) -> QuerySet[Job]:
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    if is_city_staff(user):
        return Job.objects.all()
    return Job.objects.filter(user=user)


def job_for_user(user, pk: int) -> Job:
    """The job, if ``user`` may see it; else Http404."""
    job = jobs_visible_to(user).select_related("user").filter(pk=pk).first()
    if job is None:
        raise Http404("ジョブが見つかりません。")
    return job


def jobs_of(user, *, limit: int = 10) -> list[Job]:
    """The user's own jobs with something to show: running, or done with a file."""
    if not getattr(user, "is_authenticated", False):
        return []
    jobs = Job.objects.filter(user=user).exclude(state=Job.State.FAILED)
    return [job for job in jobs[: limit * 2] if job.is_active or job.has_result_file][:limit]
