"""The tasks the queue carries (Django's task framework): a job's id, or a periodic
job's name and period. Everything else is in the database (``portal.models.Job``)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from portal.jobs.running import job_execute
from portal.jobs.schedule import periodic_execute


@task(queue_name=settings.JOBS_QUEUE)
def job_run(job_id: int, attempt: int = 1) -> str:
    return job_execute(job_id, attempt)


@task(queue_name=settings.JOBS_QUEUE)
def periodic_run(name: str, slot: str) -> str:
    return periodic_execute(name, slot)
